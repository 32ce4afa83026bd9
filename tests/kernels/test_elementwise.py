"""arm_elementwise_add_s8, arm_elementwise_mul_s8, arm_minimum_s8, arm_maximum_s8
against TensorFlow Lite Micro's ADD, MUL, MINIMUM and MAXIMUM, plus validation."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels.elementwise import (
    arm_elementwise_add_s8,
    arm_elementwise_mul_s8,
    arm_maximum_s8,
    arm_minimum_s8,
)
from pycmsisnn.params import AddParams, MulParams
from tests.support.model_view import OpView, TensorView, ops, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

Range = tuple[float, float]


def random_int8(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform int8 data that always contains both extremes."""
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    flat = x.reshape(-1)
    flat[0], flat[-1] = -128, 127
    return x


def keras_index(t: TensorView) -> int:
    """Which Keras input (``input_<i>``) a model input tensor is."""
    m = re.search(r"input_(\d+)", t.name)
    assert m is not None, f"{t.name} is not a model input"
    return int(m.group(1))


def op_inputs(op: OpView, data: list[np.ndarray]) -> list[np.ndarray]:
    """The test data in the order of the operator's own inputs."""
    return [data[keras_index(t)] for t in op.inputs if t is not None]


# ------------------------------------------------------------------ ADD / MUL

# (name, shape, range of input 0, range of input 1, fused activation layer)
BINARY_CONFIGS: list[tuple[str, tuple[int, ...], Range, Range, str]] = [
    ("zp_low_mid", (1, 3, 5, 3), (0.0, 4.0), (-1.0, 3.0), "none"),
    ("zp_high_low", (1, 3, 5, 3), (-4.0, 0.0), (0.0, 4.0), "none"),
    ("zp_high_high", (1, 2, 3, 7), (-4.0, 0.0), (-2.0, 0.0), "none"),
    ("zp_low_low", (1, 5, 1, 3), (0.0, 1.0), (0.0, 6.0), "none"),
    ("scale_1_to_32", (1, 3, 5, 3), (-0.25, 0.25), (-8.0, 8.0), "none"),
    ("scale_32_to_1", (1, 2, 2, 5), (-6.0, 10.0), (-0.2, 0.3), "none"),
    ("symmetric", (1, 2, 2, 13), (-1.0, 1.0), (-1.0, 1.0), "none"),
    ("odd_3d", (1, 7, 9), (-3.0, 1.0), (-0.5, 2.5), "none"),
    ("batch2", (2, 3, 3, 3), (-1.0, 5.0), (-5.0, 1.0), "none"),
    ("relu", (1, 3, 5, 3), (0.0, 4.0), (-1.0, 3.0), "relu"),
    ("relu_negative", (1, 4, 3, 3), (-4.0, 1.0), (-3.0, 0.5), "relu"),
    ("relu6", (1, 3, 5, 3), (-1.0, 5.0), (-2.0, 4.0), "relu6"),
]

FUSED = {"none": quant.FusedActivation.NONE, "relu": quant.FusedActivation.RELU, "relu6": quant.FusedActivation.RELU6}


def binary_model(kind: str, shape: tuple[int, ...], r0: Range, r1: Range, act: str) -> bytes:
    K = tf().keras
    layer = {"ADD": K.layers.Add, "MUL": K.layers.Multiply}[kind]

    def make(inputs: list) -> object:
        y = layer()(inputs)
        if act == "relu":
            y = K.layers.ReLU()(y)
        elif act == "relu6":
            y = K.layers.ReLU(max_value=6.0)(y)
        return y

    key = f"elementwise-{kind}-{shape}-{r0}-{r1}-{act}"
    return build_model(key, make, [shape, shape], seed=3, input_range=[r0, r1])


def add_params_from(op: OpView) -> AddParams:
    a, b = op.inputs[0], op.inputs[1]
    o = op.outputs[0]
    assert a is not None and b is not None
    act = quant.activation_range(op.options.fusedActivationFunction, o.scale, o.zero_point)
    return quant.add_params(a.scale, a.zero_point, b.scale, b.zero_point, o.scale, o.zero_point, act)


def mul_params_from(op: OpView) -> MulParams:
    a, b = op.inputs[0], op.inputs[1]
    o = op.outputs[0]
    assert a is not None and b is not None
    act = quant.activation_range(op.options.fusedActivationFunction, o.scale, o.zero_point)
    return quant.mul_params(a.scale, a.zero_point, b.scale, b.zero_point, o.scale, o.zero_point, act)


