"""The Cortex-M cores pycmsisnn builds for, one frozen record each: the only
place that knows them.

Each core is paired with the gcc flags for it, the kernel code path it
selects (``Feature``: portable C, DSP or MVE, which also fixes the arena
alignment), the QEMU board that emulates it and the memory map of the linker
script under ``qemu_support/ld`` (measured with ``info mtree``; see
docs/qemu.md). Code generation, the target runs, scratch sizing, the memory
planner and the command line all read these records.

``HOST`` ("host") is a pseudo-core, not a record: the host build of the
kernels (portable C), accepted where only the kernel build matters (scratch
sizes, arena planning).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .errors import ArgError

KIB = 1024
MIB = 1024 * KIB
HOST = "host"
DEFAULT_CORE = "cortex-m4"


class Feature(str, Enum):
    """The kernel code path a core compiles: portable C, DSP (SIMD32) or MVE (Helium)."""

    SCALAR = "scalar"
    DSP = "dsp"
    MVE = "mve"


class UnknownCoreError(ArgError):
    """A core name that is not one of ``CORES`` (nor ``HOST`` where that is allowed)."""


@dataclass(frozen=True)
class Region:
    """A memory region of a board: name as in its linker script, base, bytes."""

    name: str
    origin: int
    size: int


@dataclass(frozen=True)
class Core:
    """A Cortex-M core and the QEMU board, flags and memory map used for it."""

    name: str  # "cortex-m4"
    arch: str  # "armv7e-m"
    machine: str  # qemu-system-arm -M
    cflags: tuple[str, ...]  # arm-none-eabi-gcc flags (with -mthumb)
    feature: Feature
    linker_script: str  # file under qemu_support/ld
    code: Region  # vector table and code (and the .data load image)
    const: Region  # weights and other read-only data
    ram: Region  # .data and .bss: arena, I/O buffers
    stack: Region  # the stack (at its start)
    default_stack_bytes: int
    bulk: Region | None = None  # the board's large, slower memory (PSRAM, DDR): arenas too big for ``ram``

    @property
    def short(self) -> str:
        """"m4" for "cortex-m4"."""
        return self.name.removeprefix("cortex-")

    @property
    def alignment(self) -> int:
        """Byte alignment of arena buffers: 16 for MVE (vector loads), else 4."""
        return feature_alignment(self.feature)

    @property
    def flash_bytes(self) -> int:
        """Room for code and constants."""
        return self.code.size + (self.const.size if self.const != self.code else 0)

    @property
    def ram_bytes(self) -> int:
        """Room for data, arena and stack."""
        return self.ram.size + (self.stack.size if self.stack != self.ram else 0)

    def arena_region(self, arena_bytes: int, other_bytes: int = 0) -> Region | None:
        """Where an arena goes: ``ram`` when it fits there beside ``other_bytes``
        of other data (and the stack, where the stack shares ``ram``), else
        the board's ``bulk`` memory, else None (the board cannot hold it)."""
        room = self.ram.size - other_bytes - (self.default_stack_bytes if self.stack == self.ram else 0)
        if arena_bytes <= room:
            return self.ram
        if self.bulk is not None and arena_bytes <= self.bulk.size:
            return self.bulk
        return None


def _mps2(name: str, arch: str, machine: str, cflags: tuple[str, ...], feature: Feature, psram: int) -> Core:
    code = Region("SSRAM1", 0x0000_0000, 4 * MIB)
    ram = Region("SSRAM23", 0x2000_0000, 4 * MIB)
    return Core(name, arch, machine, cflags, feature, f"{machine}.ld", code, code, ram, ram, 64 * KIB, Region("PSRAM", psram, 16 * MIB))


_MICROBIT_FLASH = Region("FLASH", 0x0000_0000, 256 * KIB)
_MICROBIT_SRAM = Region("SRAM", 0x2000_0000, 16 * KIB)
_AN505_CODE = Region("SSRAM1", 0x1000_0000, 4 * MIB)
_AN505_RAM = Region("SSRAM23", 0x3800_0000, 4 * MIB)

