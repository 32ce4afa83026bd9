"""Running a built ELF under qemu-system-arm and reading back what it did.

Each run gets a fresh temporary working directory holding ``input<k>.bin``;
the harness reads them through semihosting and writes ``output<k>.bin``,
``stack.txt`` and (when built with layer dumps) ``layer<i>.bin`` and
``layers.txt`` there; the counting plugin writes ``icount.txt``. QEMU always
runs under a timeout, and at most ``PYCMSISNN_QEMU_JOBS`` (default 2) QEMU
processes of this user run at once (a lock file per slot in the temp dir).
"""
from __future__ import annotations

import fcntl
import os
import re
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from ..errors import ArgError
from .build import BuildResult, symbol_at
from .plugin import plugin_path
from .project import ProjectInfo, TensorSpec
from .result import (
    EXIT_FAULT, EXIT_IO, EXIT_KERNEL, EXIT_KERNEL_OTHER, EXIT_OK, EXIT_STACK_OVERFLOW, EXIT_UNEXPECTED,
    FaultInfo, InstructionCounts, LayerDump, RunStatus, TargetResult,
)
from .errors import TargetRunError
from .toolchain import qemu_system_arm

DEFAULT_TIMEOUT = 60.0  # seconds
SLOT_POLL = 0.02  # seconds between tries for a free QEMU slot

_FAULT_LINE = re.compile(r"^PYCMSISNN-FAULT (\w+)=(\S+)$", re.M)
_STATUS_LINE = re.compile(r"^PYCMSISNN-STATUS (-?\d+)$", re.M)
_FAULT_FIELDS = ("exception", "pc", "lr", "cfsr", "hfsr", "mmfar", "bfar", "sp", "exc_return")


def timeout_for(instructions: int | None) -> float:
    """A timeout for a run expected to execute about ``instructions``: 60 s,
    or 10 s plus 1 s per 20 M instructions when that is longer (QEMU runs
    100 M instructions in 0.1-0.35 s on the machines measured)."""
    if instructions is None:
        return DEFAULT_TIMEOUT
    return max(DEFAULT_TIMEOUT, 10.0 + instructions / 20e6)


def run_build(
    build: BuildResult,
    inputs: np.ndarray | Sequence[np.ndarray],
    *,
    timeout: float | None = None,
    count_instructions: bool = True,
    state: bytes | None = None,
) -> TargetResult:
    """Run ``build`` on ``inputs`` (arrays in model input order, each of the
    dtype and element count NAME.h states) and collect the result. A
    stateful model starts from ``state`` (``NAME_STATE_SIZE`` bytes: a
    previous result's ``state``), or from its initial state when None; the
    result's ``state`` is the state after the run."""
    payloads = _input_bytes(build.project, inputs)
    if state is not None and len(state) != build.project.state_size:
        raise ArgError(f"state: {len(state)} bytes, the model's state has {build.project.state_size}")
    limit = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if not limit > 0:
        raise ArgError(f"timeout must be a positive number of seconds, got {timeout!r}")
    qemu = qemu_system_arm()
    plugin = plugin_path() if count_instructions else None
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-qemu-") as tmp:
        work = Path(tmp)
        for k, data in enumerate(payloads):
            (work / f"input{k}.bin").write_bytes(data)
        if state is not None:
            (work / "state.bin").write_bytes(bytes(state))
        cmd = qemu_command(qemu, build.core.machine, build.elf)
        if plugin is not None:
            marks = "".join(f",mark={name}:0x{addr:x}" for name, addr in build.markers.items())
            cmd += ["-plugin", f"{_option(plugin)},out={_option(work / 'icount.txt')}{marks}"]
        with qemu_slot():
            started = time.monotonic()
            try:
                proc = subprocess.run(cmd, cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=limit)
            except subprocess.TimeoutExpired as exc:
                return TargetResult(
                    build.core.name, RunStatus.TIMEOUT, None, sizes=build.sizes,
                    console=_text(exc.stdout), stderr=_text(exc.stderr), seconds=time.monotonic() - started,
                    detail=f"no exit after {limit:g} s (a hang: infinite loop, lock-up or wfi)",
                )
            seconds = time.monotonic() - started
        return _collect(build, work, proc.returncode, _text(proc.stdout), _text(proc.stderr), seconds, plugin is not None)


def _collect(build: BuildResult, work: Path, code: int, console: str, stderr: str, seconds: float, counted: bool) -> TargetResult:
    info = build.project
    status, detail = _status(code, console, stderr)
    kernel = _STATUS_LINE.search(console)
    stack = _key_values(work / "stack.txt")
    outputs: tuple[np.ndarray, ...] = ()
    if status is RunStatus.OK:
        outputs = tuple(_read_output(work / f"output{k}.bin", spec) for k, spec in enumerate(info.outputs))
    fault = None
    if status in (RunStatus.HARD_FAULT, RunStatus.STACK_OVERFLOW) and _FAULT_LINE.search(console):
        values = {k: int(v, 0) for k, v in _FAULT_LINE.findall(console) if k in _FAULT_FIELDS}
        pc = values.get("pc")
        fault = FaultInfo(**values, function=symbol_at(build.elf, pc) if pc is not None else None)
    return TargetResult(
        core=build.core.name,
        status=status,
        exit_code=code,
        outputs=outputs,
        instructions=_counts(work / "icount.txt") if counted else None,
        stack_used=stack.get("used"),
        stack_size=stack.get("size"),
        kernel_status=int(kernel.group(1)) if kernel else None,
        fault=fault,
        layers=_layers(work) if build.dump_layers else (),
        sizes=build.sizes,
        console=console,
        stderr=stderr,
        seconds=seconds,
        detail=detail,
        state=(work / "state_out.bin").read_bytes() if status is RunStatus.OK and info.state_size else None,
    )


