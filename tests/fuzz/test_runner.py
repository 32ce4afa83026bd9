"""The fuzzing runner pins a worker's death or hang on its job and carries
on with the rest of the batch; mutations are the same for a seed."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from .bases import bundled
from .mutations import FAMILIES, mutation
from .runner import Options, run_jobs


def test_crash_and_hang_are_pinned_on_their_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYCMSISNN_FUZZ_SELFTEST", "1")
    names = ["a", "b.segv", "c", "d.hang", "e"]
    for n in names:
        (tmp_path / f"{n}.tflite").write_bytes(bundled() if n in ("a", "e") else b"not a model")
    jobs = [(str(tmp_path / f"{n}.tflite"), "inspect") for n in names]
    outcomes = run_jobs(jobs, tmp_path / "work", Options(workers=1, timeout=3.0, batch_files=10))
    by_file = {Path(o.file).name: o for o in outcomes}
    assert [Path(o.file).name for o in outcomes] == [f"{n}.tflite" for n in names]
    assert by_file["a.tflite"].exit == 0 and not by_file["a.tflite"].bad
    assert by_file["b.segv.tflite"].signal == signal.SIGSEGV and by_file["b.segv.tflite"].kind == "crash"
    assert by_file["c.tflite"].exit == 2 and by_file["c.tflite"].stderr.startswith("pycmsisnn:")
    assert by_file["d.hang.tflite"].hung and by_file["d.hang.tflite"].bad
    assert by_file["e.tflite"].exit == 0 and not by_file["e.tflite"].traceback
    assert os.environ["PYCMSISNN_FUZZ_SELFTEST"] == "1"


def test_mutations_are_the_same_for_a_seed() -> None:
    bases = {"default": bundled()}
    for i, family in enumerate(FAMILIES):
        a, b = mutation(bases, 5, i, family), mutation(bases, 5, i, family)
        assert (a.family, a.description, a.data) == (b.family, b.description, b.data) == (family, a.description, a.data)
        assert a.data != bases["default"], f"{family} left the model unchanged: {a.description}"
    assert mutation(bases, 5, 0, "bit_flips").data != mutation(bases, 6, 0, "bit_flips").data
