"""arm_reshape_s8, arm_transpose_s8, arm_pad_s8 and arm_concatenation_s8_{x,y,z,w}
against TensorFlow Lite Micro's RESHAPE, TRANSPOSE, PAD, PADV2 and
CONCATENATION, against numpy, and validation."""
from __future__ import annotations

import itertools
import re
from typing import Callable

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels._base import ffi, lib
from pycmsisnn.kernels.data_movement import (
    CONCAT_AXIS_FUNCTIONS,
    arm_concatenation_s8_w,
    arm_concatenation_s8_x,
    arm_concatenation_s8_y,
    arm_concatenation_s8_z,
    arm_pad_s8,
    arm_reshape_s8,
    arm_transpose_s8,
    concatenation_s8,
)
from tests.support.library import require_our_kernels
from tests.support.model_view import OpView, TensorView, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

Shape = tuple[int, ...]
Range = tuple[float, float]


def random_int8(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    x.reshape(-1)[0], x.reshape(-1)[-1] = -128, 127
    return x


def keras_index(t: TensorView) -> int:
    m = re.search(r"input_(\d+)", t.name)
    assert m is not None, f"{t.name} is not a model input"
    return int(m.group(1))


def same_quantisation(op: OpView, activations: list[TensorView]) -> None:
    """Data movement must not requantise: every activation shares one scale and zp."""
    out = op.outputs[0]
    for t in activations:
        assert t.scale == out.scale and t.zero_point == out.zero_point, (t.name, t.scale, t.zero_point)


# ------------------------------------------------------------------ reshape

RESHAPES: list[tuple[Shape, Shape]] = [
    ((1, 3, 4, 5), (6, 10)),
    ((1, 12, 5), (60,)),
    ((2, 3, 4), (4, 3)),
    ((1, 60), (3, 4, 5)),
]


@pytest.mark.parametrize("shape,target", RESHAPES, ids=[f"{s}->{t}" for s, t in RESHAPES])
def test_reshape_matches_tflm(shape: Shape, target: Shape) -> None:
    K = tf().keras
    model = build_model(f"data-RESHAPE-{shape}-{target}", lambda i: K.layers.Reshape(target)(i[0]), [shape], seed=11)
    op = single_op(model, "RESHAPE")
    same_quantisation(op, [op.inputs[0]])  # type: ignore[list-item]
    x = random_int8(np.random.default_rng(len(shape) + sum(target)), shape)
    (expected,) = run_tflm(model, [x])
    got = arm_reshape_s8(x, op.outputs[0].shape)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------- transpose

TRANSPOSES: list[tuple[Shape, tuple[int, ...]]] = [
    ((3, 5), (1, 0)),
    ((4, 7), (1, 0)),
    *[((2, 3, 5), p) for p in [(0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]],
    *[
        ((2, 3, 4, 5), p)
        for p in [(0, 2, 3, 1), (0, 3, 1, 2), (3, 2, 1, 0), (1, 0, 2, 3), (0, 1, 3, 2), (2, 0, 3, 1), (0, 2, 1, 3), (1, 3, 0, 2)]
    ],
    ((1, 3, 4, 5), (0, 3, 1, 2)),
]


@pytest.mark.parametrize("shape,perm", TRANSPOSES, ids=[f"{s}-{p}" for s, p in TRANSPOSES])
def test_transpose_matches_tflm(shape: Shape, perm: tuple[int, ...]) -> None:
    K = tf().keras
    model = build_model(f"data-TRANSPOSE-{shape}-{perm}", lambda i: K.ops.transpose(i[0], perm), [shape], seed=12)
    op = single_op(model, "TRANSPOSE")
    same_quantisation(op, [op.inputs[0]])  # type: ignore[list-item]
    x = random_int8(np.random.default_rng(sum(perm) * 10 + len(perm)), shape)
    (expected,) = run_tflm(model, [x])
    model_perm = op.inputs[1].data  # type: ignore[union-attr]
    assert model_perm is not None
    got = arm_transpose_s8(x, [int(p) for p in model_perm])
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_transpose_every_permutation_against_numpy(rank: int) -> None:
    x = random_int8(np.random.default_rng(rank), (3, 1, 4, 2)[:rank])
    for perm in itertools.permutations(range(rank)):
        np.testing.assert_array_equal(arm_transpose_s8(x, perm), np.transpose(x, perm))


# ---------------------------------------------------------------------- pad

PADS: list[tuple[Shape, tuple[tuple[int, int], ...], Range]] = [
    ((1, 3, 4, 5), ((0, 1), (1, 2), (0, 3), (2, 1)), (0.0, 4.0)),
    ((1, 3, 4, 5), ((0, 0), (2, 0), (0, 0), (0, 0)), (-4.0, 0.0)),
    ((1, 3, 4, 5), ((0, 0), (0, 0), (1, 3), (0, 0)), (-1.0, 3.0)),
    ((1, 3, 4, 5), ((0, 0), (0, 0), (0, 0), (3, 1)), (-1.0, 1.0)),
    ((1, 3, 4, 5), ((1, 2), (0, 0), (0, 0), (0, 0)), (-2.0, 5.0)),
    ((2, 2, 3, 3), ((0, 1), (0, 1), (2, 0), (0, 2)), (0.0, 4.0)),
    ((2, 4, 5), ((0, 0), (2, 1), (1, 0)), (-3.0, 1.0)),
    ((1, 3, 7), ((0, 0), (0, 2), (3, 0)), (0.0, 4.0)),
    ((2, 5), ((1, 0), (0, 3)), (-1.0, 1.0)),
]


def pad_layer(pads: tuple[tuple[int, int], ...], constant: float | None) -> Callable[[list], object]:
    K = tf().keras
    if constant is None:
        return lambda i: K.ops.pad(i[0], pads)
    return lambda i: K.ops.pad(i[0], pads, constant_values=constant)


def check_pad(model: bytes, kind: str, shape: Shape, seed: int) -> None:
    op = single_op(model, kind)
    same_quantisation(op, [op.inputs[0]])  # type: ignore[list-item]
    x = random_int8(np.random.default_rng(seed), shape)
    (expected,) = run_tflm(model, [x])
    paddings = op.inputs[1].data  # type: ignore[union-attr]
    assert paddings is not None
    if kind == "PAD":
        pad_value = quant.output_offset(op.outputs[0].zero_point)
    else:
        const = op.inputs[2].data  # type: ignore[union-attr]
        assert const is not None
        pad_value = int(const.reshape(-1)[0])
    got = arm_pad_s8(x, pad_value, [int(p) for p in paddings[:, 0]], [int(p) for p in paddings[:, 1]])
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("shape,pads,rng", PADS, ids=[f"{s}-{p}-{r}" for s, p, r in PADS])
def test_pad_matches_tflm(shape: Shape, pads: tuple[tuple[int, int], ...], rng: Range) -> None:
    model = build_model(f"data-PAD-{shape}-{pads}", pad_layer(pads, None), [shape], seed=13, input_range=rng)
    check_pad(model, "PAD", shape, seed=sum(sum(p) for p in pads))


PADV2S: list[tuple[Shape, tuple[tuple[int, int], ...], float, Range]] = [
    ((1, 3, 4, 5), ((0, 0), (1, 2), (0, 0), (0, 0)), 0.5, (-1.0, 1.0)),
    ((1, 3, 4, 5), ((0, 1), (0, 0), (2, 1), (1, 0)), -0.25, (0.0, 4.0)),
    ((1, 3, 4, 5), ((0, 0), (1, 0), (0, 2), (0, 3)), 3.0, (-1.0, 1.0)),
    ((2, 3, 5), ((0, 0), (2, 2), (0, 1)), -1.5, (-4.0, 0.0)),
]


@pytest.mark.parametrize("shape,pads,value,rng", PADV2S, ids=[f"{s}-{p}-{v}" for s, p, v, _ in PADV2S])
def test_padv2_matches_tflm(shape: Shape, pads: tuple[tuple[int, int], ...], value: float, rng: Range) -> None:
    model = build_model(f"data-PADV2-{shape}-{pads}-{value}", pad_layer(pads, value), [shape], seed=14, input_range=rng)
    check_pad(model, "PADV2", shape, seed=int(value * 8) + 100)


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_pad_against_numpy(rank: int) -> None:
    rng = np.random.default_rng(rank + 40)
    x = random_int8(rng, (2, 3, 1, 4)[:rank])
    for _ in range(10):
        pre = [int(v) for v in rng.integers(0, 3, rank)]
        post = [int(v) for v in rng.integers(0, 3, rank)]
        expected = np.pad(x, list(zip(pre, post)), constant_values=-7)
        np.testing.assert_array_equal(arm_pad_s8(x, -7, pre, post), expected)


# ------------------------------------------------------------- concatenation

CONCATS: list[tuple[list[Shape], int, Range]] = [
    ([(1, 3, 4, 5), (1, 3, 4, 2)], 3, (-1.0, 1.0)),
    ([(1, 3, 4, 1), (1, 3, 4, 3), (1, 3, 4, 2)], 3, (0.0, 4.0)),
    ([(1, 3, 4, 5), (1, 3, 2, 5)], 2, (-1.0, 3.0)),
    ([(1, 3, 1, 3), (1, 3, 3, 3), (1, 3, 2, 3)], 2, (-1.0, 1.0)),
    ([(1, 3, 4, 5), (1, 2, 4, 5)], 1, (-4.0, 0.0)),
    ([(1, 1, 4, 3), (1, 2, 4, 3), (1, 3, 4, 3)], 1, (-1.0, 1.0)),
    ([(1, 3, 4, 5), (2, 3, 4, 5)], 0, (-1.0, 1.0)),
    ([(2, 2, 3, 3), (1, 2, 3, 3), (3, 2, 3, 3)], 0, (-2.0, 6.0)),
    ([(2, 3, 4), (2, 3, 2), (2, 3, 5)], 2, (-1.0, 1.0)),
    ([(2, 3, 4), (2, 1, 4)], 1, (0.0, 4.0)),
    ([(2, 3), (2, 5)], 1, (-1.0, 1.0)),
]


def concat_id(shapes: list[Shape], axis: int) -> str:
    return f"axis{axis}-" + "+".join("x".join(map(str, s)) for s in shapes)


@pytest.mark.parametrize("shapes,axis,rng", CONCATS, ids=[concat_id(s, a) for s, a, _ in CONCATS])
def test_concatenation_matches_tflm(shapes: list[Shape], axis: int, rng: Range) -> None:
    K = tf().keras
    model = build_model(
        f"data-CONCATENATION-{shapes}-{axis}", lambda i: K.layers.Concatenate(axis=axis)(i), shapes, seed=15, input_range=rng
    )
    op = single_op(model, "CONCATENATION")
    inputs = [t for t in op.inputs if t is not None]
    same_quantisation(op, inputs)
    gen = np.random.default_rng(len(shapes) * 10 + axis)
    data = [random_int8(gen, s) for s in shapes]
    (expected,) = run_tflm(model, data)
    ordered = [data[keras_index(t)] for t in inputs]
    got = concatenation_s8(ordered, int(op.options.axis))
    np.testing.assert_array_equal(got, expected)

    if len(shapes[0]) == 4:
        # The per-axis kernel directly, one call per input, into one buffer.
        ax = int(op.options.axis) % 4
        fn = {3: arm_concatenation_s8_x, 2: arm_concatenation_s8_y, 1: arm_concatenation_s8_z, 0: arm_concatenation_s8_w}[ax]
        assert fn.__name__ == CONCAT_AXIS_FUNCTIONS[ax]
        out = np.full(expected.shape, 99, dtype=np.int8)
        offset = 0
        for x in ordered:
            assert fn(x, out, offset) is out
            offset += x.shape[ax]
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("rank", [1, 2, 3, 4])
def test_concatenation_against_numpy(rank: int) -> None:
    rng = np.random.default_rng(rank + 60)
    base = (2, 3, 1, 4)[:rank]
    for axis in range(-rank, rank):
        parts = []
        for extent in (1, 3, 2):
            shape = list(base)
            shape[axis] = extent
            parts.append(random_int8(rng, tuple(shape)))
        np.testing.assert_array_equal(concatenation_s8(parts, axis), np.concatenate(parts, axis=axis))


def test_concatenation_leaves_the_rest_of_the_output() -> None:
    """A single call writes only its slab of the destination."""
    x = np.full((1, 2, 2, 2), 5, dtype=np.int8)
    out = np.full((1, 2, 2, 6), -1, dtype=np.int8)
    arm_concatenation_s8_x(x, out, 3)
    expected = np.full((1, 2, 2, 6), -1, dtype=np.int8)
    expected[..., 3:5] = 5
    np.testing.assert_array_equal(out, expected)


# ---------------------------------------------------------------- validation

X = np.zeros((1, 2, 3, 4), dtype=np.int8)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.int16), (24,)), "input"),
        ((X.tolist(), (24,)), "input"),
        ((X, (25,)), "output_shape"),
        ((X, (0, 24)), "output_shape"),
        ((X, (-1, 24)), "output_shape"),
        ((X, ()), "output_shape"),
        ((X, 24), "output_shape"),
        ((X, (2.0, 12)), r"output_shape\[0\]"),
    ],
)
def test_reshape_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=f"arm_reshape_s8: {match}"):
        arm_reshape_s8(*args)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.uint8), (0, 1, 2, 3)), "input"),
        ((np.zeros((1, 1, 1, 1, 2), np.int8), (0, 1, 2, 3, 4)), "input"),
        ((X, (0, 1, 2)), "permutations"),
        ((X, (0, 1, 2, 4)), r"permutations\[3\]"),
        ((X, (0, 1, 1, 3)), "permutations"),
        ((X, (0, -1, 2, 3)), r"permutations\[1\]"),
        ((X, "0123"), "permutations"),
    ],
)
def test_transpose_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=f"arm_transpose_s8: {match}"):
        arm_transpose_s8(*args)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.int32), 0, (0, 0, 0, 0), (0, 0, 0, 0)), "input"),
        ((np.zeros((1, 1, 1, 1, 2), np.int8), 0, (0,) * 5, (0,) * 5), "input"),
        ((X, 128, (0, 0, 0, 0), (0, 0, 0, 0)), "pad_value"),
        ((X, -129, (0, 0, 0, 0), (0, 0, 0, 0)), "pad_value"),
        ((X, 0.5, (0, 0, 0, 0), (0, 0, 0, 0)), "pad_value"),
        ((X, 0, (0, 0, 0), (0, 0, 0, 0)), "pre_pad"),
        ((X, 0, (0, 0, 0, 0), (0, 0, 0, 0, 0)), "post_pad"),
        ((X, 0, (0, -1, 0, 0), (0, 0, 0, 0)), r"pre_pad\[1\]"),
        ((X, 0, (0, 0, 0, 0), (0, 0, 0, -2)), r"post_pad\[3\]"),
        ((X, 0, (0, 0, 0, 0), (0, 0, 0, 32767)), "post_pad"),
    ],
)
def test_pad_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=f"arm_pad_s8: {match}"):
        arm_pad_s8(*args)


