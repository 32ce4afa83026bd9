"""s4 kernels (int8 activations, packed int4 weights) against TFLite Micro.

Each configuration takes a converted int8 single-op model (the CONV_2D,
DEPTHWISE_CONV_2D and FULLY_CONNECTED sweeps of the s8 tests, same cached
models), rewrites its weight buffer to seeded random values in [-8, 7] (the
weight scales, and the bias scales with them, multiplied by 16 so that the
outputs keep their spread; bias values divided by 16 so that they mean what
they meant), and takes TFLite Micro's output on that int8
model as the reference. Our s4 kernels, given the same weights packed with
``pack_int4``, must equal it exactly: the wrapper, the kernel the wrapper
dispatches to, and the generic kernel. The same weights are then written as
a real INT4 tensor (type INT4, packed buffer): TFLite Micro must give the same
output on that model, which proves that our packing is TFLite's.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import lookup
from pycmsisnn.kernels import s4
from pycmsisnn.kernels._base import context, dims, ffi, lib
from pycmsisnn.params import Activation, ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant, Tile
from tests.kernels import test_convolution as conv_cases
from tests.kernels import test_depthwise as dw_cases
from tests.kernels import test_fully_connected as fc_cases
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import schema, single_op
from tests.support.tflite_build import build_model
from tests.support.tflm import run_tflm

WEIGHT_SCALE_FACTOR = 16.0


# ------------------------------------------------------------ model editing


def _seed(key: str) -> int:
    return zlib.crc32(f"s4|{key}".encode()) % 100_000


def _int4_weights(model: bytes, op_name: str, seed: int) -> tuple[bytes, np.ndarray]:
    """The model with its op's weights replaced by random values in [-8, 7] (scales
    of weights and bias times WEIGHT_SCALE_FACTOR); returns (model, weights)."""
    op = single_op(model, op_name)
    w_view = op.inputs[1]
    assert w_view is not None and w_view.data is not None
    b_index = op.inputs[2].index if len(op.inputs) > 2 and op.inputs[2] is not None else None
    weights = random_int4(w_view.shape, seed)
    return edit_model(model, lambda m: rewrite_weights(m, w_view.index, b_index, weights)), weights


def random_int4(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Seeded int8 values in [-8, 7], both ends of the range whatever the draw."""
    weights = np.random.default_rng(seed).integers(-8, 8, size=shape, dtype=np.int8)
    flat = weights.reshape(-1)
    flat[0] = -8
    flat[-1] = 7
    return weights


def rewrite_weights(m: Any, w_index: int, b_index: int | None, weights: np.ndarray) -> None:
    """Edit the model object ``m``: weight tensor ``w_index`` gets the int8
    ``weights`` (values in [-8, 7]) and its scales times WEIGHT_SCALE_FACTOR;
    bias tensor ``b_index`` (if any) follows (scales times the factor, values
    divided by it)."""
    sg = m.subgraphs[0]
    t = sg.tensors[w_index]
    m.buffers[t.buffer].data = np.frombuffer(weights.tobytes(), dtype=np.uint8).copy()
    t.quantization.scale = [float(s) * WEIGHT_SCALE_FACTOR for s in t.quantization.scale]
    if b_index is not None:
        # The bias scale follows the weights' (TFLite checks it is input x
        # weight scale); its values shrink by as much, to mean the same.
        bt = sg.tensors[b_index]
        bt.quantization.scale = [float(s) * WEIGHT_SCALE_FACTOR for s in bt.quantization.scale]
        buf = m.buffers[bt.buffer]
        b = np.frombuffer(bytes(bytearray(buf.data)), dtype=np.int32)
        scaled = np.round(b / WEIGHT_SCALE_FACTOR).astype(np.int32)
        buf.data = np.frombuffer(scaled.tobytes(), dtype=np.uint8).copy()


def make_int4(m: Any, index: int, values: np.ndarray) -> None:
    """Edit the model object ``m``: tensor ``index`` becomes a real INT4 tensor
    holding ``values`` (int8 in [-8, 7]) packed in its buffer."""
    t = m.subgraphs[0].tensors[index]
    t.type = schema().TensorType.INT4
    m.buffers[t.buffer].data = s4.pack_int4(values).view(np.uint8).copy()


def _as_int4_model(model: bytes, op_name: str) -> bytes:
    """The int8 model with its op's weight tensor made a real INT4 tensor (packed buffer)."""
    op = single_op(model, op_name)
    w_view = op.inputs[1]
    assert w_view is not None and w_view.data is not None
    return edit_model(model, lambda m: make_int4(m, w_view.index, w_view.data))


