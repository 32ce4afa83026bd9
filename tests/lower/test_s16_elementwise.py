"""16x8 (int16 activations) ADD, SUB, MUL, SOFTMAX, LOGISTIC, TANH, RELU,
RELU6, LEAKY_RELU, AVERAGE_POOL_2D and MAX_POOL_2D run whole through
``pycmsisnn.runtime.load(model).run(x)``, equal to TensorFlow Lite Micro
element for element.

* The 16x8 kernel-test models of ``tests/kernels/test_s16.py`` (elementwise
  ADD/MUL, pooling, softmax, power-of-two LOGISTIC/TANH), now lowered by
  pycmsisnn instead of by hand.
* New converter-made models: SUB, broadcasting ADD/SUB/MUL (one side, both
  sides, a constant operand), fused activations, RELU/RELU6/LEAKY_RELU.
* Hand-built flatbuffers for the scales the arithmetic depends on: LOGISTIC
  and TANH of non-power-of-two input scales, RELU, RELU6 and LEAKY_RELU
  (shifts of both signs, alphas of both signs), each exhaustive over every
  int16 input; binary ops with chosen scales (MUL left shifts, ADD/SUB
  multipliers of every exponent), shapes with odd tails.
* Refusals, each with its reason.

The generated C of these kernels is checked in ``tests/codegen/test_kernel_coverage.py``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import flatbuffers
import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.lower import refusal_reasons
from pycmsisnn.runtime import load
from pycmsisnn.tflite import read_model
from tests.kernels import test_s16 as k16
from tests.kernels.test_activations_extra import _TYPES, handmade_model
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import input_names, schema
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import keras_order, run_tflm

EVERY_INT16 = np.arange(-32768, 32768, dtype=np.int64).astype(np.int16).reshape(16, 4096)


def run_both(model: bytes, inputs: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    """(pycmsisnn's outputs, TFLite Micro's, the kernels of the plan) for
    ``inputs`` in Keras order (``input_<i>``; model order for other names)."""
    m = load(model)
    order = keras_order(input_names(model))
    got = m.run([inputs[k] for k in order])
    assert isinstance(got, list)
    expected = run_tflm(model, inputs)
    return got, [np.asarray(e).reshape(g.shape) for g, e in zip(got, expected)], [c.kernel for c in m.plan.calls]


def assert_exact(model: bytes, inputs: Sequence[np.ndarray], kernels: set[str]) -> list[np.ndarray]:
    got, expected, used = run_both(model, inputs)
    assert kernels <= set(used), used
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g.dtype == np.int16
        np.testing.assert_array_equal(g, e, err_msg=f"output {i}")
    return got


def reasons(model: bytes) -> str:
    return "\n".join(refusal_reasons(read_model(model, strict=False)))


# ------------------------------------------- the kernel tests' models, whole

ELT_KERNELS = {"add": "arm_elementwise_add_s16", "mul": "arm_elementwise_mul_s16"}


@pytest.mark.parametrize("case", k16.ELT_CASES, ids=str)
def test_elementwise_model(case: k16.EltCase) -> None:
    x1 = k16._int16(case.shape, 500 + len(case.shape), case.amplitude)
    x2 = k16._int16(case.shape, 600 + case.shape[-1], case.amplitude)
    out = assert_exact(k16._elt_model(case), [x1, x2], {ELT_KERNELS[case.op]})
    assert len(np.unique(out[0])) > 1 or out[0].size == 1


POOL_KERNELS = {"avg": "arm_avgpool_s16", "max": "arm_max_pool_s16"}


@pytest.mark.parametrize("case", k16.POOL_CASES, ids=str)
def test_pooling_model(case: k16.PoolCase) -> None:
    assert_exact(k16._pool_model(case), [k16._int16(case.shape, 300 + sum(case.shape))], {POOL_KERNELS[case.op]})


@pytest.mark.parametrize("case", k16.SOFTMAX_CASES, ids=str)
def test_softmax_model(case: k16.SoftmaxCase) -> None:
    assert_exact(k16._softmax_model(case), [k16._int16(case.shape, 700 + case.shape[-1])], {"arm_softmax_s16"})


@pytest.mark.parametrize("kind", ["sigmoid", "tanh"])
@pytest.mark.parametrize("input_scale", [2.0**-12, 2.0**-11])
def test_power_of_two_activation_model_on_every_int16(kind: str, input_scale: float) -> None:
    model = k16._activation_model(kind, input_scale)
    got = np.concatenate([assert_exact(model, [chunk.reshape(1, 4096)], {"arm_nn_activation_s16"})[0] for chunk in EVERY_INT16])
    assert got.max() > 32700


# ----------------------------------------------- new converter-made models


@dataclass(frozen=True)
class BinCase:
    """A 16x8 binary op (``op`` add/sub/mul) of two inputs, or of an input and
    a constant of ``shape_2`` (``const``), optionally followed by an activation."""

    op: str
    shape_1: tuple[int, ...]
    shape_2: tuple[int, ...]
    range_1: tuple[float, float] = (-1.0, 1.0)
    range_2: tuple[float, float] = (-1.0, 1.0)
    act: str | None = None
    const: bool = False
    const_first: bool = False  # the constant is the left operand
    out_factor: float = 1.0
    amplitude: int = 32767

    @property
    def key(self) -> str:
        return (f"l16bin|{self.op}|{self.shape_1}|{self.shape_2}|{self.range_1}|{self.range_2}|act={self.act}"
                f"|const={self.const},{self.const_first}|v1")

    def __str__(self) -> str:
        s1, s2 = "x".join(map(str, self.shape_1)), "x".join(map(str, self.shape_2))
        c = "c" + ("l" if self.const_first else "r") if self.const else ""
        return f"{self.op}-{s1}-{s2}{c}-r{self.range_1[1]:g}_{self.range_2[1]:g}-{self.act}-f{self.out_factor:g}"


_OPS: dict[str, Callable[[Any, Any], Any]] = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b}

BIN_CASES = [
    # SUB of equal shapes (no CMSIS-NN kernel: pycmsisnn_broadcast_sub_s16)
    BinCase("sub", (2, 7), (2, 7)),
    BinCase("sub", (1, 4, 4, 3), (1, 4, 4, 3), (-1.0, 1.0), (-3.0, 3.0)),
    BinCase("sub", (2, 33), (2, 33), (-10.0, 10.0), (-0.5, 0.5)),
    BinCase("sub", (1, 3, 5, 17), (1, 3, 5, 17), (-2.0, 2.0), (-2.0, 2.0), act="relu"),
    BinCase("sub", (1, 2, 6, 4), (1, 2, 6, 4), (-5.0, 5.0), (-5.0, 5.0), act="relu6"),
    BinCase("sub", (3, 9), (3, 9), (-0.01, 0.01), (-1.0, 1.0), out_factor=1 / 2, amplitude=12000),
    # broadcasting, one side and both sides
    BinCase("sub", (1, 4, 6, 3), (1, 1, 6, 3)),
    BinCase("sub", (2, 5), (5,), (-4.0, 4.0), (-1.0, 1.0)),
    BinCase("sub", (3, 1, 4), (1, 2, 4), (-1.0, 1.0), (-0.2, 0.2)),
    BinCase("add", (1, 4, 6, 3), (1, 1, 1, 3)),
    BinCase("add", (2, 3, 17), (17,), (-3.0, 3.0), (-0.1, 0.1)),
    BinCase("add", (1, 5, 1, 8), (1, 1, 7, 8), (-2.0, 2.0), (-2.0, 2.0), act="relu"),
    BinCase("mul", (1, 4, 6, 3), (1, 1, 6, 1)),
    BinCase("mul", (2, 9), (2, 1), (-10.0, 10.0), (-0.5, 0.5)),
    BinCase("mul", (1, 3, 5, 16), (1, 3, 1, 16), (-4.0, 4.0), (-4.0, 4.0), act="relu6"),
    BinCase("mul", (2, 1, 5), (1, 3, 1), (-1.0, 1.0), (-1.0, 1.0), out_factor=2.0**-16, amplitude=12),
    # a constant operand
    BinCase("add", (1, 4, 6, 3), (3,), const=True),
    BinCase("sub", (1, 5, 8), (1, 1, 8), (-2.0, 2.0), const=True),
    BinCase("sub", (2, 7), (7,), const=True, const_first=True),
    BinCase("mul", (1, 5, 8), (1, 5, 8), (-3.0, 3.0), const=True),
    BinCase("mul", (2, 3, 3, 5), (5,), const=True, act="relu"),
]


def _bin_model(case: BinCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        t = tf()
        layers = t.keras.layers
        fn = _OPS[case.op]
        if case.const:
            values = np.random.default_rng(sum(case.shape_2)).uniform(*case.range_2, size=case.shape_2).astype(np.float32)
            c = t.constant(values)
            y = layers.Lambda(lambda x: fn(c, x) if case.const_first else fn(x, c))(inputs[0])
        else:
            y = layers.Lambda(lambda xs: fn(xs[0], xs[1]))([inputs[0], inputs[1]])
        return k16._act_layer(case.act)(y)

    shapes = [case.shape_1] if case.const else [case.shape_1, case.shape_2]
    ranges = [case.range_1] if case.const else [case.range_1, case.range_2]
    return k16._scale_output(build_model(case.key, make, shapes, input_range=ranges, int16x8=True), case.out_factor)


def _bin_kernel(case: BinCase) -> str:
    if case.op == "sub":
        return "pycmsisnn_broadcast_sub_s16"
    if case.shape_1 == case.shape_2:  # a constant too: the CMSIS-NN kernel takes any array
        return ELT_KERNELS[case.op]
    return f"pycmsisnn_broadcast_{case.op}_s16"


@pytest.mark.parametrize("case", BIN_CASES, ids=str)
def test_binary_model(case: BinCase) -> None:
    model = _bin_model(case)
    x1 = k16._int16(case.shape_1, 40 + sum(case.shape_1), case.amplitude)
    inputs = [x1] if case.const else [x1, k16._int16(case.shape_2, 50 + sum(case.shape_2), case.amplitude)]
    out = assert_exact(model, inputs, {_bin_kernel(case)})
    assert len(np.unique(out[0])) > 2
    if case.const:  # the constant is an int16 array of the call
        call = load(model).plan.calls[0]
        assert any(isinstance(v, np.ndarray) and v.dtype == np.int16 for v in call.args.values())


def test_binary_sweep_reaches_what_the_arithmetic_depends_on() -> None:
    """Fused activations in the model, MUL left and right shifts, broadcasts on both sides."""
    fused, mul_shifts = set(), set()
    for case in BIN_CASES:
        call = load(_bin_model(case)).plan.calls[0]
        p = call.args["params"]
        if p.out_activation_min == 0:
            fused.add(case.act)
        if case.op == "mul":
            mul_shifts.add(p.out_shift > 0)
    assert fused == {"relu", "relu6"} and mul_shifts == {True, False}


@pytest.mark.parametrize("layer", ["relu", "relu6", "leaky"])
def test_converted_activation_model(layer: str) -> None:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        if layer == "leaky":
            return layers.LeakyReLU(negative_slope=0.2)(inputs[0])
        return k16._act_layer(layer)(inputs[0])

    model = build_model(f"l16act|{layer}|v1", make, [(16, 4096)], input_range=(-8.0, 8.0), int16x8=True)
    kernel = "pycmsisnn_leaky_relu_s16" if layer == "leaky" else "pycmsisnn_relu_s16"
    assert_exact(model, [EVERY_INT16], {kernel})


# --------------------------------------- hand-built unary models, every int16

# LOGISTIC / TANH input scales of TFLite's general path: multipliers with
# shifts from 0 to 31, a power of two outside {2^-12, 2^-11}, tiny and large.
GENERAL_SCALES = [1.0e-4, 3.0e-4, 7.1e-4, 2.0**-10, 1.3e-3, 0.0123, 0.25, 1.0, 4.9, 1.0e-7, 1.0e-10]


@pytest.mark.parametrize("op", ["LOGISTIC", "TANH"])
@pytest.mark.parametrize("scale", GENERAL_SCALES)
def test_general_scale_sigmoid_tanh_on_every_int16(op: str, scale: float) -> None:
    model = handmade_model(op, EVERY_INT16.shape, np.int16, np.int16, (scale, 0), (2.0**-15, 0))
    got = assert_exact(model, [EVERY_INT16], {"pycmsisnn_logistic_s16" if op == "LOGISTIC" else "pycmsisnn_tanh_s16"})[0]
    p = load(model).plan.calls[0].args["params"]
    assert p == quant.sigmoid_tanh_s16_params(scale)
    assert np.all(np.diff(got.ravel().astype(np.int64)) >= 0)  # monotone over the sorted inputs
    if 1.0e-4 <= scale <= 1.0:  # a real curve, not a few steps
        assert len(np.unique(got)) > 10


def test_general_scale_sweep_reaches_every_shift_range() -> None:
    shifts = {quant.sigmoid_tanh_s16_params(s).input_left_shift for s in GENERAL_SCALES}
    assert 0 in shifts and 31 in shifts and len(shifts) >= 8
    assert quant.sigmoid_tanh_s16_params(4.9).input_multiplier > 32767  # no shift: a multiplier above 15 bits


# (op, input scale, output scale, alpha): RELU with left and right shifts and
# the identity; RELU6 with q(6) inside and beyond int16; LEAKY_RELU alphas
# below 1, above 1, negative and tiny, shifts of both signs.
UNARY_CASES: list[tuple[str, float, float, float | None]] = [
    ("RELU", 0.001, 0.0005, None),
    ("RELU", 0.001, 0.0031, None),
    ("RELU", 0.0002, 0.0002, None),
    ("RELU", 0.5, 0.00004, None),
    ("RELU", 1.0e-5, 0.07, None),
    ("RELU", 0.0037, 0.0019, None),
    ("RELU6", 0.0003, 0.0003, None),
    ("RELU6", 0.0001, 0.0002, None),
    ("RELU6", 0.00025, 0.0002, None),
    ("RELU6", 0.01, 0.01, None),
    ("LEAKY_RELU", 0.001, 0.0007, 0.2),
    ("LEAKY_RELU", 0.001, 0.0013, -1.7),
    ("LEAKY_RELU", 0.0005, 0.0005, 0.01),
    ("LEAKY_RELU", 0.002, 0.0003, 3.5),
    ("LEAKY_RELU", 0.0003, 0.002, 0.3),
    ("LEAKY_RELU", 0.1, 0.0001, 1.0e-4),
    ("LEAKY_RELU", 0.0011, 0.0011, -0.25),
    ("LEAKY_RELU", 0.00031, 0.00047, 0.999),
]


def _unary_model(op: str, s_in: float, s_out: float, alpha: float | None, shape: tuple[int, ...] = EVERY_INT16.shape) -> bytes:
    options = ("LeakyReluOptions", {"alpha": alpha}) if alpha is not None else None
    return handmade_model(op, shape, np.int16, np.int16, (s_in, 0), (s_out, 0), options)


@pytest.mark.parametrize("case", UNARY_CASES, ids=lambda c: "-".join(map(str, c)))
def test_relu_family_on_every_int16(case: tuple[str, float, float, float | None]) -> None:
    op, s_in, s_out, alpha = case
    kernel = "pycmsisnn_leaky_relu_s16" if op == "LEAKY_RELU" else "pycmsisnn_relu_s16"
    got = assert_exact(_unary_model(op, s_in, s_out, alpha), [EVERY_INT16], {kernel})[0]
    assert len(np.unique(got)) > 2


def test_relu_family_sweep_reaches_both_shift_signs() -> None:
    shifts = set()
    for op, s_in, s_out, alpha in UNARY_CASES:
        p = load(_unary_model(op, s_in, s_out, alpha)).plan.calls[0].args["params"]
        shifts |= {p.output_shift} if op != "LEAKY_RELU" else {p.identity_shift, p.alpha_shift}
    assert min(shifts) < 0 and max(shifts) > 1


@pytest.mark.parametrize("shape", [(3, 7, 5), (1, 1, 1, 1), (2, 17), (33,)], ids=str)
@pytest.mark.parametrize("op", ["TANH", "RELU6", "LEAKY_RELU"])
def test_unary_shapes_with_tails(op: str, shape: tuple[int, ...]) -> None:
    s_in, s_out, alpha = {"TANH": (7.1e-4, 2.0**-15, None), "RELU6": (0.0003, 0.0003, None), "LEAKY_RELU": (0.001, 0.0007, 0.2)}[op]
    model = _unary_model(op, s_in, s_out, alpha, shape)
    assert_exact(model, [k16._int16(shape, 7)], set())


@pytest.mark.parametrize("alpha", [-0.5, -0.25, -0.125, -1.0, -2.0])
@pytest.mark.parametrize("dtype", [np.int8, np.int16], ids=["int8", "int16"])
def test_leaky_relu_negative_power_of_two_alpha_ties(dtype: type, alpha: float) -> None:
    """Products on exact halves: TensorFlow Lite Micro rounds a negative
    multiplier's ties toward zero (magnitude requantised, then negated)."""
    x: np.ndarray
    if dtype is np.int8:
        x = np.arange(-128, 128, dtype=np.int16).astype(np.int8).reshape(1, 256)
        model = handmade_model("LEAKY_RELU", (1, 256), np.int8, np.int8, (0.01, 0), (0.01, 0), ("LeakyReluOptions", {"alpha": alpha}))
    else:
        x = EVERY_INT16
        model = _unary_model("LEAKY_RELU", 0.001, 0.001, alpha)
    got, expected, used = run_both(model, [x])
    assert used == [f"pycmsisnn_leaky_relu_{'s8' if dtype is np.int8 else 's16'}"]
    np.testing.assert_array_equal(got[0], expected[0])


