"""Geometry shared by the data-movement wrappers (``data_ops``), their
lowering and their emitters: how a split sees its input, and the resizes'
scales (TensorFlow Lite's float32 ratios, and their 10-bit fixed point)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

FRAC_ONE = 1024  # the bilinear resize's fixed-point unit (10 fractional bits)


def split_view(shape: Sequence[int], axis: int) -> tuple[int, int, int]:
    """(outer, axis extent, inner) of ``shape`` split along ``axis``."""
    return (int(np.prod(shape[:axis], dtype=np.int64)), int(shape[axis]), int(np.prod(shape[axis + 1:], dtype=np.int64)))


def resize_scale(in_size: int, out_size: int, align_corners: bool) -> np.float32:
    """The float32 input/output ratio of an axis TFLite's resizes use."""
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def bilinear_scale_10(in_size: int, out_size: int, align_corners: bool) -> int:
    """That ratio in 10-bit fixed point, rounded (half away from zero)."""
    v = float(resize_scale(in_size, out_size, align_corners) * np.float32(FRAC_ONE))
    return int(np.floor(v + 0.5))
