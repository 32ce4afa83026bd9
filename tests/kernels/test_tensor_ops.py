"""pycmsisnn_mean_s8, pycmsisnn_strided_slice_s8 and pycmsisnn_broadcast_{add,sub,mul}_s8
against TensorFlow Lite Micro's MEAN, STRIDED_SLICE, ADD, SUB and MUL (parameters
derived by the lowering's own functions), against Python models of the
arithmetic, and validation."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels.elementwise import arm_elementwise_add_s8, arm_elementwise_mul_s8
from pycmsisnn.kernels.tensor_ops import (
    pycmsisnn_broadcast_add_s8,
    pycmsisnn_broadcast_mul_s8,
    pycmsisnn_broadcast_sub_s8,
    pycmsisnn_mean_s8,
    pycmsisnn_strided_slice_s8,
)
from pycmsisnn.quant import mean_params
from pycmsisnn.lower.slice import SliceError, resolve_strided_slice
from pycmsisnn.params import AddParams, MeanParams, MulParams
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import OpView, ops, single_op
from tests.support.tflm import run_tflm

from .tensor_ops_models import (
    BINARY_CASES,
    MEAN_CONFIGS,
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

# ------------------------------------------------------ Python arithmetic


def py_requantize(x: int, mult: int, shift: int) -> int:
    """TFLite's MultiplyByQuantizedMultiplier (int32, double rounding) on Python ints."""
    if shift > 0:
        x = ((x << shift) + 2**31) % 2**32 - 2**31  # the int32 left shift wraps
    high = (x * mult + (1 << 30)) >> 31
    e = -shift if shift < 0 else 0
    if e == 0:
        return high
    mask = (1 << e) - 1
    rem, thr = high & mask, (mask >> 1) + (1 if high < 0 else 0)
    return (high >> e) + (1 if rem > thr else 0)


def py_mean(x: np.ndarray, axes: tuple[int, ...], p: MeanParams) -> np.ndarray:
    sums = (x.astype(np.int64) + p.input_offset).sum(axis=axes, keepdims=True)
    out = [min(127, max(-128, py_requantize(int(v), p.multiplier, p.shift) + p.output_offset)) for v in sums.reshape(-1)]
    return np.array(out, dtype=np.int8).reshape(sums.shape)


def py_add_sub(x: int, y: int, p: AddParams, sign: int) -> int:
    a = py_requantize((x + p.input_1_offset) << p.left_shift, p.input_1_mult, p.input_1_shift)
    b = py_requantize((y + p.input_2_offset) << p.left_shift, p.input_2_mult, p.input_2_shift)
    r = py_requantize(a + sign * b, p.out_mult, p.out_shift) + p.out_offset
    return min(max(r, p.out_activation_min), p.out_activation_max)


def act_range(op: OpView) -> Any:
    o = op.outputs[0]
    return quant.activation_range(op.options.fusedActivationFunction, o.scale, o.zero_point)


# ---------------------------------------------------------------------- MEAN


def mean_params_of(op: OpView, axes: tuple[int, ...]) -> MeanParams:
    x, y = op.inputs[0], op.outputs[0]
    assert x is not None
    count = int(np.prod([x.shape[a] for a in axes]))
    return mean_params(x.scale, x.zero_point, y.scale, y.zero_point, count)


@pytest.mark.parametrize("name,shape,axes,keep,rng", MEAN_CONFIGS, ids=[c[0] for c in MEAN_CONFIGS])
def test_mean_matches_tflm(name: str, shape: Shape, axes: tuple[int, ...], keep: bool, rng: Range) -> None:
    model = mean_model(shape, axes, keep, rng)
    op = single_op(model, "MEAN")
    assert op.inputs[1] is not None and op.inputs[1].data is not None
    model_axes = tuple(int(a) % len(shape) for a in op.inputs[1].data.reshape(-1))
    assert sorted(model_axes) == sorted(a % len(shape) for a in axes)
    assert bool(op.options.keepDims) == keep
    x = random_int8(np.random.default_rng(len(name) * 7 + sum(shape)), shape)
    (expected,) = run_tflm(model, [x])
    got = pycmsisnn_mean_s8(x, mean_params_of(op, model_axes), model_axes, keep_dims=keep)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("rng", [(-1.0, 1.0), (0.0, 3.0), (-3.0, 0.0)], ids=["mid", "low", "high"])
