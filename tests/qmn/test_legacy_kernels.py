"""The legacy q7 kernels against the numpy transcription of the q7 arithmetic
(tests/qmn/q7_reference.py), their historical constraints and statuses, and
the wrappers' validation."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pycmsisnn._ffi import build
from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import legacy_q7 as k
from pycmsisnn.kernels import lookup
from pycmsisnn.kernels._base import ffi, lib, ptr
from tests.qmn import q7_reference as ref

CONVS = {
    "basic": k.arm_convolve_HWC_q7_basic,
    "fast": k.arm_convolve_HWC_q7_fast,
    "RGB": k.arm_convolve_HWC_q7_RGB,
}


def _ints(rng: np.random.Generator, shape: tuple[int, ...] | int) -> np.ndarray:
    return rng.integers(-128, 128, size=shape, dtype=np.int8)


def _out_dim(dim: int, k_: int, pad: int, stride: int) -> int:
    """TFLite-like output size for a window geometry (the last window starts inside the image)."""
    return (dim + 2 * pad - k_) // stride + 1


# (dim_in, ch_in, ch_out, kernel, padding, stride, bias_shift, out_shift)
CONV_CASES = [
    (5, 4, 2, 3, 1, 1, 3, 9),
    (6, 4, 6, 3, 0, 2, 0, 7),
    (7, 8, 4, 5, 2, 2, 6, 11),
    (4, 4, 2, 1, 0, 1, 0, 0),
    (9, 4, 8, 3, 1, 3, 9, 10),
    (8, 12, 2, 4, 1, 2, 2, 8),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=[str(c) for c in CONV_CASES])
@pytest.mark.parametrize("variant", ["basic", "fast"])
def test_convolve_matches_reference(case: tuple[int, ...], variant: str) -> None:
    dim, ch_in, ch_out, kk, pad, stride, bs, os_ = case
    rng = np.random.default_rng(sum(case))
    x, w, b = _ints(rng, (dim, dim, ch_in)), _ints(rng, (ch_out, kk, kk, ch_in)), _ints(rng, ch_out)
    dim_out = _out_dim(dim, kk, pad, stride)
    got = CONVS[variant](x, dim, ch_in, w, ch_out, kk, pad, stride, b, bs, os_, dim_out)
    np.testing.assert_array_equal(got, ref.q7_conv(x, w, b, bs, os_, pad, stride, dim_out))


@pytest.mark.parametrize("ch_out", [1, 2, 5])
@pytest.mark.parametrize("geometry", [(8, 3, 1, 1), (9, 5, 2, 2), (6, 2, 0, 2)])
def test_convolve_rgb_and_basic_with_odd_channels(ch_out: int, geometry: tuple[int, int, int, int]) -> None:
    dim, kk, pad, stride = geometry
    rng = np.random.default_rng(ch_out * 100 + dim)
    x, w, b = _ints(rng, (dim, dim, 3)), _ints(rng, (ch_out, kk, kk, 3)), _ints(rng, ch_out)
    dim_out = _out_dim(dim, kk, pad, stride)
    expected = ref.q7_conv(x, w, b, 4, 8, pad, stride, dim_out)
    np.testing.assert_array_equal(k.arm_convolve_HWC_q7_RGB(x, dim, 3, w, ch_out, kk, pad, stride, b, 4, 8, dim_out), expected)
    np.testing.assert_array_equal(k.arm_convolve_HWC_q7_basic(x, dim, 3, w, ch_out, kk, pad, stride, b, 4, 8, dim_out), expected)


@pytest.mark.parametrize("case", [(5, 4, 3, 1, 1, 2, 8), (8, 6, 3, 1, 2, 0, 6), (7, 5, 5, 2, 2, 5, 12), (3, 1, 1, 0, 1, 0, 0)])
def test_depthwise_matches_reference(case: tuple[int, ...]) -> None:
    dim, ch, kk, pad, stride, bs, os_ = case
    rng = np.random.default_rng(sum(case) + 7)
    x, w, b = _ints(rng, (dim, dim, ch)), _ints(rng, (kk, kk, ch)), _ints(rng, ch)
    dim_out = _out_dim(dim, kk, pad, stride)
    got = k.arm_depthwise_separable_conv_HWC_q7(x, dim, ch, w, ch, kk, pad, stride, b, bs, os_, dim_out)
    np.testing.assert_array_equal(got, ref.q7_depthwise(x, w, b, bs, os_, pad, stride, dim_out))


@pytest.mark.parametrize("rows,cols", [(1, 1), (3, 5), (4, 4), (6, 7), (8, 16), (13, 33), (64, 250)])
@pytest.mark.parametrize("shifts", [(0, 0), (2, 7), (9, 10), (0, 12)])
def test_fully_connected_both_layouts(rows: int, cols: int, shifts: tuple[int, int]) -> None:
    rng = np.random.default_rng(rows * 1000 + cols)
    v, m, b = _ints(rng, cols), _ints(rng, (rows, cols)), _ints(rng, rows)
    expected = ref.q7_fc(v, m, b, *shifts)
    np.testing.assert_array_equal(k.arm_fully_connected_q7(v, m, cols, rows, shifts[0], shifts[1], b), expected)
    got = k.arm_fully_connected_q7_opt(v, k.fc_q7_opt_weights(m), cols, rows, shifts[0], shifts[1], b)
    np.testing.assert_array_equal(got, expected)


def test_fc_opt_weight_order_is_the_historical_one() -> None:
    """The 6 x 7 example of the historical documentation, element aRC = row R,
    column C (1-based), stored as listed there."""
    m = np.array([[10 * r + c for c in range(1, 8)] for r in range(1, 7)], dtype=np.int8)
    documented = [
        11, 21, 13, 23, 31, 41,
        33, 43, 12, 22, 14, 24,
        32, 42, 34, 44, 15, 25,
        35, 45, 16, 26, 36, 46,
        17, 27, 37, 47, 51, 52,
        53, 54, 55, 56, 57, 61,
        62, 63, 64, 65, 66, 67,
    ]
    np.testing.assert_array_equal(k.fc_q7_opt_weights(m), np.array(documented, dtype=np.int8))


def test_hand_worked_fully_connected() -> None:
    """Input Q0.7, weights Q0.7, bias Q2.5, output Q3.4: bias_shift 9, out_shift 10.
    x = (0.5, -0.25) = (64, -32); w = (0.75, 0.5) = (96, 64); bias 1.5 = 48.
    acc = 48 << 9 + 64*96 - 32*64 + 512 = 24576 + 6144 - 2048 + 512 = 29184;
    29184 >> 10 = 28 = 1.75 in Q3.4 (exactly 0.375 - 0.125 + 1.5)."""
    out = k.arm_fully_connected_q7(np.array([64, -32], np.int8), np.array([[96, 64]], np.int8), 2, 1, 9, 10, np.array([48], np.int8))
    assert out.tolist() == [28]
    # w = (0.75, 0.375) = (96, 48): 1.5 + 0.375 - 0.09375 = 1.78125 = 28.5 steps of Q3.4, a tie:
    # acc = 24576 + 6144 - 1536 + 512 = 29696 = 29 * 1024 -> 29 (half up)
    out = k.arm_fully_connected_q7(np.array([64, -32], np.int8), np.array([[96, 48]], np.int8), 2, 1, 9, 10, np.array([48], np.int8))
    assert out.tolist() == [29]
    out = k.arm_fully_connected_q7(np.array([1], np.int8), np.array([[-1]], np.int8), 1, 1, 0, 1, np.array([0], np.int8))
    assert out.tolist() == [0]  # -0.5 rounds half up to 0
    out = k.arm_fully_connected_q7(np.array([3], np.int8), np.array([[-1]], np.int8), 1, 1, 0, 1, np.array([0], np.int8))
    assert out.tolist() == [-1]  # -1.5 rounds half up to -1


def test_accumulator_wraps_at_32_bits() -> None:
    """bias 64 << 25 = 2^31 wraps to -2^31; then >> 31 gives -1."""
    out = k.arm_fully_connected_q7(np.array([0], np.int8), np.array([[0]], np.int8), 1, 1, 25, 31, np.array([64], np.int8))
    expected = ref.q7_fc(np.array([0], np.int8), np.array([[0]], np.int8), np.array([64], np.int8), 25, 31)
    assert out.tolist() == expected.tolist() == [-1]


@given(
    st.lists(st.integers(-128, 127), min_size=1, max_size=40),
    st.integers(0, 2**32 - 1),
    st.integers(0, 31),
    st.integers(0, 31),
)
@settings(max_examples=300, deadline=None)
def test_fc_property(values: list[int], seed: int, bias_shift: int, out_shift: int) -> None:
    rng = np.random.default_rng(seed)
    v = np.array(values, dtype=np.int8)
    rows = int(rng.integers(1, 9))
    m, b = _ints(rng, (rows, v.size)), _ints(rng, rows)
    expected = ref.q7_fc(v, m, b, bias_shift, out_shift)
    np.testing.assert_array_equal(k.arm_fully_connected_q7(v, m, v.size, rows, bias_shift, out_shift, b), expected)
    np.testing.assert_array_equal(k.arm_fully_connected_q7_opt(v, k.fc_q7_opt_weights(m), v.size, rows, bias_shift, out_shift, b), expected)


@pytest.mark.parametrize("geometry", [(4, 2, 0, 2), (5, 3, 1, 2), (7, 3, 1, 1), (6, 2, 1, 2), (9, 4, 0, 3), (2, 2, 1, 1)])
def test_pooling_matches_reference(geometry: tuple[int, int, int, int]) -> None:
    dim, kk, pad, stride = geometry
    rng = np.random.default_rng(dim * 17 + kk)
    x = _ints(rng, (dim, dim, 5))
    dim_out = _out_dim(dim, kk, pad, stride)
    before = x.copy()
    np.testing.assert_array_equal(k.arm_maxpool_q7_HWC(x, dim, 5, kk, pad, stride, dim_out), ref.q7_maxpool(x, kk, pad, stride, dim_out))
    np.testing.assert_array_equal(k.arm_avepool_q7_HWC(x, dim, 5, kk, pad, stride, dim_out), ref.q7_avepool(x, kk, pad, stride, dim_out))
    np.testing.assert_array_equal(x, before)


def test_avepool_truncates_toward_zero() -> None:
    """(-3 + -2) / 2 = -2.5 -> -2 and (3 + 2) / 2 -> 2; padding is left out of the count."""
    x = np.array([-3, -2, 3, 2], dtype=np.int8).reshape(2, 2, 1)
    assert k.arm_avepool_q7_HWC(x, 2, 1, 2, 0, 2, 1).reshape(-1).tolist() == [0]  # 0 / 4
    x = np.array([[-3, -2], [-2, -3]], dtype=np.int8).reshape(2, 2, 1)
    # a 2x2 window at (-1, -1) sees one pixel (-3); at (-1, 0) two (-3, -2) -> -2
    out = k.arm_avepool_q7_HWC(x, 2, 1, 2, 1, 1, 2)
    assert out.reshape(-1).tolist() == [-3, -2, -2, -2]


def test_softmax_hand_worked() -> None:
    """x = (0, 1, 2, 10): b = 2; weights 1, 1, 1, 2^7 (8 saturates at 7): sum 131;
    base = 2^20 // 131 = 8004; out = 8004 >> (13 + 2 - x) = 0, 0, 0, 8004 >> 5 = 250 -> 127."""
    assert k.arm_softmax_q7(np.array([0, 1, 2, 10], np.int8)).tolist() == [0, 0, 0, 127]
    # x = (5, 4, 3): b = -3; weights 2^7, 2^7, 2^6: sum 320; base 3276; shifts 5, 6, 7 -> 102, 51, 25
    assert k.arm_softmax_q7(np.array([5, 4, 3], np.int8)).tolist() == [102, 51, 25]


