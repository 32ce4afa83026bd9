"""Replayed (bound) kernel calls give exactly what the wrappers give."""
from __future__ import annotations


import numpy as np

from pycmsisnn.kernels import convolution, elementwise
from pycmsisnn.kernels._binding import recording
from pycmsisnn.params import ConvParams, PerChannelQuant, Tile
from pycmsisnn.quant import add_params
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from .support import mlperf_tiny



def test_bound_conv_equals_the_wrapper_on_new_data() -> None:
    rng = np.random.default_rng(0)
    w = rng.integers(-128, 128, (5, 3, 3, 4), dtype=np.int8)
    b = rng.integers(-500, 500, 5, dtype=np.int32)
    p = ConvParams(input_offset=7, output_offset=-3, stride=Tile(2, 1), padding=Tile(1, 1))
    q = PerChannelQuant((1 << 30,) * 5, (-6,) * 5)
    x0 = rng.integers(-128, 128, (1, 8, 6, 4), dtype=np.int8)
    with recording([x0]) as rec:
        convolution.arm_convolve_wrapper_s8(p, q, x0, w, b, (1, 8, 3, 5))
    assert rec.bound is not None
    for _ in range(5):
        x = rng.integers(-128, 128, (1, 8, 6, 4), dtype=np.int8)
        np.testing.assert_array_equal(rec.bound(x), convolution.arm_convolve_wrapper_s8(p, q, x, w, b, (1, 8, 3, 5)))


def test_nothing_is_bound_when_a_dynamic_array_is_passed_twice() -> None:
    x = np.arange(-64, 64, dtype=np.int8)
    params = add_params(0.1, 0, 0.1, 0, 0.2, 0)
    with recording([x, x]) as rec:
        elementwise.arm_elementwise_add_s8(x, x, params)
    assert rec.bound is None


def test_bound_calls_reject_a_wrong_shape() -> None:
    x0 = np.zeros(16, dtype=np.int8)
    params = add_params(0.1, 0, 0.1, 0, 0.2, 0)
    y = np.ones(16, dtype=np.int8)
    with recording([x0, y]) as rec:
        elementwise.arm_elementwise_add_s8(x0, y, params)
    assert rec.bound is not None
    try:
        rec.bound(np.zeros(8, dtype=np.int8), y)
    except ValueError as exc:
        assert "bound call expects int8[16]" in str(exc)
    else:
        raise AssertionError("a wrong shape must be refused")


def test_model_runs_repeat_exactly_after_binding() -> None:
    model = load(mlperf_tiny.built("vww01"))
    rng = np.random.default_rng(3)
    xs = [random_inputs(model.graph, rng) for _ in range(3)]
    first = [model.run(x)[0] for x in xs]  # the first run records, later runs replay
    assert len(model._tables) == 1  # one thread reuses one table of bound calls
    assert sum(b is not None for b in model._tables[0]) >= len(model.plan.calls) - 1
    for x, y in zip(xs, first):
        np.testing.assert_array_equal(model.run(x)[0], y)


def test_non_contiguous_inputs_stay_alive_through_the_call() -> None:
    """Strided inputs are copied to contiguous buffers for C; each copy must
    live until the kernel has read it (a freed first copy is reused by the
    second, and the kernel then reads input_2's values as input_1's)."""
    rng = np.random.default_rng(4)
    params = add_params(0.1, 3, 0.07, -2, 0.2, 5)
    for _ in range(200):
        a = rng.integers(-128, 128, 2 * 257, dtype=np.int8)
        b = rng.integers(-128, 128, 2 * 257, dtype=np.int8)
        strided = elementwise.arm_elementwise_add_s8(a[::2], b[1::2], params)
        contiguous = elementwise.arm_elementwise_add_s8(a[::2].copy(), b[1::2].copy(), params)
        np.testing.assert_array_equal(strided, contiguous)
