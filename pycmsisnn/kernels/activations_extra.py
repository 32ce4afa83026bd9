"""Our int8 activation and type-conversion kernels (``pycmsisnn_activations.h``).

``pycmsisnn_logistic_s8``, ``pycmsisnn_tanh_s8`` (fixed-point sigmoid and
tanh), ``pycmsisnn_relu_s8`` (RELU, RELU6, RELU_N1_TO_1: requantise and
clamp), ``pycmsisnn_leaky_relu_s8``, ``pycmsisnn_hard_swish_s8``,
``pycmsisnn_requantize_s8`` (QUANTIZE int8 -> int8),
``pycmsisnn_quantize_f32_s8`` (QUANTIZE float32 -> int8) and
``pycmsisnn_dequantize_s8`` (DEQUANTIZE int8 -> float32); and the int16
conversions of ``pycmsisnn_tensor_ops_s16.h``: ``pycmsisnn_requantize_s16``,
``_s8_s16`` and ``_s16_s8`` (QUANTIZE between int8 and int16),
``pycmsisnn_quantize_f32_s16`` and ``pycmsisnn_dequantize_s16``.

Each maps every element on its own: any shape in, a new array of the same
shape out. The parameter classes mirror the C structs; their values are
derived by ``pycmsisnn.lower.activations`` and ``pycmsisnn.lower.quantize``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..params import AffineParams, HardSwishParams, LeakyReluParams, ReluParams, RequantizeParams, SigmoidTanhParams
from ._base import (
    INT16_MAX,
    INT32_MAX,
    INT32_MIN,
    call,
    check_activation,
    check_input_offset,
    check_int,
    check_multiplier,
    check_output_offset,
    fail,
    ffi,
    lib,
    ptr,
)

# Exponents the kernels accept: a left shift of an offset input by up to 31
# bits, a right shift by up to 31 bits.
REQUANT_SHIFT_MIN, REQUANT_SHIFT_MAX = -31, 31


# ------------------------------------------------------------------ helpers


def _elements(kernel: str, name: str, arr: Any, dtype: type) -> np.ndarray:
    """A non-empty numpy array of exactly ``dtype`` with an int32 element count."""
    if not isinstance(arr, np.ndarray):
        raise fail(kernel, name, f"must be a numpy array, got {type(arr).__name__}")
    if arr.dtype != np.dtype(dtype):
        raise fail(kernel, name, f"must have dtype {np.dtype(dtype).name}, got {arr.dtype.name}")
    if arr.size == 0:
        raise fail(kernel, name, f"is empty (shape {arr.shape})")
    if arr.size > INT32_MAX:
        raise fail(kernel, name, f"{arr.size} elements do not fit the int32 size")
    return arr  # not copied: ``ptr`` does, once every argument is checked


def _params(kernel: str, params: Any, cls: type) -> None:
    if not isinstance(params, cls):
        raise fail(kernel, "params", f"must be a {cls.__name__}, got {type(params).__name__}")


def _shift(kernel: str, name: str, value: Any, lo: int = REQUANT_SHIFT_MIN, hi: int = REQUANT_SHIFT_MAX) -> int:
    return check_int(kernel, name, value, lo, hi)


def _run(kernel: str, fn: Callable[..., int], c_params: Any, x: np.ndarray, out_dtype: type, in_ctype: str, out_ctype: str) -> np.ndarray:
    out: np.ndarray = np.empty(x.shape, dtype=out_dtype)
    call(kernel, fn(c_params, ptr(x, in_ctype), ptr(out, out_ctype), int(x.size)))
    return out


def _float32_scale(kernel: str, name: str, value: Any) -> float:
    """A positive, finite scale that stays so as a float32."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail(kernel, name, f"must be a number, got {type(value).__name__}")
    f = np.float32(value)
    if not np.isfinite(f) or f <= 0:
        raise fail(kernel, name, f"{value} is not a positive finite float32")
    return float(f)


# ------------------------------------------------------------ sigmoid, tanh


def _sigmoid_tanh(kernel: str, fn: Callable[..., int], input: Any, params: Any) -> np.ndarray:
    x = _elements(kernel, "input", input, np.int8)
    _params(kernel, params, SigmoidTanhParams)
    c = ffi.new(
        "pycmsisnn_sigmoid_tanh_params *",
        {
            "input_offset": check_input_offset(kernel, "params.input_offset", params.input_offset),
            "input_multiplier": check_multiplier(kernel, "params.input_multiplier", params.input_multiplier),
            "input_left_shift": check_int(kernel, "params.input_left_shift", params.input_left_shift, 0, 31),
            "input_range_radius": check_int(kernel, "params.input_range_radius", params.input_range_radius, 0, INT32_MAX),
        },
    )
    return _run(kernel, fn, c, x, np.int8, "int8_t", "int8_t")


