"""int16 (16x8) kernels other than convolution: fully connected, pooling,
elementwise add and mul, softmax, ReLU.

16x8 tensors are symmetric (zero point 0): activations int16, weights int8,
fully-connected bias int64. Every wrapper validates its arguments before any
C runs (``ArgError`` naming the kernel and the argument), sizes scratch with
the kernel's own size function and returns a new output array.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import Activation, AddParams, BmmParams, FcParams, MulParams, PerTensorQuant, PoolParams
from ._base import (
    DIM_MAX,
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    SHIFT_MIN,
    c_fc_params,
    c_per_tensor,
    c_pool_params,
    check_activation,
    check_array,
    check_int,
    check_multiplier,
    check_per_tensor,
    check_shape4,
    check_shift,
    check_tile,
    context,
    dims,
    fail,
    ffi,
    invoke,
    keep_alive,
    lib,
    ptr,
    Shape4,
)
from ._window import check_window_axis

__all__ = [
    "arm_fully_connected_s16",
    "arm_fully_connected_s16_get_buffer_size",
    "arm_fully_connected_s16_get_buffer_size_dsp",
    "arm_fully_connected_s16_get_buffer_size_mve",
    "arm_vector_sum_s8_s64",
    "arm_batch_matmul_s16",
    "arm_avgpool_s16",
    "arm_avgpool_s16_get_buffer_size",
    "arm_avgpool_s16_get_buffer_size_dsp",
    "arm_avgpool_s16_get_buffer_size_mve",
    "arm_max_pool_s16",
    "arm_elementwise_add_s16",
    "arm_elementwise_mul_s16",
    "arm_softmax_s16",
    "arm_relu_q15",
    "arm_nn_activation_s16",
]

FC_S16_SHIFT_MAX = 14  # the kernel shifts the int64 product right by 15 - shift
SOFTMAX_S16_LUT_SIZE = 513
ADD_S16_LEFT_SHIFT_MAX = 16  # 32768 << 16 = 2^31: still an int32 after wrapping
UINT16_MAX = 0xFFFF


def _held(arr: Any) -> Any:
    """``arr`` C-contiguous, in a local the caller keeps until the C call
    returns: ``ptr`` would make a copy that nothing holds (the cast pointer
    does not own it) outside a recording, so the wrappers copy first."""
    return None if arr is None else np.ascontiguousarray(arr)


def _check_zero(kernel: str, name: str, value: Any) -> None:
    """An offset the s16 kernels ignore: only 0 is meaningful (symmetric int16)."""
    check_int(kernel, name, value, 0, 0)


# ----------------------------------------------------------- fully connected


def _fc_dims(batches: int, depth: int, out_ch: int) -> tuple[Any, Any, Any, Any]:
    return (
        dims((batches, 1, 1, depth)),
        dims((depth, 1, 1, out_ch)),
        dims((1, 1, 1, out_ch)),
        dims((batches, 1, 1, out_ch)),
    )


def arm_fully_connected_s16(
    fc_params: FcParams,
    quant_params: PerTensorQuant,
    input: np.ndarray,  # noqa: A002 - the C argument's name
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
) -> np.ndarray:
    """16x8 fully connected: ``out[b, o] = clamp(rq64(bias[o] + sum_d input[b, d]
    * filter[o, d]))`` with ``rq64`` TFLite's int64 requantisation (multiplier
    reduced to Q15). ``input`` [batches, depth] int16, ``filter`` [C_OUT, depth]
    int8, ``bias`` [C_OUT] int64 or None; offsets must be 0, the clamp within
    int16. Returns the new [batches, C_OUT] int16 output."""
    kernel = "arm_fully_connected_s16"
    if not isinstance(fc_params, FcParams):
        raise fail(kernel, "fc_params", f"must be an FcParams, got {type(fc_params).__name__}")
    _check_zero(kernel, "fc_params.input_offset", fc_params.input_offset)
    _check_zero(kernel, "fc_params.filter_offset", fc_params.filter_offset)
    _check_zero(kernel, "fc_params.output_offset", fc_params.output_offset)
    check_activation(kernel, "fc_params.activation", fc_params.activation, INT16_MIN, INT16_MAX)
    check_per_tensor(kernel, "quant_params", quant_params)
    check_int(kernel, "quant_params.shift", quant_params.shift, SHIFT_MIN, FC_S16_SHIFT_MAX)
    x = check_array(kernel, "input", input, np.int16, 2)
    w = check_array(kernel, "filter", filter, np.int8, 2)
    batches, depth = x.shape
    out_ch, w_depth = w.shape
    if w_depth != depth:
        raise fail(kernel, "filter", f"depth {w_depth} differs from the input's {depth}")
    b = None
    if bias is not None:
        b = check_array(kernel, "bias", bias, np.int64, 1)
        if b.shape[0] != out_ch:
            raise fail(kernel, "bias", f"has {b.shape[0]} entries, expected {out_ch} (output channels)")
    x, w, b = _held(x), _held(w), _held(b)
    out = np.empty((batches, out_ch), dtype=np.int16)
    in_d, w_d, b_d, out_d = _fc_dims(batches, depth, out_ch)
    ctx, _buf = context(lib.arm_fully_connected_s16_get_buffer_size(w_d))
    return invoke(
        kernel,
        lib.arm_fully_connected_s16,
        ctx,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        c_per_tensor(quant_params),
        in_d,
        ptr(x, "int16_t"),
        w_d,
        ptr(w, "int8_t"),
        b_d,
        ptr(b, "int64_t"),
        out_d,
        ptr(out, "int16_t"),
        output=out,
    )


def _fc_size(kernel: str, fn: Callable[..., int], filter_shape: Sequence[int]) -> int:
    if isinstance(filter_shape, (str, bytes)) or not isinstance(filter_shape, Sequence) or len(filter_shape) != 2:
        raise fail(kernel, "filter_shape", f"must be (C_OUT, depth), got {filter_shape!r}")
    out_ch = check_int(kernel, "filter_shape[0]", filter_shape[0], 1, DIM_MAX)
    depth = check_int(kernel, "filter_shape[1]", filter_shape[1], 1, INT32_MAX)
    return int(fn(dims((depth, 1, 1, out_ch))))


def arm_fully_connected_s16_get_buffer_size(filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_fully_connected_s16`` needs on this build, for a (C_OUT, depth) filter."""
    return _fc_size("arm_fully_connected_s16_get_buffer_size", lib.arm_fully_connected_s16_get_buffer_size, filter_shape)


