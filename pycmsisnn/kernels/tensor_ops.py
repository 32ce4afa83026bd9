"""Our kernels of tensor operators CMSIS-NN lacks (``pycmsisnn_tensor_ops.h``,
and ``pycmsisnn_tensor_ops_s16.h`` for the int16 ones).

``pycmsisnn_mean_s8`` and ``_s16`` (MEAN over any axes),
``pycmsisnn_strided_slice_s8`` and ``_s16`` (STRIDED_SLICE with resolved
begins and strides) and the int8 broadcasting
arithmetic ``pycmsisnn_broadcast_add_s8``, ``pycmsisnn_broadcast_sub_s8`` and
``pycmsisnn_broadcast_mul_s8``. Arrays of rank 1 to 4 map to NHWC from the
right (leading dimensions of 1). ADD and SUB take ``AddParams`` (from
``quant.add_params``: TFLM derives SUB's like ADD's), MUL takes ``MulParams``
(``quant.mul_params``); MEAN takes ``MeanParams``
(``pycmsisnn.quant.mean_params``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..params import AddParams, MeanParams, MulParams
from ._base import (
    DIM_MAX,
    INT8_MAX,
    INT8_MIN,
    INT32_MAX,
    SHIFT_MIN,
    call,
    check_array,
    check_input_offset,
    check_int,
    check_multiplier,
    check_output_offset,
    check_shift,
    dims,
    fail,
    ffi,
    lib,
    ptr,
)
from .elementwise import broadcast_shape
from ._base import nhwc as _nhwc

# ADD/SUB shift each offset input (9 bits) left by at most this much without
# leaving int32 (255 << 23 < 2^31).
ADD_LEFT_SHIFT_MAX = 23
# The MEAN accumulator is int32: at most this many offset inputs (|x| <= 255) fit.
MEAN_MAX_COUNT = INT32_MAX // 255
# The same for int16 inputs (|x + offset| <= 65535).
MEAN_S16_MAX_COUNT = INT32_MAX // 65535


def _int_sequence(kernel: str, name: str, value: Any, length: int) -> tuple[Any, ...]:
    """A list/tuple/1-D array of ``length`` entries (checked by the caller)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise fail(kernel, name, f"must be one-dimensional, got shape {value.shape}")
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise fail(kernel, name, f"must be a sequence of integers, got {type(value).__name__}")
    if len(value) != length:
        raise fail(kernel, name, f"has {len(value)} entries, input has {length} dimensions")
    return tuple(value)


# ---------------------------------------------------------------------- mean


@dataclass(frozen=True)
class _MeanType:
    """What the MEAN wrappers of one element type differ in."""

    dtype: type
    ctype: str
    offset_limit: int  # |zero point| bound: offsets in [-limit + 1, limit] and [-limit, limit - 1]
    max_count: int  # reduced elements whose offset sum fits the int32 accumulator


_MEAN_S8 = _MeanType(np.int8, "int8_t", 128, MEAN_MAX_COUNT)
_MEAN_S16 = _MeanType(np.int16, "int16_t", 32768, MEAN_S16_MAX_COUNT)


def _mean(k: str, fn: Any, e: _MeanType, input: Any, params: Any, axes: Any, keep_dims: Any) -> np.ndarray:
    x = check_array(k, "input", input, e.dtype, (1, 2, 3, 4))
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        axes = [int(axes)]
    if isinstance(axes, np.ndarray):
        axes = axes.reshape(-1).tolist() if axes.ndim <= 1 else axes
    if not isinstance(axes, (list, tuple)):
        raise fail(k, "axes", f"must be a sequence of integers, got {type(axes).__name__}")
    if not axes:
        raise fail(k, "axes", "must name at least one axis")
    reduced = sorted({check_int(k, f"axes[{i}]", a, -x.ndim, x.ndim - 1) % x.ndim for i, a in enumerate(axes)})
    if not isinstance(keep_dims, (bool, np.bool_)):
        raise fail(k, "keep_dims", f"must be a bool, got {type(keep_dims).__name__}")
    if not isinstance(params, MeanParams):
        raise fail(k, "params", f"must be a MeanParams, got {type(params).__name__}")
    in_off = check_int(k, "params.input_offset", params.input_offset, 1 - e.offset_limit, e.offset_limit)
    out_off = check_int(k, "params.output_offset", params.output_offset, -e.offset_limit, e.offset_limit - 1)
    mult = check_multiplier(k, "params.multiplier", params.multiplier)
    shift = check_shift(k, "params.shift", params.shift)
    count = int(np.prod([x.shape[a] for a in reduced], dtype=np.int64))
    if count > e.max_count:
        raise fail(k, "axes", f"reduce {count} elements each; the int32 sum holds at most {e.max_count}")

    kept_shape = tuple(1 if a in reduced else d for a, d in enumerate(x.shape))
    out = np.empty(kept_shape, dtype=e.dtype)
    c_params = ffi.new(
        "pycmsisnn_mean_params *", {"input_offset": in_off, "output_offset": out_off, "multiplier": mult, "shift": shift}
    )
    status = fn(c_params, dims(_nhwc(x.shape)), ptr(x, e.ctype), dims(_nhwc(kept_shape)), ptr(out, e.ctype))
    call(k, status)
    if keep_dims:
        return out
    return out.reshape(tuple(d for a, d in enumerate(x.shape) if a not in reduced))


