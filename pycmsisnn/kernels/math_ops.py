"""Our elementwise math kernels (``pycmsisnn_math_ops.h``): ABS, RSQRT,
L2_NORMALIZATION, ELU (a 256-entry table), PRELU, SQUARED_DIFFERENCE, the
int16 MINIMUM / MAXIMUM, and int8 LOG_SOFTMAX, DIV and ADD_N.

Parameters are derived by ``pycmsisnn.quant`` (``abs_params``,
``rsqrt_params``, ``prelu_params``, ``squared_difference_params``,
``elu_table``, ``log_softmax_params``, ``div_params``, ``add_n_params``) and
handed on by ``pycmsisnn.lower.math_ops``. Every wrapper
returns a new array; the broadcasting ones of the NumPy broadcast shape.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import AddNParams, DivParams, LogSoftmaxParams, PreluParams, RequantizeParams, SquaredDifferenceParams
from ._base import DIM_MAX, INT32_MAX, call, check_array, check_int, check_multiplier, dims, fail, ffi, lib, ptr
from .activations_extra import _elements, _params
from .elementwise import broadcast_shape
from ._base import nhwc as _nhwc

_C = {np.dtype(np.int8): "int8_t", np.dtype(np.int16): "int16_t"}


def _offset(kernel: str, name: str, value: Any, dtype: type, sign: int) -> int:
    """A zero point of ``dtype`` (sign +1) or its negation (sign -1)."""
    info = np.iinfo(dtype)
    lo, hi = (int(info.min), int(info.max)) if sign > 0 else (-int(info.max), -int(info.min))
    return check_int(kernel, name, value, lo, hi)


def _requant(kernel: str, params: Any, dtype: type, shift_lo: int, shift_hi: int) -> Any:
    _params(kernel, params, RequantizeParams)
    return ffi.new("pycmsisnn_requantize_params *", {
        "input_offset": _offset(kernel, "params.input_offset", params.input_offset, dtype, -1),
        "output_offset": _offset(kernel, "params.output_offset", params.output_offset, dtype, 1),
        "multiplier": check_multiplier(kernel, "params.multiplier", params.multiplier),
        "shift": check_int(kernel, "params.shift", params.shift, shift_lo, shift_hi),
    })


def _unary(kernel: str, fn: Callable[..., int], input: Any, c_params: Any, dtype: type) -> np.ndarray:
    x = _elements(kernel, "input", input, dtype)
    out: np.ndarray = np.empty(x.shape, dtype=dtype)
    call(kernel, fn(c_params, ptr(x, _C[np.dtype(dtype)]), ptr(out, _C[np.dtype(dtype)]), int(x.size)))
    return out


def pycmsisnn_abs_s8(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """int8 ABS: |x - zp_in| requantised to the output."""
    k = "pycmsisnn_abs_s8"
    return _unary(k, lib.pycmsisnn_abs_s8, input, _requant(k, params, np.int8, -31, 31), np.int8)


def pycmsisnn_abs_s16(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """int16 ABS (zero points 0)."""
    k = "pycmsisnn_abs_s16"
    return _unary(k, lib.pycmsisnn_abs_s16, input, _requant(k, params, np.int16, -31, 31), np.int16)


def pycmsisnn_rsqrt_s8(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """int8 RSQRT; an input below the zero point is an error (as in TensorFlow Lite Micro)."""
    k = "pycmsisnn_rsqrt_s8"
    return _unary(k, lib.pycmsisnn_rsqrt_s8, input, _requant(k, params, np.int8, -11, 50), np.int8)


def pycmsisnn_rsqrt_s16(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """int16 RSQRT (zero points 0); a negative input is an error."""
    k = "pycmsisnn_rsqrt_s16"
    return _unary(k, lib.pycmsisnn_rsqrt_s16, input, _requant(k, params, np.int16, -11, 50), np.int16)


def pycmsisnn_l2_normalization_s8(input: np.ndarray, input_offset: int) -> np.ndarray:
    """int8 L2_NORMALIZATION over the last dimension; output scale 1/128, zero point 0."""
    k = "pycmsisnn_l2_normalization_s8"
    x = _elements(k, "input", input, np.int8)
    depth = int(x.shape[-1]) if x.ndim else 1
    check_int(k, "input depth", depth, 1, 32767)
    off = check_int(k, "input_offset", input_offset, -127, 128)
    out = np.empty(x.shape, dtype=np.int8)
    call(k, lib.pycmsisnn_l2_normalization_s8(off, ptr(x, "int8_t"), ptr(out, "int8_t"), int(x.size) // depth, depth))
    return out


def pycmsisnn_lut_s8(input: np.ndarray, table: np.ndarray) -> np.ndarray:
    """out = table[x + 128] for a 256-entry int8 table (ELU)."""
    k = "pycmsisnn_lut_s8"
    x = _elements(k, "input", input, np.int8)
    t = check_array(k, "table", table, np.int8, 1)
    if t.shape != (256,):
        raise fail(k, "table", f"must have 256 entries, got {t.shape}")
    out = np.empty(x.shape, dtype=np.int8)
    call(k, lib.pycmsisnn_lut_s8(ptr(t, "int8_t"), ptr(x, "int8_t"), ptr(out, "int8_t"), int(x.size)))
    return out


def _pair(kernel: str, a: Any, b: Any, dtype_a: type, dtype_b: type, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    x = check_array(kernel, names[0], a, dtype_a, (1, 2, 3, 4))
    y = check_array(kernel, names[1], b, dtype_b, (1, 2, 3, 4))
    shape = broadcast_shape(kernel, tuple(x.shape), tuple(y.shape))
    if any(d > DIM_MAX for d in shape) or int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(kernel, names[0], f"broadcast shape {shape} is too large")
    return x, y, shape


def _run_pair(kernel: str, fn: Callable[..., int], c_params: Any, x: np.ndarray, y: np.ndarray, shape: tuple[int, ...],
              out_dtype: type) -> np.ndarray:
    out: np.ndarray = np.empty(shape, dtype=out_dtype)
    args = [dims(_nhwc(x.shape)), ptr(x, _C[x.dtype]), dims(_nhwc(y.shape)), ptr(y, _C[y.dtype]), dims(_nhwc(shape)), ptr(out, _C[np.dtype(out_dtype)])]
    call(kernel, fn(*([c_params] if c_params is not None else []), *args))
    return out


def _prelu(kernel: str, fn: Callable[..., int], input_1: Any, input_2: Any, params: Any, dtype: type) -> np.ndarray:
    x, a, shape = _pair(kernel, input_1, input_2, dtype, np.int8, ("input_1", "input_2"))
    _params(kernel, params, PreluParams)
    shift = (-31, 31)
    c = ffi.new("pycmsisnn_prelu_params *", {
        "input_offset": _offset(kernel, "params.input_offset", params.input_offset, dtype, -1),
        "alpha_offset": _offset(kernel, "params.alpha_offset", params.alpha_offset, np.int8, -1),
        "output_offset": _offset(kernel, "params.output_offset", params.output_offset, dtype, 1),
        "identity_multiplier": check_multiplier(kernel, "params.identity_multiplier", params.identity_multiplier),
        "identity_shift": check_int(kernel, "params.identity_shift", params.identity_shift, *shift),
        "alpha_multiplier": check_multiplier(kernel, "params.alpha_multiplier", params.alpha_multiplier),
        "alpha_shift": check_int(kernel, "params.alpha_shift", params.alpha_shift, *shift),
    })
    return _run_pair(kernel, fn, c, x, a, shape, dtype)


def pycmsisnn_prelu_s8(input_1: np.ndarray, input_2: np.ndarray, params: PreluParams) -> np.ndarray:
    """int8 PRELU of ``input_1`` with the int8 alpha ``input_2``, broadcast."""
    return _prelu("pycmsisnn_prelu_s8", lib.pycmsisnn_prelu_s8, input_1, input_2, params, np.int8)


def pycmsisnn_prelu_s16(input_1: np.ndarray, input_2: np.ndarray, params: PreluParams) -> np.ndarray:
    """int16 PRELU of ``input_1`` with the int8 alpha ``input_2``, broadcast."""
    return _prelu("pycmsisnn_prelu_s16", lib.pycmsisnn_prelu_s16, input_1, input_2, params, np.int16)


def _squared_difference(kernel: str, fn: Callable[..., int], input_1: Any, input_2: Any, params: Any, dtype: type) -> np.ndarray:
    x, y, shape = _pair(kernel, input_1, input_2, dtype, dtype, ("input_1", "input_2"))
    _params(kernel, params, SquaredDifferenceParams)
    s8 = np.dtype(dtype) == np.dtype(np.int8)
    c = ffi.new("pycmsisnn_squared_difference_params *", {
        "input_1_offset": _offset(kernel, "params.input_1_offset", params.input_1_offset, dtype, -1) if s8 else check_int(kernel, "params.input_1_offset", params.input_1_offset, 0, 0),
        "input_1_mult": check_multiplier(kernel, "params.input_1_mult", params.input_1_mult),
        "input_1_shift": check_int(kernel, "params.input_1_shift", params.input_1_shift, -31, 0),
        "input_2_offset": _offset(kernel, "params.input_2_offset", params.input_2_offset, dtype, -1) if s8 else check_int(kernel, "params.input_2_offset", params.input_2_offset, 0, 0),
        "input_2_mult": check_multiplier(kernel, "params.input_2_mult", params.input_2_mult),
        "input_2_shift": check_int(kernel, "params.input_2_shift", params.input_2_shift, -31, 0),
        "left_shift": check_int(kernel, "params.left_shift", params.left_shift, 0, 7 if s8 else 0),
        "output_offset": _offset(kernel, "params.output_offset", params.output_offset, dtype, 1),
        "output_mult": check_multiplier(kernel, "params.output_mult", params.output_mult),
        "output_shift": check_int(kernel, "params.output_shift", params.output_shift, -31, 31),
    })
    return _run_pair(kernel, fn, c, x, y, shape, dtype)


def pycmsisnn_squared_difference_s8(input_1: np.ndarray, input_2: np.ndarray, params: SquaredDifferenceParams) -> np.ndarray:
    """int8 SQUARED_DIFFERENCE with broadcasting."""
    k = "pycmsisnn_squared_difference_s8"
    return _squared_difference(k, lib.pycmsisnn_squared_difference_s8, input_1, input_2, params, np.int8)


def pycmsisnn_squared_difference_s16(input_1: np.ndarray, input_2: np.ndarray, params: SquaredDifferenceParams) -> np.ndarray:
    """int16 SQUARED_DIFFERENCE (zero points 0) with broadcasting."""
    k = "pycmsisnn_squared_difference_s16"
    return _squared_difference(k, lib.pycmsisnn_squared_difference_s16, input_1, input_2, params, np.int16)


def pycmsisnn_minimum_s16(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """Raw elementwise minimum of two int16 arrays, broadcast."""
    k = "pycmsisnn_minimum_s16"
    x, y, shape = _pair(k, input_1, input_2, np.int16, np.int16, ("input_1", "input_2"))
    return _run_pair(k, lib.pycmsisnn_minimum_s16, None, x, y, shape, np.int16)


def pycmsisnn_maximum_s16(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """Raw elementwise maximum of two int16 arrays, broadcast."""
    k = "pycmsisnn_maximum_s16"
    x, y, shape = _pair(k, input_1, input_2, np.int16, np.int16, ("input_1", "input_2"))
    return _run_pair(k, lib.pycmsisnn_maximum_s16, None, x, y, shape, np.int16)


def pycmsisnn_log_softmax_s8(input: np.ndarray, params: LogSoftmaxParams) -> np.ndarray:
    """int8 LOG_SOFTMAX over the last dimension (1..4095 elements); output scale 1/16, zero point 127."""
    k = "pycmsisnn_log_softmax_s8"
    x = _elements(k, "input", input, np.int8)
    depth = int(x.shape[-1]) if x.ndim else 1
    check_int(k, "input depth", depth, 1, 4095)
    _params(k, params, LogSoftmaxParams)
    c = ffi.new("pycmsisnn_log_softmax_params *", {
        "input_multiplier": check_multiplier(k, "params.input_multiplier", params.input_multiplier),
        "input_left_shift": check_int(k, "params.input_left_shift", params.input_left_shift, 1, 31),
        "reverse_multiplier": check_multiplier(k, "params.reverse_multiplier", params.reverse_multiplier),
        "reverse_shift": check_int(k, "params.reverse_shift", params.reverse_shift, -31, 0),
        "diff_min": check_int(k, "params.diff_min", params.diff_min, -INT32_MAX, 0),
    })
    out = np.empty(x.shape, dtype=np.int8)
    call(k, lib.pycmsisnn_log_softmax_s8(c, ptr(x, "int8_t"), int(x.size) // depth, depth, ptr(out, "int8_t")))
    return out


def pycmsisnn_div_s8(input_1: np.ndarray, input_2: np.ndarray, params: DivParams) -> np.ndarray:
    """int8 DIV of ``input_1`` by ``input_2``, broadcast (as TensorFlow Lite Micro, also at a divisor's zero point)."""
    k = "pycmsisnn_div_s8"
    x, y, shape = _pair(k, input_1, input_2, np.int8, np.int8, ("input_1", "input_2"))
    _params(k, params, DivParams)
    lo = check_int(k, "params.activation_min", params.activation_min, -128, 127)
    c = ffi.new("pycmsisnn_div_params *", {
        "input_1_offset": _offset(k, "params.input_1_offset", params.input_1_offset, np.int8, -1),
        "input_2_offset": _offset(k, "params.input_2_offset", params.input_2_offset, np.int8, -1),
        "output_offset": _offset(k, "params.output_offset", params.output_offset, np.int8, 1),
        "output_multiplier": check_multiplier(k, "params.output_multiplier", params.output_multiplier),
        "output_shift": check_int(k, "params.output_shift", params.output_shift, -25, 22),
        "activation_min": lo,
        "activation_max": check_int(k, "params.activation_max", params.activation_max, lo, 127),
    })
    return _run_pair(k, lib.pycmsisnn_div_s8, c, x, y, shape, np.int8)


def pycmsisnn_add_n_s8(inputs: Sequence[np.ndarray], params: AddNParams) -> np.ndarray:
    """int8 ADD_N of two or more arrays of one shape (and one quantisation)."""
    k = "pycmsisnn_add_n_s8"
    if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
        raise fail(k, "inputs", "must be a list of two or more arrays")
    xs = [_elements(k, f"inputs[{i}]", a, np.int8) for i, a in enumerate(inputs)]
    if any(a.shape != xs[0].shape for a in xs):
        raise fail(k, "inputs", f"must share one shape, got {[list(a.shape) for a in xs]}")
    _params(k, params, AddNParams)
    c = ffi.new("pycmsisnn_add_n_params *", {
        "input_offset": _offset(k, "params.input_offset", params.input_offset, np.int8, -1),
        "output_offset": _offset(k, "params.output_offset", params.output_offset, np.int8, 1),
        "output_multiplier": check_multiplier(k, "params.output_multiplier", params.output_multiplier),
        "output_shift": check_int(k, "params.output_shift", params.output_shift, -31, 0),
    })
    pointers = ffi.new("const int8_t *[]", [ptr(a, "int8_t") for a in xs])
    out = np.empty(xs[0].shape, dtype=np.int8)
    call(k, lib.pycmsisnn_add_n_s8(c, pointers, len(xs), ptr(out, "int8_t"), int(out.size)))
    return out


__all__ = [
    "pycmsisnn_abs_s8",
    "pycmsisnn_abs_s16",
    "pycmsisnn_rsqrt_s8",
    "pycmsisnn_rsqrt_s16",
    "pycmsisnn_l2_normalization_s8",
    "pycmsisnn_lut_s8",
    "pycmsisnn_prelu_s8",
    "pycmsisnn_prelu_s16",
    "pycmsisnn_squared_difference_s8",
    "pycmsisnn_squared_difference_s16",
    "pycmsisnn_minimum_s16",
    "pycmsisnn_maximum_s16",
    "pycmsisnn_log_softmax_s8",
    "pycmsisnn_div_s8",
    "pycmsisnn_add_n_s8",
]
