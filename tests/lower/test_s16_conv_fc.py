"""16x8 models lowered whole: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
BATCH_MATMUL and TRANSPOSE_CONV with int16 activations, through
``load(model).run(x)`` against TensorFlow Lite Micro on random int16 inputs.

The kernel tests' 16x8 configurations (``tests.kernels.test_convolution_s16``,
``tests.kernels.test_s16``) are run whole here, every one of them, plus
per-channel FULLY_CONNECTED (the converter's default for Dense layers; TFLite
Micro's reference computes it, CMSIS-NN has no kernel: ours is
``pycmsisnn_fully_connected_per_channel_s16``), int32 biases and int32 sums
without a bias (``quantized_bias_type``), and TRANSPOSE_CONV (CMSIS-NN has no
s16 transpose convolution: ours is ``pycmsisnn_transpose_conv_s16``). Some
models, and the MLPerf Tiny networks converted 16x8, are generated as C and
compiled for the host; models pycmsisnn must refuse are refused with their
reason.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import conv_fc_s16, lookup
from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.params import Activation, FcParams, PerChannelQuant, Tile, TransposeConvParams
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import Model, load
from pycmsisnn.tflite import read_model
from pycmsisnn.verify import random_inputs
from tests.codegen.host import build_host_model, output_specs
from tests.kernels import test_convolution_s16 as conv_cases
from tests.kernels import test_s16 as s16_cases
from tests.support import mlperf_tiny
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import input_names, schema
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import keras_order, run_tflm

INT16_MIN, INT16_MAX = -32768, 32767


def _random(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(INT16_MIN, INT16_MAX + 1, size=shape, dtype=np.int16)


def _model_order(model: bytes, keras_inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Inputs given in Keras order (input_0, input_1, ...) in the model's order."""
    return [keras_inputs[k] for k in keras_order(input_names(model))]


def _check(model: bytes, keras_inputs: list[np.ndarray], kernel: str) -> Model:
    """``load(model).run`` equals TFLite Micro, through ``kernel``."""
    m = load(model)
    assert [c.kernel for c in m.plan.calls] == [kernel]
    expected = run_tflm(model, keras_inputs)
    got = m.run(_model_order(model, keras_inputs))
    assert isinstance(got, list) and len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == np.int16
        np.testing.assert_array_equal(g, e.reshape(g.shape))
    return m


def _op_edit(opname: str, edit: Callable[[Any, Any], None]) -> Callable[[Any], None]:
    """A model edit applying ``edit(subgraph, operator)`` to each ``opname`` operator."""

    def apply(m: Any) -> None:
        sg = m.subgraphs[0]
        for op in sg.operators:
            if m.operatorCodes[op.opcodeIndex].builtinCode == getattr(schema().BuiltinOperator, opname):
                edit(sg, op)

    return apply


def _without_bias(opname: str, bias_slot: int, int32_sums: bool) -> Callable[[Any], None]:
    """Drop the operator's bias; with ``int32_sums`` ask for 32-bit sums (quantized_bias_type INT32)."""

    def edit(sg: Any, op: Any) -> None:
        op.inputs = np.asarray(list(op.inputs)[:bias_slot] + [-1] + list(op.inputs)[bias_slot + 1 :], dtype=np.int32)
        if int32_sums:
            op.builtinOptions.quantizedBiasType = schema().TensorType.INT32

    return _op_edit(opname, edit)


# ---------------------------------------------------------- CONV_2D and DEPTHWISE


@pytest.mark.parametrize("case", conv_cases.CONV_CASES, ids=conv_cases.case_id)
def test_conv(case: conv_cases.Case) -> None:
    layer = conv_cases.make_layer(case)
    m = _check(layer.model, [conv_cases.random_input(layer.input_shape, case.seed)], "arm_convolve_wrapper_s16")
    call = m.plan.calls[0]
    assert call.reached == "arm_convolve_s16" and call.args["bias"].dtype == np.int64
    assert call.macs == int(np.prod(layer.output_shape)) * int(np.prod(layer.filter.shape[1:]))


