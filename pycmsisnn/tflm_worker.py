"""The child process that runs TensorFlow Lite Micro, and the wire protocol
between it and ``pycmsisnn.reference``.

TFLM's C++ interpreter can crash (SIGSEGV, SIGABRT) or hang on a malformed
model; run here, that ends this process, never pycmsisnn. The file is run by
path (``python tflm_worker.py serve FD_IN FD_OUT``), so it imports nothing
of pycmsisnn: only the standard library, numpy and, in the child,
``tflite_micro``.

Protocol: each message is one frame, an unsigned 64-bit little-endian length
then that many bytes: a 32-bit length, a JSON header (the message's kind and
its scalar fields), then each array as a 64-bit length and the array in
``.npy`` format (no pickles). The parent sends ``Load`` once, then ``Run``
and ``Tensor`` requests; the child answers each with one ``Reply``. The
child exits when its request pipe closes.

``python tflm_worker.py arena MODEL ARENA_SIZE N_INPUTS`` prints TFLM's
allocation report after one invoke on zero inputs (read by
``reference.tflm_arena_bytes``).
"""
from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # run as a script: pycmsisnn's own modules (tflite/, plot.py, ...) must not shadow others

import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import struct  # noqa: E402
from dataclasses import dataclass, fields  # noqa: E402
from typing import Any, Union  # noqa: E402

import numpy as np  # noqa: E402


@dataclass(frozen=True)
class Load:
    """Build the interpreter: ``arrays`` holds the model as one uint8 array."""

    arena_size: int
    preserve: bool
    arrays: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Run:
    """Reset (unless ``reset`` is false: the next step of a sequence, variable
    tensors kept), set ``arrays`` as the inputs, invoke, answer ``n_outputs`` outputs."""

    n_outputs: int
    arrays: tuple[np.ndarray, ...]
    reset: bool = True


@dataclass(frozen=True)
class Tensor:
    """Answer tensor ``index`` after the last run (needs ``preserve``)."""

    index: int
    arrays: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class Reply:
    """The arrays asked for, or the error TFLM raised (then no arrays)."""

    error: str = ""
    arrays: tuple[np.ndarray, ...] = ()


Message = Union[Load, Run, Tensor, Reply]
KINDS: dict[str, type[Any]] = {cls.__name__: cls for cls in (Load, Run, Tensor, Reply)}
LENGTH = struct.Struct("<Q")
HEADER_LENGTH = struct.Struct("<I")


def encode(msg: Message) -> bytes:
    """One message as a frame body (without the frame's length)."""
    scalars = {f.name: getattr(msg, f.name) for f in fields(msg) if f.name != "arrays"}
    header = json.dumps({"kind": type(msg).__name__, "n_arrays": len(msg.arrays), **scalars}).encode()
    parts = [HEADER_LENGTH.pack(len(header)), header]
    for a in msg.arrays:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.asarray(a, order="C"), allow_pickle=False)
        parts += [LENGTH.pack(buf.tell()), buf.getvalue()]
    return b"".join(parts)


def decode(body: bytes) -> Message:
    """The message of a frame body."""
    (n,) = HEADER_LENGTH.unpack_from(body, 0)
    header = json.loads(body[HEADER_LENGTH.size:HEADER_LENGTH.size + n])
    pos = HEADER_LENGTH.size + n
    arrays = []
    for _ in range(header.pop("n_arrays")):
        (size,) = LENGTH.unpack_from(body, pos)
        pos += LENGTH.size
        arrays.append(np.lib.format.read_array(io.BytesIO(body[pos:pos + size]), allow_pickle=False))
        pos += size
    cls = KINDS[header.pop("kind")]
    return cls(**header, arrays=tuple(arrays))  # type: ignore[no-any-return]


def frame(msg: Message) -> bytes:
    """A message ready to write: its length, then its body."""
    body = encode(msg)
    return LENGTH.pack(len(body)) + body


def _read_exactly(fd: int, n: int) -> bytes | None:
    """``n`` bytes from ``fd``, or None at end of file."""
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _qualified(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


class Session:
    """The child's interpreter and the requests it answers."""

    def __init__(self) -> None:
        self.interp: Any = None

    def load(self, req: Load) -> Reply:
        from tflite_micro import runtime as rt

        config = rt.InterpreterConfig.kPreserveAllTensors if req.preserve else rt.InterpreterConfig.kAllocationRecording
        self.interp = rt.Interpreter.from_bytes(req.arrays[0].tobytes(), arena_size=req.arena_size, intrepreter_config=config)
        return Reply()

    def run(self, req: Run) -> Reply:
        if req.reset:
            self.interp.reset()
        for i, x in enumerate(req.arrays):
            self.interp.set_input(np.asarray(x, order="C"), i)
        self.interp.invoke()
        return Reply(arrays=tuple(np.array(self.interp.get_output(i)) for i in range(req.n_outputs)))

    def tensor(self, req: Tensor) -> Reply:
        return Reply(arrays=(np.array(self.interp.GetTensor(req.index, 0)["tensor_data"]),))

    def answer(self, req: Message) -> Reply:
        try:
            if isinstance(req, Load):
                return self.load(req)
            if self.interp is None:
                return Reply(error="no model loaded")
            if isinstance(req, Run):
                return self.run(req)
            if isinstance(req, Tensor):
                return self.tensor(req)
            return Reply(error=f"unexpected request {type(req).__name__}")
        except Exception as exc:  # noqa: BLE001 - the binding raises plain RuntimeErrors; all go back to the parent
            return Reply(error=str(exc) if type(exc) is RuntimeError else f"{_qualified(type(exc))}: {exc}")


def serve(fd_in: int, fd_out: int, session: Session | None = None) -> None:
    """Answer requests from ``fd_in`` on ``fd_out`` until ``fd_in`` closes."""
    session = session or Session()
    while True:
        head = _read_exactly(fd_in, LENGTH.size)
        if head is None:
            return
        body = _read_exactly(fd_in, LENGTH.unpack(head)[0])
        if body is None:
            return
        _write_all(fd_out, frame(session.answer(decode(body))))


def arena_report(model_path: str, arena_size: int, n_inputs: int) -> None:
    """Print TFLM's allocation report after one invoke on zero inputs."""
    from tflite_micro import runtime as rt

    interp = rt.Interpreter.from_bytes(Path(model_path).read_bytes(), arena_size=arena_size,
                                       intrepreter_config=rt.InterpreterConfig.kAllocationRecording)
    for i in range(n_inputs):
        d = interp.get_input_details(i)
        interp.set_input(np.zeros(d["shape"], d["dtype"]), i)
    interp.invoke()
    interp.print_allocations()


def main(argv: list[str]) -> int:
    # Ctrl-C is the parent's to handle: it closes the pipe and this process ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if argv[:1] == ["serve"] and len(argv) == 3:
        serve(int(argv[1]), int(argv[2]))
        return 0
    if argv[:1] == ["arena"] and len(argv) == 4:
        arena_report(argv[1], int(argv[2]), int(argv[3]))
        return 0
    print("usage: tflm_worker.py serve FD_IN FD_OUT | arena MODEL ARENA_SIZE N_INPUTS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