# ------------------------------------------- hand-built binary models, scales


def binary_model(op: str, shape_1: tuple[int, ...], shape_2: tuple[int, ...], out_shape: tuple[int, ...],
                 quants: Sequence[tuple[float, int]], fused: int = 0, constant: np.ndarray | None = None) -> bytes:
    """A flatbuffer with one int16 ADD/SUB/MUL of two tensors (the second the
    int16 ``constant`` when given); ``quants``: (scale, zero point) of input 1,
    input 2 and the output; ``fused``: the fused activation code."""
    s = schema()
    model = s.ModelT()
    model.version = 3
    model.description = f"pycmsisnn test: single int16 {op}"
    model.buffers = [s.BufferT() for _ in range(4)]
    if constant is not None:
        model.buffers[2].data = list(np.ascontiguousarray(constant, dtype=np.int16).tobytes())

    def tensor(name: str, shape: tuple[int, ...], q: tuple[float, int], buffer: int) -> Any:
        t = s.TensorT()
        t.name, t.shape, t.type, t.buffer = name, list(shape), _TYPES[np.dtype(np.int16)], buffer
        qp = s.QuantizationParametersT()
        qp.scale, qp.zeroPoint = [float(np.float32(q[0]))], [int(q[1])]
        t.quantization = qp
        return t

    sg = s.SubGraphT()
    sg.tensors = [tensor("input_0", shape_1, quants[0], 1), tensor("input_1", shape_2, quants[1], 2), tensor("output", out_shape, quants[2], 3)]
    sg.inputs, sg.outputs = ([0] if constant is not None else [0, 1]), [2]
    operator = s.OperatorT()
    operator.opcodeIndex, operator.inputs, operator.outputs = 0, [0, 1], [2]
    name = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}[op]
    opts = getattr(s, name + "T")()
    opts.fusedActivationFunction = fused
    operator.builtinOptionsType = getattr(s.BuiltinOptions, name)
    operator.builtinOptions = opts
    sg.operators = [operator]
    code = s.OperatorCodeT()
    code.builtinCode = getattr(s.BuiltinOperator, op)
    code.deprecatedBuiltinCode = code.builtinCode
    code.version = 1
    model.operatorCodes, model.subgraphs = [code], [sg]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


