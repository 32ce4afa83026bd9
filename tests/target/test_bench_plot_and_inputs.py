"""On cortex-m4 under QEMU: ``bench --plot`` draws one bar per layer (instructions,
coloured by kernel variant; arena bytes in use, with the arena size), and
``verify --inputs --labels`` runs the user's samples on the core."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import cli
from pycmsisnn.bench import BenchReport, bench
from pycmsisnn.memory import plan_arena
from pycmsisnn.model_source import model_bytes
from pycmsisnn.plot import plot_bench
from pycmsisnn.runtime import load

CORE = "cortex-m4"


@pytest.fixture(scope="module")
def report() -> BenchReport:
    rep = bench(model_bytes("default"), CORE)
    rep.model = "default"
    return rep


def test_bench_records_the_arena_in_use_per_layer(report: BenchReport) -> None:
    plan = load(model_bytes("default")).plan
    arena = plan_arena(plan, CORE)
    live = [r.arena_live_bytes for r in report.layers]
    assert len(live) == len(plan.calls) == 9
    assert report.arena_bytes == arena.arena_bytes
    assert max(live) == arena.peak_bytes <= report.arena_bytes
    # layer 0: the 64-byte input, its output and its scratch, each at its 4-byte aligned size
    def align(n: int) -> int:
        return (n + 3) // 4 * 4

    out0 = plan.graph.tensor(plan.calls[0].outputs[0]).nbytes
    assert live[0] == 64 + align(out0) + sum(align(p.nbytes) for p in arena.scratch[0])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_file_has_one_bar_per_layer(report: BenchReport, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bench{suffix}"
    drawn = plot_bench(report, path)
    head = path.read_bytes()[:400]
    if suffix == ".png":
        assert head.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert b"<svg" in head
    n = len(report.layers)
    assert drawn.instruction_bars == drawn.arena_bars == n == 9
    assert drawn.instructions == tuple(r.instructions for r in report.layers)
    assert drawn.arena_live_bytes == tuple(r.arena_live_bytes for r in report.layers)
    assert drawn.arena_bytes == report.arena_bytes
    assert drawn.legend == tuple(dict.fromkeys(r.kernel for r in report.layers))
    assert "arm_convolve_1x1_s8_fast" in drawn.legend and len(drawn.legend) == 8  # arm_convolve_s8 twice
    assert drawn.labels[7] == "7 FULLY_CONNECTED"


def test_bench_cli_writes_the_plot(report: BenchReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("pycmsisnn.bench.bench", lambda data, target, seed, cmsis_nn=None, arena_limit=None: report)  # counted once, in the fixture
    path = tmp_path / "b.png"
    assert cli.main(["bench", "default", "--target", CORE, "--plot", str(path)]) == 0
    assert path.read_bytes().startswith(b"\x89PNG")
    assert f"plot: {path} (9 layers, 8 kernel variants)" in capsys.readouterr().out


def test_plot_without_matplotlib_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    assert cli.main(["bench", "default", "--target", CORE, "--plot", str(tmp_path / "b.png")]) == 2
    err = capsys.readouterr().err
    assert err == "pycmsisnn: --plot needs matplotlib: pip install 'pycmsisnn[plot]'\n"
    assert not (tmp_path / "b.png").exists()
    monkeypatch.delitem(sys.modules, "matplotlib")
    assert cli.main(["bench", "default", "--target", CORE, "--plot", str(tmp_path / "b.pdf")]) == 2
    assert "--plot writes .png or .svg files" in capsys.readouterr().err


def test_verify_user_samples_on_the_core(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = load(model_bytes("default"))
    x = np.random.default_rng(5).uniform(0.0, 1.0, size=(3, 8, 8, 1)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    from pycmsisnn.samples import load_samples

    samples = load_samples(model.graph, tmp_path / "x.npy")
    labels = np.array([int(np.argmax(model.run(samples.inputs(k))[0])) for k in range(3)])
    labels[0] = (labels[0] + 1) % 10  # one wrong: 2/3
    np.save(tmp_path / "y.npy", labels)
    argv = ["verify", "default", "--target", CORE, "--inputs", str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy")]
    assert cli.main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exact"] is True and report["target_exact_samples"] == 3 and report["samples"] == 3
    assert report["accuracy"] == {"top1": 2 / 3, "samples": 3}
