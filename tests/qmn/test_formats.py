"""Qm.n formats and the q7 shifts: hand-worked answers, refusals, and property
tests of the shift rules."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pycmsisnn.qmn import formats as f
from pycmsisnn.qmn.formats import QFormat, QmnError

# (input, weights, bias, output) formats written as Qm.n, and the shifts worked by hand:
# bias_shift = n_in + n_w - n_bias, out_shift = n_in + n_w - n_out.
HAND_WORKED = [
    ("Q0.7", "Q0.7", "Q2.5", "Q3.4", 7 + 7 - 5, 7 + 7 - 4),  # 9, 10
    ("Q0.7", "Q0.7", "Q0.7", "Q0.7", 7, 7),
    ("Q2.5", "Q1.6", "Q-1.8", "Q3.4", 5 + 6 - 8, 5 + 6 - 4),  # 3, 7
    ("Q7.0", "Q0.7", "Q7.0", "Q7.0", 7, 7),  # integer images, fractional weights
    ("Q1.6", "Q-2.9", "Q-4.11", "Q4.3", 6 + 9 - 11, 6 + 9 - 3),  # 4, 12
    ("Q3.4", "Q1.6", "Q-3.10", "Q5.2", 0, 8),  # bias already at the accumulator's Q.10
    ("Q9.-2", "Q-5.12", "Q1.6", "Q4.3", -2 + 12 - 6, -2 + 12 - 3),  # 4, 7: a step of 4 on the input
]


def _frac(text: str) -> int:
    return int(text.split(".")[1])


@pytest.mark.parametrize("case", HAND_WORKED, ids=[" ".join(c[:4]) for c in HAND_WORKED])
def test_hand_worked_shifts(case: tuple) -> None:
    fin, fw, fb, fo, expected_bias_shift, expected_out_shift = case
    assert f.bias_shift(_frac(fin), _frac(fw), _frac(fb)) == expected_bias_shift
    assert f.out_shift(_frac(fin), _frac(fw), _frac(fo)) == expected_out_shift
    for text in (fin, fw, fb, fo):
        assert str(QFormat(_frac(text))) == text


def test_format_names_and_scales() -> None:
    assert str(QFormat(7)) == "Q0.7" and QFormat(7).int_bits == 0 and QFormat(7).scale == 1 / 128
    assert str(QFormat(0)) == "Q7.0" and QFormat(0).scale == 1.0
    assert str(QFormat(8)) == "Q-1.8"
    assert str(QFormat(-2)) == "Q9.-2" and QFormat(-2).scale == 4.0
    assert str(QFormat(15, bits=16)) == "Q0.15"
    assert str(f.qformat_of_scale(0.0625)) == "Q3.4"


@pytest.mark.parametrize("scale,frac", [(1 / 128, 7), (0.25, 2), (1.0, 0), (4.0, -2), (2.0**-20, 20), (np.float32(2.0**-9), 9)])
def test_frac_bits_of_powers_of_two(scale: float, frac: int) -> None:
    assert f.frac_bits(scale) == frac
    assert f.power_of_two_exponent(scale) == -frac


@pytest.mark.parametrize("scale", [0.0, -0.25, 0.1, 0.0078125 * 1.0000001, 3.0, float("inf"), float("nan"), 0.00392157])
def test_frac_bits_refuses_other_scales(scale: float) -> None:
    assert f.power_of_two_exponent(scale) is None
    with pytest.raises(QmnError, match="not a power of two"):
        f.frac_bits(scale)


def test_bias_needing_a_right_shift_is_refused() -> None:
    """Input Q0.7 and weights Q0.7 accumulate in Q.14; a bias in Q-8.15 has one
    more fractional bit: it would need a right shift."""
    with pytest.raises(QmnError, match="would need a right shift of 1, and the q7 API only shifts the bias left"):
        f.bias_shift(7, 7, 15)


def test_output_needing_a_left_shift_is_refused() -> None:
    with pytest.raises(QmnError, match="would need a left shift"):
        f.out_shift(3, 4, 8)


def test_shifts_above_31_are_refused() -> None:
    assert f.out_shift(16, 15, 0) == 31
    with pytest.raises(QmnError, match="out_shift 32 is above 31"):
        f.out_shift(16, 16, 0)
    with pytest.raises(QmnError, match="bias_shift 32 is above 31"):
        f.bias_shift(16, 16, 0)


@pytest.mark.parametrize(
    "bias,values,shift,exact",
    [
        ([100, -128, 127], [100, -128, 127], 0, True),
        ([256, -512], [64, -128], 2, True),
        ([300], [75], 2, True),
        ([301], [75], 2, False),  # 75.25 rounds to 75
        ([255], [64], 2, False),  # 127.5 rounds to 128 at shift 1: too big
        ([-257], [-64], 2, False),  # -128.5 rounds away to -129 at shift 1: too big; -64.25 -> -64 at 2
        ([0, 0], [0, 0], 0, True),
        ([2**31 - 1], [64], 25, False),
    ],
)
def test_bias_to_q7_hand_worked(bias: list[int], values: list[int], shift: int, exact: bool) -> None:
    q = f.bias_to_q7(np.array(bias, dtype=np.int32))
    assert (q.values.tolist(), q.shift, q.exact) == (values, shift, exact)


def test_covering_and_nearest_hand_worked() -> None:
    # scale 2^-7, zero point 0: [-1, 127/128] keeps Q0.7
    assert f.covering_frac(-1.0, 127 / 128) == 7 and f.nearest_frac(-1.0, 127 / 128) == 7
    # a ReLU output of scale 1/255, zero point -128: [0, 1]; 127 * 2^-7 < 1 so Q1.6 covers, Q0.7 is nearest
    assert f.covering_frac(0.0, 1.0) == 6 and f.nearest_frac(0.0, 1.0) == 7
    # [-3, 2]: needs 3/128 per step; 2^-5 = 4/128 covers
    assert f.covering_frac(-3.0, 2.0) == 5
    with pytest.raises(QmnError):
        f.covering_frac(0.0, 0.0)


# ------------------------------------------------------------ properties

fracs = st.integers(-20, 40)


@given(fracs, fracs, fracs)
def test_bias_shift_rule(fi: int, fw: int, fb: int) -> None:
    """The bias moved left by bias_shift lands in the accumulator's format:
    2^-fb == 2^-(fi+fw) * 2^bias_shift, and the shift is refused exactly when it
    would be negative or above 31."""
    want = fi + fw - fb
    if 0 <= want <= 31:
        s = f.bias_shift(fi, fw, fb)
        assert s == want and math.ldexp(1.0, -fb) == math.ldexp(1.0, -(fi + fw)) * (1 << s)
    else:
        with pytest.raises(QmnError):
            f.bias_shift(fi, fw, fb)


@given(fracs, fracs, fracs, st.integers(-(2**20), 2**20))
def test_out_shift_rule(fi: int, fw: int, fo: int, acc: int) -> None:
    """An accumulator value a (real a * 2^-(fi+fw)) shifted right by out_shift is
    the same real value in the output's format, to within one output step."""
    want = fi + fw - fo
    if not 0 <= want <= 31:
        with pytest.raises(QmnError):
            f.out_shift(fi, fw, fo)
        return
    s = f.out_shift(fi, fw, fo)
    assert s == want
    out = (acc + ((1 << s) >> 1)) >> s
    real, real_out = math.ldexp(acc, -(fi + fw)), math.ldexp(out, -fo)
    assert abs(real - real_out) <= math.ldexp(0.5, -fo)


