"""The host-only (x86-64 AVX2) paths of the s8 convolutions and depthwise
convolutions (``Internal/pycmsisnn_host_s8.h``) against a numpy reference
written from the definition, on shapes that reach every branch and tail of
those paths: channel counts that are not a multiple of the 16 output channels
or 8 lanes a pass takes, pixel counts that are not a multiple of the 4 pixels
a block takes, odd reduction lengths, weight repacks split over several
passes, padding, strides, dilation, groups, batches, and the layers beyond the
host path's stack scratch (which keep the portable loops). Quantisation
parameters span the requantisation's range (right shifts up to 31, extreme
offsets, narrow activation ranges).

On a CPU without AVX2 (or a non-x86 host) the same tests check the portable
loops; TFLite Micro agreement of both is in test_convolution.py and
test_depthwise.py.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pycmsisnn.kernels import convolution as conv
from pycmsisnn.kernels import depthwise as dw
from pycmsisnn.params import Activation, ConvParams, DwConvParams, PerChannelQuant, Tile

from .test_depthwise import _requantize
from .test_depthwise import reference as dw_reference


def conv_reference(
    x: np.ndarray, w: np.ndarray, bias: np.ndarray | None, q: PerChannelQuant, p: ConvParams, out_shape: tuple[int, ...]
) -> np.ndarray:
    """Grouped, dilated, strided, padded convolution in int64 from its definition."""
    n, in_h, in_w, c = x.shape
    oc, kh, kw, fc = w.shape
    groups = c // fc
    per_group = oc // groups
    _, oh, ow, _ = out_shape
    xs = x.astype(np.int64) + p.input_offset
    acc = np.zeros((n, oh, ow, oc), dtype=np.int64)
    for ky in range(kh):
        for kx in range(kw):
            iy = np.arange(oh) * p.stride.h - p.padding.h + ky * p.dilation.h
            ix = np.arange(ow) * p.stride.w - p.padding.w + kx * p.dilation.w
            vy, vx = (iy >= 0) & (iy < in_h), (ix >= 0) & (ix < in_w)
            taps = np.zeros((n, oh, ow, c), dtype=np.int64)
            taps[:, vy[:, None] & vx[None, :]] = xs[:, iy[vy]][:, :, ix[vx]].reshape(n, -1, c)
            for g in range(groups):
                wg = w[g * per_group:(g + 1) * per_group, ky, kx, :].astype(np.int64)  # (per_group, fc)
                acc[..., g * per_group:(g + 1) * per_group] += taps[..., g * fc:(g + 1) * fc] @ wg.T
    if bias is not None:
        acc += bias.astype(np.int64)
    assert np.all(np.abs(acc) < 2**31)
    out = _requantize(acc, np.asarray(q.multiplier), np.asarray(q.shift)) + p.output_offset
    return np.clip(out, p.activation.min, p.activation.max).astype(np.int8)


def _out_hw(in_hw: tuple[int, int], k: tuple[int, int], stride: Tile, pad: Tile, dil: Tile) -> tuple[int, int]:
    return (
        (in_hw[0] + 2 * pad.h - (k[0] - 1) * dil.h - 1) // stride.h + 1,
        (in_hw[1] + 2 * pad.w - (k[1] - 1) * dil.w - 1) // stride.w + 1,
    )


def _quant(rng: np.random.Generator, channels: int, lo: int = -31, hi: int = 1) -> PerChannelQuant:
    """Multipliers over Q31's upper half (both ends included); shifts in [lo, hi],
    every other channel's, from the first, in [-12, -9] (outputs that are not
    all clamped or all the offset)."""
    mult = rng.integers(2**30, 2**31, size=channels)
    mult[:: max(1, channels // 3)] = 2**31 - 1
    shift = rng.integers(lo, hi + 1, size=channels)
    shift[::2] = rng.integers(max(lo, -12), min(hi, -9) + 1, size=len(shift[::2]))
    return PerChannelQuant(tuple(int(m) for m in mult), tuple(int(s) for s in shift))


# (input shape, filters, kernel (h, w), stride (h, w), padding (h, w), dilation (h, w), groups)
CONV = [
    ((2, 5, 5, 19), 37, (3, 3), (1, 1), (1, 1), (1, 1), 1),  # 50 pixels (tail of 2), 37 channels (tail of 5)
    ((1, 6, 7, 3), 8, (3, 3), (2, 2), (1, 1), (1, 1), 1),  # odd reduction (27), 8 output channels
    ((1, 3, 3, 200), 40, (3, 3), (1, 1), (1, 1), (1, 1), 1),  # 1800 taps: repacks of 16, 16 and 8 channels
    ((1, 3, 3, 240), 5, (3, 3), (1, 1), (1, 1), (1, 1), 1),  # 2160 taps: beyond the host path, portable loops
    ((1, 4, 9, 1), 64, (4, 2), (2, 1), (1, 0), (1, 1), 1),  # one input channel, KWS-like first layer
    ((3, 7, 6, 5), 17, (3, 2), (1, 2), (2, 1), (2, 2), 1),  # dilation, batch 3
    ((2, 6, 6, 6), 38, (3, 3), (1, 1), (1, 1), (1, 1), 2),  # grouped: 19 channels per group
    ((1, 5, 5, 9), 6, (2, 2), (2, 1), (0, 1), (1, 2), 3),  # grouped, dilated, 3 taps per group
    ((3, 4, 5, 33), 17, (1, 1), (1, 1), (0, 0), (1, 1), 1),  # 1x1 fast
    ((1, 7, 7, 12), 20, (1, 1), (2, 3), (0, 0), (1, 1), 1),  # 1x1 strided
    ((2, 1, 20, 8), 9, (1, 5), (1, 1), (0, 2), (1, 1), 1),  # one row (1xN)
    ((1, 1, 9, 16), 130, (1, 3), (1, 2), (0, 1), (1, 1), 1),  # 130 channels: passes of 128 and 2
]


def _conv_id(case: tuple[Any, ...]) -> str:
    shape, f, k, s, pad, d, g = case
    return f"in{'x'.join(map(str, shape))}-f{f}-k{k[0]}x{k[1]}-s{s[0]}x{s[1]}-p{pad[0]}x{pad[1]}-d{d[0]}x{d[1]}-g{g}"


def _conv_layer(case: tuple[Any, ...], seed: int, offsets: tuple[int, int], act: Activation) -> tuple[Any, ...]:
    shape, f, k, s, pad, d, g = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    w = rng.integers(-127, 128, size=(f, *k, shape[3] // g), dtype=np.int8)
    bias = rng.integers(-2**16, 2**16, size=f).astype(np.int32)
    q = _quant(rng, f)
    p = ConvParams(offsets[0], offsets[1], Tile(s[1], s[0]), Tile(pad[1], pad[0]), Tile(d[1], d[0]), act)
    oh, ow = _out_hw(shape[1:3], k, p.stride, p.padding, p.dilation)
    return p, q, x, w, bias, (shape[0], oh, ow, f)


OFFSETS = [((128, -128), Activation(-128, 127)), ((-127, 127), Activation(-128, 127)), ((3, 5), Activation(-20, 90))]


@pytest.mark.parametrize("offsets, act", OFFSETS, ids=["in128", "in-127", "narrow"])
@pytest.mark.parametrize("case", CONV, ids=_conv_id)
def test_convolution_matches_reference(case: tuple[Any, ...], offsets: tuple[int, int], act: Activation) -> None:
    p, q, x, w, bias, out_shape = _conv_layer(case, len(_conv_id(case)) * 7 + offsets[0], offsets, act)
    for b in (bias, None):
        want = conv_reference(x, w, b, q, p, out_shape)
        assert len(np.unique(want)) > 2  # the outputs are not all clamped
        np.testing.assert_array_equal(conv.arm_convolve_wrapper_s8(p, q, x, w, b, out_shape), want)
        if w.shape[1:3] == (1, 1) and p.padding == Tile(0, 0) and x.shape[3] == w.shape[3]:
            np.testing.assert_array_equal(conv.arm_convolve_1x1_s8(p, q, x, w, b, out_shape), want)
        else:
            np.testing.assert_array_equal(conv.arm_convolve_s8(p, q, x, w, b, out_shape), want)
        if x.shape[1] == 1 and w.shape[1] == 1:
            np.testing.assert_array_equal(conv.arm_convolve_1_x_n_s8(p, q, x, w, b, out_shape), want)


# (input shape, kernel (h, w), stride (h, w), padding (h, w), dilation (h, w))
DEPTHWISE = [
    ((1, 6, 6, 8), (3, 3), (1, 1), (1, 1), (1, 1)),  # 8 channels: one pass of 8 lanes
    ((1, 7, 5, 13), (3, 3), (2, 2), (1, 1), (1, 1)),  # 13: 8 lanes and a tail of 5
    ((1, 5, 6, 69), (3, 3), (1, 2), (0, 1), (1, 1)),  # 69 channels
    ((1, 9, 8, 7), (5, 5), (1, 1), (2, 2), (1, 1)),  # 25 taps: passes of 9, 9 and 7
    ((1, 5, 5, 24), (2, 2), (1, 1), (1, 0), (1, 1)),  # 4 taps
    ((1, 1, 1, 16), (3, 3), (1, 1), (1, 1), (1, 1)),  # only the centre tap inside
    ((3, 6, 5, 11), (3, 3), (1, 1), (1, 1), (1, 1)),  # batch 3: the generic kernel
    ((1, 8, 8, 10), (3, 3), (1, 1), (2, 2), (2, 2)),  # dilation: the generic kernel
    ((1, 3, 3, 1030), (3, 3), (1, 1), (1, 1), (1, 1)),  # beyond the host path's 1024 channels
    ((1, 4, 4, 3), (3, 2), (1, 1), (1, 1), (1, 1)),  # three channels, a 3x2 filter
]


def _dw_id(case: tuple[Any, ...]) -> str:
    shape, k, s, pad, d = case
    return f"in{'x'.join(map(str, shape))}-k{k[0]}x{k[1]}-s{s[0]}x{s[1]}-p{pad[0]}x{pad[1]}-d{d[0]}x{d[1]}"


@pytest.mark.parametrize("offsets, act", OFFSETS, ids=["in128", "in-127", "narrow"])
@pytest.mark.parametrize("case", DEPTHWISE, ids=_dw_id)
def test_depthwise_matches_reference(case: tuple[Any, ...], offsets: tuple[int, int], act: Activation) -> None:
    shape, k, s, pad, d = case
    rng = np.random.default_rng(len(_dw_id(case)) * 11 + offsets[0])
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    c = shape[3]
    w = rng.integers(-127, 128, size=(1, *k, c), dtype=np.int8)
    bias = rng.integers(-2**16, 2**16, size=c).astype(np.int32)
    q = _quant(rng, c)
    p = DwConvParams(offsets[0], offsets[1], 1, Tile(s[1], s[0]), Tile(pad[1], pad[0]), Tile(d[1], d[0]), act)
    out_shape = (shape[0], *_out_hw(shape[1:3], k, p.stride, p.padding, p.dilation), c)
    for b in (bias, None):
        want = dw_reference(p, q, x, w, b, out_shape)
        assert len(np.unique(want)) > 2
        np.testing.assert_array_equal(dw.arm_depthwise_conv_wrapper_s8(p, q, x, w, b, out_shape), want)
        np.testing.assert_array_equal(dw.arm_depthwise_conv_s8(p, q, x, w, b, out_shape), want)
        if shape[0] == 1 and d == (1, 1):
            np.testing.assert_array_equal(dw.arm_depthwise_conv_s8_opt(p, q, x, w, b, out_shape), want)
            if k == (3, 3) and max(pad) <= 1:
                np.testing.assert_array_equal(dw.arm_depthwise_conv_3x3_s8(p, q, x, w, b, out_shape), want)


def test_requantisation_extremes() -> None:
    """Every shift from +1 to -31 and the largest multiplier, on accumulators
    of both signs up to 2^31 - 1 (a 1x1 layer whose one input pixel is 1 and
    whose bias carries the accumulator): the 8-lane requantisation and its
    scalar tail against the reference."""
    shifts = np.arange(1, -32, -1)
    channels = len(shifts)
    rng = np.random.default_rng(5)
    for bias in (
        rng.integers(-2**30, 2**30, size=channels).astype(np.int32),
        np.full(channels, 2**31 - 2, dtype=np.int32) >> np.maximum(shifts, 0).astype(np.int32),
        np.full(channels, -(2**31) + 1, dtype=np.int32) >> np.maximum(shifts, 0).astype(np.int32),
        (rng.integers(0, 2, size=channels) * 2 - 1).astype(np.int32) * (1 << np.maximum(-shifts - 1, 0)).astype(np.int32),
    ):
        for mult in (2**31 - 1, 2**30, 1_518_500_250):
            q = PerChannelQuant((mult,) * channels, tuple(int(s) for s in shifts))
            p = ConvParams(0, 0, Tile(1, 1), Tile(0, 0), Tile(1, 1), Activation(-128, 127))
            x = np.zeros((1, 1, 1, 1), dtype=np.int8)
            w = np.zeros((channels, 1, 1, 1), dtype=np.int8)
            want = conv_reference(x, w, bias, q, p, (1, 1, 1, channels))
            np.testing.assert_array_equal(conv.arm_convolve_wrapper_s8(p, q, x, w, bias, (1, 1, 1, channels)), want)


@st.composite
def _conv_layers(draw: st.DrawFn) -> tuple[Any, ...]:
    n = draw(st.integers(1, 3))
    groups = draw(st.sampled_from([1, 1, 1, 2, 3]))
    fc = draw(st.integers(1, 20))
    per_group = draw(st.integers(1, 24))
    in_h, in_w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw_ = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, (kh - 1) * dh)), draw(st.integers(0, (kw - 1) * dw_))
    stride, pad, dil = Tile(sw, sh), Tile(pw, ph), Tile(dw_, dh)
    oh, ow = _out_hw((in_h, in_w), (kh, kw), stride, pad, dil)
    assume(oh >= 1 and ow >= 1)
    a = draw(st.integers(-128, 100))
    act = Activation(a, draw(st.integers(a + 20, 127)))
    p = ConvParams(draw(st.integers(-127, 128)), draw(st.integers(-128, 127)), stride, pad, dil, act)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    oc = groups * per_group
    x = rng.integers(-128, 128, size=(n, in_h, in_w, groups * fc), dtype=np.int8)
    w = rng.integers(-127, 128, size=(oc, kh, kw, fc), dtype=np.int8)
    bias = rng.integers(-2**20, 2**20, size=oc).astype(np.int32) if draw(st.booleans()) else None
    return p, _quant(rng, oc, -14, 0), x, w, bias, (n, oh, ow, oc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_conv_layers())
def test_random_convolutions_match_reference(layer: tuple[Any, ...]) -> None:
    p, q, x, w, bias, out_shape = layer
    want = conv_reference(x, w, bias, q, p, out_shape)
    np.testing.assert_array_equal(conv.arm_convolve_wrapper_s8(p, q, x, w, bias, out_shape), want)
    np.testing.assert_array_equal(conv.arm_convolve_s8(p, q, x, w, bias, out_shape), want)