@pytest.mark.parametrize("shape,axes", [((1, 5, 7, 3), (1, 2)), ((1, 5, 7, 3), (3,)), ((2, 9, 5), (1,))])
def test_mean_with_equal_input_and_output_quantisation(shape: Shape, axes: tuple[int, ...], rng: Range) -> None:
    """The output quantisation set to the input's (the converter gives MEAN
    its own): the same folded-multiplier arithmetic, with s_in / s_out = 1."""
    base = mean_model(shape, axes, False, rng)

    def equalise(m: Any) -> None:
        sg = m.subgraphs[0]
        op = sg.operators[0]
        qi, qo = sg.tensors[op.inputs[0]].quantization, sg.tensors[op.outputs[0]].quantization
        qo.scale, qo.zeroPoint = list(qi.scale), list(qi.zeroPoint)

    model = edit_model(base, equalise)
    op = single_op(model, "MEAN")
    assert op.inputs[0] is not None
    assert (op.inputs[0].scale, op.inputs[0].zero_point) == (op.outputs[0].scale, op.outputs[0].zero_point)
    params = mean_params_of(op, axes)
    count = int(np.prod([shape[a] for a in axes]))
    assert params.multiplier == (1 << 30 << min(count.bit_length() - 1, 32)) // count
    x = random_int8(np.random.default_rng(sum(shape)), shape)
    (expected,) = run_tflm(model, [x])
    np.testing.assert_array_equal(pycmsisnn_mean_s8(x, params, axes, keep_dims=False), expected)


def test_mean_against_python_model() -> None:
    """Every axis subset of a small 4-D tensor, random quantisations."""
    rng = np.random.default_rng(31)
    shape = (2, 3, 4, 5)
    for mask in range(1, 16):
        axes = tuple(a for a in range(4) if mask >> a & 1)
        count = int(np.prod([shape[a] for a in axes]))
        for _ in range(4):
            s_in, s_out = float(rng.uniform(0.001, 0.1)), float(rng.uniform(0.001, 0.1))
            params = mean_params(s_in, int(rng.integers(-128, 128)), s_out, int(rng.integers(-128, 128)), count)
            x = random_int8(rng, shape)
            got = pycmsisnn_mean_s8(x, params, axes)
            np.testing.assert_array_equal(got, py_mean(x, axes, params))