def _check_int4_model(model: bytes, op_name: str, x: np.ndarray, expected: np.ndarray) -> None:
    """TFLite Micro on the INT4 model equals its output on the int8 one."""
    int4_model = _as_int4_model(model, op_name)
    got = run_tflm(int4_model, [x])[0]
    np.testing.assert_array_equal(got, expected)


def _spread(expected: np.ndarray) -> None:
    """The reference is not degenerate (a test on a constant output proves little)."""
    assert len(np.unique(expected)) >= min(4, max(1, expected.size // 2)), np.unique(expected)


# ---------------------------------------------------------------- CONV_2D

CONV = [c for c in conv_cases.CASES if c.groups == 1]
CONV_KERNELS: dict[str, Callable[..., np.ndarray]] = {
    "arm_convolve_s4": s4.arm_convolve_s4,
    "arm_convolve_1x1_s4": s4.arm_convolve_1x1_s4,
    "arm_convolve_1x1_s4_fast": s4.arm_convolve_1x1_s4_fast,
    "arm_convolve_1_x_n_s4": s4.arm_convolve_1_x_n_s4,
}


def _expected_conv_variant(c: Any) -> str:
    """What Arm's dispatch rule gives for the case (independent of s4.py's helper)."""
    n, h, w, ch = c.shape
    kh, kw = c.kernel
    if (kh, kw) == (1, 1) and c.padding == "valid" and c.dilation == (1, 1):
        return "arm_convolve_1x1_s4_fast" if c.strides == (1, 1) else "arm_convolve_1x1_s4"
    # SAME padding of a 1x1 filter is zero padding too.
    if (kh, kw) == (1, 1) and c.dilation == (1, 1):
        return "arm_convolve_1x1_s4_fast" if c.strides == (1, 1) else "arm_convolve_1x1_s4"
    if h == 1 and kh == 1 and c.dilation[1] == 1 and (c.strides[1] * ch) % 4 == 0:
        return "arm_convolve_1_x_n_s4"
    return "arm_convolve_s4"


@pytest.mark.parametrize("case", CONV, ids=conv_cases.case_id)
def test_conv_matches_tflm(case: Any) -> None:
    layer = conv_cases.make_layer(case)
    model, weights = _int4_weights(layer.model, "CONV_2D", _seed(case.key))
    layer = _conv_layer(model)
    x = conv_cases.random_input(layer.input_shape, case.seed)
    expected = run_tflm(model, [x])[0]
    _spread(expected)
    np.testing.assert_array_equal(layer.filter, weights)

    packed = s4.pack_int4(weights)
    fshape = weights.shape
    variant = s4.arm_convolve_wrapper_s4_variant(layer.params, layer.input_shape, fshape)
    assert variant == _expected_conv_variant(case)
    args = (layer.params, layer.quant, x, packed, fshape, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(s4.arm_convolve_wrapper_s4(*args), expected)
    np.testing.assert_array_equal(CONV_KERNELS[variant](*args), expected)
    np.testing.assert_array_equal(s4.arm_convolve_s4(*args), expected)
    if weights[0].size % 2 == 0:
        np.testing.assert_array_equal(s4.arm_convolve_even_s4(*args), expected)
    # The s8 kernel on the unpacked weights agrees too.
    np.testing.assert_array_equal(
        conv_cases.conv.arm_convolve_wrapper_s8(layer.params, layer.quant, x, weights, layer.bias, layer.output_shape),
        expected,
    )
    _check_int4_model(model, "CONV_2D", x, expected)


@dataclass(frozen=True)
class _ConvLayer:
    params: ConvParams
    quant: PerChannelQuant
    filter: np.ndarray
    bias: np.ndarray | None
    input_shape: tuple[int, int, int, int]
    output_shape: tuple[int, int, int, int]


def _conv_layer(model: bytes) -> _ConvLayer:
    """Kernel parameters of the (edited) CONV_2D, derived as the s8 tests derive them."""
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
    return _ConvLayer(params, q, w.data, bias, tuple(x.shape), tuple(out.shape))  # type: ignore[arg-type]


# ------------------------------------------------------- DEPTHWISE_CONV_2D

DW = dw_cases.CASES


@pytest.mark.parametrize("case", DW, ids=str)
def test_depthwise_matches_tflm(case: Any) -> None:
    base = build_model(case.key, dw_cases._make(case), [case.shape], seed=case.seed, input_range=case.input_range)
    model, weights = _int4_weights(base, "DEPTHWISE_CONV_2D", _seed(case.key))
    layer = dw_cases.derive(single_op(model, "DEPTHWISE_CONV_2D"))
    np.testing.assert_array_equal(layer.filter, weights)
    x = dw_cases._input(case)
    expected = run_tflm(model, [x])[0]
    _spread(expected)

    packed = s4.pack_int4(weights)
    fshape = weights.shape
    opt = case.mult == 1 and case.shape[0] == 1 and case.dilation == (1, 1)
    variant = s4.arm_depthwise_conv_wrapper_s4_variant(layer.params, x.shape, fshape)
    assert variant == ("arm_depthwise_conv_s4_opt" if opt else "arm_depthwise_conv_s4")
    args = (layer.params, layer.quant, x, packed, fshape, layer.bias, layer.output_shape)
    np.testing.assert_array_equal(s4.arm_depthwise_conv_wrapper_s4(*args), expected)
    np.testing.assert_array_equal(s4.arm_depthwise_conv_s4(*args), expected)
    if opt:
        np.testing.assert_array_equal(s4.arm_depthwise_conv_s4_opt(*args), expected)
    np.testing.assert_array_equal(
        dw_cases.reference(layer.params, layer.quant, x, weights, layer.bias, layer.output_shape), expected
    )
    _check_int4_model(model, "DEPTHWISE_CONV_2D", x, expected)


# --------------------------------------------------------- FULLY_CONNECTED

FC = [c for c in fc_cases.CONFIGS if not c.per_channel]


@pytest.mark.parametrize("cfg", FC, ids=[c.key for c in FC])
def test_fully_connected_matches_tflm(cfg: Any) -> None:
    model, weights = _int4_weights(fc_cases._model(cfg), "FULLY_CONNECTED", _seed(cfg.key))
    op = single_op(model, "FULLY_CONNECTED")
    params, q, w, bias = fc_cases._derive(op)
    assert isinstance(q, PerTensorQuant)
    np.testing.assert_array_equal(w, weights)
    rng = np.random.default_rng(cfg.seed + 500)
    x = rng.integers(-128, 128, size=cfg.shape, dtype=np.int8)
    expected = run_tflm(model, [x])[0]
    _spread(expected)

    depth = weights.shape[1]
    got = s4.arm_fully_connected_s4(params, q, x.reshape(-1, depth), s4.pack_int4(weights), weights.shape, bias)
    np.testing.assert_array_equal(got.reshape(expected.shape), expected)
    _check_int4_model(model, "FULLY_CONNECTED", x, expected)


# -------------------------------------------------------------- the sweep


def test_sweep_covers_the_dispatch() -> None:
    """At least 60 configurations, reaching every kernel and packing case."""
    assert len(CONV) + len(DW) + len(FC) >= 60
    conv_variants = {_expected_conv_variant(c) for c in CONV}
    assert conv_variants == set(CONV_KERNELS)
    # Odd and even output-channel rows (a row starting mid-byte), odd totals.
    rows = {c.kernel[0] * c.kernel[1] * c.shape[3] % 2 for c in CONV}
    totals = {c.filters * c.kernel[0] * c.kernel[1] * c.shape[3] % 2 for c in CONV}
    assert rows == {0, 1} and totals == {0, 1}
    assert {c.strides for c in CONV} >= {(1, 1), (2, 2), (1, 2)}
    assert any(c.dilation != (1, 1) for c in CONV) and {"same", "valid"} <= {c.padding for c in CONV}
    assert {c.mult for c in DW} >= {1, 2, 3}
    assert any(c.dilation != (1, 1) for c in DW) and any(c.shape[0] > 1 for c in DW)
    assert {(c.kernel[0] * c.kernel[1] * c.shape[3] * c.mult) % 2 for c in DW} == {0, 1}
    assert {c.shape[1] * c.units % 2 for c in FC} == {0, 1}


def test_models_use_per_channel_scales() -> None:
    """The conv and depthwise weights carry one scale per output channel."""
    layer = conv_cases.make_layer(next(c for c in CONV if c.filters > 2))
    op = single_op(layer.model, "CONV_2D")
    assert op.inputs[1] is not None and len(set(op.inputs[1].scales.tolist())) > 1


# ----------------------------------------------------------------- packing


def test_pack_int4_layout() -> None:
    """Low nibble first, two's complement, odd count padded with a zero nibble."""
    w = np.array([1, 2, 3, 4], dtype=np.int8)
    assert s4.pack_int4(w).view(np.uint8).tolist() == [0x21, 0x43]
    w = np.array([-8, 7, -1], dtype=np.int8)
    assert s4.pack_int4(w).view(np.uint8).tolist() == [0x78, 0x0F]
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 64, 135):
        v = rng.integers(-8, 8, size=n, dtype=np.int8)
        packed = s4.pack_int4(v)
        assert packed.dtype == np.int8 and packed.shape == ((n + 1) // 2,)
        np.testing.assert_array_equal(s4.unpack_int4(packed, n), v)


@pytest.mark.parametrize(
    "w, reason",
    [
        (np.array([8], dtype=np.int8), r"\[-8, 7\]"),
        (np.array([-9, 0], dtype=np.int8), r"\[-8, 7\]"),
        (np.array([1, 2], dtype=np.int16), "dtype int8"),
        ([1, 2], "numpy array"),
    ],
)
def test_pack_int4_rejects(w: Any, reason: str) -> None:
    with pytest.raises(ArgError, match=reason):
        s4.pack_int4(w)


def test_registered() -> None:
    for name in ("arm_convolve_wrapper_s4", "arm_depthwise_conv_wrapper_s4", "arm_fully_connected_s4", "arm_convolve_even_s4"):
        assert lookup(name) is getattr(s4, name)


# ------------------------------------------------------ argument validation


def _conv_call() -> dict[str, Any]:
    rng = np.random.default_rng(9)
    w = rng.integers(-8, 8, size=(3, 3, 3, 5), dtype=np.int8)
    return dict(
        conv_params=ConvParams(0, 0, Tile(1, 1), Tile(1, 1), Tile(1, 1), Activation(-128, 127)),
        quant_params=PerChannelQuant((1 << 30,) * 3, (-4,) * 3),
        input=rng.integers(-128, 128, size=(1, 5, 5, 5), dtype=np.int8),
        filter=s4.pack_int4(w),
        filter_shape=(3, 3, 3, 5),
        bias=np.zeros(3, dtype=np.int32),
        output_shape=(1, 5, 5, 3),
    )


@pytest.mark.parametrize(
    "change, argument",
    [
        ({"filter": np.zeros(67, dtype=np.int8)}, "filter: has 67 packed bytes"),
        ({"filter": np.zeros(68, dtype=np.uint8)}, "filter: must have dtype int8"),
        ({"filter": np.zeros((68, 1), dtype=np.int8)}, "filter: must have 1 dimensions"),
        ({"filter_shape": (3, 3, 3, 4)}, "filter_shape: has 4 input channels"),
        ({"filter_shape": (3, 3, 3)}, "filter_shape"),
        ({"bias": np.zeros(4, dtype=np.int32)}, "bias: has 4 entries"),
        ({"output_shape": (1, 5, 5, 4)}, "output_shape"),
        ({"output_shape": (1, 4, 5, 3)}, "output_shape: height 4"),
        ({"quant_params": PerChannelQuant((1 << 30,) * 2, (-4,) * 2)}, "quant_params"),
        ({"input": np.zeros((1, 5, 5, 5), dtype=np.int16)}, "input: must have dtype int8"),
    ],
)
def test_conv_rejects(change: dict[str, Any], argument: str) -> None:
    kw = _conv_call() | change
    for fn in (s4.arm_convolve_wrapper_s4, s4.arm_convolve_s4):
        with pytest.raises(ArgError, match=f"^{fn.__name__}: {argument}"):
            fn(**kw)


def test_specific_conv_kernels_reject_layers_they_do_not_take() -> None:
    kw = _conv_call()
    with pytest.raises(ArgError, match="arm_convolve_1x1_s4: filter_shape: must be 1x1"):
        s4.arm_convolve_1x1_s4(**kw)
    with pytest.raises(ArgError, match="arm_convolve_1_x_n_s4: input: height must be 1"):
        s4.arm_convolve_1_x_n_s4(**kw)
    # 3 * 3 * 5 = 45 weights per output channel: odd.
    with pytest.raises(ArgError, match="arm_convolve_even_s4: filter_shape: KH\\*KW\\*C_IN must be even"):
        s4.arm_convolve_even_s4(**kw)
    w = np.zeros((2, 1, 1, 5), dtype=np.int8)
    pw = kw | dict(
        filter=s4.pack_int4(w),
        filter_shape=w.shape,
        quant_params=PerChannelQuant((1 << 30,) * 2, (-4,) * 2),
        bias=None,
        conv_params=ConvParams(0, 0, Tile(2, 2), Tile(0, 0), Tile(1, 1)),
        output_shape=(1, 3, 3, 2),
    )
    np.testing.assert_array_equal(s4.arm_convolve_1x1_s4(**pw), s4.arm_convolve_s4(**pw))
    with pytest.raises(ArgError, match="arm_convolve_1x1_s4_fast: conv_params.stride: must be 1x1"):
        s4.arm_convolve_1x1_s4_fast(**pw)


def test_depthwise_rejects() -> None:
    rng = np.random.default_rng(4)
    w = rng.integers(-8, 8, size=(1, 3, 3, 6), dtype=np.int8)
    kw: dict[str, Any] = dict(
        dw_conv_params=DwConvParams(0, 0, 2, Tile(1, 1), Tile(1, 1), Tile(1, 1), Activation(-128, 127)),
        quant_params=PerChannelQuant((1 << 30,) * 6, (-4,) * 6),
        input=rng.integers(-128, 128, size=(1, 4, 4, 3), dtype=np.int8),
        filter=s4.pack_int4(w),
        filter_shape=w.shape,
        bias=None,
        output_shape=(1, 4, 4, 6),
    )
    out = s4.arm_depthwise_conv_wrapper_s4(**kw)
    assert out.shape == (1, 4, 4, 6)
    with pytest.raises(ArgError, match="arm_depthwise_conv_s4_opt: dw_conv_params.ch_mult: must be 1"):
        s4.arm_depthwise_conv_s4_opt(**kw)
    with pytest.raises(ArgError, match="arm_depthwise_conv_s4: filter: has 26 packed bytes"):
        s4.arm_depthwise_conv_s4(**(kw | {"filter": np.zeros(26, dtype=np.int8)}))
    with pytest.raises(ArgError, match="arm_depthwise_conv_wrapper_s4: filter: has 5 output channels"):
        s4.arm_depthwise_conv_wrapper_s4(**(kw | {"filter_shape": (1, 3, 3, 5), "filter": np.zeros(23, dtype=np.int8)}))


def test_fully_connected_rejects() -> None:
    fc = FcParams(0, 0, 0, Activation(-128, 127))
    q = PerTensorQuant(1 << 30, -3)
    x = np.zeros((2, 5), dtype=np.int8)
    packed = s4.pack_int4(np.ones((3, 5), dtype=np.int8))
    assert s4.arm_fully_connected_s4(fc, q, x, packed, (3, 5), None).shape == (2, 3)
    with pytest.raises(ArgError, match="arm_fully_connected_s4: filter_shape: has depth 4"):
        s4.arm_fully_connected_s4(fc, q, x, np.zeros(6, dtype=np.int8), (3, 4), None)
    with pytest.raises(ArgError, match="arm_fully_connected_s4: filter: has 7 packed bytes"):
        s4.arm_fully_connected_s4(fc, q, x, np.zeros(7, dtype=np.int8), (3, 5), None)
    with pytest.raises(ArgError, match="arm_fully_connected_s4: filter_shape: must be"):
        s4.arm_fully_connected_s4(fc, q, x, packed, (15,), None)
    with pytest.raises(ArgError, match="arm_fully_connected_s4: quant_params"):
        s4.arm_fully_connected_s4(fc, PerTensorQuant(-5, 0), x, packed, (3, 5), None)


# ------------------------------------------------- the C argument checks


def _c_conv(fn: Any, ctx: Any, filter_h: int, in_h: int, stride: int = 1, pad: int = 0) -> int:
    cp = ffi.new(
        "cmsis_nn_conv_params *",
        {"input_offset": 0, "output_offset": 0, "stride": {"w": stride, "h": stride}, "padding": {"w": pad, "h": pad},
         "dilation": {"w": 1, "h": 1}, "activation": {"min": -128, "max": 127}},
    )
    mult = ffi.new("int32_t[]", [1 << 30] * 2)
    shift = ffi.new("int32_t[]", [-1] * 2)
    qp = ffi.new("cmsis_nn_per_channel_quant_params *", {"multiplier": mult, "shift": shift})
    x = ffi.new("int8_t[]", 64)
    w = ffi.new("int8_t[]", 64)
    out = ffi.new("int8_t[]", 64)
    return int(
        fn(ctx, cp, qp, dims((1, in_h, 4, 4)), x, dims((2, filter_h, 1, 4)), w, dims((1, 1, 1, 2)), ffi.NULL,
           dims((1, in_h, 4, 2)), out)
    )


def test_c_kernels_return_arg_error() -> None:
    ok = int(lib.ARM_CMSIS_NN_SUCCESS)
    err = int(lib.ARM_CMSIS_NN_ARG_ERROR)
    ctx, _buf = context(256)
    null_buf = ffi.new("cmsis_nn_context *", {"buf": ffi.NULL, "size": 0})
    # The generic, even and 1xN kernels need ctx->buf (their buffer size is > 0).
    assert _c_conv(lib.arm_convolve_s4, null_buf, 1, 4) == err
    assert _c_conv(lib.arm_convolve_even_s4, null_buf, 1, 4) == err
    assert _c_conv(lib.arm_convolve_1_x_n_s4, null_buf, 1, 1) == err
    assert _c_conv(lib.arm_convolve_s4, ctx, 1, 4) == ok
    # Shapes a kernel does not take.
    assert _c_conv(lib.arm_convolve_1x1_s4, ctx, 3, 4, pad=1) == err
    assert _c_conv(lib.arm_convolve_1x1_s4_fast, ctx, 1, 4, stride=2) == err
    assert _c_conv(lib.arm_convolve_1_x_n_s4, ctx, 1, 4) == err
    assert _c_conv(lib.arm_convolve_1x1_s4_fast, null_buf, 1, 4) == ok  # needs no scratch


def test_buffer_sizes() -> None:
    p = ConvParams(0, 0, Tile(1, 1), Tile(1, 1), Tile(1, 1))
    # The generic kernel promises Arm's sizes: two int16 columns of KH * KW * C_IN
    # (portable and DSP), four int8 columns of that rounded up to 16 (MVE).
    assert s4.arm_convolve_s4_get_buffer_size((1, 5, 5, 5), (3, 3, 3, 5)) == 2 * 45 * 2
    assert s4.arm_convolve_wrapper_s4_get_buffer_size(p, (1, 5, 5, 5), (3, 3, 3, 5), (1, 5, 5, 3)) == 180
    assert s4.arm_convolve_wrapper_s4_get_buffer_size_dsp(p, (1, 5, 5, 5), (3, 3, 3, 5), (1, 5, 5, 3)) == 180
    assert s4.arm_convolve_wrapper_s4_get_buffer_size_mve(p, (1, 5, 5, 5), (3, 3, 3, 5), (1, 5, 5, 3)) == 4 * 48
    p1 = ConvParams(0, 0, Tile(1, 1), Tile(0, 0), Tile(1, 1))
    assert s4.arm_convolve_wrapper_s4_get_buffer_size(p1, (1, 5, 5, 5), (3, 1, 1, 5), (1, 5, 5, 3)) == 0
    assert s4.arm_convolve_1x1_s4_fast_get_buffer_size((1, 5, 5, 5)) == 0
    assert s4.arm_convolve_1_x_n_s4_get_buffer_size(p1, (1, 1, 8, 4), (3, 1, 3, 4), (1, 1, 6, 3)) == 2 * 12 * 2
    dp = DwConvParams(0, 0, 1, Tile(1, 1), Tile(1, 1), Tile(1, 1))
    assert s4.arm_depthwise_conv_s4_opt_get_buffer_size((1, 5, 5, 6), (1, 3, 3, 6)) == 6 * 9 * 2
    assert s4.arm_depthwise_conv_wrapper_s4_get_buffer_size(dp, (1, 5, 5, 6), (1, 3, 3, 6), (1, 5, 5, 6)) == 108
    assert s4.arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp(dp, (1, 5, 5, 6), (1, 3, 3, 6), (1, 5, 5, 6)) == 108
    assert s4.arm_depthwise_conv_wrapper_s4_get_buffer_size_mve(dp, (1, 5, 5, 6), (1, 3, 3, 6), (1, 5, 5, 6)) == 4 * 124 * 9
    dp2 = DwConvParams(0, 0, 2, Tile(1, 1), Tile(1, 1), Tile(1, 1))
    assert s4.arm_depthwise_conv_wrapper_s4_get_buffer_size(dp2, (1, 5, 5, 3), (1, 3, 3, 6), (1, 5, 5, 6)) == 0