@pytest.mark.parametrize("case", conv_cases.INT32_BIAS_CASES, ids=conv_cases.case_id)
def test_conv_int32_bias(case: conv_cases.Case) -> None:
    layer = conv_cases.make_layer(case)
    model = conv_cases.with_int32_bias(layer.model, layer.bias_tensor)
    m = _check(model, [conv_cases.random_input(layer.input_shape, case.seed + 1)], "arm_convolve_wrapper_s16")
    assert m.plan.calls[0].args["bias"].dtype == np.int32


@pytest.mark.parametrize("int32_sums", [False, True], ids=["int64-sums", "int32-sums"])
@pytest.mark.parametrize("case", conv_cases.CONV_CASES[1::8], ids=conv_cases.case_id)
def test_conv_without_bias(case: conv_cases.Case, int32_sums: bool) -> None:
    """No bias: 64-bit sums, or 32-bit ones when the model says quantized_bias_type INT32."""
    layer = conv_cases.make_layer(case)
    model = edit_model(layer.model, _without_bias("CONV_2D", 2, int32_sums))
    m = _check(model, [conv_cases.random_input(layer.input_shape, case.seed + 2)], "arm_convolve_wrapper_s16")
    bias = m.plan.calls[0].args["bias"]
    assert (bias is not None and bias.dtype == np.int32 and not bias.any()) if int32_sums else bias is None


def test_int32_sums_without_bias_differ_from_int64_ones() -> None:
    """The quantized_bias_type flag is read: the two requantisations disagree somewhere."""
    layer = conv_cases.make_layer(conv_cases.CONV_CASES[5])
    x = conv_cases.random_input(layer.input_shape, 99)
    outs = [load(edit_model(layer.model, _without_bias("CONV_2D", 2, flag))).run(x)[0] for flag in (False, True)]
    assert np.abs(outs[0].astype(np.int32) - outs[1].astype(np.int32)).max() == 1


@pytest.mark.parametrize("case", conv_cases.DW_CASES, ids=conv_cases.case_id)
def test_depthwise(case: conv_cases.Case) -> None:
    layer = conv_cases.make_layer(case)
    m = _check(layer.model, [conv_cases.random_input(layer.input_shape, case.seed)], "arm_depthwise_conv_wrapper_s16")
    call = m.plan.calls[0]
    assert call.reached == "arm_depthwise_conv_s16"
    assert call.args["dw_conv_params"].ch_mult == case.depth_multiplier


def test_depthwise_variant_by_core() -> None:
    """The kernel a target build reaches (bench's per-layer name): DSP and MVE
    builds of the s16 depthwise wrapper take the fast kernel for ch_mult 1
    without dilation, every build takes the generic one otherwise."""
    from types import SimpleNamespace

    from pycmsisnn.target_model import TargetModel
    from pycmsisnn.targets import Feature

    fast_case, mult_case = conv_cases.DW_CASES[0], conv_cases.DW_CASES[1]
    assert fast_case.depth_multiplier == 1 and fast_case.dilation == (1, 1) and mult_case.depth_multiplier == 2
    for case, simd in ((fast_case, "arm_depthwise_conv_fast_s16"), (mult_case, "arm_depthwise_conv_s16")):
        plan = load(conv_cases.make_layer(case).model).plan
        for feature, want in ((Feature.SCALAR, "arm_depthwise_conv_s16"), (Feature.DSP, simd), (Feature.MVE, simd)):
            assert TargetModel.variant(SimpleNamespace(plan=plan, core=SimpleNamespace(feature=feature)), 0) == want  # type: ignore[arg-type]


# ---------------------------------------------------------- FULLY_CONNECTED


@pytest.mark.parametrize("case", s16_cases.FC_CASES, ids=str)
def test_fully_connected(case: s16_cases.FcCase) -> None:
    model = s16_cases._fc_model(case)
    x = s16_cases._int16((case.batch, case.depth), 100 + case.depth, case.amplitude)
    m = _check(model, [x], "arm_fully_connected_s16")
    assert m.plan.calls[0].macs == case.batch * case.depth * case.units


