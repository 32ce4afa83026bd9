"""MIRROR_PAD (int8) and BROADCAST_TO (int8, int16) to ``pycmsisnn_remap_s8``
/ ``_s16``, ZEROS_LIKE (int8) to ``pycmsisnn_fill_s8``.

Both copies go through one index table per axis, computed here: MIRROR_PAD
reads position ``i`` of the padded axis from ``-i`` (REFLECT; ``-i - 1``
SYMMETRIC) before the input and from ``2n - 2 - i`` (REFLECT; ``2n - 1 - i``
SYMMETRIC) after it, so a REFLECT padding must stay below the extent and a
SYMMETRIC one at most the extent (TensorFlow's limits). BROADCAST_TO reads
index 0 along every axis the input has extent 1 (leading axes added), the
identity elsewhere. ZEROS_LIKE writes raw zeros (TensorFlow Lite Micro does
so whatever the zero point, so the output's quantisation is free; it has no
int16 ZEROS_LIKE). Paddings and shapes
must be constant; ranks 1 to 4.
"""
from __future__ import annotations

from ..ir import Graph, Operator
from ..operator_options import MirrorPadOptions, options_as
from .common import dtype_reason, first_reason, output, tensor
from .moves import S8, S8_S16, by_type, constant_ints, copy_reason
from .plan import KernelCall, TensorArg
from .registry import rule

REFLECT, SYMMETRIC = 0, 1


def mirror_map(extent: int, before: int, after: int, mode: int) -> tuple[int, ...]:
    """The input index each position of a mirror-padded axis reads."""
    found = []
    for p in range(before + extent + after):
        i = p - before
        if i < 0:
            i = -i if mode == REFLECT else -i - 1
        elif i >= extent:
            i = 2 * extent - 2 - i if mode == REFLECT else 2 * extent - 1 - i
        found.append(i)
    return tuple(found)


def _paddings(graph: Graph, op: Operator) -> tuple[list[list[int]] | None, str | None]:
    x = tensor(graph, op, 0, "input")
    pads, reason = constant_ints(graph, op, 1, "paddings")
    if reason:
        return None, reason
    assert pads is not None
    if pads.size != 2 * len(x.shape):
        return None, f"paddings hold {pads.size} values, a rank {len(x.shape)} input needs {2 * len(x.shape)}"
    return pads.reshape(-1, 2).tolist(), None


def _check_mirror_pad(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8)
    if reason:
        return reason
    pads, reason = _paddings(graph, op)
    if reason:
        return reason
    assert pads is not None
    mode = options_as(op.options, MirrorPadOptions).mode
    limit = 1 if mode == REFLECT else 0
    for a, ((before, after), n) in enumerate(zip(pads, x.shape)):
        if min(before, after) < 0 or max(before, after) > n - limit:
            name = "REFLECT" if mode == REFLECT else "SYMMETRIC"
            return f"axis {a}: {name} padding {[before, after]} must lie in [0, {n - limit}] for extent {n}"
    expected = tuple(n + b + e for n, (b, e) in zip(x.shape, pads))
    if tuple(y.shape) != expected:
        return f"output shape {list(y.shape)} is not the padded {list(expected)}"
    return None


@rule("MIRROR_PAD", check=_check_mirror_pad)
def lower_mirror_pad(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    pads, _ = _paddings(graph, op)
    assert pads is not None
    mode = options_as(op.options, MirrorPadOptions).mode
    maps = tuple(mirror_map(n, b, e, mode) for n, (b, e) in zip(x.shape, pads))
    return KernelCall(op=op, kernel=by_type(x, "pycmsisnn_remap_s8", "pycmsisnn_remap_s16"), args={"input": TensorArg(x.index), "maps": maps, "pad_value": 0},
                      outputs=(y.index,), notes={"mode": "REFLECT" if mode == REFLECT else "SYMMETRIC"})


# -------------------------------------------------------------- BROADCAST_TO


def _check_broadcast_to(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8_S16)
    if reason:
        return reason
    shape, reason = constant_ints(graph, op, 1, "shape")
    if reason:
        return reason
    assert shape is not None
    target = tuple(int(d) for d in shape.reshape(-1))
    if not len(x.shape) <= len(target) <= 4:
        return f"shape {list(target)} must have the input's rank {len(x.shape)} or more, and at most 4 dimensions"
    padded = (1,) * (len(target) - len(x.shape)) + tuple(x.shape)
    if any(d != t and d != 1 for d, t in zip(padded, target)) or min(target) < 1:
        return f"input shape {list(x.shape)} does not broadcast to {list(target)}"
    if tuple(y.shape) != target:
        return f"output shape {list(y.shape)} is not the shape {list(target)}"
    return None


@rule("BROADCAST_TO", check=_check_broadcast_to)
def lower_broadcast_to(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    padded = (1,) * (len(y.shape) - len(x.shape)) + tuple(x.shape)
    maps = tuple(tuple(range(t)) if d == t else (0,) * t for d, t in zip(padded, y.shape))
    view = padded if padded != tuple(x.shape) else None
    return KernelCall(op=op, kernel=by_type(x, "pycmsisnn_remap_s8", "pycmsisnn_remap_s16"), args={"input": TensorArg(x.index, view), "maps": maps, "pad_value": 0},
                      outputs=(y.index,))


# ---------------------------------------------------------------- ZEROS_LIKE


def _check_zeros_like(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", list(S8)), dtype_reason(y, "output", list(S8)))
    if reason:
        return reason
    if tuple(y.shape) != tuple(x.shape):
        return f"output shape {list(y.shape)} differs from the input's {list(x.shape)}"
    return None


@rule("ZEROS_LIKE", check=_check_zeros_like)
def lower_zeros_like(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_fill_s8", args={"input": TensorArg(x.index), "value": 0}, outputs=(y.index,))
