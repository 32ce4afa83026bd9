"""The real TFLM worker with a fault injected, for the crash tests.

usage: faulty_tflm_worker.py WORKER_FILE FAULT WHEN (serve FD_IN FD_OUT | arena ...)

WORKER_FILE is ``pycmsisnn/tflm_worker.py``, loaded by path and run as usual
except that at WHEN (``start``: before anything; ``load``, ``run``: on that
request) it meets FAULT: ``abort`` (``os.abort()``, SIGABRT), ``segv`` (a
read of address 0, SIGSEGV), ``hang`` (sleeps for an hour), ``exit`` (a
Python error escaping the worker: exit status 1).
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import time
from typing import Any


def fault(kind: str) -> None:
    if kind == "abort":
        os.abort()
    if kind == "segv":
        ctypes.string_at(0)
    if kind == "hang":
        time.sleep(3600)
    if kind == "exit":
        raise SystemExit("worker gave up: injected fault")
    raise ValueError(f"unknown fault {kind}")


def main(argv: list[str]) -> int:
    worker_file, kind, when, *rest = argv
    spec = importlib.util.spec_from_file_location("tflm_worker", worker_file)
    assert spec is not None and spec.loader is not None
    worker: Any = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = worker  # its dataclasses look their module up
    spec.loader.exec_module(worker)
    if when == "start":
        fault(kind)

    class Faulty(worker.Session):  # type: ignore[misc, name-defined]
        def load(self, req: Any) -> Any:
            if when == "load":
                fault(kind)
            return super().load(req)

        def run(self, req: Any) -> Any:
            if when == "run":
                fault(kind)
            return super().run(req)

    if rest[:1] == ["serve"]:
        worker.serve(int(rest[1]), int(rest[2]), Faulty())
        return 0
    return int(worker.main(rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
