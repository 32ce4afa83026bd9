"""s8 convolution kernels against TensorFlow Lite Micro's CONV_2D, and their validation.

Every TFLM case is a single-op int8 model made by TF's converter from a Keras
Conv2D (seeded weights, non-zero biases); every kernel parameter is derived
from the converted model through ``pycmsisnn.quant``.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import convolution as conv
from pycmsisnn.kernels._base import c_conv_params, c_per_channel, context, dims, ffi, lib, ptr
from pycmsisnn.params import Activation, ConvParams, PerChannelQuant, Tile
from tests.support.library import require_our_kernels
from tests.support.model_view import single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

ZP_LOW = (0.0, 4.0)  # input zero point -128
ZP_HIGH = (-4.0, 0.0)  # input zero point 127


@dataclass(frozen=True)
class Case:
    """One Keras Conv2D layer: input shape (N, H, W, C), filters, kernel (kh, kw), ..."""

    shape: tuple[int, int, int, int]
    filters: int
    kernel: tuple[int, int]
    strides: tuple[int, int] = (1, 1)
    padding: str = "valid"
    dilation: tuple[int, int] = (1, 1)
    groups: int = 1
    activation: str | None = None
    input_range: tuple[float, float] = (-1.0, 1.0)

    @property
    def key(self) -> str:
        return f"conv2d|{self!r}"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.key.encode()) % 10_000


def _c(shape: tuple[int, int, int, int], filters: int, kernel: tuple[int, int], **kw: Any) -> Case:
    return Case(shape, filters, kernel, **kw)


CHANNELS = [1, 3, 5, 7]
ACTS = [None, "relu", "relu6"]
RANGES = [(-1.0, 1.0), ZP_LOW, ZP_HIGH, (-1.0, 3.0)]

# 1x1: both fast (stride 1) and strided, plus grouped (which goes generic).
POINTWISE = [
    _c((1, 4, 4, 8), 8, (1, 1)),
    _c((1, 3, 5, 3), 5, (1, 1)),
    _c((1, 4, 4, 1), 4, (1, 1)),
    _c((2, 3, 3, 7), 3, (1, 1)),
    _c((1, 4, 4, 5), 6, (1, 1), activation="relu"),
    _c((1, 4, 4, 4), 3, (1, 1), input_range=ZP_LOW),
    _c((1, 4, 3, 6), 5, (1, 1), input_range=ZP_HIGH, activation="relu6"),
    _c((1, 5, 5, 4), 6, (1, 1), strides=(2, 2)),
    _c((1, 6, 6, 3), 4, (1, 1), strides=(2, 2), padding="same"),
    _c((1, 4, 5, 5), 3, (1, 1), strides=(1, 2)),
    _c((2, 5, 4, 7), 5, (1, 1), strides=(2, 2), activation="relu6"),
    _c((1, 5, 5, 3), 2, (1, 1), strides=(2, 1), input_range=ZP_HIGH),
    _c((1, 7, 7, 2), 3, (1, 1), strides=(3, 3), input_range=ZP_LOW),
    _c((1, 3, 3, 4), 6, (1, 1), groups=2),
]

# One input row, one filter row.
ROW = [
    _c((1, 1, 10, 4), 5, (1, 3)),
    _c((1, 1, 10, 4), 3, (1, 3), padding="same"),
    _c((1, 1, 12, 2), 4, (1, 4), strides=(1, 2), padding="same"),
    _c((1, 1, 9, 8), 6, (1, 5), padding="same", activation="relu"),
    _c((2, 1, 8, 4), 3, (1, 2), padding="same"),
    _c((1, 1, 16, 1), 2, (1, 3), strides=(1, 4)),
    _c((1, 1, 10, 4), 3, (1, 3), padding="same", input_range=ZP_LOW),
    _c((1, 1, 10, 4), 7, (1, 3), input_range=ZP_HIGH, activation="relu6"),
    _c((1, 1, 11, 12), 3, (1, 3), strides=(1, 3)),
    _c((1, 1, 10, 3), 4, (1, 3), padding="same"),  # stride*C % 4 != 0: generic
    _c((1, 1, 12, 4), 3, (1, 3), dilation=(1, 2), padding="same"),  # dilated: generic
    _c((1, 1, 8, 4), 4, (1, 3), groups=2),  # grouped: generic
    _c((1, 1, 7, 5), 2, (1, 7), padding="same", input_range=ZP_HIGH),  # stride*C % 4 != 0
]

# The generic kernel: kernel sizes x strides x padding, cycling channels, clamps and zero points.
GENERIC = [
    _c(
        (1, 7, 8, CHANNELS[i % 4]),
        (i % 3) + 2,
        k,
        strides=s,
        padding=pad,
        activation=ACTS[i % 3],
        input_range=RANGES[(i // 2) % 4],
    )
    for i, (k, s, pad) in enumerate(
        (k, s, pad) for k in [(3, 3), (5, 3), (2, 2)] for s in [(1, 1), (2, 2), (1, 2)] for pad in ["same", "valid"]
    )
]

DILATED = [
    _c((1, 7, 7, 3), 4, (3, 3), dilation=(2, 2), padding="same"),
    _c((1, 8, 8, 2), 3, (3, 3), dilation=(2, 2), padding="valid", activation="relu"),
    _c((1, 7, 6, 5), 2, (2, 2), dilation=(2, 2), padding="same", input_range=ZP_LOW),
    _c((1, 8, 7, 1), 3, (2, 3), dilation=(2, 1), padding="same", input_range=ZP_HIGH),
]

GROUPED = [
    _c((1, 5, 5, 4), 6, (3, 3), padding="same", groups=2),
    _c((1, 5, 5, 6), 3, (3, 3), padding="same", groups=3),
    _c((1, 7, 7, 6), 9, (3, 3), strides=(2, 2), groups=3),
    _c((1, 6, 6, 4), 4, (2, 2), padding="same", groups=2, activation="relu6"),
    _c((1, 5, 6, 6), 6, (3, 2), padding="same", groups=2, input_range=ZP_HIGH),
    _c((2, 5, 5, 6), 3, (3, 3), groups=3, input_range=ZP_LOW),
    _c((1, 6, 6, 9), 6, (1, 1), groups=3, activation="relu"),
    _c((1, 7, 7, 4), 2, (3, 3), strides=(1, 2), padding="same", groups=2),
]

EXTRA = [
    _c((2, 5, 5, 3), 4, (3, 3), padding="same"),  # batch 2
    _c((2, 6, 6, 7), 5, (3, 3), strides=(2, 2), padding="same", activation="relu"),
    _c((1, 6, 6, 4), 3, (3, 3), strides=(2, 2), padding="same"),  # odd total padding
    _c((1, 7, 7, 2), 3, (5, 5), strides=(2, 2), padding="same", input_range=ZP_LOW),
    _c((1, 8, 8, 2), 2, (4, 4), strides=(2, 2), padding="same"),
    _c((1, 5, 6, 3), 4, (1, 3), padding="same"),  # 1xN filter on a tall input: generic
    _c((1, 6, 5, 3), 4, (3, 1), padding="same", input_range=ZP_HIGH),
    _c((1, 4, 4, 16), 16, (3, 3), padding="same", activation="relu6"),
    _c((1, 5, 5, 1), 1, (3, 3), padding="same"),
    _c((1, 9, 9, 3), 2, (5, 5), strides=(3, 3), padding="same", activation="relu"),
]

CASES = POINTWISE + ROW + GENERIC + DILATED + GROUPED + EXTRA


def case_id(c: Case) -> str:
    s = "x".join(map(str, c.shape))
    parts = [f"in{s}", f"f{c.filters}", f"k{c.kernel[0]}x{c.kernel[1]}", f"s{c.strides[0]}x{c.strides[1]}", c.padding]
    if c.dilation != (1, 1):
        parts.append(f"d{c.dilation[0]}x{c.dilation[1]}")
    if c.groups != 1:
        parts.append(f"g{c.groups}")
    if c.activation:
        parts.append(c.activation)
    if c.input_range != (-1.0, 1.0):
        parts.append(f"r{c.input_range[0]:g}_{c.input_range[1]:g}")
    return "-".join(parts)


@dataclass
class Layer:
    """A converted CONV_2D and everything the kernels need to run it."""

    model: bytes
    params: ConvParams
    quant: PerChannelQuant
    filter: np.ndarray
    bias: np.ndarray | None
    input_shape: tuple[int, int, int, int]
    output_shape: tuple[int, int, int, int]


def make_layer(c: Case) -> Layer:
    """Convert the case's Conv2D and derive its CMSIS-NN parameters from the model."""

    def make(inputs: list) -> Any:
        layer = tf().keras.layers.Conv2D(
            c.filters,
            c.kernel,
            strides=c.strides,
            padding=c.padding,
            dilation_rate=c.dilation,
            groups=c.groups,
            activation=c.activation,
            bias_initializer=random_bias_initializer(),
        )
        return layer(inputs[0])

    model = build_model(c.key, make, [c.shape], seed=c.seed, input_range=c.input_range)
    op = single_op(model, "CONV_2D")
    x, w, b = op.inputs[0], op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else None
    out = op.outputs[0]
    o = op.options
    assert x is not None and w is not None and w.data is not None
    stride = Tile(o.strideW, o.strideH)
    dilation = Tile(o.dilationWFactor, o.dilationHFactor)
    pad, _, out_hw = quant.conv_padding(o.padding, x.shape[1:3], w.shape[1:3], stride, dilation)
    assert out_hw == tuple(out.shape[1:3])
    params = ConvParams(
        input_offset=quant.input_offset(x.zero_point),
        output_offset=quant.output_offset(out.zero_point),
        stride=stride,
        padding=pad,
        dilation=dilation,
        activation=quant.activation_range(o.fusedActivationFunction, out.scale, out.zero_point),
    )
    q = quant.per_channel_multipliers(x.scale, w.scales, out.scale, w.shape[0])
    bias = None if b is None else b.data
    return Layer(model, params, q, w.data, bias, tuple(x.shape), tuple(out.shape))  # type: ignore[arg-type]


