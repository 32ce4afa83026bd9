"""EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL (int8, bool
output), SELECT_V2 (int8, int16) and CUMSUM (int8) to our
``pycmsisnn_reduce_ops.h`` kernels.

What TensorFlow Lite Micro runs and computes, found by running it
(tests/lower/test_reduce_ops.py): the comparisons take int8 (int16 fails at
Invoke, except GREATER, which returns without writing its output) and
compare the inputs after offsetting each, shifting it left by 8 and
requantising it by the multiplier of its own scale (``quant.compare_params``;
a scale of 1 or more makes TFLite Micro abort). SELECT_V2 copies values from
either input without requantising them, so inputs quantised unlike the
output are refused rather than copied into a wrong meaning; SELECT (v1) is
not in TFLite Micro. CUMSUM runs int8 only (int16 and the converter's float
CUMSUM aside): each offset input is scaled like an ADD input, the running
sum starts from the scaled offset of a zero input and each partial sum is
requantised like ADD's output (``quant.cumsum_params``); a sum that could
leave 32 bits is refused.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..operator_options import CumsumOptions, options_as
from ..params import CompareParams, CumsumParams
from ..quant import INT32_MAX, compare_params, cumsum_bound, cumsum_params
from .common import dtype_reason, first_reason, output, per_tensor_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import NO_KERNEL_NOTES, rule

NO_KERNEL_NOTES["SELECT"] = "TensorFlow Lite Micro has no SELECT kernel; SELECT_V2 runs"
NO_KERNEL_NOTES["L2_POOL_2D"] = "TensorFlow Lite Micro runs L2_POOL_2D in float32 only"

COMPARISONS = {
    "EQUAL": "pycmsisnn_equal_s8",
    "NOT_EQUAL": "pycmsisnn_not_equal_s8",
    "LESS": "pycmsisnn_less_s8",
    "LESS_EQUAL": "pycmsisnn_less_equal_s8",
    "GREATER": "pycmsisnn_greater_s8",
    "GREATER_EQUAL": "pycmsisnn_greater_equal_s8",
}
MAX_RANK = 4


def _operand(graph: Graph, index: int) -> object:
    """A constant as an array, an activation as a TensorArg; a scalar (rank 0) as shape (1,)."""
    t = graph.tensor(index)
    shape = tuple(t.shape) or (1,)
    if t.is_constant:
        return np.asarray(t.data, dtype=t.dtype).reshape(shape)
    return TensorArg(index, shape if not t.shape else None)


def broadcast_shapes_reason(shapes: Sequence[Sequence[int]], output_shape: Sequence[int]) -> str | None:
    """Why ``shapes`` do not broadcast (right-aligned, a 1 repeats) to
    ``output_shape`` within rank 4, or None."""
    rank = max(len(s) for s in shapes)
    if rank > MAX_RANK or len(output_shape) > MAX_RANK:
        return f"rank {max(rank, len(output_shape))} is above {MAX_RANK}"
    result = [1] * rank
    for s in shapes:
        padded = (1,) * (rank - len(s)) + tuple(int(d) for d in s)
        for axis, d in enumerate(padded):
            if d != result[axis] and 1 not in (d, result[axis]):
                return f"shapes {[list(x) for x in shapes]} do not broadcast (axis {axis}: {result[axis]} vs {d})"
            result[axis] = max(d, result[axis])
    if int(np.prod(result, dtype=np.int64)) != int(np.prod(tuple(output_shape), dtype=np.int64)):
        return f"output shape {list(output_shape)} is not the broadcast shape {result}"
    return None


# ---------------------------------------------------------------- comparisons


def _compare_params(graph: Graph, op: Operator) -> CompareParams:
    a, b = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1")
    assert a.quant and b.quant
    return compare_params(a.quant.scale, a.quant.zero_point, b.quant.scale, b.quant.zero_point)


def _int8_only(t: Tensor, role: str) -> str | None:
    if t.dtype == np.dtype(np.int16):
        return f"{role} '{t.name}' is int16; TensorFlow Lite Micro compares int8 only"
    return dtype_reason(t, role, [np.int8])


def _compare_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    reason = first_reason(
        _int8_only(a, "input 0"), _int8_only(b, "input 1"),
        per_tensor_reason(a, "input 0"), per_tensor_reason(b, "input 1"),
        dtype_reason(y, "output", [np.bool_]),
        broadcast_shapes_reason([a.shape, b.shape], y.shape),
    )
    if reason:
        return reason
    try:
        _compare_params(graph, op)
    except ValueError as exc:
        return str(exc)
    return None


@rule(*COMPARISONS, check=_compare_check)
def lower_compare(graph: Graph, op: Operator) -> KernelCall:
    return KernelCall(
        op=op,
        kernel=COMPARISONS[op.opcode],
        args={"input_1": _operand(graph, op.inputs[0]), "input_2": _operand(graph, op.inputs[1]), "params": _compare_params(graph, op)},
        outputs=(op.outputs[0],),
    )


# ------------------------------------------------------------------ SELECT_V2


def _select_check(graph: Graph, op: Operator) -> str | None:
    c, a, b, y = (tensor(graph, op, 0, "condition"), tensor(graph, op, 1, "input 1"), tensor(graph, op, 2, "input 2"),
                  output(graph, op))
    reason = first_reason(
        dtype_reason(c, "condition", [np.bool_]),
        dtype_reason(y, "output", [np.int8, np.int16]),
    )
    if reason:
        return reason
    reason = first_reason(dtype_reason(a, "input 1", [y.dtype.type]), dtype_reason(b, "input 2", [y.dtype.type]),
                          per_tensor_reason(y, "output"))
    if reason:
        return reason
    assert y.quant
    for t, role in ((a, "input 1"), (b, "input 2")):
        assert t.quant
        if (t.quant.scales, t.quant.zero_points) != (y.quant.scales, y.quant.zero_points):
            return f"{role} '{t.name}' is quantised unlike the output (TensorFlow Lite Micro copies values without requantising)"
    return broadcast_shapes_reason([c.shape, a.shape, b.shape], y.shape)


@rule("SELECT_V2", check=_select_check)
def lower_select(graph: Graph, op: Operator) -> KernelCall:
    y = output(graph, op)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_select_s8" if y.dtype == np.int8 else "pycmsisnn_select_s16",
        args={"condition": _operand(graph, op.inputs[0]), "input_1": _operand(graph, op.inputs[1]),
              "input_2": _operand(graph, op.inputs[2])},
        outputs=(y.index,),
    )


# --------------------------------------------------------------------- CUMSUM


def _cumsum_axis(graph: Graph, op: Operator) -> tuple[int | None, str | None]:
    x, axis = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "axis")
    if axis.data is None:
        return None, f"axis '{axis.name}' is not a constant tensor"
    if axis.dtype != np.dtype(np.int32):
        return None, f"axis '{axis.name}' is {axis.type_label}, needs int32"
    values = np.asarray(axis.data).reshape(-1)
    if values.size != 1:
        return None, f"axis holds {values.size} values, needs one"
    rank = len(x.shape)
    a = int(values[0])
    if not -rank <= a < rank:
        return None, f"axis {a} is outside the input's {rank} dimensions"
    return a % rank, None


def _cumsum_params(graph: Graph, op: Operator) -> CumsumParams:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant and y.quant
    return cumsum_params(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point)


def _cumsum_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    if x.dtype == np.dtype(np.int16):
        return f"input '{x.name}' is int16; TensorFlow Lite Micro runs CUMSUM in float32 and int8 only"
    reason = first_reason(dtype_reason(x, "input", [np.int8]), dtype_reason(y, "output", [np.int8]),
                          per_tensor_reason(x, "input"), per_tensor_reason(y, "output"))
    if reason:
        return reason
    if not 1 <= len(x.shape) <= MAX_RANK:
        return f"input rank {len(x.shape)} is not supported (1 to 4)"
    if tuple(x.shape) != tuple(y.shape):
        return f"output shape {list(y.shape)} differs from the input's {list(x.shape)}"
    axis, reason = _cumsum_axis(graph, op)
    if reason:
        return reason
    assert axis is not None
    try:
        params = _cumsum_params(graph, op)
    except ValueError as exc:
        return str(exc)
    bound = cumsum_bound(params, x.shape[axis])
    if bound > INT32_MAX:
        return f"a running sum of {x.shape[axis]} scaled inputs can reach {bound}, out of TensorFlow Lite Micro's int32 accumulator"
    return None


@rule("CUMSUM", check=_cumsum_check)
def lower_cumsum(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    axis, _ = _cumsum_axis(graph, op)
    o = options_as(op.options, CumsumOptions)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_cumsum_s8",
        args={"input": TensorArg(x.index), "params": _cumsum_params(graph, op), "axis": axis,
              "exclusive": o.exclusive, "reverse": o.reverse},
        outputs=(y.index,),
    )
