"""arm_relu_q7 and arm_relu6_s8 against an independent numpy reference (they
act on raw int8 values and have no TensorFlow Lite counterpart), plus
validation."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from pycmsisnn.kernels.activation import UINT16_MAX, arm_relu6_s8, arm_relu_q7


def ref_relu(x: np.ndarray) -> np.ndarray:
    """Negative raw values become 0, others stay."""
    return np.where(x < 0, 0, x).astype(np.int8)


def ref_relu6(x: np.ndarray) -> np.ndarray:
    """Raw values bounded to [0, 6]."""
    wide = x.astype(np.int32)
    return np.minimum(np.maximum(wide, 0), 6).astype(np.int8)


KERNELS = [(arm_relu_q7, ref_relu), (arm_relu6_s8, ref_relu6)]
SHAPES = [(1,), (3,), (7,), (17,), (256,), (1000,), (4, 5), (1, 3, 5, 3), (2, 7, 9), (UINT16_MAX - 1,), (UINT16_MAX,)]


@pytest.mark.parametrize("fn,ref", KERNELS, ids=["relu_q7", "relu6_s8"])
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_matches_numpy_reference(fn: Callable, ref: Callable, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(int(np.prod(shape)))
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    x.reshape(-1)[0] = -128
    x.reshape(-1)[-1] = 127
    before = x.copy()
    got = fn(x)
    assert got.shape == x.shape and got.dtype == np.int8
    np.testing.assert_array_equal(got, ref(x))
    np.testing.assert_array_equal(x, before)  # the argument is left alone


@pytest.mark.parametrize("fn,ref", KERNELS, ids=["relu_q7", "relu6_s8"])
def test_every_int8_value(fn: Callable, ref: Callable) -> None:
    x = np.arange(-128, 128, dtype=np.int8)
    np.testing.assert_array_equal(fn(x), ref(x))


@pytest.mark.parametrize("fn,ref", KERNELS, ids=["relu_q7", "relu6_s8"])
def test_non_contiguous_input(fn: Callable, ref: Callable) -> None:
    x = np.random.default_rng(2).integers(-128, 128, size=(6, 8), dtype=np.int8)[:, ::2]
    np.testing.assert_array_equal(fn(x), ref(x))


@pytest.mark.parametrize("fn", [arm_relu_q7, arm_relu6_s8], ids=["relu_q7", "relu6_s8"])
@pytest.mark.parametrize(
    "data,reason",
    [
        (np.zeros(UINT16_MAX + 1, dtype=np.int8), "uint16"),
        (np.zeros((300, 300), dtype=np.int8), "uint16"),
        (np.zeros(10, dtype=np.uint8), "dtype"),
        (np.zeros(10, dtype=np.int16), "dtype"),
        (np.zeros(0, dtype=np.int8), "empty"),
        ([1, -2, 3], "numpy array"),
        (np.int8(-3), "numpy array"),
    ],
)
def test_rejects(fn: Callable, data: object, reason: str) -> None:
    with pytest.raises(ValueError, match=f"data.*{reason}"):
        fn(data)