@given(st.lists(st.integers(-128, 127), min_size=1, max_size=300))
@settings(max_examples=200, deadline=None)
def test_softmax_property(values: list[int]) -> None:
    v = np.array(values, dtype=np.int8)
    np.testing.assert_array_equal(k.arm_softmax_q7(v), ref.q7_softmax(v))


@given(
    st.integers(1, 9), st.integers(1, 6), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3),
    st.integers(0, 12), st.integers(0, 14), st.integers(0, 2**32 - 1),
)
@settings(max_examples=80, deadline=None)
def test_convolutions_property(dim: int, ch_in: int, ch_out: int, kk: int, pad: int, stride: int, bs: int, os_: int, seed: int) -> None:
    kk = min(kk, dim + pad)
    pad = min(pad, kk - 1)
    dim_out = _out_dim(dim, kk, pad, stride)
    if dim_out < 1:
        return
    rng = np.random.default_rng(seed)
    x, w, b = _ints(rng, (dim, dim, ch_in)), _ints(rng, (ch_out, kk, kk, ch_in)), _ints(rng, ch_out)
    got = k.arm_convolve_HWC_q7_basic(x, dim, ch_in, w, ch_out, kk, pad, stride, b, bs, os_, dim_out)
    np.testing.assert_array_equal(got, ref.q7_conv(x, w, b, bs, os_, pad, stride, dim_out))
    wd, bd = _ints(rng, (kk, kk, ch_in)), _ints(rng, ch_in)
    got = k.arm_depthwise_separable_conv_HWC_q7(x, dim, ch_in, wd, ch_in, kk, pad, stride, bd, bs, os_, dim_out)
    np.testing.assert_array_equal(got, ref.q7_depthwise(x, wd, bd, bs, os_, pad, stride, dim_out))


