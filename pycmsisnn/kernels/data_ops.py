"""Our kernels of the data-movement operators CMSIS-NN lacks
(``pycmsisnn_data_ops.h``).

``pycmsisnn_remap_s8`` / ``_s16`` copy through one index map per axis
(RESIZE_NEAREST_NEIGHBOR, MIRROR_PAD, BROADCAST_TO), ``pycmsisnn_split_s8`` /
``_s16`` cut one tensor into several (SPLIT, SPLIT_V, UNPACK; the wrapper
returns a tuple), ``pycmsisnn_gather_s8`` gathers slices by constant indices
(GATHER, GATHER_ND), ``pycmsisnn_resize_bilinear_s8`` interpolates in 10-bit
fixed point, ``pycmsisnn_depth_to_space_s8``, ``pycmsisnn_space_to_depth_s8``,
``pycmsisnn_batch_to_space_s8`` and ``pycmsisnn_space_to_batch_s8``
rearrange blocks, ``pycmsisnn_fill_s8`` writes one value (ZEROS_LIKE).
Arrays of rank 1 to 4 map to NHWC from the right (leading dimensions of 1).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._data_geometry import bilinear_scale_10, split_view
from ._base import DIM_MAX, call, INT8_MAX, INT8_MIN, INT16_MAX, INT16_MIN, INT32_MAX, check_array, check_int, dims, fail, ffi, invoke, lib, ptr
from ._base import nhwc as _nhwc

_CTYPES = {np.dtype(np.int8): "int8_t", np.dtype(np.int16): "int16_t"}
_LIMITS = {np.dtype(np.int8): (INT8_MIN, INT8_MAX), np.dtype(np.int16): (INT16_MIN, INT16_MAX)}


def _ints(kernel: str, name: str, value: Any) -> tuple[int, ...]:
    """A list/tuple/1-D array of integers."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise fail(kernel, name, f"must be one-dimensional, got shape {value.shape}")
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise fail(kernel, name, f"must be a sequence of integers, got {type(value).__name__}")
    return tuple(check_int(kernel, f"{name}[{i}]", v, -(2**31), INT32_MAX) for i, v in enumerate(value))


def _size_ok(kernel: str, name: str, shape: Sequence[int]) -> None:
    if any(d < 1 or d > DIM_MAX for d in shape):
        raise fail(kernel, name, f"shape {tuple(shape)} needs extents in [1, {DIM_MAX}]")
    if int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(kernel, name, f"shape {tuple(shape)} has more than {INT32_MAX} elements")


# --------------------------------------------------------------------- remap


def _remap(k: str, dtype: type, input: Any, maps: Any, pad_value: Any) -> np.ndarray:
    x = check_array(k, "input", input, dtype, (1, 2, 3, 4))
    if not isinstance(maps, (list, tuple)) or len(maps) != x.ndim:
        raise fail(k, "maps", f"must be a sequence of {x.ndim} index maps, one per input axis")
    per_axis: list[tuple[int, ...]] = []
    for a, m in enumerate(maps):
        entries = _ints(k, f"maps[{a}]", m)
        if not entries:
            raise fail(k, f"maps[{a}]", "is empty")
        bad = [i for i in entries if i >= x.shape[a]]
        if bad:
            raise fail(k, f"maps[{a}]", f"index {bad[0]} is outside axis {a} of extent {x.shape[a]}")
        per_axis.append(entries)
    lo, hi = _LIMITS[np.dtype(dtype)]
    pad = check_int(k, "pad_value", pad_value, lo, hi)
    out_shape = tuple(len(m) for m in per_axis)
    _size_ok(k, "maps", out_shape)
    table = np.array([0] * (4 - x.ndim) + [i for m in per_axis for i in m], dtype=np.int32)
    out: np.ndarray = np.empty(out_shape, dtype=dtype)
    ctype = _CTYPES[np.dtype(dtype)]
    fn = getattr(lib, k)
    return invoke(k, fn, dims(_nhwc(x.shape)), ptr(x, ctype), dims(_nhwc(out_shape)), ptr(table, "int32_t"), pad, ptr(out, ctype), output=out)


def pycmsisnn_remap_s8(input: np.ndarray, maps: Sequence[Sequence[int]], pad_value: int = 0) -> np.ndarray:
    """Copy an int8 array of rank 1 to 4 through one index map per axis:
    ``out[i0, i1, ...] = input[maps[0][i0], maps[1][i1], ...]``, or
    ``pad_value`` where any index is negative. The output's extent along an
    axis is the length of its map. Returns a new array."""
    return _remap("pycmsisnn_remap_s8", np.int8, input, maps, pad_value)


