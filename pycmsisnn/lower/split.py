"""SPLIT, SPLIT_V and UNPACK (int8, int16) to ``pycmsisnn_split_s8`` /
``_s16``, one call with several outputs; PACK to ``concatenation_s8`` /
``_s16`` and SLICE to ``pycmsisnn_strided_slice_s8`` / ``_s16``.

SPLIT cuts the input along its axis into ``num_splits`` equal pieces,
SPLIT_V into pieces of the given sizes (one may be -1: the rest), UNPACK
into pieces of one position whose axis the outputs drop (same bytes). PACK
is the concatenation of its inputs, each seen as ``[outer][1][inner]`` (the
new axis of extent 1), along that middle axis. SLICE is the strided slice of
stride 1 from ``begin`` taking ``size`` elements (-1: to the end). Axes,
sizes and begins must be constant; every piece must match its output tensor.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..kernels._base import DIM_MAX
from ..operator_options import AxisCountOptions, options_as
from .common import dtype_reason, first_reason, output, tensor
from .moves import S8_S16, by_type, constant_ints, copy_reason, rank_reason, same_quant_reason
from .plan import KernelCall, TensorArg
from .registry import rule

MAX_RANK = 6  # the split kernel sees any rank as [outer][axis][inner]


def _outputs(graph: Graph, op: Operator) -> list[Tensor]:
    return [output(graph, op, k) for k in range(len(op.outputs))]


def _scalar_axis(graph: Graph, op: Operator, slot: int, rank: int) -> tuple[int | None, str | None]:
    values, reason = constant_ints(graph, op, slot, "axis")
    if reason:
        return None, reason
    assert values is not None
    if values.size != 1:
        return None, f"axis holds {values.size} values, needs one"
    axis = int(values.reshape(-1)[0])
    if not -rank <= axis < rank:
        return None, f"axis {axis} is outside the input's {rank} dimensions"
    return axis % rank, None


def _pieces_reason(x: Tensor, outputs: list[Tensor], axis: int, drop_axis: bool) -> str | None:
    """Why the outputs are not consecutive pieces of ``x`` along ``axis``, or None."""
    total = 0
    for k, y in enumerate(outputs):
        if drop_axis:
            expected = x.shape[:axis] + x.shape[axis + 1:]
            extent = 1
        else:
            extent = y.shape[axis] if len(y.shape) == len(x.shape) else -1
            expected = x.shape[:axis] + (extent,) + x.shape[axis + 1:]
        if tuple(y.shape) != tuple(expected) or extent < 1:
            return f"output {k} '{y.name}' shape {list(y.shape)} is not a piece of input {list(x.shape)} along axis {axis}"
        total += extent
    if total != x.shape[axis]:
        return f"the outputs take {total} positions of axis {axis}, the input has {x.shape[axis]}"
    return None


def _sizes(graph: Graph, op: Operator) -> tuple[int, tuple[int, ...]]:
    """(axis, piece sizes) of a SPLIT, SPLIT_V or UNPACK (after its check)."""
    outs = _outputs(graph, op)
    if op.opcode == "UNPACK":
        x = tensor(graph, op, 0, "input")
        axis = options_as(op.options, AxisCountOptions).axis % len(x.shape)
        return axis, (1,) * len(outs)
    x = tensor(graph, op, 1 if op.opcode == "SPLIT" else 0, "input")
    found, _ = _scalar_axis(graph, op, 0 if op.opcode == "SPLIT" else 2, len(x.shape))
    assert found is not None
    return found, tuple(int(y.shape[found]) for y in outs)


def _check_split(graph: Graph, op: Operator) -> str | None:
    slot = 1 if op.opcode == "SPLIT" else 0
    x, outs = tensor(graph, op, slot, "input"), _outputs(graph, op)
    reason = copy_reason(x, outs, S8_S16, (1, MAX_RANK))
    if reason:
        return reason
    o = options_as(op.options, AxisCountOptions)
    if op.opcode == "UNPACK":
        axis = o.axis
        if not -len(x.shape) <= axis < len(x.shape):
            return f"axis {axis} is outside the input's {len(x.shape)} dimensions"
        axis %= len(x.shape)
        if len(outs) != x.shape[axis] or (o.count and o.count != len(outs)):
            return f"{len(outs)} outputs (num {o.count}) for an axis of extent {x.shape[axis]}"
        return _pieces_reason(x, outs, axis, drop_axis=True)
    found, reason = _scalar_axis(graph, op, 0 if op.opcode == "SPLIT" else 2, len(x.shape))
    if reason:
        return reason
    assert found is not None
    axis = found
    if o.count and o.count != len(outs):
        return f"num_splits {o.count} but {len(outs)} outputs"
    if op.opcode == "SPLIT" and x.shape[axis] % len(outs):
        return f"axis {axis} of extent {x.shape[axis]} does not split into {len(outs)} equal pieces"
    reason = _pieces_reason(x, outs, axis, drop_axis=False)
    if reason or op.opcode == "SPLIT":
        return reason
    sizes, reason = constant_ints(graph, op, 1, "size_splits")
    if reason:
        return reason
    assert sizes is not None
    got = [int(y.shape[axis]) for y in outs]
    given = sizes.reshape(-1).tolist()
    if len(given) != len(got) or any(g != s for g, s in zip(given, got) if g != -1) or given.count(-1) > 1:
        return f"size_splits {given} do not match the outputs' extents {got}"
    return None


@rule("SPLIT", "SPLIT_V", "UNPACK", check=_check_split)
def lower_split(graph: Graph, op: Operator) -> KernelCall:
    x = tensor(graph, op, 1 if op.opcode == "SPLIT" else 0, "input")
    axis, sizes = _sizes(graph, op)
    return KernelCall(op=op, kernel=by_type(x, "pycmsisnn_split_s8", "pycmsisnn_split_s16"), args={"input": TensorArg(x.index), "axis": axis, "sizes": sizes},
                      outputs=tuple(op.outputs))


# ---------------------------------------------------------------------- PACK


def _pack_view(shape: tuple[int, ...], axis: int) -> tuple[int, int, int]:
    return int(np.prod(shape[:axis], dtype=np.int64)), 1, int(np.prod(shape[axis:], dtype=np.int64))


def _check_pack(graph: Graph, op: Operator) -> str | None:
    y = output(graph, op)
    o = options_as(op.options, AxisCountOptions)
    reason = first_reason(dtype_reason(y, "output", list(S8_S16)), rank_reason(y, "output", 1, MAX_RANK))
    if reason:
        return reason
    if not -len(y.shape) <= o.axis < len(y.shape):
        return f"axis {o.axis} is outside the output's {len(y.shape)} dimensions"
    axis = o.axis % len(y.shape)
    if len(op.inputs) != y.shape[axis] or (o.count and o.count != len(op.inputs)):
        return f"{len(op.inputs)} inputs (values_count {o.count}) for an output axis of extent {y.shape[axis]}"
    expected = y.shape[:axis] + y.shape[axis + 1:]
    for k in range(len(op.inputs)):
        t = tensor(graph, op, k, f"input {k}")
        reason = first_reason(dtype_reason(t, f"input {k}", [y.dtype.type]), same_quant_reason(y, t, f"input {k}"))
        if reason:
            return reason
        if tuple(t.shape) != tuple(expected):
            return f"input {k} '{t.name}' shape {list(t.shape)} does not fit output {list(y.shape)} along axis {axis}"
    outer, _, inner = _pack_view(expected, axis)
    if outer > DIM_MAX or inner > DIM_MAX:
        return f"the inputs seen as [{outer}][1][{inner}] exceed the concatenation's extents of {DIM_MAX}"
    return None


@rule("PACK", check=_check_pack)
def lower_pack(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    axis = options_as(op.options, AxisCountOptions).axis % len(y.shape)
    view = _pack_view(y.shape[:axis] + y.shape[axis + 1:], axis)
    inputs: list[object] = []
    for k in range(len(op.inputs)):
        t = tensor(graph, op, k, f"input {k}")
        inputs.append(np.asarray(t.data).reshape(view) if t.is_constant else TensorArg(t.index, view))
    return KernelCall(op=op, kernel=by_type(y, "concatenation_s8", "concatenation_s16"), args={"inputs": inputs, "axis": 1}, outputs=(y.index,))


# --------------------------------------------------------------------- SLICE

SLICE_MAX_RANK = 4


def _slice(graph: Graph, op: Operator) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None, str | None]:
    x = tensor(graph, op, 0, "input")
    begin, reason = constant_ints(graph, op, 1, "begin")
    if reason:
        return None, None, reason
    size, reason = constant_ints(graph, op, 2, "size")
    if reason:
        return None, None, reason
    assert begin is not None and size is not None
    b, s = begin.reshape(-1).tolist(), size.reshape(-1).tolist()
    if len(b) != len(x.shape) or len(s) != len(x.shape):
        return None, None, f"begin and size need {len(x.shape)} entries, got {len(b)} and {len(s)}"
    counts = []
    for a, (first, n) in enumerate(zip(b, s)):
        n = x.shape[a] - first if n == -1 else n
        if first < 0 or n < 1 or first + n > x.shape[a]:
            return None, None, f"axis {a}: begin {first} size {s[a]} is not a non-empty range inside extent {x.shape[a]}"
        counts.append(n)
    return tuple(b), tuple(counts), None


def _check_slice(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8_S16, (1, SLICE_MAX_RANK))
    if reason:
        return reason
    _, counts, reason = _slice(graph, op)
    if reason:
        return reason
    if tuple(y.shape) != counts:
        return f"output shape {list(y.shape)} does not match the slice's {list(counts or ())}"
    return None


@rule("SLICE", check=_check_slice)
def lower_slice(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    begin, counts, _ = _slice(graph, op)
    assert begin is not None and counts is not None
    return KernelCall(op=op, kernel=by_type(x, "pycmsisnn_strided_slice_s8", "pycmsisnn_strided_slice_s16"),
                      args={"input": TensorArg(x.index), "begin": begin, "strides": (1,) * len(begin), "output_shape": counts},
                      outputs=(y.index,))