# ------------------------------------------------------------ C statuses


def _call_conv(fn, ch_in: int, ch_out: int, bias_shift: int = 0, out_shift: int = 0) -> int:  # noqa: ANN001
    x, w = np.zeros(4 * 4 * ch_in, np.int8), np.zeros(ch_out * 9 * ch_in, np.int8)
    b, out = np.zeros(ch_out, np.int8), np.zeros(4 * 4 * ch_out, np.int8)
    buf = np.zeros(2 * ch_in * 9, np.int16)
    return int(fn(ptr(x, "int8_t"), 4, ch_in, ptr(w, "int8_t"), ch_out, 3, 1, 1, ptr(b, "int8_t"), bias_shift, out_shift,
                  ptr(out, "int8_t"), 4, ptr(buf, "int16_t"), ffi.NULL))


def test_status_values_are_the_historical_ones() -> None:
    assert (lib.ARM_MATH_SUCCESS, lib.ARM_MATH_ARGUMENT_ERROR, lib.ARM_MATH_LENGTH_ERROR, lib.ARM_MATH_SIZE_MISMATCH) == (0, -1, -2, -3)
    assert (lib.ARM_MATH_NANINF, lib.ARM_MATH_SINGULAR, lib.ARM_MATH_TEST_FAILURE) == (-4, -5, -6)


