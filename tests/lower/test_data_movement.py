"""CONCATENATION, PAD, PADV2 and TRANSPOSE lowered and run whole through
``pycmsisnn.runtime`` against TensorFlow Lite Micro, and every refusal of
their lowering rules."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.ir import Graph, Operator, Quant, Tensor
from pycmsisnn.operator_options import typed_options
from pycmsisnn.lower import RULES, UnsupportedModelError
from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import (
    CONCAT_CONFIGS,
    PAD_CONFIGS,
    TRANSPOSE_CONFIGS,
    Range,
    Shape,
    concat_model,
    keras_index,
    pad_model,
    random_int8,
    transpose_model,
)
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm


def run_both(model: bytes, data: list[np.ndarray]) -> Any:
    """The loaded model, after asserting its outputs equal TFLM's exactly
    (``data`` in Keras input order)."""
    m = load(model)
    got = m.run([data[keras_index(t)] for t in m.inputs])
    expected = run_tflm(model, data)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape and g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)
    return m


def kernels(m: Any) -> list[str]:
    return [c.kernel for c in m.plan.calls]


# ------------------------------------------------------------- concatenation


@pytest.mark.parametrize("shapes,axis,rng", CONCAT_CONFIGS, ids=[f"{s}-axis{a}" for s, a, _ in CONCAT_CONFIGS])
def test_concatenation_model_matches_tflm(shapes: list[Shape], axis: int, rng: Range) -> None:
    model = concat_model(shapes, axis, rng)
    gen = np.random.default_rng(len(shapes) * 10 + axis + 50)
    m = run_both(model, [random_int8(gen, s) for s in shapes])
    assert kernels(m) == ["concatenation_s8"]
    assert m.plan.calls[0].args["axis"] == axis % len(shapes[0])


def test_concatenation_refuses_differing_quantisation_in_a_real_model() -> None:
    model = concat_model(*CONCAT_CONFIGS[0])

    def requantise_second_input(mt: Any) -> None:
        sg = mt.subgraphs[0]
        q = sg.tensors[sg.operators[0].inputs[1]].quantization
        q.scale = [q.scale[0] * 2]

    with pytest.raises(UnsupportedModelError, match="CONCATENATION x1: operator 0: input 1 .* quantised differently from the output"):
        load(edit_model(model, requantise_second_input))


# ----------------------------------------------------------------- pad, padv2


@pytest.mark.parametrize(
    "shape,pads,constant,rng", PAD_CONFIGS, ids=[f"{s}-{p}-{c}" for s, p, c, _ in PAD_CONFIGS]
)
def test_pad_model_matches_tflm(shape: Shape, pads: tuple[tuple[int, int], ...], constant: float | None, rng: Range) -> None:
    model = pad_model(shape, pads, constant, rng)
    kind = "PAD" if constant is None else "PADV2"
    op = single_op(model, kind)
    m = run_both(model, [random_int8(np.random.default_rng(sum(map(sum, pads)) + 60), shape)])
    assert kernels(m) == ["arm_pad_s8"]
    pad_value = m.plan.calls[0].args["pad_value"]
    if kind == "PAD":
        assert pad_value == op.outputs[0].zero_point
    else:
        assert op.inputs[2] is not None and op.inputs[2].data is not None
        assert pad_value == int(op.inputs[2].data.reshape(-1)[0])


# ------------------------------------------------------------------ transpose


@pytest.mark.parametrize("shape,perm,rng", TRANSPOSE_CONFIGS, ids=[f"{s}-{p}" for s, p, _ in TRANSPOSE_CONFIGS])
def test_transpose_model_matches_tflm(shape: Shape, perm: tuple[int, ...], rng: Range) -> None:
    model = transpose_model(shape, perm, rng)
    m = run_both(model, [random_int8(np.random.default_rng(sum(perm) + 70), shape)])
    assert kernels(m) == ["arm_transpose_s8"]


# --------------------------------------------------------- multi-op model


def test_pad_conv_branches_concatenate_transpose() -> None:
    """PAD before a VALID convolution, two branches joined by CONCATENATION,
    then a TRANSPOSE."""
    K = tf().keras
    T = tf()

    def make(i: list) -> object:
        x = K.layers.Lambda(lambda t: T.pad(t, [[0, 0], [1, 1], [2, 0], [0, 0]]))(i[0])
        a = K.layers.Conv2D(3, 3, activation="relu")(x)
        b = K.layers.Conv2D(2, 3)(x)
        y = K.layers.Concatenate(axis=-1)([a, b])
        return K.layers.Lambda(lambda t: T.transpose(t, [0, 3, 1, 2]))(y)

    model = build_model("data-movement-lower-pad-conv-concat-transpose", make, [(1, 6, 5, 2)], seed=43)
    gen = np.random.default_rng(10)
    for _ in range(3):
        m = run_both(model, [random_int8(gen, (1, 6, 5, 2))])
    assert {"arm_pad_s8", "concatenation_s8", "arm_transpose_s8"} <= set(kernels(m)), kernels(m)


# ------------------------------------------------------------------ refusals

I8 = np.dtype(np.int8)
I32 = np.dtype(np.int32)
Q = (0.05, 3)


def t(index: int, shape: Shape, dtype: Any = I8, q: tuple[float, int] | None = Q, data: Any = None) -> Tensor:
    quant = Quant((q[0],), (q[1],)) if q is not None else None
    arr = None if data is None else np.asarray(data, dtype=dtype)
    return Tensor(index, f"t{index}", shape, np.dtype(dtype), quant, arr)


def graph(tensors: list[Tensor], opcode: str, inputs: tuple[int, ...], options: dict | None = None) -> tuple[Graph, Operator]:
    op = Operator(0, opcode, inputs, (len(tensors) - 1,), typed_options(0, opcode, options or {}))
    return Graph(tuple(tensors), (op,), (0,), (len(tensors) - 1,)), op


def reason(g: Graph, op: Operator) -> str | None:
    return RULES[op.opcode].check(g, op)


def concat(shapes: list[Shape], y: Shape, axis: int, qs: list | None = None, act: int = 0) -> tuple[Graph, Operator]:
    qs = qs or [Q] * len(shapes)
    tensors = [t(i, s, q=q) for i, (s, q) in enumerate(zip(shapes, qs))] + [t(len(shapes), y)]
    return graph(tensors, "CONCATENATION", tuple(range(len(shapes))), {"axis": axis, "fused_activation_function": act})


def test_concatenation_refusals() -> None:
    assert reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 7), -1)) is None
    assert "quantised differently" in reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 7), 2, [Q, (0.05, 4)]))  # type: ignore[operator]
    assert "quantised differently" in reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 7), 2, [(0.1, 3), Q]))  # type: ignore[operator]
    assert "fused activation" in reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 7), 2, act=1))  # type: ignore[operator]
    assert "rank 5" in reason(*concat([(1, 1, 2, 2, 3), (1, 1, 2, 2, 4)], (1, 1, 2, 2, 7), 4))  # type: ignore[operator]
    assert "axis 3 is outside" in reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 7), 3))  # type: ignore[operator]
    assert "does not fit" in reason(*concat([(1, 2, 3), (1, 3, 4)], (1, 2, 7), 2))  # type: ignore[operator]
    assert "add up to 7" in reason(*concat([(1, 2, 3), (1, 2, 4)], (1, 2, 8), 2))  # type: ignore[operator]
    assert "int16" in reason(*graph([t(0, (1, 2), np.int16), t(1, (1, 2)), t(2, (1, 4))], "CONCATENATION", (0, 1), {"axis": 1}))  # type: ignore[operator]


def pad(x: Shape, paddings: Any, y: Shape, opcode: str = "PAD", value: Tensor | None = None, yq: tuple = Q, const: bool = True) -> tuple[Graph, Operator]:
    p = np.asarray(paddings, dtype=np.int32)
    tensors = [t(0, x), t(1, p.shape, I32, None, p if const else None)]
    inputs: tuple[int, ...] = (0, 1)
    if value is not None:
        tensors.append(value)
        inputs = (0, 1, 2)
    tensors.append(t(len(tensors), y, q=yq))
    return graph(tensors, opcode, inputs)


def test_pad_refusals() -> None:
    assert reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6))) is None
    assert "negative paddings" in reason(*pad((1, 3, 4), [[0, 0], [-1, 1], [0, 2]], (1, 3, 6)))  # type: ignore[operator]
    assert "not a constant" in reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6), const=False))  # type: ignore[operator]
    assert "expected [3, 2]" in reason(*pad((1, 3, 4), [[1, 1], [0, 2]], (1, 5, 6)))  # type: ignore[operator]
    assert "not the padded shape" in reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 7)))  # type: ignore[operator]
    assert "quantised differently" in reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6), yq=(0.05, 2)))  # type: ignore[operator]
    assert "rank 5" in reason(*pad((1, 1, 1, 3, 4), [[0, 0]] * 5, (1, 1, 1, 3, 4)))  # type: ignore[operator]
    good_value = t(2, (1,), q=Q, data=[9])
    assert reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6), "PADV2", good_value)) is None
    other_q = t(2, (1,), q=(0.1, 3), data=[9])
    assert "constant_values" in reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6), "PADV2", other_q))  # type: ignore[operator]
    varying = t(2, (1,), q=Q)
    assert "constant_values 't2' is not a constant" in reason(*pad((1, 3, 4), [[0, 0], [1, 1], [0, 2]], (1, 5, 6), "PADV2", varying))  # type: ignore[operator]


def test_transpose_refusals() -> None:
    def tr(x: Shape, perm: Any, y: Shape, const: bool = True, yq: tuple = Q) -> tuple[Graph, Operator]:
        p = np.asarray(perm, dtype=np.int32)
        return graph([t(0, x), t(1, p.shape, I32, None, p if const else None), t(2, y, q=yq)], "TRANSPOSE", (0, 1))

    assert reason(*tr((1, 2, 3), [2, 0, 1], (3, 1, 2))) is None
    assert "not a constant" in reason(*tr((1, 2, 3), [2, 0, 1], (3, 1, 2), const=False))  # type: ignore[operator]
    assert "not a permutation" in reason(*tr((1, 2, 3), [2, 0, 0], (3, 1, 1)))  # type: ignore[operator]
    assert "not the permuted" in reason(*tr((1, 2, 3), [2, 0, 1], (1, 2, 3)))  # type: ignore[operator]
    assert "rank 5" in reason(*tr((1, 1, 1, 2, 3), [0, 1, 2, 4, 3], (1, 1, 1, 3, 2)))  # type: ignore[operator]
    assert "quantised differently" in reason(*tr((1, 2, 3), [2, 0, 1], (3, 1, 2), yq=(0.5, 3)))  # type: ignore[operator]
