"""Pooling (s8): wrappers of arm_avgpool_s8 and arm_max_pool_s8.

Input [N, H, W, C] int8, window ``filter_hw`` = (height, width), output
[N, OH, OW, C] int8 with the input's scale and zero point. Each window is
clipped to the input: padding never contributes, not even to the count of
the average (which divides rounding half away from zero). Outputs are
clamped to ``pool_params.activation``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import PoolParams
from ._base import (
    DIM_MAX,
    INT32_MAX,
    c_pool_params,
    check_activation,
    check_array,
    check_int,
    check_shape4,
    check_tile,
    context,
    dims,
    fail,
    invoke,
    lib,
    ptr,
    Shape4,
)
from ._window import check_window_axis

__all__ = [
    "arm_avgpool_s8",
    "arm_avgpool_s8_get_buffer_size",
    "arm_avgpool_s8_get_buffer_size_dsp",
    "arm_avgpool_s8_get_buffer_size_mve",
    "arm_max_pool_s8",
]


def _check_params(kernel: str, p: PoolParams) -> PoolParams:
    if not isinstance(p, PoolParams):
        raise fail(kernel, "pool_params", f"must be a PoolParams, got {type(p).__name__}")
    check_tile(kernel, "pool_params.stride", p.stride, 1)
    check_tile(kernel, "pool_params.padding", p.padding, 0)
    check_activation(kernel, "pool_params.activation", p.activation)
    return p


def _check_filter_hw(kernel: str, filter_hw: Any) -> tuple[int, int]:
    """The window as (height, width), both positive."""
    if not isinstance(filter_hw, (tuple, list)) or len(filter_hw) != 2:
        raise fail(kernel, "filter_hw", f"must be a (height, width) pair, got {filter_hw!r}")
    h = check_int(kernel, "filter_hw[0]", filter_hw[0], 1, DIM_MAX)
    w = check_int(kernel, "filter_hw[1]", filter_hw[1], 1, DIM_MAX)
    return h, w


def _check_call(
    kernel: str, p: PoolParams, input: Any, filter_hw: Any, output_shape: Sequence[int]  # noqa: A002
) -> tuple[np.ndarray, tuple[int, int], Shape4]:
    """Validate a pooling call; return (input, window, output shape)."""
    _check_params(kernel, p)
    x = check_array(kernel, "input", input, np.int8, 4)
    fh, fw = _check_filter_hw(kernel, filter_hw)
    out_shape = check_shape4(kernel, "output_shape", output_shape)
    n, in_h, in_w, c = x.shape
    if out_shape[0] != n:
        raise fail(kernel, "output_shape[0]", f"batch {out_shape[0]} differs from the input's {n}")
    if out_shape[3] != c:
        raise fail(kernel, "output_shape[3]", f"{out_shape[3]} channels differ from the input's {c}")
    check_window_axis(kernel, "pool_params", "h", in_h, out_shape[1], fh, p.stride.h, p.padding.h)
    check_window_axis(kernel, "pool_params", "w", in_w, out_shape[2], fw, p.stride.w, p.padding.w)
    if int(np.prod(out_shape)) > INT32_MAX:
        raise fail(kernel, "output_shape", f"{out_shape} has more than {INT32_MAX} elements")
    return x, (fh, fw), out_shape


def _run(
    kernel: str,
    fn: Callable[..., int],
    scratch: int,
    p: PoolParams,
    x: np.ndarray,
    window: tuple[int, int],
    out_shape: Shape4,
) -> np.ndarray:
    """Call a validated pooling kernel and return its new output."""
    out = np.empty(out_shape, dtype=np.int8)
    ctx, _buf = context(scratch)
    return invoke(
        kernel,
        fn,
        ctx,
        c_pool_params(p),
        dims(x.shape),
        ptr(x, "int8_t"),
        dims((1, window[0], window[1], 1)),
        dims(out_shape),
        ptr(out, "int8_t"),
        output=out,
    )


def arm_avgpool_s8(
    pool_params: PoolParams,
    input: np.ndarray,  # noqa: A002 - the C argument's name
    filter_hw: tuple[int, int],
    output_shape: Sequence[int],
) -> np.ndarray:
    """Average pooling over ``filter_hw`` windows (padding excluded from the
    count, rounding half away from zero), clamped; returns the int8 output."""
    kernel = "arm_avgpool_s8"
    x, window, out_shape = _check_call(kernel, pool_params, input, filter_hw, output_shape)
    scratch = arm_avgpool_s8_get_buffer_size(out_shape[2], out_shape[3])
    return _run(kernel, lib.arm_avgpool_s8, scratch, pool_params, x, window, out_shape)


def arm_max_pool_s8(
    pool_params: PoolParams,
    input: np.ndarray,  # noqa: A002
    filter_hw: tuple[int, int],
    output_shape: Sequence[int],
) -> np.ndarray:
    """Max pooling over ``filter_hw`` windows clipped to the input, clamped;
    returns the int8 output."""
    kernel = "arm_max_pool_s8"
    x, window, out_shape = _check_call(kernel, pool_params, input, filter_hw, output_shape)
    return _run(kernel, lib.arm_max_pool_s8, 0, pool_params, x, window, out_shape)


def _size(kernel: str, fn: Callable[..., int], dim_dst_width: int, ch_src: int) -> int:
    w = check_int(kernel, "dim_dst_width", dim_dst_width, 1, DIM_MAX)
    c = check_int(kernel, "ch_src", ch_src, 1, DIM_MAX)
    return int(fn(w, c))


def arm_avgpool_s8_get_buffer_size(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s8`` needs on this build."""
    return _size("arm_avgpool_s8_get_buffer_size", lib.arm_avgpool_s8_get_buffer_size, dim_dst_width, ch_src)


def arm_avgpool_s8_get_buffer_size_dsp(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s8`` needs on a DSP build: one int32 per channel."""
    return _size("arm_avgpool_s8_get_buffer_size_dsp", lib.arm_avgpool_s8_get_buffer_size_dsp, dim_dst_width, ch_src)


def arm_avgpool_s8_get_buffer_size_mve(dim_dst_width: int, ch_src: int) -> int:
    """Scratch bytes ``arm_avgpool_s8`` needs on an MVE build (none)."""
    return _size("arm_avgpool_s8_get_buffer_size_mve", lib.arm_avgpool_s8_get_buffer_size_mve, dim_dst_width, ch_src)
