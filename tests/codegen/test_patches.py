"""Patch-based execution of the first layers (``pycmsisnn.patches``).

The generated C, built for the host with the chain forced
(``PYCMSISNN_PATCHES=LxR``: L layers in bands of R output rows), equals the
host runtime (which runs every layer whole) and TensorFlow Lite Micro, on
chains covering what the band windows depend on: strides 1 and 2, same and
valid padding, 3x3, 5x5 and 1x1 filters, depthwise with a channel multiplier
and pointwise, odd heights, dilation, bands of one row and bands that do not
divide the height, with the M4 (DSP) and M55 (MVE) builds' scratch. The
planner takes a chain only where the plan does not fit and the chain lowers
the arena, and it can be switched off."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.fusion import NO_FUSION_ENV
from pycmsisnn.memory import plan_arena
from pycmsisnn.patches import ARENA_LIMIT_ENV, NO_PATCHES_ENV, PATCHES_ENV, Geometry, band_plan, candidates
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from .host import build_host_model, output_specs
from .patch_nets import MOBILENET, NETS, SAME_STRIDED, VALID_DILATED, Net

# (net, chain layers, band rows, target)
CASES = [
    (MOBILENET, 5, 1, "cortex-m4"),
    (MOBILENET, 3, 3, "cortex-m55"),
    (VALID_DILATED, 4, 2, "cortex-m4"),
    (VALID_DILATED, 3, 1, "cortex-m55"),
    (SAME_STRIDED, 3, 1, "cortex-m4"),
    (SAME_STRIDED, 2, 4, "cortex-m55"),
]


@pytest.mark.parametrize("net,layers,rows,target", CASES, ids=[f"{n.key}-{layer}x{r}-{t}" for n, layer, r, t in CASES])
def test_patched_chain_in_c_is_exact(net: Net, layers: int, rows: int, target: str, tmp_path: Path, host_kernels: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    data = net.model()
    model = load(data)
    monkeypatch.setenv(PATCHES_ENV, f"{layers}x{rows}")
    arena = plan_arena(model.plan, target)
    chain = arena.patch
    assert chain is not None and (chain.first, chain.last, chain.band_rows) == (0, layers - 1, rows)
    height = model.graph.tensor(chain.output).shape[1]
    assert len(chain.bands) == -(-height // rows) and chain.patched_macs >= chain.macs
    host = build_host_model(model, tmp_path, host_kernels, target=target, layer_table=True)
    text = (host.project / "model.c").read_text()
    assert all(f"model_band_{k}(" in text for k in chain.calls) and "computed by layer 0, band by band" in text
    assert host.report.patch is not None and host.report.patch.bands == len(chain.bands)
    ref = TflmRunner(data)
    rng = np.random.default_rng(7)
    for sample in range(2):
        x = random_inputs(model.graph, rng)
        ours, dumped = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}", layers=True)
        expected = model.run(x, intermediates=True)
        np.testing.assert_array_equal(ours[0], expected.outputs[0], err_msg=f"generated C vs host runtime, sample {sample}")
        np.testing.assert_array_equal(ours[0], ref.run(x, 1)[0].reshape(ours[0].shape), err_msg=f"generated C vs TFLM, sample {sample}")
        whole = expected.tensors[chain.output]  # every chain layer reports the chain's output, complete
        for k in chain.calls:
            assert dumped[k] == whole.tobytes(), f"layer {k}: the chain's output differs from the host's, sample {sample}"


def test_band_windows_cover_every_row() -> None:
    """Per band, each layer's output rows are exactly the rows the next layer's window reads, and the last layer's bands tile its output."""
    model = load(VALID_DILATED.model())
    for rows in (1, 2, 3, 5):
        chain = band_plan(model.plan, 4, rows)
        assert chain is not None
        covered = [r for band in chain.bands for r in range(band[-1].out_first, band[-1].out_first + band[-1].out_rows)]
        assert covered == list(range(model.graph.tensor(chain.output).shape[1]))
        for band in chain.bands:
            for lower, upper in zip(band, band[1:]):
                assert lower.out_rows == upper.in_rows
    g = Geometry(in_h=9, out_h=5, stride=2, pad_top=1, filter_h=3, dilation=1, in_row_bytes=1, out_row_bytes=1)
    assert g.window.rows(0, 1) == (0, 2, 1)  # row -1 is padding
    assert g.window.rows(2, 3) == (3, 3, 0)  # an interior cut: rows 3..5, no padding
    assert g.window.rows(4, 5) == (7, 2, 0)  # row 9 is the real bottom padding


