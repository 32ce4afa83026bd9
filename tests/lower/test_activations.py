"""LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, HARD_SWISH, QUANTIZE
and DEQUANTIZE lowered and run whole through ``pycmsisnn.runtime``, against
TensorFlow Lite Micro (RELU_N1_TO_1, which TFLM lacks: TensorFlow Lite's
reference kernels); float-I/O models end to end; and the refusals."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError, lower, unsupported
from pycmsisnn.runtime import load
from pycmsisnn.reference import TflmRunner
from pycmsisnn.tflite import read_model
from pycmsisnn.verify import random_inputs
from tests.kernels.test_activations_extra import all_values, handmade_model, run_tflite_reference
from tests.kernels.test_softmax import SoftmaxConfig
from tests.kernels.test_softmax import _model as softmax_model
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import ops, schema
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

Range = tuple[float, float]


def _layer(kind: str) -> Callable[[Any], Any]:
    K = tf().keras
    return {
        "LOGISTIC": lambda x: K.layers.Activation("sigmoid")(x),
        "TANH": lambda x: K.layers.Activation("tanh")(x),
        "RELU": lambda x: K.layers.ReLU()(x),
        "RELU6": lambda x: K.layers.ReLU(max_value=6.0)(x),
        "LEAKY_RELU": lambda x: K.layers.LeakyReLU(negative_slope=0.15)(x),
        "HARD_SWISH": lambda x: K.layers.Activation("hard_swish")(x),
        "RELU_N1_TO_1": lambda x: K.layers.Lambda(lambda v: tf().minimum(tf().maximum(v, -1.0), 1.0))(x),
    }[kind]


def _assert_runs_like_tflm(model: bytes, inputs: list[np.ndarray]) -> None:
    expected = run_tflm(model, inputs)
    got = load(model).run(inputs)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype and g.shape == e.shape
        np.testing.assert_array_equal(g, e)


# (op, input range, shape): zero points at both ends, ranks 2 to 4, odd sizes.
UNARY: list[tuple[str, Range, tuple[int, ...]]] = [
    ("LOGISTIC", (-8.0, 8.0), (1, 16, 17)),
    ("LOGISTIC", (0.0, 2.0), (2, 3, 5, 3)),
    ("TANH", (-3.0, 1.0), (1, 16, 17)),
    ("TANH", (-5.0, 0.0), (1, 7)),
    ("RELU", (-2.0, 2.0), (1, 16, 17)),
    ("RELU", (-7.0, -1.0), (1, 5, 3)),
    ("RELU6", (-3.0, 9.0), (1, 16, 17)),
    ("RELU6", (0.0, 10.0), (1, 2, 3, 7)),
    ("LEAKY_RELU", (-5.0, 2.0), (1, 16, 17)),
    ("LEAKY_RELU", (-1.0, 0.0), (3, 11)),
    ("HARD_SWISH", (-6.0, 6.0), (1, 16, 17)),
    ("HARD_SWISH", (-0.5, 4.0), (1, 3, 3, 5)),
]


@pytest.mark.parametrize("kind,rng,shape", UNARY, ids=[f"{k}-{r}-{s}" for k, r, s in UNARY])
def test_single_activation_model(kind: str, rng: Range, shape: tuple[int, ...]) -> None:
    model = build_model(f"lower-activations-{kind}-{rng}-{shape}", lambda i: _layer(kind)(i[0]), [shape], seed=9, input_range=rng)
    assert [o.name for o in ops(model)] == [kind]
    _assert_runs_like_tflm(model, [all_values(shape, 21)])


@pytest.mark.parametrize("rng", [(-4.0, 4.0), (0.0, 1.5)], ids=["sym", "zp_low"])
def test_relu_n1_to_1_model_matches_tflite_reference(rng: Range) -> None:
    shape = (1, 16, 17)
    model = build_model(f"lower-activations-RELU_N1_TO_1-{rng}-{shape}", lambda i: _layer("RELU_N1_TO_1")(i[0]), [shape], seed=9, input_range=rng)
    assert [o.name for o in ops(model)] == ["RELU_N1_TO_1"]
    x = all_values(shape, 4)
    (got,) = load(model).run([x])
    np.testing.assert_array_equal(got, run_tflite_reference(model, x))


def test_activation_chain_model() -> None:
    """Conv, then every activation in turn, then dense: int8 in and out."""
    K = tf().keras

    def make(i: list) -> Any:
        x = K.layers.Conv2D(6, 3, padding="same")(i[0])
        x = _layer("HARD_SWISH")(x)
        x = K.layers.Conv2D(5, 1)(x)
        x = _layer("LEAKY_RELU")(x)
        x = K.layers.DepthwiseConv2D(3)(x)
        x = _layer("TANH")(x)
        x = K.layers.Conv2D(4, 1)(x)
        x = _layer("LOGISTIC")(x)
        return K.layers.Dense(3)(K.layers.Flatten()(x))

    model = build_model("lower-activations-chain", make, [(1, 7, 7, 3)], seed=2, input_range=(-2.0, 3.0))
    names = [o.name for o in ops(model)]
    for kind in ("HARD_SWISH", "LEAKY_RELU", "TANH", "LOGISTIC"):
        assert kind in names, names
    rng = np.random.default_rng(5)
    for _ in range(4):
        _assert_runs_like_tflm(model, [rng.integers(-128, 128, (1, 7, 7, 3), dtype=np.int8)])


# ---------------------------------------------------------------- float I/O

# (name, input range of the representative data, range of the test data, dense per channel)
FLOAT_IO: list[tuple[str, Range, Range, bool]] = [
    ("unit", (-1.0, 1.0), (-1.3, 1.3), True),
    ("positive", (0.0, 255.0), (-5.0, 270.0), False),
    ("negative_small", (-0.02, 0.0), (-0.03, 0.01), True),
]


def _conv_dense(i: list) -> Any:
    K = tf().keras
    x = K.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(i[0])
    return K.layers.Dense(5)(K.layers.Flatten()(x))


@pytest.mark.parametrize("name,rep,data,per_channel", FLOAT_IO, ids=[c[0] for c in FLOAT_IO])
def test_float_io_conv_dense_model(name: str, rep: Range, data: Range, per_channel: bool) -> None:
    shape = (1, 9, 9, 2)
    model = build_model(f"lower-float-io-conv-dense-{name}", _conv_dense, [shape], seed=4, int8_io=False, input_range=rep, per_channel_dense=per_channel)
    names = [o.name for o in ops(model)]
    assert names[0] == "QUANTIZE" and names[-1] == "DEQUANTIZE", names
    m = load(model)
    assert m.inputs[0].dtype == np.float32 and m.outputs[0].dtype == np.float32
    rng = np.random.default_rng(len(name))
    for _ in range(5):
        x = rng.uniform(*data, size=shape).astype(np.float32)
        _assert_runs_like_tflm(model, [x])


@pytest.mark.parametrize("kind", ["LOGISTIC", "HARD_SWISH"])
def test_float_io_activation_model(kind: str) -> None:
    shape = (2, 5, 7)
    model = build_model(f"lower-float-io-{kind}", lambda i: _layer(kind)(i[0]), [shape], seed=1, int8_io=False, input_range=(-5.0, 4.0))
    assert [o.name for o in ops(model)] == ["QUANTIZE", kind, "DEQUANTIZE"]
    x = np.random.default_rng(0).uniform(-6.0, 6.0, shape).astype(np.float32)
    x.reshape(-1)[:6] = [0.0, -0.0, 1e6, -1e6, 4.0, -5.0]
    _assert_runs_like_tflm(model, [x])
    result = load(model).run([x], intermediates=True)
    assert any(v.dtype == np.int8 for v in result.tensors.values())


# --------------------------------------------------- QUANTIZE int8 -> int8


def test_converter_requantize_before_concatenation() -> None:
    """LOGISTIC's fixed output scale forces an int8 -> int8 QUANTIZE before a
    concatenation with the input."""
    K = tf().keras
    model = build_model(
        "lower-requantize-concat",
        lambda i: K.layers.Concatenate()([_layer("LOGISTIC")(i[0]), i[0]]),
        [(1, 16, 17)],
        seed=3,
        input_range=(-3.0, 3.0),
    )
    quantize = [o for o in ops(model) if o.name == "QUANTIZE"]
    assert quantize and quantize[0].inputs[0].dtype is np.int8
    assert "pycmsisnn_requantize_s8" in [c.kernel for c in lower(read_model(model)).calls]
    _assert_runs_like_tflm(model, [all_values((1, 16, 17), 8)])


@pytest.mark.parametrize(
    "qin,qout", [((0.05, 3), (0.11, -9)), ((0.0173, -128), (0.0041, 127))], ids=["down", "up_zp_edges"]
)
def test_handmade_requantize_model(qin: tuple[float, int], qout: tuple[float, int]) -> None:
    model = handmade_model("QUANTIZE", (2, 9, 15), np.int8, np.int8, qin, qout)
    _assert_runs_like_tflm(model, [all_values((2, 9, 15), 1)])


@pytest.mark.parametrize("q", [(0.0078125, 127), (0.3, -128)], ids=["zp_high", "zp_low"])
def test_handmade_quantize_and_dequantize_models(q: tuple[float, int]) -> None:
    shape = (1, 16, 17)
    x = (np.random.default_rng(3).uniform(-2.0, 2.0, shape) * q[0] * 128).astype(np.float32)
    _assert_runs_like_tflm(handmade_model("QUANTIZE", shape, np.float32, np.int8, None, q), [x])
    _assert_runs_like_tflm(handmade_model("DEQUANTIZE", shape, np.int8, np.float32, q, None), [all_values(shape, 2)])


# ----------------------------------------------------------------- refusals


def _reasons(model: bytes) -> str:
    return "\n".join(unsupported(read_model(model)))


def _retype_output(opname: str, type_name: str, zero_point: int | None = None, scale: float | None = None) -> Callable[[Any], None]:
    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        for op in sg.operators:
            if m.operatorCodes[op.opcodeIndex].builtinCode == getattr(schema().BuiltinOperator, opname):
                t = sg.tensors[op.outputs[0]]
                if type_name:
                    t.type = getattr(schema().TensorType, type_name)
                if zero_point is not None:
                    t.quantization.zeroPoint = [zero_point]
                if scale is not None:
                    t.quantization.scale = [scale]

    return edit


def test_logistic_with_other_output_quantisation_is_refused() -> None:
    model = build_model("lower-activations-LOGISTIC-(-8.0, 8.0)-(1, 16, 17)", lambda i: _layer("LOGISTIC")(i[0]), [(1, 16, 17)], seed=9, input_range=(-8.0, 8.0))
    bad = edit_model(model, _retype_output("LOGISTIC", "", zero_point=0))
    assert "LOGISTIC x1: operator 0: output quantisation must be scale 0.00390625, zero point -128" in _reasons(bad)
    with pytest.raises(UnsupportedModelError, match="LOGISTIC"):
        load(bad)


def test_tanh_with_other_output_scale_is_refused() -> None:
    model = build_model("lower-activations-TANH-(-5.0, 0.0)-(1, 7)", lambda i: _layer("TANH")(i[0]), [(1, 7)], seed=9, input_range=(-5.0, 0.0))
    assert "output quantisation must be scale 0.0078125, zero point 0" in _reasons(edit_model(model, _retype_output("TANH", "", scale=0.01)))


def test_int16_activation_is_refused() -> None:
    model = handmade_model("LOGISTIC", (1, 8), np.int8, np.int8, (0.05, 0), (1 / 256, -128))
    bad = edit_model(model, _retype_output("LOGISTIC", "INT16", zero_point=0))
    assert "output 'output' is int16, needs int8" in _reasons(bad)


def test_quantize_to_int32_and_dequantize_from_int32_are_refused() -> None:
    q = handmade_model("QUANTIZE", (1, 8), np.int8, np.int8, (0.2, 1), (0.1, 0))
    assert "QUANTIZE x1: operator 0: output 'output' is int32, needs int8/int16" in _reasons(edit_model(q, _retype_output("QUANTIZE", "INT32")))
    d = handmade_model("DEQUANTIZE", (1, 8), np.int8, np.float32, (0.1, 0), None)

    def input_int32(m: Any) -> None:
        m.subgraphs[0].tensors[0].type = schema().TensorType.INT32

    # Without int8 or int16 tensors the model is a float one: read it leniently to reach the operator's reason.
    assert "DEQUANTIZE x1: operator 0: input 'input_0' is int32, needs int8/int16" in unsupported(read_model(edit_model(d, input_int32), strict=False))[0]


def test_hard_swish_with_huge_output_scale_is_refused() -> None:
    model = handmade_model("HARD_SWISH", (1, 8), np.int8, np.int8, (0.001, 0), (10.0, 0))
    assert "output multiplier exponent" in _reasons(model)


def test_logistic_with_huge_input_scale_is_refused() -> None:
    model = handmade_model("LOGISTIC", (1, 8), np.int8, np.int8, (40.0, 0), (1 / 256, -128))
    assert "input scale 40.0 is outside [2^-28, 16): the input shift 33 is outside [0, 31]" in _reasons(model)


# ----------------------------------------------- random quantisation sweep

SWEEP_OPS = ["LOGISTIC", "TANH", "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "QUANTIZE", "DEQUANTIZE", "QUANTIZE_F32"]


@pytest.mark.parametrize("kind", SWEEP_OPS)
def test_random_quantisations_match_tflm(kind: str) -> None:
    """15 hand-built models per operator with random scales (input scales from
    3e-4 to 5, output/input scale ratios from 0.1 to 10) and zero points over
    the whole int8 range, every int8 input value (QUANTIZE from float32: exact
    halves between steps and random values), through the runtime."""
    rng = np.random.default_rng(SWEEP_OPS.index(kind))
    x8 = np.arange(-128, 128, dtype=np.int8).reshape(1, 256)
    for _ in range(15):
        s_in, zp_in = float(10 ** rng.uniform(-3.5, 0.7)), int(rng.integers(-128, 128))
        s_out, zp_out = float(s_in * 10 ** rng.uniform(-1, 1)), int(rng.integers(-128, 128))
        if kind == "QUANTIZE_F32":
            model = handmade_model("QUANTIZE", (1, 256), np.float32, np.int8, None, (s_out, zp_out))
            steps = np.arange(-200, 56) + 0.5
            x = (np.float32(s_out) * steps.astype(np.float32)).astype(np.float32).reshape(1, 256)
            _assert_runs_like_tflm(model, [x])
            _assert_runs_like_tflm(model, [rng.uniform(-300 * s_out, 300 * s_out, (1, 256)).astype(np.float32)])
            continue
        if kind == "DEQUANTIZE":
            model = handmade_model("DEQUANTIZE", (1, 256), np.int8, np.float32, (s_in, zp_in), None)
        else:
            fixed = {"LOGISTIC": (1 / 256, -128), "TANH": (1 / 128, 0)}
            options = ("LeakyReluOptions", {"alpha": float(rng.uniform(-3.0, 3.0))}) if kind == "LEAKY_RELU" else None
            model = handmade_model(kind, (1, 256), np.int8, np.int8, (s_in, zp_in), fixed.get(kind, (s_out, zp_out)), options)
        _assert_runs_like_tflm(model, [x8])


def test_int16_softmax_output_scale_takes_tflite_micros_tolerance() -> None:
    """TFLite Micro accepts an int16 SOFTMAX output scale within 0.001/65536 of
    1/65536 (and computes as if it were 1/65536); so do we, exactly as it does.
    Beyond that the refusal shows the required and the model's values."""
    model = softmax_model(SoftmaxConfig((3, 7), (-4.0, 4.0), int16_out=True))
    near = edit_model(model, _retype_output("SOFTMAX", "", scale=(1 + 0.0005) / 65536))
    assert _reasons(near) == ""
    loaded, tflm = load(near), TflmRunner(near)
    x = random_inputs(loaded.graph, np.random.default_rng(4))
    np.testing.assert_array_equal(loaded.run(x)[0], tflm.run(x, 1)[0])
    far = edit_model(model, _retype_output("SOFTMAX", "", scale=1.01 / 65536))
    name = read_model(far).tensor(read_model(far).outputs[0]).name
    assert _reasons(far) == (
        f"SOFTMAX x1: operator 0: output '{name}' quantisation must be scale 1.52587891e-05 (within 1.53e-08), "
        f"zero point -32768; the model has scale {float(np.float32(1.01 / 65536)):.9g}, zero point -32768"
    )
