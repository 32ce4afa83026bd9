"""MEAN, STRIDED_SLICE and broadcast ADD/SUB/MUL lowered and run whole through
``pycmsisnn.runtime`` against TensorFlow Lite Micro, and every refusal of
their lowering rules."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.ir import Graph, Operator, Quant, Tensor
from pycmsisnn.operator_options import typed_options
from pycmsisnn.lower import RULES, UnsupportedModelError
from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import (
    BINARY_CASES,
    MEAN_CONFIGS,
    MID,
    SLICE_CONFIGS,
    Range,
    Shape,
    binary_model,
    constant_operand_model,
    keras_index,
    mean_model,
    random_int8,
    slice_model,
)
from tests.support.flatbuffer_edit import edit_model
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm


def run_both(model: bytes, data: list[np.ndarray]) -> tuple[Any, list[np.ndarray]]:
    """(the loaded model, its outputs), asserting they equal TFLM's exactly.
    ``data`` is in Keras input order."""
    m = load(model)
    got = m.run([data[keras_index(t)] for t in m.inputs])
    expected = run_tflm(model, data)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape and g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)
    return m, got


def kernels(m: Any) -> list[str]:
    return [c.kernel for c in m.plan.calls]


# ---------------------------------------------------------------------- MEAN


@pytest.mark.parametrize("name,shape,axes,keep,rng", MEAN_CONFIGS, ids=[c[0] for c in MEAN_CONFIGS])
def test_mean_model_matches_tflm(name: str, shape: Shape, axes: tuple[int, ...], keep: bool, rng: Range) -> None:
    model = mean_model(shape, axes, keep, rng)
    gen = np.random.default_rng(len(name) + 100)
    m, _ = run_both(model, [random_int8(gen, shape)])
    assert kernels(m) == ["pycmsisnn_mean_s8"]
    run_both(model, [random_int8(gen, shape)])


def test_mean_with_equal_quantisation_model() -> None:
    base = mean_model((1, 5, 7, 3), (1, 2), False, MID)

    def equalise(mt: Any) -> None:
        sg = mt.subgraphs[0]
        op = sg.operators[0]
        qi, qo = sg.tensors[op.inputs[0]].quantization, sg.tensors[op.outputs[0]].quantization
        qo.scale, qo.zeroPoint = list(qi.scale), list(qi.zeroPoint)

    m, _ = run_both(edit_model(base, equalise), [random_int8(np.random.default_rng(5), (1, 5, 7, 3))])
    assert m.plan.calls[0].args["params"].shift == 1 - 5  # 2^30 * 2^5 / 35, shift 1 - 5


# ------------------------------------------------------------- STRIDED_SLICE


@pytest.mark.parametrize("name,shape,fn,rng", SLICE_CONFIGS, ids=[c[0] for c in SLICE_CONFIGS])
def test_strided_slice_model_matches_tflm(name: str, shape: Shape, fn: Callable[[Any], Any], rng: Range) -> None:
    model = slice_model(name, shape, fn, rng)
    m, _ = run_both(model, [random_int8(np.random.default_rng(len(name) + 200), shape)])
    assert kernels(m) == ["pycmsisnn_strided_slice_s8"]


def test_new_axis_slice_model() -> None:
    """``x[:, None, 1:3]``: the converter turns the new axis into a RESHAPE and
    leaves a STRIDED_SLICE without new_axis_mask."""
    model = slice_model("new_axis", (1, 4, 5), lambda t: t[:, None, 1:3], (-1.0, 1.0))
    m, _ = run_both(model, [random_int8(np.random.default_rng(11), (1, 4, 5))])
    assert kernels(m) == ["arm_reshape_s8", "pycmsisnn_strided_slice_s8"]


# ---------------------------------------------------------- ADD / SUB / MUL


@pytest.mark.parametrize(
    "kind,s1,s2,qname,r1,r2,act", BINARY_CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in BINARY_CASES]
)
def test_broadcast_model_matches_tflm(kind: str, s1: Shape, s2: Shape, qname: str, r1: Range, r2: Range, act: str) -> None:
    model = binary_model(kind, s1, s2, r1, r2, act)
    gen = np.random.default_rng(sum(s1) + 7 * sum(s2) + len(qname))
    m, _ = run_both(model, [random_int8(gen, s1), random_int8(gen, s2)])
    assert kernels(m) == [f"pycmsisnn_broadcast_{kind.lower()}_s8"]


@pytest.mark.parametrize("kind", ["ADD", "SUB", "MUL"])
def test_equal_shapes(kind: str) -> None:
    """Equal shapes keep the arm_elementwise_* kernel for ADD and MUL; SUB has
    only ours."""
    shape = (1, 3, 5, 4)
    model = binary_model(kind, shape, shape, (0.0, 4.0), (-2.0, 1.0), "none")
    gen = np.random.default_rng(6)
    m, _ = run_both(model, [random_int8(gen, shape), random_int8(gen, shape)])
    expected = {"ADD": "arm_elementwise_add_s8", "SUB": "pycmsisnn_broadcast_sub_s8", "MUL": "arm_elementwise_mul_s8"}[kind]
    assert kernels(m) == [expected]


@pytest.mark.parametrize("kind", ["ADD", "SUB", "MUL"])
@pytest.mark.parametrize("const_shape", [(1, 1, 1, 5), (1, 3, 1, 1), (5,)])
def test_constant_operand_model(kind: str, const_shape: Shape) -> None:
    model = constant_operand_model(kind, (1, 3, 4, 5), const_shape, (-1.0, 2.0))
    m, _ = run_both(model, [random_int8(np.random.default_rng(7), (1, 3, 4, 5))])
    assert len(kernels(m)) == 1 and kernels(m)[0].endswith("_s8")


# --------------------------------------------------------- multi-op models


def test_conv_global_average_pool_dense() -> None:
    """A classifier tail: CONV_2D + GlobalAveragePooling2D (MEAN) + Dense."""
    K = tf().keras

    def make(i: list) -> object:
        x = K.layers.Conv2D(6, 3, padding="same", activation="relu")(i[0])
        x = K.layers.GlobalAveragePooling2D()(x)
        return K.layers.Dense(4)(x)

    model = build_model("tensor-ops-lower-conv-gap-dense", make, [(1, 8, 8, 3)], seed=41, per_channel_dense=False)
    gen = np.random.default_rng(8)
    for _ in range(3):
        m, _ = run_both(model, [random_int8(gen, (1, 8, 8, 3))])
    assert "pycmsisnn_mean_s8" in kernels(m)


def test_squeeze_excite_style_broadcast_mul() -> None:
    """Channel attention: MEAN over H, W, a Dense, then MUL broadcast back over
    the feature map, then SUB of a slice."""
    K = tf().keras
    T = tf()

    def make(i: list) -> object:
        x = K.layers.Conv2D(4, 3, padding="same")(i[0])
        s = K.layers.GlobalAveragePooling2D(keepdims=True)(x)
        s = K.layers.Dense(4, activation="relu")(s)
        y = K.layers.Lambda(lambda ts: T.multiply(ts[0], ts[1]))([x, s])
        return K.layers.Lambda(lambda t: T.subtract(t, t[:, 1:2, :, :]))(y)

    model = build_model("tensor-ops-lower-se-mul-sub", make, [(1, 6, 6, 2)], seed=42, per_channel_dense=False)
    gen = np.random.default_rng(9)
    m, _ = run_both(model, [random_int8(gen, (1, 6, 6, 2))])
    names = kernels(m)
    assert {"pycmsisnn_mean_s8", "pycmsisnn_broadcast_mul_s8", "pycmsisnn_strided_slice_s8", "pycmsisnn_broadcast_sub_s8"} <= set(names), names


# ------------------------------------------------------------------ refusals

I8 = np.dtype(np.int8)
I32 = np.dtype(np.int32)


def t(index: int, shape: Shape, dtype: Any = I8, q: tuple[float, int] | None = (0.05, 3), data: Any = None, name: str = "") -> Tensor:
    quant = Quant((q[0],), (q[1],)) if q is not None else None
    arr = None if data is None else np.asarray(data, dtype=dtype)
    return Tensor(index, name or f"t{index}", shape, np.dtype(dtype), quant, arr)


def graph(tensors: list[Tensor], opcode: str, inputs: tuple[int, ...], options: dict | None = None) -> tuple[Graph, Operator]:
    op = Operator(0, opcode, inputs, (len(tensors) - 1,), typed_options(0, opcode, options or {}))
    return Graph(tuple(tensors), (op,), (0,), (len(tensors) - 1,)), op


def reason(g: Graph, op: Operator) -> str | None:
    return RULES[op.opcode].check(g, op)


def mean_graph(x_shape: Shape, axes: Any, y_shape: Shape, **kw: Any) -> tuple[Graph, Operator]:
    axis = t(1, (len(axes),), I32, None, axes) if axes is not None else t(1, (1,), I32, None)
    return graph([t(0, x_shape, **kw), axis, t(2, y_shape, q=(0.02, -1))], "MEAN", (0, 1), {"keep_dims": False})


def test_mean_refusals() -> None:
    assert reason(*mean_graph((1, 4, 4, 3), [1, 2], (1, 3))) is None
    assert "int16" in reason(*mean_graph((1, 4, 4, 3), [1, 2], (1, 3), dtype=np.int16))  # type: ignore[operator]
    assert "not a constant" in reason(*mean_graph((1, 4, 4, 3), None, (1, 3)))  # type: ignore[operator]
    assert "empty axis" in reason(*mean_graph((1, 4, 4, 3), [], (1, 4, 4, 3)))  # type: ignore[operator]
    assert "axis 4 is outside" in reason(*mean_graph((1, 4, 4, 3), [4], (1, 4, 4)))  # type: ignore[operator]
    assert "rank 5" in reason(*mean_graph((1, 2, 4, 4, 3), [2, 3], (1, 2, 3)))  # type: ignore[operator]
    assert "does not match" in reason(*mean_graph((1, 4, 4, 3), [1, 2], (1, 4)))  # type: ignore[operator]
    assert "no quantisation" in reason(*mean_graph((1, 4, 4, 3), [1, 2], (1, 3), q=None))  # type: ignore[operator]


def slice_graph(shape: Shape, begin: list, end: list, strides: list, options: dict, y_shape: Shape, yq: tuple = (0.05, 3), const: bool = True) -> tuple[Graph, Operator]:
    n = len(begin)
    tensors = [
        t(0, shape),
        t(1, (n,), I32, None, begin if const else None),
        t(2, (n,), I32, None, end),
        t(3, (n,), I32, None, strides),
        t(4, y_shape, q=yq),
    ]
    return graph(tensors, "STRIDED_SLICE", (0, 1, 2, 3), options)


def test_strided_slice_refusals() -> None:
    ok = dict(begin_mask=0, end_mask=0, shrink_axis_mask=0, ellipsis_mask=0, new_axis_mask=0, offset=False)
    assert reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], ok, (1, 2, 4))) is None
    assert "ellipsis_mask" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], {**ok, "ellipsis_mask": 1}, (1, 2, 4)))  # type: ignore[operator]
    assert "new_axis_mask" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], {**ok, "new_axis_mask": 2}, (1, 2, 4)))  # type: ignore[operator]
    assert "offset" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], {**ok, "offset": True}, (1, 2, 4)))  # type: ignore[operator]
    assert "begin 't1' is not a constant" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], ok, (1, 2, 4), const=False))  # type: ignore[operator]
    assert "2 entries" in reason(*slice_graph((1, 6, 4), [0, 1], [1, 5], [1, 2], ok, (1, 3, 4)))  # type: ignore[operator]
    assert "no element" in reason(*slice_graph((1, 6, 4), [0, 5, 0], [1, 1, 4], [1, 1, 1], ok, (1, 1, 4)))  # type: ignore[operator]
    assert "negative stride" in reason(*slice_graph((1, 6, 4), [0, 2, 0], [1, 3, 4], [1, -1, 1], {**ok, "shrink_axis_mask": 2}, (1, 4)))  # type: ignore[operator]
    assert "quantisation differ" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], ok, (1, 2, 4), yq=(0.1, 3)))  # type: ignore[operator]
    assert "does not match" in reason(*slice_graph((1, 6, 4), [0, 1, 0], [1, 5, 4], [1, 2, 1], ok, (1, 3, 4)))  # type: ignore[operator]


def binary_graph(opcode: str, s1: Shape, s2: Shape, y: Shape, act: int = 0) -> tuple[Graph, Operator]:
    return graph([t(0, s1), t(1, s2, q=(0.03, -5)), t(2, y, q=(0.07, 2))], opcode, (0, 1), {"fused_activation_function": act})


@pytest.mark.parametrize("opcode", ["ADD", "SUB", "MUL"])
def test_broadcast_refusals(opcode: str) -> None:
    assert reason(*binary_graph(opcode, (1, 3, 1, 4), (2, 1, 5, 1), (2, 3, 5, 4))) is None
    assert "do not broadcast" in reason(*binary_graph(opcode, (1, 3, 4), (1, 2, 4), (1, 3, 4)))  # type: ignore[operator]
    assert "rank 5 is above 4" in reason(*binary_graph(opcode, (1, 2, 3, 4, 5), (5,), (1, 2, 3, 4, 5)))  # type: ignore[operator]
    assert "not the broadcast shape" in reason(*binary_graph(opcode, (1, 3, 4), (1, 1, 4), (1, 6, 4)))  # type: ignore[operator]
    assert "TANH" in reason(*binary_graph(opcode, (1, 3, 4), (1, 1, 4), (1, 3, 4), act=4))  # type: ignore[operator]


def test_refused_model_names_the_operator_and_reason() -> None:
    """A real slice model with ellipsis_mask written in: load refuses it."""
    model = slice_model(*SLICE_CONFIGS[0][:3], SLICE_CONFIGS[0][3])

    def set_ellipsis(mt: Any) -> None:
        mt.subgraphs[0].operators[0].builtinOptions.ellipsisMask = 1

    with pytest.raises(UnsupportedModelError, match="STRIDED_SLICE x1: operator 0: ellipsis_mask 1 is not supported"):
        load(edit_model(model, set_ellipsis))