def pycmsisnn_remap_s16(input: np.ndarray, maps: Sequence[Sequence[int]], pad_value: int = 0) -> np.ndarray:
    """``pycmsisnn_remap_s8`` for int16 arrays."""
    return _remap("pycmsisnn_remap_s16", np.int16, input, maps, pad_value)


# --------------------------------------------------------------------- split


def _split(k: str, dtype: type, input: Any, axis: Any, sizes: Any) -> tuple[np.ndarray, ...]:
    x = check_array(k, "input", input, dtype, (1, 2, 3, 4, 5, 6))
    ax = check_int(k, "axis", axis, -x.ndim, x.ndim - 1) % x.ndim
    s = _ints(k, "sizes", sizes)
    if not s or any(v < 1 for v in s) or sum(s) != x.shape[ax]:
        raise fail(k, "sizes", f"{list(s)} must be positive and add up to axis {ax}'s extent {x.shape[ax]}")
    outer, extent, inner = split_view(x.shape, ax)
    outs: tuple[np.ndarray, ...] = tuple(np.empty(x.shape[:ax] + (v,) + x.shape[ax + 1:], dtype=dtype) for v in s)
    ctype = _CTYPES[np.dtype(dtype)]
    buffers = [ptr(o, ctype) for o in outs]  # the outputs are contiguous: no copies
    pointers = ffi.new(f"{ctype} *[]", buffers)
    call(k, getattr(lib, k)(ptr(x, ctype), outer, extent, inner, len(s), ptr(np.array(s, dtype=np.int32), "int32_t"), pointers))
    return outs


def pycmsisnn_split_s8(input: np.ndarray, axis: int, sizes: Sequence[int]) -> tuple[np.ndarray, ...]:
    """Cut an int8 array (rank 1 to 6) along ``axis`` (negative counts from
    the end) into consecutive pieces of ``sizes`` positions (positive, adding
    up to the axis's extent). Returns the pieces, new arrays."""
    return _split("pycmsisnn_split_s8", np.int8, input, axis, sizes)


def pycmsisnn_split_s16(input: np.ndarray, axis: int, sizes: Sequence[int]) -> tuple[np.ndarray, ...]:
    """``pycmsisnn_split_s8`` for int16 arrays."""
    return _split("pycmsisnn_split_s16", np.int16, input, axis, sizes)


# -------------------------------------------------------------------- gather


def pycmsisnn_gather_s8(input: np.ndarray, indices: np.ndarray, axis: int, batch_dims: int = 0) -> np.ndarray:
    """TFLite GATHER of an int8 array (rank 1 to 6) by int32 ``indices``
    along ``axis``, the first ``batch_dims`` dimensions shared by input and
    indices: the output's shape is ``input.shape[:axis] +
    indices.shape[batch_dims:] + input.shape[axis + 1:]``. Every index must
    lie inside the axis. Returns a new array."""
    k = "pycmsisnn_gather_s8"
    x = check_array(k, "input", input, np.int8, (1, 2, 3, 4, 5, 6))
    idx = check_array(k, "indices", indices, np.int32)
    b = check_int(k, "batch_dims", batch_dims, 0, min(x.ndim - 1, idx.ndim))
    ax = check_int(k, "axis", axis, -x.ndim, x.ndim - 1) % x.ndim
    if ax < b:
        raise fail(k, "axis", f"{ax} is below batch_dims {b}")
    if tuple(idx.shape[:b]) != tuple(x.shape[:b]):
        raise fail(k, "indices", f"leading dimensions {idx.shape[:b]} differ from the input's {x.shape[:b]}")
    bad = idx[(idx < 0) | (idx >= x.shape[ax])]
    if bad.size:
        raise fail(k, "indices", f"index {int(bad[0])} is outside axis {ax} of extent {x.shape[ax]}")
    batch = int(np.prod(x.shape[:b], dtype=np.int64))
    outer = int(np.prod(x.shape[b:ax], dtype=np.int64))
    inner = int(np.prod(x.shape[ax + 1:], dtype=np.int64))
    count = int(np.prod(idx.shape[b:], dtype=np.int64))
    out_shape = tuple(x.shape[:ax]) + tuple(idx.shape[b:]) + tuple(x.shape[ax + 1:])
    if int(np.prod(out_shape, dtype=np.int64)) > INT32_MAX or batch * count > INT32_MAX:
        raise fail(k, "indices", f"the output {out_shape} has more than {INT32_MAX} elements")
    out = np.empty(out_shape, dtype=np.int8)
    params = ffi.new("pycmsisnn_gather_params *",
                     {"batch": batch, "outer": outer, "axis_size": int(x.shape[ax]), "inner": inner, "count": count})
    return invoke(k, lib.pycmsisnn_gather_s8, params, ptr(x, "int8_t"), ptr(idx, "int32_t"), ptr(out, "int8_t"), output=out)