@pytest.mark.parametrize("name,shape,r0,r1,act", BINARY_CONFIGS, ids=[c[0] for c in BINARY_CONFIGS])
def test_add_matches_tflm(name: str, shape: tuple[int, ...], r0: Range, r1: Range, act: str) -> None:
    model = binary_model("ADD", shape, r0, r1, act)
    op = single_op(model, "ADD")
    assert op.options.fusedActivationFunction == FUSED[act].value
    rng = np.random.default_rng(100 + len(name))
    data = [random_int8(rng, shape), random_int8(rng, shape)]
    (expected,) = run_tflm(model, data)
    x1, x2 = op_inputs(op, data)
    got = arm_elementwise_add_s8(x1, x2, add_params_from(op))
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name,shape,r0,r1,act", BINARY_CONFIGS, ids=[c[0] for c in BINARY_CONFIGS])
def test_mul_matches_tflm(name: str, shape: tuple[int, ...], r0: Range, r1: Range, act: str) -> None:
    model = binary_model("MUL", shape, r0, r1, act)
    op = single_op(model, "MUL")
    assert op.options.fusedActivationFunction == FUSED[act].value
    rng = np.random.default_rng(200 + len(name))
    data = [random_int8(rng, shape), random_int8(rng, shape)]
    (expected,) = run_tflm(model, data)
    x1, x2 = op_inputs(op, data)
    got = arm_elementwise_mul_s8(x1, x2, mul_params_from(op))
    np.testing.assert_array_equal(got, expected)


def test_add_exhaustive_pairs_match_reference() -> None:
    """Every int8 pair through the fixed-point recipe, against a Python model of
    TFLite's arithmetic (arbitrary-precision integers)."""
    params = quant.add_params(0.0123, -17, 0.0456, 99, 0.05, 5)
    a, b = np.meshgrid(np.arange(-128, 128), np.arange(-128, 128))
    a8, b8 = a.astype(np.int8).reshape(-1), b.astype(np.int8).reshape(-1)
    got = np.concatenate([arm_elementwise_add_s8(a8[i:i + 4096], b8[i:i + 4096], params) for i in range(0, a8.size, 4096)])
    expected = np.array(
        [_py_add(int(x), int(y), params) for x, y in zip(a8, b8)], dtype=np.int8
    )
    np.testing.assert_array_equal(got, expected)


def _py_requantize(x: int, mult: int, shift: int) -> int:
    """TFLite's MultiplyByQuantizedMultiplier on Python integers."""
    if shift > 0:
        x = x << shift
    prod = x * mult
    high = (prod + (1 << 30)) >> 31  # rounding doubling high multiply, ties up
    e = -shift if shift < 0 else 0
    if e == 0:
        return high
    mask = (1 << e) - 1
    rem = high & mask
    thr = (mask >> 1) + (1 if high < 0 else 0)
    return (high >> e) + (1 if rem > thr else 0)


def _py_add(x: int, y: int, p: AddParams) -> int:
    a = _py_requantize((x + p.input_1_offset) << p.left_shift, p.input_1_mult, p.input_1_shift)
    b = _py_requantize((y + p.input_2_offset) << p.left_shift, p.input_2_mult, p.input_2_shift)
    r = _py_requantize(a + b, p.out_mult, p.out_shift) + p.out_offset
    return min(max(r, p.out_activation_min), p.out_activation_max)


# -------------------------------------------------------- MINIMUM / MAXIMUM

MINMAX_SHAPES: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((1, 3, 5, 3), (1, 3, 5, 3)),
    ((1, 3, 5, 3), (1, 1, 5, 1)),
    ((2, 3, 5, 3), (1, 3, 1, 3)),
    ((1, 4, 1, 3), (1, 1, 6, 1)),
    ((1, 3, 5, 3), (1, 1, 1, 1)),
    ((1, 1, 1, 3), (2, 3, 5, 1)),
    ((1, 3, 5, 3), (1, 3)),
    ((1, 5, 7), (1, 1, 7)),
    ((3, 7), (3, 1)),
]


def minmax_model(kind: str, s0: tuple[int, ...], s1: tuple[int, ...]) -> bytes:
    K = tf().keras
    fn = {"MINIMUM": K.ops.minimum, "MAXIMUM": K.ops.maximum}[kind]
    return build_model(f"elementwise-{kind}-{s0}-{s1}", lambda i: fn(i[0], i[1]), [s0, s1], seed=5, input_range=(-1.0, 3.0))


@pytest.mark.parametrize("kind", ["MINIMUM", "MAXIMUM"])
@pytest.mark.parametrize("s0,s1", MINMAX_SHAPES, ids=[f"{a}-{b}" for a, b in MINMAX_SHAPES])
def test_min_max_match_tflm(kind: str, s0: tuple[int, ...], s1: tuple[int, ...]) -> None:
    model = minmax_model(kind, s0, s1)
    assert [o.name for o in ops(model)] == [kind], "the op's inputs must be the model's inputs"
    op = single_op(model, kind)
    rng = np.random.default_rng(sum(s0) * 7 + sum(s1))
    data = [random_int8(rng, s0), random_int8(rng, s1)]
    (expected,) = run_tflm(model, data)
    x1, x2 = op_inputs(op, data)
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray] = arm_minimum_s8 if kind == "MINIMUM" else arm_maximum_s8
    got = fn(x1, x2)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("fn,ref", [(arm_minimum_s8, np.minimum), (arm_maximum_s8, np.maximum)])
