"""TensorFlow Lite Micro in its child process: the same answers as TFLM run
in-process, one worker per runner that ends with it, and a crash, signal or
hang of TFLM turned into ReferenceCrash (and exit 2 from the command line)."""
from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from pycmsisnn import cli, reference
from pycmsisnn.errors import CmsisNNError
from pycmsisnn.model_source import model_bytes
from pycmsisnn.reference import ReferenceCrash, ReferenceUnavailable, TflmRunner, tflm_arena_bytes

from .support.tflm import run_tflm

FAULTY = Path(__file__).resolve().parent / "support" / "faulty_tflm_worker.py"
DEFAULT = model_bytes("default")


def children() -> set[int]:
    """Live child processes of this one (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def inject(monkeypatch: pytest.MonkeyPatch, fault: str, when: str) -> None:
    """Make every runner's worker the real one with ``fault`` at ``when``."""
    command = [sys.executable, str(FAULTY), str(reference.WORKER_FILE), fault, when]
    monkeypatch.setattr(reference, "worker_command", lambda: command)


def default_input(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(-128, 128, (1, 8, 8, 1), dtype=np.int8)


def test_child_answers_as_tflm_in_process() -> None:
    with TflmRunner(DEFAULT) as tflm:
        for seed in range(3):
            x = default_input(seed)
            (got,) = tflm.run([x], 1)
            (want,) = run_tflm(DEFAULT, [x])
            assert got.dtype == np.int8 and got.shape == (1, 10)
            np.testing.assert_array_equal(got, want)


def test_preserved_tensors_come_back() -> None:
    x = default_input(7)
    with TflmRunner(DEFAULT, preserve=True) as tflm:
        (out,) = tflm.run([x], 1)
        np.testing.assert_array_equal(tflm.tensor(0), x)  # the model's input is tensor 0
        assert tflm.preserve


def test_one_worker_per_runner_reused_and_ended() -> None:
    before = children()
    runner = TflmRunner(DEFAULT)
    pid = runner.pid
    assert pid is not None and children() - before == {pid}
    for seed in range(5):
        runner.run([default_input(seed)], 1)
    assert runner.pid == pid and children() - before == {pid}  # no re-spawn per run
    runner.close()
    assert runner.pid is None and not alive(pid)
    runner.close()  # idempotent
    with pytest.raises(ReferenceUnavailable, match="closed"):
        runner.run([default_input(0)], 1)


def test_worker_ends_with_its_runner_when_collected() -> None:
    runner = TflmRunner(DEFAULT)
    pid = runner.pid
    assert pid is not None and alive(pid)
    del runner
    gc.collect()
    assert not alive(pid)


def test_worker_ends_when_python_exits() -> None:
    """A runner still referenced at exit (a module global) is closed by atexit."""
    script = ("from pycmsisnn.reference import TflmRunner; from pycmsisnn.model_source import model_bytes; "
              "r = TflmRunner(model_bytes('default')); print(r.pid)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    pid = int(out.stdout.strip())
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


def test_a_real_tflm_segfault_is_a_reference_crash() -> None:
    """Twenty bytes of the default model overwritten (seed 40): TFLM's C++
    reads out of bounds on it and dies of SIGSEGV (pycmsisnn's reader refuses it)."""
    data = bytearray(DEFAULT)
    rng = random.Random(40)
    for _ in range(20):
        at = rng.randrange(len(data))
        data[at] = rng.randrange(256)
    before = children()
    with pytest.raises(ReferenceCrash) as info:
        with TflmRunner(bytes(data)) as tflm:
            tflm.run([default_input(0)], 1)
    assert str(info.value) == "the TensorFlow Lite Micro reference crashed on this model (signal SIGSEGV)"
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, CmsisNNError)
    assert children() == before


def test_tflms_own_refusal_is_reference_unavailable() -> None:
    with pytest.raises(ReferenceUnavailable, match="could not load the model: .*struct.error"):
        TflmRunner(DEFAULT[: len(DEFAULT) // 2])


@pytest.mark.parametrize(("fault", "when", "signal_name"), [("abort", "run", "SIGABRT"), ("segv", "run", "SIGSEGV"),
                                                            ("abort", "start", "SIGABRT"), ("segv", "load", "SIGSEGV")])
def test_crash_in_the_child_is_a_reference_crash(monkeypatch: pytest.MonkeyPatch, fault: str, when: str, signal_name: str) -> None:
    inject(monkeypatch, fault, when)
    before = children()
    make: Callable[[], TflmRunner] = lambda: TflmRunner(DEFAULT)  # noqa: E731
    message = f"the TensorFlow Lite Micro reference crashed on this model (signal {signal_name})"
    if when == "run":
        runner = make()
        pid = runner.pid
        assert pid is not None
        with pytest.raises(ReferenceCrash) as info:
            runner.run([default_input(0)], 1)
        assert not alive(pid)
        with pytest.raises(ReferenceCrash) as again:  # the runner stays failed, with the same reason
            runner.run([default_input(0)], 1)
        assert str(again.value) == message
    else:
        with pytest.raises(ReferenceCrash) as info:
            make()
    assert str(info.value) == message
    assert children() == before


def test_python_error_escaping_the_worker_names_its_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    inject(monkeypatch, "exit", "run")
    runner = TflmRunner(DEFAULT)
    with pytest.raises(ReferenceCrash) as info:
        runner.run([default_input(0)], 1)
    assert str(info.value) == ("the TensorFlow Lite Micro reference crashed on this model (exit status 1): "
                               "worker gave up: injected fault")


def test_hang_times_out_and_the_worker_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    inject(monkeypatch, "hang", "run")
    before = children()
    runner = TflmRunner(DEFAULT, timeout=1.5)
    pid = runner.pid
    assert pid is not None
    start = time.monotonic()
    with pytest.raises(ReferenceCrash) as info:
        runner.run([default_input(0)], 1)
    took = time.monotonic() - start
    assert str(info.value) == "the TensorFlow Lite Micro reference did not answer within 1.5 s"
    assert 1.5 <= took < 8.0
    assert not alive(pid) and children() == before


def test_arena_probe_crash_is_a_reference_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    assert tflm_arena_bytes(DEFAULT)[0] > tflm_arena_bytes(DEFAULT)[1] > 0
    inject(monkeypatch, "abort", "start")
    with pytest.raises(ReferenceCrash, match=r"crashed on this model \(signal SIGABRT\)$"):
        tflm_arena_bytes(DEFAULT)
    inject(monkeypatch, "hang", "start")
    with pytest.raises(ReferenceCrash, match="did not answer within 1 s$"):
        tflm_arena_bytes(DEFAULT, timeout=1.0)


def test_verify_exits_2_on_a_reference_crash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inject(monkeypatch, "segv", "run")
    before = children()
    assert cli.main(["verify", "default", "--samples", "2"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "pycmsisnn: the TensorFlow Lite Micro reference crashed on this model (signal SIGSEGV)\n"
    assert captured.out == ""
    assert cli.main(["verify", "default", "--samples", "2", "--json"]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "status": "bad_input", "reasons": ["the TensorFlow Lite Micro reference crashed on this model (signal SIGSEGV)"]}
    assert children() == before