# Dense layers with the converter's default per-channel weights.
PC_FC_CASES = [
    s16_cases.FcCase(1, 8, 5),
    s16_cases.FcCase(2, 16, 17),
    s16_cases.FcCase(3, 33, 4, act="relu"),
    s16_cases.FcCase(2, 9, 7, bias=False),
    s16_cases.FcCase(1, 64, 10),
    s16_cases.FcCase(2, 12, 32, act="relu6", input_range=(-8.0, 8.0)),
    s16_cases.FcCase(2, 3, 2),
    s16_cases.FcCase(1, 100, 6, input_range=(-100.0, 100.0)),
    s16_cases.FcCase(2, 8, 5, out_factor=1 / 64, amplitude=2000),
    s16_cases.FcCase(3, 16, 9, out_factor=1 / 4096, amplitude=64),
]


def _pc_fc_model(case: s16_cases.FcCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        dense = tf().keras.layers.Dense(case.units, use_bias=case.bias, bias_initializer=random_bias_initializer())
        return s16_cases._act_layer(case.act)(dense(inputs[0]))

    model = build_model("pc-" + case.key, make, [(case.batch, case.depth)], per_channel_dense=True,
                        input_range=case.input_range, int16x8=True)
    return s16_cases._scale_output(model, case.out_factor)


def _fc_bias_index(model: bytes) -> int:
    g = read_model(model)
    (op,) = g.operators
    return op.inputs[2]


@pytest.mark.parametrize("case", PC_FC_CASES, ids=str)
def test_fully_connected_per_channel(case: s16_cases.FcCase) -> None:
    model = _pc_fc_model(case)
    g = read_model(model)
    w = g.tensor(g.operators[0].inputs[1])
    assert w.quant is not None and w.quant.per_channel
    x = s16_cases._int16((case.batch, case.depth), 300 + case.depth, case.amplitude)
    m = _check(model, [x], "pycmsisnn_fully_connected_per_channel_s16")
    assert isinstance(m.plan.calls[0].args["quant_params"], PerChannelQuant)


INT32_FC_CASES = [("per-tensor", c) for c in s16_cases.FC_CASES[::4] if c.bias] + [("per-channel", c) for c in PC_FC_CASES if c.bias]


@pytest.mark.parametrize("weights,case", INT32_FC_CASES, ids=[f"{w}-{c}" for w, c in INT32_FC_CASES])
def test_fully_connected_int32_bias(weights: str, case: s16_cases.FcCase) -> None:
    """An int32 bias: TFLite Micro sums in 32 bits; per-tensor layers go to the per-channel kernel too."""
    base = _pc_fc_model(case) if weights == "per-channel" else s16_cases._fc_model(case)
    model = conv_cases.with_int32_bias(base, _fc_bias_index(base))
    x = s16_cases._int16((case.batch, case.depth), 500 + case.depth, case.amplitude)
    m = _check(model, [x], "pycmsisnn_fully_connected_per_channel_s16")
    assert m.plan.calls[0].args["bias"].dtype == np.int32


@pytest.mark.parametrize("int32_sums", [False, True], ids=["int64-sums", "int32-sums"])
@pytest.mark.parametrize("weights", ["per-tensor", "per-channel"])
def test_fully_connected_without_bias(weights: str, int32_sums: bool) -> None:
    case = s16_cases.FcCase(2, 20, 33)
    base = _pc_fc_model(case) if weights == "per-channel" else s16_cases._fc_model(case)
    model = edit_model(base, _without_bias("FULLY_CONNECTED", 2, int32_sums))
    kernel = "arm_fully_connected_s16" if weights == "per-tensor" and not int32_sums else "pycmsisnn_fully_connected_per_channel_s16"
    _check(model, [s16_cases._int16((2, 20), 7)], kernel)


# ------------------------------------------------------------- BATCH_MATMUL


@pytest.mark.parametrize("case", s16_cases.BMM_CASES, ids=str)
def test_batch_matmul(case: s16_cases.BmmCase) -> None:
    model = s16_cases._bmm_model(case)
    lhs = s16_cases._int16(case.lhs, 800 + sum(case.lhs), case.amplitude)
    rhs = s16_cases._int16(case.rhs, 900 + sum(case.rhs), case.amplitude)
    m = _check(model, [lhs, rhs], "arm_batch_matmul_s16")
    assert m.plan.calls[0].args["bmm_params"].fc_params.activation == Activation(INT16_MIN, INT16_MAX)


# ----------------------------------------------------------- TRANSPOSE_CONV


@dataclass(frozen=True)
class TcCase:
    """One Keras Conv2DTranspose layer, converted 16x8 (a fused activation needs a bias)."""

    shape: tuple[int, int, int, int]
    filters: int
    kernel: tuple[int, int]
    strides: tuple[int, int] = (1, 1)
    padding: str = "same"
    bias: bool = True
    activation: str | None = None
    input_range: tuple[float, float] = (-3.0, 3.0)

    @property
    def key(self) -> str:
        return f"tconv16x8|{self!r}"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.key.encode()) % 10_000

    def __str__(self) -> str:
        parts = ["in" + "x".join(map(str, self.shape)), f"f{self.filters}", f"k{self.kernel[0]}x{self.kernel[1]}",
                 f"s{self.strides[0]}x{self.strides[1]}", self.padding, "bias" if self.bias else "nobias"]
        if self.activation:
            parts.append(self.activation)
        if self.input_range != (-3.0, 3.0):
            parts.append(f"r{self.input_range[1]:g}")
        return "-".join(parts)


