"""Host throughput on a data set of N = 64 samples: pycmsisnn's per-sample
loop (``Model.run`` per sample), ``Model.run_batch`` (the 64 in one call, in
the calling thread: ``workers=1``), ``run_batch_threads`` (the same on the
default number of worker threads, one per CPU), TensorFlow Lite's
BUILTIN_REF interpreter sample by sample, and one single ``Model.run``
against one BUILTIN_REF invoke.

    python -m pytest benchmarks/test_batch_host.py --benchmark-only \\
        --benchmark-group-by=param:mlperf --benchmark-columns=min,median,rounds \\
        --benchmark-timer=time.thread_time

(``time.thread_time``: CPU time of the measuring thread, steadier than wall
time on a loaded machine; every engine but ``run_batch_threads`` runs in that
thread. ``run_batch_threads`` runs on other threads, which thread time does
not see: measure it, and the others to compare, with wall time,
``--benchmark-timer=time.perf_counter``, on an otherwise idle machine.)
Compare within one group (one model): the ratios are what count. The suite's
MLPerf Tiny networks always; the real files with ``--models-dir DIR``.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

from pycmsisnn.runtime import load
from pycmsisnn.samples import random_samples

from tests.support.mlperf_tiny import MlperfModel

N = 64


def _builtin_ref(data: bytes):  # noqa: ANN202 - a tf.lite.Interpreter
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    interp = tf.lite.Interpreter(
        model_content=data, experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF, num_threads=1
    )
    interp.allocate_tensors()
    return interp


@pytest.mark.parametrize("engine", ["loop", "run_batch", "run_batch_threads", "builtin_ref_loop", "single", "builtin_ref_single"])
def test_dataset(benchmark, mlperf: MlperfModel, engine: str) -> None:  # noqa: ANN001
    data = mlperf.data
    model = load(data)
    samples = random_samples(model.graph, N, 0)
    arrays = list(samples.arrays)
    inputs = [samples.inputs(k) for k in range(N)]
    expected = np.stack([model.run(x)[0] for x in inputs])
    if engine == "loop":
        y = benchmark(lambda: np.stack([model.run(x)[0] for x in inputs]))
    elif engine == "run_batch":
        y = benchmark(lambda: model.run_batch(arrays, workers=1)[0])
    elif engine == "run_batch_threads":
        y = benchmark(lambda: model.run_batch(arrays)[0])
    elif engine == "single":
        y = benchmark(lambda: model.run(inputs[0])[0])[np.newaxis]
        expected = expected[:1]
    else:
        interp = _builtin_ref(data)
        inp, out = interp.get_input_details()[0]["index"], interp.get_output_details()[0]["index"]

        def ref(x: np.ndarray) -> np.ndarray:
            interp.set_tensor(inp, x)
            interp.invoke()
            return interp.get_tensor(out)

        if engine == "builtin_ref_single":
            y = benchmark(lambda: ref(inputs[0][0]))[np.newaxis]
            expected = expected[:1]
        else:
            y = benchmark(lambda: np.stack([ref(x[0]) for x in inputs]))
        assert y.shape == expected.shape
        return
    np.testing.assert_array_equal(y, expected)
