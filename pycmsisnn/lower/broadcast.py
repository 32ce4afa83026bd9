"""SUB (int8, any broadcast) to ``pycmsisnn_broadcast_sub_s8`` (16x8: int16
with zero point 0, any broadcast or none, to ``pycmsisnn_broadcast_sub_s16``
with ``quant.add_params_s16``, left shift 15), and the broadcast-shape check
shared with ADD and MUL (``elementwise``).

SUB's parameters are ADD's (``quant.add_params``: both inputs onto twice the
larger input scale after a left shift of 20, the difference onto the output
scale, real multipliers in double precision). Some TensorFlow Lite Micro
sources compute SUB's real multipliers in float32; the TFLM we verify against
(tflite-micro 0.dev20261023182759) does not: on every int8 pair, for scales
where the two derivations differ in their last bits, only the double-precision
one matches it (tests/kernels/test_tensor_ops.py).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from ..params import AddParams
from .common import (activation_of, activation_of_s16, dtype_reason, first_reason, fused_activation_reason, is_int16, output, tensor,
                     zero_point_s16_reason)
from .plan import KernelCall, TensorArg
from .registry import rule

MAX_BROADCAST_RANK = 4


def broadcast_reason(shape_1: Sequence[int], shape_2: Sequence[int], output_shape: Sequence[int]) -> str | None:
    """Why two input shapes cannot be broadcast by the pycmsisnn_broadcast_*
    kernels into ``output_shape`` (rank above 4, incompatible extents), or None."""
    rank = max(len(shape_1), len(shape_2))
    if rank > MAX_BROADCAST_RANK:
        return f"broadcasting {list(shape_1)} with {list(shape_2)}: rank {rank} is above {MAX_BROADCAST_RANK}"
    p1 = (1,) * (rank - len(shape_1)) + tuple(shape_1)
    p2 = (1,) * (rank - len(shape_2)) + tuple(shape_2)
    result = []
    for axis, (d1, d2) in enumerate(zip(p1, p2)):
        if d1 != d2 and 1 not in (d1, d2):
            return f"shapes {list(shape_1)} and {list(shape_2)} do not broadcast (axis {axis}: {d1} vs {d2})"
        result.append(max(d1, d2))
    if int(np.prod(result, dtype=np.int64)) != int(np.prod(tuple(output_shape), dtype=np.int64)):
        return f"output shape {list(output_shape)} is not the broadcast shape {result}"
    return None


def binary_reason(graph: Graph, op: Operator, s16: bool = False) -> str | None:
    """Why the two operands and the output of ``op`` cannot be int8 (or, with
    ``s16``, all int16 with zero point 0), or a fused activation is unsupported."""
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    kind: list[type] = [np.int16] if s16 and is_int16(a) else [np.int8]
    return first_reason(
        dtype_reason(a, "input 0", [np.int8, np.int16] if s16 else [np.int8]),
        dtype_reason(b, "input 1", kind),
        dtype_reason(y, "output", kind),
        *(zero_point_s16_reason(t, role) for t, role in ((a, "input 0"), (b, "input 1"), (y, "output"))),
        fused_activation_reason(op),
    )


def _arg(graph: Graph, index: int) -> object:
    t = graph.tensor(index)
    return t.data if t.is_constant else TensorArg(index)


def _params(graph: Graph, op: Operator) -> AddParams:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    assert a.quant and b.quant and y.quant
    if is_int16(a):
        return quant.add_params_s16(a.quant.scale, b.quant.scale, y.quant.scale, activation_of_s16(op, y))
    return quant.add_params(
        a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point, y.quant.scale, y.quant.zero_point, activation_of(op, y)
    )


def _sub_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    reason = binary_reason(graph, op, s16=True)
    if reason:
        return reason
    if any(t.quant is not None and t.quant.per_channel for t in (a, b, y)):
        return "per-channel quantised activations are not supported"
    reason = broadcast_reason(a.shape, b.shape, y.shape)
    if reason:
        return reason
    try:
        _params(graph, op)
    except ValueError as exc:
        return f"no SUB parameters for these scales: {exc}"
    return None


@rule("SUB", check=_sub_check)
def lower_sub(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_broadcast_sub_s16" if is_int16(a) else "pycmsisnn_broadcast_sub_s8",
        args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": _params(graph, op)},
        outputs=(y.index,),
    )