@pytest.mark.parametrize("count", [1, 2, 3, 7, 64, 1000, 2**20 + 1])
def test_mean_params_fold_the_count(count: int) -> None:
    """mean_params against the derivation written out: QuantizeMultiplier of
    s_in / s_out, then 2^k / count folded in with k = min(floor(log2 count), 32, 31 + shift)."""
    s_in, s_out = 0.0123, 0.0071
    m, s = quant.quantize_multiplier(float(np.float32(s_in)) / float(np.float32(s_out)))
    k = min(int(np.floor(np.log2(count))), 32, 31 + s)
    p = mean_params(s_in, 3, s_out, -5, count)
    assert (p.multiplier, p.shift, p.input_offset, p.output_offset) == ((m << k) // count, s - k, -3, -5)
    assert p.shift >= -31


# ------------------------------------------------------------- STRIDED_SLICE


@pytest.mark.parametrize("name,shape,fn,rng", SLICE_CONFIGS, ids=[c[0] for c in SLICE_CONFIGS])
def test_strided_slice_matches_tflm(name: str, shape: Shape, fn: Callable[[Any], Any], rng: Range) -> None:
    model = slice_model(name, shape, fn, rng)
    op = single_op(model, "STRIDED_SLICE")
    begin, end, strides = (op.inputs[i].data.reshape(-1).tolist() for i in (1, 2, 3))  # type: ignore[union-attr]
    o = op.options
    assert o.ellipsisMask == 0 and o.newAxisMask == 0 and not o.offset
    first, step, count = resolve_strided_slice(shape, begin, end, strides, o.beginMask, o.endMask, o.shrinkAxisMask)
    x = random_int8(np.random.default_rng(len(name) + 3), shape)
    (expected,) = run_tflm(model, [x])
    got = pycmsisnn_strided_slice_s8(x, first, step, count)
    assert got.size == expected.size
    np.testing.assert_array_equal(got.reshape(expected.shape), expected)


def test_strided_slice_against_python_slicing() -> None:
    """Random begin/end/stride/masks on every rank: resolve + kernel equals
    Python's slicing (which TFLite's rules follow for these cases)."""
    rng = np.random.default_rng(32)
    checked = 0
    for _ in range(400):
        rank = int(rng.integers(1, 5))
        shape = tuple(int(d) for d in rng.integers(1, 7, rank))
        begin = [int(v) for v in rng.integers(-8, 8, rank)]
        end = [int(v) for v in rng.integers(-8, 8, rank)]
        strides = [int(v) for v in rng.choice([-3, -2, -1, 1, 2, 3], rank)]
        bmask, emask = int(rng.integers(0, 1 << rank)), int(rng.integers(0, 1 << rank))
        index = tuple(
            slice(None if bmask >> a & 1 else begin[a], None if emask >> a & 1 else end[a], strides[a]) for a in range(rank)
        )
        x = random_int8(rng, shape)
        expected = x[index]
        try:
            first, step, count = resolve_strided_slice(shape, begin, end, strides, bmask, emask)
        except SliceError:
            assert expected.size == 0
            continue
        np.testing.assert_array_equal(pycmsisnn_strided_slice_s8(x, first, step, count), expected)
        checked += 1
    assert checked > 100


def test_strided_slice_shrink_resolution() -> None:
    shape = (4, 5, 6)
    first, step, count = resolve_strided_slice(shape, [-1, 2, 0], [0, 0, 0], [1, 1, 2], 0b100, 0b100, 0b011)
    assert (first, step, count) == ((3, 2, 0), (1, 1, 2), (1, 1, 3))
    x = random_int8(np.random.default_rng(33), shape)
    np.testing.assert_array_equal(pycmsisnn_strided_slice_s8(x, first, step, count).reshape(3), x[-1, 2, ::2])
    with pytest.raises(SliceError, match="negative stride"):
        resolve_strided_slice(shape, [1, 0, 0], [2, 5, 6], [-1, 1, 1], 0, 0, 0b001)
    with pytest.raises(SliceError, match="outside"):
        resolve_strided_slice(shape, [4, 0, 0], [5, 5, 6], [1, 1, 1], 0, 0, 0b001)
    with pytest.raises(SliceError, match="no element"):
        resolve_strided_slice(shape, [3, 0, 0], [1, 5, 6], [1, 1, 1])
    with pytest.raises(SliceError, match="stride of axis 1 is 0"):
        resolve_strided_slice(shape, [0, 0, 0], [4, 5, 6], [1, 0, 1])


# ---------------------------------------------------------- ADD / SUB / MUL




def binary_params(kind: str, op: OpView) -> AddParams | MulParams:
    a, b, o = op.inputs[0], op.inputs[1], op.outputs[0]
    assert a is not None and b is not None
    derive = quant.mul_params if kind == "MUL" else quant.add_params  # SUB shares ADD's parameters
    return derive(a.scale, a.zero_point, b.scale, b.zero_point, o.scale, o.zero_point, act_range(op))  # type: ignore[operator]


def op_operands(op: OpView, data: list[np.ndarray]) -> list[np.ndarray]:
    """The test data in the operator's input order. The converter gives an
    input of lower rank a RESHAPE first (leading ones): that operand is the
    remaining model input viewed with the operator's shape."""
    direct = {i: t for i, t in enumerate(op.inputs) if t is not None and "input_" in t.name}
    used = {keras_index(t) for t in direct.values()}
    rest = [d for k, d in enumerate(data) if k not in used]
    out = []
    for i, t in enumerate(op.inputs):
        assert t is not None
        out.append(data[keras_index(t)] if i in direct else rest.pop(0).reshape(t.shape))
    return out


BROADCAST_KERNELS: dict[str, Callable[..., np.ndarray]] = {
    "ADD": pycmsisnn_broadcast_add_s8,
    "SUB": pycmsisnn_broadcast_sub_s8,
    "MUL": pycmsisnn_broadcast_mul_s8,
}


@pytest.mark.parametrize(
    "kind,s1,s2,qname,r1,r2,act", BINARY_CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in BINARY_CASES]
)
def test_broadcast_matches_tflm(kind: str, s1: Shape, s2: Shape, qname: str, r1: Range, r2: Range, act: str) -> None:
    model = binary_model(kind, s1, s2, r1, r2, act)
    # a RESHAPE may give the lower-rank input its leading ones
    assert sorted(o.name for o in ops(model) if o.name != "RESHAPE") == [kind]
    op = next(o for o in ops(model) if o.name == kind)
    rng = np.random.default_rng(sum(s1) * 11 + sum(s2) + len(qname))
    data = [random_int8(rng, s1), random_int8(rng, s2)]
    (expected,) = run_tflm(model, data)
    x1, x2 = op_operands(op, data)
    got = BROADCAST_KERNELS[kind](x1, x2, binary_params(kind, op))
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("kind", ["ADD", "MUL"])
def test_broadcast_equals_elementwise_on_expanded_inputs(kind: str) -> None:
    """Every broadcast pattern of a small 4-D shape, both sides: the same as the
    arm_elementwise_* kernel on inputs expanded with numpy."""
    rng = np.random.default_rng(34)
    params: Any = quant.add_params(0.02, -3, 0.05, 17, 0.04, 1) if kind == "ADD" else quant.mul_params(0.02, -3, 0.05, 17, 0.1, 1)
    ours, arm = (pycmsisnn_broadcast_add_s8, arm_elementwise_add_s8) if kind == "ADD" else (pycmsisnn_broadcast_mul_s8, arm_elementwise_mul_s8)
    full = (2, 3, 4, 5)
    for m1 in range(16):
        for m2 in range(16):
            s1 = tuple(1 if m1 >> i & 1 else d for i, d in enumerate(full))
            s2 = tuple(1 if m2 >> i & 1 else d for i, d in enumerate(full))
            a, b = random_int8(rng, s1), random_int8(rng, s2)
            shape = np.broadcast_shapes(s1, s2)
            expected = arm(np.ascontiguousarray(np.broadcast_to(a, shape)), np.ascontiguousarray(np.broadcast_to(b, shape)), params)
            np.testing.assert_array_equal(ours(a, b, params), expected)


