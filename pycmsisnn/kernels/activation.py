"""Raw int8 activations: arm_relu_q7 and arm_relu6_s8.

Both C functions work in place on at most 65535 elements (their size is a
uint16_t) and look only at the stored integers, not at a quantisation. The
wrappers leave their argument untouched and return a new array.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._base import check_array, fail, lib, ptr

UINT16_MAX = 2**16 - 1


def _in_place_on_copy(kernel: str, fn: Callable[[Any, int], None], data: Any) -> np.ndarray:
    """Copy ``data`` (int8, at most 65535 elements) and run ``fn`` on the copy."""
    arr = check_array(kernel, "data", data, np.int8)
    if arr.size > UINT16_MAX:
        raise fail(kernel, "data", f"{arr.size} elements do not fit the uint16_t size (max {UINT16_MAX})")
    out = np.array(arr, dtype=np.int8, order="C", copy=True)
    fn(ptr(out, "int8_t"), int(out.size))
    return out


def arm_relu_q7(data: np.ndarray) -> np.ndarray:
    """max(x, 0) on raw int8 values; a new array of ``data``'s shape."""
    return _in_place_on_copy("arm_relu_q7", lib.arm_relu_q7, data)


def arm_relu6_s8(data: np.ndarray) -> np.ndarray:
    """Raw int8 values clamped to [0, 6] (not a quantised ReLU6); a new array."""
    return _in_place_on_copy("arm_relu6_s8", lib.arm_relu6_s8, data)


__all__ = ["arm_relu_q7", "arm_relu6_s8", "UINT16_MAX"]
