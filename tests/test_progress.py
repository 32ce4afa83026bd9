"""Progress bars: drawn on the stream they are given when on, absent without
a terminal and under --json."""
from __future__ import annotations

import io

import pytest

from pycmsisnn import cli
from pycmsisnn.footprint import RamFigure, StackSource
from pycmsisnn.model_source import model_bytes
from pycmsisnn.progress import bar, progress, wanted
from pycmsisnn.verify import verify_host


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_forced_bar_writes_to_its_stream_and_yields_every_item() -> None:
    stream = io.StringIO()
    assert list(progress(range(5), 5, "counting", enabled=True, stream=stream)) == [0, 1, 2, 3, 4]
    text = stream.getvalue()
    assert "counting" in text and "5/5" in text


def test_disabled_bar_writes_nothing() -> None:
    stream = io.StringIO()
    assert list(progress(iter("abc"), 3, "letters", enabled=False, stream=stream)) == ["a", "b", "c"]
    assert list(progress(range(2), 2, "auto", stream=stream)) == [0, 1]  # not a terminal: off
    assert stream.getvalue() == ""


def test_a_bar_is_wanted_on_a_terminal_without_json_only() -> None:
    assert wanted(_Terminal()) is True
    assert wanted(_Terminal(), json_output=True) is False
    assert wanted(io.StringIO()) is False
    assert bar(False) is None


def test_verify_draws_its_samples_on_the_given_stream() -> None:
    stream = io.StringIO()
    report = verify_host(model_bytes("default"), samples=3, progress=bar(True, stream))
    assert report.exact and report.samples == 3
    assert "verify on host" in stream.getvalue() and "3/3" in stream.getvalue()


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_no_bar_without_a_terminal(json_flag: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "default", "--samples", "3", *json_flag]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "verify on host" not in out and "━" not in out and "\x1b" not in out


def test_check_steps_through_host_and_each_core(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``check`` with its slow parts replaced: one bar step per core, drawn
    (when wanted) on stderr, the result lines on stdout after it."""
    from pycmsisnn import bench, verify

    real = verify.verify_host
    host = real(model_bytes("default"), samples=1)
    calls: list[str] = []

    class FakeBench:
        instructions, macs, flash_bytes = 1000, 500, 2048
        ram = RamFigure(100, 20, StackSource.MEASURED)
        patch = None

    def fake_target(data: bytes, core: str, samples: int, seed: int, cmsis_nn: object = "unset",
                    arena_limit: object = "unset") -> verify.VerifyReport:
        assert cmsis_nn is None and arena_limit is None  # check passes --cmsis-nn and --arena-limit on (not given here)
        calls.append(core)
        return host

    monkeypatch.setattr(verify, "verify_host", lambda data, samples, seed: host)
    monkeypatch.setattr(verify, "verify_target", fake_target)
    monkeypatch.setattr(bench, "bench", lambda data, core, seed, cmsis_nn, arena_limit: FakeBench())
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["check", "default", "--targets", "cortex-m4,cortex-m0", "--samples", "1"]) == 0
    assert calls == ["cortex-m4", "cortex-m0"]
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("cortex-m4: TensorFlow Lite Micro == host == target on 1/1; 1,000 instructions")
    assert "check default" in terminal.getvalue() and "3/3" in terminal.getvalue()
    assert "check default" not in out