CORES: dict[str, Core] = {
    c.name: c
    for c in (
        Core(
            "cortex-m0", "armv6-m", "microbit", ("-mthumb", "-mcpu=cortex-m0"), Feature.SCALAR,
            "microbit.ld", _MICROBIT_FLASH, _MICROBIT_FLASH, _MICROBIT_SRAM, _MICROBIT_SRAM, 4 * KIB,
        ),
        _mps2("cortex-m3", "armv7-m", "mps2-an385", ("-mthumb", "-mcpu=cortex-m3"), Feature.SCALAR, 0x2100_0000),
        _mps2(
            "cortex-m4", "armv7e-m", "mps2-an386",
            ("-mthumb", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"), Feature.DSP, 0x2100_0000,
        ),
        _mps2(
            "cortex-m7", "armv7e-m", "mps2-an500",
            ("-mthumb", "-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard"), Feature.DSP, 0x6000_0000,
        ),
        Core(
            "cortex-m33", "armv8-m.main", "mps2-an505",
            ("-mthumb", "-mcpu=cortex-m33", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"), Feature.DSP,
            "mps2-an505.ld", _AN505_CODE, _AN505_CODE, _AN505_RAM, _AN505_RAM, 64 * KIB,
            Region("PSRAM", 0x8000_0000, 16 * MIB),
        ),
        Core(
            "cortex-m55", "armv8.1-m.main", "mps3-an547", ("-mthumb", "-mcpu=cortex-m55", "-mfloat-abi=hard"),
            Feature.MVE, "mps3-an547.ld",
            Region("ITCM", 0x1000_0000, 512 * KIB), Region("DDR", 0x7000_0000, 16 * MIB),
            Region("SRAM", 0x1100_0000, 2 * MIB), Region("DTCM", 0x3000_0000, 512 * KIB), 64 * KIB,
            Region("DDR_BULK", 0x6000_0000, 16 * MIB),
        ),
    )
}


def get_core(name: str, *, noun: str = "core") -> Core:
    """The core called ``name``: "cortex-m4", "m4" or "M4". An unknown name
    raises ``UnknownCoreError`` ("unknown {noun} 'NAME': ...")."""
    if not isinstance(name, str):
        raise ArgError(f"{noun}: must be a string such as 'cortex-m4', got {type(name).__name__}")
    key = name.strip().lower()
    key = key if key.startswith("cortex-") else f"cortex-{key}"
    if key not in CORES:
        raise UnknownCoreError(_unknown(name, noun))
    return CORES[key]


def feature_of(name: str) -> Feature:
    """The kernel build of a core, or of ``HOST`` (portable C)."""
    if name == HOST:
        return Feature.SCALAR
    try:
        return get_core(name).feature
    except UnknownCoreError:
        raise UnknownCoreError(_unknown(name, "core", also=HOST)) from None


def feature_alignment(feature: Feature) -> int:
    """Byte alignment of arena buffers for a kernel build: 16 for MVE (vector loads), else 4."""
    return 16 if feature is Feature.MVE else 4


def alignment_of(name: str) -> int:
    """Byte alignment of arena buffers on a core, or on ``HOST``."""
    return feature_alignment(feature_of(name))


def _unknown(name: object, noun: str, also: str | None = None) -> str:
    known = ", ".join(c.short for c in CORES.values())
    extra = f", or '{also}'" if also else ""
    return f"unknown {noun} '{name}': pycmsisnn targets {known} (as 'm4' or 'cortex-m4'){extra}"


__all__ = [
    "CORES", "Core", "DEFAULT_CORE", "Feature", "HOST", "KIB", "MIB", "Region", "UnknownCoreError",
    "alignment_of", "feature_alignment", "feature_of", "get_core",
]
