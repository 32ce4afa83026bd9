"""Host run time of whole models, one thread, and throughput from two threads.

    python benchmarks/threads_host.py [--runs N] [--repeat R] [MODEL.tflite ...]

(from a checkout, with PYTHONPATH=. so that its pycmsisnn is the one measured)

For each model (default: the suite's four MLPerf Tiny networks,
tests/support/mlperf_tiny.py; pass the real files to measure those):
  * single: best of R timings of N back-to-back ``Model.run`` calls, in ms per run;
  * throughput in runs/s of 1 thread, of 2 threads on two separate loaded
    models, and of 2 threads on one shared model (each thread does N runs;
    best of R), with the process's CPU/wall ratio during it. Two threads reach about 2x one thread only if the kernels run
    with the GIL released and the machine has two free cores.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.support

from pycmsisnn.runtime import Model, load  # noqa: E402
from pycmsisnn.verify import random_inputs  # noqa: E402
from tests.support import mlperf_tiny  # noqa: E402


def _throughput(models: list[Model], x: list[np.ndarray], runs: int, repeat: int) -> tuple[float, float]:
    """Runs per second of ``len(models)`` threads, thread k running ``models[k]``,
    and the process's CPU time over wall time in that best timing (above 1 only
    if threads ran C at the same time)."""
    best, busy = float("inf"), 0.0
    for _ in range(repeat):
        start = threading.Barrier(len(models) + 1)

        def work(m: Model) -> None:
            start.wait()
            for _ in range(runs):
                m.run(x)

        threads = [threading.Thread(target=work, args=(m,)) for m in models]
        for t in threads:
            t.start()
        start.wait()
        t0, c0 = time.perf_counter(), time.process_time()
        for t in threads:
            t.join()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if wall < best:
            best, busy = wall, cpu / wall
    return len(models) * runs / best, busy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    models = [(p.name, p.read_bytes()) for p in args.models] or [(a, mlperf_tiny.built(a)) for a in mlperf_tiny.ARCHITECTURES]
    print(f"{'model':<46} {'ms/run':>7} {'1 thread/s':>10} {'2 models/s':>10} {'x':>5} {'cpu':>4}"
          f" {'1 model 2 thr/s':>15} {'x':>5} {'cpu':>4}")
    for name, data in models:
        a, b = load(data), load(data)
        x = random_inputs(a.graph, np.random.default_rng(0))
        a.run(x), b.run(x)
        single = min(timeit.repeat(lambda: a.run(x), number=args.runs, repeat=args.repeat)) / args.runs * 1e3
        one, _ = _throughput([a], x, args.runs, args.repeat)
        two, two_cpu = _throughput([a, b], x, args.runs, args.repeat)
        shared, shared_cpu = _throughput([a, a], x, args.runs, args.repeat)
        print(f"{name:<46} {single:7.3f} {one:10.0f} {two:10.0f} {two / one:5.2f} {two_cpu:4.2f}"
              f" {shared:15.0f} {shared / one:5.2f} {shared_cpu:4.2f}")


if __name__ == "__main__":
    main()
