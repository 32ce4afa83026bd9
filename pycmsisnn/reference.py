"""TensorFlow Lite Micro, the ground truth, behind one small adapter.

TFLM always runs in a child process (``pycmsisnn/tflm_worker.py``): one
persistent worker per ``TflmRunner``, reused across runs, so that a crash,
signal or hang in TFLM's C++ interpreter becomes a ``ReferenceCrash``, never
the death of pycmsisnn. Workers end with their runner (``close``, ``with``,
garbage collection, interpreter exit).

Needs the ``tflite-micro`` package (``pip install 'pycmsisnn[verify]'``).
"""
from __future__ import annotations

import atexit
import importlib.util
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from types import TracebackType
from typing import IO, Sequence

import numpy as np

from . import tflm_worker as wire
from .errors import CmsisNNError

ARENA_SIZE = 16 << 20
TIMEOUT = 120.0  # seconds TFLM may take over one request (load, run, tensor)
WORKER_FILE = Path(__file__).resolve().with_name("tflm_worker.py")


class ReferenceUnavailable(RuntimeError, CmsisNNError):
    """tflite-micro is not installed, or refused the model."""


class ReferenceCrash(RuntimeError, CmsisNNError):
    """TensorFlow Lite Micro died (a signal, an exit) or hung on the model;
    its child process is gone. ``output`` holds what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


def _check_installed() -> None:
    if importlib.util.find_spec("tflite_micro") is None:
        raise ReferenceUnavailable("TensorFlow Lite Micro is needed here: pip install 'pycmsisnn[verify]'")


def worker_command() -> list[str]:
    """The child's command line, before its ``serve FD_IN FD_OUT`` arguments."""
    return [sys.executable, str(WORKER_FILE)]


def _death(returncode: int | None, timeout: float | None, output: str) -> ReferenceCrash:
    """The error for a child that died with ``returncode`` or did not answer."""
    if timeout is not None:
        return ReferenceCrash(f"the TensorFlow Lite Micro reference did not answer within {timeout:g} s", output)
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return ReferenceCrash(f"the TensorFlow Lite Micro reference crashed on this model (signal {name})", output)
    last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
    return ReferenceCrash(f"the TensorFlow Lite Micro reference crashed on this model (exit status {returncode})"
                          + (f": {last.strip()}" if last else ""), output)


