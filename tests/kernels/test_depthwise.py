"""Depthwise convolution kernels against TFLite Micro (and a numpy reference).

Each configuration converts a one-layer Keras DepthwiseConv2D to an int8
TFLite model, runs it in TFLite Micro, and runs the same layer through
``arm_depthwise_conv_wrapper_s8`` with every parameter derived from the model
by ``pycmsisnn.quant``. The outputs must be identical; so must those of the
kernel the wrapper dispatches to and of the generic kernel.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pycmsisnn import quant
from pycmsisnn.kernels import depthwise as dw
from pycmsisnn.kernels._base import dims, ffi, lib
from pycmsisnn.params import Activation, DwConvParams, PerChannelQuant, Tile
from tests.support.library import require_our_kernels
from tests.support.model_view import OpView, single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

ZP_LOW = (0.0, 4.0)  # input zero point -128
ZP_HIGH = (-4.0, 0.0)  # input zero point 127
ZP_MID = (-1.0, 3.0)
SYM = (-1.0, 1.0)

G3, OPT, GEN = "arm_depthwise_conv_3x3_s8", "arm_depthwise_conv_s8_opt", "arm_depthwise_conv_s8"


@dataclass(frozen=True)
class Case:
    shape: tuple[int, int, int, int]  # NHWC input
    kernel: tuple[int, int]  # (KH, KW)
    stride: tuple[int, int] = (1, 1)  # (h, w)
    padding: str = "same"
    mult: int = 1
    dilation: tuple[int, int] = (1, 1)
    act: str | None = None  # None, "relu", "relu6"
    input_range: tuple[float, float] = SYM
    variant: str = G3  # the kernel the wrapper must pick
    seed: int = 0

    @property
    def key(self) -> str:
        return (
            f"dw|in{self.shape}|k{self.kernel}|s{self.stride}|{self.padding}|m{self.mult}|d{self.dilation}"
            f"|act={self.act}|range={self.input_range}"
        )

    def __str__(self) -> str:
        n, h, w, c = self.shape
        return (
            f"{n}x{h}x{w}x{c}-k{self.kernel[0]}x{self.kernel[1]}-s{self.stride[0]}{self.stride[1]}-{self.padding}"
            f"-m{self.mult}-d{self.dilation[0]}{self.dilation[1]}-{self.act}"
            f"-r{self.input_range[0]:g}_{self.input_range[1]:g}"
        )


def _cases() -> list[Case]:
    acts = [None, "relu", "relu6"]
    ranges = [SYM, ZP_LOW, ZP_HIGH, ZP_MID]
    out: list[Case] = []
    # 3x3, padding <= 1, ch_mult 1, batch 1 -> the 3x3 kernel. Even and odd
    # sizes give SAME padding 1 or 0 (+1 after) at stride 2.
    spatial = [(5, 5), (6, 4), (4, 7), (7, 6), (3, 5)]
    i = 0
    for c in (1, 3, 5, 8, 12):
        for padding in ("same", "valid"):
            for s in (1, 2):
                h, w = spatial[i % len(spatial)]
                act, rng = acts[i % 3], ranges[i % 4]
                out.append(Case((1, h, w, c), (3, 3), (s, s), padding, act=act, input_range=rng, variant=G3))
                i += 1
    # Other filters with ch_mult 1, batch 1 -> _opt.
    opt = [
        Case((1, 6, 6, 3), (5, 5), (1, 1), "same"),
        Case((1, 7, 6, 8), (5, 5), (2, 2), "same", act="relu", input_range=ZP_LOW),
        Case((1, 6, 7, 5), (5, 5), (1, 1), "valid", act="relu6", input_range=ZP_HIGH),
        Case((1, 8, 8, 12), (5, 5), (2, 1), "same", input_range=ZP_MID),
        Case((1, 6, 5, 3), (3, 1), (1, 1), "same", act="relu"),
        Case((1, 6, 5, 5), (1, 3), (1, 1), "same", input_range=ZP_LOW),
        Case((1, 5, 6, 8), (3, 1), (2, 1), "valid", act="relu6", input_range=ZP_HIGH),
        Case((1, 5, 6, 1), (1, 3), (1, 2), "valid", input_range=ZP_MID),
        Case((1, 6, 6, 4), (2, 2), (1, 1), "same", act="relu"),
        Case((1, 7, 7, 3), (2, 2), (2, 2), "valid", input_range=ZP_LOW),
        Case((1, 9, 8, 5), (7, 7), (1, 1), "same", act="relu6"),
        Case((1, 9, 9, 2), (4, 3), (2, 2), "same", input_range=ZP_HIGH),
        Case((1, 4, 5, 12), (1, 1), (1, 1), "valid", act="relu", input_range=ZP_MID),
        Case((1, 5, 5, 1), (5, 5), (1, 1), "same", input_range=ZP_LOW),
    ]
    out += [replace(k, variant=OPT) for k in opt]
    # ch_mult > 1, dilation, batch > 1 -> generic.
    gen = [
        Case((1, 5, 5, 3), (3, 3), (1, 1), "same", mult=2),
        Case((1, 6, 6, 1), (3, 3), (2, 2), "same", mult=3, act="relu", input_range=ZP_LOW),
        Case((1, 6, 5, 5), (3, 3), (1, 1), "valid", mult=2, act="relu6", input_range=ZP_HIGH),
        Case((1, 7, 7, 4), (5, 5), (2, 2), "same", mult=3, input_range=ZP_MID),
        Case((1, 5, 6, 3), (1, 3), (1, 1), "same", mult=2, act="relu"),
        Case((1, 6, 4, 2), (3, 1), (2, 1), "valid", mult=3, input_range=ZP_LOW),
        Case((1, 7, 7, 3), (3, 3), (1, 1), "same", dilation=(2, 2)),
        Case((1, 8, 7, 5), (3, 3), (1, 1), "valid", dilation=(2, 2), act="relu", input_range=ZP_HIGH),
        Case((1, 8, 8, 4), (2, 2), (1, 1), "same", dilation=(2, 2), act="relu6", input_range=ZP_MID),
        Case((1, 9, 7, 3), (3, 3), (1, 1), "same", dilation=(2, 1), input_range=ZP_LOW),
        Case((1, 7, 9, 2), (3, 3), (1, 1), "same", mult=2, dilation=(1, 2)),
        Case((2, 5, 5, 3), (3, 3), (1, 1), "same", act="relu"),
        Case((2, 6, 6, 8), (3, 3), (2, 2), "same", input_range=ZP_LOW),
        Case((2, 6, 5, 5), (5, 5), (1, 1), "same", act="relu6", input_range=ZP_HIGH),
        Case((2, 5, 6, 3), (3, 3), (1, 1), "valid", mult=2, input_range=ZP_MID),
        Case((2, 7, 7, 1), (3, 3), (1, 1), "same", dilation=(2, 2), input_range=ZP_LOW),
    ]
    out += [replace(k, variant=GEN) for k in gen]
    return out


CASES = _cases()


def _make(case: Case) -> Callable[[list[Any]], Any]:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        act = {None: None, "relu": "relu", "relu6": "relu6"}[case.act]
        return layers.DepthwiseConv2D(
            kernel_size=case.kernel,
            strides=case.stride,
            padding=case.padding,
            depth_multiplier=case.mult,
            dilation_rate=case.dilation,
            activation=act,
            use_bias=True,
            bias_initializer=random_bias_initializer(),
        )(inputs[0])

    return make


@dataclass(frozen=True)
class Layer:
    params: DwConvParams
    quant: PerChannelQuant
    filter: np.ndarray
    bias: np.ndarray
    output_shape: tuple[int, ...]


def derive(op: OpView) -> Layer:
    """Every kernel parameter from the converted DEPTHWISE_CONV_2D, via pycmsisnn.quant."""
    inp, flt, bias = op.inputs[0], op.inputs[1], op.inputs[2]
    out = op.outputs[0]
    o = op.options
    assert inp is not None and flt is not None and bias is not None and flt.data is not None and bias.data is not None
    stride = Tile(o.strideW, o.strideH)
    dilation = Tile(o.dilationWFactor, o.dilationHFactor)
    pad, _offsets, (oh, ow) = quant.conv_padding(o.padding, inp.shape[1:3], flt.shape[1:3], stride, dilation)
    assert (oh, ow) == tuple(out.shape[1:3])
    params = DwConvParams(
        input_offset=quant.input_offset(inp.zero_point),
        output_offset=quant.output_offset(out.zero_point),
        ch_mult=flt.shape[3] // inp.shape[3],
        stride=stride,
        padding=pad,
        dilation=dilation,
        activation=quant.activation_range(o.fusedActivationFunction, out.scale, out.zero_point),
    )
    qp = quant.per_channel_multipliers(inp.scale, flt.scales, out.scale, flt.shape[3])
    return Layer(params, qp, flt.data, bias.data, tuple(out.shape))


def _input(case: Case) -> np.ndarray:
    return np.random.default_rng(1000 + case.seed).integers(-128, 128, size=case.shape, dtype=np.int8)


SPECIFIC = {G3: dw.arm_depthwise_conv_3x3_s8, OPT: dw.arm_depthwise_conv_s8_opt, GEN: dw.arm_depthwise_conv_s8}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_matches_tflm(case: Case) -> None:
    model = build_model(case.key, _make(case), [case.shape], seed=case.seed, input_range=case.input_range)
    layer = derive(single_op(model, "DEPTHWISE_CONV_2D"))
    x = _input(case)
    expected = run_tflm(model, [x])[0]

    variant = dw.arm_depthwise_conv_wrapper_s8_variant(layer.params, x.shape, layer.filter.shape, layer.output_shape)
    assert variant == case.variant
    got = dw.arm_depthwise_conv_wrapper_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    # The kernel the wrapper picked, called directly, and the generic kernel agree.
    direct = SPECIFIC[variant](layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(direct, expected)
    generic = dw.arm_depthwise_conv_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(generic, expected)
    # An independent numpy model of the same arithmetic agrees too.
    ref = reference(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(ref, expected)


def test_sweep_covers_the_brief() -> None:
    """Enough configurations, and every kernel, zero point end and activation reached."""
    assert len(CASES) >= 50
    assert {c.variant for c in CASES} == {G3, OPT, GEN}
    assert {c.shape[3] for c in CASES} >= {1, 3, 5, 8, 12}
    assert {c.act for c in CASES} == {None, "relu", "relu6"}
    assert {ZP_LOW, ZP_HIGH} <= {c.input_range for c in CASES}
    assert {c.mult for c in CASES} >= {2, 3}


def test_zero_points_reach_both_ends() -> None:
    for rng, zp in ((ZP_LOW, -128), (ZP_HIGH, 127)):
        case = next(c for c in CASES if c.input_range == rng)
        model = build_model(case.key, _make(case), [case.shape], seed=case.seed, input_range=case.input_range)
        assert single_op(model, "DEPTHWISE_CONV_2D").inputs[0].zero_point == zp  # type: ignore[union-attr]


# ------------------------------------------------------------ numpy reference


def _requantize(acc: np.ndarray, mult: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """TFLite's MultiplyByQuantizedMultiplier, elementwise over the last axis."""
    acc = acc.astype(np.int64)
    left = np.maximum(shift, 0).astype(np.int64)
    right = np.maximum(-shift, 0).astype(np.int64)
    x = acc << left
    high = (x * mult.astype(np.int64) + (1 << 30)) >> 31  # rounding doubling high multiply
    mask = (np.int64(1) << right) - 1
    remainder = high & mask
    threshold = (mask >> 1) + (high < 0)
    return (high >> right) + (remainder > threshold)