def _status(code: int, console: str, stderr: str) -> tuple[RunStatus, str]:
    if "PYCMSISNN-STACK-OVERFLOW" in console and code == EXIT_STACK_OVERFLOW:
        return RunStatus.STACK_OVERFLOW, ""
    known = {
        EXIT_OK: RunStatus.OK, EXIT_FAULT: RunStatus.HARD_FAULT, EXIT_IO: RunStatus.IO_ERROR,
        EXIT_UNEXPECTED: RunStatus.UNEXPECTED_EXCEPTION, EXIT_KERNEL_OTHER: RunStatus.KERNEL_ERROR,
        **{c: RunStatus.KERNEL_ERROR for c in EXIT_KERNEL},
    }
    # The harness always prints a PYCMSISNN- line before exiting; without one
    # the exit code is QEMU's own (e.g. 1 for a bad -kernel, 134 for an abort).
    if code in known and "PYCMSISNN-" in console:
        lines = [ln for ln in console.splitlines() if ln.startswith(("PYCMSISNN-IO", "PYCMSISNN-UNEXPECTED"))]
        return known[code], "; ".join(lines)
    why = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
    return RunStatus.QEMU_ERROR, f"qemu-system-arm exited with {code}: {why}"


def _input_bytes(info: ProjectInfo, inputs: np.ndarray | Sequence[np.ndarray]) -> list[bytes]:
    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    if not isinstance(inputs, Sequence) or len(inputs) != len(info.inputs):
        got = len(inputs) if isinstance(inputs, Sequence) else type(inputs).__name__
        raise ArgError(f"{info.name}: takes {len(info.inputs)} input(s), got {got}")
    payloads = []
    for k, (spec, x) in enumerate(zip(info.inputs, inputs)):
        if not isinstance(x, np.ndarray):
            raise ArgError(f"{info.name}: input {k} must be a numpy array, got {type(x).__name__}")
        if x.dtype != spec.dtype:
            raise ArgError(f"{info.name}: input {k} has dtype {x.dtype.name}, the model takes {spec.dtype.name}")
        if x.size != spec.count:
            raise ArgError(f"{info.name}: input {k} has {x.size} elements (shape {x.shape}), the model takes {spec.count} {spec.dims}")
        payloads.append(np.ascontiguousarray(x).tobytes())
    return payloads


def _read_output(path: Path, spec: TensorSpec) -> np.ndarray:
    data = path.read_bytes() if path.is_file() else b""
    if len(data) != spec.size:
        raise TargetRunError(f"{path.name}: the harness wrote {len(data)} bytes, NAME.h states {spec.size}")
    return np.frombuffer(data, dtype=spec.dtype).copy().reshape(spec.dims)


def _counts(path: Path) -> InstructionCounts | None:
    """Instruction counts from the plugin's file; None if the run did not
    pass both invoke markers (or QEMU did not exit normally)."""
    if not path.is_file():
        return None
    total, hits = 0, []
    for line in path.read_text().splitlines():
        name, _, value = line.partition(" ")
        if name == "total":
            total = int(value)
        elif name.startswith("pycmsisnn_"):
            hits.append((name, int(value)))
    starts = [v for n, v in hits if n == "pycmsisnn_invoke_start"]
    ends = [v for n, v in hits if n == "pycmsisnn_invoke_end"]
    if not starts or not ends:
        return None
    marks = [v for n, v in hits if n == "pycmsisnn_layer_done" and starts[0] <= v <= ends[0]]
    edges = [starts[0], *marks]
    layers = tuple(b - a for a, b in zip(edges, edges[1:]))
    return InstructionCounts(total=total, invoke=ends[0] - starts[0], layers=layers, epilogue=ends[0] - edges[-1])


def _layers(work: Path) -> tuple[LayerDump, ...]:
    table = work / "layers.txt"
    if not table.is_file():
        return ()
    dumps = []
    for line in table.read_text().split("\n"):
        fields = line.split()
        if len(fields) == 3:
            layer, tensor, size = map(int, fields)
            path = work / f"layer{layer}.bin"
            if path.is_file() and path.stat().st_size == size:
                dumps.append(LayerDump(layer, tensor, path.read_bytes()))
    return tuple(dumps)


def _key_values(path: Path) -> dict[str, int]:
    if not path.is_file():
        return {}
    pairs = (line.split() for line in path.read_text().splitlines())
    return {p[0]: int(p[1]) for p in pairs if len(p) == 2 and p[1].isdigit()}


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


def qemu_command(qemu: Path, machine: str, elf: Path) -> list[str]:
    """The qemu-system-arm command line that runs ``elf`` on board ``machine``
    with semihosting on the console (stdout) and no display, monitor or serial."""
    return [
        str(qemu), "-M", machine, "-display", "none", "-monitor", "none", "-serial", "none",
        "-chardev", "stdio,id=sh0", "-semihosting-config", "enable=on,target=native,chardev=sh0",
        "-kernel", _option(elf),
    ]


def _option(path: Path) -> str:
    """A path inside a QEMU option value (commas are doubled)."""
    return str(path).replace(",", ",,")


@contextmanager
def qemu_slot() -> Iterator[None]:
    """Wait for one of the PYCMSISNN_QEMU_JOBS (default 2) QEMU slots of this user."""
    jobs = max(1, int(os.environ.get("PYCMSISNN_QEMU_JOBS", "2")))
    base = Path(tempfile.gettempdir())
    while True:
        for slot in range(jobs):
            handle = open(base / f"pycmsisnn-qemu-{os.getuid()}-slot{slot}.lock", "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        time.sleep(SLOT_POLL)