# (op, shape 1, shape 2, scales of input 1, input 2, output, fused activation, amplitude)
SCALED_CASES: list[tuple[str, tuple[int, ...], tuple[int, ...], tuple[float, float, float], int, int]] = [
    ("ADD", (4, 33), (4, 33), (0.001, 0.001, 0.0021), 0, 32767),
    ("ADD", (4, 33), (33,), (0.0001, 0.003, 0.0031), 0, 32767),
    ("ADD", (2, 3, 5, 7), (2, 1, 5, 1), (0.02, 0.0007, 0.001), 1, 2000),
    ("ADD", (3, 17), (3, 17), (3.0e-5, 1.1e-5, 2.0e-6), 3, 32767),
    ("SUB", (4, 33), (4, 33), (0.001, 0.001, 0.0021), 0, 32767),
    ("SUB", (5, 9), (1, 9), (0.0003, 0.0071, 0.0065), 0, 32767),
    ("SUB", (2, 3, 4, 5), (3, 1, 5), (0.5, 0.25, 0.05), 1, 6000),
    ("SUB", (7,), (7,), (1.0e-4, 1.0e-4, 1.1e-4), 0, 32767),
    ("MUL", (4, 33), (4, 33), (0.001, 0.001, 0.0004), 0, 32767),
    ("MUL", (3, 11), (11,), (0.002, 0.003, 1.0e-9), 0, 40),
    ("MUL", (2, 2, 3, 9), (2, 1, 3, 1), (0.01, 0.02, 0.0003), 1, 3000),
    ("MUL", (6, 5), (6, 5), (1.0e-4, 1.0e-4, 1.0e-12), 0, 30),
]


