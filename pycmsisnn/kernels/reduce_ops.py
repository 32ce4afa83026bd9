"""Our kernels of reduction, index, comparison and selection operators
(``pycmsisnn_reduce_ops.h``).

``pycmsisnn_arg_max_s8`` / ``pycmsisnn_arg_min_s8`` (int32 index along one
axis), ``pycmsisnn_reduce_max_s8`` / ``pycmsisnn_reduce_min_s8`` (over any
axes), the six comparisons ``pycmsisnn_equal_s8`` ... ``pycmsisnn_greater_equal_s8``
(``CompareParams`` from ``quant.compare_params``, bool output, broadcasting),
``pycmsisnn_select_s8`` / ``_s16`` (SELECT_V2 with a bool condition,
broadcasting) and ``pycmsisnn_cumsum_s8`` (``CumsumParams`` from
``quant.cumsum_params``). Arrays of rank 1 to 4 map to NHWC from the right
(leading dimensions of 1); an axis counts in the array's own rank, negative
from the end.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..params import CompareParams, CumsumParams
from ._base import DIM_MAX, INT32_MAX, check_array, check_int, check_multiplier, check_shift, dims, fail, ffi, invoke, lib, ptr
from .elementwise import broadcast_shape
from ._base import nhwc as _nhwc

_RANKS = (1, 2, 3, 4)
_CTYPES = {np.dtype(np.int8): "int8_t", np.dtype(np.int16): "int16_t"}


def _axis(k: str, name: str, value: Any, rank: int) -> int:
    """An axis in [-rank, rank) as its index in [0, rank)."""
    return check_int(k, name, value, -rank, rank - 1) % rank


def _axes(k: str, value: Any, rank: int) -> list[int]:
    """Distinct axes in [0, rank) of an int or a sequence of ints."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = [value]
    if isinstance(value, np.ndarray):
        value = value.reshape(-1).tolist()
    if not isinstance(value, (list, tuple)):
        raise fail(k, "axes", f"must be a sequence of integers, got {type(value).__name__}")
    if not value:
        raise fail(k, "axes", "must name at least one axis")
    return sorted({_axis(k, f"axes[{i}]", a, rank) for i, a in enumerate(value)})