def test_sub_every_pair_against_python_model() -> None:
    params = replace(quant.add_params(0.0123, -17, 0.0456, 99, 0.05, 5), out_activation_min=-100, out_activation_max=90)
    a, b = np.meshgrid(np.arange(-128, 128), np.arange(-128, 128))
    a8, b8 = a.astype(np.int8).reshape(-1), b.astype(np.int8).reshape(-1)
    got = pycmsisnn_broadcast_sub_s8(a8.reshape(256, 256), b8.reshape(256, 256), params).reshape(-1)
    expected = np.array([py_add_sub(int(x), int(y), params, -1) for x, y in zip(a8, b8)], dtype=np.int8)
    np.testing.assert_array_equal(got, expected)
    # a row against a column broadcasts to the same table
    col, row = np.arange(-128, 128, dtype=np.int8).reshape(256, 1), np.arange(-128, 128, dtype=np.int8).reshape(1, 256)
    np.testing.assert_array_equal(pycmsisnn_broadcast_sub_s8(row, col, params).reshape(-1), expected)


# ---------------------------------------------------------------- validation

X = np.zeros((1, 2, 3, 4), dtype=np.int8)
MEAN_OK = mean_params(0.02, 3, 0.01, -2, 6)
ADD_OK = quant.add_params(0.02, -3, 0.03, 10, 0.04, 1)
MUL_OK = quant.mul_params(0.02, -3, 0.03, 10, 0.04, 1)


