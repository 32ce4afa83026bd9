"""Elementwise int8 kernels: quantised add and mul, raw minimum and maximum.

``arm_elementwise_add_s8`` and ``arm_elementwise_mul_s8`` work on two arrays of
one shape (no broadcasting); ``arm_minimum_s8`` and ``arm_maximum_s8``
broadcast NumPy-style over up to four dimensions.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..params import Activation, AddParams, MulParams
from ._base import (
    DIM_MAX,
    INT32_MAX,
    INT8_MAX,
    INT8_MIN,
    SHIFT_MIN,
    call,
    check_array,
    check_input_offset,
    check_int,
    check_multiplier,
    check_output_offset,
    check_shift,
    context,
    dims,
    fail,
    invoke,
    lib,
    ptr,
)

# arm_elementwise_add_s8 shifts each offset input (9 bits) left by this much at
# most without leaving int32 (255 << 23 < 2^31).
ADD_LEFT_SHIFT_MAX = 23


def _same_shape_pair(kernel: str, input_1: Any, input_2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two int8 arrays of one shape, with an int32 element count (not copied)."""
    a = check_array(kernel, "input_1", input_1, np.int8)
    b = check_array(kernel, "input_2", input_2, np.int8)
    if a.shape != b.shape:
        raise fail(kernel, "input_2", f"shape {b.shape} differs from input_1's {a.shape} (no broadcasting)")
    if a.size > INT32_MAX:
        raise fail(kernel, "input_1", f"{a.size} elements do not fit the int32 block_size")
    return a, b


def _non_positive_shift(kernel: str, name: str, value: Any) -> int:
    """A shift that only divides (rounding right shift): [-31, 0]."""
    return check_int(kernel, name, check_shift(kernel, name, value), SHIFT_MIN, 0)


def arm_elementwise_add_s8(input_1: np.ndarray, input_2: np.ndarray, params: AddParams) -> np.ndarray:
    """Quantised ADD of two equal-shape int8 arrays.

    Computes, per element, ``clamp(rq(rq((x1 + off1) << ls, m1, s1) +
    rq((x2 + off2) << ls, m2, s2), mo, so) + out_offset)`` where ``rq`` is
    TFLite's double-rounding requantisation; returns a new int8 array.
    """
    k = "arm_elementwise_add_s8"
    a, b = _same_shape_pair(k, input_1, input_2)
    if not isinstance(params, AddParams):
        raise fail(k, "params", f"must be an AddParams, got {type(params).__name__}")
    off1 = check_input_offset(k, "params.input_1_offset", params.input_1_offset)
    off2 = check_input_offset(k, "params.input_2_offset", params.input_2_offset)
    m1 = check_multiplier(k, "params.input_1_mult", params.input_1_mult)
    m2 = check_multiplier(k, "params.input_2_mult", params.input_2_mult)
    mo = check_multiplier(k, "params.out_mult", params.out_mult)
    s1 = _non_positive_shift(k, "params.input_1_shift", params.input_1_shift)
    s2 = _non_positive_shift(k, "params.input_2_shift", params.input_2_shift)
    so = _non_positive_shift(k, "params.out_shift", params.out_shift)
    ls = check_int(k, "params.left_shift", params.left_shift, 0, ADD_LEFT_SHIFT_MAX)
    out_off = check_output_offset(k, "params.out_offset", params.out_offset)
    act = _clamp(k, params.out_activation_min, params.out_activation_max)

    out = np.empty(a.shape, dtype=np.int8)
    return invoke(
        k, lib.arm_elementwise_add_s8,
        ptr(a, "int8_t"), ptr(b, "int8_t"),
        off1, m1, s1, off2, m2, s2, ls,
        ptr(out, "int8_t"), out_off, mo, so, act.min, act.max, int(a.size),
        output=out,
    )


def arm_elementwise_mul_s8(input_1: np.ndarray, input_2: np.ndarray, params: MulParams) -> np.ndarray:
    """Quantised MUL of two equal-shape int8 arrays.

    Computes, per element, ``clamp(rq((x1 + off1) * (x2 + off2), m, s) +
    out_offset)``; returns a new int8 array.
    """
    k = "arm_elementwise_mul_s8"
    a, b = _same_shape_pair(k, input_1, input_2)
    if not isinstance(params, MulParams):
        raise fail(k, "params", f"must be a MulParams, got {type(params).__name__}")
    off1 = check_input_offset(k, "params.input_1_offset", params.input_1_offset)
    off2 = check_input_offset(k, "params.input_2_offset", params.input_2_offset)
    out_off = check_output_offset(k, "params.out_offset", params.out_offset)
    mo = check_multiplier(k, "params.out_mult", params.out_mult)
    so = check_shift(k, "params.out_shift", params.out_shift)
    act = _clamp(k, params.out_activation_min, params.out_activation_max)

    out = np.empty(a.shape, dtype=np.int8)
    status = lib.arm_elementwise_mul_s8(
        ptr(a, "int8_t"), ptr(b, "int8_t"), off1, off2,
        ptr(out, "int8_t"), out_off, mo, so, act.min, act.max, int(a.size),
    )
    call(k, status)
    return out


