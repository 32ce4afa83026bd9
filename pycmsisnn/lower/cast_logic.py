"""CAST, REVERSE_V2, FILL (run-time value), DYNAMIC_UPDATE_SLICE, LOGICAL_AND,
LOGICAL_OR, LOGICAL_NOT and REDUCE_ALL to our ``pycmsisnn_cast_logic.h``
kernels, when their data is computed at run time (constant ones are folded
by ``pycmsisnn.fold``).

What TensorFlow Lite Micro runs, found by running it (tests/lower/test_cast_logic.py):
none of these requantises; values are converted or copied raw, whatever the
scales and zero points. CAST converts between int8, int16, int32, float32 and
bool (not int64): integers wrap to a narrower type, floats are truncated and
saturated (NaN to 0), anything non-zero is true. REVERSE_V2 takes a constant
int32 axis list of contiguous axes. FILL needs constant dims and runs an int8,
int32 or float32 value (int16 and bool fail at Invoke). DYNAMIC_UPDATE_SLICE
runs int8 and int16 (not bool) with int32 or int64 start indices, each clamped
so that the update fits in the operand. LOGICAL_* and REDUCE_ALL take bool;
REDUCE_ANY is not in TensorFlow Lite Micro.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..kernels.cast_logic import DUS_MAX_DIMS, ELEMENT_TYPES
from .common import first_reason, output, tensor
from .compare_select import broadcast_shapes_reason
from .plan import KernelCall, TensorArg
from .registry import RULE_REASON_FIRST, rule

RULE_REASON_FIRST.update({"CAST", "REVERSE_V2", "FILL", "LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT"})


def _operand(graph: Graph, index: int) -> Any:
    """A constant as an array in its shape, an activation as a TensorArg."""
    t = graph.tensor(index)
    if t.is_constant:
        return np.asarray(t.data, dtype=t.dtype).reshape(t.shape)
    return TensorArg(index)


def _type_reason(t: Tensor, role: str, allowed: tuple[type, ...], why: str) -> str | None:
    if t.dtype in [np.dtype(a) for a in allowed]:
        return None
    return f"{role} '{t.name}' is {t.type_label}; {why} " + "/".join(np.dtype(a).name for a in allowed)


def _same_shape_reason(x: Tensor, y: Tensor) -> str | None:
    if tuple(x.shape) != tuple(y.shape):
        return f"output shape {list(y.shape)} differs from the input's {list(x.shape)}"
    return None


def _const_ints(t: Tensor, role: str, dtypes: tuple[type, ...] = (np.int32,)) -> tuple[list[int] | None, str | None]:
    if t.data is None:
        return None, f"{role} '{t.name}' is computed at run time; pycmsisnn needs it constant"
    reason = _type_reason(t, role, dtypes, "needs")
    if reason:
        return None, reason
    return [int(v) for v in np.asarray(t.data).reshape(-1)], None


# ------------------------------------------------------------------------ CAST


def _cast_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    types = tuple(d.type for d in ELEMENT_TYPES)
    why = "TensorFlow Lite Micro casts"
    reason = first_reason(_type_reason(x, "input", types, why), _type_reason(y, "output", types, why))
    if reason:
        return reason
    if x.dtype == y.dtype:
        return f"input and output are both {x.type_label}: nothing to convert"
    return _same_shape_reason(x, y)


@rule("CAST", check=_cast_check)
def lower_cast(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_cast", args={"input": _operand(graph, op.inputs[0]), "output_type": y.dtype.name},
                      outputs=(y.index,))


# ------------------------------------------------------------------ REVERSE_V2


def _reverse_axes(graph: Graph, op: Operator) -> tuple[list[int] | None, str | None]:
    x = tensor(graph, op, 0, "input")
    values, reason = _const_ints(tensor(graph, op, 1, "axis"), "axis")
    if reason:
        return None, reason
    assert values is not None
    rank = len(x.shape)
    if not values:
        return None, "an empty axis list (a copy) is not supported"
    bad = [a for a in values if not -rank <= a < rank]
    if bad:
        return None, f"axis {bad[0]} is outside the input's {rank} dimensions"
    axes = sorted({a % rank for a in values})
    if axes != list(range(axes[0], axes[-1] + 1)):
        return None, f"axes {axes} are not contiguous (TensorFlow Lite Micro reverses contiguous axes only)"
    return axes, None


def _reverse_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(_type_reason(x, "input", (np.int8, np.int16), "pycmsisnn reverses"),
                          _type_reason(y, "output", (x.dtype.type,), "needs the input's type"), _same_shape_reason(x, y))
    if reason:
        return reason
    if not x.shape:
        return "a scalar input has no axis to reverse"
    return _reverse_axes(graph, op)[1]


@rule("REVERSE_V2", check=_reverse_check)
def lower_reverse(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    axes, _ = _reverse_axes(graph, op)
    assert axes is not None
    return KernelCall(op=op, kernel="pycmsisnn_reverse_s8" if x.dtype == np.int8 else "pycmsisnn_reverse_s16",
                      args={"input": _operand(graph, x.index), "axes": tuple(axes)}, outputs=(y.index,))


# ------------------------------------------------------------------------ FILL

_FILL_KERNELS = {np.dtype(np.int8): "pycmsisnn_fill_scalar_s8", np.dtype(np.int32): "pycmsisnn_fill_scalar_s32"}


def _fill_check(graph: Graph, op: Operator) -> str | None:
    dims, value, y = tensor(graph, op, 0, "dims"), tensor(graph, op, 1, "value"), output(graph, op)
    if value.dtype in (np.dtype(np.int16), np.dtype(np.bool_)):
        return f"value '{value.name}' is {value.type_label}; TensorFlow Lite Micro fills float32, int8 and int32 only"
    reason = first_reason(_type_reason(value, "value", (np.int8, np.int32), "pycmsisnn fills"),
                          _type_reason(y, "output", (value.dtype.type,), "needs the value's type"))
    if reason:
        return reason
    if value.shape:
        return f"value '{value.name}' has shape {list(value.shape)}; TensorFlow Lite Micro needs a scalar"
    shape, reason = _const_ints(dims, "dims", (np.int32, np.int64))
    if reason:
        return reason
    if shape != [int(d) for d in y.shape]:
        return f"dims {shape} differ from the output shape {list(y.shape)}"
    return None


@rule("FILL", check=_fill_check)
def lower_fill(graph: Graph, op: Operator) -> KernelCall:
    value, y = tensor(graph, op, 1, "value"), output(graph, op)
    return KernelCall(op=op, kernel=_FILL_KERNELS[value.dtype],
                      args={"value": _operand(graph, value.index), "shape": tuple(int(d) for d in y.shape)}, outputs=(y.index,))


# -------------------------------------------------------- DYNAMIC_UPDATE_SLICE


def _update_slice_check(graph: Graph, op: Operator) -> str | None:
    x, u, s, y = (tensor(graph, op, 0, "operand"), tensor(graph, op, 1, "update"), tensor(graph, op, 2, "start indices"),
                  output(graph, op))
    if x.dtype == np.dtype(np.bool_):
        return f"operand '{x.name}' is bool; TensorFlow Lite Micro updates float32, int8, int16, int32 and int64 only"
    reason = first_reason(_type_reason(x, "operand", (np.int8, np.int16), "pycmsisnn updates"),
                          _type_reason(u, "update", (x.dtype.type,), "needs the operand's type"),
                          _type_reason(y, "output", (x.dtype.type,), "needs the operand's type"),
                          _same_shape_reason(x, y),
                          _type_reason(s, "start indices", (np.int32, np.int64), "needs"))
    if reason:
        return reason
    if s.dtype == np.dtype(np.int64) and not s.is_constant:
        return f"start indices '{s.name}' are int64 computed at run time; pycmsisnn takes int32 (or constant int64)"
    rank = len(x.shape)
    if not 1 <= rank <= DUS_MAX_DIMS:
        return f"operand rank {rank} is not supported (1 to {DUS_MAX_DIMS})"
    if len(u.shape) != rank:
        return f"update '{u.name}' has rank {len(u.shape)}, the operand {rank} (TensorFlow Lite Micro needs them equal)"
    if any(a > b for a, b in zip(u.shape, x.shape)):
        return f"update shape {list(u.shape)} exceeds the operand's {list(x.shape)}"
    if s.size != rank:
        return f"start indices '{s.name}' hold {s.size} values, the operand has {rank} dimensions"
    return None


def _start(graph: Graph, index: int) -> Any:
    """Run-time int32 start indices as a TensorArg, constant ones as int32
    (int64 clipped into int32 first: the kernel's clamp gives the same block)."""
    s = graph.tensor(index)
    if s.data is None:
        return TensorArg(index, (s.size,))
    return np.clip(np.asarray(s.data).reshape(-1).astype(np.int64), -(2**31), 2**31 - 1).astype(np.int32)


@rule("DYNAMIC_UPDATE_SLICE", check=_update_slice_check)
def lower_update_slice(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "operand"), output(graph, op)
    return KernelCall(
        op=op, kernel="pycmsisnn_dynamic_update_slice_s8" if x.dtype == np.int8 else "pycmsisnn_dynamic_update_slice_s16",
        args={"operand": _operand(graph, op.inputs[0]), "update": _operand(graph, op.inputs[1]), "start": _start(graph, op.inputs[2])},
        outputs=(y.index,),
    )


# ----------------------------------------------------------- logical operators


def _bool_reason(t: Tensor, role: str) -> str | None:
    return _type_reason(t, role, (np.bool_,), "logical operators take")


def _binary_operand(graph: Graph, index: int) -> Any:
    """As ``_operand``, a scalar (rank 0) viewed as shape (1,)."""
    t = graph.tensor(index)
    if t.shape:
        return _operand(graph, index)
    return np.asarray(t.data, dtype=t.dtype).reshape(1) if t.is_constant else TensorArg(index, (1,))


def _logical_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return first_reason(_bool_reason(a, "input 0"), _bool_reason(b, "input 1"), _bool_reason(y, "output"),
                        broadcast_shapes_reason([a.shape or (1,), b.shape or (1,)], y.shape))


@rule("LOGICAL_AND", "LOGICAL_OR", check=_logical_check)
def lower_logical(graph: Graph, op: Operator) -> KernelCall:
    return KernelCall(
        op=op, kernel="pycmsisnn_logical_and" if op.opcode == "LOGICAL_AND" else "pycmsisnn_logical_or",
        args={"input_1": _binary_operand(graph, op.inputs[0]), "input_2": _binary_operand(graph, op.inputs[1])},
        outputs=(op.outputs[0],),
    )


def _not_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return first_reason(_bool_reason(x, "input"), _bool_reason(y, "output"), _same_shape_reason(x, y))


@rule("LOGICAL_NOT", check=_not_check)
def lower_not(graph: Graph, op: Operator) -> KernelCall:
    return KernelCall(op=op, kernel="pycmsisnn_logical_not", args={"input": _operand(graph, op.inputs[0])}, outputs=(op.outputs[0],))


# ------------------------------------------------------------------ REDUCE_ALL


def _reduce_axes(graph: Graph, op: Operator) -> tuple[list[int] | None, str | None]:
    x = tensor(graph, op, 0, "input")
    values, reason = _const_ints(tensor(graph, op, 1, "axis"), "axis")
    if reason:
        return None, reason
    assert values is not None
    rank = len(x.shape)
    if not 1 <= rank <= 4:
        return None, f"input rank {rank} is not supported (1 to 4)"
    if not values:
        return None, "an empty axis list (a copy) is not supported"
    bad = [a for a in values if not -rank <= a < rank]
    if bad:
        return None, f"axis {bad[0]} is outside the input's {rank} dimensions"
    return sorted({a % rank for a in values}), None


def _reduce_all_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(_bool_reason(x, "input"), _bool_reason(y, "output"))
    if reason:
        return reason
    axes, reason = _reduce_axes(graph, op)
    if reason:
        return reason
    assert axes is not None
    kept = int(np.prod([d for a, d in enumerate(x.shape) if a not in axes], dtype=np.int64))
    if kept != y.size:
        return f"output shape {list(y.shape)} does not match a reduction of {list(x.shape)} over axes {axes}"
    return None


@rule("REDUCE_ALL", check=_reduce_all_check)
def lower_reduce_all(graph: Graph, op: Operator) -> KernelCall:
    axes, _ = _reduce_axes(graph, op)
    assert axes is not None
    return KernelCall(op=op, kernel="pycmsisnn_reduce_all",
                      args={"input": _operand(graph, op.inputs[0]), "axes": tuple(axes), "keep_dims": True},
                      outputs=(op.outputs[0],))
