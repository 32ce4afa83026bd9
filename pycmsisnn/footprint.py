"""RAM as every command reports it: the planned arena plus the stack, with
where the stack figure comes from, so that ``inspect``, ``convert``,
``verify --target``, ``bench`` and ``check`` give one figure, always labelled.

The stack is, from best to roughest: measured under QEMU (the high-water mark
of the painted stack while the model ran), estimated from gcc's
``-fstack-usage`` frames of the generated project (an upper-side estimate),
or a fixed guess when no cross toolchain is installed.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .cores import KIB, Core, Region
from .lower import Plan

# Room kept in RAM beside the arena for other data (the harness's state,
# newlib), on top of the model's input and output buffers: 8 KiB, or an
# eighth of a smaller RAM (the micro:bit's 16 KiB: 2 KiB, which holds our
# QEMU harness with room to spare).
RAM_RESERVE = 8 * KIB


def ram_reserve(core: Core) -> int:
    return min(RAM_RESERVE, core.ram.size // 8)
BULK_SECTION = ".bss.pycmsisnn_bulk"


class StackSource(str, Enum):
    MEASURED = "stack measured under QEMU"
    STACK_USAGE = "stack estimated from -fstack-usage"
    GUESS = "stack a rough estimate, no cross toolchain"


@dataclass(frozen=True)
class RamFigure:
    """RAM one inference needs: the arena and the stack, and a stateful
    model's persistent state buffer (its variable tensors, kept between
    inferences, outside the arena)."""

    arena_bytes: int
    stack_bytes: int
    stack_source: StackSource
    state_bytes: int = 0

    @property
    def total_bytes(self) -> int:
        return self.arena_bytes + self.stack_bytes + self.state_bytes

    @property
    def measured(self) -> bool:
        return self.stack_source is StackSource.MEASURED

    def describe(self) -> str:
        """"RAM 17,024 B = arena 16,000 B + stack 1,024 B (stack measured under QEMU)"."""
        state = f" + state {self.state_bytes:,} B" if self.state_bytes else ""
        return (f"RAM {self.total_bytes:,} B = arena {self.arena_bytes:,} B{state} + stack {self.stack_bytes:,} B "
                f"({self.stack_source.value})")

    def to_dict(self) -> dict[str, Any]:
        figures = {"ram_bytes": self.total_bytes, "arena_bytes": self.arena_bytes, "stack_bytes": self.stack_bytes,
                   "stack_source": self.stack_source.name.lower()}
        return figures | ({"state_bytes": self.state_bytes} if self.state_bytes else {})


def arena_home(plan: Plan, arena_bytes: int, core: Core) -> Region | None:
    """The memory of ``core``'s board the arena is linked into: its RAM when
    the arena fits there beside the I/O buffers, else the board's large
    memory (section ``BULK_SECTION``), else None: the board cannot hold it."""
    g = plan.graph
    io = sum(g.tensor(i).nbytes for i in (*g.inputs, *g.outputs))
    return core.arena_region(arena_bytes, io + ram_reserve(core))