def _flag(k: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise fail(k, name, f"must be a bool, got {type(value).__name__}")
    return bool(value)


# ------------------------------------------------------------------ arg max/min


def _arg(k: str, fn: Any, input: Any, axis: Any) -> np.ndarray:
    x = check_array(k, "input", input, np.int8, _RANKS)
    a = _axis(k, "axis", axis, x.ndim)
    out = np.empty(tuple(d for i, d in enumerate(x.shape) if i != a) or (1,), dtype=np.int32)
    invoke(k, fn, dims(_nhwc(x.shape)), ptr(x, "int8_t"), a + 4 - x.ndim, ptr(out, "int32_t"), output=out)
    return out.reshape(tuple(d for i, d in enumerate(x.shape) if i != a))


def pycmsisnn_arg_max_s8(input: np.ndarray, axis: int) -> np.ndarray:
    """ARG_MAX of an int8 array of rank 1 to 4 along ``axis``: the int32 index
    of the largest element, the first one on ties; the axis is removed."""
    return _arg("pycmsisnn_arg_max_s8", lib.pycmsisnn_arg_max_s8, input, axis)


def pycmsisnn_arg_min_s8(input: np.ndarray, axis: int) -> np.ndarray:
    """ARG_MIN: as ``pycmsisnn_arg_max_s8`` for the smallest element."""
    return _arg("pycmsisnn_arg_min_s8", lib.pycmsisnn_arg_min_s8, input, axis)


# --------------------------------------------------------------- reduce max/min


def _reduce(k: str, fn: Any, input: Any, axes: Any, keep_dims: Any) -> np.ndarray:
    x = check_array(k, "input", input, np.int8, _RANKS)
    reduced = _axes(k, axes, x.ndim)
    keep = _flag(k, "keep_dims", keep_dims)
    kept_shape = tuple(1 if a in reduced else d for a, d in enumerate(x.shape))
    out = np.empty(kept_shape, dtype=np.int8)
    invoke(k, fn, dims(_nhwc(x.shape)), ptr(x, "int8_t"), dims(_nhwc(kept_shape)), ptr(out, "int8_t"), output=out)
    return out if keep else out.reshape(tuple(d for a, d in enumerate(x.shape) if a not in reduced))


def pycmsisnn_reduce_max_s8(input: np.ndarray, axes: Sequence[int], keep_dims: bool = True) -> np.ndarray:
    """REDUCE_MAX of an int8 array of rank 1 to 4 over ``axes`` (input and
    output quantised alike): the largest element of each reduced block; the
    reduced axes kept as extent 1 when ``keep_dims``, dropped otherwise."""
    return _reduce("pycmsisnn_reduce_max_s8", lib.pycmsisnn_reduce_max_s8, input, axes, keep_dims)


def pycmsisnn_reduce_min_s8(input: np.ndarray, axes: Sequence[int], keep_dims: bool = True) -> np.ndarray:
    """REDUCE_MIN: as ``pycmsisnn_reduce_max_s8`` for the smallest element."""
    return _reduce("pycmsisnn_reduce_min_s8", lib.pycmsisnn_reduce_min_s8, input, axes, keep_dims)


# ------------------------------------------------------------------ comparisons


def _broadcast(k: str, *arrays: np.ndarray) -> tuple[int, ...]:
    shape = arrays[0].shape
    for a in arrays[1:]:
        shape = broadcast_shape(k, shape, a.shape)
    if len(shape) > 4 or any(d > DIM_MAX for d in shape):
        raise fail(k, "input_1", f"broadcast shape {shape} has a dimension above {DIM_MAX} or more than 4 dimensions")
    if int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(k, "input_1", f"broadcast shape {shape} has more than {INT32_MAX} elements")
    return tuple(shape)


def _compare_params(k: str, p: Any) -> Any:
    if not isinstance(p, CompareParams):
        raise fail(k, "params", f"must be a CompareParams, got {type(p).__name__}")
    return ffi.new("pycmsisnn_compare_params *", {
        "input_1_offset": check_int(k, "params.input_1_offset", p.input_1_offset, -127, 128),
        "input_1_mult": check_multiplier(k, "params.input_1_mult", p.input_1_mult),
        "input_1_shift": check_int(k, "params.input_1_shift", check_shift(k, "params.input_1_shift", p.input_1_shift), -31, 0),
        "input_2_offset": check_int(k, "params.input_2_offset", p.input_2_offset, -127, 128),
        "input_2_mult": check_multiplier(k, "params.input_2_mult", p.input_2_mult),
        "input_2_shift": check_int(k, "params.input_2_shift", check_shift(k, "params.input_2_shift", p.input_2_shift), -31, 0),
        # (x + offset) << left_shift stays in 32 bits: |x + offset| <= 255.
        "left_shift": check_int(k, "params.left_shift", p.left_shift, 0, 23),
    })


def _compare(k: str, fn: Any, input_1: Any, input_2: Any, params: Any) -> np.ndarray:
    a = check_array(k, "input_1", input_1, np.int8, _RANKS)
    b = check_array(k, "input_2", input_2, np.int8, _RANKS)
    shape = _broadcast(k, a, b)
    c_params = _compare_params(k, params)
    out = np.empty(shape, dtype=np.bool_)
    invoke(k, fn, c_params, dims(_nhwc(a.shape)), ptr(a, "int8_t"), dims(_nhwc(b.shape)), ptr(b, "int8_t"),
           dims(_nhwc(shape)), ptr(out, "bool"), output=out)
    return out


def pycmsisnn_equal_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """EQUAL of two int8 arrays (rank 1 to 4, broadcast) into a bool array:
    each input offset, shifted left and requantised by its ``params``, then compared."""
    return _compare("pycmsisnn_equal_s8", lib.pycmsisnn_equal_s8, input_1, input_2, params)


def pycmsisnn_not_equal_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """NOT_EQUAL: as ``pycmsisnn_equal_s8``."""
    return _compare("pycmsisnn_not_equal_s8", lib.pycmsisnn_not_equal_s8, input_1, input_2, params)


def pycmsisnn_less_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """LESS: as ``pycmsisnn_equal_s8``."""
    return _compare("pycmsisnn_less_s8", lib.pycmsisnn_less_s8, input_1, input_2, params)


def pycmsisnn_less_equal_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """LESS_EQUAL: as ``pycmsisnn_equal_s8``."""
    return _compare("pycmsisnn_less_equal_s8", lib.pycmsisnn_less_equal_s8, input_1, input_2, params)


def pycmsisnn_greater_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """GREATER: as ``pycmsisnn_equal_s8``."""
    return _compare("pycmsisnn_greater_s8", lib.pycmsisnn_greater_s8, input_1, input_2, params)


def pycmsisnn_greater_equal_s8(input_1: np.ndarray, input_2: np.ndarray, params: CompareParams) -> np.ndarray:
    """GREATER_EQUAL: as ``pycmsisnn_equal_s8``."""
    return _compare("pycmsisnn_greater_equal_s8", lib.pycmsisnn_greater_equal_s8, input_1, input_2, params)


# ----------------------------------------------------------------------- select


def _select(k: str, fn: Any, dtype: type, condition: Any, input_1: Any, input_2: Any) -> np.ndarray:
    c = check_array(k, "condition", condition, np.bool_, _RANKS)
    a = check_array(k, "input_1", input_1, dtype, _RANKS)
    b = check_array(k, "input_2", input_2, dtype, _RANKS)
    shape = _broadcast(k, c, a, b)
    ctype = _CTYPES[np.dtype(dtype)]
    out: np.ndarray = np.empty(shape, dtype=dtype)
    invoke(k, fn, dims(_nhwc(c.shape)), ptr(c, "bool"), dims(_nhwc(a.shape)), ptr(a, ctype),
           dims(_nhwc(b.shape)), ptr(b, ctype), dims(_nhwc(shape)), ptr(out, ctype), output=out)
    return out


def pycmsisnn_select_s8(condition: np.ndarray, input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """SELECT_V2 of int8 arrays: ``condition ? input_1 : input_2`` element by
    element, the bool condition and both inputs broadcast (rank 1 to 4)."""
    return _select("pycmsisnn_select_s8", lib.pycmsisnn_select_s8, np.int8, condition, input_1, input_2)


def pycmsisnn_select_s16(condition: np.ndarray, input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """``pycmsisnn_select_s8`` for int16 arrays."""
    return _select("pycmsisnn_select_s16", lib.pycmsisnn_select_s16, np.int16, condition, input_1, input_2)


# ----------------------------------------------------------------------- cumsum


def pycmsisnn_cumsum_s8(input: np.ndarray, params: CumsumParams, axis: int, exclusive: bool = False, reverse: bool = False) -> np.ndarray:
    """CUMSUM of an int8 array of rank 1 to 4 along ``axis``: the running sum
    of the requantised offset inputs (from a start of the requantised offset),
    including the current element unless ``exclusive``, from the last element
    when ``reverse``, each partial sum requantised to the output."""
    k = "pycmsisnn_cumsum_s8"
    x = check_array(k, "input", input, np.int8, _RANKS)
    a = _axis(k, "axis", axis, x.ndim)
    if not isinstance(params, CumsumParams):
        raise fail(k, "params", f"must be a CumsumParams, got {type(params).__name__}")
    c_params = ffi.new("pycmsisnn_cumsum_params *", {
        "input_offset": check_int(k, "params.input_offset", params.input_offset, -127, 128),
        "input_mult": check_multiplier(k, "params.input_mult", params.input_mult),
        "input_shift": check_int(k, "params.input_shift", check_shift(k, "params.input_shift", params.input_shift), -31, 0),
        "left_shift": check_int(k, "params.left_shift", params.left_shift, 0, 23),
        "output_offset": check_int(k, "params.output_offset", params.output_offset, -128, 127),
        "output_mult": check_multiplier(k, "params.output_mult", params.output_mult),
        "output_shift": check_int(k, "params.output_shift", check_shift(k, "params.output_shift", params.output_shift), -31, 0),
    })
    out = np.empty(x.shape, dtype=np.int8)
    invoke(k, lib.pycmsisnn_cumsum_s8, c_params, dims(_nhwc(x.shape)), ptr(x, "int8_t"), a + 4 - x.ndim,
           _flag(k, "exclusive", exclusive), _flag(k, "reverse", reverse), ptr(out, "int8_t"), output=out)
    return out
