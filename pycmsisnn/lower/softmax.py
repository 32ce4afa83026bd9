"""SOFTMAX (int8 in; int8 or int16 out) to the CMSIS-NN softmax kernels."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule

_OUTPUT_QUANT = {np.dtype(np.int8): (1 / 256, -128), np.dtype(np.int16): (1 / 65536, -32768)}


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8]), dtype_reason(y, "output", [np.int8, np.int16]))
    if reason:
        return reason
    assert x.quant and y.quant
    scale, zp = _OUTPUT_QUANT[np.dtype(y.dtype)]
    if abs(y.quant.scale - scale) > 1e-9 * scale or y.quant.zero_point != zp:
        return f"output quantisation must be scale {scale:g}, zero point {zp}"
    try:
        quant.softmax_params(x.quant.scale, float(op.options.get("beta", 1.0)))
    except ValueError as exc:
        return str(exc)
    return None


@rule("SOFTMAX", check=_check)
def lower_softmax(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant
    params = quant.softmax_params(x.quant.scale, float(op.options.get("beta", 1.0)))
    kernel = "arm_softmax_s8" if y.dtype == np.int8 else "arm_softmax_s8_s16"
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))