def test_size_mismatch_statuses() -> None:
    assert _call_conv(lib.arm_convolve_HWC_q7_fast, 4, 2) == lib.ARM_MATH_SUCCESS
    assert _call_conv(lib.arm_convolve_HWC_q7_fast, 6, 2) == lib.ARM_MATH_SIZE_MISMATCH
    assert _call_conv(lib.arm_convolve_HWC_q7_fast, 4, 3) == lib.ARM_MATH_SIZE_MISMATCH
    assert _call_conv(lib.arm_convolve_HWC_q7_RGB, 3, 5) == lib.ARM_MATH_SUCCESS
    assert _call_conv(lib.arm_convolve_HWC_q7_RGB, 4, 4) == lib.ARM_MATH_SIZE_MISMATCH
    assert _call_conv(lib.arm_convolve_HWC_q7_basic, 5, 3) == lib.ARM_MATH_SUCCESS
    assert _call_conv(lib.arm_depthwise_separable_conv_HWC_q7, 4, 4) == lib.ARM_MATH_SUCCESS
    assert _call_conv(lib.arm_depthwise_separable_conv_HWC_q7, 4, 2) == lib.ARM_MATH_SIZE_MISMATCH


def test_shifts_beyond_31_are_argument_errors() -> None:
    for fn in (lib.arm_convolve_HWC_q7_basic, lib.arm_depthwise_separable_conv_HWC_q7):
        assert _call_conv(fn, 4, 4, bias_shift=32) == lib.ARM_MATH_ARGUMENT_ERROR
        assert _call_conv(fn, 4, 4, out_shift=32) == lib.ARM_MATH_ARGUMENT_ERROR
    v, m, b, o, buf = (np.zeros(4, np.int8), np.zeros(8, np.int8), np.zeros(2, np.int8), np.zeros(2, np.int8), np.zeros(4, np.int16))
    for fn in (lib.arm_fully_connected_q7, lib.arm_fully_connected_q7_opt):
        args = [ptr(v, "int8_t"), ptr(m, "int8_t"), 4, 2]
        tail = [ptr(b, "int8_t"), ptr(o, "int8_t"), ptr(buf, "int16_t")]
        assert fn(*args, 0, 0, *tail) == lib.ARM_MATH_SUCCESS
        assert fn(*args, 32, 0, *tail) == lib.ARM_MATH_ARGUMENT_ERROR
        assert fn(*args, 0, 40, *tail) == lib.ARM_MATH_ARGUMENT_ERROR