CONCAT_FNS = [(arm_concatenation_s8_x, 3), (arm_concatenation_s8_y, 2), (arm_concatenation_s8_z, 1), (arm_concatenation_s8_w, 0)]


def _grown(axis: int, by: int = 2) -> np.ndarray:
    shape = list(X.shape)
    shape[axis] += by
    return np.zeros(shape, dtype=np.int8)


@pytest.mark.parametrize("fn,axis", CONCAT_FNS, ids=[f.__name__ for f, _ in CONCAT_FNS])
def test_concatenation_rejects(fn: Callable, axis: int) -> None:
    name = fn.__name__
    out = _grown(axis)
    cases: list[tuple[tuple, str]] = [
        ((X.astype(np.int16), out, 0), "input"),
        ((X[0], out, 0), "input"),
        ((X, out.astype(np.uint8), 0), "output"),
        ((X, out.tolist(), 0), "output"),
        ((X, out[0], 0), "output"),
        ((X, np.zeros(_grown((axis + 1) % 4).shape, np.int8), 0), "output"),
        ((X, out, -1), "offset"),
        ((X, out, 3), "offset"),
        ((X, out, 2.0), "offset"),
        ((X, np.asfortranarray(_grown(axis, 3)) if axis != 0 else _grown(axis)[::-1], 0), "output"),
    ]
    readonly = _grown(axis)
    readonly.flags.writeable = False
    cases.append(((X, readonly, 0), "output"))
    for args, match in cases:
        with pytest.raises(ValueError, match=f"{name}: {match}"):
            fn(*args)


