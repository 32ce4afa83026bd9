"""ADD, MUL, MINIMUM and MAXIMUM to the CMSIS-NN elementwise kernels (ADD and MUL
of broadcast shapes to pycmsisnn_broadcast_add_s8 / pycmsisnn_broadcast_mul_s8).

16x8 ADD and MUL (int16, zero point 0) go to arm_elementwise_add_s16 /
arm_elementwise_mul_s16 for equal shapes, to pycmsisnn_broadcast_add_s16 /
pycmsisnn_broadcast_mul_s16 otherwise, with TensorFlow Lite Micro's int16
parameters (``quant.add_params_s16``: left shift 15; ``quant.mul_params_s16``)."""
from __future__ import annotations

from .. import quant
from ..ir import Graph, Operator
from ..params import AddParams, MulParams
from .common import activation_of, activation_of_s16, derivation_reason, is_int16, output, tensor
from .broadcast import binary_reason, broadcast_reason
from .plan import KernelCall, TensorArg
from .registry import rule


def _arg(graph: Graph, index: int) -> object:
    t = graph.tensor(index)
    return t.data if t.is_constant else TensorArg(index)


def _add_mul_check(graph: Graph, op: Operator) -> str | None:
    """Equal shapes go to the arm_elementwise_* kernel, broadcast shapes (rank
    <= 4) to pycmsisnn_broadcast_*."""
    reason = binary_reason(graph, op, s16=True)
    if reason:
        return reason
    a, b = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1")
    if a.shape != b.shape:
        reason = broadcast_reason(a.shape, b.shape, output(graph, op).shape)
    if reason is None and is_int16(a):
        return derivation_reason(_params_s16, graph, op)
    return reason


def _params_s16(graph: Graph, op: Operator) -> AddParams | MulParams:
    """The int16 ADD or MUL parameters of ``op``."""
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    derive = quant.add_params_s16 if op.opcode == "ADD" else quant.mul_params_s16
    return derive(a.quant.scale, b.quant.scale, y.quant.scale, activation_of_s16(op, y))


def _kernel(graph: Graph, op: Operator, s8: tuple[str, str], s16: tuple[str, str]) -> str:
    """The (same shape, broadcast) kernel of ``s8`` or, for int16 operands, of ``s16``."""
    a, b = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1")
    same_shape, broadcast = s16 if is_int16(a) else s8
    return same_shape if a.shape == b.shape else broadcast


@rule("ADD", check=_add_mul_check)
def lower_add(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    params = _params_s16(graph, op) if is_int16(a) else quant.add_params(a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point, y.quant.scale, y.quant.zero_point, activation_of(op, y))
    return KernelCall(op=op, kernel=_kernel(graph, op, ("arm_elementwise_add_s8", "pycmsisnn_broadcast_add_s8"), ("arm_elementwise_add_s16", "pycmsisnn_broadcast_add_s16")), args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": params}, outputs=(y.index,))


@rule("MUL", check=_add_mul_check)
def lower_mul(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    params = _params_s16(graph, op) if is_int16(a) else quant.mul_params(a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point, y.quant.scale, y.quant.zero_point, activation_of(op, y))
    return KernelCall(op=op, kernel=_kernel(graph, op, ("arm_elementwise_mul_s8", "pycmsisnn_broadcast_mul_s8"), ("arm_elementwise_mul_s16", "pycmsisnn_broadcast_mul_s16")), args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": params}, outputs=(y.index,))


def _min_max_check(graph: Graph, op: Operator) -> str | None:
    reason = binary_reason(graph, op, s16=True)
    if reason:
        return reason
    a, b = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1")
    if is_int16(a):
        reason = broadcast_reason(a.shape, b.shape, output(graph, op).shape)
        if reason:
            return reason
    qs = {(t.quant.scale, t.quant.zero_point) for t in (tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)) if t.quant}
    return None if len(qs) == 1 else "inputs and output must share one quantisation"


@rule("MINIMUM", "MAXIMUM", check=_min_max_check)
def lower_min_max(graph: Graph, op: Operator) -> KernelCall:
    kernel = "arm_minimum_s8" if op.opcode == "MINIMUM" else "arm_maximum_s8"
    if is_int16(tensor(graph, op, 0, "input 0")):  # int16: our broadcasting kernels
        kernel = "pycmsisnn_minimum_s16" if op.opcode == "MINIMUM" else "pycmsisnn_maximum_s16"
    return KernelCall(op=op, kernel=kernel, args={"input_1": _arg(graph, op.inputs[0]), "input_2": _arg(graph, op.inputs[1])}, outputs=(op.outputs[0],))