def reference(
    p: DwConvParams,
    q: PerChannelQuant,
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None,
    output_shape: tuple[int, ...],
) -> np.ndarray:
    """Depthwise convolution written from its definition, independent of the C."""
    n, in_h, in_w, in_c = x.shape
    _, kh, kw, c_out = w.shape
    _, oh, ow, _ = output_shape
    acc = np.zeros((n, oh, ow, c_out), dtype=np.int64)
    if bias is not None:
        acc += bias.astype(np.int64)
    xs = np.repeat(x.astype(np.int64) + p.input_offset, p.ch_mult, axis=3)  # channel ic*mult+m reads ic
    for oy in range(oh):
        for ox in range(ow):
            for ky in range(kh):
                for kx in range(kw):
                    iy = oy * p.stride.h - p.padding.h + ky * p.dilation.h
                    ix = ox * p.stride.w - p.padding.w + kx * p.dilation.w
                    if 0 <= iy < in_h and 0 <= ix < in_w:
                        acc[:, oy, ox, :] += xs[:, iy, ix, :] * w[0, ky, kx, :].astype(np.int64)
    out = _requantize(acc, np.asarray(q.multiplier), np.asarray(q.shift)) + p.output_offset
    return np.clip(out, p.activation.min, p.activation.max).astype(np.int8)


