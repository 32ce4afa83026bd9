"""ARG_MAX, ARG_MIN (int8, int32 index), REDUCE_MAX, REDUCE_MIN (int8) and
SUM (int8, int16) to our ``pycmsisnn_reduce_ops.h`` kernels (SUM to the MEAN
kernels).

What TensorFlow Lite Micro runs, found by running it (tests/lower/test_reduce_ops.py):
ARG_MAX / ARG_MIN take float32, uint8 or int8 and write int32 (an int64
output fails at Invoke); the first index wins on ties. REDUCE_MAX / REDUCE_MIN
take float32 or int8 and need the output quantised exactly as the input.
SUM runs int8 and int16 with MEAN's integer recipe over a count of one:
the offset sum requantised once by QuantizeMultiplier(s_in / s_out)
(``quant.sum_params``), so it runs on ``pycmsisnn_mean_s8`` / ``_s16``.
REDUCE_PROD is not in TFLite Micro at all.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..kernels.tensor_ops import MEAN_MAX_COUNT, MEAN_S16_MAX_COUNT
from ..params import MeanParams
from ..quant import INT32_MAX, sum_params
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import NO_KERNEL_NOTES, rule

NO_KERNEL_NOTES["REDUCE_PROD"] = "TensorFlow Lite Micro has no REDUCE_PROD kernel"


def _axis_values(graph: Graph, op: Operator) -> tuple[list[int] | None, str | None]:
    """The constant int32 axis list of a reduction, or why not."""
    axis = tensor(graph, op, 1, "axis")
    if axis.data is None:
        return None, f"axis '{axis.name}' is not a constant tensor"
    if axis.dtype != np.dtype(np.int32):
        return None, f"axis '{axis.name}' is {axis.type_label}, needs int32"
    return [int(a) for a in np.asarray(axis.data).reshape(-1)], None


def _axes_reason(x: Tensor, values: list[int]) -> str | None:
    rank = len(x.shape)
    if not 1 <= rank <= 4:
        return f"input rank {rank} is not supported (1 to 4)"
    if not values:
        return "an empty axis list (a copy) is not supported"
    bad = [a for a in values if not -rank <= a < rank]
    if bad:
        return f"axis {bad[0]} is outside the input's {rank} dimensions"
    return None


def _reduced(x: Tensor, values: list[int]) -> list[int]:
    return sorted({a % len(x.shape) for a in values})


def _count(x: Tensor, axes: list[int]) -> int:
    return int(np.prod([x.shape[a] for a in axes], dtype=np.int64))


def _reduction_reason(graph: Graph, op: Operator, dtypes: list[type]) -> str | None:
    """Input, output, axes and shapes of REDUCE_MAX / REDUCE_MIN / SUM."""
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", dtypes), dtype_reason(y, "output", [x.dtype.type]))
    if reason:
        return reason
    values, reason = _axis_values(graph, op)
    if reason:
        return reason
    assert values is not None
    reason = _axes_reason(x, values)
    if reason:
        return reason
    assert x.quant and y.quant
    if x.quant.per_channel or y.quant.per_channel:
        return "per-channel quantised activations are not supported"
    axes = _reduced(x, values)
    kept = int(np.prod([d for a, d in enumerate(x.shape) if a not in axes], dtype=np.int64))
    if kept != y.size:
        return f"output shape {list(y.shape)} does not match a reduction of {list(x.shape)} over axes {axes}"
    return None


# ----------------------------------------------------------- REDUCE_MAX, _MIN


def _extreme_check(graph: Graph, op: Operator) -> str | None:
    reason = _reduction_reason(graph, op, [np.int8])
    if reason:
        return reason
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant and y.quant
    if (x.quant.scale, x.quant.zero_point) != (y.quant.scale, y.quant.zero_point):
        return "input and output quantisation differ (TensorFlow Lite Micro requires them equal)"
    return None


@rule("REDUCE_MAX", "REDUCE_MIN", check=_extreme_check)
def lower_reduce_extreme(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    values, _ = _axis_values(graph, op)
    assert values is not None
    axes = _reduced(x, values)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_reduce_max_s8" if op.opcode == "REDUCE_MAX" else "pycmsisnn_reduce_min_s8",
        args={"input": TensorArg(x.index), "axes": tuple(axes), "keep_dims": True},
        outputs=(y.index,),
        notes={"count": _count(x, axes)},
    )


# ------------------------------------------------------------------------ SUM


def _sum_params(graph: Graph, op: Operator) -> MeanParams:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant and y.quant
    return sum_params(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point, int16=x.dtype == np.int16)


def _sum_check(graph: Graph, op: Operator) -> str | None:
    reason = _reduction_reason(graph, op, [np.int8, np.int16])
    if reason:
        return reason
    x = tensor(graph, op, 0, "input")
    values, _ = _axis_values(graph, op)
    assert values is not None and x.quant is not None
    count = _count(x, _reduced(x, values))
    s16 = x.dtype == np.int16
    if count > (MEAN_S16_MAX_COUNT if s16 else MEAN_MAX_COUNT):
        return f"{count} elements per sum overflow the int32 sum"
    try:
        params = _sum_params(graph, op)
    except ValueError as exc:
        return str(exc)
    # TFLite Micro shifts the sum left before its multiply, in 32 bits.
    largest = count * (65535 if s16 else 255)
    if params.shift > 0 and largest << params.shift > INT32_MAX:
        return f"a sum of {count} elements shifted left by {params.shift} (input scale over output scale) overflows int32"
    return None


@rule("SUM", check=_sum_check)
def lower_sum(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    values, _ = _axis_values(graph, op)
    assert values is not None
    axes = _reduced(x, values)
    params = _sum_params(graph, op)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_mean_s8" if x.dtype == np.int8 else "pycmsisnn_mean_s16",
        args={"input": TensorArg(x.index), "params": params, "axes": tuple(axes), "keep_dims": True},
        outputs=(y.index,),
        notes={"count": _count(x, axes), "multiplier": params.multiplier, "shift": params.shift},
    )


# ------------------------------------------------------------ ARG_MAX, ARG_MIN


def _arg_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = dtype_reason(x, "input", [np.int8])
    if reason:
        return reason
    if y.dtype != np.dtype(np.int32):
        return f"output '{y.name}' is {y.type_label}, needs int32 (TensorFlow Lite Micro writes int32 indices only)"
    values, reason = _axis_values(graph, op)
    if reason:
        return reason
    assert values is not None
    if len(values) != 1:
        return f"axis holds {len(values)} values, needs one"
    reason = _axes_reason(x, values)
    if reason:
        return reason
    a = values[0] % len(x.shape)
    if int(np.prod([d for i, d in enumerate(x.shape) if i != a], dtype=np.int64)) != y.size:
        return f"output shape {list(y.shape)} does not match {list(x.shape)} without axis {a}"
    return None


@rule("ARG_MAX", "ARG_MIN", check=_arg_check)
def lower_arg(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    values, _ = _axis_values(graph, op)
    assert values is not None
    return KernelCall(
        op=op,
        kernel="pycmsisnn_arg_max_s8" if op.opcode == "ARG_MAX" else "pycmsisnn_arg_min_s8",
        args={"input": TensorArg(x.index), "axis": values[0] % len(x.shape)},
        outputs=(y.index,),
    )
