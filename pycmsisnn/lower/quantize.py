"""QUANTIZE (float32 -> int8, int8 -> int8) and DEQUANTIZE (int8 -> float32)
to our conversion kernels of ``pycmsisnn_activations.h``.

A model converted with float inputs and outputs starts with a QUANTIZE and
ends with a DEQUANTIZE; the runtime hands the float32 arrays to these kernels
unchanged. Inside a model, an int8 -> int8 QUANTIZE changes scale and zero
point: TensorFlow Lite Micro requantises by s_in / s_out (double) with
QuantizeMultiplier and clamps to int8.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from ..quant import affine_params, requantize_params
from .common import derivation_reason, dtype_reason, first_reason, output, per_tensor_reason, same_size_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule


def _quantize_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.float32, np.int8]), dtype_reason(y, "output", [np.int8]))
    if reason:
        return reason
    reason = first_reason(per_tensor_reason(y, "output"), same_size_reason(x, y))
    if reason:
        return reason
    assert y.quant is not None
    if x.dtype == np.float32:
        return derivation_reason(affine_params, y.quant.scale, y.quant.zero_point)
    reason = per_tensor_reason(x, "input")
    if reason:
        return reason
    assert x.quant is not None
    return derivation_reason(requantize_params, x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point)


@rule("QUANTIZE", check=_quantize_check)
def lower_quantize(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert y.quant is not None
    if x.dtype == np.float32:
        kernel, params = "pycmsisnn_quantize_f32_s8", affine_params(y.quant.scale, y.quant.zero_point)
    else:
        assert x.quant is not None
        kernel = "pycmsisnn_requantize_s8"
        params = requantize_params(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point)  # type: ignore[assignment]
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))


def _dequantize_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8]), dtype_reason(y, "output", [np.float32]))
    if reason:
        return reason
    reason = first_reason(per_tensor_reason(x, "input"), same_size_reason(x, y))
    if reason:
        return reason
    assert x.quant is not None
    return derivation_reason(affine_params, x.quant.scale, x.quant.zero_point)


@rule("DEQUANTIZE", check=_dequantize_check)
def lower_dequantize(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant is not None
    return KernelCall(
        op=op, kernel="pycmsisnn_dequantize_s8", args={"input": TensorArg(x.index), "params": affine_params(x.quant.scale, x.quant.zero_point)}, outputs=(y.index,)
    )