def _random_layer(rng: np.random.Generator, c_out: int) -> tuple[PerChannelQuant, np.ndarray]:
    mult = tuple(int(m) for m in rng.integers(1 << 30, 1 << 31, size=c_out))
    shift = tuple(int(s) for s in rng.integers(-10, -6, size=c_out))
    return PerChannelQuant(mult, shift), rng.integers(-20_000, 20_000, size=c_out, dtype=np.int32)


@pytest.mark.parametrize(
    "shape,kernel,params,variant",
    [
        # A 3x3 filter with padding 2 is beyond the 3x3 kernel: the wrapper uses _opt.
        ((1, 5, 4, 3), (3, 3), DwConvParams(5, -3, padding=Tile(2, 2)), OPT),
        ((1, 5, 4, 3), (3, 3), DwConvParams(5, -3, padding=Tile(1, 2), stride=Tile(2, 1)), OPT),
        ((1, 6, 6, 4), (3, 3), DwConvParams(-7, 9, padding=Tile(1, 0), stride=Tile(1, 2)), G3),
        ((1, 1, 1, 3), (3, 3), DwConvParams(0, 0, padding=Tile(1, 1)), G3),  # only the centre tap is inside
        ((1, 1, 5, 2), (3, 3), DwConvParams(1, 0, padding=Tile(1, 1), activation=Activation(-20, 30)), G3),
        ((1, 4, 4, 2), (3, 3), DwConvParams(128, -128, ch_mult=2, padding=Tile(1, 1)), GEN),
        ((1, 5, 5, 3), (2, 3), DwConvParams(-127, 127, padding=Tile(1, 1), dilation=Tile(2, 1)), GEN),
    ],
)
def test_against_numpy_reference(
    shape: tuple[int, int, int, int], kernel: tuple[int, int], params: DwConvParams, variant: str
) -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    c_out = shape[3] * params.ch_mult
    w = rng.integers(-128, 128, size=(1, *kernel, c_out), dtype=np.int8)
    q, bias = _random_layer(rng, c_out)
    out_shape = (shape[0], *_output_hw(shape, kernel, params), c_out)
    assert dw.arm_depthwise_conv_wrapper_s8_variant(params, shape, w.shape, out_shape) == variant
    for b in (bias, None):
        want = reference(params, q, x, w, b, out_shape)
        np.testing.assert_array_equal(dw.arm_depthwise_conv_wrapper_s8(params, q, x, w, b, out_shape), want)
        np.testing.assert_array_equal(SPECIFIC[variant](params, q, x, w, b, out_shape), want)
        np.testing.assert_array_equal(dw.arm_depthwise_conv_s8(params, q, x, w, b, out_shape), want)


