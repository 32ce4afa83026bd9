"""Emitters of our cast, logical and update kernels (``pycmsisnn_cast_logic.h``):
the C calls with exactly the arguments the wrappers of
``pycmsisnn.kernels.cast_logic`` pass. ``CAST_LOGIC_EMITTERS`` is merged into
``kernels.EMITTERS``."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..kernels._reverse_geometry import reverse_view
from ..kernels.cast_logic import ELEMENT_TYPES
from ..lower import KernelCall
from .cwriter import Layer, c_int
from .structs import declare_dims

CAST_LOGIC = "pycmsisnn_cast_logic.h"
Emitter = Callable[[Layer, KernelCall], None]


def _nhwc(layer: Layer, shape: Sequence[int]) -> tuple[int, int, int, int]:
    s = tuple(int(d) for d in shape) or (1,)
    if len(s) > 4:
        raise layer.refuse(f"rank {len(s)} does not fit NHWC")
    return (1,) * (4 - len(s)) + s  # type: ignore[return-value]


def cast(layer: Layer, call: KernelCall) -> None:
    a = call.args
    src, dst = layer.dtype(a["input"]), np.dtype(a["output_type"])
    if src not in ELEMENT_TYPES or dst not in ELEMENT_TYPES:
        raise layer.refuse(f"no cast from {src.name} to {dst.name}")
    layer.returns(call.kernel, [ELEMENT_TYPES[src][1], layer.input(a["input"], "input"), ELEMENT_TYPES[dst][1], layer.output(),
                                c_int(layer.size(a["input"]))])


def reverse(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    outer, extent, inner = reverse_view(shape, sorted(int(x) % len(shape) for x in a["axes"]))
    layer.returns(call.kernel, [layer.input(a["input"], "input"), c_int(outer), c_int(extent), c_int(inner), layer.output()])


def fill_scalar(layer: Layer, call: KernelCall) -> None:
    a = call.args
    size = int(np.prod([int(d) for d in a["shape"]], dtype=np.int64))
    layer.returns(call.kernel, [layer.input(a["value"], "value"), c_int(size), layer.output()])


def update_slice(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape, update = layer.shape(a["operand"]), layer.shape(a["update"])
    layer.returns(call.kernel, [
        c_int(len(shape)), layer.constant(np.array(shape, dtype=np.int32), "operand_shape"), layer.input(a["operand"], "operand"),
        layer.constant(np.array(update, dtype=np.int32), "update_shape"), layer.input(a["update"], "update"),
        layer.input(a["start"], "start"), layer.output(),
    ])


def logical(layer: Layer, call: KernelCall) -> None:
    a = call.args
    s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
    rank = max(len(s1), len(s2))
    p1, p2 = ((1,) * (rank - len(s)) + tuple(s) for s in (s1, s2))
    out = tuple(max(x, y) for x, y in zip(p1, p2))
    layer.returns(call.kernel, [
        declare_dims(layer, "input_1_dims", _nhwc(layer, s1)), layer.input(a["input_1"], "input_1"),
        declare_dims(layer, "input_2_dims", _nhwc(layer, s2)), layer.input(a["input_2"], "input_2"),
        declare_dims(layer, "output_dims", _nhwc(layer, out)), layer.output(),
    ])


def logical_not(layer: Layer, call: KernelCall) -> None:
    a = call.args
    layer.returns(call.kernel, [layer.input(a["input"], "input"), c_int(layer.size(a["input"])), layer.output()])


def reduce_all(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    axes = {int(x) % len(shape) for x in a["axes"]}
    kept = tuple(1 if i in axes else d for i, d in enumerate(shape))
    layer.returns(call.kernel, [
        declare_dims(layer, "input_dims", _nhwc(layer, shape)), layer.input(a["input"], "input"),
        declare_dims(layer, "output_dims", _nhwc(layer, kept)), layer.output(),
    ])


CAST_LOGIC_EMITTERS: dict[str, tuple[Emitter, str]] = {
    "pycmsisnn_cast": (cast, CAST_LOGIC),
    "pycmsisnn_reverse_s8": (reverse, CAST_LOGIC),
    "pycmsisnn_reverse_s16": (reverse, CAST_LOGIC),
    "pycmsisnn_fill_scalar_s8": (fill_scalar, CAST_LOGIC),
    "pycmsisnn_fill_scalar_s32": (fill_scalar, CAST_LOGIC),
    "pycmsisnn_dynamic_update_slice_s8": (update_slice, CAST_LOGIC),
    "pycmsisnn_dynamic_update_slice_s16": (update_slice, CAST_LOGIC),
    "pycmsisnn_logical_and": (logical, CAST_LOGIC),
    "pycmsisnn_logical_or": (logical, CAST_LOGIC),
    "pycmsisnn_logical_not": (logical_not, CAST_LOGIC),
    "pycmsisnn_reduce_all": (reduce_all, CAST_LOGIC),
}

__all__ = ["CAST_LOGIC_EMITTERS"]
