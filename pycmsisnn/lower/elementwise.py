"""ADD, MUL, MINIMUM and MAXIMUM to the CMSIS-NN elementwise kernels (ADD and MUL
of broadcast shapes to pycmsisnn_broadcast_add_s8 / pycmsisnn_broadcast_mul_s8)."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from .common import activation_of, dtype_reason, first_reason, fused_activation_reason, output, tensor
from .broadcast import broadcast_reason
from .plan import KernelCall, TensorArg
from .registry import rule


def _binary_reason(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return first_reason(
        dtype_reason(a, "input 0", [np.int8]),
        dtype_reason(b, "input 1", [np.int8]),
        dtype_reason(y, "output", [np.int8]),
        fused_activation_reason(op),
    )


def _arg(graph: Graph, index: int) -> object:
    t = graph.tensor(index)
    return t.data if t.is_constant else TensorArg(index)


def _add_mul_check(graph: Graph, op: Operator) -> str | None:
    """Equal shapes go to the arm_elementwise_* kernel, broadcast shapes (rank
    <= 4) to pycmsisnn_broadcast_*."""
    reason = _binary_reason(graph, op)
    if reason:
        return reason
    a, b = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1")
    if a.shape != b.shape:
        return broadcast_reason(a.shape, b.shape, output(graph, op).shape)
    return None


def _kernel(graph: Graph, op: Operator, same_shape: str, broadcast: str) -> str:
    same = tensor(graph, op, 0, "input 0").shape == tensor(graph, op, 1, "input 1").shape
    return same_shape if same else broadcast


@rule("ADD", check=_add_mul_check)
def lower_add(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    params = quant.add_params(a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point, y.quant.scale, y.quant.zero_point, activation_of(op, y))
    return KernelCall(op=op, kernel=_kernel(graph, op, "arm_elementwise_add_s8", "pycmsisnn_broadcast_add_s8"), args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": params}, outputs=(y.index,))


@rule("MUL", check=_add_mul_check)
def lower_mul(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    params = quant.mul_params(a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point, y.quant.scale, y.quant.zero_point, activation_of(op, y))
    return KernelCall(op=op, kernel=_kernel(graph, op, "arm_elementwise_mul_s8", "pycmsisnn_broadcast_mul_s8"), args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": params}, outputs=(y.index,))


def _min_max_check(graph: Graph, op: Operator) -> str | None:
    reason = _binary_reason(graph, op)
    if reason:
        return reason
    qs = {(t.quant.scale, t.quant.zero_point) for t in (tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)) if t.quant}
    return None if len(qs) == 1 else "inputs and output must share one quantisation"


@rule("MINIMUM", "MAXIMUM", check=_min_max_check)
def lower_min_max(graph: Graph, op: Operator) -> KernelCall:
    kernel = "arm_minimum_s8" if op.opcode == "MINIMUM" else "arm_maximum_s8"
    return KernelCall(op=op, kernel=kernel, args={"input_1": _arg(graph, op.inputs[0]), "input_2": _arg(graph, op.inputs[1])}, outputs=(op.outputs[0],))
