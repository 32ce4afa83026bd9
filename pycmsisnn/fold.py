"""Constant folding: shape arithmetic evaluated once, at load time.

Models converted with a dynamic batch keep the shape computations TensorFlow
wrote: SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE, UNPACK and MUL of shape
parts, CONCATENATION of int32 shape vectors, CAST, comparisons. TensorFlow
Lite Micro runs them at every invoke; their results never change (our shapes
are static), so this pass evaluates them with numpy between reading and
lowering, replaces their outputs by constant tensors and drops the operators,
repeating until nothing more folds. What it folds:

* shape arithmetic: an operator of ``FOLDERS`` whose outputs are int32, int64
  or bool, whose inputs are all constant (SHAPE: whose input's shape is
  static), in a type TensorFlow Lite Micro runs it in;
* pure data movement of int8 / int16 constants (RESHAPE, GATHER, PACK, ...)
  when every moved tensor has the output's quantisation: the values are copied,
  nothing is computed.

Float arithmetic and int8 / int16 arithmetic are never folded. An input
TensorFlow Lite Micro needs constant in the model file (FILL's dims,
STRIDED_SLICE's begin/end/strides, TRANSPOSE's perm, ...) must be so in the
file: a model where it is computed is refused, as TensorFlow Lite Micro
refuses it. What stays dynamic (a shape computed from a tensor's data) is
refused naming the operator and the input it depends on (``fold_reason``).

The folded graph keeps every tensor under its index in the file (the
references compare tensors by index); tensors only the removed operators used
are no longer referenced, so nothing emits them. ``Graph.folded`` lists the
removed operators. ``PYCMSISNN_NO_FOLDING=1`` switches the pass off (for
debugging): such models are then refused.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .errors import CmsisNNError
from .ir import FoldedOperator, Graph, Operator, Tensor
from .operator_options import (Activation, AxisCountOptions, GatherOptions, ConcatenationOptions, StridedSliceOptions, activation_code,
                               options_as)

NO_FOLDING_ENV = "PYCMSISNN_NO_FOLDING"
_SHAPE_TYPES = ("int32", "int64", "bool")
_MOVED_TYPES = ("int8", "int16")
_I32 = (-(1 << 31), (1 << 31) - 1)


class FoldError(ValueError, CmsisNNError):
    """An operator whose constant inputs cannot be evaluated exactly."""


Values = list["np.ndarray | None"]
Evaluate = Callable[[Operator, Values, Sequence[Tensor]], list[np.ndarray]]


@dataclass(frozen=True)
class Folder:
    """How to evaluate one operator, and in which types TensorFlow Lite Micro
    runs it as shape arithmetic."""

    evaluate: Evaluate
    types: tuple[str, ...]  # dtypes of its inputs and outputs TFLM runs (int32 / int64 / bool)
    file_constant: tuple[tuple[int, str], ...] = ()  # (slot, role) TFLM needs constant in the model file
    moves: bool = False  # pure data movement: int8 / int16 constants of one quantisation fold too
    input_types: tuple[str, ...] | None = None  # the inputs' dtypes when they differ from ``types`` (CAST)


def folding_enabled() -> bool:
    """False when ``PYCMSISNN_NO_FOLDING`` is set to a true value."""
    return os.environ.get(NO_FOLDING_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


# --------------------------------------------------------------- evaluation

def _ints(a: np.ndarray | None) -> list[int]:
    assert a is not None
    return [int(v) for v in np.asarray(a).reshape(-1)]


def _axis(axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < max(rank, 1):
        raise FoldError(f"{what} {axis} is outside a rank-{rank} tensor")
    return axis + rank if axis < 0 else axis


def _given(values: Values) -> list[np.ndarray]:
    return [v for v in values if v is not None]


def _shape(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    return [np.array(ins[0].shape, dtype=np.int64)]


def _strided_slice(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    from .lower.slice import SliceError, resolve_strided_slice

    o = options_as(op.options, StridedSliceOptions)
    if o.ellipsis_mask or o.new_axis_mask or o.offset:
        raise FoldError("ellipsis_mask, new_axis_mask and offset are not supported (TensorFlow Lite Micro ignores them)")
    x = values[0]
    assert x is not None
    try:
        firsts, steps, counts = resolve_strided_slice(x.shape, _ints(values[1]), _ints(values[2]), _ints(values[3]),
                                                      o.begin_mask, o.end_mask, o.shrink_axis_mask)
    except SliceError as exc:
        raise FoldError(str(exc)) from None
    for axis, (first, step, count) in enumerate(zip(firsts, steps, counts)):
        x = np.take(x, first + step * np.arange(count), axis=axis)
    return [x]


def _slice(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    begin, size = _ints(values[1]), _ints(values[2])
    if not len(begin) == len(size) == x.ndim:
        raise FoldError(f"begin and size need {x.ndim} entries, got {len(begin)} and {len(size)}")
    index = []
    for axis, (b, s) in enumerate(zip(begin, size)):
        stop = x.shape[axis] if s == -1 else b + s
        if not 0 <= b <= stop <= x.shape[axis]:
            raise FoldError(f"axis {axis}: begin {b}, size {s} lie outside its extent {x.shape[axis]}")
        index.append(slice(b, stop))
    return [x[tuple(index)]]


def _pack(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    xs = _given(values)
    if len({x.shape for x in xs}) != 1:
        raise FoldError("the packed tensors differ in shape")
    return [np.stack(xs, axis=_axis(options_as(op.options, AxisCountOptions).axis, xs[0].ndim + 1))]


def _unpack(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    axis = _axis(options_as(op.options, AxisCountOptions).axis, x.ndim)
    if x.shape[axis] != len(op.outputs):
        raise FoldError(f"axis {axis} has {x.shape[axis]} entries, the operator has {len(op.outputs)} outputs")
    return list(np.moveaxis(x, axis, 0))


def _split(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[1]
    assert x is not None
    axis = _axis(_ints(values[0])[0], x.ndim)
    if x.shape[axis] % len(op.outputs):
        raise FoldError(f"axis {axis} ({x.shape[axis]}) does not split into {len(op.outputs)} equal parts")
    return list(np.split(x, len(op.outputs), axis=axis))


def _split_v(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    sizes, axis = _ints(values[1]), _axis(_ints(values[2])[0], x.ndim)
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    if len(sizes) != len(op.outputs) or sum(sizes) != x.shape[axis] or min(sizes) < 0:
        raise FoldError(f"size_splits {_ints(values[1])} do not split axis {axis} ({x.shape[axis]}) into {len(op.outputs)} parts")
    return list(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _cast(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    return [x]  # converted to the output's type by the caller (to bool: x != 0)


def _concatenation(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    o = options_as(op.options, ConcatenationOptions)
    if o.fused_activation_function != Activation.NONE:
        raise FoldError(f"fused activation {o.fused_activation_function.name} on a concatenation is not supported")
    xs = _given(values)
    return [np.concatenate(xs, axis=_axis(o.axis, xs[0].ndim))]


def _clamped(op: Operator, y: np.ndarray) -> np.ndarray:
    act = activation_code(op.options)
    bounds = {Activation.NONE: (None, None), Activation.RELU: (0, None), Activation.RELU6: (0, 6),
              Activation.RELU_N1_TO_1: (-1, 1)}
    if act not in bounds:
        raise FoldError(f"fused activation {act.name} on int32 is not supported")
    low, high = bounds[act]
    y = y if low is None else np.asarray(np.maximum(y, low), dtype=object)
    return y if high is None else np.asarray(np.minimum(y, high), dtype=object)


def _arithmetic(fn: Callable[[np.ndarray, np.ndarray], np.ndarray], clamps: bool = True) -> Evaluate:
    """An int32 binary operator; ``clamps``: it applies its fused activation
    (TensorFlow Lite Micro's int32 SUB and MUL do, its int32 ADD ignores it)."""

    def evaluate(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
        a, b = (np.asarray(v, dtype=object) for v in _given(values))  # exact integers
        try:
            y = np.asarray(fn(a, b), dtype=object)
            y = _clamped(op, y) if clamps else y
        except ValueError as exc:  # shapes that do not broadcast
            raise FoldError(str(exc)) from None
        if y.size and not (_I32[0] <= min(y.reshape(-1)) and max(y.reshape(-1)) <= _I32[1]):
            raise FoldError("the result overflows int32")
        return [np.asarray(y, dtype=np.int64)]

    return evaluate


def _elementwise(fn: Callable[..., np.ndarray]) -> Evaluate:
    def evaluate(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
        try:
            return [np.asarray(fn(*_given(values)))]
        except ValueError as exc:
            raise FoldError(str(exc)) from None

    return evaluate


def _same(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    return [x]  # reshaped to the output's shape by the caller


def _transpose(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    perm = _ints(values[1])
    if sorted(perm) != list(range(x.ndim)):
        raise FoldError(f"perm {perm} is not a permutation of {x.ndim} axes")
    return [np.transpose(x, perm)]


def _reverse(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    return [np.flip(x, axis=tuple(_axis(a, x.ndim) for a in _ints(values[1])))]


def _fill(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    dims, value = _ints(values[0]), values[1]
    assert value is not None
    if any(d < 0 for d in dims) or value.size != 1:
        raise FoldError(f"dims {dims} or the fill value is invalid")
    return [np.full(dims, value.reshape(-1)[0], dtype=value.dtype)]


def _broadcast_to(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x = values[0]
    assert x is not None
    try:
        return [np.broadcast_to(x, _ints(values[1]))]
    except ValueError as exc:
        raise FoldError(str(exc)) from None


def _broadcast_args(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    try:
        return [np.array(np.broadcast_shapes(tuple(_ints(values[0])), tuple(_ints(values[1]))), dtype=np.int64)]
    except ValueError as exc:
        raise FoldError(str(exc)) from None


def _gather(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x, idx = values[0], values[1]
    assert x is not None and idx is not None
    o = options_as(op.options, GatherOptions)
    if o.batch_dims:
        raise FoldError(f"batch_dims {o.batch_dims} is not supported")
    axis = _axis(o.axis, x.ndim)
    if idx.size and (idx.min() < 0 or idx.max() >= x.shape[axis]):
        raise FoldError(f"an index lies outside axis {axis} ({x.shape[axis]} entries)")
    return [np.take(x, idx, axis=axis)]


def _gather_nd(op: Operator, values: Values, ins: Sequence[Tensor]) -> list[np.ndarray]:
    x, idx = values[0], values[1]
    assert x is not None and idx is not None
    depth = idx.shape[-1] if idx.ndim else 0
    if not 1 <= depth <= x.ndim or np.any(idx < 0) or np.any(idx >= np.array(x.shape[:depth])):
        raise FoldError("an index lies outside the params tensor")
    flat = idx.reshape(-1, depth)
    return [x[tuple(flat.T)].reshape(idx.shape[:-1] + x.shape[depth:])]


_I = ("int32",)
_IL = ("int32", "int64")
_ILB = ("int32", "int64", "bool")
_B = ("bool",)
_COMPARE = {"EQUAL": np.equal, "NOT_EQUAL": np.not_equal, "LESS": np.less, "LESS_EQUAL": np.less_equal,
            "GREATER": np.greater, "GREATER_EQUAL": np.greater_equal}

# The operators this pass evaluates. ``types`` are those TensorFlow Lite
# Micro runs each in (found by running it): e.g. it runs ADD and MUL on int32
# but not int64, SHAPE with an int32 output only, and GATHER, TRANSPOSE and
# EXPAND_DIMS on int8 and int16, not int32 (so they fold as data movement only).
FOLDERS: dict[str, Folder] = {
    "SHAPE": Folder(_shape, _I, input_types=()),
    "STRIDED_SLICE": Folder(_strided_slice, _IL, ((1, "begin"), (2, "end"), (3, "strides")), moves=True),
    "SLICE": Folder(_slice, _I, moves=True),
    "PACK": Folder(_pack, _IL, moves=True),
    "UNPACK": Folder(_unpack, _IL, moves=True),
    "SPLIT": Folder(_split, _I, ((0, "axis"),), moves=True),
    "SPLIT_V": Folder(_split_v, _I, ((2, "axis"),), moves=True),
    "CAST": Folder(_cast, ("int32", "bool"), input_types=("int8", "int16", "int32", "bool")),
    "CONCATENATION": Folder(_concatenation, _IL, moves=True),
    "ADD": Folder(_arithmetic(lambda a, b: a + b, clamps=False), _I),
    "SUB": Folder(_arithmetic(lambda a, b: a - b), _I),
    "MUL": Folder(_arithmetic(lambda a, b: a * b), _I),
    "MAXIMUM": Folder(_arithmetic(np.maximum), _I),
    "MINIMUM": Folder(_arithmetic(np.minimum), _I),
    "SQUARED_DIFFERENCE": Folder(_arithmetic(lambda a, b: (a - b) * (a - b)), _I),
    **{code: Folder(_elementwise(fn), _ILB) for code, fn in _COMPARE.items()},
    "LOGICAL_AND": Folder(_elementwise(np.logical_and), _B),
    "LOGICAL_OR": Folder(_elementwise(np.logical_or), _B),
    "LOGICAL_NOT": Folder(_elementwise(np.logical_not), _B),
    "ZEROS_LIKE": Folder(_elementwise(np.zeros_like), _IL),
    "BROADCAST_ARGS": Folder(_broadcast_args, _I),
    "RESHAPE": Folder(_same, _I, moves=True),
    "SQUEEZE": Folder(_same, _I, moves=True),
    "EXPAND_DIMS": Folder(_same, (), ((1, "axis"),), moves=True),
    "TRANSPOSE": Folder(_transpose, (), ((1, "perm"),), moves=True),
    "REVERSE_V2": Folder(_reverse, _I, moves=True),
    "FILL": Folder(_fill, _I, ((0, "dims"),), moves=True),
    "BROADCAST_TO": Folder(_broadcast_to, _I, ((1, "shape"),), moves=True),
    "GATHER": Folder(_gather, (), moves=True),
    "GATHER_ND": Folder(_gather_nd, (), moves=True),
}
# The inputs of a data-movement operator that are indices or shapes, not moved data.
_INDEX_SLOTS = {"STRIDED_SLICE": (1, 2, 3), "SLICE": (1, 2), "SPLIT": (0,), "SPLIT_V": (1, 2), "EXPAND_DIMS": (1,),
                "TRANSPOSE": (1,), "REVERSE_V2": (1,), "FILL": (0,), "BROADCAST_TO": (1,), "GATHER": (1,),
                "GATHER_ND": (1,), "RESHAPE": (1,)}


# --------------------------------------------------------------- the pass

@dataclass(frozen=True)
class _State:
    """The tensors as folding sees them, and which were computed by folding."""

    tensors: Sequence[Tensor]
    computed: set[int]
    graph_outputs: frozenset[int]


def _type(t: Tensor) -> str:
    return t.type_label


def _kind(state: _State, op: Operator) -> str | None:
    """"shape" (shape arithmetic), "moves" (data movement of int8/int16), or
    None when the pass does not evaluate ``op``."""
    folder = FOLDERS.get(op.opcode)
    if folder is None or not op.outputs:
        return None
    outs = [_type(state.tensors[i]) for i in op.outputs]
    ins = [_type(state.tensors[i]) for i in op.inputs if i >= 0]
    # SHAPE reads only the static shape; the others are shape arithmetic when
    # every input is too (a comparison of int8 values has a bool output but
    # is not shape arithmetic: its lowering rule gives the reason).
    if all(t in _SHAPE_TYPES for t in outs) and (op.opcode == "SHAPE" or all(t in _SHAPE_TYPES for t in ins)):
        return "shape"
    if folder.moves and len(set(outs)) == 1 and outs[0] in _MOVED_TYPES:
        return "moves"
    return None


def _names(types: tuple[str, ...]) -> str:
    return "/".join(types) if types else "int8/int16 data only"


def _computed_slot(state: _State, op: Operator, ops: Sequence[Operator | FoldedOperator]) -> str | None:
    """Why TensorFlow Lite Micro refuses ``op``: an input it needs constant in
    the model file is computed (by shape arithmetic, folded or not)."""
    for slot, role in FOLDERS[op.opcode].file_constant:
        i = op.inputs[slot] if slot < len(op.inputs) else -1
        if i >= 0 and (i in state.computed or state.tensors[i].data is None):
            return (f"its {role} input '{state.tensors[i].name}' is computed{_producer(ops, i)}; TensorFlow Lite Micro "
                    "needs it constant in the model (convert with a fixed batch size)")
    return None


def _producer(ops: Sequence[Operator | FoldedOperator], index: int) -> str:
    op = next((o for o in ops if index in o.outputs), None)
    return f" by operator {op.index} ({op.opcode})" if op is not None else " (a model input)"


def _attempt(state: _State, op: Operator, ops: Sequence[Operator | FoldedOperator]) -> list[np.ndarray] | str | None:
    """The values of ``op``'s outputs, or why it cannot be folded (None: the
    pass does not evaluate it)."""
    kind = _kind(state, op)
    if kind is None:
        return None
    folder = FOLDERS[op.opcode]
    ins = [state.tensors[i] if i >= 0 else None for i in op.inputs]
    outs = [state.tensors[i] for i in op.outputs]
    index_slots = _INDEX_SLOTS.get(op.opcode, ())
    for slot, t in enumerate(ins):
        if t is None:
            continue
        if kind == "moves" and slot not in index_slots:
            if t.data is None:
                return f"input '{t.name}' is computed at run time{_producer(ops, t.index)}"
            if _type(t) != _type(outs[0]) or t.quant != outs[0].quant:
                return f"input '{t.name}' ({t.describe()}) and output '{outs[0].name}' ({outs[0].describe()}) differ in type or quantisation"
            continue
        if op.opcode == "SHAPE":
            continue
        if t.data is None:
            return f"output '{outs[0].name}' depends on input data: input '{t.name}' is computed at run time{_producer(ops, t.index)}"
        allowed = folder.input_types if folder.input_types is not None else folder.types
        if kind == "shape" and slot not in index_slots and _type(t) not in allowed:
            return f"input '{t.name}' is {_type(t)}; TensorFlow Lite Micro runs {op.opcode} on {_names(allowed)}"
    if kind == "shape":
        bad = next((t for t in outs if _type(t) not in folder.types), None)
        if bad is not None:
            return f"output '{bad.name}' is {_type(bad)}; TensorFlow Lite Micro runs {op.opcode} on {_names(folder.types)}"
    computed = _computed_slot(state, op, ops)
    if computed:
        return computed
    produced = [t for t in outs if t.index in state.graph_outputs]
    if produced:
        return f"output '{produced[0].name}' is a model output; pycmsisnn does not fold model outputs"
    values: Values = [t.data if t is not None else None for t in ins]
    try:
        results = folder.evaluate(op, values, [t for t in ins if t is not None])
    except FoldError as exc:
        return str(exc)
    if len(results) != len(outs):
        return f"computes {len(results)} outputs, the operator has {len(outs)}"
    checked = []
    for t, v in zip(outs, results):
        v = np.asarray(v)
        if v.size != t.size:
            return f"computes shape {list(v.shape)} for output '{t.name}', whose shape in the model is {list(t.shape)}"
        v = np.array(v.astype(t.dtype).reshape(t.shape), order="C")  # (ascontiguousarray would make a scalar 1-D)
        v.setflags(write=False)
        checked.append(v)
    return checked


def _state(graph: Graph) -> _State:
    computed = {i for f in graph.folded for i in f.outputs}
    return _State(graph.tensors, computed, frozenset(graph.outputs))


def fold(graph: Graph) -> Graph:
    """``graph`` with every foldable operator evaluated (to a fixed point):
    their outputs become constant tensors, the operators are dropped and
    recorded in ``Graph.folded``. ``graph`` itself when folding is off or
    nothing folds."""
    if not folding_enabled():
        return graph
    tensors = list(graph.tensors)
    state = _State(tensors, {i for f in graph.folded for i in f.outputs}, frozenset(graph.outputs))
    ops = list(graph.operators)
    folded = list(graph.folded)
    everything: list[Operator | FoldedOperator] = [*graph.operators, *graph.folded]
    while True:
        kept = []
        for op in ops:
            result = _attempt(state, op, everything)
            if isinstance(result, list):
                for i, v in zip(op.outputs, result):
                    tensors[i] = replace(tensors[i], data=v)
                    state.computed.add(i)
                folded.append(FoldedOperator(op.index, op.opcode, op.outputs))
            else:
                kept.append(op)
        if len(kept) == len(ops):
            break
        ops = kept
    if len(folded) == len(graph.folded):
        return graph
    return replace(graph, tensors=tuple(tensors), operators=tuple(ops),
                   folded=tuple(sorted(folded, key=lambda f: f.index)))


def file_constant_reason(graph: Graph, op: Operator) -> str | None:
    """Why TensorFlow Lite Micro refuses ``op`` even though folding made all
    its inputs constant: an input it needs constant in the model file (a
    BROADCAST_TO shape, a FILL dims, ...) was computed by folded operators.
    None otherwise (the lowering rule decides)."""
    folder = FOLDERS.get(op.opcode)
    if folder is None:
        return None
    state = _state(graph)
    slots = [op.inputs[slot] for slot, _ in folder.file_constant if slot < len(op.inputs)]
    if not any(i in state.computed for i in slots):
        return None
    return _computed_slot(state, op, [*graph.operators, *graph.folded])


def fold_reason(graph: Graph, op: Operator) -> str | None:
    """Why shape arithmetic ``op`` is left in ``graph``: its output depends on
    input data, TensorFlow Lite Micro would refuse it, or folding is off.
    None when ``op`` is not shape arithmetic the pass evaluates (its lowering
    rule gives the reason), or data movement of values computed at run time."""
    state = _state(graph)
    kind = _kind(state, op)
    if kind is None:
        return None
    if kind == "shape" and not folding_enabled():
        return f"shape arithmetic, evaluated at load time, but constant folding is switched off ({NO_FOLDING_ENV}=1)"
    if kind == "moves":
        slots = _INDEX_SLOTS.get(op.opcode, ())
        if any(i >= 0 and graph.tensor(i).data is None for s, i in enumerate(op.inputs) if s not in slots):
            return _computed_slot(state, op, [*graph.operators, *graph.folded])
    result = _attempt(state, op, [*graph.operators, *graph.folded])
    if isinstance(result, str):
        return result
    if result is not None and not folding_enabled():
        return f"constant data movement, evaluated at load time, but constant folding is switched off ({NO_FOLDING_ENV}=1)"
    return None


def describe_folded(graph: Graph, folded: FoldedOperator) -> str:
    """One line: the operator and the constants it left, e.g.
    ``PACK -> 'Reshape/shape' int32[2] = [1, 16]``."""
    parts = []
    for i in folded.outputs:
        t = graph.tensor(i)
        values = np.asarray(t.data).reshape(-1).tolist() if t.data is not None else []
        shown = str(values[:8])[:-1] + (", ...]" if len(values) > 8 else "]")
        parts.append(f"'{t.name}' {t.type_label}{list(t.shape)} = {shown}")
    return f"{folded.opcode} -> " + "; ".join(parts)