def _clamp(kernel: str, lo: Any, hi: Any) -> Activation:
    """The output clamp [lo, hi]: int8 bounds with lo <= hi."""
    a = check_int(kernel, "params.out_activation_min", lo, INT8_MIN, INT8_MAX)
    b = check_int(kernel, "params.out_activation_max", hi, INT8_MIN, INT8_MAX)
    if a > b:
        raise fail(kernel, "params.out_activation_min", f"{a} is above out_activation_max {b}")
    return Activation(a, b)


def broadcast_shape(kernel: str, shape_1: tuple[int, ...], shape_2: tuple[int, ...]) -> tuple[int, ...]:
    """The NumPy broadcast of two shapes of rank <= 4 (right-aligned; a 1 repeats)."""
    for name, shape in (("input_1", shape_1), ("input_2", shape_2)):
        if not isinstance(shape, (tuple, list)) or len(shape) > 4:
            raise fail(kernel, name, f"shape must be a tuple of at most 4 dims, got {shape!r}")
        for d in shape:
            check_int(kernel, f"{name} shape", d, 1, INT32_MAX)
    rank = max(len(shape_1), len(shape_2))
    p1 = (1,) * (rank - len(shape_1)) + tuple(shape_1)
    p2 = (1,) * (rank - len(shape_2)) + tuple(shape_2)
    out = []
    for axis, (d1, d2) in enumerate(zip(p1, p2)):
        if d1 != d2 and d1 != 1 and d2 != 1:
            raise fail(
                kernel, "input_2",
                f"shape {tuple(shape_2)} does not broadcast with input_1's {tuple(shape_1)} (axis {axis}: {d1} vs {d2})",
            )
        out.append(max(d1, d2))
    return tuple(out)


def _as_nhwc(shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A shape of rank <= 4 padded with leading 1s to (N, H, W, C)."""
    padded = (1,) * (4 - len(shape)) + tuple(shape)
    return padded  # type: ignore[return-value]


def _spread_rows(x: np.ndarray, out_shape: tuple[int, ...]) -> np.ndarray:
    """``x`` as Arm's arm_minimum_s8/arm_maximum_s8 broadcast it correctly.

    Measured: Arm's kernels give wrong outputs for an input of NHWC dims
    (N, H > 1, 1, 1) when the output is wider than 1 (one value per row,
    broadcast over W and C). Such an input is spread along W first, to
    (N, H, W, 1), a pattern both libraries broadcast right."""
    n, h, w, c = _as_nhwc(x.shape)
    out_w = _as_nhwc(out_shape)[2]
    if h > 1 and w == 1 and c == 1 and out_w > 1:
        spread = np.broadcast_to(x.reshape(n, h, 1, 1), (n, h, out_w, 1))
        return np.ascontiguousarray(spread)  # 4-D: the kernel reads NHWC dims
    return x


def _min_max(kernel: str, fn: Any, input_1: Any, input_2: Any) -> np.ndarray:
    a = check_array(kernel, "input_1", input_1, np.int8, (1, 2, 3, 4))
    b = check_array(kernel, "input_2", input_2, np.int8, (1, 2, 3, 4))
    shape = broadcast_shape(kernel, a.shape, b.shape)
    if any(d > DIM_MAX for d in shape):
        raise fail(kernel, "input_1", f"broadcast shape {shape} has a dimension above {DIM_MAX}")
    if int(np.prod(shape, dtype=np.int64)) > INT32_MAX:
        raise fail(kernel, "input_1", f"broadcast shape {shape} has more than {INT32_MAX} elements")
    a, b = _spread_rows(a, shape), _spread_rows(b, shape)
    out = np.empty(shape, dtype=np.int8)
    ctx, _scratch = context(0)
    status = fn(
        ctx,
        ptr(a, "int8_t"), dims(_as_nhwc(a.shape)),
        ptr(b, "int8_t"), dims(_as_nhwc(b.shape)),
        ptr(out, "int8_t"), dims(_as_nhwc(shape)),
    )
    call(kernel, status)
    return out


def arm_minimum_s8(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """Elementwise minimum of the raw int8 values of two arrays of rank <= 4,
    broadcasting NumPy-style; returns a new array of the broadcast shape."""
    return _min_max("arm_minimum_s8", lib.arm_minimum_s8, input_1, input_2)


def arm_maximum_s8(input_1: np.ndarray, input_2: np.ndarray) -> np.ndarray:
    """Elementwise maximum of the raw int8 values of two arrays of rank <= 4,
    broadcasting NumPy-style; returns a new array of the broadcast shape."""
    return _min_max("arm_maximum_s8", lib.arm_maximum_s8, input_1, input_2)


__all__ = [
    "arm_elementwise_add_s8",
    "arm_elementwise_mul_s8",
    "arm_minimum_s8",
    "arm_maximum_s8",
    "broadcast_shape",
]
