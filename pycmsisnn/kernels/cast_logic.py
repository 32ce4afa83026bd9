"""Our kernels of type conversion, logical operators and slice updates
(``pycmsisnn_cast_logic.h``): values converted or copied raw, never
requantised, as TensorFlow Lite Micro does.

``pycmsisnn_cast`` (int8, int16, int32, float32, bool in any direction),
``pycmsisnn_reverse_s8`` / ``_s16`` (REVERSE_V2 over contiguous axes),
``pycmsisnn_fill_scalar_s8`` / ``_s32`` (FILL with a run-time value),
``pycmsisnn_dynamic_update_slice_s8`` / ``_s16`` (start indices clamped in C),
``pycmsisnn_logical_and`` / ``_or`` (bool, broadcasting, rank 1 to 4),
``pycmsisnn_logical_not`` and ``pycmsisnn_reduce_all`` (bool, rank 1 to 4).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._base import DIM_MAX, INT32_MAX, check_array, check_int, dims, fail, ffi, invoke, lib, ptr
from ._reverse_geometry import reverse_view
from .elementwise import broadcast_shape
from ._base import nhwc as _nhwc

# pycmsisnn_element_type: the C name and enum value of each element type.
ELEMENT_TYPES: dict[np.dtype, tuple[str, str]] = {
    np.dtype(np.int8): ("int8_t", "PYCMSISNN_TYPE_INT8"),
    np.dtype(np.int16): ("int16_t", "PYCMSISNN_TYPE_INT16"),
    np.dtype(np.int32): ("int32_t", "PYCMSISNN_TYPE_INT32"),
    np.dtype(np.float32): ("float", "PYCMSISNN_TYPE_FLOAT32"),
    np.dtype(np.bool_): ("bool", "PYCMSISNN_TYPE_BOOL"),
}
DUS_MAX_DIMS = 8
_RANKS = (1, 2, 3, 4)


def _any_array(k: str, name: str, value: Any, dtype: type) -> np.ndarray:
    """An array of ``dtype`` of any rank (a scalar is rank 0) and at most INT32_MAX elements."""
    x = check_array(k, name, value, dtype)
    if x.size > INT32_MAX:
        raise fail(k, name, f"has more than {INT32_MAX} elements")
    return x


def _dtype(k: str, name: str, value: Any) -> np.dtype:
    try:
        dt = np.dtype(value)
    except TypeError:
        raise fail(k, name, f"must name an element type, got {value!r}") from None
    if dt not in ELEMENT_TYPES:
        raise fail(k, name, f"must be one of {[d.name for d in ELEMENT_TYPES]}, got {dt.name}")
    return dt


# ------------------------------------------------------------------------ cast


def pycmsisnn_cast(input: np.ndarray, output_type: str) -> np.ndarray:
    """CAST of ``input`` (int8, int16, int32, float32 or bool, any shape) to
    ``output_type`` (another of them): integers wrap to a narrower type,
    floats are truncated towards zero and saturated (NaN to 0), anything
    non-zero is true."""
    k = "pycmsisnn_cast"
    if not isinstance(input, np.ndarray):
        raise fail(k, "input", f"must be a numpy array, got {type(input).__name__}")
    src = _dtype(k, "input", input.dtype)
    x = _any_array(k, "input", input, src.type)
    dst = _dtype(k, "output_type", output_type)
    if dst == src:
        raise fail(k, "output_type", f"is the input's type ({src.name}); nothing to convert")
    out = np.empty(x.shape, dtype=dst)
    (src_c, src_e), (dst_c, dst_e) = ELEMENT_TYPES[src], ELEMENT_TYPES[dst]
    return invoke(k, lib.pycmsisnn_cast, getattr(lib, src_e), ptr(x, src_c), getattr(lib, dst_e), ptr(out, dst_c),
                  int(x.size), output=out)


# --------------------------------------------------------------------- reverse


def _reverse(k: str, fn: Any, dtype: type, ctype: str, input: Any, axes: Any) -> np.ndarray:
    x = _any_array(k, "input", input, dtype)
    if x.ndim < 1:
        raise fail(k, "input", "must have at least one dimension")
    if isinstance(axes, np.ndarray):
        axes = axes.reshape(-1).tolist()
    if not isinstance(axes, (list, tuple)) or not axes:
        raise fail(k, "axes", "must be a non-empty sequence of integers")
    found = sorted({check_int(k, f"axes[{i}]", a, -x.ndim, x.ndim - 1) % x.ndim for i, a in enumerate(axes)})
    if found != list(range(found[0], found[-1] + 1)):
        raise fail(k, "axes", f"{found} are not contiguous")
    outer, extent, inner = reverse_view(x.shape, found)
    out: np.ndarray = np.empty(x.shape, dtype=dtype)
    return invoke(k, fn, ptr(x, ctype), outer, extent, inner, ptr(out, ctype), output=out)


def pycmsisnn_reverse_s8(input: np.ndarray, axes: Sequence[int]) -> np.ndarray:
    """REVERSE_V2 of an int8 array of any rank along ``axes`` (a run of
    contiguous axes, negative from the end)."""
    return _reverse("pycmsisnn_reverse_s8", lib.pycmsisnn_reverse_s8, np.int8, "int8_t", input, axes)


def pycmsisnn_reverse_s16(input: np.ndarray, axes: Sequence[int]) -> np.ndarray:
    """``pycmsisnn_reverse_s8`` for int16 arrays."""
    return _reverse("pycmsisnn_reverse_s16", lib.pycmsisnn_reverse_s16, np.int16, "int16_t", input, axes)


# ------------------------------------------------------------------------ fill


def _fill(k: str, fn: Any, dtype: type, ctype: str, value: Any, shape: Any) -> np.ndarray:
    v = _any_array(k, "value", value, dtype)
    if v.size != 1:
        raise fail(k, "value", f"must hold one element, got shape {v.shape}")
    if not isinstance(shape, (list, tuple)):
        raise fail(k, "shape", f"must be a sequence of dimensions, got {type(shape).__name__}")
    out_shape = tuple(check_int(k, f"shape[{i}]", d, 1, INT32_MAX) for i, d in enumerate(shape))
    size = int(np.prod(out_shape, dtype=np.int64))
    if size > INT32_MAX:
        raise fail(k, "shape", f"{list(out_shape)} has more than {INT32_MAX} elements")
    out: np.ndarray = np.empty(out_shape, dtype=dtype)
    return invoke(k, fn, ptr(v, ctype), size, ptr(out, ctype), output=out)


def pycmsisnn_fill_scalar_s8(value: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """FILL: an int8 array of ``shape`` with every element the one element of ``value``."""
    return _fill("pycmsisnn_fill_scalar_s8", lib.pycmsisnn_fill_scalar_s8, np.int8, "int8_t", value, shape)


def pycmsisnn_fill_scalar_s32(value: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """``pycmsisnn_fill_scalar_s8`` for int32."""
    return _fill("pycmsisnn_fill_scalar_s32", lib.pycmsisnn_fill_scalar_s32, np.int32, "int32_t", value, shape)


# --------------------------------------------------------- dynamic update slice


def _update_slice(k: str, fn: Any, dtype: type, ctype: str, operand: Any, update: Any, start: Any) -> np.ndarray:
    x = _any_array(k, "operand", operand, dtype)
    u = _any_array(k, "update", update, dtype)
    s = check_array(k, "start", start, np.int32, 1)
    if not 1 <= x.ndim <= DUS_MAX_DIMS:
        raise fail(k, "operand", f"must have 1 to {DUS_MAX_DIMS} dimensions, got shape {x.shape}")
    if u.ndim != x.ndim:
        raise fail(k, "update", f"has {u.ndim} dimensions, the operand {x.ndim}")
    if any(a > b for a, b in zip(u.shape, x.shape)):
        raise fail(k, "update", f"shape {list(u.shape)} exceeds the operand's {list(x.shape)}")
    if s.shape != (x.ndim,):
        raise fail(k, "start", f"must hold {x.ndim} indices, got shape {s.shape}")
    shapes = [ffi.new("int32_t[]", [int(d) for d in t.shape]) for t in (x, u)]
    out: np.ndarray = np.empty(x.shape, dtype=dtype)
    return invoke(k, fn, x.ndim, shapes[0], ptr(x, ctype), shapes[1], ptr(u, ctype), ptr(s, "int32_t"), ptr(out, ctype),
                  output=out)


def pycmsisnn_dynamic_update_slice_s8(operand: np.ndarray, update: np.ndarray, start: np.ndarray) -> np.ndarray:
    """DYNAMIC_UPDATE_SLICE of int8 arrays (rank 1 to 8): ``operand`` with
    ``update`` written at the int32 ``start`` indices, each clamped into
    [0, operand extent - update extent]."""
    return _update_slice("pycmsisnn_dynamic_update_slice_s8", lib.pycmsisnn_dynamic_update_slice_s8, np.int8, "int8_t",
                         operand, update, start)


def pycmsisnn_dynamic_update_slice_s16(operand: np.ndarray, update: np.ndarray, start: np.ndarray) -> np.ndarray:
    """``pycmsisnn_dynamic_update_slice_s8`` for int16 arrays."""
    return _update_slice("pycmsisnn_dynamic_update_slice_s16", lib.pycmsisnn_dynamic_update_slice_s16, np.int16, "int16_t",
                         operand, update, start)


# --------------------------------------------------------------------- logical


def _bool4(k: str, name: str, value: Any) -> np.ndarray:
    x = check_array(k, name, value, np.bool_, _RANKS)
    if x.size > INT32_MAX:
        raise fail(k, name, f"has more than {INT32_MAX} elements")
    return x


def _logical(k: str, fn: Any, input_1: Any, input_2: Any) -> np.ndarray:
    a, b = _bool4(k, "input_1", input_1), _bool4(k, "input_2", input_2)
    shape = broadcast_shape(k, a.shape, b.shape)
    if len(shape) > 4 or any(d > DIM_MAX for d in shape) or int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(k, "input_1", f"broadcast shape {shape} is too large (rank above 4 or a dimension above {DIM_MAX})")
    out = np.empty(shape, dtype=np.bool_)
    return invoke(k, fn, dims(_nhwc(a.shape)), ptr(a, "bool"), dims(_nhwc(b.shape)), ptr(b, "bool"), dims(_nhwc(shape)),
                  ptr(out, "bool"), output=out)


def pycmsisnn_logical_and(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """LOGICAL_AND of two bool arrays (rank 1 to 4, broadcast)."""
    return _logical("pycmsisnn_logical_and", lib.pycmsisnn_logical_and, input_1, input_2)


def pycmsisnn_logical_or(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """LOGICAL_OR of two bool arrays (rank 1 to 4, broadcast)."""
    return _logical("pycmsisnn_logical_or", lib.pycmsisnn_logical_or, input_1, input_2)


def pycmsisnn_logical_not(input: np.ndarray) -> np.ndarray:
    """LOGICAL_NOT of a bool array of any shape."""
    k = "pycmsisnn_logical_not"
    x = _any_array(k, "input", input, np.bool_)
    out = np.empty(x.shape, dtype=np.bool_)
    return invoke(k, lib.pycmsisnn_logical_not, ptr(x, "bool"), int(x.size), ptr(out, "bool"), output=out)


def pycmsisnn_reduce_all(input: np.ndarray, axes: Sequence[int], keep_dims: bool = True) -> np.ndarray:
    """REDUCE_ALL of a bool array of rank 1 to 4 over ``axes``: whether every
    element of each reduced block is true; the reduced axes kept as extent 1
    when ``keep_dims``, dropped otherwise."""
    k = "pycmsisnn_reduce_all"
    x = _bool4(k, "input", input)
    if isinstance(axes, np.ndarray):
        axes = axes.reshape(-1).tolist()
    if not isinstance(axes, (list, tuple)) or not axes:
        raise fail(k, "axes", "must be a non-empty sequence of integers")
    reduced = {check_int(k, f"axes[{i}]", a, -x.ndim, x.ndim - 1) % x.ndim for i, a in enumerate(axes)}
    if not isinstance(keep_dims, (bool, np.bool_)):
        raise fail(k, "keep_dims", f"must be a bool, got {type(keep_dims).__name__}")
    kept = tuple(1 if a in reduced else d for a, d in enumerate(x.shape))
    out = np.empty(kept, dtype=np.bool_)
    invoke(k, lib.pycmsisnn_reduce_all, dims(_nhwc(x.shape)), ptr(x, "bool"), dims(_nhwc(kept)), ptr(out, "bool"), output=out)
    return out if keep_dims else out.reshape(tuple(d for a, d in enumerate(x.shape) if a not in reduced))


__all__ = [
    "ELEMENT_TYPES", "pycmsisnn_cast", "pycmsisnn_reverse_s8", "pycmsisnn_reverse_s16", "pycmsisnn_fill_scalar_s8",
    "pycmsisnn_fill_scalar_s32", "pycmsisnn_dynamic_update_slice_s8", "pycmsisnn_dynamic_update_slice_s16",
    "pycmsisnn_logical_and", "pycmsisnn_logical_or", "pycmsisnn_logical_not", "pycmsisnn_reduce_all",
]