def pycmsisnn_mean_s8(input: np.ndarray, params: MeanParams, axes: Sequence[int], keep_dims: bool = True) -> np.ndarray:
    """Quantised mean of an int8 array of rank 1 to 4 over ``axes`` (negative
    axes count from the end, repeats are ignored). Per output element:
    ``clamp(rq(sum(x + input_offset), multiplier, shift) + output_offset)``
    with ``rq`` TFLite's double-rounding requantisation. The reduced axes are
    kept as extent 1 when ``keep_dims`` is true, dropped otherwise. Returns a
    new array."""
    return _mean("pycmsisnn_mean_s8", lib.pycmsisnn_mean_s8, _MEAN_S8, input, params, axes, keep_dims)


def pycmsisnn_mean_s16(input: np.ndarray, params: MeanParams, axes: Sequence[int], keep_dims: bool = True) -> np.ndarray:
    """``pycmsisnn_mean_s8`` for int16 arrays: the same arithmetic (32-bit
    sum, one requantisation), offsets in the int16 range, the result clamped
    to int16."""
    return _mean("pycmsisnn_mean_s16", lib.pycmsisnn_mean_s16, _MEAN_S16, input, params, axes, keep_dims)


# ------------------------------------------------------------- strided slice


def _strided_slice(k: str, fn: Any, dtype: type, ctype: str, input: Any, begin: Any, strides: Any, output_shape: Any) -> np.ndarray:
    x = check_array(k, "input", input, dtype, (1, 2, 3, 4))
    b = _int_sequence(k, "begin", begin, x.ndim)
    s = _int_sequence(k, "strides", strides, x.ndim)
    o = _int_sequence(k, "output_shape", output_shape, x.ndim)
    b = tuple(check_int(k, f"begin[{i}]", v, 0, x.shape[i] - 1) for i, v in enumerate(b))
    s = tuple(check_int(k, f"strides[{i}]", v, -DIM_MAX, DIM_MAX) for i, v in enumerate(s))
    o = tuple(check_int(k, f"output_shape[{i}]", v, 1, DIM_MAX) for i, v in enumerate(o))
    for i in range(x.ndim):
        if s[i] == 0:
            raise fail(k, f"strides[{i}]", "must not be 0")
        last = b[i] + (o[i] - 1) * s[i]
        if not 0 <= last < x.shape[i]:
            raise fail(
                k, f"output_shape[{i}]",
                f"{o[i]} elements from {b[i]} by {s[i]} reach index {last}, outside axis {i} of extent {x.shape[i]}",
            )
    out = np.empty(o, dtype=dtype)
    c_params = ffi.new(
        "pycmsisnn_strided_slice_params *",
        {"begin": dict(zip("nhwc", _pad_front(b, 0))), "stride": dict(zip("nhwc", _pad_front(s, 1)))},
    )
    status = fn(c_params, dims(_nhwc(x.shape)), ptr(x, ctype), dims(_nhwc(o)), ptr(out, ctype))
    call(k, status)
    return out


def pycmsisnn_strided_slice_s8(
    input: np.ndarray, begin: Sequence[int], strides: Sequence[int], output_shape: Sequence[int]
) -> np.ndarray:
    """A strided selection of an int8 array of rank 1 to 4: along axis i the
    output takes ``output_shape[i]`` elements starting at index ``begin[i]``
    (non-negative, inside the axis) stepping by ``strides[i]`` (non-zero, may
    be negative), i.e. ``input[begin[i]::strides[i]][:output_shape[i]]``; every
    index taken must lie inside the input. Returns a new array."""
    k = "pycmsisnn_strided_slice_s8"
    return _strided_slice(k, lib.pycmsisnn_strided_slice_s8, np.int8, "int8_t", input, begin, strides, output_shape)


def pycmsisnn_strided_slice_s16(
    input: np.ndarray, begin: Sequence[int], strides: Sequence[int], output_shape: Sequence[int]
) -> np.ndarray:
    """``pycmsisnn_strided_slice_s8`` for int16 arrays."""
    k = "pycmsisnn_strided_slice_s16"
    return _strided_slice(k, lib.pycmsisnn_strided_slice_s16, np.int16, "int16_t", input, begin, strides, output_shape)


def _pad_front(values: Sequence[int], fill: int) -> tuple[int, int, int, int]:
    return tuple([fill] * (4 - len(values)) + [int(v) for v in values])  # type: ignore[return-value]


# ------------------------------------------------------ broadcast arithmetic