def random_input(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(-128, 128, size=shape, dtype=np.int8)


# ------------------------------------------------------------ TFLM ground truth


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_wrapper_matches_tflm(case: Case) -> None:
    layer = make_layer(case)
    x = random_input(layer.input_shape, case.seed)
    expected = run_tflm(layer.model, [x])[0]
    got = conv.arm_convolve_wrapper_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(got, expected)

    # The kernel the wrapper dispatches to, called directly, gives the same output.
    variant = conv.arm_convolve_wrapper_s8_variant(layer.params, layer.input_shape, layer.filter.shape, layer.output_shape)
    direct = getattr(conv, variant)(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(direct, expected)

    # The generic kernel handles every layer.
    generic = conv.arm_convolve_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(generic, expected)


def test_sweep_covers_every_variant() -> None:
    seen = set()
    for c in CASES:
        layer = make_layer(c)
        seen.add(conv.arm_convolve_wrapper_s8_variant(layer.params, layer.input_shape, layer.filter.shape))
    assert seen == {"arm_convolve_1x1_s8_fast", "arm_convolve_1x1_s8", "arm_convolve_1_x_n_s8", "arm_convolve_s8"}


# ----------------------------------------------------------------- dispatch


def _p(stride: tuple[int, int] = (1, 1), pad: tuple[int, int] = (0, 0), dil: tuple[int, int] = (1, 1)) -> ConvParams:
    return ConvParams(0, 0, Tile(*stride), Tile(*pad), Tile(*dil))


@pytest.mark.parametrize(
    "params, input_shape, filter_shape, expected",
    [
        (_p(), (1, 4, 4, 8), (3, 1, 1, 8), "arm_convolve_1x1_s8_fast"),
        (_p((2, 2)), (1, 4, 4, 8), (3, 1, 1, 8), "arm_convolve_1x1_s8"),
        (_p((1, 2)), (1, 4, 4, 3), (3, 1, 1, 3), "arm_convolve_1x1_s8"),
        (_p(pad=(1, 0)), (1, 4, 4, 8), (3, 1, 1, 8), "arm_convolve_s8"),
        (_p(dil=(2, 1)), (1, 4, 4, 8), (3, 1, 1, 8), "arm_convolve_s8"),
        (_p(), (1, 4, 4, 8), (4, 1, 1, 4), "arm_convolve_s8"),  # grouped 1x1
        (_p(), (1, 1, 8, 4), (3, 1, 3, 4), "arm_convolve_1_x_n_s8"),
        (_p((2, 1)), (1, 1, 8, 2), (3, 1, 3, 2), "arm_convolve_1_x_n_s8"),
        (_p(pad=(1, 0)), (1, 1, 8, 4), (3, 1, 3, 4), "arm_convolve_1_x_n_s8"),
        (_p(), (1, 1, 8, 3), (3, 1, 3, 3), "arm_convolve_s8"),  # 1*3 % 4 != 0
        (_p(dil=(2, 1)), (1, 1, 8, 4), (3, 1, 3, 4), "arm_convolve_s8"),
        (_p(dil=(1, 2)), (1, 1, 8, 4), (3, 1, 3, 4), "arm_convolve_1_x_n_s8"),  # y dilation is irrelevant
        (_p(), (1, 1, 8, 8), (4, 1, 3, 4), "arm_convolve_s8"),  # grouped 1xN
        (_p(), (1, 2, 8, 4), (3, 1, 3, 4), "arm_convolve_s8"),
        (_p(), (1, 4, 4, 4), (3, 3, 3, 4), "arm_convolve_s8"),
    ],
)
def test_variant(params: ConvParams, input_shape: tuple, filter_shape: tuple, expected: str) -> None:
    assert conv.arm_convolve_wrapper_s8_variant(params, input_shape, filter_shape) == expected


# ------------------------------------------------------------- numpy reference


def requantize(acc: np.ndarray, mult: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """TFLite's MultiplyByQuantizedMultiplier, elementwise, in Python integers."""
    out = np.empty(acc.shape, dtype=np.int64)
    flat_acc, flat_out = acc.reshape(-1, acc.shape[-1]), out.reshape(-1, acc.shape[-1])
    for idx in range(flat_acc.shape[0]):
        for ch in range(acc.shape[-1]):
            x, m, s = int(flat_acc[idx, ch]), int(mult[ch]), int(shift[ch])
            x = x * (1 << max(s, 0))
            ab = x * m
            nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
            num = ab + nudge
            high = abs(num) // (1 << 31) * (1 if num >= 0 else -1)  # C division truncates
            e = max(-s, 0)
            mask = (1 << e) - 1
            rem, thr = high & mask, (mask >> 1) + (1 if high < 0 else 0)
            flat_out[idx, ch] = (high >> e) + (1 if rem > thr else 0)
    return out


def reference_conv(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None,
    q: PerChannelQuant,
    p: ConvParams,
    out_shape: tuple[int, int, int, int],
    up: Tile = Tile(1, 1),
) -> np.ndarray:
    """Direct definition: zero-insert, pad, slide, accumulate in int64, requantise, clamp."""
    n, h, w_, c = x.shape
    oc, kh, kw, fc = w.shape
    groups = c // fc
    virt = np.zeros((n, h * up.h, w_ * up.w, c), dtype=np.int64)
    virt[:, :: up.h, :: up.w, :] = x.astype(np.int64) + p.input_offset
    _, oh, ow, _ = out_shape
    big_h = max(oh * p.stride.h + kh * p.dilation.h, virt.shape[1]) + 2 * p.padding.h
    big_w = max(ow * p.stride.w + kw * p.dilation.w, virt.shape[2]) + 2 * p.padding.w
    padded = np.zeros((n, big_h, big_w, c), dtype=np.int64)
    padded[:, p.padding.h : p.padding.h + virt.shape[1], p.padding.w : p.padding.w + virt.shape[2], :] = virt
    acc = np.zeros(out_shape, dtype=np.int64)
    per_group = oc // groups
    for oy in range(oh):
        for ox in range(ow):
            for ky in range(kh):
                for kx in range(kw):
                    pix = padded[:, oy * p.stride.h + ky * p.dilation.h, ox * p.stride.w + kx * p.dilation.w, :]
                    for g in range(groups):
                        sl = slice(g * per_group, (g + 1) * per_group)
                        taps = w[sl, ky, kx, :].astype(np.int64)  # (per_group, fc)
                        acc[:, oy, ox, sl] += pix[:, g * fc : (g + 1) * fc] @ taps.T
    if bias is not None:
        acc += bias.astype(np.int64)
    assert np.all(np.abs(acc) < 2**31)
    res = requantize(acc, np.asarray(q.multiplier), np.asarray(q.shift)) + p.output_offset
    return np.clip(res, p.activation.min, p.activation.max).astype(np.int8)


def random_quant(rng: np.random.Generator, channels: int) -> PerChannelQuant:
    mult = rng.integers(2**30, 2**31 - 1, size=channels)
    shift = rng.integers(-10, -6, size=channels)
    return PerChannelQuant(tuple(int(m) for m in mult), tuple(int(s) for s in shift))


UPSCALE = [
    # (input shape, filter shape, stride, padding, dilation, upscale)
    ((1, 3, 4, 5), (4, 3, 3, 5), (1, 1), (2, 2), (1, 1), (2, 2)),
    ((1, 3, 3, 2), (3, 2, 3, 2), (1, 1), (1, 2), (1, 1), (2, 1)),
    ((2, 2, 3, 3), (2, 3, 3, 3), (1, 1), (0, 1), (1, 1), (2, 2)),
    ((1, 3, 3, 4), (4, 3, 3, 4), (2, 1), (1, 1), (1, 1), (2, 2)),
    ((1, 4, 3, 3), (2, 3, 2, 3), (1, 2), (1, 0), (2, 1), (1, 2)),
    ((1, 4, 4, 3), (3, 3, 3, 3), (1, 1), (1, 1), (1, 1), (1, 1)),  # factors 1: plain conv
]


@pytest.mark.parametrize("with_bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("in_shape, f_shape, stride, pad, dil, up", UPSCALE)
def test_convolve_s8_upscale_against_reference(
    in_shape: tuple, f_shape: tuple, stride: tuple, pad: tuple, dil: tuple, up: tuple, with_bias: bool
) -> None:
    rng = np.random.default_rng(sum(in_shape) * 31 + sum(f_shape) + 7 * up[0] + up[1])
    x = rng.integers(-128, 128, size=in_shape, dtype=np.int8)
    w = rng.integers(-127, 128, size=f_shape, dtype=np.int8)
    bias = rng.integers(-5000, 5000, size=f_shape[0]).astype(np.int32) if with_bias else None
    q = random_quant(rng, f_shape[0])
    p = ConvParams(int(rng.integers(-127, 129)), int(rng.integers(-128, 128)), Tile(stride[1], stride[0]), Tile(pad[1], pad[0]), Tile(dil[1], dil[0]), Activation(-100, 110))
    upscale = Tile(up[1], up[0])
    vh, vw = in_shape[1] * up[0], in_shape[2] * up[1]
    oh = (vh + 2 * pad[0] - ((f_shape[1] - 1) * dil[0] + 1)) // stride[0] + 1
    ow = (vw + 2 * pad[1] - ((f_shape[2] - 1) * dil[1] + 1)) // stride[1] + 1
    out_shape = (in_shape[0], oh, ow, f_shape[0])
    got = conv.arm_convolve_s8(p, q, x, w, bias, out_shape, upscale_dims=upscale)
    np.testing.assert_array_equal(got, reference_conv(x, w, bias, q, p, out_shape, upscale))


@pytest.mark.parametrize(
    "up, f_shape, argument, reason",
    [
        ((3, 1), (2, 3, 3, 4), "upscale_dims.w", "must be 1 or 2"),
        ((2, 3), (2, 3, 3, 4), "upscale_dims.h", "must be 1 or 2"),
        ((2, 2), (2, 3, 3, 2), "upscale_dims", "must not be grouped (2 groups)"),
    ],
)
def test_convolve_s8_upscale_outside_the_api_is_refused(up: tuple, f_shape: tuple, argument: str, reason: str) -> None:
    """Arm's arm_convolve_s8 upscales by 2 at most and not a grouped convolution
    (factor 3 and grouped upscaling give wrong outputs there): refused before any C runs."""
    x = np.zeros((1, 3, 3, 4), dtype=np.int8)
    w = np.ones(f_shape, dtype=np.int8)
    q = PerChannelQuant((2**30,) * 2, (0,) * 2)
    p = ConvParams(0, 0, Tile(1, 1), Tile(1, 1), Tile(1, 1), Activation(-128, 127))
    out_shape = (1, 3 * up[1], 3 * up[0], 2)
    with pytest.raises(ArgError, match=re.escape(f"arm_convolve_s8: {argument}")) as info:
        conv.arm_convolve_s8(p, q, x, w, None, out_shape, upscale_dims=Tile(up[0], up[1]))
    assert reason in str(info.value)


@pytest.mark.parametrize("case", [CASES[0], CASES[8], CASES[14], GENERIC[3], GROUPED[1], EXTRA[2]], ids=case_id)
def test_no_bias_matches_reference(case: Case) -> None:
    """Every kernel with bias None (NULL) against the numpy reference."""
    layer = make_layer(case)
    x = random_input(layer.input_shape, case.seed + 1)
    expected = reference_conv(x, layer.filter, None, layer.quant, layer.params, layer.output_shape)
    got = conv.arm_convolve_wrapper_s8(layer.params, layer.quant, x, layer.filter, None, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    got = conv.arm_convolve_s8(layer.params, layer.quant, x, layer.filter, None, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    # And with the bias, the reference agrees with TFLM too (it is an independent check of the wrapper).
    with_bias = reference_conv(x, layer.filter, layer.bias, layer.quant, layer.params, layer.output_shape)
    np.testing.assert_array_equal(with_bias, run_tflm(layer.model, [x])[0])


def test_grouped_conv_is_independent_per_group() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(-128, 128, size=(1, 4, 4, 6), dtype=np.int8)
    w = rng.integers(-127, 128, size=(6, 3, 3, 2), dtype=np.int8)
    b = rng.integers(-2000, 2000, size=6).astype(np.int32)
    q = random_quant(rng, 6)
    p = ConvParams(5, -3, padding=Tile(1, 1))
    full = conv.arm_convolve_s8(p, q, x, w, b, (1, 4, 4, 6))
    for g in range(3):
        sl = slice(2 * g, 2 * g + 2)
        qg = PerChannelQuant(q.multiplier[sl], q.shift[sl])
        part = conv.arm_convolve_s8(p, qg, np.ascontiguousarray(x[..., sl]), np.ascontiguousarray(w[sl]), b[sl], (1, 4, 4, 2))
        np.testing.assert_array_equal(full[..., sl], part)


# --------------------------------------------------------------- buffer sizes


def test_buffer_sizes() -> None:
    p3 = ConvParams(0, 0, padding=Tile(1, 1))
    # Generic: two int16 columns of KH*KW*C_IN rounded up to 4 (27 -> 28): 112; MVE: 4 x 32.
    assert conv.arm_convolve_s8_get_buffer_size((1, 5, 5, 3), (4, 3, 3, 3)) == 112
    assert conv.arm_convolve_wrapper_s8_get_buffer_size(p3, (1, 5, 5, 3), (4, 3, 3, 3), (1, 5, 5, 4)) == 112
    assert conv.arm_convolve_wrapper_s8_get_buffer_size_dsp(p3, (1, 5, 5, 3), (4, 3, 3, 3), (1, 5, 5, 4)) == 112
    assert conv.arm_convolve_wrapper_s8_get_buffer_size_mve(p3, (1, 5, 5, 3), (4, 3, 3, 3), (1, 5, 5, 4)) == 128
    # Grouped: sized from the input channels, as CMSIS-NN does.
    assert conv.arm_convolve_s8_get_buffer_size((1, 5, 5, 6), (6, 3, 3, 2)) == 2 * 56 * 2
    # 1x1: no scratch in any build (GCC).
    p1 = ConvParams(0, 0)
    for fn in (
        conv.arm_convolve_wrapper_s8_get_buffer_size,
        conv.arm_convolve_wrapper_s8_get_buffer_size_dsp,
        conv.arm_convolve_wrapper_s8_get_buffer_size_mve,
    ):
        assert fn(p1, (1, 4, 4, 8), (3, 1, 1, 8), (1, 4, 4, 3)) == 0
        assert fn(ConvParams(0, 0, stride=Tile(2, 2)), (1, 4, 4, 8), (3, 1, 1, 8), (1, 2, 2, 3)) == 0
    assert conv.arm_convolve_1x1_s8_fast_get_buffer_size((1, 4, 4, 8)) == 0
    # 1xN: the im2col size; MVE: the widest padded filter window (kw*C + pad*C = 3*4 + 1*4).
    pn = ConvParams(0, 0, padding=Tile(1, 0))
    assert conv.arm_convolve_1_x_n_s8_get_buffer_size(pn, (1, 1, 8, 4), (3, 1, 3, 4), (1, 1, 8, 3)) == 48
    assert conv.arm_convolve_wrapper_s8_get_buffer_size(pn, (1, 1, 8, 4), (3, 1, 3, 4), (1, 1, 8, 3)) == 48
    assert conv.arm_convolve_wrapper_s8_get_buffer_size_mve(pn, (1, 1, 8, 4), (3, 1, 3, 4), (1, 1, 8, 3)) == 16
    # Unpadded 1xN in MVE: just the filter window.
    assert conv.arm_convolve_wrapper_s8_get_buffer_size_mve(p1, (1, 1, 8, 4), (3, 1, 3, 4), (1, 1, 6, 3)) == 12


# -------------------------------------------------------------- validation

GOOD_X = np.zeros((1, 5, 5, 4), dtype=np.int8)
GOOD_W = np.ones((3, 3, 3, 4), dtype=np.int8)
GOOD_B = np.zeros(3, dtype=np.int32)
GOOD_Q = PerChannelQuant((2**30,) * 3, (-1,) * 3)
GOOD_P = ConvParams(1, -2, padding=Tile(1, 1))
GOOD_OUT = (1, 5, 5, 3)


def _args(**over: Any) -> dict[str, Any]:
    base = dict(conv_params=GOOD_P, quant_params=GOOD_Q, input=GOOD_X, filter=GOOD_W, bias=GOOD_B, output_shape=GOOD_OUT)
    base.update(over)
    return base


BAD = [
    ("input dtype", dict(input=GOOD_X.astype(np.int16)), "input"),
    ("input ndim", dict(input=GOOD_X[0]), "input"),
    ("input list", dict(input=GOOD_X.tolist()), "input"),
    ("filter dtype", dict(filter=GOOD_W.astype(np.uint8)), "filter"),
    ("filter ndim", dict(filter=GOOD_W[0]), "filter"),
    ("groups do not divide input", dict(filter=np.ones((3, 3, 3, 3), np.int8)), "filter"),
    ("groups do not divide output", dict(filter=np.ones((3, 3, 3, 2), np.int8)), "filter"),
    ("bias length", dict(bias=np.zeros(4, np.int32)), "bias"),
    ("bias dtype", dict(bias=np.zeros(3, np.int64)), "bias"),
    ("input offset", dict(conv_params=replace(GOOD_P, input_offset=129)), "input_offset"),
    ("output offset", dict(conv_params=replace(GOOD_P, output_offset=128)), "output_offset"),
    ("activation order", dict(conv_params=replace(GOOD_P, activation=Activation(10, -10))), "activation"),
    ("activation range", dict(conv_params=replace(GOOD_P, activation=Activation(-129, 0))), "activation"),
    ("zero stride", dict(conv_params=replace(GOOD_P, stride=Tile(0, 1))), "stride"),
    ("zero dilation", dict(conv_params=replace(GOOD_P, dilation=Tile(1, 0))), "dilation"),
    ("negative padding", dict(conv_params=replace(GOOD_P, padding=Tile(-1, 1))), "padding"),
    ("params type", dict(conv_params=GOOD_Q), "conv_params"),
    ("multiplier count", dict(quant_params=PerChannelQuant((2**30,) * 2, (-1,) * 2)), "quant_params"),
    ("shift range", dict(quant_params=PerChannelQuant((2**30,) * 3, (-1, 31, -1))), "shift"),
    ("multiplier range", dict(quant_params=PerChannelQuant((2**30, -5, 2**30), (-1,) * 3)), "multiplier"),
    ("output batch", dict(output_shape=(2, 5, 5, 3)), "output_shape"),
    ("output channels", dict(output_shape=(1, 5, 5, 4)), "output_shape"),
    ("output height", dict(output_shape=(1, 7, 5, 3)), "output_shape"),
    ("output rank", dict(output_shape=(5, 5, 3)), "output_shape"),
]


@pytest.mark.parametrize("fn", ["arm_convolve_wrapper_s8", "arm_convolve_s8"])
@pytest.mark.parametrize("what, over, word", BAD, ids=[b[0] for b in BAD])
def test_bad_arguments(fn: str, what: str, over: dict, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        getattr(conv, fn)(**_args(**over))


def test_good_arguments_run() -> None:
    for fn in ("arm_convolve_wrapper_s8", "arm_convolve_s8"):
        assert getattr(conv, fn)(**_args()).shape == GOOD_OUT


def test_specialised_kernels_reject_other_layers() -> None:
    q = PerChannelQuant((2**30,) * 3, (-1,) * 3)
    x = np.zeros((1, 4, 4, 4), np.int8)
    w1 = np.ones((3, 1, 1, 4), np.int8)
    with pytest.raises(ValueError, match="filter"):
        conv.arm_convolve_1x1_s8(GOOD_P, GOOD_Q, GOOD_X, GOOD_W, None, GOOD_OUT)
    with pytest.raises(ValueError, match="padding"):
        conv.arm_convolve_1x1_s8(ConvParams(0, 0, padding=Tile(1, 1)), q, x, w1, None, (1, 6, 6, 3))
    with pytest.raises(ValueError, match="stride"):
        conv.arm_convolve_1x1_s8_fast(ConvParams(0, 0, stride=Tile(2, 2)), q, x, w1, None, (1, 2, 2, 3))
    with pytest.raises(ValueError, match="grouped"):
        q2 = PerChannelQuant((2**30,) * 2, (-1,) * 2)
        conv.arm_convolve_1x1_s8(ConvParams(0, 0), q2, x, np.ones((2, 1, 1, 2), np.int8), None, (1, 4, 4, 2))
    with pytest.raises(ValueError, match="output_shape"):
        conv.arm_convolve_1x1_s8(ConvParams(0, 0, stride=Tile(2, 2)), q, x, w1, None, (1, 3, 3, 3))
    with pytest.raises(ValueError, match="input"):
        conv.arm_convolve_1_x_n_s8(GOOD_P, GOOD_Q, GOOD_X, GOOD_W, None, GOOD_OUT)
    with pytest.raises(ValueError, match="dilation"):
        xr = np.zeros((1, 1, 9, 4), np.int8)
        conv.arm_convolve_1_x_n_s8(ConvParams(0, 0, dilation=Tile(2, 1)), q, xr, np.ones((3, 1, 3, 4), np.int8), None, (1, 1, 5, 3))
    with pytest.raises(ValueError, match="upscale_dims"):
        conv.arm_convolve_s8(GOOD_P, GOOD_Q, GOOD_X, GOOD_W, None, GOOD_OUT, upscale_dims=Tile(0, 1))


def _c_call(fn: Any, params: ConvParams, x: np.ndarray, w: np.ndarray, out_shape: tuple, buf: bool = True, upscale: bool = False) -> int:
    """Call a C conv kernel directly (bypassing Python validation) and return its status."""
    out = np.zeros(out_shape, np.int8)
    mult = np.full(out_shape[3], 2**30, np.int32)
    shift = np.full(out_shape[3], -1, np.int32)
    ctx, _keep = context(4096)
    if not buf:
        ctx = ffi.new("cmsis_nn_context *", {"buf": ffi.NULL, "size": 0})
    args = [ctx, c_conv_params(params), c_per_channel(mult, shift), dims(x.shape), ptr(x, "int8_t"), dims(w.shape), ptr(w, "int8_t"), dims((1, 1, 1, w.shape[0])), ffi.NULL]
    if fn is lib.arm_convolve_s8:
        args.append(ffi.new("cmsis_nn_dims *", {"n": 0, "h": 0, "w": 1, "c": 0}) if upscale else ffi.NULL)
    return int(fn(*args, dims(out_shape), ptr(out, "int8_t")))


def test_c_kernels_return_arg_error() -> None:
    require_our_kernels("statuses of layers outside the API's contract")
    x = np.zeros((1, 4, 4, 4), np.int8)
    w1 = np.ones((3, 1, 1, 4), np.int8)
    w3 = np.ones((3, 3, 3, 4), np.int8)
    err, ok = -1, 0
    assert _c_call(lib.arm_convolve_1x1_s8_fast, ConvParams(0, 0), x, w1, (1, 4, 4, 3)) == ok
    assert _c_call(lib.arm_convolve_1x1_s8_fast, ConvParams(0, 0, stride=Tile(2, 2)), x, w1, (1, 2, 2, 3)) == err
    assert _c_call(lib.arm_convolve_1x1_s8_fast, ConvParams(0, 0, padding=Tile(1, 0)), x, w1, (1, 4, 6, 3)) == err
    assert _c_call(lib.arm_convolve_1x1_s8, ConvParams(0, 0, padding=Tile(1, 0)), x, w1, (1, 4, 6, 3)) == err
    assert _c_call(lib.arm_convolve_1x1_s8, ConvParams(0, 0), x, w3, (1, 2, 2, 3)) == err
    assert _c_call(lib.arm_convolve_1x1_s8, ConvParams(0, 0, stride=Tile(2, 2)), x, w1, (1, 3, 3, 3)) == err  # reads past the input
    assert _c_call(lib.arm_convolve_1_x_n_s8, ConvParams(0, 0), x, w3, (1, 2, 2, 3)) == err  # input height 4
    assert _c_call(lib.arm_convolve_s8, ConvParams(0, 0), x, w3, (1, 2, 2, 3), buf=False) == err
    assert _c_call(lib.arm_convolve_1_x_n_s8, ConvParams(0, 0), x[:, :1], np.ones((3, 1, 3, 4), np.int8), (1, 1, 2, 3), buf=False) == err
    assert _c_call(lib.arm_convolve_wrapper_s8, ConvParams(0, 0), x, w3, (1, 2, 2, 3), buf=False) == err
    assert _c_call(lib.arm_convolve_s8, ConvParams(0, 0), x, np.ones((3, 3, 3, 3), np.int8), (1, 2, 2, 3)) == err  # 4 % 3
    assert _c_call(lib.arm_convolve_s8, ConvParams(0, 0), x, np.ones((3, 3, 3, 2), np.int8), (1, 2, 2, 3)) == err  # 3 % 2 groups
    assert _c_call(lib.arm_convolve_s8, ConvParams(0, 0), x, w3, (1, 2, 2, 3), upscale=True) == err  # factor 0
