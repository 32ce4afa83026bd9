"""Our activation and conversion kernels (``pycmsisnn_activations.h``) against
TensorFlow Lite Micro, one single-op model per configuration, with parameters
derived by our lowering (``pycmsisnn.lower.activations`` / ``.quantize``);
plus validation.

Converter-made models (Keras layers) cover LOGISTIC, TANH, RELU, RELU6,
LEAKY_RELU and HARD_SWISH over input ranges that put the zero point at both
ends. Hand-built flatbuffers (``handmade_model``) cover what the converter
does not emit: QUANTIZE and DEQUANTIZE with chosen scales, int8 -> int8
QUANTIZE, negative and large LEAKY_RELU alphas. RELU_N1_TO_1 has no TensorFlow
Lite Micro kernel: it is checked against TensorFlow Lite's reference kernels.
"""
from __future__ import annotations

from typing import Any, Callable

import flatbuffers
import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.kernels.activations_extra import (
    pycmsisnn_dequantize_s8,
    pycmsisnn_hard_swish_s8,
    pycmsisnn_leaky_relu_s8,
    pycmsisnn_logistic_s8,
    pycmsisnn_quantize_f32_s8,
    pycmsisnn_relu_s8,
    pycmsisnn_requantize_s8,
    pycmsisnn_tanh_s8,
)
from pycmsisnn.params import Activation, AffineParams, HardSwishParams, LeakyReluParams, ReluParams, RequantizeParams, SigmoidTanhParams
from pycmsisnn.quant import affine_params, hard_swish_params, leaky_relu_params, relu_params, requantize_params, sigmoid_tanh_params
from tests.support.model_view import OpView, schema, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

Range = tuple[float, float]
Quant = tuple[float, int]

# Input ranges of the representative data: symmetric, zero point at the low
# end (-128), at the high end (127), small and large scales, lopsided.
RANGES: list[tuple[str, Range]] = [
    ("sym4", (-4.0, 4.0)),
    ("zp_low", (0.0, 6.0)),
    ("zp_high", (-6.0, 0.0)),
    ("small_scale", (-0.1, 0.15)),
    ("large_scale", (-20.0, 30.0)),
    ("lopsided", (-1.0, 3.0)),
]
# Odd sizes, ranks 2 to 4; the first holds every int8 value at least once.
SHAPES: list[tuple[int, ...]] = [(1, 16, 17), (1, 7), (1, 3, 5), (2, 3, 5, 3), (1, 2, 2, 7), (3, 11)]


