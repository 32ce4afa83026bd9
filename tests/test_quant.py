"""pycmsisnn.quant against TFLite's arithmetic, written out independently here
with numpy (ldexp/log2 instead of frexp, float32 where TFLite uses float)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pycmsisnn import quant
from pycmsisnn.params import Activation, Tile


def reference_quantize_multiplier(real: float) -> tuple[int, int]:
    """QuantizeMultiplier, by another route: find e with 2^(e-1) <= real < 2^e,
    round real * 2^(31-e) half away from zero, renormalise 2^31."""
    if real == 0.0:
        return 0, 0
    e = int(np.floor(np.log2(real))) + 1
    # log2 can be off by one at exact powers of two and near them: correct it.
    while np.ldexp(1.0, e - 1) > real:
        e -= 1
    while real >= np.ldexp(1.0, e):
        e += 1
    scaled = np.ldexp(real, 31 - e)  # exact: a power-of-two scaling
    q = int(np.floor(scaled + 0.5))
    if q == 2**31:
        q, e = 2**30, e + 1
    if e < -31:
        return 0, 0
    return q, e


@pytest.mark.parametrize(
    "real, expected",
    [
        (0.0, (0, 0)),
        (0.5, (2**30, 0)),
        (1.0, (2**30, 1)),
        (0.75, (3 * 2**29, 0)),
        (2.0**-10, (2**30, -9)),
        (1.0 - 2.0**-40, (2**30, 1)),  # mantissa rounds to 2^31: halved, exponent up
        (0.5 - 2.0**-45, (2**30, -1 + 1)),  # just below 0.5 rounds up to exactly 0.5
        (1e-12, (0, 0)),  # exponent below -31: flushed to zero
        (2.0**-32, (2**30, -31)),  # the smallest that survives
        (2.0**-33, (0, 0)),
        (3e9, (1500000000, 32)),  # very large: left shift beyond 30 is reported as is
    ],
)
def test_quantize_multiplier_known_values(real: float, expected: tuple[int, int]) -> None:
    assert quant.quantize_multiplier(real) == expected


@settings(max_examples=400, deadline=None)
@given(st.floats(min_value=1e-12, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_quantize_multiplier_matches_independent_reference(real: float) -> None:
    m, s = quant.quantize_multiplier(real)
    assert (m, s) == reference_quantize_multiplier(real)
    if m:
        assert 2**30 <= m < 2**31
        # The representation error is at most half a unit in the last place.
        assert abs(m * 2.0 ** (s - 31) - real) <= 2.0 ** (s - 32)


def test_quantize_multiplier_ties_round_away_from_zero() -> None:
    # real = (2^30 + 0.5) * 2^-31 * 2^0: the mantissa times 2^31 ends in .5
    real = (2**30 + 0.5) / 2**31
    assert quant.quantize_multiplier(real) == (2**30 + 1, 0)
    assert quant.round_half_away(2.5) == 3 and quant.round_half_away(-2.5) == -3
    assert quant.round_half_away(0.49999999) == 0


def test_quantize_multiplier_rejects_non_finite() -> None:
    with pytest.raises(ValueError, match="cannot quantise"):
        quant.quantize_multiplier(float("inf"))


def test_conv_multipliers_use_float32_scales_in_double() -> None:
    s_in, s_out = 0.0078125001, 0.0235
    s_w = [0.001, 0.0031, 0.7]
    got = quant.conv_multipliers(s_in, s_w, s_out)
    for c, w in enumerate(s_w):
        real = float(np.float32(s_in)) * float(np.float32(w)) / float(np.float32(s_out))
        assert (got.multiplier[c], got.shift[c]) == reference_quantize_multiplier(real)


def test_per_channel_multipliers_broadcast_one_scale() -> None:
    got = quant.per_channel_multipliers(0.5, [0.25], 0.125, channels=3)
    assert got.multiplier == (2**30,) * 3 and got.shift == (1,) * 3
    with pytest.raises(ValueError, match="2 filter scales for 3"):
        quant.per_channel_multipliers(0.5, [0.25, 0.5], 0.125, channels=3)


def test_fc_multiplier() -> None:
    got = quant.fc_multiplier(0.02, 0.003, 0.05)
    real = float(np.float32(0.02)) * float(np.float32(0.003)) / float(np.float32(0.05))
    assert (got.multiplier, got.shift) == reference_quantize_multiplier(real)
    with pytest.raises(ValueError, match="output scale"):
        quant.fc_multiplier(0.02, 0.003, 0.0)


def test_offsets_have_the_cmsis_signs() -> None:
    assert quant.input_offset(-128) == 128 and quant.input_offset(127) == -127
    assert quant.output_offset(-128) == -128 and quant.output_offset(5) == 5
    with pytest.raises(ValueError, match="zero point 200"):
        quant.input_offset(200)
    with pytest.raises(ValueError, match="zero point -129"):
        quant.output_offset(-129)


def reference_activation(kind: str, scale: float, zp: int) -> tuple[int, int]:
    def q(v: float) -> int:
        x = np.float32(v) / np.float32(scale)  # float32 division, as TFLite
        return zp + int(np.sign(x) * np.floor(np.abs(x) + np.float32(0.5)))

    lo, hi = -128, 127
    if kind == "RELU":
        return max(lo, q(0.0)), hi
    if kind == "RELU6":
        return max(lo, q(0.0)), min(hi, q(6.0))
    if kind == "RELU_N1_TO_1":
        return max(lo, q(-1.0)), min(hi, q(1.0))
    return lo, hi


@pytest.mark.parametrize("kind", ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"])
@pytest.mark.parametrize("scale, zp", [(0.05, -10), (0.0235294, -128), (0.1, 127), (1 / 42.5, 3), (0.5, -128)])
def test_activation_range(kind: str, scale: float, zp: int) -> None:
    got = quant.activation_range(quant.FusedActivation[kind], scale, zp)
    assert (got.min, got.max) == reference_activation(kind, scale, zp)
    assert got.min <= got.max or kind != "NONE"


def test_activation_range_rejects_tanh() -> None:
    with pytest.raises(ValueError, match="TANH"):
        quant.activation_range(quant.FusedActivation.TANH, 0.1, 0)


@pytest.mark.parametrize("scale", [0.0039, 0.1, 0.25, 1.0, 7.5, 64.0])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
def test_softmax_params(scale: float, beta: float) -> None:
    p = quant.softmax_params(scale, beta)
    real = min(beta * float(np.float32(scale)) * 2.0**26, 2.0**31 - 1)
    m, s = reference_quantize_multiplier(real)
    assert (p.mult, p.shift) == (m, s)
    assert s >= 0
    assert p.diff_min == -math.floor(31 * 2.0**26 / 2.0**s)
    assert p.diff_min <= 0


def test_softmax_params_rejects_tiny_scale() -> None:
    with pytest.raises(ValueError, match="too small"):
        quant.softmax_params(1e-9)


@pytest.mark.parametrize(
    "s1, zp1, s2, zp2, so, zpo",
    [(0.02, -128, 0.05, 3, 0.07, -10), (0.5, 127, 0.5, -128, 1.0, 0), (1e-3, 0, 0.9, 12, 0.3, -5)],
)
def test_add_params(s1: float, zp1: int, s2: float, zp2: int, so: float, zpo: int) -> None:
    p = quant.add_params(s1, zp1, s2, zp2, so, zpo, Activation(-100, 100))
    f1, f2, fo = (float(np.float32(v)) for v in (s1, s2, so))
    twice = 2 * max(f1, f2)
    assert (p.input_1_mult, p.input_1_shift) == reference_quantize_multiplier(f1 / twice)
    assert (p.input_2_mult, p.input_2_shift) == reference_quantize_multiplier(f2 / twice)
    assert (p.out_mult, p.out_shift) == reference_quantize_multiplier(twice / (2**20 * fo))
    assert p.left_shift == 20
    assert max(p.input_1_shift, p.input_2_shift, p.out_shift) <= 0
    assert (p.input_1_offset, p.input_2_offset, p.out_offset) == (-zp1, -zp2, zpo)
    assert (p.out_activation_min, p.out_activation_max) == (-100, 100)


def test_mul_params() -> None:
    p = quant.mul_params(0.02, -128, 0.05, 3, 0.0007, -10)
    real = float(np.float32(0.02)) * float(np.float32(0.05)) / float(np.float32(0.0007))
    assert (p.out_mult, p.out_shift) == reference_quantize_multiplier(real)
    assert (p.input_1_offset, p.input_2_offset, p.out_offset) == (128, -3, -10)


@pytest.mark.parametrize(
    "padding, in_size, k, stride, dil, out, pad, offset",
    [
        ("SAME", 8, 2, 1, 1, 8, 0, 1),  # even filter: the extra row goes after
        ("SAME", 8, 3, 1, 1, 8, 1, 0),
        ("SAME", 9, 3, 2, 1, 5, 1, 0),
        ("SAME", 8, 3, 2, 1, 4, 0, 1),
        ("SAME", 7, 3, 1, 2, 7, 2, 0),  # dilation 2: effective filter 5
        ("VALID", 8, 3, 1, 1, 6, 0, 0),
        ("VALID", 9, 3, 2, 1, 4, 0, 0),
        ("VALID", 10, 3, 3, 2, 2, 0, 0),
    ],
)
def test_conv_padding(padding: str, in_size: int, k: int, stride: int, dil: int, out: int, pad: int, offset: int) -> None:
    p, off, (oh, ow) = quant.conv_padding(quant.Padding[padding], (in_size, in_size), (k, k), Tile(stride, stride), Tile(dil, dil))
    assert (oh, ow) == (out, out)
    assert p == Tile(pad, pad) and off == Tile(offset, offset)


def test_transpose_conv_padding_uses_the_output_side() -> None:
    # TRANSPOSE_CONV 4x4 -> 8x8, 3x3 filter, stride 2, SAME: total padding
    # (4 - 1) * 2 + 3 - 8 = 1 -> 0 before, 1 after.
    pad, off = quant.transpose_conv_padding(quant.Padding.SAME, (8, 8), (3, 3), Tile(2, 2))
    assert pad == Tile(0, 0) and off == Tile(1, 1)
    pad, off = quant.transpose_conv_padding(quant.Padding.VALID, (9, 9), (3, 3), Tile(2, 2))
    assert pad == Tile(0, 0) and off == Tile(0, 0)
