"""Our planned arena against TensorFlow Lite Micro's on the MLPerf Tiny models.

TFLM's Python interpreter (reference kernels, allocation recording) prints
its arena use after an invoke: the total, the head (activations and scratch,
planned by its greedy planner) and the tail (persistent: tensor structs,
operator data). Our arena holds activations and scratch only (parameters are
``static const`` in flash), so the fair comparison is with the total; the
head is recorded too. The goal: at most TFLM's, three quarters where the
network allows it.
"""
from __future__ import annotations



from pycmsisnn.memory import plan_arena
from pycmsisnn.reference import tflm_arena_bytes
from pycmsisnn.runtime import load

from ..support import mlperf_tiny
from ..support.mlperf_tiny import MlperfModel

# architecture: (TFLM total, TFLM head, our arena on Cortex-M4, on Cortex-M55);
# the built networks and the real files agree (same tensors, same shapes).
EXPECTED = {
    "ad01": (3984, 768, 768, 768),
    "kws01": (24272, 16000, 11840, 11840),
    "ic01": (55984, 49152, 33856, 33856),
    "vww01": (103680, 73728, 55296, 55296),
}


def test_arena_against_tflm(mlperf: MlperfModel) -> None:
    name = mlperf.id
    plan = load(mlperf.data).plan
    total, head = tflm_arena_bytes(mlperf.data)
    ours_m4, ours_m55 = plan_arena(plan, "cortex-m4").arena_bytes, plan_arena(plan, "cortex-m55").arena_bytes
    assert (total, head, ours_m4, ours_m55) == EXPECTED[mlperf.arch]
    assert max(ours_m4, ours_m55) <= total
    print(f"{name}: ours {ours_m4} B (M4) / {ours_m55} B (M55), TFLM total {total} B (head {head} B): "
          f"{ours_m4 / total:.0%} of TFLM's arena")


def test_two_thirds_of_tflm_and_the_fusion_is_what_brings_resnet_there() -> None:
    """At most two thirds of TFLM's total on every model. ResNet-8 gets there
    by its first residual ADD fused into its convolution: unfused, three
    16 KiB activations are alive at once (the skip tensor, the convolution's
    input and its output) plus the im2col column."""
    for name, (total, _head, ours_m4, ours_m55) in EXPECTED.items():
        assert max(ours_m4, ours_m55) <= total * 2 / 3, name
    plan = load(mlperf_tiny.built("ic01")).plan
    fused, unfused = plan_arena(plan, "cortex-m4"), plan_arena(plan, "cortex-m4", fuse=False)
    assert [(f.conv, f.add, f.band_bytes) for f in fused.fusions] == [(2, 3, 32 * 16)]
    assert unfused.fusions == () and unfused.arena_bytes == 3 * 16384 + 576