def all_values(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """int8 data of ``shape``: every value -128..127 in a random order if it
    fits, else a random sample that includes both extremes."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    values = np.arange(-128, 128, dtype=np.int8)
    if n >= values.size:
        flat = np.concatenate([rng.permutation(values), rng.integers(-128, 128, n - values.size, dtype=np.int8)])
    else:
        flat = rng.integers(-128, 128, n, dtype=np.int8)
        flat[0], flat[-1] = -128, 127
    return flat.reshape(shape)


def quant_of(t: Any) -> Quant:
    return float(t.scale), int(t.zero_point)


# ------------------------------------------------------- hand-built models

_TYPES = {np.dtype(np.float32): 0, np.dtype(np.int8): 9, np.dtype(np.int16): 7}


def handmade_model(
    opname: str,
    shape: tuple[int, ...],
    in_dtype: type,
    out_dtype: type,
    in_quant: Quant | None = None,
    out_quant: Quant | None = None,
    options: tuple[str, dict[str, Any]] | None = None,
) -> bytes:
    """A flatbuffer with a single builtin operator ``opname`` from one input
    tensor to one output tensor of ``shape``, with the given types and
    (per-tensor) quantisation. ``options`` = (options class name, fields)."""
    s = schema()
    model = s.ModelT()
    model.version = 3
    model.description = f"pycmsisnn test: single {opname}"
    model.buffers = [s.BufferT(), s.BufferT(), s.BufferT()]

    def tensor(name: str, dtype: type, q: Quant | None, buffer: int) -> Any:
        t = s.TensorT()
        t.name, t.shape, t.type, t.buffer = name, list(shape), _TYPES[np.dtype(dtype)], buffer
        if q is not None:
            qp = s.QuantizationParametersT()
            qp.scale, qp.zeroPoint = [float(np.float32(q[0]))], [int(q[1])]
            t.quantization = qp
        return t

    sg = s.SubGraphT()
    sg.tensors = [tensor("input_0", in_dtype, in_quant, 1), tensor("output", out_dtype, out_quant, 2)]
    sg.inputs, sg.outputs = [0], [1]
    op = s.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0], [1]
    if options is not None:
        cls_name, fields = options
        opts = getattr(s, cls_name + "T")()
        for k, v in fields.items():
            setattr(opts, k, v)
        op.builtinOptionsType = getattr(s.BuiltinOptions, cls_name)
        op.builtinOptions = opts
    sg.operators = [op]
    code = s.OperatorCodeT()
    code.builtinCode = getattr(s.BuiltinOperator, opname)
    code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    code.version = 1
    model.operatorCodes, model.subgraphs = [code], [sg]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def run_tflite_reference(model: bytes, x: np.ndarray) -> np.ndarray:
    """TensorFlow Lite's reference kernels (BUILTIN_REF), for operators that
    TensorFlow Lite Micro lacks."""
    t = tf()
    interp = t.lite.Interpreter(model_content=model, experimental_op_resolver_type=t.lite.experimental.OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    interp.set_tensor(interp.get_input_details()[0]["index"], x)
    interp.invoke()
    return np.array(interp.get_tensor(interp.get_output_details()[0]["index"]))


# -------------------------------------------- converter-made unary models

LAYERS: dict[str, Callable[[Any], Any]] = {
    "LOGISTIC": lambda K: K.layers.Activation("sigmoid"),
    "TANH": lambda K: K.layers.Activation("tanh"),
    "RELU": lambda K: K.layers.ReLU(),
    "RELU6": lambda K: K.layers.ReLU(max_value=6.0),
    "HARD_SWISH": lambda K: K.layers.Activation("hard_swish"),
}


def unary_model(opname: str, shape: tuple[int, ...], rng: Range, alpha: float | None = None) -> bytes:
    K = tf().keras

    def make(inputs: list) -> Any:
        if opname == "LEAKY_RELU":
            return K.layers.LeakyReLU(negative_slope=alpha)(inputs[0])
        return LAYERS[opname](K)(inputs[0])

    key = f"activations-extra-{opname}-{shape}-{rng}-{alpha}"
    return build_model(key, make, [shape], seed=5, input_range=rng)


def _configs(ops: list[str]) -> list[tuple[str, str, tuple[int, ...], Range]]:
    out = []
    for opname in ops:
        for i, (rname, rng) in enumerate(RANGES):
            out.append((f"{opname}-{rname}", opname, SHAPES[i % len(SHAPES)], rng))
    return out


SIGMOID_TANH_CONFIGS = _configs(["LOGISTIC", "TANH"])


@pytest.mark.parametrize("name,opname,shape,rng", SIGMOID_TANH_CONFIGS, ids=[c[0] for c in SIGMOID_TANH_CONFIGS])
def test_logistic_tanh_match_tflm(name: str, opname: str, shape: tuple[int, ...], rng: Range) -> None:
    model = unary_model(opname, shape, rng)
    op = single_op(model, opname)
    params = sigmoid_tanh_params(*quant_of(op.inputs[0]))
    x = all_values(shape, len(name))
    (expected,) = run_tflm(model, [x])
    fn = pycmsisnn_logistic_s8 if opname == "LOGISTIC" else pycmsisnn_tanh_s8
    got = fn(x, params)
    assert got.shape == x.shape and got.dtype == np.int8
    np.testing.assert_array_equal(got, expected)


RELU_CONFIGS = _configs(["RELU", "RELU6"])


@pytest.mark.parametrize("name,opname,shape,rng", RELU_CONFIGS, ids=[c[0] for c in RELU_CONFIGS])
def test_relu_relu6_match_tflm(name: str, opname: str, shape: tuple[int, ...], rng: Range) -> None:
    model = unary_model(opname, shape, rng)
    op = single_op(model, opname)
    params = relu_params(opname, *quant_of(op.inputs[0]), *quant_of(op.outputs[0]))
    x = all_values(shape, len(name))
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_relu_s8(x, params), expected)


HARD_SWISH_CONFIGS = _configs(["HARD_SWISH"])


@pytest.mark.parametrize("name,opname,shape,rng", HARD_SWISH_CONFIGS, ids=[c[0] for c in HARD_SWISH_CONFIGS])
def test_hard_swish_matches_tflm(name: str, opname: str, shape: tuple[int, ...], rng: Range) -> None:
    model = unary_model(opname, shape, rng)
    op = single_op(model, opname)
    params = hard_swish_params(*quant_of(op.inputs[0]), *quant_of(op.outputs[0]))
    x = all_values(shape, len(name))
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_hard_swish_s8(x, params), expected)


# (name, alpha, input range, shape)
LEAKY_CONFIGS: list[tuple[str, float, Range, tuple[int, ...]]] = [
    ("alpha0.2-sym", 0.2, (-4.0, 4.0), (1, 16, 17)),
    ("alpha0.01-zp_high", 0.01, (-6.0, 0.0), (1, 3, 5)),
    ("alpha0.3-zp_low", 0.3, (0.0, 6.0), (1, 7)),
    ("alpha0.5-lopsided", 0.5, (-1.0, 3.0), (2, 3, 5, 3)),
    ("alpha1.7-large", 1.7, (-20.0, 30.0), (1, 16, 17)),
    ("alpha0-small", 0.0, (-0.1, 0.15), (3, 11)),
]


@pytest.mark.parametrize("name,alpha,rng,shape", LEAKY_CONFIGS, ids=[c[0] for c in LEAKY_CONFIGS])
def test_leaky_relu_matches_tflm(name: str, alpha: float, rng: Range, shape: tuple[int, ...]) -> None:
    model = unary_model("LEAKY_RELU", shape, rng, alpha)
    op = single_op(model, "LEAKY_RELU")
    params = leaky_relu_params(*quant_of(op.inputs[0]), *quant_of(op.outputs[0]), op.options.alpha)
    x = all_values(shape, len(name))
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_leaky_relu_s8(x, params), expected)


# Alphas the converter does not produce (Keras refuses negative slopes).
HANDMADE_LEAKY: list[tuple[str, float, Quant, Quant]] = [
    ("negative_alpha", -0.4, (0.05, -3), (0.04, 20)),
    ("alpha_minus_2.5", -2.5, (0.02, 100), (0.09, -100)),
    ("alpha_3_zp_edges", 3.0, (0.03, -128), (0.06, 127)),
]


@pytest.mark.parametrize("name,alpha,qin,qout", HANDMADE_LEAKY, ids=[c[0] for c in HANDMADE_LEAKY])
def test_leaky_relu_unusual_alpha_matches_tflm(name: str, alpha: float, qin: Quant, qout: Quant) -> None:
    shape = (1, 16, 17)
    model = handmade_model("LEAKY_RELU", shape, np.int8, np.int8, qin, qout, ("LeakyReluOptions", {"alpha": alpha}))
    op = single_op(model, "LEAKY_RELU")
    params = leaky_relu_params(*quant_of(op.inputs[0]), *quant_of(op.outputs[0]), op.options.alpha)
    x = all_values(shape, 7)
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_leaky_relu_s8(x, params), expected)


# RELU6 and RELU with chosen quantisations (RELU6: TFLM clamps on the input scale).
HANDMADE_RELU: list[tuple[str, str, Quant, Quant]] = [
    ("relu6_same_quant", "RELU6", (0.03, -100), (0.03, -100)),
    ("relu6_zp_high_input", "RELU6", (0.05, 127), (0.1, -128)),
    ("relu6_tiny_scale", "RELU6", (0.01, -128), (0.01, -128)),
    ("relu_upscale", "RELU", (0.1, 5), (0.02, -128)),
    ("relu_zp_high_output", "RELU", (0.02, -128), (0.05, 127)),
]


@pytest.mark.parametrize("name,opname,qin,qout", HANDMADE_RELU, ids=[c[0] for c in HANDMADE_RELU])
def test_relu_chosen_quantisation_matches_tflm(name: str, opname: str, qin: Quant, qout: Quant) -> None:
    shape = (1, 16, 17)
    model = handmade_model(opname, shape, np.int8, np.int8, qin, qout)
    op = single_op(model, opname)
    params = relu_params(opname, *quant_of(op.inputs[0]), *quant_of(op.outputs[0]))
    x = all_values(shape, 11)
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_relu_s8(x, params), expected)


# ------------------------------------------------------------ RELU_N1_TO_1

RELU1_CONFIGS: list[tuple[str, Range | None, Quant | None, Quant | None]] = [
    ("converter_sym", (-4.0, 4.0), None, None),
    ("converter_zp_low", (0.0, 3.0), None, None),
    ("handmade_upscale", None, (0.004, -20), (0.009, 7)),
    ("handmade_zp_edges", None, (0.02, 127), (0.01, -128)),
]


@pytest.mark.parametrize("name,rng,qin,qout", RELU1_CONFIGS, ids=[c[0] for c in RELU1_CONFIGS])
def test_relu_n1_to_1_matches_tflite_reference(name: str, rng: Range | None, qin: Quant | None, qout: Quant | None) -> None:
    shape = (1, 16, 17)
    if rng is not None:
        def make(inputs: list) -> Any:
            t = tf()
            return t.keras.layers.Lambda(lambda v: t.minimum(t.maximum(v, -1.0), 1.0))(inputs[0])

        model = build_model(f"activations-extra-RELU_N1_TO_1-{shape}-{rng}", make, [shape], seed=5, input_range=rng)
    else:
        model = handmade_model("RELU_N1_TO_1", shape, np.int8, np.int8, qin, qout)
    op = single_op(model, "RELU_N1_TO_1")
    params = relu_params("RELU_N1_TO_1", *quant_of(op.inputs[0]), *quant_of(op.outputs[0]))
    x = all_values(shape, 13)
    np.testing.assert_array_equal(pycmsisnn_relu_s8(x, params), run_tflite_reference(model, x))


# ------------------------------------------------ QUANTIZE and DEQUANTIZE

AFFINE: list[tuple[str, Quant]] = [
    ("zp0", (0.1, 0)),
    ("zp_low", (0.0235, -128)),
    ("zp_high", (0.0078125, 127)),
    ("odd_scale", (0.0371, -7)),
    ("large_scale", (3.3, 45)),
]


def float_inputs(scale: float, zero_point: int, shape: tuple[int, ...], seed: int) -> np.ndarray:
    """float32 data around the representable range: exact halves between
    quantisation steps (where rounding decides), random values, far values."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    steps = np.arange(-300, 300) + 0.5
    halves = (np.float32(scale) * steps.astype(np.float32)).astype(np.float32)
    lo, hi = (-128 - zero_point) * scale, (127 - zero_point) * scale
    random = rng.uniform(lo * 1.2, hi * 1.2, n).astype(np.float32)
    # quotients up to +-2e9 stay inside int32, where TFLM's conversion is defined
    special = np.array([0.0, -0.0, 1e6, -1e6, 2e9 * scale, -2e9 * scale, hi, lo, scale / 2, -scale / 2], dtype=np.float32)
    flat = np.concatenate([special, halves, random])[:n]
    return flat.reshape(shape)


@pytest.mark.parametrize("name,q", AFFINE, ids=[c[0] for c in AFFINE])
def test_quantize_f32_matches_tflm(name: str, q: Quant) -> None:
    shape = (1, 29, 23)
    model = handmade_model("QUANTIZE", shape, np.float32, np.int8, None, q)
    op = single_op(model, "QUANTIZE")
    params = affine_params(*quant_of(op.outputs[0]))
    x = float_inputs(q[0], q[1], shape, len(name))
    (expected,) = run_tflm(model, [x])
    got = pycmsisnn_quantize_f32_s8(x, params)
    assert got.dtype == np.int8
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name,q", AFFINE[:4], ids=[c[0] for c in AFFINE[:4]])
def test_dequantize_matches_tflm(name: str, q: Quant) -> None:
    shape = (2, 8, 17)
    model = handmade_model("DEQUANTIZE", shape, np.int8, np.float32, q, None)
    op = single_op(model, "DEQUANTIZE")
    params = affine_params(*quant_of(op.inputs[0]))
    x = all_values(shape, 3)
    (expected,) = run_tflm(model, [x])
    got = pycmsisnn_dequantize_s8(x, params)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


# (name, input quantisation, output quantisation): ratios below, above and at
# one, zero points at both ends.
REQUANT: list[tuple[str, Quant, Quant]] = [
    ("down", (0.05, 3), (0.11, -9)),
    ("up", (0.11, -9), (0.05, 3)),
    ("same_scale_new_zp", (0.02, -128), (0.02, 127)),
    ("up_8x_zp_edges", (0.08, 127), (0.01, -128)),
    ("odd", (0.0173, 61), (0.0291, -77)),
]


@pytest.mark.parametrize("name,qin,qout", REQUANT, ids=[c[0] for c in REQUANT])
def test_requantize_matches_tflm(name: str, qin: Quant, qout: Quant) -> None:
    shape = (1, 16, 17)
    model = handmade_model("QUANTIZE", shape, np.int8, np.int8, qin, qout)
    op = single_op(model, "QUANTIZE")
    params = requantize_params(*quant_of(op.inputs[0]), *quant_of(op.outputs[0]))
    x = all_values(shape, len(name))
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_requantize_s8(x, params), expected)


