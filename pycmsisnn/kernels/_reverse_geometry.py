"""The flat view REVERSE_V2 runs on, shared by the wrapper and its emitter."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def reverse_view(shape: Sequence[int], axes: Sequence[int]) -> tuple[int, int, int]:
    """(outer, extent, inner) of reversing ``axes`` (contiguous, sorted, in
    [0, rank)) of ``shape``: the reversed run of axes flattened (reversing
    every axis of a contiguous run reverses the flat index over the run)."""
    lo, hi = min(axes), max(axes)

    def prod(ds: Sequence[int]) -> int:
        return int(np.prod([int(d) for d in ds], dtype=np.int64))

    return prod(shape[:lo]), prod(shape[lo:hi + 1]), prod(shape[hi + 1:])
