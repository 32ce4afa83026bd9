"""Running generated C on emulated Cortex-M cores (QEMU), bit for bit.

The API, on top of which ``verify --target`` and ``bench`` are built::

    from pycmsisnn import targets
    result = targets.run_project("out/mymodel", "mymodel", "cortex-m4", [x])
    result.check()                       # raises TargetRunError unless status is ok
    result.outputs                       # numpy arrays, dtype and dims from NAME.h
    result.instructions.layers           # executed instructions per layer
    result.stack_used, result.sizes.flash, result.sizes.ram

``run_project`` builds the project directory (NAME.h, NAME.c and a kernel
library: its ``cmsis_nn`` copy unless ``cmsis_nn=`` names a library root,
such as Arm's checkout, whose files ``pycmsisnn.library_files`` selects) for the core
into a temporary directory, runs it under ``qemu-system-arm`` with a timeout
and the instruction-counting plugin, and returns a ``TargetResult``: a
``RunStatus`` (ok, kernel_error, hard_fault, stack_overflow, timeout,
io_error, unexpected_exception, qemu_error) with the outputs, the counts
(total, per invoke, per layer), the stack high-water mark, the fault
registers, the section sizes and the console text. Missing tools raise
``ToolchainError`` naming the Debian package.

Lower level: ``build_project`` (one ELF) and ``run_build`` (one run of it),
``CORES``/``get_core`` (the cores and their boards, from ``pycmsisnn.cores``),
``timeout_for``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..cores import CORES, Core, Feature, get_core
from .build import BuildResult, SectionSizes, build_project, build_sources
from .errors import BuildError, ProjectError, TargetError, TargetRunError, ToolchainError
from .project import ProjectInfo, TensorSpec, read_project
from .qemu import DEFAULT_TIMEOUT, run_build, timeout_for
from .result import FaultInfo, InstructionCounts, LayerDump, RunStatus, TargetResult

__all__ = [
    "run_project", "build_project", "build_sources", "run_build", "read_project", "timeout_for", "get_core",
    "CORES", "Core", "Feature", "BuildResult", "SectionSizes", "ProjectInfo", "TensorSpec",
    "TargetResult", "RunStatus", "InstructionCounts", "FaultInfo", "LayerDump", "DEFAULT_TIMEOUT",
    "TargetError", "ToolchainError", "ProjectError", "BuildError", "TargetRunError",
]


def run_project(
    project_dir: str | Path,
    name: str,
    core: str | Core,
    inputs: np.ndarray | Sequence[np.ndarray],
    *,
    timeout: float | None = None,
    count_instructions: bool = True,
    dump_layers: bool = False,
    cmsis_nn: str | Path | None = None,
    defines: Mapping[str, str | int | None] | Sequence[str] = (),
    stack_size: int | None = None,
) -> TargetResult:
    """Build the project for ``core`` and run it once on ``inputs``.

    ``timeout`` in seconds (default ``DEFAULT_TIMEOUT``, 60 s; see
    ``timeout_for``); ``dump_layers`` also returns every layer's output
    (instruction counts then include that I/O); ``cmsis_nn`` the kernel
    library root (Arm's checkout, or ours) instead of the project's copy; ``defines`` extra macros
    for NAME.c; ``stack_size`` the stack bytes instead of the board default.
    """
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-build-") as tmp:
        build = build_project(
            project_dir, name, core, Path(tmp),
            cmsis_nn=cmsis_nn, dump_layers=dump_layers, defines=defines, stack_size=stack_size,
        )
        return run_build(build, inputs, timeout=timeout, count_instructions=count_instructions)
