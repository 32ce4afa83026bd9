"""CONCATENATION, PAD, PADV2 and TRANSPOSE to the CMSIS-NN data-movement
kernels (``concatenation_s8`` over the arm_concatenation_s8_* functions,
``arm_pad_s8``, ``arm_transpose_s8``) and, for int16 tensors, to
``concatenation_s16`` (the same Arm functions on the bytes: concatenating is
copying, and a second kernel of the same copy would add nothing),
``pycmsisnn_pad_s16`` and ``pycmsisnn_transpose_s16`` (CMSIS-NN has no int16
pad or transpose).

None of these requantises: TensorFlow Lite Micro copies raw values, so
every input must share the output's scale and zero point (the converter
arranges that; in 16x8 models by a QUANTIZE before CONCATENATION); an
operator whose quantisation differs is refused, as the copy would change the
real values. int8 PAD fills with the output zero point (real 0); int16 PAD
fills with 0 whatever the zero point, as TensorFlow Lite Micro does (16x8
tensors have zero point 0 anyway). PADV2 fills with its constant value, which
must have the input's type and the output's quantisation (TensorFlow Lite
Micro refuses the float32 constant the 16x8 converter writes).
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import ConcatenationOptions, options_as

MAX_RANK = 4


def _rank_reason(t: Tensor, role: str) -> str | None:
    if not 1 <= len(t.shape) <= MAX_RANK:
        return f"{role} '{t.name}' has rank {len(t.shape)}; 1 to {MAX_RANK} are supported"
    return None


def _same_quant_reason(t: Tensor, y: Tensor, role: str) -> str | None:
    assert t.quant and y.quant
    if (t.quant.scales, t.quant.zero_points) != (y.quant.scales, y.quant.zero_points):
        return (
            f"{role} '{t.name}' is quantised differently from the output "
            f"(scale {t.quant.scale:g} zp {t.quant.zero_point} vs scale {y.quant.scale:g} zp {y.quant.zero_point}); "
            "the copy does not requantise"
        )
    return None


def _arg(graph: Graph, index: int) -> object:
    t = graph.tensor(index)
    return t.data if t.is_constant else TensorArg(index)


def _int_constant(graph: Graph, op: Operator, slot: int, role: str) -> tuple[np.ndarray | None, str | None]:
    t = tensor(graph, op, slot, role)
    if t.data is None:
        return None, f"{role} '{t.name}' is not a constant tensor"
    if t.dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        return None, f"{role} '{t.name}' is {t.type_label}, needs int32 or int64"
    return np.asarray(t.data).astype(np.int64), None


# ------------------------------------------------------------- concatenation


def _concat_axis(graph: Graph, op: Operator) -> int:
    rank = len(output(graph, op).shape)
    return options_as(op.options, ConcatenationOptions).axis % rank


def _concat_check(graph: Graph, op: Operator) -> str | None:
    y = output(graph, op)
    reason = first_reason(dtype_reason(y, "output", [np.int8, np.int16]), _rank_reason(y, "output"))
    if reason:
        return reason
    if not op.inputs or any(i < 0 for i in op.inputs):
        return "an input is missing"
    options = options_as(op.options, ConcatenationOptions)
    if options.fused_activation_function != 0:
        return f"fused activation {options.fused_activation_function.name} on CONCATENATION is not supported"
    rank = len(y.shape)
    axis = options.axis
    if not -rank <= axis < rank:
        return f"axis {axis} is outside the output's {rank} dimensions"
    axis %= rank
    total = 0
    for slot in range(len(op.inputs)):
        t = tensor(graph, op, slot, f"input {slot}")
        role = f"input {slot}"
        reason = first_reason(dtype_reason(t, role, [y.dtype.type]), _rank_reason(t, role))
        if reason:
            return reason
        reason = _same_quant_reason(t, y, role)
        if reason:
            return reason
        if len(t.shape) != rank or any(t.shape[d] != y.shape[d] for d in range(rank) if d != axis):
            return f"{role} '{t.name}' shape {list(t.shape)} does not fit output {list(y.shape)} along axis {axis}"
        total += t.shape[axis]
    if total != y.shape[axis]:
        return f"inputs add up to {total} along axis {axis}, the output has {y.shape[axis]}"
    return None


@rule("CONCATENATION", check=_concat_check)
def lower_concatenation(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    return KernelCall(
        op=op,
        kernel="concatenation_s8" if y.dtype == np.int8 else "concatenation_s16",
        args={"inputs": [_arg(graph, i) for i in op.inputs], "axis": _concat_axis(graph, op)},
        outputs=(y.index,),
    )


def _copy_with_constant(graph: Graph, op: Operator, role: str) -> tuple[np.ndarray | None, str | None]:
    """Checks shared by PAD, PADV2 and TRANSPOSE: int8 or int16 input and
    output of one type and quantisation and a supported rank; returns the
    constant int operand 1 (``role``), or the reason the op cannot be lowered."""
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(
        dtype_reason(x, "input", [np.int8, np.int16]),
        dtype_reason(y, "output", [x.dtype.type]),
        _rank_reason(x, "input"),
    ) or _same_quant_reason(x, y, "input")
    if reason:
        return None, reason
    return _int_constant(graph, op, 1, role)


# ----------------------------------------------------------------- pad, padv2


def _pad_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    paddings, reason = _copy_with_constant(graph, op, "paddings")
    if reason:
        return reason
    assert paddings is not None
    if paddings.shape != (len(x.shape), 2):
        return f"paddings have shape {list(paddings.shape)}, expected [{len(x.shape)}, 2]"
    if (paddings < 0).any():
        return f"negative paddings {paddings.tolist()} are not supported"
    expected = tuple(int(d + p[0] + p[1]) for d, p in zip(x.shape, paddings))
    if expected != tuple(y.shape):
        return f"output shape {list(y.shape)} is not the padded shape {list(expected)}"
    if op.opcode == "PADV2":
        value = graph.tensor(op.inputs[2]) if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
        if value is not None:
            if value.data is None:
                return f"constant_values '{value.name}' is not a constant tensor"
            reason = dtype_reason(value, "constant_values", [y.dtype.type])
            if reason:
                return reason
            if value.size != 1:
                return f"constant_values '{value.name}' holds {value.size} values, expected 1"
            reason = _same_quant_reason(value, y, "constant_values")
            if reason:
                return reason
    return None


def _pad_value(graph: Graph, op: Operator) -> int:
    y = output(graph, op)
    if op.opcode == "PADV2" and len(op.inputs) > 2 and op.inputs[2] >= 0:
        data = graph.tensor(op.inputs[2]).data
        assert data is not None
        return int(np.asarray(data).reshape(-1)[0])
    assert y.quant
    return int(y.quant.zero_point) if y.dtype == np.int8 else 0


@rule("PAD", "PADV2", check=_pad_check)
def lower_pad(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    paddings, _ = _int_constant(graph, op, 1, "paddings")
    assert paddings is not None
    return KernelCall(
        op=op,
        kernel="arm_pad_s8" if x.dtype == np.int8 else "pycmsisnn_pad_s16",
        args={
            "input": TensorArg(x.index),
            "pad_value": _pad_value(graph, op),
            "pre_pad": tuple(int(p) for p in paddings[:, 0]),
            "post_pad": tuple(int(p) for p in paddings[:, 1]),
        },
        outputs=(y.index,),
        notes={"pad_value": _pad_value(graph, op)},
    )


# ------------------------------------------------------------------ transpose


def _transpose_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    perm, reason = _copy_with_constant(graph, op, "permutation")
    if reason:
        return reason
    assert perm is not None
    values = [int(p) for p in perm.reshape(-1)]
    if sorted(values) != list(range(len(x.shape))):
        return f"permutation {values} is not a permutation of the input's {len(x.shape)} axes"
    if tuple(x.shape[p] for p in values) != tuple(y.shape):
        return f"output shape {list(y.shape)} is not the permuted input shape"
    return None


@rule("TRANSPOSE", check=_transpose_check)
def lower_transpose(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    perm, _ = _int_constant(graph, op, 1, "permutation")
    assert perm is not None
    return KernelCall(
        op=op,
        kernel="arm_transpose_s8" if x.dtype == np.int8 else "pycmsisnn_transpose_s16",
        args={"input": TensorArg(x.index), "permutations": tuple(int(p) for p in perm.reshape(-1))},
        outputs=(y.index,),
    )