def test_quantize_f32_beyond_int32_saturates() -> None:
    """Quotients beyond the int32 range (undefined in TFLM) saturate; NaN gives the zero point."""
    x = np.array([np.inf, -np.inf, np.nan, 1e30, -1e30, 3e9, -3e9], dtype=np.float32)
    got = pycmsisnn_quantize_f32_s8(x, AffineParams(1.0, 5))
    np.testing.assert_array_equal(got, [127, -128, 5, 127, -128, 127, -128])


def test_quantize_f32_rounds_halves_away_from_zero() -> None:
    x = np.array([0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, 126.5, -127.5], dtype=np.float32)
    got = pycmsisnn_quantize_f32_s8(x, AffineParams(1.0, 0))
    np.testing.assert_array_equal(got, [1, -1, 2, -2, 3, -3, 0, 0, 127, -128])


def test_dequantize_quantize_round_trip() -> None:
    q = np.arange(-128, 128, dtype=np.int8)
    p = AffineParams(0.0371, -7)
    np.testing.assert_array_equal(pycmsisnn_quantize_f32_s8(pycmsisnn_dequantize_s8(q, p), p), q)


# -------------------------------------------------------- arithmetic facts


def test_sigmoid_tanh_params_of_a_power_of_two_scale() -> None:
    p = sigmoid_tanh_params(1.0 / 32, -5)
    assert p == SigmoidTanhParams(input_offset=5, input_multiplier=1 << 30, input_left_shift=23, input_range_radius=240)


