"""A fuzzing worker: runs ``pycmsisnn.cli.main`` in-process on a batch of
(file, command) jobs and writes one JSON line per job as it goes, so that the
runner can pin a crash or a hang on the job in flight.

    python -m tests.fuzz.worker JOBS.json RESULTS.jsonl [--memory-mb N] [--measure]

``JOBS.json`` is a list of ``{"file": PATH, "command": "inspect" | "verify" |
"convert"}``. Each call's stdout and stderr (the C libraries' included) go to
``RESULTS.jsonl.out`` / ``.err``, overwritten per job; a job that kills the
worker leaves its stderr there for the runner. An exception escaping ``main``
is what the command line would show as a traceback (exit status 1).
Without ``--measure`` ``convert`` estimates code size instead of building
the project with the cross compiler (seconds per file).
"""
from __future__ import annotations

import argparse
import ctypes
import faulthandler
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

TRACEBACK = "Traceback (most recent call last)"


def argv_for(command: str, path: str, out_dir: str) -> list[str]:
    """The command line of one job (the cheap forms: one verify sample, host only)."""
    if command == "inspect":
        return ["inspect", path]
    if command == "verify":
        return ["verify", path, "--target", "host", "--samples", "1"]
    if command == "convert":
        return ["convert", path, "-o", out_dir]
    raise ValueError(f"unknown fuzz command {command!r}")


def _where(exc: BaseException) -> str:
    """The innermost pycmsisnn frame of the exception (else the innermost)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "pycmsisnn" in f.filename] or frames
    if not ours:
        return "?"
    f = ours[-1]
    name = f.filename.split("pycmsisnn/", 1)[-1] if "pycmsisnn/" in f.filename else os.path.basename(f.filename)
    return f"{name}:{f.lineno} in {f.name}"


class _Capture:
    """Sends file descriptors 1 and 2 (Python's and C's output) to two files."""

    def __init__(self, out: Path, err: Path) -> None:
        self.paths = (out, err)
        self.libc = ctypes.CDLL(None)

    def _flush(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        self.libc.fflush(None)

    def __enter__(self) -> "_Capture":
        self._flush()
        self.saved = [os.dup(1), os.dup(2)]
        for fd, path in zip((1, 2), self.paths):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        return self

    def __exit__(self, *exc: object) -> None:
        self._flush()
        for fd, saved in zip((1, 2), self.saved):
            os.dup2(saved, fd)
            os.close(saved)


def _first_line(path: Path) -> str:
    try:
        with path.open(errors="replace") as f:
            for line in f:
                if line.strip():
                    return line.strip()[:300]
    except OSError:
        pass
    return ""


def _self_test(path: str) -> None:
    """With PYCMSISNN_FUZZ_SELFTEST=1, a file named *.segv.tflite kills the
    worker and *.hang.tflite hangs it (the runner's own test)."""
    if os.environ.get("PYCMSISNN_FUZZ_SELFTEST") == "1":
        if path.endswith(".segv.tflite"):
            os.kill(os.getpid(), signal.SIGSEGV)
        if path.endswith(".hang.tflite"):
            time.sleep(3600)


def run_job(main: Any, command: str, path: str, capture: _Capture) -> dict[str, Any]:
    _self_test(path)
    out_dir = tempfile.mkdtemp(prefix="fuzz-convert-")
    exception = where = None
    start = time.monotonic()
    try:
        with capture:
            try:
                code = main(argv_for(command, path, os.path.join(out_dir, "project")))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException as exc:  # noqa: BLE001 - what the command line would print as a traceback
                traceback.print_exc()
                code, exception, where = 1, f"{type(exc).__name__}: {exc}"[:300], _where(exc)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    err_text = capture.paths[1].read_text(errors="replace")
    out_text = capture.paths[0].read_text(errors="replace")
    return {
        "file": path, "command": command, "exit": code, "signal": None, "hung": False,
        "traceback": exception is not None or TRACEBACK in err_text or TRACEBACK in out_text,
        "exception": exception, "where": where, "stderr": _first_line(capture.paths[1]),
        "seconds": round(time.monotonic() - start, 3),
    }


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _no_cross_compiler() -> None:
    """``convert`` estimates code and stack instead of building the project."""
    from pycmsisnn.codegen import report

    if hasattr(report, "toolchain_available"):
        report.toolchain_available = lambda: False  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fuzz.worker")
    p.add_argument("jobs", type=Path)
    p.add_argument("results", type=Path)
    p.add_argument("--memory-mb", type=int, default=4096, help="address-space limit (0: none)")
    p.add_argument("--measure", action="store_true", help="let convert build the project with the cross compiler")
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    faulthandler.enable()  # a fatal signal dumps the Python stack to fd 2: the job's .err file
    faulthandler.register(signal.SIGUSR1, all_threads=False)  # the runner's "where are you?" before it kills a hung worker
    from pycmsisnn import cli

    if not args.measure:
        _no_cross_compiler()
    _limit_memory(args.memory_mb)
    jobs = json.loads(args.jobs.read_text())
    capture = _Capture(args.results.with_name(args.results.name + ".out"), args.results.with_name(args.results.name + ".err"))
    with args.results.open("a") as results:
        for job in jobs:
            record = run_job(cli.main, job["command"], job["file"], capture)
            results.write(json.dumps(record) + "\n")
            results.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
