"""QUANTIZE (float32 -> int8/int16, and between int8 and int16 in every
direction) and DEQUANTIZE (int8/int16 -> float32) to our conversion kernels of
``pycmsisnn_activations.h`` and ``pycmsisnn_tensor_ops_s16.h``.

A model converted with float inputs and outputs starts with a QUANTIZE and
ends with a DEQUANTIZE; the runtime hands the float32 arrays to these kernels
unchanged. Inside a model, an integer QUANTIZE changes scale and zero point
(and maybe type): TensorFlow Lite Micro requantises by s_in / s_out (double)
with QuantizeMultiplier and clamps to the output type. The 16x8 converter
emits int16 -> int16 ones (before CONCATENATION), and int8 models with an
int16 section have int8 -> int16 and int16 -> int8 ones at its borders.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..params import AffineParams, RequantizeParams
from ..quant import affine_params, affine_params_s16, requantize_params, requantize_params_s16
from .common import derivation_reason, dtype_reason, first_reason, output, per_tensor_reason, same_size_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule

F32, I8, I16 = np.dtype(np.float32), np.dtype(np.int8), np.dtype(np.int16)

# (input type, output type) -> the kernel of that QUANTIZE.
QUANTIZE_KERNELS: dict[tuple[np.dtype, np.dtype], str] = {
    (F32, I8): "pycmsisnn_quantize_f32_s8",
    (F32, I16): "pycmsisnn_quantize_f32_s16",
    (I8, I8): "pycmsisnn_requantize_s8",
    (I8, I16): "pycmsisnn_requantize_s8_s16",
    (I16, I16): "pycmsisnn_requantize_s16",
    (I16, I8): "pycmsisnn_requantize_s16_s8",
}
# Input type -> the kernel of that DEQUANTIZE.
DEQUANTIZE_KERNELS: dict[np.dtype, str] = {I8: "pycmsisnn_dequantize_s8", I16: "pycmsisnn_dequantize_s16"}


def _affine(t: Tensor) -> AffineParams:
    """The float32 <-> integer map of an int8 or int16 tensor."""
    assert t.quant is not None
    derive: Callable[[float, int], AffineParams] = affine_params if t.dtype == I8 else affine_params_s16
    return derive(t.quant.scale, t.quant.zero_point)


def _requantize(x: Tensor, y: Tensor) -> RequantizeParams:
    """The requantisation of an integer QUANTIZE from ``x`` to ``y``."""
    assert x.quant is not None and y.quant is not None
    if x.dtype == I8 and y.dtype == I8:
        return requantize_params(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point)
    bits = (8 * x.dtype.itemsize, 8 * y.dtype.itemsize)
    return requantize_params_s16(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point, *bits)


def _quantize_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.float32, np.int8, np.int16]), dtype_reason(y, "output", [np.int8, np.int16]))
    if reason:
        return reason
    reason = first_reason(per_tensor_reason(y, "output"), same_size_reason(x, y))
    if reason:
        return reason
    if x.dtype == F32:
        return derivation_reason(_affine, y)
    return per_tensor_reason(x, "input") or derivation_reason(_requantize, x, y)


@rule("QUANTIZE", check=_quantize_check)
def lower_quantize(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    params = _affine(y) if x.dtype == F32 else _requantize(x, y)
    kernel = QUANTIZE_KERNELS[(np.dtype(x.dtype), np.dtype(y.dtype))]
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))


def _dequantize_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8, np.int16]), dtype_reason(y, "output", [np.float32]))
    if reason:
        return reason
    reason = first_reason(per_tensor_reason(x, "input"), same_size_reason(x, y))
    if reason:
        return reason
    return derivation_reason(_affine, x)


@rule("DEQUANTIZE", check=_dequantize_check)
def lower_dequantize(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    kernel = DEQUANTIZE_KERNELS[np.dtype(x.dtype)]
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": _affine(x)}, outputs=(y.index,))
