"""SOFTMAX (int8 in; int8 or int16 out) to the CMSIS-NN softmax kernels."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import SoftmaxOptions, options_as

# Output (scale, zero point, absolute scale tolerance) as TensorFlow Lite
# Micro's SOFTMAX checks them: int8 exactly 1/256; int16 1/65536 within 0.001/65536.
_OUTPUT_QUANT = {np.dtype(np.int8): (1 / 256, -128, 0.0), np.dtype(np.int16): (1 / 65536, -32768, 0.001 / 65536)}


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8]), dtype_reason(y, "output", [np.int8, np.int16]))
    if reason:
        return reason
    if tuple(x.shape) != tuple(y.shape) or not x.shape:
        return f"output shape {list(y.shape)} is not the input's {list(x.shape)}"
    assert x.quant and y.quant
    scale, zp, tolerance = _OUTPUT_QUANT[np.dtype(y.dtype)]
    if abs(y.quant.scale - scale) > tolerance or y.quant.zero_point != zp:
        within = f" (within {tolerance:.3g})" if tolerance else ""
        return (f"output '{y.name}' quantisation must be scale {scale:.9g}{within}, zero point {zp}; "
                f"the model has scale {y.quant.scale:.9g}, zero point {y.quant.zero_point}")
    try:
        quant.softmax_params(x.quant.scale, options_as(op.options, SoftmaxOptions).beta)
    except ValueError as exc:
        return str(exc)
    return None


@rule("SOFTMAX", check=_check)
def lower_softmax(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant
    params = quant.softmax_params(x.quant.scale, options_as(op.options, SoftmaxOptions).beta)
    kernel = "arm_softmax_s8" if y.dtype == np.int8 else "arm_softmax_s8_s16"
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))
