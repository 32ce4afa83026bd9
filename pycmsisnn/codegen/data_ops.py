"""Emitters of our data-movement kernels (``pycmsisnn_data_ops.h``): the C
calls with exactly the arguments the wrappers of ``pycmsisnn.kernels.data_ops``
pass, index tables and sizes as constant arrays. ``DATA_OPS_EMITTERS`` is
merged into ``kernels.EMITTERS``."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..kernels._data_geometry import bilinear_scale_10, split_view
from ..lower import KernelCall
from .cwriter import Layer, c_int, c_type
from .structs import declare_dims, init
from ..kernels._base import nhwc as _nhwc

DATA_OPS = "pycmsisnn_data_ops.h"
Emitter = Callable[[Layer, KernelCall], None]


def _dims(layer: Layer, name: str, shape: Sequence[int]) -> str:
    if not 1 <= len(shape) <= 4:
        raise layer.refuse(f"{name}: rank {len(shape)} does not fit NHWC")
    return declare_dims(layer, name, _nhwc(shape))


def remap(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    maps = [tuple(int(i) for i in m) for m in a["maps"]]
    if len(maps) != len(shape):
        raise layer.refuse(f"{len(maps)} index maps for a rank {len(shape)} input")
    table = np.array([0] * (4 - len(shape)) + [i for m in maps for i in m], dtype=np.int32)
    layer.returns(call.kernel, [
        _dims(layer, "input_dims", shape), layer.input(a["input"], "input"),
        _dims(layer, "output_dims", [len(m) for m in maps]), layer.constant(table, "maps"), c_int(a["pad_value"]), layer.output(),
    ])


def split(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    axis = int(a["axis"]) % len(shape)
    sizes = np.array([int(s) for s in a["sizes"]], dtype=np.int32)
    if len(sizes) != len(call.outputs):
        raise layer.refuse(f"{len(sizes)} sizes for {len(call.outputs)} outputs")
    outer, extent, inner = split_view(shape, axis)
    ctype = c_type(layer.dtype(a["input"]))
    pointers = ", ".join(layer.output(k) for k in range(len(call.outputs)))
    layer.lines.append(f"{ctype} *const outputs[{len(sizes)}] = {{{pointers}}};")
    layer.returns(call.kernel, [
        layer.input(a["input"], "input"), c_int(outer), c_int(extent), c_int(inner), c_int(len(sizes)),
        layer.constant(sizes, "sizes"), "outputs",
    ])


def gather(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    indices = np.asarray(a["indices"], dtype=np.int32)
    b, axis = int(a["batch_dims"]), int(a["axis"]) % len(shape)
    fields = [
        ("batch", int(np.prod(shape[:b], dtype=np.int64))), ("outer", int(np.prod(shape[b:axis], dtype=np.int64))),
        ("axis_size", int(shape[axis])), ("inner", int(np.prod(shape[axis + 1:], dtype=np.int64))),
        ("count", int(np.prod(indices.shape[b:], dtype=np.int64))),
    ]
    params = layer.declare("pycmsisnn_gather_params", "params", init([(k, c_int(v)) for k, v in fields]))
    layer.returns(call.kernel, [params, layer.input(a["input"], "input"), layer.constant(indices.reshape(-1), "indices"), layer.output()])


def resize_bilinear(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    h, w = (int(v) for v in a["size"])
    align = bool(a["align_corners"])
    fields = [("scale_h", c_int(bilinear_scale_10(shape[1], h, align))), ("scale_w", c_int(bilinear_scale_10(shape[2], w, align))),
              ("half_pixel_centers", c_int(int(bool(a["half_pixel_centers"]))))]
    layer.returns(call.kernel, [
        layer.declare("pycmsisnn_resize_bilinear_params", "params", init(fields)), _dims(layer, "input_dims", shape),
        layer.input(a["input"], "input"), _dims(layer, "output_dims", (shape[0], h, w, shape[3])), layer.output(),
    ])


def depth_space(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    b = int(a["block_size"])
    n, h, w, c = shape
    out = (n, h * b, w * b, c // (b * b)) if call.kernel == "pycmsisnn_depth_to_space_s8" else (n, h // b, w // b, c * b * b)
    layer.returns(call.kernel, [c_int(b), _dims(layer, "input_dims", shape), layer.input(a["input"], "input"),
                                _dims(layer, "output_dims", out), layer.output()])


def space_batch(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    bh, bw = (int(v) for v in a["block"])
    to_space = call.kernel == "pycmsisnn_batch_to_space_s8"
    (t, b), (l, r) = ((int(p[0]), int(p[1])) for p in (a["crops"] if to_space else a["paddings"]))
    n, h, w, c = shape
    if to_space:
        out = (n // (bh * bw), h * bh - t - b, w * bw - l - r, c)
    else:
        out = (n * bh * bw, (h + t + b) // bh, (w + l + r) // bw, c)
    fields = [("block_h", bh), ("block_w", bw), ("offset_h", t), ("offset_w", l), ("pad_value", 0 if to_space else int(a["pad_value"]))]
    layer.returns(call.kernel, [
        layer.declare("pycmsisnn_space_batch_params", "params", init([(k, c_int(v)) for k, v in fields])),
        _dims(layer, "input_dims", shape), layer.input(a["input"], "input"), _dims(layer, "output_dims", out), layer.output(),
    ])


def fill(layer: Layer, call: KernelCall) -> None:
    a = call.args
    layer.returns(call.kernel, [c_int(a["value"]), c_int(layer.size(a["input"])), layer.output()])


DATA_OPS_EMITTERS: dict[str, tuple[Emitter, str]] = {
    "pycmsisnn_remap_s8": (remap, DATA_OPS),
    "pycmsisnn_remap_s16": (remap, DATA_OPS),
    "pycmsisnn_split_s8": (split, DATA_OPS),
    "pycmsisnn_split_s16": (split, DATA_OPS),
    "pycmsisnn_gather_s8": (gather, DATA_OPS),
    "pycmsisnn_resize_bilinear_s8": (resize_bilinear, DATA_OPS),
    "pycmsisnn_depth_to_space_s8": (depth_space, DATA_OPS),
    "pycmsisnn_space_to_depth_s8": (depth_space, DATA_OPS),
    "pycmsisnn_batch_to_space_s8": (space_batch, DATA_OPS),
    "pycmsisnn_space_to_batch_s8": (space_batch, DATA_OPS),
    "pycmsisnn_fill_s8": (fill, DATA_OPS),
}

__all__ = ["DATA_OPS_EMITTERS"]