TC_CASES = [
    TcCase((1, 4, 5, 2), 3, (3, 3), (2, 2), "same"),
    TcCase((1, 4, 5, 2), 3, (3, 3), (2, 2), "valid"),
    TcCase((1, 3, 3, 1), 1, (1, 1), (1, 1), "same"),
    TcCase((1, 5, 4, 3), 4, (2, 2), (2, 2), "valid", bias=False),
    TcCase((1, 3, 4, 5), 2, (4, 4), (2, 2), "same"),
    TcCase((1, 3, 3, 4), 5, (5, 5), (3, 3), "same"),
    TcCase((1, 3, 3, 4), 5, (5, 5), (3, 3), "valid", bias=False),
    TcCase((2, 3, 4, 3), 3, (3, 3), (1, 1), "same"),
    TcCase((1, 4, 4, 17), 8, (3, 3), (2, 2), "same"),
    TcCase((1, 2, 6, 8), 16, (3, 1), (1, 2), "same"),
    TcCase((1, 6, 2, 3), 7, (1, 3), (2, 1), "valid"),
    TcCase((1, 4, 4, 2), 3, (3, 3), (2, 2), "same", activation="relu"),
    TcCase((1, 4, 4, 2), 3, (3, 3), (1, 1), "valid", activation="relu"),
    TcCase((1, 5, 5, 1), 1, (2, 2), (2, 2), "same", bias=False),
    TcCase((1, 3, 3, 16), 16, (3, 3), (2, 2), "same"),
    TcCase((1, 4, 3, 3), 2, (3, 3), (3, 2), "valid"),
    TcCase((1, 2, 2, 3), 4, (4, 4), (4, 4), "same"),
    TcCase((1, 3, 5, 6), 5, (3, 3), (2, 2), "same", input_range=(-100.0, 100.0)),
    TcCase((2, 2, 3, 5), 6, (2, 3), (1, 1), "valid", bias=False),
    TcCase((1, 5, 5, 3), 2, (5, 5), (1, 1), "same", activation="relu", input_range=(-0.01, 0.01)),
]


