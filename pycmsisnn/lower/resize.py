"""RESIZE_NEAREST_NEIGHBOR (int8, int16) to ``pycmsisnn_remap_s8`` /
``_s16`` and RESIZE_BILINEAR (int8) to ``pycmsisnn_resize_bilinear_s8``.

The nearest neighbour of every output row and column is found here, once,
the way TensorFlow Lite (Micro) finds it in float32: with ``scale`` the
input/output ratio of the axis (``(in - 1) / (out - 1)`` under
align_corners), output index ``o`` reads ``(o + offset) * scale`` (offset
0.5 under half_pixel_centers) rounded half away from zero under
align_corners and down otherwise, clamped to the axis. The kernel then
copies through these two index tables (N and C map to themselves). The
bilinear resize keeps its arithmetic in the kernel (10-bit fixed-point
positions); TensorFlow Lite Micro has no int16 bilinear resize, so int16 is
refused. The size tensor must be constant; align_corners together with
half_pixel_centers is refused (TensorFlow rejects the combination).
"""
from __future__ import annotations

import math

import numpy as np

from ..ir import Graph, Operator
from ..kernels._data_geometry import bilinear_scale_10, resize_scale
from ..operator_options import ResizeOptions, options_as
from .common import output, tensor
from .moves import S8, S8_S16, by_type, constant_ints, copy_reason
from .plan import KernelCall, TensorArg
from .registry import rule

POSITION_MAX = 2**31 - 1


def _round_half_away(v: np.float32) -> int:
    f = math.floor(float(v))
    return f + 1 if float(v) - f >= 0.5 else f


def nearest_map(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool) -> tuple[int, ...]:
    """The input index each output index of an axis reads (TFLite's float32 rule)."""
    scale = resize_scale(in_size, out_size, align_corners)
    offset = np.float32(0.5) if half_pixel_centers else np.float32(0.0)
    found = []
    for o in range(out_size):
        v = np.float32((np.float32(o) + offset) * scale)
        i = _round_half_away(v) if align_corners else math.floor(float(v))
        i = min(i, in_size - 1)
        found.append(max(i, 0) if half_pixel_centers else i)
    return tuple(found)


def _check(dtypes: tuple[type, ...]):  # noqa: ANN202 - a check function
    def check(graph: Graph, op: Operator) -> str | None:
        x, y = tensor(graph, op, 0, "input"), output(graph, op)
        reason = copy_reason(x, [y], dtypes, (4, 4))
        if reason:
            return reason
        size, reason = constant_ints(graph, op, 1, "size")
        if reason:
            return reason
        assert size is not None
        size = size.reshape(-1)
        if len(size) != 2 or (size < 1).any():
            return f"size {size.tolist()} must hold a positive height and width"
        if tuple(y.shape) != (x.shape[0], int(size[0]), int(size[1]), x.shape[3]):
            return f"output shape {list(y.shape)} does not match the size {size.tolist()}"
        o = options_as(op.options, ResizeOptions)
        if o.align_corners and o.half_pixel_centers:
            return "align_corners together with half_pixel_centers is not supported (TensorFlow rejects it)"
        if op.opcode == "RESIZE_BILINEAR":
            for a in (1, 2):
                s = bilinear_scale_10(x.shape[a], y.shape[a], o.align_corners)
                if y.shape[a] * s + s // 2 > POSITION_MAX:
                    return f"axis {a}: {x.shape[a]} -> {y.shape[a]} positions overflow the int32 fixed-point arithmetic"
        return None

    return check


@rule("RESIZE_NEAREST_NEIGHBOR", check=_check(S8_S16))
def lower_resize_nearest(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    o = options_as(op.options, ResizeOptions)
    maps = (tuple(range(x.shape[0])), nearest_map(x.shape[1], y.shape[1], o.align_corners, o.half_pixel_centers),
            nearest_map(x.shape[2], y.shape[2], o.align_corners, o.half_pixel_centers), tuple(range(x.shape[3])))
    return KernelCall(op=op, kernel=by_type(x, "pycmsisnn_remap_s8", "pycmsisnn_remap_s16"), args={"input": TensorArg(x.index), "maps": maps, "pad_value": 0},
                      outputs=(y.index,), notes={"align_corners": o.align_corners, "half_pixel_centers": o.half_pixel_centers})


@rule("RESIZE_BILINEAR", check=_check(S8))
def lower_resize_bilinear(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    o = options_as(op.options, ResizeOptions)
    return KernelCall(op=op, kernel="pycmsisnn_resize_bilinear_s8",
                      args={"input": TensorArg(x.index), "size": (int(y.shape[1]), int(y.shape[2])),
                            "align_corners": o.align_corners, "half_pixel_centers": o.half_pixel_centers},
                      outputs=(y.index,))
