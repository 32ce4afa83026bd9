"""Our int16 (16x8) kernels of operators CMSIS-NN lacks
(``pycmsisnn_tensor_ops_s16.h``, ``pycmsisnn_activations_s16.h``).

``pycmsisnn_broadcast_add_s16``, ``pycmsisnn_broadcast_sub_s16`` and
``pycmsisnn_broadcast_mul_s16`` (arrays of rank 1 to 4 broadcasting
NumPy-style; SUB also serves equal shapes), ``pycmsisnn_logistic_s16`` and
``pycmsisnn_tanh_s16`` (any input scale; ``SigmoidTanhS16Params`` from
``quant.sigmoid_tanh_s16_params``), ``pycmsisnn_relu_s16`` (RELU, RELU6:
``ReluParams`` from ``quant.relu_params_s16``) and
``pycmsisnn_leaky_relu_s16`` (``LeakyReluParams`` from
``quant.leaky_relu_params_s16``). ADD and SUB take ``AddParams`` from
``quant.add_params_s16``, MUL ``MulParams`` from ``quant.mul_params_s16``.

int16 tensors are symmetric: every offset must be 0. Each wrapper validates
its arguments before any C runs and returns a new array.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..params import Activation, AddParams, LeakyReluParams, MulParams, ReluParams, SigmoidTanhS16Params
from ._base import (
    DIM_MAX,
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    INT32_MIN,
    SHIFT_MIN,
    check_activation,
    check_array,
    check_int,
    check_multiplier,
    check_shift,
    dims,
    fail,
    ffi,
    invoke,
    lib,
    ptr,
)
from .elementwise import broadcast_shape
from ._base import nhwc as _nhwc

# ADD/SUB shift each int16 input left by at most this much without leaving
# int32 (32767 << 16 < 2^31, -32768 << 16 = -2^31).
ADD_S16_LEFT_SHIFT_MAX = 16
# Shifts of the activation kernels' requantisation: left by up to 31, right by up to 31.
REQUANT_SHIFT_MIN, REQUANT_SHIFT_MAX = -31, 31
# The sigmoid/tanh input rescaling: x * multiplier stays within int32 for every int16 x.
SIGMOID_TANH_S16_MULT_MAX = 65535
SIGMOID_TANH_S16_SHIFT_MAX = 31


def _zero(kernel: str, name: str, value: Any) -> int:
    """An offset of a symmetric int16 tensor: only 0."""
    return check_int(kernel, name, value, 0, 0)


def _elements(kernel: str, name: str, arr: Any) -> np.ndarray:
    """A non-empty int16 array of any shape with an int32 element count."""
    x = check_array(kernel, name, arr, np.int16)
    if x.size > INT32_MAX:
        raise fail(kernel, name, f"{x.size} elements do not fit the int32 size")
    return x


def _params(kernel: str, params: Any, cls: type) -> None:
    if not isinstance(params, cls):
        raise fail(kernel, "params", f"must be a {cls.__name__}, got {type(params).__name__}")


# ------------------------------------------------------ broadcast arithmetic


def _broadcast_pair(kernel: str, input_1: Any, input_2: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    a = check_array(kernel, "input_1", input_1, np.int16, (1, 2, 3, 4))
    b = check_array(kernel, "input_2", input_2, np.int16, (1, 2, 3, 4))
    shape = broadcast_shape(kernel, a.shape, b.shape)
    if any(d > DIM_MAX for d in shape):
        raise fail(kernel, "input_1", f"broadcast shape {shape} has a dimension above {DIM_MAX}")
    if int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(kernel, "input_1", f"broadcast shape {shape} has more than {INT32_MAX} elements")
    return a, b, shape


def _clamp(kernel: str, lo: Any, hi: Any) -> dict[str, int]:
    a = check_int(kernel, "params.out_activation_min", lo, INT16_MIN, INT16_MAX)
    b = check_int(kernel, "params.out_activation_max", hi, INT16_MIN, INT16_MAX)
    if a > b:
        raise fail(kernel, "params.out_activation_min", f"{a} is above out_activation_max {b}")
    return {"min": a, "max": b}


def _non_positive_shift(kernel: str, name: str, value: Any) -> int:
    """A shift that only divides (rounding right shift): [-31, 0]."""
    return check_int(kernel, name, check_shift(kernel, name, value), SHIFT_MIN, 0)


def _add_params(kernel: str, params: Any) -> Any:
    _params(kernel, params, AddParams)
    return ffi.new(
        "pycmsisnn_add_params *",
        {
            "input_1_offset": _zero(kernel, "params.input_1_offset", params.input_1_offset),
            "input_1_mult": check_multiplier(kernel, "params.input_1_mult", params.input_1_mult),
            "input_1_shift": _non_positive_shift(kernel, "params.input_1_shift", params.input_1_shift),
            "input_2_offset": _zero(kernel, "params.input_2_offset", params.input_2_offset),
            "input_2_mult": check_multiplier(kernel, "params.input_2_mult", params.input_2_mult),
            "input_2_shift": _non_positive_shift(kernel, "params.input_2_shift", params.input_2_shift),
            "left_shift": check_int(kernel, "params.left_shift", params.left_shift, 0, ADD_S16_LEFT_SHIFT_MAX),
            "output_offset": _zero(kernel, "params.out_offset", params.out_offset),
            "output_mult": check_multiplier(kernel, "params.out_mult", params.out_mult),
            "output_shift": _non_positive_shift(kernel, "params.out_shift", params.out_shift),
            "activation": _clamp(kernel, params.out_activation_min, params.out_activation_max),
        },
    )


def _run_broadcast(kernel: str, fn: Any, c_params: Any, a: np.ndarray, b: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=np.int16)
    return invoke(
        kernel, fn, c_params,
        dims(_nhwc(a.shape)), ptr(a, "int16_t"),
        dims(_nhwc(b.shape)), ptr(b, "int16_t"),
        dims(_nhwc(shape)), ptr(out, "int16_t"),
        output=out,
    )


def pycmsisnn_broadcast_add_s16(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised ADD of two int16 arrays of rank 1 to 4 broadcasting
    NumPy-style (right-aligned; an extent of 1 repeats), with the arithmetic
    of ``arm_elementwise_add_s16``. Returns a new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_add_s16"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    return _run_broadcast(k, lib.pycmsisnn_broadcast_add_s16, _add_params(k, params), a, b, shape)


def pycmsisnn_broadcast_sub_s16(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised SUB (``input_1 - input_2``) of two int16 arrays of rank 1 to 4
    broadcasting NumPy-style: as ADD, the rescaled second input subtracted.
    Returns a new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_sub_s16"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    return _run_broadcast(k, lib.pycmsisnn_broadcast_sub_s16, _add_params(k, params), a, b, shape)


def pycmsisnn_broadcast_mul_s16(input_1: np.ndarray, input_2: np.ndarray, params: MulParams) -> np.ndarray:
    """Quantised MUL of two int16 arrays of rank 1 to 4 broadcasting
    NumPy-style, with the arithmetic of ``arm_elementwise_mul_s16``
    (``clamp(rq(x1 * x2, m, s))``). Returns a new array of the broadcast shape."""
    k = "pycmsisnn_broadcast_mul_s16"
    a, b, shape = _broadcast_pair(k, input_1, input_2)
    _params(k, params, MulParams)
    c_params = ffi.new(
        "pycmsisnn_mul_params *",
        {
            "input_1_offset": _zero(k, "params.input_1_offset", params.input_1_offset),
            "input_2_offset": _zero(k, "params.input_2_offset", params.input_2_offset),
            "output_offset": _zero(k, "params.out_offset", params.out_offset),
            "output_mult": check_multiplier(k, "params.out_mult", params.out_mult),
            "output_shift": check_shift(k, "params.out_shift", params.out_shift),
            "activation": _clamp(k, params.out_activation_min, params.out_activation_max),
        },
    )
    return _run_broadcast(k, lib.pycmsisnn_broadcast_mul_s16, c_params, a, b, shape)


# --------------------------------------------------------------- activations


def _map(kernel: str, fn: Callable[..., int], c_params: Any, x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape, dtype=np.int16)
    return invoke(kernel, fn, c_params, ptr(x, "int16_t"), ptr(out, "int16_t"), int(x.size), output=out)


def _sigmoid_tanh(kernel: str, fn: Callable[..., int], input: Any, params: Any) -> np.ndarray:  # noqa: A002
    x = _elements(kernel, "input", input)
    _params(kernel, params, SigmoidTanhS16Params)
    c = ffi.new(
        "pycmsisnn_sigmoid_tanh_s16_params *",
        {
            "input_multiplier": check_int(kernel, "params.input_multiplier", params.input_multiplier, 1, SIGMOID_TANH_S16_MULT_MAX),
            "input_left_shift": check_int(kernel, "params.input_left_shift", params.input_left_shift, 0, SIGMOID_TANH_S16_SHIFT_MAX),
        },
    )
    return _map(kernel, fn, c, x)


def pycmsisnn_logistic_s16(input: np.ndarray, params: SigmoidTanhS16Params) -> np.ndarray:  # noqa: A002
    """int16 LOGISTIC for any input scale; output scale 2^-15, zero point 0."""
    return _sigmoid_tanh("pycmsisnn_logistic_s16", lib.pycmsisnn_logistic_s16, input, params)


def pycmsisnn_tanh_s16(input: np.ndarray, params: SigmoidTanhS16Params) -> np.ndarray:  # noqa: A002
    """int16 TANH for any input scale; output scale 2^-15, zero point 0."""
    return _sigmoid_tanh("pycmsisnn_tanh_s16", lib.pycmsisnn_tanh_s16, input, params)


def pycmsisnn_relu_s16(input: np.ndarray, params: ReluParams) -> np.ndarray:  # noqa: A002
    """Requantise and clamp each int16 element: RELU (s_in / s_out, clamp at
    the output's zero) and RELU6 (multiplier 2^30 with shift 1: clamp only)."""
    k = "pycmsisnn_relu_s16"
    x = _elements(k, "input", input)
    _params(k, params, ReluParams)
    act: Activation = check_activation(k, "params.activation", params.activation, INT16_MIN, INT16_MAX)
    c = ffi.new(
        "pycmsisnn_relu_params *",
        {
            "input_offset": _zero(k, "params.input_offset", params.input_offset),
            "output_offset": _zero(k, "params.output_offset", params.output_offset),
            "output_multiplier": check_multiplier(k, "params.output_multiplier", params.output_multiplier),
            "output_shift": check_int(k, "params.output_shift", params.output_shift, REQUANT_SHIFT_MIN, REQUANT_SHIFT_MAX),
            "activation": {"min": int(act.min), "max": int(act.max)},
        },
    )
    return _map(k, lib.pycmsisnn_relu_s16, c, x)


def pycmsisnn_leaky_relu_s16(input: np.ndarray, params: LeakyReluParams) -> np.ndarray:  # noqa: A002
    """int16 LEAKY_RELU: identity multiplier for inputs >= 0, alpha multiplier
    (which may be negative) for the others, clamped to int16."""
    k = "pycmsisnn_leaky_relu_s16"
    x = _elements(k, "input", input)
    _params(k, params, LeakyReluParams)
    c = ffi.new(
        "pycmsisnn_leaky_relu_params *",
        {
            "input_offset": _zero(k, "params.input_offset", params.input_offset),
            "output_offset": _zero(k, "params.output_offset", params.output_offset),
            "identity_multiplier": check_multiplier(k, "params.identity_multiplier", params.identity_multiplier),
            "identity_shift": check_int(k, "params.identity_shift", params.identity_shift, REQUANT_SHIFT_MIN, REQUANT_SHIFT_MAX),
            "alpha_multiplier": check_int(k, "params.alpha_multiplier", params.alpha_multiplier, INT32_MIN + 1, INT32_MAX),
            "alpha_shift": check_int(k, "params.alpha_shift", params.alpha_shift, REQUANT_SHIFT_MIN, REQUANT_SHIFT_MAX),
        },
    )
    return _map(k, lib.pycmsisnn_leaky_relu_s16, c, x)


__all__ = [
    "pycmsisnn_broadcast_add_s16",
    "pycmsisnn_broadcast_sub_s16",
    "pycmsisnn_broadcast_mul_s16",
    "pycmsisnn_logistic_s16",
    "pycmsisnn_tanh_s16",
    "pycmsisnn_relu_s16",
    "pycmsisnn_leaky_relu_s16",
]
