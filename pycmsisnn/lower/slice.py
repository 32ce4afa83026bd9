"""STRIDED_SLICE (int8 or int16, constant begin/end/strides) to
``pycmsisnn_strided_slice_s8`` / ``pycmsisnn_strided_slice_s16``.

The TFLite masks are resolved here, per axis, the way TensorFlow Lite Micro
resolves them: a masked begin (end) starts (stops) at the first or last
element in the direction of the stride, a negative index counts from the end,
begin and end are clamped to [0, extent] for a positive stride and to
[-1, extent - 1] for a negative one, and a shrunk axis takes the single
element at begin. The kernel then receives the first index, the stride and
the number of elements of every axis; the output keeps the input's rank and
the runtime drops the shrunk axes by reshaping to the output tensor.
TFLite Micro ignores ``ellipsis_mask``, ``new_axis_mask`` and ``offset``;
operators that set them are refused rather than silently misread.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import CmsisNNError
from ..ir import Graph, Operator
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import StridedSliceOptions, options_as

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class SliceError(ValueError, CmsisNNError):
    """A strided slice the kernel cannot express (empty, or outside the input)."""


def _clamp(v: int, lo: int, hi: int) -> int:
    return hi if v > hi else lo if v < lo else v


def _start(extent: int, begin: int, stride: int, masked: bool) -> int:
    start = (_INT_MIN if stride > 0 else _INT_MAX) if masked else begin
    if start < 0:
        start += extent
    return _clamp(start, 0, extent) if stride > 0 else _clamp(start, -1, extent - 1)


def _stop(extent: int, end: int, stride: int, masked: bool) -> int:
    stop = (_INT_MAX if stride > 0 else _INT_MIN) if masked else end
    if stop < 0:
        stop += extent
    return _clamp(stop, 0, extent) if stride > 0 else _clamp(stop, -1, extent - 1)


def resolve_strided_slice(
    shape: Sequence[int],
    begin: Sequence[int],
    end: Sequence[int],
    strides: Sequence[int],
    begin_mask: int = 0,
    end_mask: int = 0,
    shrink_axis_mask: int = 0,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """(first index, stride, element count) per axis of a TFLite strided slice
    of a tensor of ``shape``; raises ``SliceError`` for a slice that selects
    nothing or starts outside the input."""
    if not len(begin) == len(end) == len(strides) == len(shape):
        raise SliceError(f"begin, end and strides need {len(shape)} entries, got {len(begin)}, {len(end)}, {len(strides)}")
    firsts, steps, counts = [], [], []
    for axis, extent in enumerate(shape):
        stride = int(strides[axis])
        if stride == 0:
            raise SliceError(f"stride of axis {axis} is 0")
        start = _start(extent, int(begin[axis]), stride, bool(begin_mask >> axis & 1))
        if shrink_axis_mask >> axis & 1:
            if stride < 0:
                raise SliceError(f"axis {axis} is shrunk with a negative stride (TFLite Micro selects nothing)")
            if not 0 <= start < extent:
                raise SliceError(f"axis {axis} is shrunk at index {begin[axis]}, outside its extent {extent}")
            stop = start + 1
        else:
            stop = _stop(extent, int(end[axis]), stride, bool(end_mask >> axis & 1))
        count = max(0, -((start - stop) // stride)) if stride > 0 else max(0, -((stop - start) // -stride))
        if count == 0:
            raise SliceError(f"axis {axis} selects no element (begin {start}, end {stop}, stride {stride})")
        firsts.append(start)
        steps.append(stride)
        counts.append(count)
    return tuple(firsts), tuple(steps), tuple(counts)


def _constant(graph: Graph, op: Operator, slot: int, role: str) -> tuple[np.ndarray | None, str | None]:
    t = tensor(graph, op, slot, role)
    if t.data is None:
        return None, f"{role} '{t.name}' is not a constant tensor"
    if t.dtype != np.dtype(np.int32):
        return None, f"{role} '{t.name}' is {t.type_label}, needs int32"
    return np.asarray(t.data).reshape(-1), None


def _resolve(graph: Graph, op: Operator) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    x = tensor(graph, op, 0, "input")
    values = [_constant(graph, op, slot, role)[0] for slot, role in ((1, "begin"), (2, "end"), (3, "strides"))]
    begin, end, strides = (v.tolist() for v in values)  # type: ignore[union-attr]
    o = options_as(op.options, StridedSliceOptions)
    return resolve_strided_slice(x.shape, begin, end, strides, o.begin_mask, o.end_mask, o.shrink_axis_mask)


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(dtype_reason(x, "input", [np.int8, np.int16]), dtype_reason(y, "output", [x.dtype.type]))
    if reason:
        return reason
    if not 1 <= len(x.shape) <= 4:
        return f"input rank {len(x.shape)} is not supported (1 to 4)"
    for slot, role in ((1, "begin"), (2, "end"), (3, "strides")):
        values, reason = _constant(graph, op, slot, role)
        if reason:
            return reason
        assert values is not None
        if len(values) != len(x.shape):
            return f"{role} has {len(values)} entries, the input has {len(x.shape)} dimensions"
    o = options_as(op.options, StridedSliceOptions)
    for name, mask in (("ellipsis_mask", o.ellipsis_mask), ("new_axis_mask", o.new_axis_mask)):
        if mask:
            return f"{name} {mask} is not supported (TFLite Micro ignores it)"
    if o.offset:
        return "offset=true is not supported (TFLite Micro ignores it)"
    assert x.quant and y.quant
    if (x.quant.scales, x.quant.zero_points) != (y.quant.scales, y.quant.zero_points):
        return "input and output quantisation differ (a slice copies values)"
    try:
        _, _, counts = _resolve(graph, op)
    except SliceError as exc:
        return str(exc)
    shrink = o.shrink_axis_mask
    kept = [c for axis, c in enumerate(counts) if not shrink >> axis & 1]
    if int(np.prod(kept, dtype=np.int64)) != y.size:
        return f"output shape {list(y.shape)} does not match the slice's {kept}"
    return None


@rule("STRIDED_SLICE", check=_check)
def lower_strided_slice(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    firsts, steps, counts = _resolve(graph, op)
    return KernelCall(
        op=op,
        kernel="pycmsisnn_strided_slice_s8" if x.dtype == np.int8 else "pycmsisnn_strided_slice_s16",
        args={"input": TensorArg(x.index), "begin": firsts, "strides": steps, "output_shape": counts},
        outputs=(y.index,),
    )
