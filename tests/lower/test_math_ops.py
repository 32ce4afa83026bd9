"""ABS, RSQRT, L2_NORMALIZATION, ELU, PRELU, SQUARED_DIFFERENCE and int16
MINIMUM / MAXIMUM (``pycmsisnn.lower.math_ops``, ``pycmsisnn_math_ops.h``) run
whole through ``pycmsisnn.runtime`` against TensorFlow Lite Micro, element for
element, on hand-built single-operator models (``tests/support/handmade.py``).

Unary int8 operators see all 256 input values, unary int16 ones all 65,536
(RSQRT: every value at or above the zero point), at random input and output
scales and zero points; the binary ones random data (holding both extremes) in
broadcast shapes; PRELU alphas of several shapes. And the refusals, by reason.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import load
from tests.support.handmade import Spec, model_of
from tests.support.tflm import run_tflm

ALL8 = np.arange(-128, 128, dtype=np.int8)
ALL16 = np.arange(-32768, 32768, dtype=np.int32).astype(np.int16)


def _f32(x: float) -> float:
    return float(np.float32(x))


def _scale(rng: np.random.Generator, lo: float, hi: float) -> float:
    return _f32(10 ** rng.uniform(lo, hi))


def _random(rng: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    info = np.iinfo(dtype)
    x = rng.integers(int(info.min), int(info.max) + 1, size=shape).astype(dtype)
    flat = x.reshape(-1)
    flat[0], flat[-1] = info.min, info.max
    return x


def _kernels(model: bytes) -> set[str]:
    return {c.kernel for c in load(model).plan.calls}


def _check(model: bytes, inputs: list[np.ndarray], kernel: str) -> None:
    m = load(model)
    assert kernel in {c.kernel for c in m.plan.calls}
    (expected,) = run_tflm(model, inputs)
    (got,) = m.run(inputs)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected.reshape(got.shape))


# ------------------------------------------------------------------- unary

def _unary_configs(n: int, seed: int, s16: bool) -> list[tuple[float, int, float, int]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        if s16:
            out.append((_scale(rng, -5, -2), 0, _scale(rng, -5, -2), 0))
        else:
            zi, zo = (int(v) for v in rng.integers(-128, 128, 2))
            if i == 0:
                zi, zo = -128, -128
            if i == 1:
                zi, zo = 127, 127
            out.append((_scale(rng, -3, 0), zi, _scale(rng, -3, 0), zo))
    return out


ABS8 = _unary_configs(20, 1, False)
ABS16 = _unary_configs(8, 2, True)


@pytest.mark.parametrize("si,zi,so,zo", ABS8)
def test_abs_s8_every_value(si: float, zi: int, so: float, zo: int) -> None:
    x = ALL8.reshape(1, 16, 16)
    _check(model_of("ABS", [Spec(x.shape, np.int8, (si, zi))], Spec(x.shape, np.int8, (so, zo))), [x], "pycmsisnn_abs_s8")


@pytest.mark.parametrize("si,zi,so,zo", ABS16)
def test_abs_s16_every_value(si: float, zi: int, so: float, zo: int) -> None:
    x = ALL16.reshape(1, 256, 256)
    _check(model_of("ABS", [Spec(x.shape, np.int16, (si, 0))], Spec(x.shape, np.int16, (so, 0))), [x], "pycmsisnn_abs_s16")


RSQRT8 = _unary_configs(16, 3, False)
RSQRT16 = _unary_configs(8, 4, True)


@pytest.mark.parametrize("si,zi,so,zo", RSQRT8)
def test_rsqrt_s8_every_valid_value(si: float, zi: int, so: float, zo: int) -> None:
    x = np.arange(zi, 128, dtype=np.int8).reshape(1, -1)
    _check(model_of("RSQRT", [Spec(x.shape, np.int8, (si, zi))], Spec(x.shape, np.int8, (so, zo))), [x], "pycmsisnn_rsqrt_s8")


@pytest.mark.parametrize("si,zi,so,zo", RSQRT16)
def test_rsqrt_s16_every_valid_value(si: float, zi: int, so: float, zo: int) -> None:
    x = np.arange(0, 32768, dtype=np.int16).reshape(1, 128, 256)
    _check(model_of("RSQRT", [Spec(x.shape, np.int16, (si, 0))], Spec(x.shape, np.int16, (so, 0))), [x], "pycmsisnn_rsqrt_s16")


def test_rsqrt_below_the_zero_point_fails_like_tflm() -> None:
    x = np.array([[5, 2, 3]], dtype=np.int8)
    m = load(model_of("RSQRT", [Spec(x.shape, np.int8, (0.1, 3))], Spec(x.shape, np.int8, (0.1, 0))))
    with pytest.raises(Exception, match="pycmsisnn_rsqrt_s8"):
        m.run([x])


ELU8 = _unary_configs(20, 5, False)


@pytest.mark.parametrize("si,zi,so,zo", ELU8)
def test_elu_s8_every_value(si: float, zi: int, so: float, zo: int) -> None:
    si = _f32(si * 10)  # reach far into the saturated negative side
    x = ALL8.reshape(2, 8, 16)
    _check(model_of("ELU", [Spec(x.shape, np.int8, (si, zi))], Spec(x.shape, np.int8, (so, zo))), [x], "pycmsisnn_lut_s8")


def _l2_configs() -> list[tuple[tuple[int, ...], float, int]]:
    rng = np.random.default_rng(6)
    shapes = [(1, 1), (4, 1), (1, 2), (3, 5), (2, 7, 3), (1, 2, 3, 16), (5, 64), (1, 300), (2, 2, 2, 2)]
    return [(shapes[i % len(shapes)], _scale(rng, -3, 0), int(rng.integers(-128, 128))) for i in range(16)]


@pytest.mark.parametrize("shape,si,zi", _l2_configs())
def test_l2_normalization_s8(shape: tuple[int, ...], si: float, zi: int) -> None:
    rng = np.random.default_rng(len(shape) * 1000 + zi)
    x = _random(rng, shape, np.int8)
    x.reshape(-1, shape[-1])[0, :] = zi  # an all-zero row
    model = model_of("L2_NORMALIZATION", [Spec(shape, np.int8, (si, zi))], Spec(shape, np.int8, (1 / 128, 0)))
    _check(model, [x], "pycmsisnn_l2_normalization_s8")


# ------------------------------------------------------------------ binary

BROADCASTS: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((1, 4, 5, 3), (1, 4, 5, 3)), ((2, 3, 4), (4,)), ((1, 1, 1, 6), (2, 3, 4, 1)), ((3, 1, 5), (1, 4, 1)),
    ((5,), (1,)), ((1,), (3, 7)), ((2, 1, 3, 1), (1, 4, 1, 5)), ((16, 16), (16, 16)),
]


def _out_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(a, b))


def _sqd_configs(n: int, seed: int, s16: bool) -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        a, b = BROADCASTS[i % len(BROADCASTS)]
        if s16:
            out.append((a, b, True, _scale(rng, -5, -3), 0, _scale(rng, -5, -3), 0, _scale(rng, -5, -1), 0))
        else:
            z = [int(v) for v in rng.integers(-128, 128, 3)]
            s1 = _scale(rng, -3, -1)
            s2 = s1 if i % 4 == 0 else _scale(rng, -3, -1)
            out.append((a, b, False, s1, z[0], s2, z[1], _scale(rng, -3, 0), z[2]))
    return out


@pytest.mark.parametrize("a,b,s16,s1,z1,s2,z2,so,zo", _sqd_configs(16, 7, False) + _sqd_configs(10, 8, True))
def test_squared_difference(a: tuple[int, ...], b: tuple[int, ...], s16: bool, s1: float, z1: int, s2: float, z2: int, so: float,
                            zo: int) -> None:
    dtype = np.int16 if s16 else np.int8
    rng = np.random.default_rng(int(s1 * 1e9) % 1000)
    x, y = _random(rng, a, dtype), _random(rng, b, dtype)
    model = model_of("SQUARED_DIFFERENCE", [Spec(a, dtype, (s1, z1)), Spec(b, dtype, (s2, z2))], Spec(_out_shape(a, b), dtype, (so, zo)))
    kernel = "pycmsisnn_squared_difference_s16" if dtype == np.int16 else "pycmsisnn_squared_difference_s8"
    _check(model, [x, y], kernel)


ALPHA_SHAPES: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((1, 4, 4, 3), (3,)), ((1, 4, 4, 3), (1, 1, 3)), ((1, 4, 4, 3), (4, 4, 3)), ((2, 5, 6), (6,)),
    ((1, 16, 16), (1,)), ((3, 7), (3, 7)), ((1, 2, 3, 4), (2, 1, 4)), ((1, 256), (256,)),
]


def _prelu_configs(n: int, seed: int, s16: bool) -> list[tuple[Any, ...]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        xs, al = ALPHA_SHAPES[i % len(ALPHA_SHAPES)]
        za = int(rng.integers(-128, 128))
        if s16:
            out.append((xs, al, True, _scale(rng, -5, -2), 0, _scale(rng, -3, 0), za, _scale(rng, -5, -2), 0))
        else:
            zi, zo = (int(v) for v in rng.integers(-128, 128, 2))
            out.append((xs, al, False, _scale(rng, -3, 0), zi, _scale(rng, -3, 0), za, _scale(rng, -3, 0), zo))
    return out


@pytest.mark.parametrize("xs,al,s16,si,zi,sa,za,so,zo", _prelu_configs(16, 9, False) + _prelu_configs(10, 10, True))
def test_prelu(xs: tuple[int, ...], al: tuple[int, ...], s16: bool, si: float, zi: int, sa: float, za: int, so: float, zo: int) -> None:
    dtype = np.int16 if s16 else np.int8
    rng = np.random.default_rng(int(si * 1e9) % 1000)
    x = _random(rng, xs, dtype)
    if x.size >= 256 and not s16:
        x.reshape(-1)[:256] = ALL8
    alpha = _random(rng, al, np.int8)
    model = model_of("PRELU", [Spec(xs, dtype, (si, zi)), Spec(al, np.int8, (sa, za), alpha)], Spec(xs, dtype, (so, zo)))
    _check(model, [x], "pycmsisnn_prelu_s16" if s16 else "pycmsisnn_prelu_s8")


@pytest.mark.parametrize("opname", ["MINIMUM", "MAXIMUM"])
@pytest.mark.parametrize("a,b", BROADCASTS[:6])
def test_min_max_s16(opname: str, a: tuple[int, ...], b: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(a) + 10 * len(b))
    x, y = _random(rng, a, np.int16), _random(rng, b, np.int16)
    q = (_scale(rng, -5, -2), 0)
    model = model_of(opname, [Spec(a, np.int16, q), Spec(b, np.int16, q)], Spec(_out_shape(a, b), np.int16, q))
    _check(model, [x, y], f"pycmsisnn_{opname.lower()}_s16")


# ---------------------------------------------------------------- refusals

def _refusal(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as info:
        load(model)
    return str(info.value)


S = (1, 4)
REFUSALS: list[tuple[str, bytes, str]] = [
    ("elu_int16", model_of("ELU", [Spec(S, np.int16, (0.001, 0))], Spec(S, np.int16, (0.001, 0))), "runs ELU in int8 and float32 only"),
    ("l2_int16", model_of("L2_NORMALIZATION", [Spec(S, np.int16, (0.001, 0))], Spec(S, np.int16, (1 / 32768, 0))), "L2_NORMALIZATION in int8"),
    ("l2_relu", model_of("L2_NORMALIZATION", [Spec(S, np.int8, (0.1, 0))], Spec(S, np.int8, (1 / 128, 0)),
                         ("L2NormOptions", {"fusedActivationFunction": 1})), "fused activation RELU"),
    ("abs_int16_zero_point", model_of("ABS", [Spec(S, np.int16, (0.001, 3))], Spec(S, np.int16, (0.001, 0))), "zero point 3"),
    ("rsqrt_mixed", model_of("RSQRT", [Spec(S, np.int8, (0.1, 0))], Spec(S, np.int16, (0.001, 0))), "needs int8"),
    ("prelu_int16_alpha", model_of("PRELU", [Spec(S, np.int8, (0.1, 0)), Spec(S, np.int16, (0.1, 0), np.ones(S, np.int16))],
                                   Spec(S, np.int8, (0.1, 0))), "alpha"),
    ("sqd_no_broadcast", model_of("SQUARED_DIFFERENCE", [Spec((2, 3), np.int8, (0.1, 0)), Spec((3, 2), np.int8, (0.1, 0))],
                                  Spec((2, 3), np.int8, (0.1, 0))), "do not broadcast"),
    ("sqd_int16_zero_point", model_of("SQUARED_DIFFERENCE", [Spec(S, np.int16, (0.001, 2)), Spec(S, np.int16, (0.001, 0))],
                                      Spec(S, np.int16, (0.001, 0))), "zero point 2"),
    ("min_int16_scales", model_of("MINIMUM", [Spec(S, np.int16, (0.001, 0)), Spec(S, np.int16, (0.002, 0))],
                                  Spec(S, np.int16, (0.001, 0))), "share one quantisation"),
    ("sqrt_float_only", model_of("SQRT", [Spec(S, np.int8, (0.1, 0))], Spec(S, np.int8, (0.1, 0))), "SQRT"),
    ("div_int16", model_of("DIV", [Spec(S, np.int16, (0.1, 0)), Spec(S, np.int16, (0.1, 0))], Spec(S, np.int16, (0.1, 0))), "DIV"),
]


@pytest.mark.parametrize("name,model,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_the_reason(name: str, model: bytes, reason: str) -> None:
    assert reason in _refusal(model)
