"""MEAN (int8, int16) to ``pycmsisnn_mean_s8`` / ``pycmsisnn_mean_s16``.

TensorFlow Lite Micro's int8 MEAN sums the input over the reduced axes in
32 bits, removes ``zero_point * count`` and requantises once, with a
multiplier derived in two steps: ``QuantizeMultiplier(s_in / s_out)``, then
the division by ``count`` folded into that multiplier in integers (the
multiplier is scaled up by 2^k, k = floor(log2(count)) capped at 32 and at
31 + shift, divided by ``count`` with truncation, and k is taken off the
shift). ``mean_params`` reproduces that derivation; it holds for equal input
and output quantisation too (the multiplier of 1 is 2^30 with shift 1).
TFLite Micro's int16 MEAN is the same recipe (32-bit sum, the same
multiplier), clamped to int16: ``mean_params_s16``.
"""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Operator
from ..kernels.tensor_ops import MEAN_MAX_COUNT, MEAN_S16_MAX_COUNT
from ..params import MeanParams
from ..quant import mean_params, mean_params_s16
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule



def reduced_axes(graph: Graph, op: Operator) -> list[int]:
    """The distinct reduced axes of a MEAN, in [0, rank)."""
    x, axis = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "axis")
    assert axis.data is not None
    rank = len(x.shape)
    return sorted({int(a) % rank for a in np.asarray(axis.data).reshape(-1)})


def _check(graph: Graph, op: Operator) -> str | None:
    x, axis, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "axis"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8, np.int16]), dtype_reason(y, "output", [x.dtype.type]))
    if reason:
        return reason
    if not 1 <= len(x.shape) <= 4:
        return f"input rank {len(x.shape)} is not supported (1 to 4)"
    if axis.data is None:
        return f"axis '{axis.name}' is not a constant tensor"
    if axis.dtype != np.dtype(np.int32):  # as TFLite Micro requires
        return f"axis '{axis.name}' is {axis.type_label}, needs int32"
    values = [int(a) for a in np.asarray(axis.data).reshape(-1)]
    if not values:
        return "an empty axis list (a copy) is not supported"
    rank = len(x.shape)
    bad = [a for a in values if not -rank <= a < rank]
    if bad:
        return f"axis {bad[0]} is outside the input's {rank} dimensions"
    assert x.quant and y.quant
    if x.quant.per_channel or y.quant.per_channel:
        return "per-channel quantised activations are not supported"
    axes = reduced_axes(graph, op)
    count = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    if count > (MEAN_MAX_COUNT if x.dtype == np.int8 else MEAN_S16_MAX_COUNT):
        return f"{count} elements per mean overflow the int32 sum"
    if int(np.prod([d for a, d in enumerate(x.shape) if a not in axes], dtype=np.int64)) != y.size:
        return f"output shape {list(y.shape)} does not match a mean of {list(x.shape)} over axes {axes}"
    try:
        _params(graph, op, count)
    except ValueError as exc:
        return str(exc)
    return None


def _params(graph: Graph, op: Operator, count: int) -> MeanParams:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant and y.quant
    derive = mean_params if x.dtype == np.int8 else mean_params_s16
    return derive(x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point, count)


@rule("MEAN", check=_check)
def lower_mean(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    axes = reduced_axes(graph, op)
    count = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    params = _params(graph, op, count)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_mean_s8" if x.dtype == np.int8 else "pycmsisnn_mean_s16",
        args={"input": TensorArg(x.index), "params": params, "axes": tuple(axes), "keep_dims": True},
        outputs=(y.index,),
        notes={"count": count, "multiplier": params.multiplier, "shift": params.shift},
    )
