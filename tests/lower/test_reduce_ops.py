"""ARG_MAX, ARG_MIN, REDUCE_MAX, REDUCE_MIN, SUM, the six comparisons,
SELECT_V2 and CUMSUM lowered and run whole through ``pycmsisnn.runtime``
against TensorFlow Lite Micro, element for element (bool and int32 outputs
included), over axes (negative, several, keep_dims), ranks 1 to 4, broadcast
shapes and scales; and every refusal by its reason.

Converted models (TensorFlow's converter, int8 and 16x8 where it quantises
the operator) and hand-made ones (``handmade_op``) for what it will not make:
comparisons on chosen scales and zero points over every pair of int8 values,
int16 SELECT_V2, quantised CUMSUM (the converter keeps it in float, TFLite
Micro runs it in int8), and the dtypes TFLite Micro refuses or mis-runs.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import keras_index
from tests.lower.handmade_op import Spec, single_op_model
from tests.lower.reduce_ops_models import (
    ARG_CONFIGS,
    COMPARE_CONFIGS,
    COMPARE_OPS,
    REDUCE_CONFIGS,
    SELECT_CONFIGS,
    Shape,
    arg_model,
    axis_spec,
    compare_constant_model,
    compare_model,
    handmade_arg,
    handmade_compare,
    handmade_cumsum,
    handmade_reduce,
    handmade_select,
    reduce_model,
    select_model,
)
from tests.support.tflm import run_tflm


def random_data(rng: np.random.Generator, shape: Shape, dtype: Any) -> np.ndarray:
    """Full-range data of ``dtype`` holding both extremes (random bools)."""
    if np.dtype(dtype) == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max + 1, size=shape, dtype=dtype)
    flat = x.reshape(-1)
    flat[0], flat[-1] = info.min, info.max
    return x


def check(model: bytes, seed: int, samples: int = 2, data: list[np.ndarray] | None = None) -> Any:
    """The loaded model after ``samples`` runs equal to TFLite Micro's, output
    dtypes and shapes included (random data in Keras input order, or ``data``)."""
    m = load(model)
    rng = np.random.default_rng(seed)
    order = sorted(m.inputs, key=keras_index)
    for _ in range(samples if data is None else 1):
        xs = data if data is not None else [random_data(rng, t.shape, t.dtype) for t in order]
        got = m.run([xs[order.index(t)] for t in m.inputs])
        expected = run_tflm(model, xs)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g.dtype == e.dtype and g.shape == e.shape, (g.dtype, e.dtype, g.shape, e.shape)
            np.testing.assert_array_equal(g, e)
    return m


def kernels(m: Any) -> list[str]:
    return [c.kernel for c in m.plan.calls]


# ---------------------------------------------------------- ARG_MAX, ARG_MIN


@pytest.mark.parametrize("opcode", ["ARG_MAX", "ARG_MIN"])
@pytest.mark.parametrize("shape,axis", ARG_CONFIGS, ids=[f"{s}-axis{a}" for s, a in ARG_CONFIGS])
def test_arg_matches_tflm(opcode: str, shape: Shape, axis: int) -> None:
    m = check(arg_model(opcode, shape, axis), seed=len(shape) + axis + 40)
    assert kernels(m) == [f"pycmsisnn_{opcode.lower()}_s8"]
    assert m.plan.calls[0].args["axis"] == axis % len(shape)


@pytest.mark.parametrize("opcode", ["ARG_MAX", "ARG_MIN"])
def test_arg_ties_take_the_first_index(opcode: str) -> None:
    """Many equal extremes (a narrow value range): the first index wins, as in TFLite Micro."""
    x = np.array([[3, 7, 7, 1, 7, 1], [-5, -5, -5, -5, -5, -5], [1, -9, 2, 2, -9, 0]], np.int8)
    m = check(handmade_arg(opcode, np.int8, (3, 6), 1), seed=0, data=[x])
    assert m.run(x)[0].tolist() == ([1, 0, 2] if opcode == "ARG_MAX" else [3, 0, 1])
    for seed in range(3):
        check(handmade_arg(opcode, np.int8, (4, 50), 1), seed=seed, data=[np.random.default_rng(seed).integers(-2, 2, (4, 50)).astype(np.int8)])


# ------------------------------------------------------- REDUCE_MAX, REDUCE_MIN, SUM


@pytest.mark.parametrize("opcode", ["REDUCE_MAX", "REDUCE_MIN", "SUM"])
@pytest.mark.parametrize("shape,axes,keep,rng", REDUCE_CONFIGS, ids=[f"{s}-{a}-{'keep' if k else 'drop'}" for s, a, k, _ in REDUCE_CONFIGS])
def test_reduction_int8_matches_tflm(opcode: str, shape: Shape, axes: tuple[int, ...], keep: bool, rng: tuple[float, float]) -> None:
    m = check(reduce_model(opcode, shape, axes, keep, rng), seed=len(axes) + len(shape))
    expected = {"REDUCE_MAX": "pycmsisnn_reduce_max_s8", "REDUCE_MIN": "pycmsisnn_reduce_min_s8", "SUM": "pycmsisnn_mean_s8"}[opcode]
    assert kernels(m) == [expected]
    assert m.plan.calls[0].notes["count"] == int(np.prod([shape[a] for a in {a % len(shape) for a in axes}]))


@pytest.mark.parametrize("shape,axes,keep,rng", REDUCE_CONFIGS, ids=[f"{s}-{a}-{'keep' if k else 'drop'}" for s, a, k, _ in REDUCE_CONFIGS])
def test_sum_16x8_matches_tflm(shape: Shape, axes: tuple[int, ...], keep: bool, rng: tuple[float, float]) -> None:
    m = check(reduce_model("SUM", shape, axes, keep, rng, int16x8=True), seed=len(axes) + 3)
    assert kernels(m) == ["pycmsisnn_mean_s16"]


# (dtype, input scale and zero point, output scale and zero point): sums that requantise up and down
SUM_SCALES = [
    (np.int8, (0.08, 91), (0.29, -46)), (np.int8, (0.0246, -8), (1.82, -11)), (np.int8, (0.05, -128), (0.03, 127)),
    (np.int8, (0.3, 4), (0.01, 0)), (np.int16, (5.5e-4, 0), (0.06, 0)), (np.int16, (1.2e-4, 0), (0.0057, 0)),
    (np.int16, (3e-3, 0), (2e-3, 0)),
]


@pytest.mark.parametrize("dtype,qi,qo", SUM_SCALES, ids=[f"{np.dtype(d).name}-{qi}-{qo}" for d, qi, qo in SUM_SCALES])
@pytest.mark.parametrize("shape,axes", [((4, 9, 5), [1]), ((4, 9, 5), [0, -1]), ((3, 2, 2, 6), [3])])
def test_sum_on_chosen_scales_matches_tflm(dtype: Any, qi: tuple[float, int], qo: tuple[float, int], shape: Shape, axes: list[int]) -> None:
    m = check(handmade_reduce("SUM", dtype, shape, axes, qi, qo), seed=len(axes))
    assert m.plan.calls[0].notes["count"] == int(np.prod([shape[a] for a in axes]))


# --------------------------------------------------------------- comparisons


# The converter keeps NOT_EQUAL in float (DEQUANTIZE in front): hand-made models below test it.
@pytest.mark.parametrize("opcode", [k for k in COMPARE_OPS if k != "NOT_EQUAL"])
@pytest.mark.parametrize("s1,s2,r1,r2", COMPARE_CONFIGS, ids=[f"{a}-{b}" for a, b, _, _ in COMPARE_CONFIGS])
def test_comparison_matches_tflm(opcode: str, s1: Shape, s2: Shape, r1: tuple[float, float], r2: tuple[float, float]) -> None:
    m = check(compare_model(opcode, s1, s2, r1, r2), seed=len(s1) + len(s2), samples=3)
    assert kernels(m) == [f"pycmsisnn_{opcode.lower()}_s8"]
    assert m.outputs[0].dtype == np.bool_


@pytest.mark.parametrize("opcode", ["LESS", "GREATER_EQUAL", "EQUAL"])
def test_comparison_with_a_scalar_constant_matches_tflm(opcode: str) -> None:
    m = check(compare_constant_model(opcode, (2, 3, 7), 0.25), seed=1)
    assert kernels(m) == [f"pycmsisnn_{opcode.lower()}_s8"]
    assert m.plan.calls[0].args["input_2"].shape == (1,)


# (scale, zero point) pairs: equal, zero points only differing, and scales a factor apart
COMPARE_SCALES = [
    ((0.02, 5), (0.02, 5)), ((0.05, -7), (0.05, 20)), ((0.02, 5), (0.05, -3)), ((0.0517, 65), (0.0153, 115)),
    ((0.0949, -65), (0.0429, -49)), ((0.9, 0), (0.0031, -128)),
]


@pytest.mark.parametrize("opcode", list(COMPARE_OPS))
@pytest.mark.parametrize("q1,q2", COMPARE_SCALES, ids=[f"{a}-{b}" for a, b in COMPARE_SCALES])
def test_comparison_of_every_int8_pair_matches_tflm(opcode: str, q1: tuple[float, int], q2: tuple[float, int]) -> None:
    """All 65536 pairs, where near-equal reals tell the rescaling apart."""
    a = np.repeat(np.arange(-128, 128), 256).astype(np.int8).reshape(256, 256)
    b = np.tile(np.arange(-128, 128), 256).astype(np.int8).reshape(256, 256)
    check(handmade_compare(opcode, (256, 256), (256, 256), q1, q2, (256, 256)), seed=0, data=[a, b])


def test_comparison_broadcasts_both_ways() -> None:
    check(handmade_compare("LESS", (3, 1, 5), (4, 1), (0.03, 2), (0.07, -1), (3, 4, 5)), seed=3)
    check(handmade_compare("NOT_EQUAL", (1,), (2, 3, 4, 1), (0.1, 0), (0.1, 0), (2, 3, 4, 1)), seed=4)


# ----------------------------------------------------------------- SELECT_V2


@pytest.mark.parametrize("s1,s2", SELECT_CONFIGS, ids=[f"{a}-{b}" for a, b in SELECT_CONFIGS])
def test_select_model_matches_tflm(s1: Shape, s2: Shape) -> None:
    m = check(select_model(s1, s2), seed=len(s1), samples=3)
    assert kernels(m) == ["pycmsisnn_greater_s8", "pycmsisnn_select_s8"]


# (condition, input 1, input 2, output) shapes
SELECT_SHAPES = [
    ((3, 4), (3, 4), (3, 4), (3, 4)), ((3, 1), (1, 4), (3, 4), (3, 4)), ((5,), (2, 5), (1,), (2, 5)),
    ((2, 1, 3, 1), (1, 4, 1, 2), (1, 1, 1, 1), (2, 4, 3, 2)), ((1, 1, 6), (2, 3, 6), (2, 1, 1), (2, 3, 6)), ((7,), (7,), (7,), (7,)),
]


@pytest.mark.parametrize("dtype", [np.int8, np.int16])
@pytest.mark.parametrize("sc,s1,s2,out", SELECT_SHAPES, ids=[f"{c}-{a}-{b}" for c, a, b, _ in SELECT_SHAPES])
def test_select_with_bool_input_matches_tflm(dtype: Any, sc: Shape, s1: Shape, s2: Shape, out: Shape) -> None:
    q = (0.1, 3) if dtype == np.int8 else (1e-3, 0)
    m = check(handmade_select(dtype, sc, s1, s2, out, q), seed=len(out), samples=3)
    assert kernels(m) == ["pycmsisnn_select_s8" if dtype == np.int8 else "pycmsisnn_select_s16"]


# --------------------------------------------------------------------- CUMSUM

CUMSUM_CASES = [
    ((3, 6, 4), 0, (0.05, 3), (0.3, -2)), ((3, 6, 4), 1, (0.02, -100), (0.2, 10)), ((3, 6, 4), -1, (0.1, 0), (0.1, 0)),
    ((2, 3, 4, 5), 2, (0.07, 20), (0.5, -128)), ((9,), 0, (0.01, -5), (0.04, 7)), ((2, 3, 2, 5), -4, (0.2, 127), (0.9, 0)),
]


@pytest.mark.parametrize("exclusive,reverse", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("shape,axis,qi,qo", CUMSUM_CASES, ids=[f"{s}-axis{a}" for s, a, _, _ in CUMSUM_CASES])
def test_cumsum_matches_tflm(shape: Shape, axis: int, qi: tuple[float, int], qo: tuple[float, int], exclusive: bool, reverse: bool) -> None:
    m = check(handmade_cumsum(shape, axis, exclusive, reverse, qi, qo), seed=len(shape) + axis, samples=3)
    assert kernels(m) == ["pycmsisnn_cumsum_s8"]
    call = m.plan.calls[0]
    assert (call.args["axis"], call.args["exclusive"], call.args["reverse"]) == (axis % len(shape), exclusive, reverse)


# ------------------------------------------------------------------ refusals


def _refused(model: bytes, pattern: str) -> None:
    with pytest.raises(UnsupportedModelError, match=pattern):
        load(model)


def test_what_tflm_does_not_run_is_refused_by_reason() -> None:
    """Each of these fails (or silently misruns) in TFLite Micro; the lowering names why."""
    q16 = (1e-3, 0)
    _refused(handmade_arg("ARG_MAX", np.int16, (3, 5), 1), r"ARG_MAX x1: operator 0: input 'input_0' is int16, needs int8")
    _refused(handmade_arg("ARG_MIN", np.int8, (3, 5), 1, out_dtype=np.int64), r"output 'output' is int64, needs int32 \(TensorFlow Lite Micro")
    _refused(handmade_reduce("REDUCE_MAX", np.int16, (3, 5), [1], q16, q16), r"REDUCE_MAX x1: operator 0: input 'input_0' is int16, needs int8")
    _refused(handmade_reduce("REDUCE_MIN", np.int8, (3, 5), [1], (0.1, 3), (0.2, 3)), "input and output quantisation differ")
    _refused(single_op_model("GREATER", [Spec((4,), np.int16, q16), Spec((4,), np.int16, q16)], Spec((4,), np.bool_)),
             r"GREATER x1: operator 0: input 0 'input_0' is int16; TensorFlow Lite Micro compares int8 only")
    _refused(handmade_compare("LESS", (4,), (4,), (1.5, 0), (0.1, 0), (4,)), r"input 1 scale 1.5 is not below 1")
    _refused(single_op_model("CUMSUM", [Spec((4,), np.int16, q16), Spec((), np.int32, None, np.array(0, np.int32))], Spec((4,), np.int16, q16)),
             r"CUMSUM x1: operator 0: input 'input_0' is int16; TensorFlow Lite Micro runs CUMSUM in float32 and int8 only")
    _refused(handmade_cumsum((2, 40), 1, False, False, (0.1, 0), (0.5, 0)), r"a running sum of 40 scaled inputs can reach \d+, out of")
    _refused(single_op_model("SELECT_V2", [Spec((3,), np.bool_), Spec((3,), np.int8, (0.1, 0)), Spec((3,), np.int8, (0.2, 0))],
                             Spec((3,), np.int8, (0.1, 0))), r"input 2 'input_2' is quantised unlike the output")
    _refused(single_op_model("SELECT", [Spec((3,), np.bool_), Spec((3,), np.int8, (0.1, 0)), Spec((3,), np.int8, (0.1, 0))],
                             Spec((3,), np.int8, (0.1, 0))), r"SELECT x1: operator 0: no kernel for this operator \(TensorFlow Lite Micro has no SELECT")
    _refused(single_op_model("REDUCE_PROD", [Spec((3, 4), np.int8, (0.1, 0)), axis_spec([1])], Spec((3,), np.int8, (0.1, 0))),
             r"REDUCE_PROD x1: operator 0: no kernel for this operator \(TensorFlow Lite Micro has no REDUCE_PROD kernel\)")
    _refused(single_op_model("L2_POOL_2D", [Spec((1, 4, 4, 2), np.int8, (0.1, 0))], Spec((1, 2, 2, 2), np.int8, (0.1, 0)),
                             ("Pool2DOptions", {"padding": 1, "strideW": 2, "strideH": 2, "filterWidth": 2, "filterHeight": 2})),
             r"L2_POOL_2D x1: operator 0: no kernel for this operator \(TensorFlow Lite Micro runs L2_POOL_2D in float32 only\)")


def test_malformed_operators_are_refused_by_reason() -> None:
    q = (0.1, 0)
    _refused(single_op_model("SUM", [Spec((3, 4), np.int8, q), Spec((1,), np.int32)], Spec((3,), np.int8, q), ("ReducerOptions", {})),
             r"SUM x1: operator 0: axis 'input_1' is not a constant tensor")
    _refused(handmade_reduce("SUM", np.int8, (3, 4), [2], q, q), r"axis 2 is outside the input's 2 dimensions")
    _refused(handmade_reduce("SUM", np.int8, (2, 2, 2, 2), [1], (0.9, 0), (1e-8, 0)), r"shifted left by 27 .* overflows int32")
    _refused(single_op_model("ARG_MAX", [Spec((3, 4), np.int8, q), axis_spec([0, 1])], Spec((4,), np.int32), ("ArgMaxOptions", {"outputType": 2})),
             r"axis holds 2 values, needs one")
    _refused(single_op_model("EQUAL", [Spec((3, 4), np.int8, q), Spec((2, 4), np.int8, q)], Spec((3, 4), np.bool_)), r"do not broadcast")
    _refused(single_op_model("EQUAL", [Spec((3, 4), np.int8, q), Spec((3, 4), np.int8, q)], Spec((3, 4), np.int8, q)), r"output 'output' is int8, needs bool")
    _refused(single_op_model("SELECT_V2", [Spec((3,), np.int8, q), Spec((3,), np.int8, q), Spec((3,), np.int8, q)], Spec((3,), np.int8, q)),
             r"condition 'input_0' is int8, needs bool")
    _refused(handmade_cumsum((2, 3), 2, False, False, q, q), r"axis 2 is outside the input's 2 dimensions")