@pytest.mark.parametrize(
    "args,kwargs,match",
    [
        ((X.astype(np.int16), MEAN_OK, (1, 2)), {}, "input"),
        ((X.tolist(), MEAN_OK, (1, 2)), {}, "input"),
        ((np.zeros((1, 1, 2, 3, 4), np.int8), MEAN_OK, (1, 2)), {}, "input"),
        ((X[:, :0], MEAN_OK, (1, 2)), {}, "input"),
        ((X, MEAN_OK, ()), {}, "axes"),
        ((X, MEAN_OK, (4,)), {}, r"axes\[0\]"),
        ((X, MEAN_OK, (1, -5)), {}, r"axes\[1\]"),
        ((X, MEAN_OK, (1.0,)), {}, r"axes\[0\]"),
        ((X, MEAN_OK, "12"), {}, "axes"),
        ((X, MEAN_OK, (1,)), {"keep_dims": 1}, "keep_dims"),
        ((X, ADD_OK, (1,)), {}, "params"),
        ((X, replace(MEAN_OK, input_offset=-128), (1,)), {}, "input_offset"),
        ((X, replace(MEAN_OK, output_offset=128), (1,)), {}, "output_offset"),
        ((X, replace(MEAN_OK, multiplier=-1), (1,)), {}, "multiplier"),
        ((X, replace(MEAN_OK, multiplier=2**31), (1,)), {}, "multiplier"),
        ((X, replace(MEAN_OK, shift=-32), (1,)), {}, "shift"),
        ((X, replace(MEAN_OK, shift=31), (1,)), {}, "shift"),
        ((np.zeros((1, 32767, 300), np.int8), MEAN_OK, (1, 2)), {}, "axes"),
    ],
)
def test_mean_rejects(args: tuple, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pycmsisnn_mean_s8(*args, **kwargs)


@pytest.mark.parametrize(
    "args,match",
    [
        ((X.astype(np.uint8), (0, 0, 0, 0), (1, 1, 1, 1), (1, 2, 3, 4)), "input"),
        ((X, (0, 0, 0), (1, 1, 1, 1), (1, 2, 3, 4)), "begin"),
        ((X, (0, 0, 0, 0), (1, 1, 1), (1, 2, 3, 4)), "strides"),
        ((X, (0, 0, 0, 0), (1, 1, 1, 1), (1, 2, 3)), "output_shape"),
        ((X, (0, 2, 0, 0), (1, 1, 1, 1), (1, 1, 1, 1)), r"begin\[1\]"),
        ((X, (0, -1, 0, 0), (1, 1, 1, 1), (1, 1, 1, 1)), r"begin\[1\]"),
        ((X, (0, 0, 0, 0), (1, 1, 0, 1), (1, 1, 1, 1)), r"strides\[2\]"),
        ((X, (0, 0, 0, 0), (1, 1, 1, 1), (1, 1, 0, 1)), r"output_shape\[2\]"),
        ((X, (0, 0, 1, 0), (1, 1, 2, 1), (1, 1, 2, 1)), r"output_shape\[2\]"),
        ((X, (0, 0, 1, 0), (1, 1, -1, 1), (1, 1, 3, 1)), r"output_shape\[2\]"),
        ((X, (0, 0, 0, 3), (1, 1, 1, -2), (1, 1, 1, 3)), r"output_shape\[3\]"),
        ((X, "0000", (1, 1, 1, 1), (1, 1, 1, 1)), "begin"),
        ((X, (0, 0, 0, 0.5), (1, 1, 1, 1), (1, 1, 1, 1)), r"begin\[3\]"),
    ],
)
def test_strided_slice_rejects(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pycmsisnn_strided_slice_s8(*args)


@pytest.mark.parametrize("kind", ["ADD", "SUB"])
@pytest.mark.parametrize(
    "a,b,p,match",
    [
        (X.astype(np.int16), X, ADD_OK, "input_1"),
        (X, X.astype(np.float32), ADD_OK, "input_2"),
        (X, np.zeros((1, 3, 3, 4), np.int8), ADD_OK, "input_2"),
        (np.zeros((1, 1, 2, 3, 4), np.int8), X, ADD_OK, "input_1"),
        (X, X[:, :, :, :0], ADD_OK, "input_2"),
        (X, X, MUL_OK, "params"),
        (X, X, replace(ADD_OK, input_1_offset=-128), "input_1_offset"),
        (X, X, replace(ADD_OK, input_2_offset=129), "input_2_offset"),
        (X, X, replace(ADD_OK, out_offset=128), "out_offset"),
        (X, X, replace(ADD_OK, input_1_mult=-1), "input_1_mult"),
        (X, X, replace(ADD_OK, input_2_mult=2**31), "input_2_mult"),
        (X, X, replace(ADD_OK, input_1_shift=1), "input_1_shift"),
        (X, X, replace(ADD_OK, input_2_shift=-32), "input_2_shift"),
        (X, X, replace(ADD_OK, out_shift=3), "out_shift"),
        (X, X, replace(ADD_OK, left_shift=24), "left_shift"),
        (X, X, replace(ADD_OK, out_activation_min=10, out_activation_max=5), "out_activation_min"),
        (X, X, replace(ADD_OK, out_activation_max=128), "out_activation_max"),
    ],
)
def test_add_sub_reject(kind: str, a: Any, b: Any, p: Any, match: str) -> None:
    fn = pycmsisnn_broadcast_add_s8 if kind == "ADD" else pycmsisnn_broadcast_sub_s8
    with pytest.raises(ValueError, match=match):
        fn(a, b, p)


@pytest.mark.parametrize(
    "a,b,p,match",
    [
        (X.astype(np.int32), X, MUL_OK, "input_1"),
        (X, X[:, :, :2], MUL_OK, "input_2"),
        (X, X, ADD_OK, "params"),
        (X, X, replace(MUL_OK, input_1_offset=-200), "input_1_offset"),
        (X, X, replace(MUL_OK, out_offset=-129), "out_offset"),
        (X, X, replace(MUL_OK, out_mult=-5), "out_mult"),
        (X, X, replace(MUL_OK, out_shift=31), "out_shift"),
        (X, X, replace(MUL_OK, out_activation_max=True), "out_activation_max"),
    ],
)
def test_mul_rejects(a: Any, b: Any, p: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pycmsisnn_broadcast_mul_s8(a, b, p)


def test_errors_name_the_kernel() -> None:
    with pytest.raises(ValueError, match="pycmsisnn_broadcast_mul_s8: input_2"):
        pycmsisnn_broadcast_mul_s8(X, X[:, :, :2, :3], MUL_OK)
    with pytest.raises(ValueError, match="pycmsisnn_mean_s8: axes"):
        pycmsisnn_mean_s8(X, MEAN_OK, [])
    with pytest.raises(ValueError, match="pycmsisnn_strided_slice_s8: strides"):
        pycmsisnn_strided_slice_s8(X, (0, 0, 0, 0), (1, 1, 1), (1, 1, 1, 1))


def test_c_kernels_refuse_out_of_bounds_arguments() -> None:
    """The C functions themselves return ARM_CMSIS_NN_ARG_ERROR (-1) for
    dimensions or indices that would leave the buffers."""
    from pycmsisnn.kernels._base import dims, ffi, lib, ptr

    x, out = np.zeros(24, np.int8), np.zeros(24, np.int8)
    mp = ffi.new("pycmsisnn_mean_params *", {"multiplier": 1 << 30, "shift": 1})
    assert lib.pycmsisnn_mean_s8(mp, dims((1, 2, 3, 4)), ptr(x, "int8_t"), dims((1, 2, 2, 4)), ptr(out, "int8_t")) == -1
    assert lib.pycmsisnn_mean_s8(mp, dims((1, 2, 3, 4)), ffi.NULL, dims((1, 1, 1, 4)), ptr(out, "int8_t")) == -1
    sp = ffi.new("pycmsisnn_strided_slice_params *", {"begin": {"n": 0, "h": 1, "w": 0, "c": 0}, "stride": {"n": 1, "h": 1, "w": 1, "c": 1}})
    assert lib.pycmsisnn_strided_slice_s8(sp, dims((1, 2, 3, 4)), ptr(x, "int8_t"), dims((1, 2, 3, 4)), ptr(out, "int8_t")) == -1
    ap = ffi.new("pycmsisnn_add_params *", {"left_shift": 32})
    assert lib.pycmsisnn_broadcast_add_s8(ap, dims((1, 2, 3, 4)), ptr(x, "int8_t"), dims((1, 2, 3, 4)), ptr(x, "int8_t"), dims((1, 2, 3, 4)), ptr(out, "int8_t")) == -1
    mulp = ffi.new("pycmsisnn_mul_params *", {})
    assert lib.pycmsisnn_broadcast_mul_s8(mulp, dims((1, 2, 3, 4)), ptr(x, "int8_t"), dims((1, 2, 1, 4)), ptr(x, "int8_t"), dims((1, 2, 2, 4)), ptr(out, "int8_t")) == -1


def test_constant_broadcast_operand() -> None:
    """``x * c`` with c a per-channel constant in the model: the constant is an
    operator input like any other."""
    model = constant_operand_model("MUL", (1, 3, 4, 5), (1, 1, 1, 5), (-1.0, 2.0))
    op = single_op(model, "MUL")
    const = next(t for t in op.inputs if t is not None and t.data is not None)
    x = random_int8(np.random.default_rng(35), (1, 3, 4, 5))
    (expected,) = run_tflm(model, [x])
    args = [const.data if t is const else x for t in op.inputs if t is not None]
    np.testing.assert_array_equal(pycmsisnn_broadcast_mul_s8(args[0], args[1], binary_params("MUL", op)), expected)


# Quantisations written into a model (scale 1, zp 1, scale 2, zp 2, output scale, output zp).
# For the first three, ADD-style multipliers computed from float32 quotients (as some
# TFLM sources do for SUB) give other outputs than the double-precision ones.
EDITED_QUANT = [
    (0.006150108762085438, -69, 0.04105063155293465, 114, 0.02065279148519039, -105),
    (0.03714590519666672, 113, 0.0114440331235528, 67, 0.06328170746564865, 109),
    (0.0123, -128, 0.0456, 127, 0.05, 5),
    (0.25, 127, 0.0078125, -128, 0.1, -128),
    (0.002, 0, 0.003, -1, 0.0001, 127),
]


@pytest.mark.parametrize("kind", ["ADD", "SUB", "MUL"])
@pytest.mark.parametrize("q", EDITED_QUANT, ids=[f"q{i}" for i in range(len(EDITED_QUANT))])
def test_every_pair_against_tflm_with_edited_quantisation(kind: str, q: tuple) -> None:
    """A (1, 1, 256) row against a (1, 256, 1) column covers every int8 pair; the
    model's quantisation is rewritten to ``q`` to reach scales the converter
    would not pick."""
    base = binary_model(kind, (1, 1, 256), (1, 256, 1), (-1.0, 1.0), (-1.0, 1.0), "none")

    def requantise(m: Any) -> None:
        sg = m.subgraphs[0]
        (op,) = sg.operators
        for index, (scale, zp) in zip([op.inputs[0], op.inputs[1], op.outputs[0]], [q[0:2], q[2:4], q[4:6]]):
            sg.tensors[index].quantization.scale = [scale]
            sg.tensors[index].quantization.zeroPoint = [zp]

    model = edit_model(base, requantise)
    op = single_op(model, kind)
    row, col = np.arange(-128, 128, dtype=np.int8).reshape(1, 1, 256), np.arange(-128, 128, dtype=np.int8).reshape(1, 256, 1)
    (expected,) = run_tflm(model, [row, col])
    x1, x2 = op_operands(op, [row, col])
    np.testing.assert_array_equal(BROADCAST_KERNELS[kind](x1, x2, binary_params(kind, op)), expected)
    if kind == "SUB" and q in EDITED_QUANT[:3]:
        assert not np.array_equal(pycmsisnn_broadcast_sub_s8(x1, x2, float32_sub_params(op)), expected)


def float32_sub_params(op: OpView) -> AddParams:
    """ADD's recipe with the real multipliers divided in float32, then widened."""
    a, b, o = op.inputs[0], op.inputs[1], op.outputs[0]
    assert a is not None and b is not None
    s1, s2, so = np.float32(a.scale), np.float32(b.scale), np.float32(o.scale)
    twice = np.float32(2) * max(s1, s2)
    m1, sh1 = quant.quantize_multiplier_smaller_than_one(float(s1 / twice))
    m2, sh2 = quant.quantize_multiplier_smaller_than_one(float(s2 / twice))
    mo, sho = quant.quantize_multiplier_smaller_than_one(float(twice / (np.float32(1 << 20) * so)))
    p = quant.add_params(a.scale, a.zero_point, b.scale, b.zero_point, o.scale, o.zero_point)
    return replace(p, input_1_mult=m1, input_1_shift=sh1, input_2_mult=m2, input_2_shift=sh2, out_mult=mo, out_shift=sho)