def tc_model(case: TcCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        layer = tf().keras.layers.Conv2DTranspose(case.filters, case.kernel, strides=case.strides, padding=case.padding,
                                                  use_bias=case.bias, activation=case.activation,
                                                  bias_initializer=random_bias_initializer())
        return layer(inputs[0])

    return build_model(case.key, make, [case.shape], seed=case.seed, input_range=case.input_range, int16x8=True)


def test_transpose_conv_sweep_covers() -> None:
    assert len(TC_CASES) >= 15
    assert {c.strides for c in TC_CASES} >= {(1, 1), (2, 2), (3, 3), (1, 2), (2, 1)}
    assert {c.padding for c in TC_CASES} == {"same", "valid"} and {c.bias for c in TC_CASES} == {True, False}
    assert {c.kernel for c in TC_CASES} >= {(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)}
    assert {c.shape[3] for c in TC_CASES} >= {1, 2, 3, 16, 17} and any(c.shape[0] > 1 for c in TC_CASES)


@pytest.mark.parametrize("case", TC_CASES, ids=str)
def test_transpose_conv(case: TcCase) -> None:
    model = tc_model(case)
    m = _check(model, [_random(case.shape, case.seed)], "pycmsisnn_transpose_conv_s16")
    call = m.plan.calls[0]
    assert (call.args["bias"] is not None) == case.bias
    if case.bias:
        assert call.args["bias"].dtype == np.int64
    if case.activation == "relu":
        assert call.args["transpose_conv_params"].activation.min == 0  # the ReLU fused into the operator


# ------------------------------------------------------- the new kernels directly


def _tc_args() -> dict[str, Any]:
    return {
        "transpose_conv_params": TransposeConvParams(0, 0, stride=Tile(2, 2), padding=Tile(1, 1), activation=Activation(INT16_MIN, INT16_MAX)),
        "quant_params": PerChannelQuant((1 << 30,) * 3, (-3,) * 3),
        "input": _random((1, 3, 3, 2), 1),
        "filter": np.ones((3, 3, 3, 2), np.int8),
        "bias": np.arange(3, dtype=np.int64),
        "output_shape": (1, 6, 6, 3),
    }


def _fc_args() -> dict[str, Any]:
    return {
        "fc_params": FcParams(0, 0, 0, Activation(INT16_MIN, INT16_MAX)),
        "quant_params": PerChannelQuant((1 << 30, 1 << 30), (-3, 2)),
        "input": _random((2, 5), 2),
        "filter": np.ones((2, 5), np.int8),
        "bias": np.array([5, -5], np.int64),
    }


@pytest.mark.parametrize(
    "change,match",
    [
        ({"transpose_conv_params": TransposeConvParams(3, 0)}, "input_offset: 3 is outside"),
        ({"bias": np.zeros(3, np.int32)}, "bias: must have dtype int64"),
        ({"quant_params": PerChannelQuant((1 << 30,) * 3, (15, 0, 0))}, r"shift\[0\]: 15 is outside \[-31, 14\]"),
        ({"filter": np.ones((3, 3, 3, 4), np.int8)}, "filter: has 4 input channels, the input has 2"),
        ({"output_shape": (2, 6, 6, 3)}, "batch 2 differs"),
        ({"input": np.zeros((1, 3, 3, 2), np.int8)}, "input: must have dtype int16"),
    ],
)
def test_transpose_conv_kernel_rejects(change: dict[str, Any], match: str) -> None:
    with pytest.raises(ArgError, match=match):
        conv_fc_s16.pycmsisnn_transpose_conv_s16(**{**_tc_args(), **change})


@pytest.mark.parametrize(
    "change,match",
    [
        ({"fc_params": FcParams(0, 0, 1, Activation(0, 1))}, "output_offset: 1 is outside"),
        ({"bias": np.zeros(2, np.float32)}, "bias: must have dtype int64 or int32"),
        ({"quant_params": PerChannelQuant((1 << 30,) * 2, (-3, 15))}, r"shift\[1\]: 15 is outside \[-31, 14\]"),
        ({"filter": np.ones((2, 6), np.int8)}, "depth 6 differs"),
        ({"quant_params": PerChannelQuant((1 << 30,), (0,))}, "needs 2 multipliers"),
    ],
)
def test_fully_connected_per_channel_kernel_rejects(change: dict[str, Any], match: str) -> None:
    with pytest.raises(ArgError, match=match):
        conv_fc_s16.pycmsisnn_fully_connected_per_channel_s16(**{**_fc_args(), **change})


def test_new_kernels_by_hand() -> None:
    """Small cases worked out in numpy, the int32 bias path with a left shift included."""
    a = _tc_args()
    got = conv_fc_s16.pycmsisnn_transpose_conv_s16(**a)
    x = a["input"].astype(np.int64)
    acc = np.zeros((1, 6 + 2, 6 + 2, 3), np.int64)  # scatter, then crop the padding
    for y in range(3):
        for xx in range(3):
            acc[0, 2 * y : 2 * y + 3, 2 * xx : 2 * xx + 3, :] += x[0, y, xx].sum()
    acc = acc[:, 1:7, 1:7, :] + a["bias"]
    want = (acc * (1 << 14) + (1 << 17)) >> 18  # multiplier 2^30 -> Q15 2^14; shift -3: 15 + 3
    np.testing.assert_array_equal(got, np.clip(want, INT16_MIN, INT16_MAX))

    f = _fc_args()
    f["bias"] = np.array([7, -7], np.int32)
    f["quant_params"] = PerChannelQuant((1 << 30, 1 << 30), (-1, 1))
    got = conv_fc_s16.pycmsisnn_fully_connected_per_channel_s16(**f)
    acc = f["input"].astype(np.int64).sum(axis=1) + f["bias"][:, None]  # [channel, batch]
    want = [[_tflite_rq32(int(v), m, s) for v in acc[o]] for o, (m, s) in enumerate(zip((1 << 30, 1 << 30), (-1, 1)))]
    np.testing.assert_array_equal(got, np.clip(np.array(want).T, INT16_MIN, INT16_MAX))


def _tflite_rq32(x: int, multiplier: int, shift: int) -> int:
    """TFLite's 32-bit MultiplyByQuantizedMultiplier (double rounding), in Python integers."""
    left, right = max(shift, 0), max(-shift, 0)
    a = (x << left) & 0xFFFFFFFF
    a = a - (1 << 32) if a >= 1 << 31 else a
    prod = a * multiplier
    nudge = (1 << 30) if prod >= 0 else 1 - (1 << 30)
    high = (prod + nudge) // (1 << 31) if prod + nudge >= 0 else -((-(prod + nudge)) // (1 << 31))
    if right == 0:
        return high
    mask = (1 << right) - 1
    rem, threshold = high & mask, (mask >> 1) + (1 if high < 0 else 0)
    return (high >> right) + (1 if rem > threshold else 0)


def test_lookup_finds_the_new_kernels() -> None:
    for name in conv_fc_s16.__all__:
        assert lookup(name) is getattr(conv_fc_s16, name)


# -------------------------------------------------------------- generated C


def _int32_conv() -> bytes:
    layer = conv_cases.make_layer(conv_cases.INT32_BIAS_CASES[2])
    return conv_cases.with_int32_bias(layer.model, layer.bias_tensor)


def _int32_pc_fc() -> bytes:
    base = _pc_fc_model(PC_FC_CASES[1])
    return conv_cases.with_int32_bias(base, _fc_bias_index(base))


# (model, core the project is generated for, the kernel it must reach)
CODEGEN: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "conv": (lambda: conv_cases.make_layer(conv_cases.CONV_CASES[22]).model, "cortex-m4", "arm_convolve_wrapper_s16"),
    "conv-int32-bias": (_int32_conv, "cortex-m55", "arm_convolve_wrapper_s16"),
    "conv-int32-sums": (lambda: edit_model(conv_cases.make_layer(conv_cases.CONV_CASES[9]).model, _without_bias("CONV_2D", 2, True)),
                        "cortex-m0", "arm_convolve_wrapper_s16"),
    "depthwise": (lambda: conv_cases.make_layer(conv_cases.DW_CASES[10]).model, "cortex-m55", "arm_depthwise_conv_wrapper_s16"),
    "depthwise-mult": (lambda: conv_cases.make_layer(conv_cases.DW_CASES[14]).model, "cortex-m4", "arm_depthwise_conv_wrapper_s16"),
    "fully-connected": (lambda: s16_cases._fc_model(s16_cases.FC_CASES[12]), "cortex-m55", "arm_fully_connected_s16"),
    "fully-connected-per-channel": (lambda: _pc_fc_model(PC_FC_CASES[2]), "cortex-m4", "pycmsisnn_fully_connected_per_channel_s16"),
    "fully-connected-int32-bias": (_int32_pc_fc, "cortex-m33", "pycmsisnn_fully_connected_per_channel_s16"),
    "batch-matmul": (lambda: s16_cases._bmm_model(s16_cases.BMM_CASES[3]), "cortex-m55", "arm_batch_matmul_s16"),
    "transpose-conv": (lambda: tc_model(TC_CASES[8]), "cortex-m7", "pycmsisnn_transpose_conv_s16"),
    "transpose-conv-nobias": (lambda: tc_model(TC_CASES[6]), "cortex-m3", "pycmsisnn_transpose_conv_s16"),
}


