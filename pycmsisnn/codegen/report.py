"""What a generated project costs: flash (code + constants) and RAM (arena +
stack), measured with arm-none-eabi-gcc / -size when they are installed,
estimated otherwise.

Measured: the project's Makefile builds the library with ``-fstack-usage``
into a temporary directory, ``NAME_invoke`` is linked alone with
``--gc-sections`` (only what it reaches stays), and ``arm-none-eabi-size``
gives text + data (flash) and data + bss (static RAM, which holds the arena).
The stack is estimated from the ``.su`` frames: ``NAME_invoke`` + its largest
layer frame + the three largest kernel frames (a wrapper, a kernel and a
helper deep), an upper-side estimate rather than a measurement.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..errors import CmsisNNError
from ..cores import Core
from ..footprint import RamFigure, StackSource

TOOL_TIMEOUT_S = 600
# Without a toolchain: rough code bytes per distinct C kernel and per layer
# (parameter structs and the call), and a stack guess.
CODE_PER_KERNEL_ESTIMATE = 1536
CODE_PER_LAYER_ESTIMATE = 96
STACK_ESTIMATE = 1024


class MeasurementError(RuntimeError, CmsisNNError):
    """The cross build that sizes a project failed (the message has the compiler's output)."""


@dataclass(frozen=True)
class PatchReport:
    """The network's first layers computed in bands of rows (``pycmsisnn.patches``), and what that costs."""

    first: int  # layers first .. last
    last: int
    bands: int
    band_rows: int  # output rows of layer ``last`` per band
    macs: int  # the layers' MACs computed whole
    patched_macs: int  # their MACs in bands (the overlap recomputed)
    arena_bytes_without: int  # the arena the plan has without the chain

    @property
    def recomputed(self) -> float:
        """Recomputed MACs as a fraction of the layers' MACs."""
        return self.patched_macs / self.macs - 1 if self.macs else 0.0

    def describe(self, arena_bytes: int) -> str:
        return (f"patches: layers {self.first}-{self.last} in {self.bands} bands of {self.band_rows} row(s): arena "
                f"{self.arena_bytes_without:,} -> {arena_bytes:,} B, {self.patched_macs - self.macs:,} MACs recomputed "
                f"(+{100 * self.recomputed:.1f} % of theirs; instructions measured by pycmsisnn bench)")


@dataclass
class ProjectReport:
    """The generated project: where, for what, and its memory cost in bytes."""

    name: str
    target: str
    out_dir: str
    library: str  # "pycmsisnn" or the path of Arm's CMSIS-NN
    layers: int
    arena_bytes: int
    peak_bytes: int  # most bytes alive at once (a lower bound of the arena)
    linear_arena_bytes: int  # the arena without reuse, for comparison
    in_place_tensors: int
    constants_bytes: int
    code_bytes: int
    stack_bytes: int
    measured: bool  # code and stack from the cross toolchain (else estimates)
    files: list[str] = field(default_factory=list)
    kernels: list[str] = field(default_factory=list)
    layer_table: list[dict[str, Any]] = field(default_factory=list)
    state_bytes: int = 0  # the persistent state buffer (variable tensors), outside the arena
    patch: PatchReport | None = None  # the first layers computed in bands of rows, if the planner chose it

    @property
    def flash_bytes(self) -> int:
        return self.code_bytes + self.constants_bytes

    @property
    def ram(self) -> RamFigure:
        """Arena + stack, the stack from -fstack-usage when measured, else a guess."""
        return RamFigure(self.arena_bytes, self.stack_bytes, StackSource.STACK_USAGE if self.measured else StackSource.GUESS,
                         self.state_bytes)

    @property
    def ram_bytes(self) -> int:
        return self.ram.total_bytes

    def to_dict(self) -> dict[str, Any]:
        patch = None if self.patch is None else asdict(self.patch) | {"recomputed": self.patch.recomputed}
        return asdict(self) | {"flash_bytes": self.flash_bytes, "ram_bytes": self.ram_bytes, "ram": self.ram.to_dict(), "patch": patch}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_text(self) -> str:
        how = "measured with arm-none-eabi-gcc" if self.measured else "estimated (no arm-none-eabi-gcc)"
        lines = [
            f"{self.name} for {self.target}: {self.layers} layers, kernels from {self.library}",
            f"flash: {self.flash_bytes} B = code {self.code_bytes} B ({how}) + constants {self.constants_bytes} B",
            self.ram.describe(),
            f"arena: live peak {self.peak_bytes} B, {self.in_place_tensors} tensor(s) in place; without reuse {self.linear_arena_bytes} B",
        ]
        if self.patch is not None:
            lines.append(self.patch.describe(self.arena_bytes))
        lines.append("layers:")
        for row in self.layer_table:
            scratch = f", scratch {row['scratch_bytes']} B" if row["scratch_bytes"] else ""
            via = f" ({row['host_variant']} on the host)" if row["host_variant"] != row["kernel"] else ""
            lines.append(f"  [{row['layer']}] {row['opcode']} -> {row['kernel']}{via}: output at +{row['output_offset']} ({row['output_bytes']} B){scratch}")
        lines.append(f"files: {', '.join(self.files)}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Measured:
    code_bytes: int  # flash minus the constants
    flash_bytes: int
    stack_bytes: int


def toolchain_available() -> bool:
    return all(shutil.which(t) for t in ("arm-none-eabi-gcc", "arm-none-eabi-ar", "arm-none-eabi-size", "make"))


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise MeasurementError(f"{' '.join(cmd[:3])} ... did not finish in {TOOL_TIMEOUT_S} s") from exc
    if result.returncode != 0:
        raise MeasurementError(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result


def _frames(build: Path) -> dict[str, int]:
    """Stack frame bytes per function from gcc's .su files."""
    frames: dict[str, int] = {}
    for su in build.glob("*.su"):
        for line in su.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                frames[parts[0].rsplit(":", 1)[-1]] = int(parts[1])
    return frames


def measure(project: Path, name: str, core: Core, constants_bytes: int) -> Measured:
    """Build ``project`` for ``core`` and size what ``NAME_invoke`` reaches."""
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-size-") as tmp:
        build = Path(tmp) / "build"
        lib = Path(tmp) / f"lib{name}.a"
        _run(["make", "-s", "-j2", f"BUILD={build}", "EXTRA_CFLAGS=-fstack-usage", f"lib{name}.a"], project)
        shutil.move(str(project / f"lib{name}.a"), lib)
        elf = Path(tmp) / "size.elf"
        _run(["arm-none-eabi-gcc", *core.cflags, "-nostartfiles", "--specs=nosys.specs", "-Wl,--gc-sections",
              f"-Wl,--entry={name}_invoke", f"-Wl,--undefined={name}_invoke", "-o", str(elf), str(lib)], project)
        out = _run(["arm-none-eabi-size", "-B", str(elf)], project).stdout.splitlines()
        text, data, _bss = (int(v) for v in out[1].split()[:3])
        frames = _frames(build)
    flash = text + data
    invoke = frames.get(f"{name}_invoke", 0)
    layer_frames = [v for k, v in frames.items() if re.fullmatch(rf"{re.escape(name)}_layer_\d+", k)]
    kernel_frames = sorted((v for k, v in frames.items() if not k.startswith(f"{name}_")), reverse=True)
    stack = invoke + max(layer_frames, default=0) + sum(kernel_frames[:3])
    return Measured(code_bytes=max(flash - constants_bytes, 0), flash_bytes=flash, stack_bytes=stack)


def estimate_code(kernels: list[str], layers: int) -> int:
    return CODE_PER_KERNEL_ESTIMATE * len(kernels) + CODE_PER_LAYER_ESTIMATE * layers


R = TypeVar("R", bound=ProjectReport)


def finish_report(report: R, out: Path, cpu: Core, measure_size: bool | None) -> R:
    """Fill in code and stack bytes (measured with the cross toolchain when
    ``measure_size``, by default when it is installed; else estimated) and
    write report.json and report.txt into the project ``out``."""
    if measure_size if measure_size is not None else toolchain_available():
        m = measure(out, report.name, cpu, report.constants_bytes)
        report.code_bytes, report.stack_bytes, report.measured = m.code_bytes, m.stack_bytes, True
    else:
        report.code_bytes, report.stack_bytes = estimate_code(report.kernels, report.layers), STACK_ESTIMATE
    (out / "report.json").write_text(report.to_json() + "\n")
    (out / "report.txt").write_text(report.to_text())
    return report
