"""SOFTMAX (int8 in, int8 or int16 out; or 16x8: int16 in and out, zero
points 0) to the CMSIS-NN softmax kernels (int16 -> int16: arm_softmax_s16
with TensorFlow Lite Micro's multiplier and its two look-up tables)."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from .common import dtype_reason, first_reason, is_int16, output, tensor, zero_point_s16_reason
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import SoftmaxOptions, options_as

# Output (scale, zero point, absolute scale tolerance) as TensorFlow Lite
# Micro's SOFTMAX checks them: int8 exactly 1/256; int16 1/65536 within
# 0.001/65536 (from int8), 1/32768 within 0.001/32768 (from int16).
_OUTPUT_QUANT = {np.dtype(np.int8): (1 / 256, -128, 0.0), np.dtype(np.int16): (1 / 65536, -32768, 0.001 / 65536)}
_OUTPUT_QUANT_S16 = (1 / 32768, 0, 0.001 / 32768)


def _types_reason(x: Tensor, y: Tensor) -> str | None:
    if is_int16(x):
        return first_reason(dtype_reason(y, "output", [np.int16]), zero_point_s16_reason(x, "input"))
    return first_reason(dtype_reason(x, "input", [np.int8, np.int16]), dtype_reason(y, "output", [np.int8, np.int16]))


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = _types_reason(x, y)
    if reason:
        return reason
    if tuple(x.shape) != tuple(y.shape) or not x.shape:
        return f"output shape {list(y.shape)} is not the input's {list(x.shape)}"
    assert x.quant and y.quant
    scale, zp, tolerance = _OUTPUT_QUANT_S16 if is_int16(x) else _OUTPUT_QUANT[np.dtype(y.dtype)]
    if abs(y.quant.scale - scale) > tolerance or y.quant.zero_point != zp:
        within = f" (within {tolerance:.3g})" if tolerance else ""
        return (f"output '{y.name}' quantisation must be scale {scale:.9g}{within}, zero point {zp}; "
                f"the model has scale {y.quant.scale:.9g}, zero point {y.quant.zero_point}")
    derive = quant.softmax_s16_params if is_int16(x) else quant.softmax_params
    try:
        derive(x.quant.scale, options_as(op.options, SoftmaxOptions).beta)
    except ValueError as exc:
        return str(exc)
    return None


@rule("SOFTMAX", check=_check)
def lower_softmax(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant
    if is_int16(x):
        return _lower_s16(op, x, y)
    params = quant.softmax_params(x.quant.scale, options_as(op.options, SoftmaxOptions).beta)
    kernel = "arm_softmax_s8" if y.dtype == np.int8 else "arm_softmax_s8_s16"
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))


def _lower_s16(op: Operator, x: Tensor, y: Tensor) -> KernelCall:
    assert x.quant
    q = quant.softmax_s16_params(x.quant.scale, options_as(op.options, SoftmaxOptions).beta)
    exp_lut, one_by_one_lut = quant.softmax_s16_luts()
    return KernelCall(
        op=op,
        kernel="arm_softmax_s16",
        args={"input": TensorArg(x.index), "mult": q.multiplier, "shift": q.shift, "exp_lut": exp_lut, "one_by_one_lut": one_by_one_lut},
        outputs=(y.index,),
    )