def _output_hw(shape: tuple[int, ...], kernel: tuple[int, int], p: DwConvParams) -> tuple[int, int]:
    """Output (h, w) with padding p.padding on both sides."""
    eff_h = (kernel[0] - 1) * p.dilation.h + 1
    eff_w = (kernel[1] - 1) * p.dilation.w + 1
    oh = (shape[1] + 2 * p.padding.h - eff_h) // p.stride.h + 1
    ow = (shape[2] + 2 * p.padding.w - eff_w) // p.stride.w + 1
    return oh, ow


# ---------------------------------------------------------------- buffer sizes


def _conv_mve_size(p: DwConvParams, i: tuple[int, ...], f: tuple[int, ...], o: tuple[int, ...]) -> int:
    conv = ffi.new(
        "cmsis_nn_conv_params *",
        {
            "input_offset": p.input_offset,
            "output_offset": p.output_offset,
            "stride": {"w": p.stride.w, "h": p.stride.h},
            "padding": {"w": p.padding.w, "h": p.padding.h},
            "dilation": {"w": p.dilation.w, "h": p.dilation.h},
            "activation": {"min": p.activation.min, "max": p.activation.max},
        },
    )
    conv_filter = (f[3], f[1], f[2], f[0])
    return int(lib.arm_convolve_wrapper_s8_get_buffer_size_mve(conv, dims(i), dims(conv_filter), dims(o)))


