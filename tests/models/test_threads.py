"""One loaded model run from several threads at once gives, for every input,
exactly what a single thread gives (issue 9: the replayed kernel calls used
to share their scratch buffers between threads, silently corrupting outputs).

The suite's ResNet-8 and DS-CNN networks end in a softmax that hardly moves
with random inputs, so each run is compared on every tensor it produces (each
layer's output, the model's outputs included), not on the outputs alone."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from pycmsisnn.kernels import convolution
from pycmsisnn.kernels._binding import recording
from pycmsisnn.params import ConvParams, PerChannelQuant, Tile
from pycmsisnn.runtime import Model, RunResult, load
from pycmsisnn.verify import random_inputs
from tests.support import mlperf_tiny

THREADS = 4
RUNS = 200


def _inputs(model: Model, seed: int) -> list[list[list[np.ndarray]]]:
    """Per thread, RUNS different inputs."""
    rng = np.random.default_rng(seed)
    return [[random_inputs(model.graph, rng) for _ in range(RUNS)] for _ in range(THREADS)]


def _tensors(model: Model, x: list[np.ndarray]) -> dict[int, np.ndarray]:
    """Every tensor a run of ``model`` on ``x`` produces, by index (its outputs
    checked to be the ones ``run`` returns)."""
    result = model.run(x, intermediates=True)
    assert isinstance(result, RunResult)
    for index, out in zip(model.graph.outputs, result.outputs):
        assert np.array_equal(out, result.tensors[index])
    return dict(result.tensors)


@pytest.mark.parametrize("arch", ["ic01", "kws01"])
def test_one_model_from_four_threads_equals_one_thread(arch: str) -> None:
    data = mlperf_tiny.built(arch)
    reference = load(data)
    shared = load(data)  # fresh: the threads also race on its first (recording) run
    inputs = _inputs(reference, seed=9)
    expected = [[_tensors(reference, x) for x in per_thread] for per_thread in inputs]
    # Every run's tensors differ from every other's: a thread reading another's
    # data cannot go unnoticed.
    assert len({b"".join(v.tobytes() for v in e.values()) for per_thread in expected for e in per_thread}) == THREADS * RUNS
    assert all(len(e) == len(reference.plan.calls) + 1 for per_thread in expected for e in per_thread)

    got: list[list[dict[int, np.ndarray]]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(t: int) -> None:
        try:
            start.wait()
            for x in inputs[t]:
                got[t].append(_tensors(shared, x))
        except BaseException as e:  # noqa: BLE001  (reported by the main thread)
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors

    wrong = [(t, r) for t in range(THREADS) for r in range(RUNS)
             if got[t][r].keys() != expected[t][r].keys()
             or any(not np.array_equal(got[t][r][i], expected[t][r][i]) for i in expected[t][r])]
    assert len(got[0]) == RUNS and all(len(g) == RUNS for g in got)
    assert wrong == [], f"{arch}: {len(wrong)} of {THREADS * RUNS} runs differ from the single-threaded result, first {wrong[:5]}"


def test_kernels_run_with_the_gil_released() -> None:
    """While one thread is inside a kernel call (replayed, as the runtime
    does), another thread keeps running Python: the call holds no GIL.

    Were the GIL held, the spinning main thread could not take a single tick
    between the moment the worker enters the call and the moment it returns,
    however fast or slow the kernel is. The worker makes several calls; in at
    least one of them the main thread must tick throughout (no gap longer than
    half the call). Nothing here depends on how long a call takes."""
    rng = np.random.default_rng(1)
    x = rng.integers(-128, 128, (1, 128, 128, 64), dtype=np.int8)
    w = rng.integers(-128, 128, (128, 3, 3, 64), dtype=np.int8)
    p = ConvParams(input_offset=0, output_offset=0, stride=Tile(1, 1), padding=Tile(1, 1))
    q = PerChannelQuant((1 << 30,) * 128, (-10,) * 128)
    with recording([x]) as rec:
        expected = convolution.arm_convolve_wrapper_s8(p, q, x, w, None, (1, 128, 128, 128))
    bound = rec.bound
    assert bound is not None

    calls = 8
    windows: list[tuple[float, float]] = []
    results: list[np.ndarray] = []
    started = threading.Event()

    def worker() -> None:
        started.wait()
        for _ in range(calls):
            t0 = time.perf_counter()
            results.append(bound(x))
            windows.append((t0, time.perf_counter()))

    ticks: list[float] = []
    th = threading.Thread(target=worker)
    th.start()
    started.set()
    while th.is_alive():
        ticks.append(time.perf_counter())
    th.join()
    assert len(results) == calls
    for r in results:
        np.testing.assert_array_equal(r, expected)

    def stall_fraction(t0: float, t1: float) -> float:
        inside = [t0] + [t for t in ticks if t0 < t < t1] + [t1]
        return max(b - a for a, b in zip(inside, inside[1:])) / (t1 - t0)

    fractions = sorted(stall_fraction(t0, t1) for t0, t1 in windows)
    assert fractions[0] < 0.5, (
        f"in every one of {calls} kernel calls the main thread stood still for at least "
        f"{fractions[0]:.0%} of the call: the GIL was held (fractions {[round(f, 2) for f in fractions]})"
    )
