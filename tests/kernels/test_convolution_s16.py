"""int16 (16x8) convolution and depthwise kernels against TensorFlow Lite Micro, and their validation.

Every TFLM case is a single-op 16x8 model (int16 activations, int8 weights,
int64 bias) made by TF's converter from a seeded Keras Conv2D or
DepthwiseConv2D; the kernel parameters are derived from the converted model
through ``pycmsisnn.quant``. The int32-bias path of arm_convolve_s16 is
checked against TFLM on the same models with the bias tensor rewritten to int32.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import convolution_s16 as k16
from pycmsisnn.kernels import lookup
from pycmsisnn.kernels._base import c_conv_params, c_dw_conv_params, c_per_channel, context, dims, ffi, lib, ptr
from pycmsisnn.params import Activation, ConvParams, DwConvParams, PerChannelQuant, Tile
from tests.support.flatbuffer_edit import edit_model
from tests.support.library import require_our_kernels
from tests.support.model_view import single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

INT16_MIN, INT16_MAX = -32768, 32767
FULL16 = Activation(INT16_MIN, INT16_MAX)
ACTS = [None, "relu", "relu6"]


@dataclass(frozen=True)
class Case:
    """One Keras Conv2D (``depth_multiplier`` 0) or DepthwiseConv2D layer, converted 16x8."""

    shape: tuple[int, int, int, int]
    kernel: tuple[int, int]
    filters: int = 0  # Conv2D output channels
    depth_multiplier: int = 0  # DepthwiseConv2D
    strides: tuple[int, int] = (1, 1)
    padding: str = "valid"
    dilation: tuple[int, int] = (1, 1)
    activation: str | None = None
    input_range: tuple[float, float] = (-3.0, 3.0)

    @property
    def depthwise(self) -> bool:
        return self.depth_multiplier > 0

    @property
    def key(self) -> str:
        return f"conv16x8|{self!r}"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.key.encode()) % 10_000


def case_id(c: Case) -> str:
    parts = ["dw" if c.depthwise else "conv", "in" + "x".join(map(str, c.shape))]
    parts.append(f"m{c.depth_multiplier}" if c.depthwise else f"f{c.filters}")
    parts += [f"k{c.kernel[0]}x{c.kernel[1]}", f"s{c.strides[0]}x{c.strides[1]}", c.padding]
    if c.dilation != (1, 1):
        parts.append(f"d{c.dilation[0]}x{c.dilation[1]}")
    if c.activation:
        parts.append(c.activation)
    if c.input_range != (-3.0, 3.0):
        parts.append(f"r{c.input_range[0]:g}_{c.input_range[1]:g}")
    return "-".join(parts)


KERNELS = [(1, 1), (3, 3), (5, 5)]
STRIDES = [(1, 1), (2, 2)]
PADS = ["same", "valid"]
CHANNELS = [1, 2, 3, 4, 5, 7, 8, 11, 16, 17]


def _conv_sweep() -> list[Case]:
    """Kernel sizes x strides x padding, channel counts cycling 1..17, clamps cycling."""
    out = []
    for i, (k, s, pad) in enumerate((k, s, p) for k in KERNELS for s in STRIDES for p in PADS):
        for j in range(4):
            n = i * 4 + j
            out.append(
                Case(
                    (1 + (n % 5 == 4), 7 + (n % 3), 8 - (n % 2), CHANNELS[n % len(CHANNELS)]),
                    k,
                    filters=CHANNELS[(n * 3 + 1) % len(CHANNELS)],
                    strides=s,
                    padding=pad,
                    activation=ACTS[n % 3],
                    input_range=((-3.0, 3.0), (-0.5, 4.0), (-8.0, 1.0))[(n // 3) % 3],
                )
            )
    return out


CONV_DILATED = [
    Case((1, 9, 9, 3), (3, 3), filters=4, dilation=(2, 2), padding="same"),
    Case((1, 9, 8, 5), (3, 3), filters=2, dilation=(2, 2), padding="valid", activation="relu"),
    Case((1, 11, 11, 2), (5, 5), filters=3, dilation=(2, 2), padding="same", activation="relu6"),
    Case((1, 9, 9, 16), (3, 3), filters=17, dilation=(2, 1), padding="same"),
    Case((2, 8, 9, 1), (3, 3), filters=5, dilation=(1, 2), padding="valid"),
    Case((1, 10, 10, 4), (5, 5), filters=4, dilation=(2, 2), padding="valid"),
]

CONV_EXTRA = [
    Case((1, 1, 12, 4), (1, 3), filters=5, padding="same"),  # one row
    Case((1, 6, 6, 17), (1, 1), filters=17, activation="relu"),
    Case((1, 8, 8, 3), (2, 2), filters=6, strides=(2, 2), padding="same"),
    Case((1, 7, 9, 3), (3, 1), filters=3, strides=(1, 2), padding="same"),
    Case((1, 5, 5, 8), (3, 3), filters=8, input_range=(-100.0, 100.0)),
    Case((1, 5, 5, 8), (3, 3), filters=8, input_range=(-0.01, 0.01), activation="relu6"),
]


def _dw_sweep() -> list[Case]:
    """Kernel sizes x strides x padding x depth multiplier 1..3, channels and clamps cycling."""
    out = []
    for i, (k, s, pad) in enumerate((k, s, p) for k in KERNELS for s in STRIDES for p in PADS):
        for m in (1, 2, 3):
            n = i * 3 + m
            out.append(
                Case(
                    (1 + (n % 7 == 3), 7 + (n % 3), 8 - (n % 2), CHANNELS[n % len(CHANNELS)]),
                    k,
                    depth_multiplier=m,
                    strides=s,
                    padding=pad,
                    activation=ACTS[n % 3],
                    input_range=((-3.0, 3.0), (-0.5, 4.0), (-8.0, 1.0))[(n // 2) % 3],
                )
            )
    return out


DW_DILATED = [
    Case((1, 9, 9, 3), (3, 3), depth_multiplier=1, dilation=(2, 2), padding="same"),
    Case((1, 9, 9, 4), (3, 3), depth_multiplier=2, dilation=(2, 2), padding="valid", activation="relu"),
    Case((1, 11, 11, 2), (5, 5), depth_multiplier=3, dilation=(2, 2), padding="same", activation="relu6"),
    Case((1, 9, 9, 17), (3, 3), depth_multiplier=1, dilation=(1, 2), padding="same"),
    Case((2, 9, 8, 5), (3, 3), depth_multiplier=1, dilation=(2, 1), padding="valid"),
    Case((1, 10, 10, 1), (3, 3), depth_multiplier=3, dilation=(2, 2), padding="same"),
]

DW_EXTRA = [
    Case((1, 6, 6, 16), (3, 3), depth_multiplier=1, padding="same", input_range=(-100.0, 100.0)),
    Case((1, 6, 6, 8), (3, 3), depth_multiplier=1, padding="same", input_range=(-0.01, 0.01), activation="relu6"),
    Case((1, 1, 12, 4), (1, 3), depth_multiplier=2, padding="same"),
    Case((1, 8, 8, 3), (2, 2), depth_multiplier=2, strides=(2, 2), padding="same"),
]

CONV_CASES = _conv_sweep() + CONV_DILATED + CONV_EXTRA
DW_CASES = _dw_sweep() + DW_DILATED + DW_EXTRA


@dataclass
class Layer:
    """A converted 16x8 CONV_2D / DEPTHWISE_CONV_2D and everything its kernels need."""

    model: bytes
    params: Any  # ConvParams or DwConvParams
    quant: PerChannelQuant
    filter: np.ndarray
    bias: np.ndarray | None
    bias_tensor: int
    input_shape: tuple[int, int, int, int]
    output_shape: tuple[int, int, int, int]


def make_layer(c: Case) -> Layer:
    """Convert the case's layer (16x8) and derive its CMSIS-NN parameters from the model."""

    def make(inputs: list) -> Any:
        keras = tf().keras.layers
        common = dict(
            strides=c.strides,
            padding=c.padding,
            dilation_rate=c.dilation,
            activation=c.activation,
            bias_initializer=random_bias_initializer(),
        )
        if c.depthwise:
            return keras.DepthwiseConv2D(c.kernel, depth_multiplier=c.depth_multiplier, **common)(inputs[0])
        return keras.Conv2D(c.filters, c.kernel, **common)(inputs[0])

    model = build_model(c.key, make, [c.shape], seed=c.seed, input_range=c.input_range, int16x8=True)
    op = single_op(model, "DEPTHWISE_CONV_2D" if c.depthwise else "CONV_2D")
    x, w, b = op.inputs[0], op.inputs[1], op.inputs[2]
    out, o = op.outputs[0], op.options
    assert x is not None and w is not None and w.data is not None and b is not None
    assert x.dtype == np.int16 and out.dtype == np.int16 and w.dtype == np.int8 and b.dtype == np.int64
    assert x.zero_point == 0 and out.zero_point == 0
    stride = Tile(o.strideW, o.strideH)
    dilation = Tile(o.dilationWFactor, o.dilationHFactor)
    pad, _, out_hw = quant.conv_padding(o.padding, x.shape[1:3], w.shape[1:3], stride, dilation)
    assert out_hw == tuple(out.shape[1:3])
    act = quant.activation_range(o.fusedActivationFunction, out.scale, 0, INT16_MIN, INT16_MAX)
    channels = w.shape[3] if c.depthwise else w.shape[0]
    q = quant.per_channel_multipliers(x.scale, w.scales, out.scale, channels)
    params: Any
    if c.depthwise:
        params = DwConvParams(0, 0, ch_mult=o.depthMultiplier, stride=stride, padding=pad, dilation=dilation, activation=act)
    else:
        params = ConvParams(0, 0, stride=stride, padding=pad, dilation=dilation, activation=act)
    return Layer(model, params, q, w.data, b.data, b.index, tuple(x.shape), tuple(out.shape))  # type: ignore[arg-type]