@pytest.mark.parametrize("case", SCALED_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-{c[3]}-act{c[4]}")
def test_binary_scales(case: tuple[str, tuple[int, ...], tuple[int, ...], tuple[float, float, float], int, int]) -> None:
    op, shape_1, shape_2, scales, fused, amplitude = case
    out_shape = tuple(np.broadcast_shapes(shape_1, shape_2))
    model = binary_model(op, shape_1, shape_2, out_shape, [(s, 0) for s in scales], fused)
    x1, x2 = k16._int16(shape_1, 11, amplitude), k16._int16(shape_2, 12, amplitude)
    got = assert_exact(model, [x1, x2], set())[0]
    assert len(np.unique(got)) > 2


def test_binary_scales_sweep_reaches_both_shift_signs() -> None:
    mul_shifts, add_shifts = set(), set()
    for op, shape_1, shape_2, scales, fused, _ in SCALED_CASES:
        out_shape = tuple(np.broadcast_shapes(shape_1, shape_2))
        p = load(binary_model(op, shape_1, shape_2, out_shape, [(s, 0) for s in scales], fused)).plan.calls[0].args["params"]
        if op == "MUL":
            mul_shifts.add(p.out_shift)
        else:
            add_shifts |= {p.input_1_shift, p.input_2_shift}
    assert min(mul_shifts) < 0 < max(mul_shifts) and min(add_shifts) < -1


def test_constant_operand_of_hand_built_sub() -> None:
    c = np.arange(-3000, 3000, 1000, dtype=np.int16)  # 6 values
    model = binary_model("SUB", (4, 6), (6,), (4, 6), [(0.001, 0), (0.002, 0), (0.0025, 0)], constant=c)
    assert_exact(model, [k16._int16((4, 6), 3)], {"pycmsisnn_broadcast_sub_s16"})


# ------------------------------------------------------------------ refusals


def _with_zero_point(model: bytes, tensor: int, zero_point: int) -> bytes:
    def edit(m: Any) -> None:
        m.subgraphs[0].tensors[tensor].quantization.zeroPoint = [zero_point]

    return edit_model(model, edit)


@pytest.mark.parametrize("tensor, role", [(0, "input 0"), (1, "input 1"), (2, "output")])
@pytest.mark.parametrize("op", ["ADD", "SUB", "MUL"])
def test_binary_with_nonzero_zero_point_is_refused(op: str, tensor: int, role: str) -> None:
    model = binary_model(op, (2, 5), (2, 5), (2, 5), [(0.001, 0)] * 3)
    name = ["input_0", "input_1", "output"][tensor]
    expected = f"{op} x1: operator 0: {role} '{name}' is int16 with zero point 3; int16 tensors need zero point 0"
    assert expected in reasons(_with_zero_point(model, tensor, 3))


@pytest.mark.parametrize("op", ["LOGISTIC", "TANH", "RELU", "RELU6"])
def test_unary_with_nonzero_zero_point_is_refused(op: str) -> None:
    model = _unary_model(op, 0.001, 2.0**-15 if op in ("LOGISTIC", "TANH") else 0.001, None, (2, 8))
    assert f"{op} x1: operator 0: input 'input_0' is int16 with zero point -7; int16 tensors need zero point 0" in reasons(
        _with_zero_point(model, 0, -7))
    assert "output 'output' is int16 with zero point 5" in reasons(_with_zero_point(model, 1, 5))


def test_softmax_and_pooling_with_nonzero_zero_point_are_refused() -> None:
    softmax = k16._softmax_model(k16.SOFTMAX_CASES[0])
    assert "SOFTMAX x1: operator 0: input" in reasons(_with_zero_point(softmax, 0, 2))
    assert "int16 tensors need zero point 0" in reasons(_with_zero_point(softmax, 0, 2))
    pool = k16._pool_model(k16.POOL_CASES[0])
    assert "AVERAGE_POOL_2D x1: operator 0: input" in reasons(_with_zero_point(pool, 0, 1))
    assert "int16 tensors need zero point 0" in reasons(_with_zero_point(pool, 0, 1))


def test_sigmoid_tanh_scales_without_a_tflm_kernel_are_refused() -> None:
    assert "LOGISTIC x1: operator 0: int16 sigmoid/tanh output scale must be 2^-15, got 6.1" in reasons(
        _unary_model("LOGISTIC", 0.001, 2.0**-14, None, (2, 8)))
    assert "TANH x1: operator 0: int16 sigmoid/tanh input scale 6.0 is too large: multiplier 73728 above 65535" in reasons(
        _unary_model("TANH", 6.0, 2.0**-15, None, (2, 8)))
    assert "too small: its multiplier truncates to 0" in reasons(_unary_model("TANH", 1.0e-15, 2.0**-15, None, (2, 8)))


def test_relu_scales_that_overflow_tflm_are_refused() -> None:
    assert "RELU x1: operator 0: RELU scale 1/9.99999997e-07 needs a left shift of 20 (max 16)" in reasons(
        _unary_model("RELU", 1.0, 1.0e-6, None, (2, 8)))
    leaky = reasons(_unary_model("LEAKY_RELU", 0.001, 0.001, 1.0e6, (2, 8)))
    assert "LEAKY_RELU x1: operator 0: LEAKY_RELU alpha 1000000 with scales 0.00100000005/0.00100000005 needs a left shift of 20 (max 16)" in leaky


def test_int16_ops_without_a_tflm_int16_kernel_are_refused() -> None:
    assert "RELU_N1_TO_1 x1: operator 0: input 'input_0' is int16, needs int8" in reasons(_unary_model("RELU_N1_TO_1", 0.001, 0.001, None, (2, 8)))
    assert "HARD_SWISH x1: operator 0: input 'input_0' is int16, needs int8" in reasons(_unary_model("HARD_SWISH", 0.001, 0.001, None, (2, 8)))


def test_mixed_types_are_refused() -> None:
    model = binary_model("ADD", (2, 5), (2, 5), (2, 5), [(0.001, 0)] * 3)

    def retype(m: Any) -> None:
        m.subgraphs[0].tensors[1].type = schema().TensorType.INT8

    assert "ADD x1: operator 0: input 1 'input_1' is int8, needs int16" in reasons(edit_model(model, retype))


def test_add_whose_output_multiplier_reaches_one_is_refused() -> None:
    model = binary_model("ADD", (2, 5), (2, 5), (2, 5), [(0.001, 0), (0.001, 0), (1.0e-8, 0)])
    assert "ADD x1: operator 0: multiplier" in reasons(model) and "must be in (0, 1)" in reasons(model)


def test_softmax_int16_with_wrong_output_scale_is_refused() -> None:
    model = k16._softmax_model(k16.SOFTMAX_CASES[0])

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        sg.tensors[sg.operators[0].outputs[0]].quantization.scale = [1.0 / 65536]

    assert "SOFTMAX x1: operator 0: output '" in reasons(edit_model(model, edit))
    assert "quantisation must be scale 3.05175781e-05 (within 3.05e-08), zero point 0; the model has scale 1.52587891e-05" in reasons(
        edit_model(model, edit))


# ------------------------------------------------- the new kernels' wrappers


def test_new_kernels_are_registered() -> None:
    from pycmsisnn.kernels import lookup, s16_ops

    for name in s16_ops.__all__:
        assert lookup(name) is getattr(s16_ops, name)


def test_new_kernel_wrappers_reject_bad_arguments() -> None:
    from dataclasses import replace

    from pycmsisnn.errors import ArgError
    from pycmsisnn.kernels import s16_ops
    from pycmsisnn.params import Activation, LeakyReluParams, ReluParams, SigmoidTanhS16Params

    x = np.zeros((2, 3), np.int16)
    add = quant.add_params_s16(0.1, 0.2, 0.3)
    with pytest.raises(ArgError, match="input_2: shape \\(4,\\) does not broadcast"):
        s16_ops.pycmsisnn_broadcast_add_s16(x, np.zeros(4, np.int16), add)
    with pytest.raises(ArgError, match="input_1: must have dtype int16"):
        s16_ops.pycmsisnn_broadcast_sub_s16(x.astype(np.int8), x, add)
    with pytest.raises(ArgError, match="params.input_1_offset: 3 is outside \\[0, 0\\]"):
        s16_ops.pycmsisnn_broadcast_sub_s16(x, x, replace(add, input_1_offset=3))
    with pytest.raises(ArgError, match="params.left_shift: 17"):
        s16_ops.pycmsisnn_broadcast_add_s16(x, x, replace(add, left_shift=17))
    with pytest.raises(ArgError, match="params: must be a MulParams"):
        s16_ops.pycmsisnn_broadcast_mul_s16(x, x, add)  # type: ignore[arg-type]
    with pytest.raises(ArgError, match="params.input_multiplier: 65536"):
        s16_ops.pycmsisnn_tanh_s16(x, SigmoidTanhS16Params(65536, 0))
    with pytest.raises(ArgError, match="params.input_left_shift: 32"):
        s16_ops.pycmsisnn_logistic_s16(x, SigmoidTanhS16Params(3, 32))
    with pytest.raises(ArgError, match="params.activation.min: -40000"):
        s16_ops.pycmsisnn_relu_s16(x, ReluParams(0, 0, 1 << 30, 1, Activation(-40000, 0)))
    with pytest.raises(ArgError, match="params.output_offset: 1"):
        s16_ops.pycmsisnn_leaky_relu_s16(x, LeakyReluParams(0, 1, 1 << 30, 1, 1 << 30, 0))


def test_new_c_kernels_refuse_bad_arguments_themselves() -> None:
    from pycmsisnn.kernels._base import dims, ffi, lib

    buf = ffi.new("int16_t[4]")
    p = ffi.new("pycmsisnn_sigmoid_tanh_s16_params *", {"input_multiplier": 0, "input_left_shift": 0})
    assert lib.pycmsisnn_tanh_s16(p, buf, buf, 4) == lib.ARM_CMSIS_NN_ARG_ERROR
    p.input_multiplier = 3
    assert lib.pycmsisnn_logistic_s16(p, buf, buf, 4) == lib.ARM_CMSIS_NN_SUCCESS
    assert lib.pycmsisnn_logistic_s16(p, ffi.NULL, buf, 4) == lib.ARM_CMSIS_NN_ARG_ERROR
    add = ffi.new("pycmsisnn_add_params *", {"left_shift": 17, "activation": {"min": -32768, "max": 32767}})
    d = dims((1, 1, 1, 4))
    assert lib.pycmsisnn_broadcast_add_s16(add, d, buf, d, buf, d, buf) == lib.ARM_CMSIS_NN_ARG_ERROR
    add.left_shift = 15
    assert lib.pycmsisnn_broadcast_sub_s16(add, d, buf, d, buf, d, buf) == lib.ARM_CMSIS_NN_SUCCESS
    assert lib.pycmsisnn_broadcast_sub_s16(add, d, buf, dims((1, 1, 1, 3)), buf, d, buf) == lib.ARM_CMSIS_NN_ARG_ERROR