def codegen_models() -> list[bytes]:
    """The models of the generated-C test (for the emitter coverage check)."""
    return [make() for make, _, _ in CODEGEN.values()]


@pytest.mark.parametrize("key", list(CODEGEN))
def test_generated_c(key: str, tmp_path: Path, host_kernels: Path) -> None:
    make, core, kernel = CODEGEN[key]
    data = make()
    model = load(data)
    assert [c.kernel for c in model.plan.calls] == [kernel]
    host = build_host_model(model, tmp_path, host_kernels, target=core)
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    for sample in range(2):
        x = [rng.integers(INT16_MIN, INT16_MAX + 1, size=t.shape, dtype=np.int16) for t in model.inputs]
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        keras = [x[slot] for slot in np.argsort(keras_order(input_names(data)))]
        for c, e, r in zip(ours, expected, run_tflm(data, keras)):
            np.testing.assert_array_equal(c, e, err_msg=f"{key}: generated C vs host runtime, sample {sample}")
            np.testing.assert_array_equal(c, r.reshape(c.shape), err_msg=f"{key}: generated C vs TFLite Micro, sample {sample}")


# The core each 16x8 MLPerf Tiny network's project is generated for.
MLPERF_16X8_CORE = {"ad01": "cortex-m0", "kws01": "cortex-m4", "ic01": "cortex-m55", "vww01": "cortex-m7"}


