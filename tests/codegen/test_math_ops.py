"""Generated C of every kernel of ``pycmsisnn_math_ops.h`` compiled on the
host and compared with the host runtime and TensorFlow Lite Micro, on
single-operator models (``tests/support/handmade.py``)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from tests.support.handmade import Spec, model_of

from .host import build_host_model, output_specs

S8, S16 = np.int8, np.int16
Q8, Q8B, Q16, Q16B = (0.05, 3), (0.03, -7), (0.0004, 0), (0.0007, 0)
A = (1, 3, 5, 4)


def _unary(op: str, dtype: type, qi: tuple[float, int], qo: tuple[float, int], shape: tuple[int, ...] = A) -> bytes:
    return model_of(op, [Spec(shape, dtype, qi)], Spec(shape, dtype, qo))


def _binary(op: str, dtype: type, q1: tuple[float, int], q2: tuple[float, int], qo: tuple[float, int], b: tuple[int, ...] = (4,)) -> bytes:
    return model_of(op, [Spec(A, dtype, q1), Spec(b, dtype, q2)], Spec(A, dtype, qo))


def _prelu(dtype: type, qi: tuple[float, int], qo: tuple[float, int]) -> bytes:
    alpha = np.array([-100, -3, 50, 127], dtype=np.int8)
    return model_of("PRELU", [Spec(A, dtype, qi), Spec((4,), S8, (0.01, 5), alpha)], Spec(A, dtype, qo))


# kernel -> (model maker, lowest valid input value)
MODELS: dict[str, tuple[Callable[[], bytes], int]] = {
    "pycmsisnn_abs_s8": (lambda: _unary("ABS", S8, Q8, Q8B), -128),
    "pycmsisnn_abs_s16": (lambda: _unary("ABS", S16, Q16, Q16B), -32768),
    "pycmsisnn_rsqrt_s8": (lambda: _unary("RSQRT", S8, Q8, Q8B), 3),
    "pycmsisnn_rsqrt_s16": (lambda: _unary("RSQRT", S16, Q16, Q16B), 0),
    "pycmsisnn_l2_normalization_s8": (lambda: _unary("L2_NORMALIZATION", S8, Q8, (1 / 128, 0)), -128),
    "pycmsisnn_lut_s8": (lambda: _unary("ELU", S8, Q8, Q8B), -128),
    "pycmsisnn_prelu_s8": (lambda: _prelu(S8, Q8, Q8B), -128),
    "pycmsisnn_prelu_s16": (lambda: _prelu(S16, Q16, Q16B), -32768),
    "pycmsisnn_squared_difference_s8": (lambda: _binary("SQUARED_DIFFERENCE", S8, Q8, Q8B, (0.02, -100)), -128),
    "pycmsisnn_squared_difference_s16": (lambda: _binary("SQUARED_DIFFERENCE", S16, Q16, Q16B, (0.001, 0)), -32768),
    "pycmsisnn_minimum_s16": (lambda: _binary("MINIMUM", S16, Q16, Q16, Q16, (5, 1)), -32768),
    "pycmsisnn_maximum_s16": (lambda: _binary("MAXIMUM", S16, Q16, Q16, Q16, (3, 1, 4)), -32768),
    "pycmsisnn_log_softmax_s8": (lambda: _unary("LOG_SOFTMAX", S8, Q8, (1 / 16, 127)), -128),
    "pycmsisnn_div_s8": (lambda: _binary("DIV", S8, Q8, Q8B, (0.02, -100), (5, 1)), -128),
    "pycmsisnn_add_n_s8": (lambda: model_of("ADD_N", [Spec(A, S8, Q8)] * 3, Spec(A, S8, (0.08, 10))), -128),
}


def math_ops_models() -> list[bytes]:
    """Every model above (the emitter coverage test loads them)."""
    return [make() for make, _ in MODELS.values()]


@pytest.mark.parametrize("kernel", list(MODELS))
def test_math_kernel_in_c_is_exact(kernel: str, tmp_path: Path, host_kernels: Path) -> None:
    make, lowest = MODELS[kernel]
    data = make()
    model = load(data)
    assert kernel in {c.kernel for c in model.plan.calls}
    host = build_host_model(model, tmp_path, host_kernels, target="cortex-m33")
    tflm = TflmRunner(data)
    rng = np.random.default_rng(len(kernel))
    for sample in range(2):
        x = []
        for t in (model.graph.tensor(i) for i in model.graph.inputs):
            info = np.iinfo(t.dtype)
            x.append(rng.integers(lowest, int(info.max) + 1, size=t.shape).astype(t.dtype))
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        for c, e, r in zip(ours, expected, tflm.run(x, len(expected))):
            np.testing.assert_array_equal(c, e, err_msg=f"{kernel}: C vs host runtime, sample {sample}")
            np.testing.assert_array_equal(c, np.asarray(r).reshape(c.shape), err_msg=f"{kernel}: C vs TFLite Micro, sample {sample}")
