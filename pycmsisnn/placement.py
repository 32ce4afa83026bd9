"""Placing buffers in an arena: each buffer is a rectangle of bytes by calls
(alive from its first to its last call), placed at a byte offset so that no
two buffers alive at the same call overlap. ``pycmsisnn.memory`` builds the
buffers of a plan and keeps the smallest placement; the placements are here:
greedy in several orders (TensorFlow Lite Micro's largest-first among them)
and linear (no reuse)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping


@dataclass(frozen=True)
class Placement:
    """A buffer in the arena: byte offset and size."""

    offset: int
    nbytes: int

    @property
    def end(self) -> int:
        return self.offset + self.nbytes


@dataclass(frozen=True)
class Buffer:
    """One rectangle to place: a group of tensors sharing memory (or one
    scratch buffer), its aligned size and the calls it is alive over."""

    name: str
    nbytes: int
    first: int
    last: int
    tensors: tuple[int, ...] = ()

    def overlaps_in_time(self, other: Buffer) -> bool:
        return self.first <= other.last and other.first <= self.last


def align(n: int, a: int) -> int:
    return (n + a - 1) // a * a


# Orders the greedy planner tries, TensorFlow Lite Micro's (largest first) first;
# the smallest arena wins, ties going to the earlier order.
GREEDY_ORDERS: Mapping[str, Callable[[Buffer, int], tuple[int, ...]]] = {
    "size": lambda b, i: (-b.nbytes, b.first, i),
    "first use": lambda b, i: (b.first, -b.nbytes, i),
    "area": lambda b, i: (-(b.last - b.first + 1) * b.nbytes, i),
    "size, last use": lambda b, i: (-b.nbytes, -b.last, i),
    "lifetime": lambda b, i: (-(b.last - b.first), -b.nbytes, i),
}


def greedy(buffers: list[Buffer], alignment: int, order: Callable[[Buffer, int], tuple[int, ...]]) -> list[Placement]:
    """Buffers taken in ``order``, each at the lowest aligned offset clear of
    every placed buffer alive at the same time."""
    placed: dict[int, Placement] = {}
    for i in sorted(range(len(buffers)), key=lambda i: order(buffers[i], i)):
        b = buffers[i]
        busy = sorted((p.offset, p.end) for j, p in placed.items() if buffers[j].overlaps_in_time(b) and p.nbytes)
        offset = 0
        for start, end in busy:
            if offset + b.nbytes <= start:
                break
            offset = max(offset, align(end, alignment))
        placed[i] = Placement(offset, b.nbytes)
    return [placed[i] for i in range(len(buffers))]


def best_greedy(buffers: list[Buffer], alignment: int) -> list[Placement]:
    """The smallest of the greedy placements over ``GREEDY_ORDERS``."""
    best: list[Placement] | None = None
    for order in GREEDY_ORDERS.values():
        placement = greedy(buffers, alignment, order)
        if best is None or placement_end(placement) < placement_end(best):
            best = placement
    return best or []


def placement_end(placements: list[Placement]) -> int:
    return max((p.end for p in placements), default=0)


def linear(buffers: list[Buffer], alignment: int) -> list[Placement]:
    """Every buffer after the previous one, in order of first use: no reuse."""
    out: dict[int, Placement] = {}
    offset = 0
    for i in sorted(range(len(buffers)), key=lambda i: (buffers[i].first, i)):
        out[i] = Placement(offset, buffers[i].nbytes)
        offset = align(offset + buffers[i].nbytes, alignment)
    return [out[i] for i in range(len(buffers))]


def live_peak(buffers: Iterable[Buffer]) -> int:
    """The most bytes alive at any one time: a lower bound of any arena."""
    bs = list(buffers)
    times = sorted({b.first for b in bs})
    return max((sum(b.nbytes for b in bs if b.first <= t <= b.last) for t in times), default=0)