@pytest.mark.parametrize(
    "p,i,f,o,dsp,mve",
    [
        # 3x3 with padding <= 1: no scratch on DSP (3x3 kernel), _opt's on MVE.
        (DwConvParams(0, 0, padding=Tile(1, 1)), (1, 5, 5, 8), (1, 3, 3, 8), (1, 5, 5, 8), 0, 4 * 124 * 9),
        # _opt layers: C_IN * KH * KW int16 on DSP, 4 * 124 * KH * KW on MVE.
        (DwConvParams(0, 0, padding=Tile(2, 2)), (1, 6, 6, 8), (1, 5, 5, 8), (1, 6, 6, 8), 8 * 25 * 2, 4 * 124 * 25),
        (DwConvParams(0, 0, padding=Tile(2, 1)), (1, 6, 6, 12), (1, 3, 3, 12), (1, 8, 6, 12), 12 * 9 * 2, 4 * 124 * 9),
        (DwConvParams(0, 0), (1, 6, 6, 5), (1, 3, 1, 5), (1, 4, 6, 5), 5 * 3 * 2, 4 * 124 * 3),
        # Generic layers need nothing.
        (DwConvParams(0, 0, ch_mult=2), (1, 5, 5, 3), (1, 3, 3, 6), (1, 3, 3, 6), 0, 0),
        (DwConvParams(0, 0, dilation=Tile(2, 2)), (1, 7, 7, 3), (1, 3, 3, 3), (1, 3, 3, 3), 0, 0),
        (DwConvParams(0, 0), (2, 5, 5, 3), (1, 5, 5, 3), (2, 1, 1, 3), 0, 0),
    ],
)
def test_buffer_sizes(
    p: DwConvParams, i: tuple[int, ...], f: tuple[int, ...], o: tuple[int, ...], dsp: int, mve: int
) -> None:
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size(p, i, f, o) == 0  # portable build
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(p, i, f, o) == dsp
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(p, i, f, o) == mve
    assert dw.arm_depthwise_conv_s8_opt_get_buffer_size(i, f) == 0
    assert dw.arm_depthwise_conv_s8_opt_get_buffer_size_dsp(i, f) == i[3] * f[1] * f[2] * 2
    assert dw.arm_depthwise_conv_s8_opt_get_buffer_size_mve(i, f) == 4 * 124 * f[1] * f[2]


def test_mve_buffer_size_one_input_channel() -> None:
    """On MVE, one input channel and several output channels run as a conv:
    the conv wrapper's scratch plus the rearranged filter."""
    p = DwConvParams(3, 1, ch_mult=4, padding=Tile(1, 1))
    i, f, o = (1, 6, 6, 1), (1, 3, 3, 4), (1, 6, 6, 4)
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(p, i, f, o) == _conv_mve_size(p, i, f, o) + 4 * 9
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(p, i, f, o) == 0
    # ch_mult 1 with one channel: only _opt's block-sized scratch.
    p1 = DwConvParams(3, 1, padding=Tile(2, 2))
    assert dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(p1, i, (1, 5, 5, 1), (1, 6, 6, 1)) == 4 * 124 * 25


# --------------------------------------------------------------- validation


def _good() -> dict[str, Any]:
    rng = np.random.default_rng(3)
    return {
        "dw_conv_params": DwConvParams(5, -3, ch_mult=2, padding=Tile(1, 1)),
        "quant_params": PerChannelQuant((1 << 30,) * 6, (-8,) * 6),
        "input": rng.integers(-128, 128, size=(1, 5, 5, 3), dtype=np.int8),
        "filter": rng.integers(-128, 128, size=(1, 3, 3, 6), dtype=np.int8),
        "bias": np.arange(6, dtype=np.int32),
        "output_shape": (1, 5, 5, 6),
    }


def _params(**kw: Any) -> DwConvParams:
    return replace(_good()["dw_conv_params"], **kw)


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("input dtype", {"input": np.zeros((1, 5, 5, 3), np.int16)}, "input"),
    ("input not an array", {"input": [[1, 2]]}, "input"),
    ("input ndim", {"input": np.zeros((5, 5, 3), np.int8)}, "input"),
    ("filter dtype", {"filter": np.zeros((1, 3, 3, 6), np.uint8)}, "filter"),
    ("filter ndim", {"filter": np.zeros((3, 3, 6), np.int8)}, "filter"),
    ("filter first dim", {"filter": np.zeros((2, 3, 3, 6), np.int8)}, "filter"),
    ("filter channels", {"filter": np.zeros((1, 3, 3, 5), np.int8)}, "filter"),
    ("bias dtype", {"bias": np.zeros(6, np.int64)}, "bias"),
    ("bias length", {"bias": np.zeros(5, np.int32)}, "bias"),
    ("bias ndim", {"bias": np.zeros((1, 6), np.int32)}, "bias"),
    ("output batch", {"output_shape": (2, 5, 5, 6)}, "output_shape[0]"),
    ("output channels", {"output_shape": (1, 5, 5, 3)}, "output_shape[3]"),
    ("output height", {"output_shape": (1, 4, 5, 6)}, "output_shape[1]"),
    ("output width", {"output_shape": (1, 5, 7, 6)}, "output_shape[2]"),
    ("output rank", {"output_shape": (5, 5, 6)}, "output_shape"),
    ("output zero dim", {"output_shape": (1, 0, 5, 6)}, "output_shape[1]"),
    ("params type", {"dw_conv_params": object()}, "dw_conv_params"),
    ("input offset high", {"dw_conv_params": _params(input_offset=129)}, "input_offset"),
    ("input offset low", {"dw_conv_params": _params(input_offset=-128)}, "input_offset"),
    ("output offset", {"dw_conv_params": _params(output_offset=128)}, "output_offset"),
    ("activation order", {"dw_conv_params": _params(activation=Activation(10, -10))}, "activation"),
    ("activation range", {"dw_conv_params": _params(activation=Activation(-129, 0))}, "activation.min"),
    ("ch_mult zero", {"dw_conv_params": _params(ch_mult=0)}, "ch_mult"),
    ("ch_mult mismatch", {"dw_conv_params": _params(ch_mult=3)}, "filter"),
    ("stride zero", {"dw_conv_params": _params(stride=Tile(0, 1))}, "stride.w"),
    ("padding negative", {"dw_conv_params": _params(padding=Tile(1, -1))}, "padding.h"),
    ("padding too big", {"dw_conv_params": _params(padding=Tile(3, 1))}, "padding.w"),
    ("dilation zero", {"dw_conv_params": _params(dilation=Tile(1, 0))}, "dilation.h"),
    ("stride float", {"dw_conv_params": _params(stride=Tile(1.0, 1))}, "stride.w"),
    ("quant type", {"quant_params": (1 << 30, -8)}, "quant_params"),
    ("quant count", {"quant_params": PerChannelQuant((1 << 30,) * 3, (-8,) * 3)}, "quant_params"),
    ("shift range", {"quant_params": PerChannelQuant((1 << 30,) * 6, (-8,) * 5 + (31,))}, "shift[5]"),
    ("multiplier range", {"quant_params": PerChannelQuant((-1,) + (1 << 30,) * 5, (-8,) * 6)}, "multiplier[0]"),
]

