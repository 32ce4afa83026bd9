"""s8 transpose convolution against TensorFlow Lite Micro's TRANSPOSE_CONV, and its validation.

Both wrapper routes are swept: the reverse conv (strides <= 2 and more than 16
input channels) and the scatter kernel (otherwise). Every parameter is derived
from the converted model through ``pycmsisnn.quant``.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels import transpose_conv as tc
from pycmsisnn.kernels._base import c_per_channel, c_transpose_conv_params, context, dims, ffi, lib, ptr
from pycmsisnn.params import Activation, PerChannelQuant, Tile, TransposeConvParams
from tests.support.library import require_our_kernels
from tests.support.model_view import single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

ZP_LOW = (0.0, 4.0)  # input zero point -128
ZP_HIGH = (-4.0, 0.0)  # input zero point 127


@dataclass(frozen=True)
class Case:
    """One Keras Conv2DTranspose layer."""

    shape: tuple[int, int, int, int]
    filters: int
    kernel: tuple[int, int]
    strides: tuple[int, int] = (1, 1)
    padding: str = "valid"
    use_bias: bool = True
    activation: str | None = None
    input_range: tuple[float, float] = (-1.0, 1.0)

    @property
    def key(self) -> str:
        return f"transpose_conv|{self!r}"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.key.encode()) % 10_000


KERNELS = [(3, 3), (2, 2), (4, 4), (3, 2)]
FILTERS = [1, 3, 5]

# strides x padding x (few, many input channels) x bias: both routes, with and without bias.
SWEEP = [
    Case(
        (1, 3, 4, c_in) if c_in > 16 else (1, 4, 4, c_in),
        FILTERS[i % 3],
        KERNELS[i % 4],
        strides=(s, s),
        padding=pad,
        use_bias=bias,
    )
    for i, (s, pad, c_in, bias) in enumerate(
        (s, pad, c_in, bias) for s in [1, 2, 3] for pad in ["same", "valid"] for c_in in [3, 20] for bias in [True, False]
    )
]

EXTRA = [
    Case((1, 3, 3, 20), 4, (3, 3), strides=(1, 2), padding="same"),
    Case((1, 3, 3, 20), 3, (3, 3), strides=(2, 1), padding="valid"),
    Case((1, 3, 3, 20), 2, (3, 3), strides=(2, 3), padding="same"),  # stride 3: scatter
    Case((1, 3, 3, 5), 3, (3, 3), strides=(1, 2), padding="same"),
    Case((1, 3, 4, 7), 2, (2, 3), strides=(3, 2), padding="valid"),
    Case((1, 3, 3, 16), 3, (3, 3), strides=(2, 2), padding="same"),  # 16 channels: scatter
    Case((1, 3, 3, 17), 3, (3, 3), strides=(2, 2), padding="same"),  # 17 channels: reverse
    Case((2, 3, 3, 4), 3, (3, 3), strides=(2, 2), padding="same"),  # batch 2, scatter
    Case((2, 2, 3, 18), 2, (3, 3), strides=(2, 2), padding="valid"),  # batch 2, reverse
    Case((1, 4, 4, 3), 2, (3, 3), strides=(2, 2), padding="same", input_range=ZP_LOW),
    Case((1, 4, 4, 3), 2, (3, 3), strides=(2, 2), padding="valid", input_range=ZP_HIGH),
    Case((1, 3, 3, 20), 2, (3, 3), strides=(2, 2), padding="same", input_range=ZP_LOW),
    Case((1, 3, 3, 20), 3, (4, 4), strides=(2, 2), padding="same", input_range=ZP_HIGH),
    Case((1, 4, 4, 3), 3, (3, 3), strides=(2, 2), padding="same", activation="relu"),
    Case((1, 3, 3, 20), 3, (3, 3), strides=(1, 1), padding="same", activation="relu"),
    Case((1, 4, 4, 3), 3, (5, 5), strides=(2, 2), padding="same"),
    Case((1, 3, 3, 24), 3, (5, 5), strides=(2, 2), padding="same", use_bias=False),
    Case((1, 4, 4, 2), 3, (1, 1), strides=(2, 2), padding="valid"),  # gaps: bias only
    Case((1, 3, 3, 2), 2, (2, 2), strides=(3, 3), padding="same"),  # gaps: bias only
    Case((1, 3, 5, 1), 7, (3, 3), strides=(2, 2), padding="valid"),
    Case((1, 2, 2, 32), 5, (2, 2), strides=(2, 2), padding="valid", input_range=(-1.0, 3.0)),
    Case((1, 3, 3, 5), 4, (4, 3), strides=(3, 3), padding="valid", use_bias=False, input_range=ZP_HIGH),
]

CASES = SWEEP + EXTRA


def case_id(c: Case) -> str:
    s = "x".join(map(str, c.shape))
    parts = [f"in{s}", f"f{c.filters}", f"k{c.kernel[0]}x{c.kernel[1]}", f"s{c.strides[0]}x{c.strides[1]}", c.padding]
    parts.append("bias" if c.use_bias else "nobias")
    if c.activation:
        parts.append(c.activation)
    if c.input_range != (-1.0, 1.0):
        parts.append(f"r{c.input_range[0]:g}_{c.input_range[1]:g}")
    return "-".join(parts)


@dataclass
class Layer:
    model: bytes
    params: TransposeConvParams
    quant: PerChannelQuant
    filter: np.ndarray
    bias: np.ndarray | None
    input_shape: tuple[int, int, int, int]
    output_shape: tuple[int, int, int, int]


def make_layer(c: Case) -> Layer:
    """Convert the case's Conv2DTranspose and derive its CMSIS-NN parameters from the model."""

    def make(inputs: list) -> Any:
        layer = tf().keras.layers.Conv2DTranspose(
            c.filters,
            c.kernel,
            strides=c.strides,
            padding=c.padding,
            use_bias=c.use_bias,
            activation=c.activation,
            bias_initializer=random_bias_initializer(),
        )
        return layer(inputs[0])

    model = build_model(c.key, make, [c.shape], seed=c.seed, input_range=c.input_range)
    op = single_op(model, "TRANSPOSE_CONV")
    # TRANSPOSE_CONV inputs: output shape, filter [C_OUT, KH, KW, C_IN], input, optional bias.
    shape_t, w, x = op.inputs[0], op.inputs[1], op.inputs[2]
    b = op.inputs[3] if len(op.inputs) > 3 else None
    out = op.outputs[0]
    o = op.options
    assert shape_t is not None and shape_t.data is not None and w is not None and w.data is not None and x is not None
    assert tuple(int(d) for d in shape_t.data) == tuple(out.shape)
    stride = Tile(o.strideW, o.strideH)
    pad, offsets = quant.transpose_conv_padding(o.padding, out.shape[1:3], w.shape[1:3], stride)
    params = TransposeConvParams(
        input_offset=quant.input_offset(x.zero_point),
        output_offset=quant.output_offset(out.zero_point),
        stride=stride,
        padding=pad,
        padding_offsets=offsets,
        activation=quant.activation_range(getattr(o, "fusedActivationFunction", 0), out.scale, out.zero_point),
    )
    q = quant.per_channel_multipliers(x.scale, w.scales, out.scale, w.shape[0])
    bias = None if b is None else b.data
    return Layer(model, params, q, w.data, bias, tuple(x.shape), tuple(out.shape))  # type: ignore[arg-type]