@given(st.integers(-100, 100))
def test_power_of_two_round_trip(e: int) -> None:
    s = math.ldexp(1.0, e)
    assert f.power_of_two_exponent(s) == e
    assert f.frac_bits(s) == -e


@given(st.integers(3, 2**20).filter(lambda m: m % 2 == 1), st.integers(-60, 20))
def test_non_powers_of_two(mantissa: int, e: int) -> None:
    s = float(np.float32(math.ldexp(mantissa, e)))
    if f.power_of_two_exponent(s) is not None:  # float32 rounding made it a power of two
        assert math.frexp(s)[0] == 0.5
        return
    with pytest.raises(QmnError):
        f.frac_bits(s)


@given(st.floats(-1e4, 0.0), st.floats(0.0, 1e4))
def test_covering_frac_is_the_finest_that_covers(lo: float, hi: float) -> None:
    if max(-lo, hi) < 1e-30:
        return
    n = f.covering_frac(lo, hi)
    s = math.ldexp(1.0, -n)
    assert -128 * s <= lo and hi <= 127 * s
    finer = s / 2
    assert not (-128 * finer <= lo and hi <= 127 * finer)
    assert abs(f.nearest_frac(lo, hi) - n) <= 1


@given(st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=20))
@settings(max_examples=300)
def test_bias_to_q7_properties(bias: list[int]) -> None:
    """Values fit int8; the shift is the smallest that fits; the expansion is
    within half a step of the bias and equals it exactly when ``exact``."""
    b = np.array(bias, dtype=np.int64)
    q = f.bias_to_q7(b)
    assert q.values.dtype == np.int8
    expanded = q.expanded()
    assert np.all(np.abs(expanded - b) <= (1 << q.shift) // 2 if q.shift else expanded == b)
    assert q.exact == bool(np.all(expanded == b))
    if q.shift:
        k = q.shift - 1
        smaller = np.sign(b) * np.floor(np.abs(b) / 2**k + 0.5)
        assert smaller.min() < -128 or smaller.max() > 127