def random_input(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(INT16_MIN, INT16_MAX + 1, size=shape, dtype=np.int16)


def with_int32_bias(model: bytes, tensor_index: int) -> bytes:
    """The model with its (int64) bias tensor rewritten as int32."""

    def edit(m: Any) -> None:
        t = m.subgraphs[0].tensors[tensor_index]
        data = np.frombuffer(bytes(bytearray(m.buffers[t.buffer].data)), dtype=np.int64)
        assert np.all(np.abs(data) < 2**31)
        t.type = 2  # INT32
        m.buffers[t.buffer].data = np.frombuffer(data.astype(np.int32).tobytes(), dtype=np.uint8)

    return edit_model(model, edit)


# ------------------------------------------------------------ TFLM ground truth


@pytest.mark.parametrize("case", CONV_CASES, ids=case_id)
def test_conv_matches_tflm(case: Case) -> None:
    layer = make_layer(case)
    x = random_input(layer.input_shape, case.seed)
    expected = run_tflm(layer.model, [x])[0]
    assert expected.dtype == np.int16
    got = k16.arm_convolve_wrapper_s16(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    direct = k16.arm_convolve_s16(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(direct, expected)


# The int32-bias path (32-bit accumulator, double-rounding requantisation) on every
# third conv case, against TFLM running the same model with an int32 bias tensor.
INT32_BIAS_CASES = CONV_CASES[::3]


@pytest.mark.parametrize("case", INT32_BIAS_CASES, ids=case_id)
def test_conv_int32_bias_matches_tflm(case: Case) -> None:
    layer = make_layer(case)
    assert layer.bias is not None
    model32 = with_int32_bias(layer.model, layer.bias_tensor)
    x = random_input(layer.input_shape, case.seed + 1)
    expected = run_tflm(model32, [x])[0]
    bias32 = layer.bias.astype(np.int32)
    got = k16.arm_convolve_wrapper_s16(layer.params, layer.quant, x, layer.filter, bias32, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    got_s16 = k16.arm_convolve_s16(layer.params, layer.quant, x, layer.filter, bias32, layer.output_shape)
    np.testing.assert_array_equal(got_s16, expected)


def test_int32_and_int64_bias_paths_differ_by_rounding_only() -> None:
    """The two requantisations agree up to 1 and do disagree somewhere (so the flag is read)."""
    layer = make_layer(CONV_CASES[5])
    assert layer.bias is not None
    x = random_input(layer.input_shape, 99)
    a = k16.arm_convolve_s16(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    b = k16.arm_convolve_s16(layer.params, layer.quant, x, layer.filter, layer.bias.astype(np.int32), layer.output_shape)
    diff = np.abs(a.astype(np.int32) - b.astype(np.int32))
    assert diff.max() == 1


@pytest.mark.parametrize("case", DW_CASES, ids=case_id)
def test_depthwise_matches_tflm(case: Case) -> None:
    layer = make_layer(case)
    x = random_input(layer.input_shape, case.seed)
    expected = run_tflm(layer.model, [x])[0]
    assert expected.dtype == np.int16
    args = (layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(k16.arm_depthwise_conv_wrapper_s16(*args), expected)
    np.testing.assert_array_equal(k16.arm_depthwise_conv_s16(*args), expected)
    if layer.params.ch_mult == 1:
        np.testing.assert_array_equal(k16.arm_depthwise_conv_fast_s16(*args), expected)


def test_sweep_size_and_coverage() -> None:
    """At least 100 TFLM configurations, covering what dispatch and arithmetic depend on."""
    cases = CONV_CASES + DW_CASES
    assert len(cases) + len(INT32_BIAS_CASES) >= 100
    assert {c.kernel for c in cases} >= set(KERNELS)
    assert {c.strides for c in cases} >= set(STRIDES)
    assert {c.dilation for c in cases} >= {(1, 1), (2, 2), (1, 2), (2, 1)}
    assert {c.padding for c in cases} == {"same", "valid"}
    assert {c.activation for c in cases} == set(ACTS)
    assert {c.depth_multiplier for c in DW_CASES} == {1, 2, 3}
    assert {c.shape[3] for c in cases} >= set(range(1, 6)) | {16, 17}
    assert any(c.shape[0] > 1 for c in CONV_CASES) and any(c.shape[0] > 1 for c in DW_CASES)


def test_lookup_finds_the_s16_wrappers() -> None:
    for name in k16.__all__:
        assert lookup(name) is getattr(k16, name)


# ------------------------------------------------------ requantisation edges


def _one_tap(acc_input: int, weight: int, bias: int, mult: int, shift: int, act: Activation = FULL16) -> int:
    """A 1x1 single-channel conv computing ``requantize(x * w + bias)``."""
    x = np.array([acc_input], dtype=np.int16).reshape(1, 1, 1, 1)
    w = np.array([weight], dtype=np.int8).reshape(1, 1, 1, 1)
    b = np.array([bias], dtype=np.int64)
    p = ConvParams(0, 0, activation=act)
    return int(k16.arm_convolve_s16(p, PerChannelQuant((mult,), (shift,)), x, w, b, (1, 1, 1, 1))[0, 0, 0, 0])


def tflite_requantize_s64(acc: int, mult: int, shift: int) -> int:
    """TFLite's MultiplyByQuantizedMultiplier(int64_t, ...), in Python integers."""
    reduced = (mult + (1 << 15)) >> 16 if mult < 0x7FFF0000 else 0x7FFF
    total = 15 - shift
    return (acc * reduced + (1 << (total - 1))) >> total


@pytest.mark.parametrize(
    "x,w,bias,mult,shift",
    [
        (1, 1, 3, 1 << 30, -2),  # 3 * 0.5 / 4 = 0.375 -> 0
        (5, 1, 0, 1 << 30, -2),  # 0.625 -> 1
        (3, 1, 0, 1 << 30, 0),  # 1.5 -> 2 (half up)
        (-3, 1, 0, 1 << 30, 0),  # -1.5 -> -1 (half up, not away from zero)
        (-5, 1, 0, 1 << 30, 0),  # -2.5 -> -2
        (32767, 127, 1 << 40, 0x7FFFFFFF, -20),  # multiplier saturated to 0x7FFF
        (-32768, 127, -(1 << 38), 0x7FFF8000, -12),
        (1000, 100, 12345, 1518500250, 5),  # left shift
        (123, -45, -7, 1 << 30, -31),
    ],
)
def test_requantize_s64_edges(x: int, w: int, bias: int, mult: int, shift: int) -> None:
    want = max(INT16_MIN, min(INT16_MAX, tflite_requantize_s64(x * w + bias, mult, shift)))
    assert _one_tap(x, w, bias, mult, shift) == want


def test_activation_clamp() -> None:
    assert _one_tap(1000, 100, 0, 1 << 30, -2, Activation(-50, 70)) == 70
    assert _one_tap(-1000, 100, 0, 1 << 30, -2, Activation(-50, 70)) == -50
    assert _one_tap(1000, 100, 0, 1 << 30, -2, Activation(0, INT16_MAX)) == 12500


# ------------------------------------------------------------- buffer sizes


@pytest.mark.parametrize(
    "i,f,dsp,mve",
    [
        ((1, 8, 8, 3), (4, 3, 3, 3), 4 * 27, 8 * 32),
        ((1, 8, 8, 7), (2, 1, 1, 7), 4 * 7, 8 * 8),
        ((2, 9, 9, 4), (2, 5, 3, 4), 4 * 60, 8 * 64),
        ((1, 8, 8, 16), (4, 3, 3, 16), 4 * 144, 8 * 144),
    ],
)
def test_conv_buffer_sizes(i: tuple, f: tuple, dsp: int, mve: int) -> None:
    p = ConvParams(0, 0, activation=FULL16)
    o = (i[0], i[1] - f[1] + 1, i[2] - f[2] + 1, f[0])
    # the portable build asks for the DSP size, as Arm's does (our portable kernel uses none of it)
    assert k16.arm_convolve_wrapper_s16_get_buffer_size(p, i, f, o) == dsp
    assert k16.arm_convolve_s16_get_buffer_size(i, f) == dsp
    assert k16.arm_convolve_wrapper_s16_get_buffer_size_dsp(p, i, f, o) == dsp
    assert k16.arm_convolve_wrapper_s16_get_buffer_size_mve(p, i, f, o) == mve


@pytest.mark.parametrize(
    "p,i,f,dsp,mve",
    [
        (DwConvParams(0, 0, padding=Tile(1, 1)), (1, 8, 8, 3), (1, 3, 3, 3), 3 * 9 * 2, (4 * 27 + 4) * 2),
        (DwConvParams(0, 0), (2, 8, 8, 16), (1, 5, 5, 16), 16 * 25 * 2, (4 * 400 + 4) * 2),
        (DwConvParams(0, 0), (1, 8, 8, 1), (1, 3, 3, 1), 18, 80),
        (DwConvParams(0, 0, ch_mult=2), (1, 8, 8, 4), (1, 3, 3, 8), 0, 0),
        (DwConvParams(0, 0, dilation=Tile(2, 2)), (1, 8, 8, 4), (1, 3, 3, 4), 0, 0),
        (DwConvParams(0, 0, dilation=Tile(1, 2)), (1, 8, 8, 4), (1, 3, 3, 4), 0, 0),
    ],
)
def test_depthwise_buffer_sizes(p: DwConvParams, i: tuple, f: tuple, dsp: int, mve: int) -> None:
    p = replace(p, activation=FULL16)
    o = (i[0], i[1] - (f[1] - 1) * p.dilation.h + 2 * p.padding.h, i[2] - (f[2] - 1) * p.dilation.w + 2 * p.padding.w, f[3])
    assert k16.arm_depthwise_conv_wrapper_s16_get_buffer_size(p, i, f, o) == 0
    assert k16.arm_depthwise_conv_fast_s16_get_buffer_size(i, f) == 0
    assert k16.arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(p, i, f, o) == dsp
    assert k16.arm_depthwise_conv_wrapper_s16_get_buffer_size_mve(p, i, f, o) == mve


def test_depthwise_variant() -> None:
    p = DwConvParams(0, 0, activation=FULL16)
    assert k16.arm_depthwise_conv_wrapper_s16_variant(p) == "arm_depthwise_conv_s16"
    assert k16.arm_depthwise_conv_wrapper_s16_variant(p, simd=True) == "arm_depthwise_conv_fast_s16"
    assert k16.arm_depthwise_conv_wrapper_s16_variant(replace(p, ch_mult=2), simd=True) == "arm_depthwise_conv_s16"
    assert k16.arm_depthwise_conv_wrapper_s16_variant(replace(p, dilation=Tile(2, 1)), simd=True) == "arm_depthwise_conv_s16"


# --------------------------------------------------------------- validation


def _conv_good() -> dict[str, Any]:
    rng = np.random.default_rng(5)
    return {
        "conv_params": ConvParams(0, 0, padding=Tile(1, 1), activation=FULL16),
        "quant_params": PerChannelQuant((1 << 30,) * 4, (-3,) * 4),
        "input": rng.integers(INT16_MIN, INT16_MAX + 1, size=(1, 5, 5, 3), dtype=np.int16),
        "filter": rng.integers(-128, 128, size=(4, 3, 3, 3), dtype=np.int8),
        "bias": np.arange(4, dtype=np.int64),
        "output_shape": (1, 5, 5, 4),
    }


def _dw_good() -> dict[str, Any]:
    rng = np.random.default_rng(6)
    return {
        "dw_conv_params": DwConvParams(0, 0, ch_mult=2, padding=Tile(1, 1), activation=FULL16),
        "quant_params": PerChannelQuant((1 << 30,) * 6, (-3,) * 6),
        "input": rng.integers(INT16_MIN, INT16_MAX + 1, size=(1, 5, 5, 3), dtype=np.int16),
        "filter": rng.integers(-128, 128, size=(1, 3, 3, 6), dtype=np.int8),
        "bias": np.arange(6, dtype=np.int64),
        "output_shape": (1, 5, 5, 6),
    }


CONV_BAD: list[tuple[str, dict[str, Any], str]] = [
    ("int8 input", {"input": np.zeros((1, 5, 5, 3), np.int8)}, "input"),
    ("int16 filter", {"filter": np.zeros((4, 3, 3, 3), np.int16)}, "filter"),
    ("3-d input", {"input": np.zeros((5, 5, 3), np.int16)}, "input"),
    ("float bias", {"bias": np.zeros(4, np.float32)}, "bias"),
    ("int8 bias", {"bias": np.zeros(4, np.int8)}, "bias"),
    ("bias length", {"bias": np.zeros(5, np.int64)}, "bias"),
    ("bias list", {"bias": [0, 0, 0, 0]}, "bias"),
    ("grouped filter", {"filter": np.zeros((4, 3, 3, 1), np.int8)}, "filter"),
    ("input offset", {"conv_params": ConvParams(3, 0, padding=Tile(1, 1), activation=FULL16)}, "input_offset"),
    ("output offset", {"conv_params": ConvParams(0, -1, padding=Tile(1, 1), activation=FULL16)}, "output_offset"),
    ("stride 0", {"conv_params": ConvParams(0, 0, stride=Tile(0, 1), activation=FULL16)}, "stride"),
    ("dilation 0", {"conv_params": ConvParams(0, 0, dilation=Tile(1, 0), activation=FULL16)}, "dilation"),
    ("negative padding", {"conv_params": ConvParams(0, 0, padding=Tile(-1, 1), activation=FULL16)}, "padding"),
    ("act beyond int16", {"conv_params": ConvParams(0, 0, padding=Tile(1, 1), activation=Activation(0, 40000))}, "activation"),
    ("act min above max", {"conv_params": ConvParams(0, 0, padding=Tile(1, 1), activation=Activation(5, 4))}, "activation"),
    ("quant count", {"quant_params": PerChannelQuant((1 << 30,) * 3, (-3,) * 3)}, "quant_params"),
    ("shift 8", {"quant_params": PerChannelQuant((1 << 30,) * 4, (-3, -3, 8, -3))}, "shift"),
    ("negative multiplier", {"quant_params": PerChannelQuant((1 << 30, -1, 1 << 30, 1 << 30), (-3,) * 4)}, "multiplier"),
    ("output height", {"output_shape": (1, 4, 5, 4)}, "output_shape"),
    ("output channels", {"output_shape": (1, 5, 5, 3)}, "output_shape"),
    ("output batch", {"output_shape": (2, 5, 5, 4)}, "output_shape"),
    ("conv_params type", {"conv_params": DwConvParams(0, 0)}, "conv_params"),
]


@pytest.mark.parametrize("kernel", ["arm_convolve_wrapper_s16", "arm_convolve_s16"])
@pytest.mark.parametrize("what,change,needle", CONV_BAD, ids=[b[0] for b in CONV_BAD])
def test_conv_rejects(kernel: str, what: str, change: dict[str, Any], needle: str) -> None:
    args = {**_conv_good(), **change}
    with pytest.raises(ArgError, match=f"{kernel}: .*{needle}"):
        getattr(k16, kernel)(**args)


def test_conv_good_arguments_run() -> None:
    out = k16.arm_convolve_wrapper_s16(**_conv_good())
    assert out.shape == (1, 5, 5, 4) and out.dtype == np.int16
    assert np.count_nonzero(out) > 50
    no_bias = k16.arm_convolve_s16(**{**_conv_good(), "bias": None})
    assert np.abs(no_bias.astype(np.int32) - out.astype(np.int32)).max() <= 1


DW_BAD: list[tuple[str, dict[str, Any], str]] = [
    ("int8 input", {"input": np.zeros((1, 5, 5, 3), np.int8)}, "input"),
    ("int16 filter", {"filter": np.zeros((1, 3, 3, 6), np.int16)}, "filter"),
    ("int32 bias", {"bias": np.zeros(6, np.int32)}, "bias"),
    ("bias length", {"bias": np.zeros(3, np.int64)}, "bias"),
    ("filter channels", {"filter": np.zeros((1, 3, 3, 5), np.int8)}, "filter"),
    ("filter first dim", {"filter": np.zeros((2, 3, 3, 6), np.int8)}, "filter"),
    ("ch_mult 0", {"dw_conv_params": DwConvParams(0, 0, ch_mult=0, activation=FULL16)}, "ch_mult"),
    ("input offset", {"dw_conv_params": DwConvParams(1, 0, ch_mult=2, padding=Tile(1, 1), activation=FULL16)}, "input_offset"),
    ("act beyond int16", {"dw_conv_params": DwConvParams(0, 0, ch_mult=2, padding=Tile(1, 1), activation=Activation(-40000, 0))}, "activation"),
    ("quant count", {"quant_params": PerChannelQuant((1 << 30,) * 3, (-3,) * 3)}, "quant_params"),
    ("shift 9", {"quant_params": PerChannelQuant((1 << 30,) * 6, (9,) * 6)}, "shift"),
    ("output width", {"output_shape": (1, 5, 7, 6)}, "output_shape"),
    ("output channels", {"output_shape": (1, 5, 5, 3)}, "output_shape"),
    ("padding too large", {"dw_conv_params": DwConvParams(0, 0, ch_mult=2, padding=Tile(3, 1), activation=FULL16)}, "padding"),
]


@pytest.mark.parametrize("kernel", ["arm_depthwise_conv_wrapper_s16", "arm_depthwise_conv_s16"])
@pytest.mark.parametrize("what,change,needle", DW_BAD, ids=[b[0] for b in DW_BAD])
def test_depthwise_rejects(kernel: str, what: str, change: dict[str, Any], needle: str) -> None:
    args = {**_dw_good(), **change}
    with pytest.raises(ArgError, match=f"{kernel}: .*{needle}"):
        getattr(k16, kernel)(**args)


def test_fast_depthwise_needs_ch_mult_1() -> None:
    with pytest.raises(ArgError, match="arm_depthwise_conv_fast_s16: dw_conv_params.ch_mult"):
        k16.arm_depthwise_conv_fast_s16(**_dw_good())


def test_buffer_size_functions_validate() -> None:
    p = ConvParams(0, 0, activation=FULL16)
    with pytest.raises(ArgError, match="filter_shape"):
        k16.arm_convolve_s16_get_buffer_size((1, 5, 5, 3), (4, 3, 3, 2))
    with pytest.raises(ArgError, match="input_shape"):
        k16.arm_convolve_wrapper_s16_get_buffer_size_dsp(p, (1, 5, 5), (4, 3, 3, 3), (1, 3, 3, 4))
    with pytest.raises(ArgError, match="output_shape"):
        k16.arm_convolve_wrapper_s16_get_buffer_size_mve(p, (1, 5, 5, 3), (4, 3, 3, 3), (1, 3, 3, 5))
    dp = DwConvParams(0, 0, activation=FULL16)
    with pytest.raises(ArgError, match="filter_shape"):
        k16.arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(dp, (1, 5, 5, 3), (1, 3, 3, 4), (1, 3, 3, 4))
    with pytest.raises(ArgError, match="stride"):
        k16.arm_depthwise_conv_wrapper_s16_get_buffer_size(replace(dp, stride=Tile(0, 1)), (1, 5, 5, 3), (1, 3, 3, 3), (1, 3, 3, 3))


# -------------------------------------------------- the C functions' own checks


def _c_conv_call(fn: Any, p: ConvParams, in_shape: tuple, out_shape: tuple, with_bias: bool = True) -> int:
    x = np.zeros(in_shape, np.int16)
    w = np.zeros((out_shape[3], 3, 3, in_shape[3]), np.int8)
    out = np.zeros(out_shape, np.int16)
    mult = np.full(out_shape[3], 1 << 30, np.int32)
    shift = np.full(out_shape[3], -2, np.int32)
    bias = np.zeros(out_shape[3], np.int64)
    ctx, _keep = context(0)
    bias_struct = ffi.new("cmsis_nn_bias_data *", {"data": ptr(bias, "int64_t") if with_bias else ffi.NULL, "is_int32_bias": False})
    return int(
        fn(ctx, c_conv_params(p), c_per_channel(mult, shift), dims(in_shape), ptr(x, "int16_t"), dims(w.shape), ptr(w, "int8_t"),
           dims((1, 1, 1, out_shape[3])), bias_struct, dims(out_shape), ptr(out, "int16_t"))
    )


def test_c_conv_argument_checks() -> None:
    require_our_kernels("ARG_ERROR for strides, dilation and clamps out of range")
    good = ConvParams(0, 0, padding=Tile(1, 1), activation=FULL16)
    assert _c_conv_call(lib.arm_convolve_s16, good, (1, 4, 4, 2), (1, 4, 4, 3)) == lib.ARM_CMSIS_NN_SUCCESS
    assert _c_conv_call(lib.arm_convolve_s16, good, (1, 4, 4, 2), (1, 4, 4, 3), with_bias=False) == lib.ARM_CMSIS_NN_SUCCESS
    for bad in (
        replace(good, stride=Tile(0, 1)),
        replace(good, dilation=Tile(1, 0)),
        replace(good, padding=Tile(-1, 0)),
        replace(good, activation=Activation(1, 0)),
    ):
        assert _c_conv_call(lib.arm_convolve_wrapper_s16, bad, (1, 4, 4, 2), (1, 4, 4, 3)) == lib.ARM_CMSIS_NN_ARG_ERROR


def _c_dw_call(fn: Any, p: DwConvParams, in_ch: int, out_ch: int, buf: bool = True) -> int:
    x = np.zeros((1, 4, 4, in_ch), np.int16)
    w = np.zeros((1, 3, 3, out_ch), np.int8)
    out = np.zeros((1, 4, 4, out_ch), np.int16)
    mult = np.full(out_ch, 1 << 30, np.int32)
    shift = np.full(out_ch, -2, np.int32)
    ctx, _keep = context(0)
    if not buf:
        ctx = ffi.new("cmsis_nn_context *", {"buf": ffi.NULL, "size": 0})
    return int(
        fn(ctx, c_dw_conv_params(p), c_per_channel(mult, shift), dims(x.shape), ptr(x, "int16_t"), dims(w.shape), ptr(w, "int8_t"),
           dims((1, 1, 1, out_ch)), ffi.NULL, dims(out.shape), ptr(out, "int16_t"))
    )


def test_c_depthwise_argument_checks() -> None:
    require_our_kernels("ARG_ERROR for channel counts and multipliers that disagree")
    p1 = DwConvParams(0, 0, padding=Tile(1, 1), activation=FULL16)
    p2 = replace(p1, ch_mult=2)
    ok, err = lib.ARM_CMSIS_NN_SUCCESS, lib.ARM_CMSIS_NN_ARG_ERROR
    assert _c_dw_call(lib.arm_depthwise_conv_s16, p2, 3, 6) == ok
    assert _c_dw_call(lib.arm_depthwise_conv_s16, p2, 3, 5) == err
    assert _c_dw_call(lib.arm_depthwise_conv_wrapper_s16, replace(p1, ch_mult=0), 3, 3) == err
    assert _c_dw_call(lib.arm_depthwise_conv_fast_s16, p1, 3, 3) == ok
    assert _c_dw_call(lib.arm_depthwise_conv_fast_s16, p1, 3, 3, buf=False) == ok  # no scratch asked in this build
    assert _c_dw_call(lib.arm_depthwise_conv_fast_s16, p2, 3, 6) == err  # ch_mult 2