@pytest.mark.parametrize(
    "inputs,axis,match",
    [
        ([], 0, "inputs"),
        (X, 0, "inputs"),
        ([X, X.astype(np.int16)], 0, r"inputs\[1\]"),
        ([X, X[0]], 0, r"inputs\[1\]"),
        ([X, X[:, :1]], 3, r"inputs\[1\]"),
        ([X, X], 4, "axis"),
        ([X, X], -5, "axis"),
        ([X, X], 1.0, "axis"),
    ],
)
def test_concatenation_convenience_rejects(inputs: object, axis: object, match: str) -> None:
    with pytest.raises(ValueError, match=f"concatenation_s8: {match}"):
        concatenation_s8(inputs, axis)  # type: ignore[arg-type]


def test_kernels_reject_impossible_arguments_in_c() -> None:
    """The C functions themselves return ARM_CMSIS_NN_ARG_ERROR (-1) instead of
    reading or writing out of bounds."""
    require_our_kernels("impossible dims and NULL pointers")
    buf = np.zeros(64, dtype=np.int8)
    p = ffi.cast("int8_t *", ffi.from_buffer(buf))
    d = ffi.new("cmsis_nn_dims *", {"n": 1, "h": 2, "w": 3, "c": 4})
    dup = np.array([0, 1, 1, 3], dtype=np.uint32)
    params = ffi.new("cmsis_nn_transpose_params *", {"num_dims": 4, "permutations": ffi.cast("uint32_t *", ffi.from_buffer(dup))})
    assert lib.arm_transpose_s8(p, p, d, d, params) == -1
    bad_out = ffi.new("cmsis_nn_dims *", {"n": 1, "h": 2, "w": 4, "c": 3})
    ok = np.array([0, 1, 2, 3], dtype=np.uint32)
    params_ok = ffi.new("cmsis_nn_transpose_params *", {"num_dims": 4, "permutations": ffi.cast("uint32_t *", ffi.from_buffer(ok))})
    assert lib.arm_transpose_s8(p, p, d, bad_out, params_ok) == -1
    params_rank = ffi.new("cmsis_nn_transpose_params *", {"num_dims": 5, "permutations": ffi.cast("uint32_t *", ffi.from_buffer(ok))})
    assert lib.arm_transpose_s8(p, p, d, d, params_rank) == -1
    neg = ffi.new("cmsis_nn_dims *", {"n": 0, "h": -1, "w": 0, "c": 0})
    zero = ffi.new("cmsis_nn_dims *", {"n": 0, "h": 0, "w": 0, "c": 0})
    assert lib.arm_pad_s8(p, p, 0, d, neg, zero) == -1
    assert lib.arm_pad_s8(ffi.NULL, p, 0, d, zero, zero) == -1
    other = ffi.new("cmsis_nn_dims *", {"n": 1, "h": 3, "w": 3, "c": 4})
    assert lib.arm_minimum_s8(ffi.NULL, p, d, p, other, p, d) == -1
    assert lib.arm_maximum_s8(ffi.NULL, p, d, ffi.NULL, d, p, d) == -1