def random_input(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(-128, 128, size=shape, dtype=np.int8)


def reference_transpose_conv(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None, q: PerChannelQuant, p: TransposeConvParams, out_shape: tuple) -> np.ndarray:
    """TFLM's definition: scatter (x + offset) * w into int64 sums, then requantise and clamp."""
    from tests.kernels.test_convolution import requantize

    n, h, wd, _ = x.shape
    oc, kh, kw, _ = w.shape
    acc = np.zeros(out_shape, dtype=np.int64)
    xo = x.astype(np.int64) + p.input_offset
    for iy in range(h):
        for ix in range(wd):
            for ky in range(kh):
                for kx in range(kw):
                    oy, ox = iy * p.stride.h - p.padding.h + ky, ix * p.stride.w - p.padding.w + kx
                    if 0 <= oy < out_shape[1] and 0 <= ox < out_shape[2]:
                        acc[:, oy, ox, :] += xo[:, iy, ix, :] @ w[:, ky, kx, :].astype(np.int64).T
    if bias is not None:
        acc += bias.astype(np.int64)
    res = requantize(acc, np.asarray(q.multiplier), np.asarray(q.shift)) + p.output_offset
    return np.clip(res, p.activation.min, p.activation.max).astype(np.int8)


# ------------------------------------------------------------ TFLM ground truth


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_wrapper_matches_tflm(case: Case) -> None:
    layer = make_layer(case)
    assert (layer.bias is not None) == case.use_bias
    x = random_input(layer.input_shape, case.seed)
    expected = run_tflm(layer.model, [x])[0]
    got = tc.arm_transpose_conv_wrapper_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(got, expected)
    # The scatter kernel, called directly, agrees on every layer (whatever route the wrapper took).
    direct = tc.arm_transpose_conv_s8(layer.params, layer.quant, x, layer.filter, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(direct, expected)
    # And so does the numpy definition.
    ref = reference_transpose_conv(x, layer.filter, layer.bias, layer.quant, layer.params, layer.output_shape)
    np.testing.assert_array_equal(ref, expected)


def test_sweep_takes_both_routes() -> None:
    routes = {}
    for c in CASES:
        layer = make_layer(c)
        route = tc.arm_transpose_conv_wrapper_s8_variant(layer.params, layer.input_shape, layer.filter.shape, layer.output_shape)
        routes.setdefault(route, []).append(layer.bias is not None)
    assert set(routes) == {"arm_convolve_s8", "arm_transpose_conv_s8"}
    for biases in routes.values():
        assert set(biases) == {True, False}


@pytest.mark.parametrize(
    "stride, c_in, expected",
    [
        ((1, 1), 17, "arm_convolve_s8"),
        ((2, 2), 20, "arm_convolve_s8"),
        ((1, 2), 64, "arm_convolve_s8"),
        ((2, 2), 16, "arm_transpose_conv_s8"),
        ((3, 1), 20, "arm_transpose_conv_s8"),
        ((1, 3), 20, "arm_transpose_conv_s8"),
        ((1, 1), 3, "arm_transpose_conv_s8"),
    ],
)
def test_variant(stride: tuple[int, int], c_in: int, expected: str) -> None:
    p = TransposeConvParams(0, 0, stride=Tile(*stride))
    assert tc.arm_transpose_conv_wrapper_s8_variant(p, (1, 3, 3, c_in), (2, 3, 3, c_in)) == expected


@pytest.mark.parametrize("stride", [(1, 1), (2, 2), (2, 1), (1, 2)])
@pytest.mark.parametrize("pad", [(0, 0), (1, 1), (2, 1), (0, 2)])
def test_reverse_route_against_reference(stride: tuple[int, int], pad: tuple[int, int]) -> None:
    """Reverse-conv route vs scatter kernel vs numpy, for paddings TFLite would not produce too."""
    rng = np.random.default_rng(100 * stride[0] + 10 * stride[1] + 3 * pad[0] + pad[1])
    x = rng.integers(-128, 128, size=(1, 3, 4, 18), dtype=np.int8)
    w = rng.integers(-127, 128, size=(3, 3, 3, 18), dtype=np.int8)
    b = rng.integers(-20000, 20000, size=3).astype(np.int32)
    q = PerChannelQuant(tuple(int(m) for m in rng.integers(2**30, 2**31 - 1, 3)), (-9, -10, -8))
    p = TransposeConvParams(7, -5, stride=Tile(*stride), padding=Tile(*pad), activation=Activation(-120, 100))
    out_shape = (1, 3 * stride[1] + 1, 4 * stride[0] - 1, 3)
    assert tc.arm_transpose_conv_wrapper_s8_variant(p, x.shape, w.shape) == "arm_convolve_s8"
    expected = reference_transpose_conv(x, w, b, q, p, out_shape)
    np.testing.assert_array_equal(tc.arm_transpose_conv_wrapper_s8(p, q, x, w, b, out_shape), expected)
    np.testing.assert_array_equal(tc.arm_transpose_conv_s8(p, q, x, w, b, out_shape), expected)
    np.testing.assert_array_equal(tc.arm_transpose_conv_wrapper_s8(p, q, x, w, None, out_shape), reference_transpose_conv(x, w, None, q, p, out_shape))


# --------------------------------------------------------------- buffer sizes


def test_buffer_sizes() -> None:
    # Reverse route: the im2col size of the zero-inserted input (3*3*20 = 180 -> 720 bytes; MVE 4 * 192),
    # and the flipped filter (20 * 3 * 3 * 3 = 540 bytes).
    p2 = TransposeConvParams(0, 0, stride=Tile(2, 2), padding=Tile(1, 1))
    assert tc.arm_transpose_conv_s8_get_buffer_size(p2, (1, 4, 4, 20), (3, 3, 3, 20), (1, 8, 8, 3)) == 720
    assert tc.arm_transpose_conv_s8_get_buffer_size_mve(p2, (1, 4, 4, 20), (3, 3, 3, 20), (1, 8, 8, 3)) == 768
    assert tc.arm_transpose_conv_s8_get_reverse_conv_buffer_size(p2, (1, 4, 4, 20), (3, 3, 3, 20)) == 540
    # Scatter route: rows of int32 ((4 - 1) * 2 + max(3, 2)) * 3 wide, max(3, 2) tall -> 324 bytes; no flipped filter.
    assert tc.arm_transpose_conv_s8_get_buffer_size(p2, (1, 4, 4, 5), (3, 3, 3, 5), (1, 8, 8, 3)) == 324
    assert tc.arm_transpose_conv_s8_get_buffer_size_mve(p2, (1, 4, 4, 5), (3, 3, 3, 5), (1, 8, 8, 3)) == 324
    assert tc.arm_transpose_conv_s8_get_reverse_conv_buffer_size(p2, (1, 4, 4, 5), (3, 3, 3, 5)) == 0
    # As in CMSIS-NN, the row overhang pairs the filter width with the vertical stride.
    p3 = TransposeConvParams(0, 0, stride=Tile(3, 1))
    assert tc.arm_transpose_conv_s8_get_buffer_size(p3, (1, 2, 4, 20), (2, 1, 2, 20), (1, 2, 11, 2)) == ((3 * 3 + 2) * 2) * 1 * 4


# -------------------------------------------------------------- validation

GOOD_X = np.zeros((1, 3, 3, 4), dtype=np.int8)
GOOD_W = np.ones((2, 3, 3, 4), dtype=np.int8)
GOOD_B = np.zeros(2, dtype=np.int32)
GOOD_Q = PerChannelQuant((2**30,) * 2, (-1,) * 2)
GOOD_P = TransposeConvParams(1, -2, stride=Tile(2, 2), padding=Tile(1, 1), padding_offsets=Tile(1, 1))
GOOD_OUT = (1, 6, 6, 2)


def _args(**over: Any) -> dict[str, Any]:
    base = dict(transpose_conv_params=GOOD_P, quant_params=GOOD_Q, input=GOOD_X, filter=GOOD_W, bias=GOOD_B, output_shape=GOOD_OUT)
    base.update(over)
    return base


BAD = [
    ("input dtype", dict(input=GOOD_X.astype(np.uint8)), "input"),
    ("input ndim", dict(input=GOOD_X[0]), "input"),
    ("filter dtype", dict(filter=GOOD_W.astype(np.int32)), "filter"),
    ("filter channels", dict(filter=np.ones((2, 3, 3, 2), np.int8)), "filter"),
    ("bias length", dict(bias=np.zeros(3, np.int32)), "bias"),
    ("bias dtype", dict(bias=np.zeros(2, np.float32)), "bias"),
    ("input offset", dict(transpose_conv_params=replace(GOOD_P, input_offset=-128)), "input_offset"),
    ("output offset", dict(transpose_conv_params=replace(GOOD_P, output_offset=200)), "output_offset"),
    ("activation order", dict(transpose_conv_params=replace(GOOD_P, activation=Activation(5, 4))), "activation"),
    ("zero stride", dict(transpose_conv_params=replace(GOOD_P, stride=Tile(2, 0))), "stride"),
    ("negative padding", dict(transpose_conv_params=replace(GOOD_P, padding=Tile(-1, 0))), "padding"),
    ("padding above filter", dict(transpose_conv_params=replace(GOOD_P, padding=Tile(3, 0))), "padding"),
    ("padding offsets", dict(transpose_conv_params=replace(GOOD_P, padding_offsets=Tile(2, 0))), "padding_offsets"),
    ("dilation", dict(transpose_conv_params=replace(GOOD_P, dilation=Tile(2, 1))), "dilation"),
    ("params type", dict(transpose_conv_params=GOOD_Q), "transpose_conv_params"),
    ("multiplier count", dict(quant_params=PerChannelQuant((2**30,) * 3, (-1,) * 3)), "quant_params"),
    ("shift range", dict(quant_params=PerChannelQuant((2**30,) * 2, (-32, -1))), "shift"),
    ("output batch", dict(output_shape=(2, 6, 6, 2)), "output_shape"),
    ("output channels", dict(output_shape=(1, 6, 6, 3)), "output_shape"),
    ("output zero dim", dict(output_shape=(1, 0, 6, 2)), "output_shape"),
]


@pytest.mark.parametrize("fn", ["arm_transpose_conv_wrapper_s8", "arm_transpose_conv_s8"])
@pytest.mark.parametrize("what, over, word", BAD, ids=[b[0] for b in BAD])
def test_bad_arguments(fn: str, what: str, over: dict, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        getattr(tc, fn)(**_args(**over))


def test_good_arguments_run() -> None:
    for fn in ("arm_transpose_conv_wrapper_s8", "arm_transpose_conv_s8"):
        assert getattr(tc, fn)(**_args()).shape == GOOD_OUT


def _c_status(fn: Any, c_in: int, buf: bool, reverse_buf: bool) -> int:
    x = np.zeros((1, 3, 3, c_in), np.int8)
    w = np.ones((2, 3, 3, c_in), np.int8)
    out = np.zeros(GOOD_OUT, np.int8)
    mult, shift = np.full(2, 2**30, np.int32), np.full(2, -1, np.int32)
    ctx, _k1 = context(4096)
    rctx, _k2 = context(4096)
    null = ffi.new("cmsis_nn_context *", {"buf": ffi.NULL, "size": 0})
    return int(
        fn(
            ctx if buf else null,
            rctx if reverse_buf else null,
            c_transpose_conv_params(GOOD_P),
            c_per_channel(mult, shift),
            dims(x.shape),
            ptr(x, "int8_t"),
            dims(w.shape),
            ptr(w, "int8_t"),
            dims((1, 1, 1, 2)),
            ffi.NULL,
            dims(GOOD_OUT),
            ptr(out, "int8_t"),
        )
    )


def test_c_null_scratch_is_arg_error() -> None:
    wrapper = lib.arm_transpose_conv_wrapper_s8
    assert _c_status(wrapper, 4, True, True) == 0
    assert _c_status(wrapper, 4, False, True) == -1
    assert _c_status(wrapper, 4, True, False) == 0  # scatter route: reverse_conv_ctx unused
    assert _c_status(wrapper, 20, True, True) == 0
    assert _c_status(wrapper, 20, False, True) == -1
    assert _c_status(wrapper, 20, True, False) == -1  # reverse route needs the flipped-filter buffer
    assert _c_status(lib.arm_transpose_conv_s8, 4, True, False) == 0


def test_c_kernel_null_scratch_is_arg_error() -> None:
    """Only the wrapper checks ctx->buf in Arm's library (its arm_transpose_conv_s8
    crashes on a NULL buffer; our wrappers never pass one): ours checks in both."""
    require_our_kernels("a NULL scratch buffer handed to arm_transpose_conv_s8 itself")
    assert _c_status(lib.arm_transpose_conv_s8, 4, False, True) == -1