def _broadcast_pair(kernel: str, input_1: Any, input_2: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    a = check_array(kernel, "input_1", input_1, np.int8, (1, 2, 3, 4))
    b = check_array(kernel, "input_2", input_2, np.int8, (1, 2, 3, 4))
    shape = broadcast_shape(kernel, a.shape, b.shape)
    if any(d > DIM_MAX for d in shape):
        raise fail(kernel, "input_1", f"broadcast shape {shape} has a dimension above {DIM_MAX}")
    if int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(kernel, "input_1", f"broadcast shape {shape} has more than {INT32_MAX} elements")
    return a, b, shape


def _clamp(kernel: str, lo: Any, hi: Any) -> dict[str, int]:
    a = check_int(kernel, "params.out_activation_min", lo, INT8_MIN, INT8_MAX)
    b = check_int(kernel, "params.out_activation_max", hi, INT8_MIN, INT8_MAX)
    if a > b:
        raise fail(kernel, "params.out_activation_min", f"{a} is above out_activation_max {b}")
    return {"min": a, "max": b}


def _non_positive_shift(kernel: str, name: str, value: Any) -> int:
    """A shift that only divides (rounding right shift): [-31, 0]."""
    return check_int(kernel, name, check_shift(kernel, name, value), SHIFT_MIN, 0)


def _add_params(kernel: str, params: Any) -> Any:
    if not isinstance(params, AddParams):
        raise fail(kernel, "params", f"must be an AddParams, got {type(params).__name__}")
    return ffi.new(
        "pycmsisnn_add_params *",
        {
            "input_1_offset": check_input_offset(kernel, "params.input_1_offset", params.input_1_offset),
            "input_1_mult": check_multiplier(kernel, "params.input_1_mult", params.input_1_mult),
            "input_1_shift": _non_positive_shift(kernel, "params.input_1_shift", params.input_1_shift),
            "input_2_offset": check_input_offset(kernel, "params.input_2_offset", params.input_2_offset),
            "input_2_mult": check_multiplier(kernel, "params.input_2_mult", params.input_2_mult),
            "input_2_shift": _non_positive_shift(kernel, "params.input_2_shift", params.input_2_shift),
            "left_shift": check_int(kernel, "params.left_shift", params.left_shift, 0, ADD_LEFT_SHIFT_MAX),
            "output_offset": check_output_offset(kernel, "params.out_offset", params.out_offset),
            "output_mult": check_multiplier(kernel, "params.out_mult", params.out_mult),
            "output_shift": _non_positive_shift(kernel, "params.out_shift", params.out_shift),
            "activation": _clamp(kernel, params.out_activation_min, params.out_activation_max),
        },
    )


def _run_broadcast(kernel: str, fn: Any, c_params: Any, a: np.ndarray, b: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=np.int8)
    status = fn(
        c_params,
        dims(_nhwc(a.shape)), ptr(a, "int8_t"),
        dims(_nhwc(b.shape)), ptr(b, "int8_t"),
        dims(_nhwc(shape)), ptr(out, "int8_t"),
    )
    call(kernel, status)
    return out


def pycmsisnn_broadcast_add_s8(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised ADD of two int8 arrays of rank 1 to 4 broadcasting
    NumPy-style (right-aligned; an extent of 1 repeats), with the arithmetic
    of ``arm_elementwise_add_s8``. Returns a new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_add_s8"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    return _run_broadcast(k, lib.pycmsisnn_broadcast_add_s8, _add_params(k, params), a, b, shape)


def pycmsisnn_broadcast_sub_s8(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised SUB (``input_1 - input_2``) of two int8 arrays of rank 1 to 4
    broadcasting NumPy-style: as ADD, the rescaled second input subtracted
    instead of added. Returns a new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_sub_s8"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    return _run_broadcast(k, lib.pycmsisnn_broadcast_sub_s8, _add_params(k, params), a, b, shape)


def pycmsisnn_broadcast_mul_s8(input_1: np.ndarray, input_2: np.ndarray, params: MulParams) -> np.ndarray:
    """Quantised MUL of two int8 arrays of rank 1 to 4 broadcasting
    NumPy-style, with the arithmetic of ``arm_elementwise_mul_s8``
    (``clamp(rq((x1 + off1) * (x2 + off2), m, s) + out_offset)``). Returns a
    new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_mul_s8"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    if not isinstance(params, MulParams):
        raise fail(k, "params", f"must be a MulParams, got {type(params).__name__}")
    c_params = ffi.new(
        "pycmsisnn_mul_params *",
        {
            "input_1_offset": check_input_offset(k, "params.input_1_offset", params.input_1_offset),
            "input_2_offset": check_input_offset(k, "params.input_2_offset", params.input_2_offset),
            "output_offset": check_output_offset(k, "params.out_offset", params.out_offset),
            "output_mult": check_multiplier(k, "params.out_mult", params.out_mult),
            "output_shift": check_shift(k, "params.out_shift", params.out_shift),
            "activation": _clamp(k, params.out_activation_min, params.out_activation_max),
        },
    )
    return _run_broadcast(k, lib.pycmsisnn_broadcast_mul_s8, c_params, a, b, shape)


__all__ = [
    "pycmsisnn_mean_s8",
    "pycmsisnn_mean_s16",
    "pycmsisnn_strided_slice_s8",
    "pycmsisnn_strided_slice_s16",
    "pycmsisnn_broadcast_add_s8",
    "pycmsisnn_broadcast_sub_s8",
    "pycmsisnn_broadcast_mul_s8",
]