def test_relu_params_identity_for_equal_quantisation() -> None:
    p = relu_params("RELU", 0.05, -10, 0.05, -10)
    assert (p.output_multiplier, p.output_shift, p.activation) == (1 << 30, 1, Activation(-10, 127))
    p6 = relu_params("RELU6", 0.05, -10, 0.2, 3)  # clamps on the input scale, output quantisation unused
    assert (p6.input_offset, p6.output_offset, p6.activation) == (10, -10, Activation(-10, 110))


def test_kernels_work_on_non_contiguous_views_and_leave_input_alone() -> None:
    base = all_values((16, 34), 1)
    view = base[:, ::2]
    before = view.copy()
    p = sigmoid_tanh_params(0.05, 3)
    np.testing.assert_array_equal(pycmsisnn_logistic_s8(view, p), pycmsisnn_logistic_s8(np.ascontiguousarray(view), p))
    np.testing.assert_array_equal(view, before)


# --------------------------------------------------------------- validation

SIG = SigmoidTanhParams(3, 1 << 30, 20, 1920)
RELU = ReluParams(0, 0, 1 << 30, 1, Activation(0, 127))
LEAKY = LeakyReluParams(0, 0, 1 << 30, 1, 1 << 30, -2)
HSWISH = HardSwishParams(0, 0, 16384, 20000, -6, 2)
REQ = RequantizeParams(0, 0, 1 << 30, 1)
AFF = AffineParams(0.1, 0)