@pytest.mark.parametrize("arch", mlperf_tiny.ARCHITECTURES)
def test_mlperf_network_16x8(arch: str, tmp_path: Path, host_kernels: Path) -> None:
    """The suite's MLPerf Tiny networks converted 16x8 lower whole (their
    convolutions, depthwise and fully connected layers here, the rest by the
    other 16x8 rules) and run exact on the host and as generated C."""
    data = mlperf_tiny.built(arch, "16x8")
    model = load(data)
    kernels = {c.kernel for c in model.plan.calls}
    assert "arm_fully_connected_s16" in kernels and (arch == "ad01" or "arm_convolve_wrapper_s16" in kernels)
    host = build_host_model(model, tmp_path, host_kernels, target=MLPERF_16X8_CORE[arch])
    rng = np.random.default_rng(16)
    with TflmRunner(data) as ref:
        for sample in range(2):
            x = random_inputs(model.graph, rng)
            ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
            expected = model.run(x)
            assert isinstance(expected, list)
            for c, e, r in zip(ours, expected, ref.run(x, len(expected))):
                np.testing.assert_array_equal(e, r.reshape(e.shape), err_msg=f"{arch}: host runtime vs TFLite Micro, sample {sample}")
                np.testing.assert_array_equal(c, e, err_msg=f"{arch}: generated C vs host runtime, sample {sample}")


# ---------------------------------------------------------------- refusals


