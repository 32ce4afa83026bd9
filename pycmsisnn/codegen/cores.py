"""The Cortex-M cores generated code is built for: compiler flags per core.

A small table of our own (the flags of the project's QEMU notes), used when
``pycmsisnn.targets.cores`` (the full core description: QEMU machine, memory
map) is not installed; when it is, its flags are taken.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scratch import CORE_ISA, UnknownCoreError, alignment_of, isa_of


@dataclass(frozen=True)
class CoreFlags:
    """A target core: its name, kernel build (portable/dsp/mve) and gcc flags."""

    name: str
    isa: str
    cflags: tuple[str, ...]

    @property
    def alignment(self) -> int:
        return alignment_of(self.name)


_FLAGS: dict[str, tuple[str, ...]] = {
    "cortex-m0": ("-mcpu=cortex-m0", "-mthumb"),
    "cortex-m3": ("-mcpu=cortex-m3", "-mthumb"),
    "cortex-m4": ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"),
    "cortex-m7": ("-mcpu=cortex-m7", "-mthumb", "-mfpu=fpv5-d16", "-mfloat-abi=hard"),
    "cortex-m33": ("-mcpu=cortex-m33", "-mthumb", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"),
    "cortex-m55": ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"),
}
TARGETS = tuple(_FLAGS)


def _shared_flags(name: str) -> tuple[str, ...] | None:
    """gcc flags of ``name`` from ``pycmsisnn.targets.cores`` when that module is present."""
    try:
        from ..targets.cores import CORES
    except ImportError:
        return None
    shared = CORES.get(name)
    return tuple(shared.cflags) if shared is not None else None


def core(name: str) -> CoreFlags:
    """The core called ``name`` ("cortex-m0" ... "cortex-m55")."""
    if name not in _FLAGS:
        raise UnknownCoreError(f"unknown target '{name}'; known: {', '.join(TARGETS)}")
    return CoreFlags(name, isa_of(name), _shared_flags(name) or _FLAGS[name])


__all__ = ["CORE_ISA", "CoreFlags", "TARGETS", "core"]
