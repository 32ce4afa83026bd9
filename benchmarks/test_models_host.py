"""Whole-model host inference time, one run, same input: pycmsisnn's host
runtime, TensorFlow Lite Micro's Python interpreter, and TensorFlow Lite's
BUILTIN_REF (reference kernels) interpreter.

    python -m pytest benchmarks/test_models_host.py --benchmark-only \
        --benchmark-group-by=param:mlperf --benchmark-columns=min,median,rounds

Compare within one group (one model): the ratios are what count. The suite's
MLPerf Tiny networks always; the real files with ``--models-dir DIR``.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from tests.support.mlperf_tiny import MlperfModel


def _builtin_ref(data: bytes):  # noqa: ANN202 - a tf.lite.Interpreter
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    interp = tf.lite.Interpreter(
        model_content=data, experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF, num_threads=1
    )
    interp.allocate_tensors()
    return interp


@pytest.mark.parametrize("engine", ["pycmsisnn", "tflm", "tflite_builtin_ref"])
def test_model(benchmark, mlperf: MlperfModel, engine: str) -> None:  # noqa: ANN001
    data = mlperf.data
    model = load(data)
    x = random_inputs(model.graph, np.random.default_rng(0))
    expected = model.run(x)[0]
    if engine == "pycmsisnn":
        y = benchmark(lambda: model.run(x)[0])
    elif engine == "tflm":
        tflm = TflmRunner(data)
        y = benchmark(lambda: tflm.run(x, 1)[0])
    else:
        interp = _builtin_ref(data)
        inp, out = interp.get_input_details()[0]["index"], interp.get_output_details()[0]["index"]

        def run() -> np.ndarray:
            interp.set_tensor(inp, x[0])
            interp.invoke()
            return interp.get_tensor(out)

        y = benchmark(run)
    assert y.shape == expected.shape
    if engine == "tflm":
        np.testing.assert_array_equal(y, expected)
