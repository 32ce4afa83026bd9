"""``Model.run_batch(..., workers=W)``: the samples shared by W threads, each
group on its own program; element for element what one thread and N single
runs give, in sample order, for any batch size."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.runtime import MIN_SAMPLES_PER_WORKER, default_workers, load
from pycmsisnn.samples import random_samples

from ..support import mlperf_tiny


def _singles(model: Any, arrays: list[np.ndarray]) -> np.ndarray:
    return np.stack([model.run([a[k] for a in arrays])[0] for k in range(len(arrays[0]))])


@pytest.mark.parametrize("arch", ["kws01", "ad01"])
@pytest.mark.parametrize("n", [17, 33, 64])
def test_workers_equal_one_thread_and_single_runs(arch: str, n: int) -> None:
    model = load(mlperf_tiny.built(arch))
    arrays = list(random_samples(model.graph, n, n).arrays)
    expected = _singles(model, arrays)
    assert len(np.unique(expected)) > 2
    for workers in (1, 2, 3):
        for _ in range(2):  # recorded, then replayed
            got = model.run_batch(arrays, workers=workers)
            assert len(got) == 1 and got[0].shape == expected.shape and got[0].dtype == expected.dtype
            np.testing.assert_array_equal(got[0], expected)


def test_workers_with_small_batch_size() -> None:
    """Groups of batch_size samples, spread over the threads: 29 samples in groups of 4."""
    model = load(mlperf_tiny.built("kws01"))
    arrays = list(random_samples(model.graph, 29, 3).arrays)
    expected = _singles(model, arrays)
    np.testing.assert_array_equal(model.run_batch(arrays, batch_size=4, workers=3)[0], expected)
    np.testing.assert_array_equal(model.run_batch(arrays, batch_size=1, workers=2)[0], expected)


def test_groups_run_on_worker_threads() -> None:
    """With enough samples every worker takes a contiguous group; with fewer than
    MIN_SAMPLES_PER_WORKER per thread the calling thread runs them all."""
    model = load(mlperf_tiny.built("kws01"))
    seen: list[tuple[int, int]] = []
    run_chunk = model._run_chunk

    def spy(xs: list[np.ndarray], n: int) -> list[np.ndarray]:
        seen.append((threading.get_ident(), n))
        return run_chunk(xs, n)

    model._run_chunk = spy  # type: ignore[method-assign]
    n = 4 * MIN_SAMPLES_PER_WORKER + 3
    arrays = list(random_samples(model.graph, n, 1).arrays)
    expected = _singles(model, arrays)
    np.testing.assert_array_equal(model.run_batch(arrays, workers=4)[0], expected)
    assert sorted(size for _, size in seen) == [n // 4, n // 4 + 1, n // 4 + 1, n // 4 + 1]
    assert threading.get_ident() not in {ident for ident, _ in seen}
    seen.clear()
    few = list(random_samples(model.graph, 2 * MIN_SAMPLES_PER_WORKER - 1, 2).arrays)
    np.testing.assert_array_equal(model.run_batch(few, workers=2)[0], _singles(model, few))
    assert seen == [(threading.get_ident(), 2 * MIN_SAMPLES_PER_WORKER - 1)]


def test_concurrent_batches_from_two_threads() -> None:
    """Two threads each running threaded batches on one shared model."""
    model = load(mlperf_tiny.built("kws01"))
    inputs = [list(random_samples(model.graph, 40, seed).arrays) for seed in (5, 6)]
    expected = [_singles(model, a) for a in inputs]
    got: dict[int, list[np.ndarray]] = {}

    def work(k: int) -> None:
        got[k] = [model.run_batch(inputs[k], workers=2)[0] for _ in range(3)]

    threads = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in (0, 1):
        for g in got[k]:
            np.testing.assert_array_equal(g, expected[k])


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_bad_workers_refused(workers: Any) -> None:
    model = load(mlperf_tiny.built("ad01"))
    arrays = list(random_samples(model.graph, 3, 0).arrays)
    with pytest.raises(ArgError, match=r"run_batch: workers must be a positive integer, got"):
        model.run_batch(arrays, workers=workers)


def test_default_workers() -> None:
    assert default_workers() >= 1
    model = load(mlperf_tiny.built("ad01"))
    arrays = list(random_samples(model.graph, 20, 4).arrays)
    np.testing.assert_array_equal(model.run_batch(arrays)[0], _singles(model, arrays))
    empty = model.run_batch([a[:0] for a in arrays])
    assert empty[0].shape == (0, *model.outputs[0].shape)
