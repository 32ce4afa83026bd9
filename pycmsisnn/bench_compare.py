"""``pycmsisnn bench MODEL --target T --compare-cmsis-nn PATH``: our kernels and
Arm's CMSIS-NN on the same generated C, per layer side by side.

The model is converted once for Arm's library (its scratch sizes, which
also hold ours), and that one ``NAME.c`` is built twice for the core: against
Arm's checkout (with our kernels of operators it lacks) and against ours.
Both builds run the same random input under QEMU; each must give the host's
outputs. The report has, per layer, the instructions of each and their ratio
(ours / Arm's: below 1 ours is faster), the totals, and flash and RAM of both.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .bench import BenchReport, bench
from .footprint import RamFigure
from .library_files import CSRC, check_library


def _ratio(ours: int, arm: int) -> float | None:
    return ours / arm if arm else None


@dataclass(frozen=True)
class LayerComparison:
    """One layer: instructions with our kernels and with Arm's."""

    layer: int
    opcode: str
    kernel: str  # the CMSIS-NN function the generated C calls (ours reaches this variant)
    ours: int
    arm: int

    @property
    def ratio(self) -> float | None:
        """ours / Arm's (None when Arm's count is 0)."""
        return _ratio(self.ours, self.arm)


@dataclass(frozen=True)
class LibraryFigures:
    """One library's build of the generated C: instructions, flash and RAM."""

    library: str  # "pycmsisnn" or the path of Arm's checkout
    instructions: int  # one inference
    flash_bytes: int
    code_bytes: int
    constants_bytes: int
    ram: RamFigure

    @classmethod
    def of(cls, library: str, report: BenchReport) -> "LibraryFigures":
        return cls(library, report.instructions, report.flash_bytes, report.code_bytes, report.constants_bytes, report.ram)

    def to_dict(self) -> dict[str, Any]:
        return {"library": self.library, "instructions": self.instructions, "flash_bytes": self.flash_bytes,
                "code_bytes": self.code_bytes, "constants_bytes": self.constants_bytes, "ram": self.ram.to_dict()}


@dataclass(frozen=True)
class CompareReport:
    """Our kernels against Arm's on one model and core."""

    model: str
    target: str
    layers: tuple[LayerComparison, ...]
    ours: LibraryFigures
    arm: LibraryFigures

    @property
    def ratio(self) -> float | None:
        """Instructions per inference, ours / Arm's."""
        return _ratio(self.ours.instructions, self.arm.instructions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model, "target": self.target,
            "layers": [asdict(r) | {"ratio": r.ratio} for r in self.layers],
            "ours": self.ours.to_dict(), "arm": self.arm.to_dict(), "ratio": self.ratio,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_text(self) -> str:
        def ratio(r: float | None) -> str:
            return f"{r:.3f}" if r is not None else "-"

        lines = [
            f"{self.model} on {self.target}: pycmsisnn's kernels and Arm's CMSIS-NN ({self.arm.library}) on the same generated C",
            f"{'layer':>5}  {'operator':<18} {'kernel':<32} {'ours':>13} {'Arm':>13} {'ours/Arm':>9}",
        ]
        for r in self.layers:
            lines.append(f"{r.layer:>5}  {r.opcode:<18} {r.kernel:<32} {r.ours:>13,} {r.arm:>13,} {ratio(r.ratio):>9}")
        lines.append(f"{'total (one inference)':<58} {self.ours.instructions:>13,} {self.arm.instructions:>13,} {ratio(self.ratio):>9}")
        for label, f in (("ours", self.ours), ("Arm ", self.arm)):
            lines.append(f"{label}: flash {f.flash_bytes:,} B (code {f.code_bytes:,}, constants {f.constants_bytes:,}); {f.ram.describe()}")
        return "\n".join(lines)


def compare_bench(source: str | Path | bytes, target: str, cmsis_nn: str | Path, seed: int = 0) -> CompareReport:
    """Count one inference of ``source`` on ``target`` with our kernels and with
    Arm's (the checkout at ``cmsis_nn``), on the same generated C."""
    arm_root = check_library(cmsis_nn)
    arm = bench(source, target, seed, cmsis_nn=arm_root)
    ours = bench(source, target, seed, cmsis_nn=arm_root, library=CSRC)
    if arm.source_digest != ours.source_digest:
        raise AssertionError(f"{arm.model} on {target}: the two builds compiled different generated C")
    layers = tuple(
        LayerComparison(a.layer, a.opcode, o.kernel, o.instructions, a.instructions) for o, a in zip(ours.layers, arm.layers)
    )
    return CompareReport(arm.model, target, layers, LibraryFigures.of("pycmsisnn", ours), LibraryFigures.of(str(arm_root), arm))