def test_min_max_broadcast_against_numpy(fn: Callable, ref: Callable) -> None:
    """Every pattern of broadcast dims on a small 4-D shape, both sides."""
    rng = np.random.default_rng(9)
    full = (2, 3, 4, 5)
    for mask1 in range(16):
        for mask2 in range(16):
            s1 = tuple(1 if mask1 >> i & 1 else d for i, d in enumerate(full))
            s2 = tuple(1 if mask2 >> i & 1 else d for i, d in enumerate(full))
            a, b = random_int8(rng, s1), random_int8(rng, s2)
            np.testing.assert_array_equal(fn(a, b), ref(a, b))


# ---------------------------------------------------------------- validation

ADD_OK = quant.add_params(0.02, -3, 0.03, 10, 0.04, 1)
MUL_OK = quant.mul_params(0.02, -3, 0.03, 10, 0.04, 1)
X = np.zeros((1, 2, 3, 4), dtype=np.int8)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.int16), X, ADD_OK), "input_1"),
        ((X, X.astype(np.uint8), ADD_OK), "input_2"),
        ((X.tolist(), X, ADD_OK), "input_1"),
        ((X, X[:, :, :, :3], ADD_OK), "input_2"),
        ((X, X.reshape(1, 2, 12), ADD_OK), "input_2"),
        ((X[:, :, :, :0], X[:, :, :, :0], ADD_OK), "input_1"),
        ((X, X, MUL_OK), "params"),
        ((X, X, replace(ADD_OK, input_1_offset=-128)), "input_1_offset"),
        ((X, X, replace(ADD_OK, input_2_offset=129)), "input_2_offset"),
        ((X, X, replace(ADD_OK, out_offset=128)), "out_offset"),
        ((X, X, replace(ADD_OK, input_1_mult=-1)), "input_1_mult"),
        ((X, X, replace(ADD_OK, input_2_mult=2**31)), "input_2_mult"),
        ((X, X, replace(ADD_OK, out_mult=1.5)), "out_mult"),
        ((X, X, replace(ADD_OK, input_1_shift=1)), "input_1_shift"),
        ((X, X, replace(ADD_OK, input_2_shift=-32)), "input_2_shift"),
        ((X, X, replace(ADD_OK, out_shift=3)), "out_shift"),
        ((X, X, replace(ADD_OK, left_shift=-1)), "left_shift"),
        ((X, X, replace(ADD_OK, left_shift=24)), "left_shift"),
        ((X, X, replace(ADD_OK, out_activation_min=10, out_activation_max=5)), "out_activation_min"),
        ((X, X, replace(ADD_OK, out_activation_min=-129)), "out_activation_min"),
        ((X, X, replace(ADD_OK, out_activation_max=128)), "out_activation_max"),
    ],
)
def test_add_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        arm_elementwise_add_s8(*args)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.int32), X, MUL_OK), "input_1"),
        ((X, X.astype(np.float32), MUL_OK), "input_2"),
        ((X, X[:1, :1], MUL_OK), "input_2"),
        ((X, X, ADD_OK), "params"),
        ((X, X, replace(MUL_OK, input_1_offset=-200)), "input_1_offset"),
        ((X, X, replace(MUL_OK, input_2_offset=-128)), "input_2_offset"),
        ((X, X, replace(MUL_OK, out_offset=-129)), "out_offset"),
        ((X, X, replace(MUL_OK, out_mult=-5)), "out_mult"),
        ((X, X, replace(MUL_OK, out_shift=31)), "out_shift"),
        ((X, X, replace(MUL_OK, out_shift=-32)), "out_shift"),
        ((X, X, replace(MUL_OK, out_activation_min=3, out_activation_max=2)), "out_activation_min"),
        ((X, X, replace(MUL_OK, out_activation_max=True)), "out_activation_max"),
    ],
)
def test_mul_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        arm_elementwise_mul_s8(*args)


@pytest.mark.parametrize("fn", [arm_minimum_s8, arm_maximum_s8])
@pytest.mark.parametrize(
    "a,b,match",
    [
        (X.astype(np.int16), X, "input_1"),
        (X, X.astype(np.uint8), "input_2"),
        (X, X.tolist(), "input_2"),
        (X, X[:, :, :, :3], "input_2"),
        (X, np.zeros((1, 3, 3, 4), np.int8), "input_2"),
        (np.zeros((3, 2, 3, 4), np.int8), np.zeros((2, 2, 3, 4), np.int8), "input_2"),
        (np.zeros((1, 1, 2, 3, 4), np.int8), X, "input_1"),
        (X, np.zeros((0, 4), np.int8), "input_2"),
        (np.int8(3), X, "input_1"),
    ],
)
def test_min_max_reject(fn: Callable, a: object, b: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fn(a, b)


def test_min_max_error_names_kernel() -> None:
    with pytest.raises(ValueError, match="arm_maximum_s8: input_2"):
        arm_maximum_s8(X, X[:, :, :2, :3])