class _Worker:
    """One child process and its two pipes; every exchange has a deadline."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.failure: ReferenceCrash | None = None
        self._log: IO[bytes] = tempfile.TemporaryFile(prefix="pycmsisnn-tflm-")
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [*worker_command(), "serve", str(req_r), str(rep_w)],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, pass_fds=(req_r, rep_w),
            )
        except BaseException:
            os.close(self._req_w)
            os.close(self._rep_r)
            self._log.close()
            raise
        finally:  # the child's ends, now held by the child alone
            os.close(req_r)
            os.close(rep_w)
        os.set_blocking(self._req_w, False)
        os.set_blocking(self._rep_r, False)

    def output(self) -> str:
        """What the child printed (TFLM's own messages, a Python traceback)."""
        try:
            self._log.seek(0)
            return self._log.read()[-8000:].decode(errors="replace")
        except (OSError, ValueError):
            return ""

    def _fail(self, timed_out: bool) -> ReferenceCrash:
        """Make sure the child is gone, then the error saying how it went."""
        if timed_out:
            self.process.kill()
        try:
            returncode = self.process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:  # its pipe closed, yet it lives on: end it
            self.process.kill()
            returncode = self.process.wait()
        self.failure = _death(returncode, self.timeout if timed_out else None, self.output())
        self.close()
        return self.failure

    def request(self, msg: wire.Message) -> wire.Reply:
        if self.failure is not None:
            raise self.failure
        deadline = time.monotonic() + self.timeout
        data = memoryview(wire.frame(msg))
        while data:
            if not select.select([], [self._req_w], [], max(0.0, deadline - time.monotonic()))[1]:
                raise self._fail(timed_out=True)
            try:
                data = data[os.write(self._req_w, data[:1 << 16]):]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise self._fail(timed_out=False) from None
        head = self._read(wire.LENGTH.size, deadline)
        reply = wire.decode(self._read(wire.LENGTH.unpack(head)[0], deadline))
        assert isinstance(reply, wire.Reply)
        return reply

    def _read(self, n: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        while n:
            if not select.select([self._rep_r], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise self._fail(timed_out=True)
            try:
                chunk = os.read(self._rep_r, min(n, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise self._fail(timed_out=False)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Close the request pipe (the child then exits), reap the child."""
        for fd in (self._req_w, self._rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._req_w = self._rep_r = -1
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=5.0)
            except subprocess.TimeoutExpired:  # busy or hung in TFLM
                self.process.kill()
                self.process.wait()
        self._log.close()


_LIVE: weakref.WeakSet[TflmRunner] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for runner in list(_LIVE):
        runner.close()


class TflmRunner:
    """One TFLM interpreter for a model, run as often as needed (reset between
    runs, unless a run asks to continue a sequence); with ``preserve`` every tensor can be read back after a run.

    The interpreter lives in a child process; a crash or a request taking more
    than ``timeout`` seconds raises ``ReferenceCrash`` (and this runner stays
    failed). Close it with ``close()`` or a ``with`` block; it also closes
    when collected and when Python exits."""

    def __init__(self, model: bytes, *, preserve: bool = False, arena_size: int = ARENA_SIZE,
                 timeout: float = TIMEOUT) -> None:
        _check_installed()
        self.preserve = preserve
        self._lock = threading.Lock()
        self._worker: _Worker | None = _Worker(timeout)
        _LIVE.add(self)
        try:
            reply = self._worker.request(wire.Load(arena_size, preserve, (np.frombuffer(bytes(model), np.uint8),)))
        except BaseException:
            self.close()
            raise
        if reply.error:
            self.close()
            raise ReferenceUnavailable(f"TensorFlow Lite Micro could not load the model: {reply.error}")

    def _ask(self, msg: wire.Message) -> tuple[np.ndarray, ...]:
        with self._lock:
            if self._worker is None:
                raise ReferenceUnavailable("this TensorFlow Lite Micro runner is closed")
            reply = self._worker.request(msg)
        if reply.error:
            raise ReferenceUnavailable(f"TensorFlow Lite Micro failed: {reply.error}")
        return reply.arrays

    def run(self, inputs: Sequence[np.ndarray], n_outputs: int, *, reset: bool = True) -> list[np.ndarray]:
        """One invoke. With ``reset`` (the default) from the interpreter's
        reset state; without, the next step of a sequence: variable tensors
        (SVDF, LSTM state) keep what the previous invoke left."""
        return list(self._ask(wire.Run(n_outputs, tuple(np.asarray(x, order="C") for x in inputs), reset)))

    def tensor(self, index: int) -> np.ndarray:
        """A tensor's data after ``run`` (needs ``preserve``)."""
        return self._ask(wire.Tensor(index))[0]

    @property
    def pid(self) -> int | None:
        """The worker's process id (None once closed)."""
        return self._worker.process.pid if self._worker is not None else None

    def close(self) -> None:
        """End the worker process; idempotent."""
        worker, self._worker = getattr(self, "_worker", None), None
        if worker is not None:
            worker.close()
        _LIVE.discard(self)

    def __enter__(self) -> TflmRunner:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def tflm_arena_bytes(model: bytes, n_inputs: int = 1, arena_size: int = ARENA_SIZE, timeout: float = 120.0) -> tuple[int, int]:
    """(total, head) bytes of TFLM's arena for ``model``: its recording
    allocator's report after one invoke (the head holds activations and
    scratch, the tail persistent data). TFLM prints the report from C++, so
    it runs in a child process whose output is read back."""
    _check_installed()
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-tflm-") as tmp:
        path = Path(tmp) / "model.tflite"
        path.write_bytes(bytes(model))
        try:
            result = subprocess.run(
                [*worker_command(), "arena", str(path), str(arena_size), str(n_inputs)],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise _death(None, timeout, str(exc.stdout or "")) from None
    printed = result.stdout + result.stderr
    if result.returncode < 0:
        raise _death(result.returncode, None, printed)
    total = re.search(r"Arena allocation total (\d+) bytes", printed)
    head = re.search(r"Arena allocation head (\d+) bytes", printed)
    if result.returncode != 0 or not total or not head:
        raise ReferenceUnavailable(f"TensorFlow Lite Micro gave no allocation report:\n{printed[-2000:]}")
    return int(total.group(1)), int(head.group(1))