def _reasons(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as info:
        load(model)
    return "\n".join(info.value.reasons)


def _tensor_edit(opname: str, slot: int, edit: Callable[[Any, Any], None], output: bool = False) -> Callable[[Any], None]:
    """Apply ``edit(model, tensor)`` to the operator's input ``slot`` (or output)."""

    def apply(m: Any) -> None:
        def on_op(sg: Any, op: Any) -> None:
            edit(m, sg.tensors[(op.outputs if output else op.inputs)[slot]])

        _op_edit(opname, on_op)(m)

    return apply


def _zero_point(zp: int) -> Callable[[Any, Any], None]:
    def edit(m: Any, t: Any) -> None:
        t.quantization.zeroPoint = [zp]

    return edit


def _retype_bias(type_name: str) -> Callable[[Any, Any], None]:
    """The (int64) bias tensor rewritten as ``type_name`` with the same values."""

    def edit(m: Any, t: Any) -> None:
        values = np.frombuffer(bytes(bytearray(m.buffers[t.buffer].data)), dtype=np.int64)
        dtype = {"FLOAT32": np.float32, "INT32": np.int32, "INT16": np.int16}[type_name]
        t.type = getattr(schema().TensorType, type_name)
        m.buffers[t.buffer].data = np.frombuffer(values.astype(dtype).tobytes(), dtype=np.uint8)

    return edit


def _conv_model() -> bytes:
    return conv_cases.make_layer(conv_cases.CONV_CASES[3]).model


def _dw_model() -> bytes:
    return conv_cases.make_layer(conv_cases.DW_CASES[3]).model


def _fc_model() -> bytes:
    return s16_cases._fc_model(s16_cases.FC_CASES[5])


REFUSALS: list[tuple[str, Callable[[], bytes], str]] = [
    ("conv-input-zero-point", lambda: edit_model(_conv_model(), _tensor_edit("CONV_2D", 0, _zero_point(3))),
     r"CONV_2D x1: operator 0: input '[^']+' is int16 with zero point 3; int16 tensors need zero point 0"),
    ("conv-output-zero-point", lambda: edit_model(_conv_model(), _tensor_edit("CONV_2D", 0, _zero_point(-2), output=True)),
     r"output '[^']+' is int16 with zero point -2; int16 tensors need zero point 0"),
    ("conv-float-bias", lambda: edit_model(_conv_model(), _tensor_edit("CONV_2D", 2, _retype_bias("FLOAT32"))),
     r"CONV_2D x1: operator 0: bias '[^']+' is float32, needs int64/int32"),
    ("depthwise-int32-bias", lambda: edit_model(_dw_model(), _tensor_edit("DEPTHWISE_CONV_2D", 2, _retype_bias("INT32"))),
     r"DEPTHWISE_CONV_2D x1: operator 0: bias '[^']+' is int32, needs int64"),
    ("transpose-conv-int32-bias", lambda: edit_model(tc_model(TC_CASES[0]), _tensor_edit("TRANSPOSE_CONV", 3, _retype_bias("INT32"))),
     r"TRANSPOSE_CONV x1: operator 0: bias '[^']+' is int32, needs int64"),
    ("transpose-conv-input-zero-point", lambda: edit_model(tc_model(TC_CASES[0]), _tensor_edit("TRANSPOSE_CONV", 2, _zero_point(1))),
     r"TRANSPOSE_CONV x1: operator 0: input '[^']+' is int16 with zero point 1"),
    ("fc-input-zero-point", lambda: edit_model(_fc_model(), _tensor_edit("FULLY_CONNECTED", 0, _zero_point(-7))),
     r"FULLY_CONNECTED x1: operator 0: input '[^']+' is int16 with zero point -7; int16 tensors need zero point 0"),
    ("fc-float-bias", lambda: edit_model(_fc_model(), _tensor_edit("FULLY_CONNECTED", 2, _retype_bias("FLOAT32"))),
     r"FULLY_CONNECTED x1: operator 0: bias '[^']+' is float32, needs int64/int32"),
    ("fc-weights-zero-point", lambda: edit_model(_fc_model(), _tensor_edit("FULLY_CONNECTED", 1, _zero_point(4))),
     r"weights '[^']+' have zero point 4; the 16x8 kernels take symmetric weights"),
    ("fc-int8-output", lambda: edit_model(_fc_model(), _tensor_edit("FULLY_CONNECTED", 0, _retype("INT8"), output=True)),
     r"FULLY_CONNECTED x1: operator 0: output '[^']+' is int8, needs int16"),
    ("bmm-rhs-zero-point", lambda: edit_model(s16_cases._bmm_model(s16_cases.BMM_CASES[0]), _tensor_edit("BATCH_MATMUL", 1, _zero_point(2))),
     r"BATCH_MATMUL x1: operator 0: rhs '[^']+' is int16 with zero point 2"),
    ("conv-grouped", lambda: build_model("s16-grouped-conv", lambda xs: tf().keras.layers.Conv2D(4, 3, groups=2, bias_initializer=random_bias_initializer())(xs[0]),
                                         [(1, 5, 5, 4)], int16x8=True, input_range=(-2.0, 2.0)),
     r"CONV_2D x1: operator 0: grouped 16x8 convolution \(filter depth 2, input channels 4\): arm_convolve_s16 is not grouped"),
    ("conv-shift-too-large", lambda: s16_cases._scale_output(_conv_model(), 2.0**-24),
     r"CONV_2D x1: operator 0: 16x8 requantisation shift \d+ is outside \[-31, 7\]"),
]


def _retype(type_name: str) -> Callable[[Any, Any], None]:
    def edit(m: Any, t: Any) -> None:
        t.type = getattr(schema().TensorType, type_name)

    return edit


@pytest.mark.parametrize("name,make,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_the_reason(name: str, make: Callable[[], bytes], reason: str) -> None:
    import re

    text = _reasons(make())
    assert re.search(reason, text), text