INT8_KERNELS: list[tuple[Callable[..., np.ndarray], Any]] = [
    (pycmsisnn_logistic_s8, SIG),
    (pycmsisnn_tanh_s8, SIG),
    (pycmsisnn_relu_s8, RELU),
    (pycmsisnn_leaky_relu_s8, LEAKY),
    (pycmsisnn_hard_swish_s8, HSWISH),
    (pycmsisnn_requantize_s8, REQ),
    (pycmsisnn_dequantize_s8, AFF),
]
ALL_KERNELS = INT8_KERNELS + [(pycmsisnn_quantize_f32_s8, AFF)]


@pytest.mark.parametrize("fn,params", INT8_KERNELS, ids=[f.__name__ for f, _ in INT8_KERNELS])
@pytest.mark.parametrize(
    "data,reason",
    [
        (np.zeros(10, dtype=np.uint8), "dtype int8"),
        (np.zeros(10, dtype=np.float32), "dtype int8"),
        (np.zeros((0, 3), dtype=np.int8), "empty"),
        ([1, 2, 3], "numpy array"),
    ],
)
def test_int8_input_rejected(fn: Callable, params: Any, data: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=f"{fn.__name__}: input: .*{reason}"):
        fn(data, params)


def test_quantize_input_must_be_float32() -> None:
    for bad in (np.zeros(4, np.float64), np.zeros(4, np.int8), np.zeros(4, np.float16)):
        with pytest.raises(ArgError, match="pycmsisnn_quantize_f32_s8: input: .*dtype float32"):
            pycmsisnn_quantize_f32_s8(bad, AFF)


