"""The DSP and MVE code paths of arm_elementwise_add_s16,
arm_elementwise_mul_s16 and arm_avgpool_s16, on the cores that compile them:
one hand-written kernel call per case (the second ADD/MUL input a constant in
the project), built with our library for Cortex-M4 and M33 (DSP) and M55
(MVE), run under QEMU and compared exactly with the host build of the same
kernel (the portable C, exact against TensorFlow Lite Micro in
tests/kernels/test_s16.py), called through cffi so that parameters the Python
wrappers refuse (positive shifts) are covered too.

The cases hit every block and tail of those paths:
- ADD: lengths 1, 3, 7, 13, 37 and 1003 (MVE: two vectors of 4, one, a
  predicated tail of 1-3), TFLite's left shift 15 with input and output
  shifts negative (the usual loop), input shifts 0 (equal scales), a positive
  output shift (the output left shift), a narrowed clamp and a saturating
  one, multipliers at both ends of their range, a multiplier of INT32_MIN (the
  portable fallback), and every int16 value once with multipliers of 2^30
  (every rounding meets ties);
- MUL: lengths 1, 5, 8, 15, 33 and 1003 (MVE: vectors of 8 and a predicated
  tail of 1-7), output shifts -14, -25, 0 and +2, narrowed and saturating
  clamps, extreme inputs (-32768 * -32768), and every int16 value once with
  a multiplier of 2^30 (ties);
- average pooling: 1-35 channels (MVE 16-channel blocks and 4-channel tails;
  DSP 8-channel blocks and 1-7 leftovers), KWS's 25x5 and ResNet's 8x8
  windows over 64 channels, padding clipping windows on every side, stride
  2, batch 2, a narrowed clamp, and values at both int16 ends (ties of the
  rounding half away from zero).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import targets
from pycmsisnn._lib import ffi, lib
from pycmsisnn.library_files import CSRC

from ..support.s16_layers import NAME, SCRATCH_BYTES, _array, _dims, header

CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]
INT32_MIN = -(1 << 31)


@dataclass(frozen=True)
class Ew:
    """One arm_elementwise_add_s16 (shifts 1, 2, out) or _mul_s16 (out only) call."""

    name: str
    kind: str  # "add" or "mul"
    n: int
    out_shift: int
    in_shifts: tuple[int, int] = (-1, -2)
    mults: tuple[int, int, int] = (0, 0, 0)  # 0: random in [2^30, 2^31)
    act: tuple[int, int] = (-32768, 32767)
    x_range: int = 32768


@dataclass(frozen=True)
class Pool:
    """One arm_avgpool_s16 call."""

    name: str
    in_hwc: tuple[int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    pad: tuple[int, int] = (0, 0)
    batches: int = 1
    act: tuple[int, int] = (-32768, 32767)
    extremes: bool = False  # inputs at the int16 ends only

    def out_hw(self) -> tuple[int, int]:
        h, w, _ = self.in_hwc
        return ((h + 2 * self.pad[0] - self.kernel[0]) // self.stride[0] + 1,
                (w + 2 * self.pad[1] - self.kernel[1]) // self.stride[1] + 1)


EW_CASES = [
    Ew("add-n1", "add", 1, -16),
    Ew("add-n3", "add", 3, -16),
    Ew("add-n7", "add", 7, -16, (-3, -1)),
    Ew("add-n13-equal-scales", "add", 13, -16, (0, 0), (1 << 30, 1 << 30, 0)),
    Ew("add-n37-out-shift-positive", "add", 37, 2, (-12, -13), x_range=300),
    Ew("add-n1003", "add", 1003, -15),
    Ew("add-n37-narrow-clamp", "add", 37, -15, act=(-3000, 5000)),
    Ew("add-n21-saturating", "add", 21, -12),
    Ew("add-n19-mult-extremes", "add", 19, -16, (-1, 0), ((1 << 31) - 1, 1 << 30, (1 << 31) - 1)),
    Ew("add-n11-mult-int32-min", "add", 11, -17, (-1, -1), (INT32_MIN, 1 << 30, 0)),
    Ew("add-all-int16-ties", "add", 65536, -16, (-1, -2), (1 << 30, 1 << 30, 1 << 30)),
    Ew("mul-n1", "mul", 1, -14),
    Ew("mul-n5", "mul", 5, -14),
    Ew("mul-n8", "mul", 8, -15),
    Ew("mul-n15-shift-25", "mul", 15, -25, x_range=32768),
    Ew("mul-n33-shift-0", "mul", 33, 0, x_range=180),
    Ew("mul-n1003-narrow-clamp", "mul", 1003, -15, act=(-2000, 7000)),
    Ew("mul-n17-shift-positive", "mul", 17, 2, x_range=60),
    Ew("mul-n23-saturating", "mul", 23, -13),
    Ew("mul-all-int16-ties", "mul", 65536, -15, mults=(0, 0, 1 << 30)),
]

POOL_CASES = [
    Pool("pool-kws-25x5-c64", (25, 5, 64), (25, 5)),
    Pool("pool-resnet-8x8-c64", (8, 8, 64), (8, 8)),
    Pool("pool-3x3-pad-c1", (5, 6, 1), (3, 3), pad=(1, 1)),
    Pool("pool-3x3-pad-c3-s2", (7, 7, 3), (3, 3), (2, 2), (1, 1)),
    Pool("pool-2x2-c7-batch2", (4, 6, 7), (2, 2), (2, 2), batches=2),
    Pool("pool-3x2-c9-clamp", (5, 5, 9), (3, 2), (1, 2), (1, 0), act=(-1000, 1500)),
    Pool("pool-4x4-c13-pad2", (6, 5, 13), (4, 4), pad=(2, 2)),
    Pool("pool-2x3-c19-extremes", (4, 7, 19), (2, 3), (1, 2), (0, 1), extremes=True),
    Pool("pool-3x3-c35", (4, 4, 35), (3, 3), pad=(1, 1)),
    Pool("pool-5x5-c20-extremes", (5, 5, 20), (5, 5), pad=(2, 2), extremes=True),
]


def _ew_data(case: Ew, seed: int) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int]]:
    rng = np.random.default_rng(seed)
    x1 = rng.integers(-case.x_range, case.x_range, size=case.n).astype(np.int16)
    x2 = rng.integers(-case.x_range, case.x_range, size=case.n).astype(np.int16)
    if case.n == 65536:  # every int16 value against every other, shuffled
        x1 = np.arange(-32768, 32768).astype(np.int16)
        x2 = rng.permutation(x1)
    elif case.n >= 4:  # the int16 ends
        x1[:2], x2[:2] = (-32768, 32767), (-32768, -32768)
    mults = tuple(m or int(rng.integers(1 << 30, 1 << 31)) for m in case.mults)
    return x1, x2, mults  # type: ignore[return-value]


def _ew_host(case: Ew, x1: np.ndarray, x2: np.ndarray, mults: tuple[int, int, int]) -> np.ndarray:
    out = np.empty(case.n, dtype=np.int16)
    a, b, o = (ffi.from_buffer("int16_t[]", v) for v in (x1, x2, out))
    lo, hi = case.act
    if case.kind == "add":
        s = lib.arm_elementwise_add_s16(a, b, 0, mults[0], case.in_shifts[0], 0, mults[1], case.in_shifts[1], 15,
                                        o, 0, mults[2], case.out_shift, lo, hi, case.n)
    else:
        s = lib.arm_elementwise_mul_s16(a, b, 0, 0, o, 0, mults[2], case.out_shift, lo, hi, case.n)
    assert s == 0
    return out


def _ew_source(case: Ew, x2: np.ndarray, mults: tuple[int, int, int]) -> str:
    lo, hi = case.act
    if case.kind == "add":
        call = (f"arm_elementwise_add_s16(inputs[0], in2, 0, {mults[0]}, {case.in_shifts[0]}, 0, {mults[1]}, "
                f"{case.in_shifts[1]}, 15, outputs[0], 0, {mults[2]}, {case.out_shift}, {lo}, {hi}, {case.n})")
    else:
        call = f"arm_elementwise_mul_s16(inputs[0], in2, 0, 0, outputs[0], 0, {mults[2]}, {case.out_shift}, {lo}, {hi}, {case.n})"
    return "".join([
        "#include \"arm_nnfunctions.h\"\n", f"#include \"{NAME}.h\"\n", _array("int16_t", "in2", x2),
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        f"    const arm_cmsis_nn_status s = {call.replace(str(INT32_MIN), '(int32_t)0x80000000')};\n",
        "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n",
    ])


def _pool_shapes(case: Pool) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    h, w, c = case.in_hwc
    oh, ow = case.out_hw()
    return (case.batches, h, w, c), (case.batches, oh, ow, c)


def _pool_data(case: Pool, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ins, _ = _pool_shapes(case)
    if case.extremes:
        return rng.choice(np.array([-32768, -32767, 32767, 32766, 0, 1, -1], dtype=np.int16), size=ins)
    return rng.integers(-32768, 32768, size=ins).astype(np.int16)


def _pool_host(case: Pool, x: np.ndarray) -> np.ndarray:
    _, outs = _pool_shapes(case)
    out = np.empty(outs, dtype=np.int16)
    pp = ffi.new("cmsis_nn_pool_params *", {
        "stride": {"w": case.stride[1], "h": case.stride[0]}, "padding": {"w": case.pad[1], "h": case.pad[0]},
        "activation": {"min": case.act[0], "max": case.act[1]},
    })
    ctx = ffi.new("cmsis_nn_context *", {"buf": ffi.NULL, "size": 0})
    dims = [ffi.new("cmsis_nn_dims *", dict(zip("nhwc", d))) for d in (x.shape, (1, *case.kernel, 1), outs)]
    s = lib.arm_avgpool_s16(ctx, pp, dims[0], ffi.from_buffer("int16_t[]", x), dims[1], dims[2],
                            ffi.from_buffer("int16_t[]", out))
    assert s == 0
    return out


def _pool_source(case: Pool) -> str:
    ins, outs = _pool_shapes(case)
    c = case.in_hwc[2]
    return "".join([
        "#include \"arm_nnfunctions.h\"\n", f"#include \"{NAME}.h\"\n",
        f"static int16_t scratch[{SCRATCH_BYTES // 2}] __attribute__((aligned(16)));\n",
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        f"    const cmsis_nn_dims input_dims = {_dims(ins)};\n",
        f"    const cmsis_nn_dims output_dims = {_dims(outs)};\n",
        f"    const cmsis_nn_dims filter_dims = {{1, {case.kernel[0]}, {case.kernel[1]}, 1}};\n",
        f"    const cmsis_nn_pool_params p = {{{{{case.stride[1]}, {case.stride[0]}}}, "
        f"{{{case.pad[1]}, {case.pad[0]}}}, {{{case.act[0]}, {case.act[1]}}}}};\n",
        f"    cmsis_nn_context ctx = {{scratch, arm_avgpool_s16_get_buffer_size({outs[2]}, {c})}};\n",
        "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
        "    const arm_cmsis_nn_status s = arm_avgpool_s16(&ctx, &p, &input_dims, inputs[0], &filter_dims, "
        "&output_dims, outputs[0]);\n",
        "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n",
    ])


def _run(core: str, x: np.ndarray, out_shape: tuple[int, ...], source: str) -> np.ndarray:
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-s16ew-") as tmp:
        d = Path(tmp)
        (d / f"{NAME}.h").write_text(header(tuple(x.shape), out_shape))
        (d / f"{NAME}.c").write_text(source)
        result = targets.run_project(d, NAME, core, [x], cmsis_nn=CSRC, count_instructions=False)
    result.check()
    return np.asarray(result.outputs[0]).reshape(out_shape)


def _assert_same(name: str, core: str, got: np.ndarray, expected: np.ndarray) -> None:
    diff = np.flatnonzero(got.reshape(-1) != expected.reshape(-1))
    assert diff.size == 0, f"{name} on {core}: {diff.size} of {expected.size} differ, first {diff[:8].tolist()}"


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("case", EW_CASES, ids=[c.name for c in EW_CASES])
def test_s16_elementwise_path_matches_host(case: Ew, core: str) -> None:
    x1, x2, mults = _ew_data(case, seed=len(case.name))
    expected = _ew_host(case, x1, x2, mults)
    # the outputs spread over the clamp range: a wrong path cannot pass by saturating
    assert len(np.unique(expected)) > min(case.n // 2, 8) or case.n < 8, f"{case.name}: degenerate outputs"
    _assert_same(case.name, core, _run(core, x1, (case.n,), _ew_source(case, x2, mults)), expected)


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("case", POOL_CASES, ids=[c.name for c in POOL_CASES])
def test_s16_avgpool_path_matches_host(case: Pool, core: str) -> None:
    x = _pool_data(case, seed=len(case.name))
    expected = _pool_host(case, x)
    assert len(np.unique(expected)) > min(expected.size // 2, 8), f"{case.name}: degenerate outputs"
    _, outs = _pool_shapes(case)
    _assert_same(case.name, core, _run(core, x, outs, _pool_source(case)), expected)
