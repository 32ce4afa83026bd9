"""Qm.n formats and the shifts of the legacy q7 API, as pure functions.

A q7 value ``q`` in format Qm.n (m integer bits, n fractional bits, m + n = 7)
stands for ``q * 2^-n``: exactly a TFLite tensor with scale ``2^-n`` and zero
point 0. For a layer ``out = in * weights + bias``, the product of an input in
Q.i and a weight in Q.w is in Q.(i+w), the accumulator's format; the q7 API
moves the bias (Q.b) into it by ``bias_shift = i + w - b`` (a left shift) and
the accumulator into the output's format (Q.o) by ``out_shift = i + w - o``
(a right shift, rounding half up once). Neither shift can go the other way.

The TFLite side: a power-of-two conversion picks, for each scale, a power of
two (``covering_frac``: the finest one whose int8 grid still covers the real
range; ``nearest_frac``: the nearest in log2), and ``bias_to_q7`` writes an
int32 bias (in accumulator units) as an int8 bias and a left shift.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import CmsisNNError

Q7_MIN, Q7_MAX = -128, 127
MAX_SHIFT = 31  # the q7 kernels shift 32-bit values: 32 or more is undefined


class QmnError(ValueError, CmsisNNError):
    """Something the legacy q7 (Qm.n) API cannot express; the message says what."""


@dataclass(frozen=True)
class QFormat:
    """Qm.n of a ``bits``-bit signed value: ``frac`` fractional bits, the rest
    (less the sign) integer bits. ``frac`` may exceed ``bits - 1`` (negative m)
    or be negative (a value step above 1)."""

    frac: int
    bits: int = 8

    @property
    def int_bits(self) -> int:
        return self.bits - 1 - self.frac

    @property
    def scale(self) -> float:
        return math.ldexp(1.0, -self.frac)

    def __str__(self) -> str:
        return f"Q{self.int_bits}.{self.frac}"


def power_of_two_exponent(scale: float) -> int | None:
    """``e`` when the scale, as the model stores it (float32), is exactly
    ``2^e``; None otherwise (including zero, negative and non-finite scales)."""
    s = float(np.float32(scale))
    if not math.isfinite(s) or s <= 0.0:
        return None
    mantissa, exponent = math.frexp(s)
    return exponent - 1 if mantissa == 0.5 else None


def is_power_of_two(scale: float) -> bool:
    return power_of_two_exponent(scale) is not None


def frac_bits(scale: float) -> int:
    """Fractional bits ``n`` of a scale ``2^-n``; ``QmnError`` when the scale
    is not a power of two."""
    e = power_of_two_exponent(scale)
    if e is None:
        raise QmnError(f"scale {float(scale):.9g} is not a power of two: no Qm.n format holds it exactly")
    return -e


def qformat_of_scale(scale: float, bits: int = 8) -> QFormat:
    """The Qm.n format of a power-of-two scale."""
    return QFormat(frac_bits(scale), bits)


def accumulator_frac(input_frac: int, weight_frac: int) -> int:
    """Fractional bits of a product of a Q.i input and a Q.w weight (and of the
    sum of such products): ``i + w``."""
    return int(input_frac) + int(weight_frac)


def bias_shift(input_frac: int, weight_frac: int, bias_frac: int) -> int:
    """The q7 API's ``bias_shift``: the left shift taking a Q.b bias to the
    accumulator's Q.(i+w), ``i + w - b``. ``QmnError`` when the bias has more
    fractional bits than the accumulator (it would need a right shift) or the
    shift is beyond what a 32-bit shift can do."""
    shift = accumulator_frac(input_frac, weight_frac) - int(bias_frac)
    if shift < 0:
        raise QmnError(
            f"the bias (Q.{bias_frac}) has {-shift} more fractional bits than the accumulator "
            f"(Q.{input_frac}+{weight_frac} = Q.{input_frac + weight_frac}): it would need a right shift of {-shift}, "
            "and the q7 API only shifts the bias left"
        )
    if shift > MAX_SHIFT:
        raise QmnError(f"bias_shift {shift} is above {MAX_SHIFT}: a 32-bit shift cannot do it")
    return shift


def out_shift(input_frac: int, weight_frac: int, output_frac: int) -> int:
    """The q7 API's ``out_shift``: the right shift taking the accumulator's
    Q.(i+w) to the output's Q.o, ``i + w - o``. ``QmnError`` when the output has
    more fractional bits than the accumulator (it would need a left shift) or
    the shift is beyond what a 32-bit shift can do."""
    shift = accumulator_frac(input_frac, weight_frac) - int(output_frac)
    if shift < 0:
        raise QmnError(
            f"the output (Q.{output_frac}) has {-shift} more fractional bits than the accumulator "
            f"(Q.{input_frac + weight_frac}): it would need a left shift, and the q7 API only shifts the output right"
        )
    if shift > MAX_SHIFT:
        raise QmnError(f"out_shift {shift} is above {MAX_SHIFT}: a 32-bit shift cannot do it")
    return shift


def exact_covering_scale(lo: float, hi: float, qmin: int = Q7_MIN, qmax: int = Q7_MAX) -> float:
    """The smallest scale ``s`` (zero point 0) with ``[lo, hi]`` inside
    ``[qmin * s, qmax * s]``."""
    need = max(hi / qmax if hi > 0 else 0.0, lo / qmin if lo < 0 else 0.0)
    if not need > 0.0 or not math.isfinite(need):
        raise QmnError(f"the range [{lo}, {hi}] has no positive extent")
    return need


def covering_frac(lo: float, hi: float, qmin: int = Q7_MIN, qmax: int = Q7_MAX) -> int:
    """Fractional bits of the finest power-of-two scale whose int8 grid (zero
    point 0) still covers ``[lo, hi]``: the legacy quantiser's rule (integer
    bits = ceil(log2(range))). A tensor already at ``2^-n`` with zero point 0
    keeps ``n``."""
    need = exact_covering_scale(lo, hi, qmin, qmax)
    n = -math.ceil(math.log2(need))
    while math.ldexp(1.0, -n) < need:  # guard log2 rounding
        n -= 1
    while math.ldexp(1.0, -(n + 1)) >= need:
        n += 1
    return n


def nearest_frac(lo: float, hi: float, qmin: int = Q7_MIN, qmax: int = Q7_MAX) -> int:
    """Fractional bits of the power of two nearest (in log2) to the covering
    scale of ``[lo, hi]``: finer by up to half a bit, clipping the extremes."""
    return -round(math.log2(exact_covering_scale(lo, hi, qmin, qmax)))


def round_half_away(x: np.ndarray) -> np.ndarray:
    """Elementwise round to nearest, ties away from zero (C's round)."""
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


@dataclass(frozen=True)
class Q7Bias:
    """An int32 bias (accumulator units) written for the q7 API: ``values`` in
    int8, ``shift`` = ``bias_shift``, and whether ``values << shift`` gives
    back the int32 bias exactly."""

    values: np.ndarray
    shift: int
    exact: bool

    def expanded(self) -> np.ndarray:
        """``values << shift`` as int64: what the q7 kernels add."""
        return self.values.astype(np.int64) << self.shift


def bias_to_q7(bias: np.ndarray) -> Q7Bias:
    """A bias in accumulator units (the int32 bias of a TFLite layer, or real
    values times ``2^acc_frac``) written as int8 values and the smallest left
    shift ``k`` at which every entry, divided by ``2^k`` and rounded half away
    from zero, fits in int8; ``exact`` when no entry was rounded."""
    b = np.asarray(bias, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(b)):
        raise QmnError("the bias holds non-finite values")
    for k in range(0, MAX_SHIFT + 1):
        q = round_half_away(b / float(1 << k))
        if q.size == 0 or (q.min() >= Q7_MIN and q.max() <= Q7_MAX):
            return Q7Bias(q.astype(np.int8), k, bool(np.all(q * float(1 << k) == b)))
    raise QmnError(f"the bias (largest magnitude {float(np.abs(b).max()):.6g} accumulator steps) does not fit in int8 at any shift up to {MAX_SHIFT}")