@pytest.mark.parametrize("fn,params", ALL_KERNELS, ids=[f.__name__ for f, _ in ALL_KERNELS])
def test_wrong_params_class_rejected(fn: Callable, params: Any) -> None:
    x = np.zeros(4, np.float32 if fn is pycmsisnn_quantize_f32_s8 else np.int8)
    wrong = RELU if not isinstance(params, ReluParams) else SIG
    with pytest.raises(ValueError, match=f"{fn.__name__}: params: must be a {type(params).__name__}"):
        fn(x, wrong)


BAD_FIELDS: list[tuple[Callable[..., np.ndarray], Any, str, Any]] = [
    (pycmsisnn_logistic_s8, SIG, "input_offset", -128),
    (pycmsisnn_logistic_s8, SIG, "input_left_shift", 32),
    (pycmsisnn_tanh_s8, SIG, "input_left_shift", -1),
    (pycmsisnn_tanh_s8, SIG, "input_range_radius", -1),
    (pycmsisnn_tanh_s8, SIG, "input_multiplier", -5),
    (pycmsisnn_relu_s8, RELU, "output_offset", 128),
    (pycmsisnn_relu_s8, RELU, "output_shift", 32),
    (pycmsisnn_relu_s8, RELU, "activation", Activation(10, 5)),
    (pycmsisnn_relu_s8, RELU, "input_offset", 1.5),
    (pycmsisnn_leaky_relu_s8, LEAKY, "alpha_multiplier", -(2**31)),
    (pycmsisnn_leaky_relu_s8, LEAKY, "identity_shift", -32),
    (pycmsisnn_hard_swish_s8, HSWISH, "output_shift", 1),
    (pycmsisnn_hard_swish_s8, HSWISH, "output_shift", -16),
    (pycmsisnn_hard_swish_s8, HSWISH, "reluish_shift", 31),
    (pycmsisnn_hard_swish_s8, HSWISH, "output_multiplier", 32768),
    (pycmsisnn_hard_swish_s8, HSWISH, "reluish_multiplier", -1),
    (pycmsisnn_requantize_s8, REQ, "multiplier", 2**31),
    (pycmsisnn_requantize_s8, REQ, "input_offset", True),
    (pycmsisnn_quantize_f32_s8, AFF, "scale", 0.0),
    (pycmsisnn_quantize_f32_s8, AFF, "scale", float("nan")),
    (pycmsisnn_quantize_f32_s8, AFF, "scale", 1e-50),
    (pycmsisnn_dequantize_s8, AFF, "scale", -0.1),
    (pycmsisnn_dequantize_s8, AFF, "zero_point", 128),
    (pycmsisnn_quantize_f32_s8, AFF, "zero_point", -129),
]


@pytest.mark.parametrize("fn,params,field,value", BAD_FIELDS, ids=[f"{f.__name__}-{n}-{v}" for f, _, n, v in BAD_FIELDS])
def test_bad_parameter_rejected(fn: Callable, params: Any, field: str, value: Any) -> None:
    from dataclasses import replace

    x = np.zeros(4, np.float32 if fn is pycmsisnn_quantize_f32_s8 else np.int8)
    with pytest.raises(ValueError, match=f"{fn.__name__}: params.{field}"):
        fn(x, replace(params, **{field: value}))


def test_converter_gives_the_fixed_output_quantisations() -> None:
    """LOGISTIC and TANH outputs are on the scale and zero point the kernels assume."""
    for opname, expected in (("LOGISTIC", (1 / 256, -128)), ("TANH", (1 / 128, 0))):
        op: OpView = single_op(unary_model(opname, SHAPES[0], RANGES[0][1]), opname)
        assert quant_of(op.outputs[0]) == expected
