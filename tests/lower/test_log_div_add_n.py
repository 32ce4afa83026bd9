"""int8 LOG_SOFTMAX, DIV and ADD_N (``pycmsisnn.lower.math_ops``,
``pycmsisnn_math_ops.h``) run whole through ``pycmsisnn.runtime`` against
TensorFlow Lite Micro, element for element, on hand-built single-operator
models (``tests/support/handmade.py``).

LOG_SOFTMAX sees every row of one and two elements, every row of three up to
order (only differences to the row maximum count), and random rows of up to
4095 elements (the longest whose sum of exponentials fits int32), at input
scales from 1e-7 to 40. DIV and ADD_N (two inputs) see every pair of int8
values at random scales and zero points (so DIV also divides by its zero
point, and by values whose quotient TFLM shifts past 31 bits), DIV in
broadcast shapes and under its fused activations, ADD_N with up to 15 inputs.
And the refusals, by reason.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import load
from tests.support.handmade import Spec, model_of
from tests.support.tflm import run_tflm

OUT_LSM = (1 / 16, 127)
_A, _B = np.meshgrid(np.arange(-128, 128), np.arange(-128, 128))
PAIRS = (_A.ravel().astype(np.int8), _B.ravel().astype(np.int8))  # every (a, b), 65,536 of them


def _f32(x: float) -> float:
    return float(np.float32(x))


def _scale(rng: np.random.Generator, lo: float, hi: float) -> float:
    return _f32(10 ** rng.uniform(lo, hi))


def _check(model: bytes, inputs: list[np.ndarray], kernel: str) -> None:
    m = load(model)
    assert [c.kernel for c in m.plan.calls] == [kernel]
    (expected,) = run_tflm(model, inputs)
    (got,) = m.run(inputs)
    assert got.dtype == expected.dtype == np.int8
    np.testing.assert_array_equal(got, expected.reshape(got.shape))


# ---------------------------------------------------------------- LOG_SOFTMAX

def _lsm_model(shape: tuple[int, ...], scale: float, zero_point: int) -> bytes:
    return model_of("LOG_SOFTMAX", [Spec(shape, np.int8, (scale, zero_point))], Spec(shape, np.int8, OUT_LSM))


LSM_SCALES = [1e-7, 1e-4, 0.0013, 0.01, 0.037, 0.1, 0.25, 0.7, 2.0, 40.0]


@pytest.mark.parametrize("scale", LSM_SCALES)
def test_log_softmax_every_row_of_two(scale: float) -> None:
    x = np.stack(PAIRS, axis=1)  # (65536, 2)
    _check(_lsm_model(x.shape, _f32(scale), 5), [x], "pycmsisnn_log_softmax_s8")


@pytest.mark.parametrize("scale", [0.004, 0.05, 0.3, 1.5])
def test_log_softmax_every_row_of_three(scale: float) -> None:
    a, b = PAIRS
    x = np.stack([np.full_like(a, 127), a, b], axis=1).reshape(256, 256, 3)
    _check(_lsm_model(x.shape, _f32(scale), -20), [x], "pycmsisnn_log_softmax_s8")


@pytest.mark.parametrize("scale", [0.02, 3.0])
def test_log_softmax_rows_of_one(scale: float) -> None:
    x = np.arange(-128, 128, dtype=np.int8).reshape(1, 256, 1)
    _check(_lsm_model(x.shape, _f32(scale), 0), [x], "pycmsisnn_log_softmax_s8")


def _lsm_random_configs() -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(11)
    depths = [5, 16, 100, 1000, 4095, 7]
    out = []
    for i in range(12):
        depth = depths[i % len(depths)]
        rows = max(1, 24000 // depth)
        out.append(((rows, depth) if i % 2 else (1, rows, depth), _scale(rng, -3.5, 0.5), int(rng.integers(-128, 128)), i))
    return out


@pytest.mark.parametrize("shape,scale,zi,seed", _lsm_random_configs())
def test_log_softmax_random_rows(shape: tuple[int, ...], scale: float, zi: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, size=shape).astype(np.int8)
    rows = x.reshape(-1, shape[-1])
    rows[0, :] = 127  # every element at the maximum: the largest sum of exponentials
    if rows.shape[0] > 2:
        rows[1, :] = rng.integers(120, 128, size=shape[-1])  # near the maximum
        rows[2, :] = -128
        rows[2, -1] = 127  # one maximum, the rest far below
    _check(_lsm_model(shape, scale, zi), [x], "pycmsisnn_log_softmax_s8")


# ------------------------------------------------------------------------ DIV

def _div_model(a: tuple[int, ...], b: tuple[int, ...], q1: tuple[float, int], q2: tuple[float, int], qo: tuple[float, int],
               act: int = 0, divisor: np.ndarray | None = None, out: tuple[int, ...] | None = None) -> bytes:
    out = out or tuple(np.broadcast_shapes(a, b))
    return model_of("DIV", [Spec(a, np.int8, q1), Spec(b, np.int8, q2, divisor)], Spec(out, np.int8, qo),
                    ("DivOptions", {"fusedActivationFunction": act}))


def _div_configs() -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(12)
    out: list[tuple[Any, ...]] = []
    for i in range(16):
        z = [int(v) for v in rng.integers(-128, 128, 3)]
        if i == 0:
            z = [-128, -128, -128]
        if i == 1:
            z = [127, 127, 127]
        out.append(((_scale(rng, -3, 0), z[0]), (_scale(rng, -3, 0), z[1]), (_scale(rng, -3, 0), z[2]), 0))
    # extreme ratios s1 / (s2 s_out): near 2^22 and near 2^-26, and fused RELU, RELU_N1_TO_1, RELU6
    out.append(((0.9, 3), (0.001, -7), (0.0003, 2), 0))
    out.append(((1e-6, -40), (1.0, 10), (30.0, -5), 0))
    out += [((0.05, 10), (0.02, -3), (0.04, -20), act) for act in (1, 2, 3)]
    return out


@pytest.mark.parametrize("q1,q2,qo,act", _div_configs())
def test_div_every_pair(q1: tuple[float, int], q2: tuple[float, int], qo: tuple[float, int], act: int) -> None:
    a, b = (p.reshape(256, 256) for p in PAIRS)
    _check(_div_model(a.shape, b.shape, q1, q2, qo, act), [a, b], "pycmsisnn_div_s8")


BROADCASTS: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((2, 3, 4), (4,)), ((1, 1, 1, 6), (2, 3, 4, 1)), ((3, 1, 5), (1, 4, 1)), ((5,), (1,)),
    ((1,), (3, 7)), ((2, 1, 3, 1), (1, 4, 1, 5)), ((16, 16), (16, 1)), ((1, 4, 4, 8), (8,)),
]


@pytest.mark.parametrize("a,b", BROADCASTS)
def test_div_broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(a) * 10 + len(b))
    x = rng.integers(-128, 128, size=a).astype(np.int8)
    y = rng.integers(-128, 128, size=b).astype(np.int8)
    q1, q2, qo = (_scale(rng, -2, 0), int(rng.integers(-20, 20))), (_scale(rng, -2, 0), int(rng.integers(-20, 20))), (_scale(rng, -2, 0), 0)
    _check(_div_model(a, b, q1, q2, qo), [x, y], "pycmsisnn_div_s8")


def test_div_by_a_constant() -> None:
    x = np.repeat(np.arange(-128, 128), 8).astype(np.int8).reshape(256, 8)  # every numerator by every divisor
    divisor = np.array([-128, -1, 0, 1, 2, 3, 5, 127], dtype=np.int8)  # 3: the divisor's zero point
    _check(_div_model(x.shape, (8,), (0.03, 4), (0.02, 3), (0.05, -2), divisor=divisor), [x], "pycmsisnn_div_s8")


# ---------------------------------------------------------------------- ADD_N

def _add_n_model(n: int, shape: tuple[int, ...], q: tuple[float, int], qo: tuple[float, int], constant: np.ndarray | None = None) -> bytes:
    specs = [Spec(shape, np.int8, q) for _ in range(n)]
    if constant is not None:
        specs[-1] = Spec(shape, np.int8, q, constant)
    return model_of("ADD_N", specs, Spec(shape, np.int8, qo))


def _add_n_configs() -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(13)
    out = []
    for i in range(16):
        n = 2 if i < 8 else [3, 4, 5, 6, 8, 11, 15, 15][i - 8]
        zi, zo = (int(v) for v in rng.integers(-128, 128, 2))
        if i == 0:
            zi, zo = -128, 127
        if i == 15:
            zi = 0
        out.append((n, (_scale(rng, -3, 0), zi), (_scale(rng, -3, 0.5), zo)))
    return out


@pytest.mark.parametrize("n,q,qo", _add_n_configs())
def test_add_n(n: int, q: tuple[float, int], qo: tuple[float, int]) -> None:
    if n == 2:
        xs = [p.reshape(1, 256, 256) for p in PAIRS]
    else:
        rng = np.random.default_rng(n)
        xs = [rng.integers(-128, 128, size=(4, 1000)).astype(np.int8) for _ in range(n)]
        for k, x in enumerate(xs):
            x[0, :] = 127 if k % 2 else -128  # the sums at their extremes
            x[1, :] = 127
            x[2, :] = -128
    _check(_add_n_model(n, xs[0].shape, q, qo), xs, "pycmsisnn_add_n_s8")


def test_add_n_with_a_constant_input() -> None:
    a, b = (p.reshape(16, 4096 // 16 * 16) for p in PAIRS)
    c = np.arange(a.size, dtype=np.int64).astype(np.int8).reshape(a.shape)
    _check(_add_n_model(3, a.shape, (0.02, -9), (0.05, 4), constant=c), [a, b], "pycmsisnn_add_n_s8")


# ------------------------------------------------------------------- refusals

def _refusal(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as info:
        load(model)
    return str(info.value)


S = (1, 4)
Q = (0.1, 0)
REFUSALS: list[tuple[str, bytes, str]] = [
    ("log_softmax_int16", model_of("LOG_SOFTMAX", [Spec(S, np.int16, (0.001, 0))], Spec(S, np.int16, (1 / 2048, 0))),
     "LOG_SOFTMAX in int8 and float32 only"),
    ("log_softmax_output_scale", model_of("LOG_SOFTMAX", [Spec(S, np.int8, Q)], Spec(S, np.int8, (0.1, 127))), "needs 1/16 and 127"),
    ("log_softmax_output_zero_point", model_of("LOG_SOFTMAX", [Spec(S, np.int8, Q)], Spec(S, np.int8, (1 / 16, 0))), "needs 1/16 and 127"),
    ("log_softmax_long_row", model_of("LOG_SOFTMAX", [Spec((1, 4096), np.int8, Q)], Spec((1, 4096), np.int8, OUT_LSM)), "1..4095"),
    ("log_softmax_tiny_scale", model_of("LOG_SOFTMAX", [Spec(S, np.int8, (1e-9, 0))], Spec(S, np.int8, OUT_LSM)), "too small"),
    ("div_int16", model_of("DIV", [Spec(S, np.int16, (0.001, 0)), Spec(S, np.int16, (0.001, 0))], Spec(S, np.int16, (0.001, 0))),
     "DIV in float32, int32 and int8 only"),
    ("div_large_ratio", _div_model(S, S, (1.0, 0), (1e-4, 0), (1e-4, 0)), "rounding shifts would be undefined"),
    ("div_small_ratio", _div_model(S, S, (1e-6, 0), (10.0, 0), (100.0, 0)), "rounding shifts would be undefined"),
    ("div_rank_5", _div_model((1, 2, 1, 1, 3), (2, 1, 1, 1, 1), Q, Q, Q), "rank 5 is above 4"),
    ("div_no_broadcast", _div_model((2, 3), (3, 2), Q, Q, Q, out=(2, 3)), "do not broadcast"),
    ("div_tanh", _div_model(S, S, Q, Q, Q, act=4), "fused activation TANH"),
    ("add_n_int16", model_of("ADD_N", [Spec(S, np.int16, (0.001, 0))] * 2, Spec(S, np.int16, (0.001, 0))), "ADD_N in float32 and int8 only"),
    ("add_n_scales", model_of("ADD_N", [Spec(S, np.int8, Q), Spec(S, np.int8, (0.2, 0))], Spec(S, np.int8, Q)), "quantised alike"),
    ("add_n_zero_points", model_of("ADD_N", [Spec(S, np.int8, Q), Spec(S, np.int8, (0.1, 1))], Spec(S, np.int8, Q)), "quantised alike"),
    ("add_n_shapes", model_of("ADD_N", [Spec(S, np.int8, Q), Spec((1, 1), np.int8, Q)], Spec(S, np.int8, Q)), "does not broadcast"),
    ("add_n_one_input", model_of("ADD_N", [Spec(S, np.int8, Q)], Spec(S, np.int8, Q)), "two or more"),
    ("add_n_tiny_output_scale", model_of("ADD_N", [Spec(S, np.int8, Q)] * 2, Spec(S, np.int8, (1e-8, 0))), "not below 1"),
    ("add_n_overflow", model_of("ADD_N", [Spec(S, np.int8, (0.1, -128))] * 16, Spec(S, np.int8, (1.0, 0))), "int32 accumulator"),
    ("square_float_only", model_of("SQUARE", [Spec(S, np.int8, Q)], Spec(S, np.int8, Q)), "SQUARE"),
]


@pytest.mark.parametrize("name,model,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_the_reason(name: str, model: bytes, reason: str) -> None:
    assert reason in _refusal(model)