# ------------------------------------------------------------------- resizes


def _flag(k: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise fail(k, name, f"must be a bool, got {type(value).__name__}")
    return bool(value)


def pycmsisnn_resize_bilinear_s8(input: np.ndarray, size: Sequence[int], align_corners: bool = False,
                                 half_pixel_centers: bool = False) -> np.ndarray:
    """RESIZE_BILINEAR of an int8 NHWC array to ``size`` = (height, width) in
    TFLite's integer arithmetic (10-bit positions, rounded 20-bit weighted
    sums); the output keeps the input's quantisation. Returns a new array."""
    k = "pycmsisnn_resize_bilinear_s8"
    x = check_array(k, "input", input, np.int8, 4)
    sz = _ints(k, "size", size)
    if len(sz) != 2:
        raise fail(k, "size", f"must hold (height, width), got {list(sz)}")
    align, half = _flag(k, "align_corners", align_corners), _flag(k, "half_pixel_centers", half_pixel_centers)
    if align and half:
        raise fail(k, "half_pixel_centers", "cannot be combined with align_corners")
    out_shape = (x.shape[0], sz[0], sz[1], x.shape[3])
    _size_ok(k, "size", out_shape)
    scales = [bilinear_scale_10(int(x.shape[a]), sz[a - 1], align) for a in (1, 2)]
    for a, s in zip((1, 2), scales):
        if s < 0 or sz[a - 1] * s + s // 2 > INT32_MAX:
            raise fail(k, "size", f"axis {a}'s fixed-point scale {s} does not fit int32 positions")
    out = np.empty(out_shape, dtype=np.int8)
    params = ffi.new("pycmsisnn_resize_bilinear_params *", {"scale_h": scales[0], "scale_w": scales[1], "half_pixel_centers": int(half)})
    return invoke(k, lib.pycmsisnn_resize_bilinear_s8, params, dims(x.shape), ptr(x, "int8_t"), dims(out_shape), ptr(out, "int8_t"), output=out)


# ------------------------------------------------------- space, depth, batch


def _block(k: str, block_size: Any) -> int:
    return check_int(k, "block_size", block_size, 1, DIM_MAX)


def pycmsisnn_depth_to_space_s8(input: np.ndarray, block_size: int) -> np.ndarray:
    """DEPTH_TO_SPACE of an int8 NHWC array: channels C = b * b * C_out
    become b x b tiles of pixels (TFLite's DCR order). Returns a new array."""
    k = "pycmsisnn_depth_to_space_s8"
    x = check_array(k, "input", input, np.int8, 4)
    b = _block(k, block_size)
    if x.shape[3] % (b * b):
        raise fail(k, "block_size", f"{b} * {b} does not divide the input's {x.shape[3]} channels")
    out_shape = (x.shape[0], x.shape[1] * b, x.shape[2] * b, x.shape[3] // (b * b))
    _size_ok(k, "block_size", out_shape)
    out = np.empty(out_shape, dtype=np.int8)
    return invoke(k, lib.pycmsisnn_depth_to_space_s8, b, dims(x.shape), ptr(x, "int8_t"), dims(out_shape), ptr(out, "int8_t"), output=out)


def pycmsisnn_space_to_depth_s8(input: np.ndarray, block_size: int) -> np.ndarray:
    """SPACE_TO_DEPTH of an int8 NHWC array: b x b tiles of pixels become
    the channels of one pixel (H and W divisible by b). Returns a new array."""
    k = "pycmsisnn_space_to_depth_s8"
    x = check_array(k, "input", input, np.int8, 4)
    b = _block(k, block_size)
    if x.shape[1] % b or x.shape[2] % b:
        raise fail(k, "block_size", f"{b} does not divide the input's height {x.shape[1]} and width {x.shape[2]}")
    out_shape = (x.shape[0], x.shape[1] // b, x.shape[2] // b, x.shape[3] * b * b)
    _size_ok(k, "block_size", out_shape)
    out = np.empty(out_shape, dtype=np.int8)
    return invoke(k, lib.pycmsisnn_space_to_depth_s8, b, dims(x.shape), ptr(x, "int8_t"), dims(out_shape), ptr(out, "int8_t"), output=out)


def _pairs(k: str, name: str, value: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    arr = np.asarray(value)
    if arr.shape != (2, 2) or not np.issubdtype(arr.dtype, np.integer):
        raise fail(k, name, f"must be integers ((top, bottom), (left, right)), got {value!r}")
    (t, b), (l, r) = (tuple(check_int(k, f"{name}[{i}][{j}]", int(arr[i, j]), 0, DIM_MAX) for j in range(2)) for i in range(2))
    return (t, b), (l, r)


def _block2(k: str, block: Any) -> tuple[int, int]:
    b = _ints(k, "block", block)
    if len(b) != 2:
        raise fail(k, "block", f"must hold (height, width), got {list(b)}")
    return check_int(k, "block[0]", b[0], 1, DIM_MAX), check_int(k, "block[1]", b[1], 1, DIM_MAX)


def pycmsisnn_batch_to_space_s8(input: np.ndarray, block: Sequence[int], crops: Any) -> np.ndarray:
    """BATCH_TO_SPACE_ND of an int8 NHWC array with ``block`` = (bh, bw)
    (the batch divisible by bh * bw) and ``crops`` = ((top, bottom), (left,
    right)). Returns a new array."""
    k = "pycmsisnn_batch_to_space_s8"
    x = check_array(k, "input", input, np.int8, 4)
    bh, bw = _block2(k, block)
    (ct, cb), (cl, cr) = _pairs(k, "crops", crops)
    if x.shape[0] % (bh * bw):
        raise fail(k, "block", f"{bh} * {bw} does not divide the input's batch {x.shape[0]}")
    out_shape = (x.shape[0] // (bh * bw), x.shape[1] * bh - ct - cb, x.shape[2] * bw - cl - cr, x.shape[3])
    if out_shape[1] < 1 or out_shape[2] < 1:
        raise fail(k, "crops", f"leave an empty output {out_shape}")
    out = np.empty(out_shape, dtype=np.int8)
    params = ffi.new("pycmsisnn_space_batch_params *", {"block_h": bh, "block_w": bw, "offset_h": ct, "offset_w": cl, "pad_value": 0})
    return invoke(k, lib.pycmsisnn_batch_to_space_s8, params, dims(x.shape), ptr(x, "int8_t"), dims(out_shape), ptr(out, "int8_t"), output=out)


def pycmsisnn_space_to_batch_s8(input: np.ndarray, block: Sequence[int], paddings: Any, pad_value: int = 0) -> np.ndarray:
    """SPACE_TO_BATCH_ND of an int8 NHWC array with ``block`` = (bh, bw) and
    ``paddings`` = ((top, bottom), (left, right)) (each padded extent
    divisible by its block), padded elements ``pad_value``. Returns a new array."""
    k = "pycmsisnn_space_to_batch_s8"
    x = check_array(k, "input", input, np.int8, 4)
    bh, bw = _block2(k, block)
    (pt, pb), (pl, pr) = _pairs(k, "paddings", paddings)
    h, w = x.shape[1] + pt + pb, x.shape[2] + pl + pr
    if h % bh or w % bw:
        raise fail(k, "paddings", f"padded extents {h} x {w} are not divisible by the block {bh} x {bw}")
    pad = check_int(k, "pad_value", pad_value, INT8_MIN, INT8_MAX)
    out_shape = (x.shape[0] * bh * bw, h // bh, w // bw, x.shape[3])
    _size_ok(k, "paddings", out_shape)
    out = np.empty(out_shape, dtype=np.int8)
    params = ffi.new("pycmsisnn_space_batch_params *", {"block_h": bh, "block_w": bw, "offset_h": pt, "offset_w": pl, "pad_value": pad})
    return invoke(k, lib.pycmsisnn_space_to_batch_s8, params, dims(x.shape), ptr(x, "int8_t"), dims(out_shape), ptr(out, "int8_t"), output=out)


# ---------------------------------------------------------------------- fill


def pycmsisnn_fill_s8(input: np.ndarray, value: int = 0) -> np.ndarray:
    """An int8 array of ``input``'s shape with every element ``value``
    (ZEROS_LIKE: ``value`` 0; the input's data is not read)."""
    k = "pycmsisnn_fill_s8"
    x = check_array(k, "input", input, np.int8)
    v = check_int(k, "value", value, INT8_MIN, INT8_MAX)
    if x.size > INT32_MAX:
        raise fail(k, "input", f"has more than {INT32_MAX} elements")
    out = np.empty(x.shape, dtype=np.int8)
    return invoke(k, lib.pycmsisnn_fill_s8, v, int(x.size), ptr(out, "int8_t"), output=out)


__all__ = [
    "pycmsisnn_remap_s8", "pycmsisnn_remap_s16", "pycmsisnn_split_s8", "pycmsisnn_split_s16", "pycmsisnn_gather_s8",
    "pycmsisnn_resize_bilinear_s8", "pycmsisnn_depth_to_space_s8", "pycmsisnn_space_to_depth_s8",
    "pycmsisnn_batch_to_space_s8", "pycmsisnn_space_to_batch_s8", "pycmsisnn_fill_s8",
]