def arm_fully_connected_s16_get_buffer_size_dsp(filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_fully_connected_s16`` needs on a DSP build."""
    return _fc_size("arm_fully_connected_s16_get_buffer_size_dsp", lib.arm_fully_connected_s16_get_buffer_size_dsp, filter_shape)


def arm_fully_connected_s16_get_buffer_size_mve(filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_fully_connected_s16`` needs on an MVE build."""
    return _fc_size("arm_fully_connected_s16_get_buffer_size_mve", lib.arm_fully_connected_s16_get_buffer_size_mve, filter_shape)


def arm_vector_sum_s8_s64(vector_data: np.ndarray, lhs_offset: int, bias: np.ndarray | None = None) -> np.ndarray:
    """Per row r of the int8 [rows, cols] matrix: ``lhs_offset * sum(row) (+ bias[r])``
    as int64 (``bias`` int64 [rows] or None)."""
    kernel = "arm_vector_sum_s8_s64"
    m = check_array(kernel, "vector_data", vector_data, np.int8, 2)
    off = check_int(kernel, "lhs_offset", lhs_offset, -(2**31), INT32_MAX)
    rows, cols = m.shape
    b = None
    if bias is not None:
        b = check_array(kernel, "bias", bias, np.int64, 1)
        if b.shape[0] != rows:
            raise fail(kernel, "bias", f"has {b.shape[0]} entries, expected {rows} (rows)")
    m, b = _held(m), _held(b)
    out = np.empty(rows, dtype=np.int64)
    return invoke(
        kernel, lib.arm_vector_sum_s8_s64, ptr(out, "int64_t"), cols, rows, ptr(m, "int8_t"), off, ptr(b, "int64_t"), output=out
    )


def _dims4(shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    full = (1,) * (4 - len(shape)) + tuple(shape)
    return full[0], full[1], full[2], full[3]


BMM_S16_DEPTH_MAX = 1 << 17  # 2^17 products of 2^30 stay below 2^47 (TFLite's int64 bound)


def arm_batch_matmul_s16(bmm_params: BmmParams, quant_params: PerTensorQuant, lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """TFLite BATCH_MATMUL, int16: ``out[..., i, j] = clamp(rq64(sum_k L[..., i, k]
    * R[..., k, j]))`` where ``L`` is ``lhs`` (transposed in its last two dims when
    ``adj_x``) and ``R`` is ``rhs`` (transposed when ``adj_y``), batch dims
    broadcast. int16 operands of 2 to 4 dims in TFLite layout, offsets 0;
    returns the new int16 output of shape ``[..., M, N]``."""
    kernel = "arm_batch_matmul_s16"
    if not isinstance(bmm_params, BmmParams):
        raise fail(kernel, "bmm_params", f"must be a BmmParams, got {type(bmm_params).__name__}")
    for flag in ("adj_x", "adj_y"):
        if not isinstance(getattr(bmm_params, flag), (bool, np.bool_)):
            raise fail(kernel, f"bmm_params.{flag}", f"must be a bool, got {type(getattr(bmm_params, flag)).__name__}")
    fc = bmm_params.fc_params
    if not isinstance(fc, FcParams):
        raise fail(kernel, "bmm_params.fc_params", f"must be an FcParams, got {type(fc).__name__}")
    for name in ("input_offset", "filter_offset", "output_offset"):
        _check_zero(kernel, f"bmm_params.fc_params.{name}", getattr(fc, name))
    check_activation(kernel, "bmm_params.fc_params.activation", fc.activation, INT16_MIN, INT16_MAX)
    check_per_tensor(kernel, "quant_params", quant_params)
    check_int(kernel, "quant_params.shift", quant_params.shift, SHIFT_MIN, FC_S16_SHIFT_MAX)
    a = check_array(kernel, "lhs", lhs, np.int16, (2, 3, 4))
    b = check_array(kernel, "rhs", rhs, np.int16, (2, 3, 4))
    a_mk = _held(np.swapaxes(a, -1, -2) if bmm_params.adj_x else a)
    b_nk = _held(b if bmm_params.adj_y else np.swapaxes(b, -1, -2))
    ln, lh, m, k = _dims4(a_mk.shape)
    rn, rh, n, rk = _dims4(b_nk.shape)
    if rk != k:
        raise fail(kernel, "rhs", f"accumulation depth {rk} (shape {b.shape}) does not match lhs depth {k} (shape {a.shape})")
    if k > BMM_S16_DEPTH_MAX:
        raise fail(kernel, "lhs", f"depth {k} above {BMM_S16_DEPTH_MAX} could overflow the requantisation")
    batch: list[int] = []
    for x, y in ((ln, rn), (lh, rh)):
        if x != y and x != 1 and y != 1:
            raise fail(kernel, "rhs", f"batch dims of shape {b.shape} do not broadcast against lhs shape {a.shape}")
        batch.append(max(x, y))
    rank = max(a.ndim, b.ndim)
    out_shape = (tuple(batch)[4 - rank :] if rank > 2 else ()) + (m, n)
    out = np.empty(out_shape, dtype=np.int16)
    out_d = dims((batch[0], batch[1], m, n))
    bmm = ffi.new(
        "cmsis_nn_bmm_params *",
        {"adj_x": bool(bmm_params.adj_x), "adj_y": bool(bmm_params.adj_y), "fc_params": c_fc_params(fc)},
    )
    ctx, _buf = context(0)
    return invoke(
        kernel,
        lib.arm_batch_matmul_s16,
        ctx,
        bmm,
        c_per_tensor(quant_params),
        dims((ln, lh, m, k)),
        ptr(a_mk, "int16_t"),
        dims((rn, rh, n, k)),
        ptr(b_nk, "int16_t"),
        out_d,
        ptr(out, "int16_t"),
        output=out,
    )


# ------------------------------------------------------------------ pooling


def _check_pool_call(
    kernel: str, p: Any, input: Any, filter_hw: Any, output_shape: Sequence[int]  # noqa: A002
) -> tuple[np.ndarray, tuple[int, int], Shape4]:
    if not isinstance(p, PoolParams):
        raise fail(kernel, "pool_params", f"must be a PoolParams, got {type(p).__name__}")
    check_tile(kernel, "pool_params.stride", p.stride, 1)
    check_tile(kernel, "pool_params.padding", p.padding, 0)
    check_activation(kernel, "pool_params.activation", p.activation, INT16_MIN, INT16_MAX)
    x = check_array(kernel, "input", input, np.int16, 4)
    if not isinstance(filter_hw, (tuple, list)) or len(filter_hw) != 2:
        raise fail(kernel, "filter_hw", f"must be a (height, width) pair, got {filter_hw!r}")
    fh = check_int(kernel, "filter_hw[0]", filter_hw[0], 1, DIM_MAX)
    fw = check_int(kernel, "filter_hw[1]", filter_hw[1], 1, DIM_MAX)
    out_shape = check_shape4(kernel, "output_shape", output_shape)
    n, in_h, in_w, c = x.shape
    if out_shape[0] != n:
        raise fail(kernel, "output_shape[0]", f"batch {out_shape[0]} differs from the input's {n}")
    if out_shape[3] != c:
        raise fail(kernel, "output_shape[3]", f"{out_shape[3]} channels differ from the input's {c}")
    check_window_axis(kernel, "pool_params", "h", in_h, out_shape[1], fh, p.stride.h, p.padding.h)
    check_window_axis(kernel, "pool_params", "w", in_w, out_shape[2], fw, p.stride.w, p.padding.w)
    if int(np.prod(out_shape)) > INT32_MAX or fh * fw > 65536:
        raise fail(kernel, "filter_hw", f"window {fh}x{fw} or output {out_shape} too large")
    return x, (fh, fw), out_shape


def _pool(kernel: str, fn: Callable[..., int], scratch: int, p: PoolParams, x: np.ndarray, window: tuple[int, int], out_shape: Shape4) -> np.ndarray:
    x = _held(x)
    out = np.empty(out_shape, dtype=np.int16)
    ctx, _buf = context(scratch)
    return invoke(
        kernel,
        fn,
        ctx,
        c_pool_params(p),
        dims(x.shape),
        ptr(x, "int16_t"),
        dims((1, window[0], window[1], 1)),
        dims(out_shape),
        ptr(out, "int16_t"),
        output=out,
    )


def arm_avgpool_s16(pool_params: PoolParams, input: np.ndarray, filter_hw: tuple[int, int], output_shape: Sequence[int]) -> np.ndarray:  # noqa: A002
    """int16 average pooling over ``filter_hw`` windows clipped to the input
    (padding excluded from the count, rounding half away from zero), clamped."""
    kernel = "arm_avgpool_s16"
    x, window, out_shape = _check_pool_call(kernel, pool_params, input, filter_hw, output_shape)
    scratch = arm_avgpool_s16_get_buffer_size(out_shape[2], out_shape[3])
    return _pool(kernel, lib.arm_avgpool_s16, scratch, pool_params, x, window, out_shape)


def arm_max_pool_s16(pool_params: PoolParams, input: np.ndarray, filter_hw: tuple[int, int], output_shape: Sequence[int]) -> np.ndarray:  # noqa: A002
    """int16 max pooling over ``filter_hw`` windows clipped to the input, clamped."""
    kernel = "arm_max_pool_s16"
    x, window, out_shape = _check_pool_call(kernel, pool_params, input, filter_hw, output_shape)
    return _pool(kernel, lib.arm_max_pool_s16, 0, pool_params, x, window, out_shape)


def _pool_size(kernel: str, fn: Callable[..., int], dim_dst_width: int, ch_src: int) -> int:
    w = check_int(kernel, "dim_dst_width", dim_dst_width, 1, DIM_MAX)
    c = check_int(kernel, "ch_src", ch_src, 1, DIM_MAX)
    return int(fn(w, c))


def arm_avgpool_s16_get_buffer_size(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s16`` needs on this build."""
    return _pool_size("arm_avgpool_s16_get_buffer_size", lib.arm_avgpool_s16_get_buffer_size, dim_dst_width, ch_src)


def arm_avgpool_s16_get_buffer_size_dsp(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s16`` needs on a DSP build."""
    return _pool_size("arm_avgpool_s16_get_buffer_size_dsp", lib.arm_avgpool_s16_get_buffer_size_dsp, dim_dst_width, ch_src)


def arm_avgpool_s16_get_buffer_size_mve(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s16`` needs on an MVE build."""
    return _pool_size("arm_avgpool_s16_get_buffer_size_mve", lib.arm_avgpool_s16_get_buffer_size_mve, dim_dst_width, ch_src)


# --------------------------------------------------------------- elementwise


def _pair_s16(kernel: str, input_1: Any, input_2: Any) -> tuple[np.ndarray, np.ndarray]:
    a = check_array(kernel, "input_1", input_1, np.int16)
    b = check_array(kernel, "input_2", input_2, np.int16)
    if a.shape != b.shape:
        raise fail(kernel, "input_2", f"shape {b.shape} differs from input_1's {a.shape} (no broadcasting)")
    if a.size > INT32_MAX:
        raise fail(kernel, "input_1", f"{a.size} elements do not fit the int32 block_size")
    return _held(a), _held(b)


def _clamp_s16(kernel: str, lo: Any, hi: Any) -> Activation:
    a = check_int(kernel, "params.out_activation_min", lo, INT16_MIN, INT16_MAX)
    b = check_int(kernel, "params.out_activation_max", hi, INT16_MIN, INT16_MAX)
    if a > b:
        raise fail(kernel, "params.out_activation_min", f"{a} is above out_activation_max {b}")
    return Activation(a, b)


def _shift_down(kernel: str, name: str, value: Any) -> int:
    return check_int(kernel, name, check_shift(kernel, name, value), SHIFT_MIN, 0)


def arm_elementwise_add_s16(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised int16 ADD of two equal-shape arrays: ``clamp(rq(rq(x1 << ls, m1, s1)
    + rq(x2 << ls, m2, s2), mo, so))``; offsets must be 0, shifts <= 0."""
    k = "arm_elementwise_add_s16"
    a, b = _pair_s16(k, input_1, input_2)
    if not isinstance(params, AddParams):
        raise fail(k, "params", f"must be an AddParams, got {type(params).__name__}")
    for name in ("input_1_offset", "input_2_offset", "out_offset"):
        _check_zero(k, f"params.{name}", getattr(params, name))
    m1 = check_multiplier(k, "params.input_1_mult", params.input_1_mult)
    m2 = check_multiplier(k, "params.input_2_mult", params.input_2_mult)
    mo = check_multiplier(k, "params.out_mult", params.out_mult)
    s1 = _shift_down(k, "params.input_1_shift", params.input_1_shift)
    s2 = _shift_down(k, "params.input_2_shift", params.input_2_shift)
    so = _shift_down(k, "params.out_shift", params.out_shift)
    ls = check_int(k, "params.left_shift", params.left_shift, 0, ADD_S16_LEFT_SHIFT_MAX - 1)
    act = _clamp_s16(k, params.out_activation_min, params.out_activation_max)
    out = np.empty(a.shape, dtype=np.int16)
    return invoke(
        k, lib.arm_elementwise_add_s16,
        ptr(a, "int16_t"), ptr(b, "int16_t"), 0, m1, s1, 0, m2, s2, ls,
        ptr(out, "int16_t"), 0, mo, so, act.min, act.max, int(a.size),
        output=out,
    )


def arm_elementwise_mul_s16(input_1: np.ndarray, input_2: np.ndarray, params: MulParams) -> np.ndarray:
    """Quantised int16 MUL of two equal-shape arrays: ``clamp(rq(x1 * x2, m, s))``;
    offsets must be 0."""
    k = "arm_elementwise_mul_s16"
    a, b = _pair_s16(k, input_1, input_2)
    if not isinstance(params, MulParams):
        raise fail(k, "params", f"must be a MulParams, got {type(params).__name__}")
    for name in ("input_1_offset", "input_2_offset", "out_offset"):
        _check_zero(k, f"params.{name}", getattr(params, name))
    m = check_multiplier(k, "params.out_mult", params.out_mult)
    s = check_shift(k, "params.out_shift", params.out_shift)
    act = _clamp_s16(k, params.out_activation_min, params.out_activation_max)
    out = np.empty(a.shape, dtype=np.int16)
    return invoke(
        k, lib.arm_elementwise_mul_s16,
        ptr(a, "int16_t"), ptr(b, "int16_t"), 0, 0, ptr(out, "int16_t"), 0, m, s, act.min, act.max, int(a.size),
        output=out,
    )


# ------------------------------------------------------------------ softmax


def _check_lut(kernel: str, name: str, lut: Any) -> np.ndarray:
    t = check_array(kernel, name, lut, np.int16, 1)
    if t.shape[0] != SOFTMAX_S16_LUT_SIZE:
        raise fail(kernel, name, f"must hold {SOFTMAX_S16_LUT_SIZE} entries, got {t.shape[0]}")
    return t


def arm_softmax_s16(
    input: np.ndarray,  # noqa: A002
    mult: int,
    shift: int,
    exp_lut: np.ndarray,
    one_by_one_lut: np.ndarray,
) -> np.ndarray:
    """int16 softmax over the last axis (output scale 1/32768, zero point 0).
    ``mult``/``shift`` from ``quant.softmax_s16_params``; the two 513-entry
    tables from ``quant.softmax_s16_luts``."""
    k = "arm_softmax_s16"
    x = check_array(k, "input", input, np.int16)
    m = check_multiplier(k, "mult", mult)
    s = check_int(k, "shift", shift, -31, 31)
    # contiguous here: the struct below points into them for the call
    e = _held(_check_lut(k, "exp_lut", exp_lut))
    o = _held(_check_lut(k, "one_by_one_lut", one_by_one_lut))
    row_size = int(x.shape[-1])
    if row_size > UINT16_MAX:
        raise fail(k, "input", f"rows of {row_size} elements (max {UINT16_MAX}) overflow the int32 sum")
    x = _held(x)
    rows = x.size // row_size
    if rows > INT32_MAX:
        raise fail(k, "input", f"{rows} rows do not fit int32")
    luts = ffi.new("cmsis_nn_softmax_lut_s16 *", {"exp_lut": ptr(e, "int16_t"), "one_by_one_lut": ptr(o, "int16_t")})
    keep_alive(luts)
    out = np.empty(x.shape, dtype=np.int16)
    return invoke(k, lib.arm_softmax_s16, ptr(x, "int16_t"), rows, row_size, m, s, luts, ptr(out, "int16_t"), output=out)


# ---------------------------------------------------------------- activation


def arm_relu_q15(data: np.ndarray) -> np.ndarray:
    """Raw int16 rectifier (negatives to 0) on a copy of ``data`` (at most 65535 elements)."""
    k = "arm_relu_q15"
    x = check_array(k, "data", data, np.int16)
    if x.size > UINT16_MAX:
        raise fail(k, "data", f"{x.size} elements exceed the uint16_t size ({UINT16_MAX})")
    out = np.array(x, dtype=np.int16, order="C", copy=True)
    return invoke(k, lib.arm_relu_q15, ptr(out, "int16_t"), int(out.size), output=out)


ACTIVATION_S16_TYPES = {"sigmoid": "ARM_SIGMOID", "tanh": "ARM_TANH"}


def arm_nn_activation_s16(input: np.ndarray, left_shift: int, type: str) -> np.ndarray:  # noqa: A002
    """int16 sigmoid or tanh (``type`` "sigmoid" or "tanh") for a power-of-two
    input scale: ``left_shift`` 0 for 2^-12, 1 for 2^-11 (see
    ``quant.activation_s16_left_shift``), up to 14; negative for 2^-13 and
    below (down to -17: an LSTM's cell state, the input divided with rounding);
    output scale 2^-15, zero point 0."""
    k = "arm_nn_activation_s16"
    x = _held(check_array(k, "input", input, np.int16))
    ls = check_int(k, "left_shift", left_shift, -17, 14)
    if type not in ACTIVATION_S16_TYPES:
        raise fail(k, "type", f"must be one of {sorted(ACTIVATION_S16_TYPES)}, got {type!r}")
    if x.size > INT32_MAX:
        raise fail(k, "input", f"{x.size} elements do not fit the int32 size")
    out = np.empty(x.shape, dtype=np.int16)
    kind = getattr(lib, ACTIVATION_S16_TYPES[type])
    return invoke(k, lib.arm_nn_activation_s16, ptr(x, "int16_t"), ptr(out, "int16_t"), int(x.size), ls, kind, output=out)
