"""Checks shared by the data-movement lowerings of ``resize``, ``split``,
``gather``, ``space_depth`` and ``expand`` (no rules here): element types,
one quantisation for input and outputs (these operators copy raw values, so
a differing quantisation would change the real values), ranks, and constant
index tensors read as integers."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..ir import Graph, Operator, Tensor
from .common import dtype_reason, first_reason, tensor

S8, S8_S16 = (np.int8,), (np.int8, np.int16)


def by_type(t: Tensor, s8: str, s16: str) -> str:
    """The kernel of ``t``'s element type, of the two named (int8, int16)."""
    return s16 if t.dtype == np.dtype(np.int16) else s8


def rank_reason(t: Tensor, role: str, low: int, high: int) -> str | None:
    if not low <= len(t.shape) <= high:
        return f"{role} '{t.name}' has rank {len(t.shape)}; {low} to {high} are supported"
    return None


def same_quant_reason(x: Tensor, y: Tensor, role: str) -> str | None:
    assert x.quant is not None and y.quant is not None
    if (x.quant.scales, x.quant.zero_points) != (y.quant.scales, y.quant.zero_points):
        return (f"{role} '{y.name}' is quantised differently from the input (scale {y.quant.scale:g} zp {y.quant.zero_point} "
                f"vs scale {x.quant.scale:g} zp {x.quant.zero_point}); the copy does not requantise")
    return None


def copy_reason(x: Tensor, outputs: Sequence[Tensor], dtypes: Sequence[type], ranks: tuple[int, int] = (1, 4),
                x_role: str = "input") -> str | None:
    """Why ``x`` cannot be copied into ``outputs`` (type, quantisation, rank), or None."""
    reason = first_reason(dtype_reason(x, x_role, dtypes), rank_reason(x, x_role, *ranks))
    if reason:
        return reason
    for k, y in enumerate(outputs):
        role = "output" if len(outputs) == 1 else f"output {k}"
        reason = first_reason(dtype_reason(y, role, [x.dtype.type]), same_quant_reason(x, y, role))
        if reason:
            return reason
    return None


def constant_ints(graph: Graph, op: Operator, slot: int, role: str) -> tuple[np.ndarray | None, str | None]:
    """Input ``slot`` as a constant int32/int64 array, or the reason it is not one."""
    t = tensor(graph, op, slot, role)
    if t.data is None:
        return None, f"{role} '{t.name}' is not a constant tensor"
    if t.dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        return None, f"{role} '{t.name}' is {t.type_label}, needs int32 or int64"
    return np.asarray(t.data).astype(np.int64).reshape(t.shape), None