def test_the_planner_takes_a_chain_only_where_it_lowers_the_arena(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load(MOBILENET.model()).plan
    whole = plan_arena(plan, "cortex-m4")
    assert whole.patch is None  # it fits the core's RAM: no chain
    patched = plan_arena(plan, "cortex-m4", arena_limit=whole.arena_bytes - 1)
    assert patched.patch is not None and patched.arena_bytes < whole.arena_bytes
    assert patched.patch.output not in patched.patch.intermediates
    assert plan_arena(plan, "cortex-m4", arena_limit=1).arena_bytes <= patched.arena_bytes  # no limit met: the lowest arena
    monkeypatch.setenv(ARENA_LIMIT_ENV, str(whole.arena_bytes - 1))
    assert plan_arena(plan, "cortex-m4").arena_bytes == patched.arena_bytes
    assert plan_arena(plan, "cortex-m4", patches=False).patch is None
    monkeypatch.delenv(ARENA_LIMIT_ENV)
    monkeypatch.setenv(PATCHES_ENV, "all")  # forced without a limit: the chain recomputing the fewest MACs, then the fewest bands
    forced = plan_arena(plan, "cortex-m4").patch
    cheapest = min((c.patched_macs, len(c.bands)) for c in candidates(plan))
    assert forced is not None and (forced.patched_macs, len(forced.bands)) == cheapest and forced.layers == 2
    monkeypatch.delenv(PATCHES_ENV)
    for switch in (NO_PATCHES_ENV, NO_FUSION_ENV):
        monkeypatch.setenv(switch, "1")
        assert plan_arena(plan, "cortex-m4").patch is None
        monkeypatch.delenv(switch)


def test_a_chain_that_cannot_lower_the_arena_is_not_taken() -> None:
    """SAME_STRIDED's first layer reads the largest tensor: a chain keeps it whole, so the arena cannot drop below it."""
    plan = load(SAME_STRIDED.model()).plan
    whole = plan_arena(plan, "cortex-m4")
    input_bytes = plan.graph.tensor(plan.graph.inputs[0]).nbytes
    limited = plan_arena(plan, "cortex-m4", arena_limit=input_bytes - 1)
    assert limited.arena_bytes <= whole.arena_bytes
    assert limited.patch is None or limited.arena_bytes < whole.arena_bytes


@pytest.mark.parametrize("net", NETS, ids=[n.key for n in NETS])
def test_forcing_an_impossible_chain_changes_nothing(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load(net.model()).plan
    whole = plan_arena(plan, "cortex-m4")
    monkeypatch.setenv(PATCHES_ENV, "9x1")  # longer than any chain these nets have
    assert plan_arena(plan, "cortex-m4").arena_bytes == whole.arena_bytes
    monkeypatch.setenv(PATCHES_ENV, "2x100")  # one band: no chain
    assert plan_arena(plan, "cortex-m4").patch is None


def test_the_command_line_checks_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    from pycmsisnn.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["bench", "default", "--target", "cortex-m4", "--arena-limit", "0"])
    assert exc.value.code == 2 and "positive number of bytes" in capsys.readouterr().err
    assert main(["verify", "default", "--arena-limit", "1000"]) == 2  # the host has no arena
    assert "--arena-limit needs a Cortex-M --target" in capsys.readouterr().err


def test_the_report_names_the_chain_and_its_cost(tmp_path: Path) -> None:
    from pycmsisnn.codegen import convert

    model = load(MOBILENET.model())
    whole = plan_arena(model.plan, "cortex-m4")
    report = convert(model, tmp_path, target="cortex-m4", measure_size=False, arena_limit=whole.arena_bytes - 1)
    assert report.patch is not None and report.patch.arena_bytes_without == whole.arena_bytes > report.arena_bytes
    assert report.patch.patched_macs > report.patch.macs and report.patch.bands > 1
    text = (tmp_path / "report.txt").read_text()
    assert f"patches: layers 0-{report.patch.last} in {report.patch.bands} bands" in text and "MACs recomputed" in text
    assert '"patch": {' in (tmp_path / "report.json").read_text()
