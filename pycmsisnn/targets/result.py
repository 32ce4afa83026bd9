"""What a target run gives back: a status, outputs, counts, stack, fault.

``TargetResult.status`` is one ``RunStatus``; ``message`` says it in one line
(core, what happened, and the fault's PC or the kernel's status), and
``check()`` raises ``TargetRunError`` with that line unless the run succeeded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from ..errors import STATUS_NAMES
from .build import SectionSizes
from .errors import TargetRunError

# Exit codes of the harness (qemu_support/pycmsisnn_target.h).
EXIT_OK = 0
EXIT_IO = 2
EXIT_FAULT = 3
EXIT_STACK_OVERFLOW = 4
EXIT_UNEXPECTED = 5
EXIT_KERNEL = {11: -1, 12: -2, 13: -3}
EXIT_KERNEL_OTHER = 19


class RunStatus(str, Enum):
    """How a target run ended."""

    OK = "ok"
    KERNEL_ERROR = "kernel_error"  # NAME_invoke returned a non-success status
    HARD_FAULT = "hard_fault"  # a fault exception (HardFault, MemManage, BusFault, UsageFault, SecureFault)
    STACK_OVERFLOW = "stack_overflow"  # MSPLIM/MPU guard fault, stacking failure, or guard zone reached
    TIMEOUT = "timeout"  # still running at the timeout: a hang
    IO_ERROR = "io_error"  # the harness could not read an input or write an output
    UNEXPECTED_EXCEPTION = "unexpected_exception"  # NMI, SVC, an interrupt
    QEMU_ERROR = "qemu_error"  # QEMU itself failed (bad ELF, lock-up abort, signal)


@dataclass(frozen=True)
class FaultInfo:
    """Registers the fault handler printed (None where it could not read them)."""

    exception: int | None = None  # IPSR: 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault, 7 SecureFault
    pc: int | None = None
    lr: int | None = None
    cfsr: int | None = None
    hfsr: int | None = None
    mmfar: int | None = None
    bfar: int | None = None
    sp: int | None = None
    exc_return: int | None = None
    function: str | None = None  # "name+0xoffset" of the pc, from the ELF's symbols

    def describe(self) -> str:
        names = {3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault", 7: "SecureFault"}
        parts = [names.get(self.exception or 0, f"exception {self.exception}")]
        for key in ("pc", "lr", "cfsr", "hfsr", "sp"):
            value = getattr(self, key)
            if value is not None:
                parts.append(f"{key}=0x{value:08x}")
                if key == "pc" and self.function:
                    parts.append(f"({self.function})")
        return " ".join(parts)


@dataclass(frozen=True)
class InstructionCounts:
    """Executed instructions (QEMU counts instructions, not cycles).

    ``layers[i]`` runs from the previous layer's marker (layer 0: from the
    invoke-start marker) to layer i's marker; ``epilogue`` from the last layer
    marker to the invoke-end marker, so ``sum(layers) + epilogue == invoke``.
    """

    total: int  # reset to exit
    invoke: int  # NAME_invoke, marker to marker
    layers: tuple[int, ...]
    epilogue: int


@dataclass(frozen=True)
class LayerDump:
    """One layer's output as the target wrote it (``dump_layers=True``)."""

    layer: int
    tensor: int  # TFLite tensor index
    data: bytes

    def as_array(self, dtype: np.dtype | type, shape: tuple[int, ...] | None = None) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=dtype).copy()
        return arr.reshape(shape) if shape is not None else arr


@dataclass(frozen=True, eq=False)
class TargetResult:
    """The result of running a project on an emulated core."""

    core: str
    status: RunStatus
    exit_code: int | None
    outputs: tuple[np.ndarray, ...] = ()
    instructions: InstructionCounts | None = None
    stack_used: int | None = None  # bytes (high-water mark of the painted stack)
    stack_size: int | None = None
    kernel_status: int | None = None
    fault: FaultInfo | None = None
    layers: tuple[LayerDump, ...] = ()
    sizes: SectionSizes | None = None
    console: str = ""  # the program's semihosting output
    stderr: str = ""  # QEMU's own messages
    seconds: float = 0.0
    detail: str = field(default="")
    state: bytes | None = None  # a stateful model's state after the run (state_out.bin)

    @property
    def ok(self) -> bool:
        return self.status is RunStatus.OK

    @property
    def message(self) -> str:
        """One line: the core and how the run ended."""
        where = f"{self.core}:"
        if self.status is RunStatus.OK:
            return f"{where} ok"
        if self.status is RunStatus.KERNEL_ERROR:
            name = STATUS_NAMES.get(self.kernel_status or 0, f"status {self.kernel_status}")
            return f"{where} the model returned {name}"
        if self.status is RunStatus.HARD_FAULT:
            return f"{where} hard fault: {self.fault.describe() if self.fault else 'no details'}"
        if self.status is RunStatus.STACK_OVERFLOW:
            how = self.fault.describe() if self.fault else f"guard zone reached, {self.stack_size} stack bytes"
            return f"{where} stack overflow ({how})"
        return f"{where} {self.status.value.replace('_', ' ')}: {self.detail}".rstrip(": ")

    def check(self) -> "TargetResult":
        """This result if the run succeeded; else ``TargetRunError(message)``."""
        if not self.ok:
            raise TargetRunError(self.message)
        return self
