"""Helpers shared by the op lowering modules: tensor roles, types, clamps."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..errors import CmsisNNError
from .. import quant
from ..ir import Graph, Operator, Tensor
from ..params import Activation
from ..operator_options import activation_code


class LoweringError(ValueError, CmsisNNError):
    """An operator whose tensors or options contradict what its rule expects."""


def tensor(graph: Graph, op: Operator, slot: int, role: str) -> Tensor:
    """Input ``slot`` of ``op``; raises naming the role when it is absent."""
    if slot >= len(op.inputs) or op.inputs[slot] < 0:
        raise LoweringError(f"operator {op.index} ({op.opcode}): the {role} input is missing")
    return graph.tensor(op.inputs[slot])


def optional(graph: Graph, op: Operator, slot: int) -> Tensor | None:
    if slot >= len(op.inputs) or op.inputs[slot] < 0:
        return None
    return graph.tensor(op.inputs[slot])


def output(graph: Graph, op: Operator, slot: int = 0) -> Tensor:
    return graph.tensor(op.outputs[slot])


def dtype_reason(t: Tensor, role: str, allowed: Sequence[type]) -> str | None:
    """Why ``t`` cannot serve as ``role`` (dtype or missing quantisation), or None."""
    names = "/".join(np.dtype(a).name for a in allowed)
    if t.dtype not in [np.dtype(a) for a in allowed]:
        return f"{role} '{t.name}' is {t.type_label}, needs {names}"
    if t.dtype in (np.dtype(np.int8), np.dtype(np.int16)) and t.quant is None:
        return f"{role} '{t.name}' has no quantisation parameters"
    return None


def first_reason(*reasons: str | None) -> str | None:
    return next((r for r in reasons if r), None)


def per_tensor_reason(t: Tensor, role: str) -> str | None:
    """Why ``t`` lacks the single scale and zero point a kernel needs, or None."""
    if t.quant is None:
        return f"{role} '{t.name}' has no quantisation parameters"
    if t.quant.per_channel:
        return f"{role} '{t.name}' is quantised per channel; a single scale is needed"
    return None


def same_size_reason(x: Tensor, y: Tensor) -> str | None:
    """Why an elementwise op cannot map input ``x`` onto output ``y``, or None."""
    if x.size != y.size:
        return f"input has {x.size} elements, output {y.size}"
    if x.is_constant:
        return f"input '{x.name}' is a constant tensor"
    return None


def derivation_reason(derive: Callable[..., object], *args: object) -> str | None:
    """The message of the QuantError (or ValueError) ``derive(*args)`` raises, or None."""
    try:
        derive(*args)
    except ValueError as exc:  # QuantError is a ValueError
        return str(exc)
    return None


def activation_of(op: Operator, out: Tensor) -> Activation:
    """The clamp of the op's fused activation in the output's quantised domain
    (an int16 output's: ``activation_of_s16``)."""
    if is_int16(out):
        return activation_of_s16(op, out)
    assert out.quant is not None
    return quant.activation_range(int(activation_code(op.options)), out.quant.scale, out.quant.zero_point)


def fused_activation_reason(op: Operator) -> str | None:
    act = int(activation_code(op.options))
    if act not in (0, 1, 2, 3):
        return f"fused activation {quant.FusedActivation(act).name} is not supported"
    return None


def as4d(shape: Sequence[int]) -> tuple[int, int, int, int]:
    """A shape of rank <= 4 padded with leading ones."""
    s = tuple(int(d) for d in shape)
    if len(s) > 4:
        raise LoweringError(f"rank {len(s)} is above 4")
    return (1,) * (4 - len(s)) + s  # type: ignore[return-value]


def is_int16(t: Tensor) -> bool:
    """A 16x8 activation: int16."""
    return t.dtype == np.dtype(np.int16)


def zero_point_s16_reason(t: Tensor, role: str) -> str | None:
    """Why the int16 tensor ``t`` cannot serve as ``role``: TensorFlow Lite
    Micro's int16 kernels need one scale and zero point 0. None when it can
    (or when ``t`` is not int16)."""
    if not is_int16(t) or t.quant is None:
        return None
    if t.quant.per_channel:
        return f"{role} '{t.name}' is quantised per channel; a single scale is needed"
    if t.quant.zero_point != 0:
        return f"{role} '{t.name}' is int16 with zero point {t.quant.zero_point}; int16 tensors need zero point 0"
    return None


def activation_of_s16(op: Operator, out: Tensor) -> Activation:
    """The clamp of the op's fused activation in an int16 output's domain."""
    assert out.quant is not None
    return quant.activation_range_s16(int(activation_code(op.options)), out.quant.scale, out.quant.zero_point)
