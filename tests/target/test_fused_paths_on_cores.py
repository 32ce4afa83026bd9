"""Fused and in-place band execution (``pycmsisnn.fusion``) under QEMU on
the three kinds of core: Cortex-M0 (portable kernels), M4 (DSP) and M55
(MVE). The generated C, built for the core, must equal the host runtime
(which runs every layer whole) and TensorFlow Lite Micro on every output.

The networks are those of ``tests/codegen/test_fusion.py`` (built on the
host there): three residual blocks whose ADD is fused into the convolution
(same and valid padding, stride 2, dilation, 5x5, a ReLU after the sum), one
on each core, and
one chain of five convolutions written over their own input (1x1, 3x3,
depthwise 3x3, depthwise 5x5 dilated, 7x1), with half-height chunks on M4 and
M55 and one-row chunks on the M0, as the planner takes them on a core whose
RAM is short. Needs the Arm cross compiler and QEMU: fails (never skips)
without them."""
from __future__ import annotations

import pytest

from pycmsisnn.fusion import IN_PLACE_ENV, in_place_bands
from pycmsisnn.memory import plan_arena
from pycmsisnn.runtime import load
from pycmsisnn.verify import verify_target

from ..codegen.test_fusion import IN_PLACE, NETS, _model

CORES = ["cortex-m0", "cortex-m4", "cortex-m55"]


def _exact(data: bytes, core: str) -> None:
    report = verify_target(data, core, samples=2, seed=13)
    assert report.exact_samples == 2 and report.target_exact_samples == 2 and report.host_exact_samples == 2, report.to_json()


# Each core runs one of the three residual blocks (every block runs on M4 and M55 in
# tests/codegen/test_fusion.py's host builds of their C): QEMU time is what CI pays for.
FUSED_ON = list(zip(NETS, ["cortex-m4", "cortex-m55", "cortex-m0"]))


@pytest.mark.parametrize("net,core", FUSED_ON, ids=[f"{n.key}-{c}" for n, c in FUSED_ON])
def test_fused_residual_on_a_core(net, core: str) -> None:  # noqa: ANN001
    data = _model(net)
    arena = plan_arena(load(data).plan, core)
    assert len(arena.fusions) == 1, f"{net.key} on {core}: the ADD is not fused"
    _exact(data, core)


@pytest.mark.parametrize("core", CORES)
def test_convolutions_over_their_input_on_a_core(core: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _model(IN_PLACE)
    plan = load(data).plan
    monkeypatch.setenv(IN_PLACE_ENV, "all")
    if core == "cortex-m0":  # one-row chunks, as the planner takes them where RAM is short
        one_row = in_place_bands(plan, (), small=True)
        monkeypatch.setattr("pycmsisnn.memory.in_place_bands", lambda plan, fusions, small=False: one_row)
    arena = plan_arena(plan, core)
    assert len(arena.bands) == 5, f"{core}: {arena.bands}"
    if core == "cortex-m0":
        assert [b.band_rows for b in arena.bands] == [max(1, b.pad_top) for b in arena.bands]
    else:
        assert any(b.band_rows > max(1, b.pad_top) for b in arena.bands)
    _exact(data, core)