def pycmsisnn_logistic_s8(input: np.ndarray, params: SigmoidTanhParams) -> np.ndarray:
    """int8 LOGISTIC; the output is on scale 1/256 with zero point -128."""
    return _sigmoid_tanh("pycmsisnn_logistic_s8", lib.pycmsisnn_logistic_s8, input, params)


def pycmsisnn_tanh_s8(input: np.ndarray, params: SigmoidTanhParams) -> np.ndarray:
    """int8 TANH; the output is on scale 1/128 with zero point 0."""
    return _sigmoid_tanh("pycmsisnn_tanh_s8", lib.pycmsisnn_tanh_s8, input, params)


# -------------------------------------------------------------------- relu


def pycmsisnn_relu_s8(input: np.ndarray, params: ReluParams) -> np.ndarray:
    """Requantise, offset and clamp each element: RELU, RELU6 and RELU_N1_TO_1
    with the clamp of each (multiplier 2^30 with shift 1 only clamps)."""
    k = "pycmsisnn_relu_s8"
    x = _elements(k, "input", input, np.int8)
    _params(k, params, ReluParams)
    act = check_activation(k, "params.activation", params.activation)
    c = ffi.new(
        "pycmsisnn_relu_params *",
        {
            "input_offset": check_input_offset(k, "params.input_offset", params.input_offset),
            "output_offset": check_output_offset(k, "params.output_offset", params.output_offset),
            "output_multiplier": check_multiplier(k, "params.output_multiplier", params.output_multiplier),
            "output_shift": _shift(k, "params.output_shift", params.output_shift),
            "activation": {"min": int(act.min), "max": int(act.max)},
        },
    )
    return _run(k, lib.pycmsisnn_relu_s8, c, x, np.int8, "int8_t", "int8_t")


def pycmsisnn_leaky_relu_s8(input: np.ndarray, params: LeakyReluParams) -> np.ndarray:
    """int8 LEAKY_RELU: identity multiplier for offset inputs >= 0, alpha
    multiplier (which may be negative) for the others."""
    k = "pycmsisnn_leaky_relu_s8"
    x = _elements(k, "input", input, np.int8)
    _params(k, params, LeakyReluParams)
    c = ffi.new(
        "pycmsisnn_leaky_relu_params *",
        {
            "input_offset": check_input_offset(k, "params.input_offset", params.input_offset),
            "output_offset": check_output_offset(k, "params.output_offset", params.output_offset),
            "identity_multiplier": check_multiplier(k, "params.identity_multiplier", params.identity_multiplier),
            "identity_shift": _shift(k, "params.identity_shift", params.identity_shift),
            "alpha_multiplier": check_int(k, "params.alpha_multiplier", params.alpha_multiplier, INT32_MIN + 1, INT32_MAX),
            "alpha_shift": _shift(k, "params.alpha_shift", params.alpha_shift),
        },
    )
    return _run(k, lib.pycmsisnn_leaky_relu_s8, c, x, np.int8, "int8_t", "int8_t")


def pycmsisnn_hard_swish_s8(input: np.ndarray, params: HardSwishParams) -> np.ndarray:
    """int8 HARD_SWISH in TensorFlow Lite's 16-bit fixed-point scheme."""
    k = "pycmsisnn_hard_swish_s8"
    x = _elements(k, "input", input, np.int8)
    _params(k, params, HardSwishParams)
    c = ffi.new(
        "pycmsisnn_hard_swish_params *",
        {
            "input_offset": check_input_offset(k, "params.input_offset", params.input_offset),
            "output_offset": check_output_offset(k, "params.output_offset", params.output_offset),
            "output_multiplier": check_int(k, "params.output_multiplier", params.output_multiplier, 0, INT16_MAX),
            "reluish_multiplier": check_int(k, "params.reluish_multiplier", params.reluish_multiplier, 0, INT16_MAX),
            "output_shift": _shift(k, "params.output_shift", params.output_shift, -15, 0),
            "reluish_shift": _shift(k, "params.reluish_shift", params.reluish_shift, -15, 30),
        },
    )
    return _run(k, lib.pycmsisnn_hard_swish_s8, c, x, np.int8, "int8_t", "int8_t")


# ------------------------------------------------------------- conversions


def _requantize(kernel: str, fn: Callable[..., int], input: Any, params: Any, in_type: type, out_type: type) -> np.ndarray:
    """A requantisation from ``in_type`` to ``out_type`` (int8 or int16): the
    offsets are minus and plus zero points of those types."""
    x = _elements(kernel, "input", input, in_type)
    _params(kernel, params, RequantizeParams)
    lo_in, hi_in = _zero_point_range(in_type)
    lo_out, hi_out = _zero_point_range(out_type)
    c = ffi.new(
        "pycmsisnn_requantize_params *",
        {
            "input_offset": check_int(kernel, "params.input_offset", params.input_offset, -hi_in, -lo_in),
            "output_offset": check_int(kernel, "params.output_offset", params.output_offset, lo_out, hi_out),
            "multiplier": check_multiplier(kernel, "params.multiplier", params.multiplier),
            "shift": _shift(kernel, "params.shift", params.shift),
        },
    )
    return _run(kernel, fn, c, x, out_type, _C_TYPES[in_type], _C_TYPES[out_type])


