"""Softmax kernels: int8 in, int8 (scale 1/256, zero point -128) or int16
(scale 1/65536, zero point -32768) out, over the last axis of the input.

``params`` is a ``SoftmaxParams`` as ``pycmsisnn.quant.softmax_params`` derives
it from the input scale and beta: ``mult``/``shift`` scale differences to the
row maximum into the Q5.26 input of exp() (``shift`` is a non-negative left
shift), and elements whose difference is below ``diff_min`` output the
minimum. The C kernels are void: they cannot report bad arguments, so every
check is made here.

A row sums its exponentials in a Q12.19 int32, as TFLite does: more than
4095 elements all equal to the row maximum overflow it (TFLite's reference
has the same limit); the kernels then still return without fault.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..params import SoftmaxParams
from ._base import INT32_MAX, check_array, check_int, fail, invoke, lib, ptr

__all__ = ["arm_softmax_s8", "arm_softmax_s8_s16", "arm_softmax_u8"]

_SHIFT_MAX = 30  # 1 << shift must stay an int32
_MAX_DIFF = 255  # largest |x - row max| of int8 data


def _check_params(kernel: str, params: Any) -> SoftmaxParams:
    """A SoftmaxParams whose scaled differences cannot overflow int32."""
    if not isinstance(params, SoftmaxParams):
        raise fail(kernel, "params", f"must be a SoftmaxParams, got {type(params).__name__}")
    check_int(kernel, "params.mult", params.mult, 1, INT32_MAX)
    shift = check_int(kernel, "params.shift", params.shift, 0, _SHIFT_MAX)
    diff_min = check_int(kernel, "params.diff_min", params.diff_min, -INT32_MAX, 0)
    # every counted difference d (diff_min <= d <= 0) is scaled as d * 2^shift
    if min(-diff_min, _MAX_DIFF) << shift > 1 << 31:
        raise fail(
            kernel, "params.diff_min", f"{diff_min} with shift {shift} lets a difference overflow int32 when scaled"
        )
    return params


def _check_input(kernel: str, input: Any, dtype: type = np.int8) -> tuple[np.ndarray, int, int]:
    """The int8 (or ``dtype``) input (any rank >= 1) with its row count and row size."""
    if isinstance(input, np.ndarray) and input.ndim < 1:
        raise fail(kernel, "input", "must have at least 1 dimension (softmax runs over the last)")
    x = check_array(kernel, "input", input, dtype)
    row_size = int(x.shape[-1])
    num_rows = int(x.size // row_size)
    if x.size > INT32_MAX:
        raise fail(kernel, "input", f"{x.size} elements do not fit the kernel's int32 counts")
    return x, num_rows, row_size


def arm_softmax_s8(input: np.ndarray, params: SoftmaxParams) -> np.ndarray:
    """TFLite's int8 softmax over the last axis of ``input``; returns a new
    int8 array of the same shape (scale 1/256, zero point -128)."""
    kernel = "arm_softmax_s8"
    x, rows, size = _check_input(kernel, input)
    p = _check_params(kernel, params)
    out = np.empty(x.shape, dtype=np.int8)
    return invoke(kernel, lib.arm_softmax_s8, ptr(x, "int8_t"), rows, size, int(p.mult), int(p.shift), int(p.diff_min), ptr(out, "int8_t"), output=out)


def arm_softmax_u8(input: np.ndarray, params: SoftmaxParams) -> np.ndarray:  # noqa: A002
    """TFLite's legacy uint8 softmax over the last axis of ``input``; returns a
    new uint8 array of the same shape (scale 1/256, zero point 0)."""
    kernel = "arm_softmax_u8"
    x, rows, size = _check_input(kernel, input, np.uint8)
    p = _check_params(kernel, params)
    out = np.empty(x.shape, dtype=np.uint8)
    lib.arm_softmax_u8(ptr(x, "uint8_t"), rows, size, int(p.mult), int(p.shift), int(p.diff_min), ptr(out, "uint8_t"))
    return out


def arm_softmax_s8_s16(input: np.ndarray, params: SoftmaxParams) -> np.ndarray:
    """TFLite's int8-in, int16-out softmax over the last axis of ``input``;
    returns a new int16 array of the same shape (scale 1/65536, zero point -32768)."""
    kernel = "arm_softmax_s8_s16"
    x, rows, size = _check_input(kernel, input)
    p = _check_params(kernel, params)
    out = np.empty(x.shape, dtype=np.int16)
    lib.arm_softmax_s8_s16(ptr(x, "int8_t"), rows, size, int(p.mult), int(p.shift), int(p.diff_min), ptr(out, "int16_t"))
    return out
