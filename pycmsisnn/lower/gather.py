"""GATHER and GATHER_ND (int8: TensorFlow Lite Micro gathers no int16) with
constant indices to ``pycmsisnn_gather_s8``.

GATHER takes ``params.shape[:axis] + indices.shape[batch_dims:] +
params.shape[axis + 1:]`` from the input (negative ``axis`` counts from the
input's end, negative ``batch_dims`` from the indices'). GATHER_ND with
indices of shape ``[..., k]`` is a GATHER along the first axis of the input
seen as ``[prod(shape[:k])][prod(shape[k:])]``, each index tuple flattened
(row-major) into one index. Indices must be constant (int32 or int64) and
inside their axes: an index out of range is refused here, where TensorFlow
Lite Micro would fail at run time.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from ..kernels._base import DIM_MAX
from ..operator_options import GatherOptions, options_as
from .common import output, tensor
from .moves import S8, constant_ints, copy_reason
from .plan import KernelCall, TensorArg
from .registry import rule

MAX_RANK = 6
INT32_MAX = 2**31 - 1


def _input(graph: Graph, op: Operator, view: tuple[int, ...] | None = None) -> object:
    x = tensor(graph, op, 0, "input")
    if x.is_constant:
        data = np.asarray(x.data, dtype=x.dtype)
        return data.reshape(view) if view is not None else data
    return TensorArg(x.index, view)


def _resolved(graph: Graph, op: Operator) -> tuple[int, int, np.ndarray | None, str | None]:
    """(axis, batch_dims, indices) of a GATHER, or the reason it cannot run."""
    x = tensor(graph, op, 0, "input")
    indices, reason = constant_ints(graph, op, 1, "indices")
    if reason:
        return 0, 0, None, reason
    assert indices is not None
    o = options_as(op.options, GatherOptions)
    batch_dims = o.batch_dims + indices.ndim if o.batch_dims < 0 else o.batch_dims
    axis = o.axis + len(x.shape) if o.axis < 0 else o.axis
    if not 0 <= axis < len(x.shape):
        return 0, 0, None, f"axis {o.axis} is outside the input's {len(x.shape)} dimensions"
    if not 0 <= batch_dims <= min(axis, indices.ndim):
        return 0, 0, None, f"batch_dims {o.batch_dims} must lie in [0, min(axis {axis}, indices rank {indices.ndim})]"
    if tuple(indices.shape[:batch_dims]) != tuple(x.shape[:batch_dims]):
        return 0, 0, None, f"the indices' batch dimensions {list(indices.shape[:batch_dims])} differ from the input's {list(x.shape[:batch_dims])}"
    return axis, batch_dims, indices, None


def _out_of_range(indices: np.ndarray, extent: int, axis: int) -> str | None:
    bad = indices[(indices < 0) | (indices >= extent)]
    if bad.size:
        return f"index {int(bad.reshape(-1)[0])} along axis {axis} is outside [0, {extent})"
    return None


def _check_gather(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8, (1, MAX_RANK))
    if reason:
        return reason
    axis, batch_dims, indices, reason = _resolved(graph, op)
    if reason:
        return reason
    assert indices is not None
    if indices.size == 0:
        return f"indices '{tensor(graph, op, 1, 'indices').name}' are empty"
    reason = _out_of_range(indices, x.shape[axis], axis)
    if reason:
        return reason
    expected = tuple(x.shape[:axis]) + tuple(indices.shape[batch_dims:]) + tuple(x.shape[axis + 1:])
    if tuple(y.shape) != expected:
        return f"output shape {list(y.shape)} does not match the gather's {list(expected)}"
    if y.size > INT32_MAX:
        return f"output '{y.name}' has more than {INT32_MAX} elements"
    return None


@rule("GATHER", check=_check_gather)
def lower_gather(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    axis, batch_dims, indices, _ = _resolved(graph, op)
    assert indices is not None
    return KernelCall(op=op, kernel="pycmsisnn_gather_s8",
                      args={"input": _input(graph, op), "indices": indices.astype(np.int32), "axis": axis, "batch_dims": batch_dims},
                      outputs=(y.index,))


# ----------------------------------------------------------------- GATHER_ND


def _nd(graph: Graph, op: Operator) -> tuple[tuple[int, int], np.ndarray | None, str | None]:
    """(input view, flat indices) of a GATHER_ND, or the reason it cannot run."""
    x = tensor(graph, op, 0, "input")
    indices, reason = constant_ints(graph, op, 1, "indices")
    if reason:
        return (0, 0), None, reason
    assert indices is not None
    if indices.ndim < 1 or not 1 <= indices.shape[-1] <= len(x.shape):
        return (0, 0), None, f"indices of shape {list(indices.shape)} do not index a rank {len(x.shape)} input"
    k = indices.shape[-1]
    tuples = indices.reshape(-1, k)
    for a in range(k):
        reason = _out_of_range(tuples[:, a], x.shape[a], a)
        if reason:
            return (0, 0), None, reason
    lead = int(np.prod(x.shape[:k], dtype=np.int64))
    inner = int(np.prod(x.shape[k:], dtype=np.int64))
    flat = np.ravel_multi_index(tuple(tuples.T), x.shape[:k]) if len(tuples) else np.zeros(0, np.int64)
    return (lead, inner), np.asarray(flat, dtype=np.int32).reshape(-1), None


def _check_gather_nd(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8, (1, MAX_RANK))
    if reason:
        return reason
    view, flat, reason = _nd(graph, op)
    if reason:
        return reason
    assert flat is not None
    if flat.size == 0:
        return f"indices '{tensor(graph, op, 1, 'indices').name}' are empty"
    if max(view) > DIM_MAX:
        return f"the input seen as {list(view)} has an extent above {DIM_MAX}"
    indices, _ = constant_ints(graph, op, 1, "indices")
    assert indices is not None
    expected = tuple(indices.shape[:-1]) + tuple(x.shape[indices.shape[-1]:])
    if int(np.prod(y.shape, dtype=np.int64)) != int(np.prod(expected, dtype=np.int64)) or tuple(y.shape) != expected:
        return f"output shape {list(y.shape)} does not match the gather's {list(expected)}"
    return None


@rule("GATHER_ND", check=_check_gather_nd)
def lower_gather_nd(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    view, flat, _ = _nd(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_gather_s8",
                      args={"input": _input(graph, op, view), "indices": flat, "axis": 0, "batch_dims": 0},
                      outputs=(y.index,))