KERNELS = [dw.arm_depthwise_conv_wrapper_s8, dw.arm_depthwise_conv_s8]


@pytest.mark.parametrize("fn", KERNELS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("what,change,names", BAD, ids=[b[0] for b in BAD])
def test_rejects_bad_arguments(fn: Callable[..., Any], what: str, change: dict[str, Any], names: str) -> None:
    args = {**_good(), **change}
    with pytest.raises(ValueError, match=names.replace("[", r"\[").replace("]", r"\]")) as err:
        fn(**args)
    assert fn.__name__ in str(err.value)


def test_good_arguments_pass() -> None:
    for fn in KERNELS:
        assert fn(**_good()).shape == (1, 5, 5, 6)


def _ch1(**kw: Any) -> dict[str, Any]:
    g = _good()
    g["dw_conv_params"] = replace(g["dw_conv_params"], ch_mult=1)
    g["filter"] = g["filter"][..., :3].copy()
    g["bias"] = g["bias"][:3].copy()
    g["quant_params"] = PerChannelQuant((1 << 30,) * 3, (-8,) * 3)
    g["output_shape"] = (1, 5, 5, 3)
    g.update(kw)
    return g


@pytest.mark.parametrize("fn", [dw.arm_depthwise_conv_s8_opt, dw.arm_depthwise_conv_3x3_s8], ids=lambda f: f.__name__)
def test_specialised_kernels_reject_ch_mult(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="ch_mult"):
        fn(**_good())


def test_specialised_kernels_reject_other_layers() -> None:
    g = _ch1()
    x2 = np.concatenate([g["input"], g["input"]])
    for fn in (dw.arm_depthwise_conv_s8_opt, dw.arm_depthwise_conv_3x3_s8):
        with pytest.raises(ValueError, match="batch 1"):
            fn(**{**g, "input": x2, "output_shape": (2, 5, 5, 3)})
        with pytest.raises(ValueError, match="dilation"):
            fn(**{**g, "dw_conv_params": replace(g["dw_conv_params"], dilation=Tile(2, 2), padding=Tile(2, 2))})
    with pytest.raises(ValueError, match="3x3"):
        dw.arm_depthwise_conv_3x3_s8(**{**g, "filter": np.zeros((1, 5, 5, 3), np.int8)})
    with pytest.raises(ValueError, match="padding"):
        pad2 = replace(g["dw_conv_params"], padding=Tile(2, 2))
        dw.arm_depthwise_conv_3x3_s8(**{**g, "dw_conv_params": pad2, "output_shape": (1, 7, 7, 3)})
    # The same layers are fine for the generic kernel and the wrapper.
    assert dw.arm_depthwise_conv_s8(**{**g, "input": x2, "output_shape": (2, 5, 5, 3)}).shape == (2, 5, 5, 3)
    assert dw.arm_depthwise_conv_s8_opt(**g).shape == (1, 5, 5, 3)


def _c_call(name: str, p: DwConvParams, i: tuple[int, ...], f: tuple[int, ...], o: tuple[int, ...]) -> int:
    """Call a C kernel directly (no Python validation) on zero data."""
    x = np.zeros(i, np.int8)
    w = np.zeros(f, np.int8)
    out = np.zeros(o, np.int8)
    c_out = o[3]
    mult = np.full(c_out, 1 << 30, np.int32)
    shift = np.full(c_out, -1, np.int32)
    from pycmsisnn.kernels._base import c_dw_conv_params, c_per_channel, context, ptr

    ctx, _buf = context(0)
    return int(
        getattr(lib, name)(
            ctx,
            c_dw_conv_params(p),
            c_per_channel(mult, shift),
            dims(i),
            ptr(x, "int8_t"),
            dims(f),
            ptr(w, "int8_t"),
            dims((1, 1, 1, c_out)),
            ffi.NULL,
            dims(o),
            ptr(out, "int8_t"),
        )
    )


@pytest.mark.parametrize(
    "name,p,i,f,o",
    [
        (G3, DwConvParams(0, 0, padding=Tile(2, 2)), (1, 5, 5, 3), (1, 3, 3, 3), (1, 7, 7, 3)),
        (G3, DwConvParams(0, 0, padding=Tile(1, 1)), (1, 5, 5, 3), (1, 5, 5, 3), (1, 5, 5, 3)),
        (G3, DwConvParams(0, 0, ch_mult=2, padding=Tile(1, 1)), (1, 5, 5, 3), (1, 3, 3, 6), (1, 5, 5, 6)),
        (G3, DwConvParams(0, 0, padding=Tile(1, 1)), (2, 5, 5, 3), (1, 3, 3, 3), (2, 5, 5, 3)),
        (G3, DwConvParams(0, 0, padding=Tile(1, 1), stride=Tile(0, 1)), (1, 5, 5, 3), (1, 3, 3, 3), (1, 5, 5, 3)),
        (OPT, DwConvParams(0, 0, ch_mult=2), (1, 5, 5, 3), (1, 3, 3, 6), (1, 3, 3, 6)),
        (OPT, DwConvParams(0, 0), (2, 5, 5, 3), (1, 3, 3, 3), (2, 3, 3, 3)),
        (OPT, DwConvParams(0, 0, dilation=Tile(2, 2)), (1, 5, 5, 3), (1, 3, 3, 3), (1, 1, 1, 3)),
        (GEN, DwConvParams(0, 0, ch_mult=2), (1, 5, 5, 3), (1, 3, 3, 3), (1, 3, 3, 3)),
        (GEN, DwConvParams(0, 0, ch_mult=0), (1, 5, 5, 3), (1, 3, 3, 3), (1, 3, 3, 3)),
    ],
)
def test_c_kernels_refuse_layers_they_cannot_run(
    name: str, p: DwConvParams, i: tuple[int, ...], f: tuple[int, ...], o: tuple[int, ...]
) -> None:
    require_our_kernels("layers outside the API's contract, which Arm's kernels may run forever on")
    assert _c_call(name, p, i, f, o) == -1  # ARM_CMSIS_NN_ARG_ERROR


def test_variant_and_buffer_sizes_validate() -> None:
    p = DwConvParams(0, 0)
    with pytest.raises(ValueError, match="filter_shape"):
        dw.arm_depthwise_conv_wrapper_s8_variant(p, (1, 5, 5, 3), (1, 3, 3, 4), (1, 3, 3, 4))
    with pytest.raises(ValueError, match="input_shape"):
        dw.arm_depthwise_conv_wrapper_s8_get_buffer_size(p, (1, 5, 5), (1, 3, 3, 3), (1, 3, 3, 3))
    with pytest.raises(ValueError, match="output_shape"):
        dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(p, (1, 5, 5, 3), (1, 3, 3, 3), (1, 3, 3, 6))
    with pytest.raises(ValueError, match="stride"):
        bad = replace(p, stride=Tile(1, 0))
        dw.arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(bad, (1, 5, 5, 3), (1, 3, 3, 3), (1, 3, 3, 3))
    with pytest.raises(ValueError, match="filter_shape"):
        dw.arm_depthwise_conv_s8_opt_get_buffer_size_dsp((1, 5, 5, 3), (1, -3, 3, 3))


@pytest.mark.parametrize(
    "p,i,f,want",
    [
        (DwConvParams(0, 0, padding=Tile(1, 1)), (1, 5, 5, 3), (1, 3, 3, 3), G3),
        (DwConvParams(0, 0, padding=Tile(1, 0)), (1, 5, 5, 3), (1, 3, 3, 3), G3),
        (DwConvParams(0, 0, padding=Tile(2, 1)), (1, 5, 5, 3), (1, 3, 3, 3), OPT),
        (DwConvParams(0, 0, padding=Tile(1, 2)), (1, 5, 5, 3), (1, 3, 3, 3), OPT),
        (DwConvParams(0, 0), (1, 5, 5, 3), (1, 5, 5, 3), OPT),
        (DwConvParams(0, 0), (1, 5, 5, 3), (1, 3, 1, 3), OPT),
        (DwConvParams(0, 0, ch_mult=2), (1, 5, 5, 3), (1, 3, 3, 6), GEN),
        (DwConvParams(0, 0, dilation=Tile(2, 1)), (1, 5, 5, 3), (1, 3, 3, 3), GEN),
        (DwConvParams(0, 0, dilation=Tile(1, 2)), (1, 5, 5, 3), (1, 3, 3, 3), GEN),
        (DwConvParams(0, 0), (2, 5, 5, 3), (1, 3, 3, 3), GEN),
    ],
)
def test_variant(p: DwConvParams, i: tuple[int, ...], f: tuple[int, ...], want: str) -> None:
    o = (i[0], 1, 1, f[3])
    assert dw.arm_depthwise_conv_wrapper_s8_variant(p, i, f, o) == want
    assert dw.arm_depthwise_conv_wrapper_s8_variant(p, i, f) == want


# ------------------------------------------------------- random layers (numpy)


@st.composite
def _layers(draw: st.DrawFn) -> tuple[Any, ...]:
    """(params, quant, input, filter, bias or None, output shape) of a random valid layer."""
    n = draw(st.integers(1, 2))
    in_h, in_w, in_c = draw(st.integers(1, 7)), draw(st.integers(1, 7)), draw(st.integers(1, 6))
    mult = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw_ = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph = draw(st.integers(0, (kh - 1) * dh))
    pw = draw(st.integers(0, (kw - 1) * dw_))
    outs = []
    for in_size, k, s, pad, d in ((in_h, kh, sh, ph, dh), (in_w, kw, sw, pw, dw_)):
        span = (k - 1) * d + 1
        lo = max((in_size + 2 * pad - span) // s + 1, 1)
        hi = (in_size + 2 * pad + 1 - span) // s + 1
        assume(lo <= hi)
        o = draw(st.integers(lo, hi))
        assume((o - 1) * s - pad <= in_size - 1)
        outs.append(o)
    a = draw(st.integers(-128, 127))
    b = draw(st.integers(a, 127))
    params = DwConvParams(
        input_offset=draw(st.integers(-127, 128)),
        output_offset=draw(st.integers(-128, 127)),
        ch_mult=mult,
        stride=Tile(sw, sh),
        padding=Tile(pw, ph),
        dilation=Tile(dw_, dh),
        activation=Activation(a, b),
    )
    c_out = in_c * mult
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    q = PerChannelQuant(
        tuple(int(m) for m in rng.integers(1 << 30, 1 << 31, size=c_out)),
        tuple(int(s) for s in rng.integers(-11, 2, size=c_out)),
    )
    x = rng.integers(-128, 128, size=(n, in_h, in_w, in_c), dtype=np.int8)
    w = rng.integers(-128, 128, size=(1, kh, kw, c_out), dtype=np.int8)
    bias = rng.integers(-30_000, 30_000, size=c_out, dtype=np.int32) if draw(st.booleans()) else None
    return params, q, x, w, bias, (n, outs[0], outs[1], c_out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_layers())
def test_random_layers_match_numpy_reference(layer: tuple[Any, ...]) -> None:
    p, q, x, w, bias, out_shape = layer
    want = reference(p, q, x, w, bias, out_shape)
    np.testing.assert_array_equal(dw.arm_depthwise_conv_wrapper_s8(p, q, x, w, bias, out_shape), want)
    np.testing.assert_array_equal(dw.arm_depthwise_conv_s8(p, q, x, w, bias, out_shape), want)
    variant = dw.arm_depthwise_conv_wrapper_s8_variant(p, x.shape, w.shape, out_shape)
    np.testing.assert_array_equal(SPECIFIC[variant](p, q, x, w, bias, out_shape), want)
    if variant == G3:  # a 3x3 layer is also within _opt's reach
        np.testing.assert_array_equal(dw.arm_depthwise_conv_s8_opt(p, q, x, w, bias, out_shape), want)