def _zero_point_range(dtype: type) -> tuple[int, int]:
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


_C_TYPES: dict[type, str] = {np.int8: "int8_t", np.int16: "int16_t"}


def pycmsisnn_requantize_s8(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """QUANTIZE int8 -> int8: a new scale and zero point, clamped to int8."""
    return _requantize("pycmsisnn_requantize_s8", lib.pycmsisnn_requantize_s8, input, params, np.int8, np.int8)


def pycmsisnn_requantize_s16(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """QUANTIZE int16 -> int16: a new scale and zero point, clamped to int16."""
    return _requantize("pycmsisnn_requantize_s16", lib.pycmsisnn_requantize_s16, input, params, np.int16, np.int16)


def pycmsisnn_requantize_s8_s16(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """QUANTIZE int8 -> int16, clamped to int16."""
    return _requantize("pycmsisnn_requantize_s8_s16", lib.pycmsisnn_requantize_s8_s16, input, params, np.int8, np.int16)


def pycmsisnn_requantize_s16_s8(input: np.ndarray, params: RequantizeParams) -> np.ndarray:
    """QUANTIZE int16 -> int8, clamped to int8."""
    return _requantize("pycmsisnn_requantize_s16_s8", lib.pycmsisnn_requantize_s16_s8, input, params, np.int16, np.int8)


def _affine(kernel: str, params: Any, dtype: type = np.int8) -> Any:
    _params(kernel, params, AffineParams)
    lo, hi = _zero_point_range(dtype)
    return ffi.new(
        "pycmsisnn_affine_params *",
        {
            "scale": _float32_scale(kernel, "params.scale", params.scale),
            "zero_point": check_int(kernel, "params.zero_point", params.zero_point, lo, hi),
        },
    )


def pycmsisnn_quantize_f32_s8(input: np.ndarray, params: AffineParams) -> np.ndarray:
    """QUANTIZE float32 -> int8: round(x / scale) (float32 division, halves away
    from zero) + zero_point, clamped; NaN gives the zero point."""
    k = "pycmsisnn_quantize_f32_s8"
    x = _elements(k, "input", input, np.float32)
    return _run(k, lib.pycmsisnn_quantize_f32_s8, _affine(k, params), x, np.int8, "float", "int8_t")


def pycmsisnn_quantize_f32_s16(input: np.ndarray, params: AffineParams) -> np.ndarray:
    """QUANTIZE float32 -> int16: as ``pycmsisnn_quantize_f32_s8``, clamped to int16."""
    k = "pycmsisnn_quantize_f32_s16"
    x = _elements(k, "input", input, np.float32)
    return _run(k, lib.pycmsisnn_quantize_f32_s16, _affine(k, params, np.int16), x, np.int16, "float", "int16_t")


def pycmsisnn_dequantize_s8(input: np.ndarray, params: AffineParams) -> np.ndarray:
    """DEQUANTIZE int8 -> float32: scale * (q - zero_point)."""
    k = "pycmsisnn_dequantize_s8"
    x = _elements(k, "input", input, np.int8)
    return _run(k, lib.pycmsisnn_dequantize_s8, _affine(k, params), x, np.float32, "int8_t", "float")


def pycmsisnn_dequantize_s16(input: np.ndarray, params: AffineParams) -> np.ndarray:
    """DEQUANTIZE int16 -> float32: scale * (q - zero_point)."""
    k = "pycmsisnn_dequantize_s16"
    x = _elements(k, "input", input, np.int16)
    return _run(k, lib.pycmsisnn_dequantize_s16, _affine(k, params, np.int16), x, np.float32, "int16_t", "float")


__all__ = [
    "pycmsisnn_dequantize_s8",
    "pycmsisnn_dequantize_s16",
    "pycmsisnn_hard_swish_s8",
    "pycmsisnn_leaky_relu_s8",
    "pycmsisnn_logistic_s8",
    "pycmsisnn_quantize_f32_s8",
    "pycmsisnn_quantize_f32_s16",
    "pycmsisnn_relu_s8",
    "pycmsisnn_requantize_s8",
    "pycmsisnn_requantize_s16",
    "pycmsisnn_requantize_s8_s16",
    "pycmsisnn_requantize_s16_s8",
    "pycmsisnn_tanh_s8",
]
