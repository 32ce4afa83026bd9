"""Patch chains (``pycmsisnn.patches``) as generated C under QEMU, exact
against the host runtime and TensorFlow Lite Micro: a chain of valid,
dilated and strided layers in one-row bands on the Cortex-M55 (MVE) build,
and VWW (MobileNetV1 0.25: the suite's own network, and the real file with
an extra model set) on the Cortex-M4 (DSP) build under an arena limit that
makes the planner take a chain. (Arm's CMSIS-NN built into the same C is
exact too: ``PYCMSISNN_PATCHES=4x2 pycmsisnn verify ... --cmsis-nn PATH``.)"""
from __future__ import annotations

import pytest

from pycmsisnn.memory import plan_arena
from pycmsisnn.patches import ARENA_LIMIT_ENV, PATCHES_ENV
from pycmsisnn.runtime import load
from pycmsisnn.verify import verify_target

from ..codegen.patch_nets import VALID_DILATED, Net
from ..support.mlperf_tiny import MlperfModel

CASES = [(VALID_DILATED, "3x1", "cortex-m55")]  # the M4 build: VWW below


@pytest.mark.parametrize("net,chain,core", CASES, ids=[f"{n.key}-{c}-{core}" for n, c, core in CASES])
def test_patched_chain_on_a_core(net: Net, chain: str, core: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = net.model()
    monkeypatch.setenv(PATCHES_ENV, chain)
    patch = plan_arena(load(data).plan, core).patch
    assert patch is not None and f"{patch.layers}x{patch.band_rows}" == chain
    report = verify_target(data, core, samples=2, seed=3)
    assert report.exact_samples == report.target_exact_samples == 2, report.to_json()


@pytest.mark.mlperf("vww01")
def test_vww_under_an_arena_limit_on_m4(mlperf: MlperfModel, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load(mlperf.data).plan
    whole = plan_arena(plan, "cortex-m4")
    limit = whole.arena_bytes * 9 // 10
    patched = plan_arena(plan, "cortex-m4", arena_limit=limit)
    assert patched.patch is not None and patched.arena_bytes <= limit, patched.arena_bytes
    monkeypatch.setenv(ARENA_LIMIT_ENV, str(limit))
    report = verify_target(mlperf.data, "cortex-m4", samples=1, seed=5)
    assert report.exact_samples == report.target_exact_samples == 1, report.to_json()
    assert report.target_info["arena_bytes"] == patched.arena_bytes
