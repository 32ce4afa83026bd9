"""RESHAPE, SQUEEZE and EXPAND_DIMS: a copy into the new shape (arm_reshape_s8;
``reshape_s16``, the same byte copy, for int16 tensors). The memory plan
makes the output share the input's buffer, so generated code copies nothing."""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8, np.int16]), dtype_reason(y, "output", [x.dtype.type]))
    if reason:
        return reason
    assert x.quant and y.quant
    if (x.quant.scale, x.quant.zero_point) != (y.quant.scale, y.quant.zero_point):
        return "input and output quantisation differ"
    if x.size != y.size:
        return f"input has {x.size} elements, output {y.size}"
    return None


@rule("RESHAPE", "SQUEEZE", "EXPAND_DIMS", check=_check)
def lower_reshape(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    kernel = "arm_reshape_s8" if x.dtype == np.int8 else "reshape_s16"
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "output_shape": y.shape or (1,)}, outputs=(y.index,))