def test_null_pointers_are_argument_errors() -> None:
    assert lib.arm_fully_connected_q7(ffi.NULL, ffi.NULL, 4, 2, 0, 0, ffi.NULL, ffi.NULL, ffi.NULL) == lib.ARM_MATH_ARGUMENT_ERROR
    lib.arm_maxpool_q7_HWC(ffi.NULL, 4, 1, 2, 0, 2, 2, ffi.NULL, ffi.NULL)  # returns without touching memory
    lib.arm_softmax_q7(ffi.NULL, 4, ffi.NULL)


# ------------------------------------------------------------ wrappers


def test_wrappers_are_found_by_name() -> None:
    for name in k.__all__:
        if name.startswith("arm_"):
            assert lookup(name) is getattr(k, name)


@pytest.mark.parametrize(
    "call,argument",
    [
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x.astype(np.int16), 5, 4, w, 2, 3, 1, 1, b, 0, 7, 5), "Im_in"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w[:1], 2, 3, 1, 1, b, 0, 7, 5), "wt"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 1, b[:1], 0, 7, 5), "bias"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 1, b, 32, 7, 5), "bias_shift"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 1, b, 0, -1, 5), "out_shift"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 3, 1, b, 0, 7, 5), "padding"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 1, b, 0, 7, 7), "dim_im_out"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 6, 4, w, 2, 3, 1, 1, b, 0, 7, 5), "Im_in"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 0, b, 0, 7, 5), "stride"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_basic(x, 5, 4, w, 2, 3, 1, 1.0, b, 0, 7, 5), "stride"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_fast(x[..., :3].copy(), 5, 3, w, 2, 3, 1, 1, b, 0, 7, 5), "ch_im_in"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_fast(x, 5, 4, w, 1, 3, 1, 1, b, 0, 7, 5), "ch_im_out"),
        (lambda x, w, b: k.arm_convolve_HWC_q7_RGB(x, 5, 4, w, 2, 3, 1, 1, b, 0, 7, 5), "ch_im_in"),
        (lambda x, w, b: k.arm_depthwise_separable_conv_HWC_q7(x, 5, 4, w, 2, 3, 1, 1, b, 0, 7, 5), "ch_im_out"),
        (lambda x, w, b: k.arm_fully_connected_q7(x.reshape(-1)[:9], w.reshape(-1)[:20], 10, 2, 0, 7, b), "pV"),
        (lambda x, w, b: k.arm_fully_connected_q7(x.reshape(-1)[:10], w.reshape(-1)[:19], 10, 2, 0, 7, b), "pM"),
        (lambda x, w, b: k.arm_maxpool_q7_HWC(x, 5, 4, 2, 2, 2, 3), "padding"),
        (lambda x, w, b: k.arm_avepool_q7_HWC(x.reshape(1, 5, 5, 4).repeat(2, 0), 5, 4, 2, 0, 2, 2), "Im_in"),
        (lambda x, w, b: k.arm_softmax_q7(x.reshape(-1)[:8], 9), "vec_in"),
    ],
)
def test_wrapper_validation(call, argument: str) -> None:  # noqa: ANN001
    rng = np.random.default_rng(0)
    x, w, b = _ints(rng, (5, 5, 4)), _ints(rng, (2, 3, 3, 4)), _ints(rng, 2)
    with pytest.raises(ArgError, match=rf"^arm_\w+: {argument}: "):
        call(x, w, b)


def test_header_types_yield_to_cmsis_dsp() -> None:
    """With CMSIS-DSP's arm_math_types.h seen first, the header does not
    redefine q7_t, q15_t or arm_status."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    assert gcc
    src = Path(build.CSRC) / "Include"
    code = (
        "#include <stdint.h>\n#define _ARM_MATH_TYPES_H_\n"
        "typedef int8_t q7_t; typedef int16_t q15_t;\n"
        "typedef enum { ARM_MATH_SUCCESS = 0, ARM_MATH_SIZE_MISMATCH = -3 } arm_status;\n"
        '#include "pycmsisnn_legacy_q7.h"\n#include "arm_nnfunctions.h"\n'
        "arm_status f(void); arm_status f(void) { return ARM_MATH_SIZE_MISMATCH; }\n"
    )
    proc = subprocess.run([gcc, "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I", str(src), "-x", "c", "-"],
                          input=code, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
