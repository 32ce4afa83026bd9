"""A model converted to C and built for one Cortex-M core, run under QEMU.

Ties code generation (``pycmsisnn.codegen``) to the target runner
(``pycmsisnn.targets``): convert once, build once, run as often as needed.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from . import codegen, targets
from .codegen.report import ProjectReport
from .footprint import RamFigure, StackSource
from .lower import Plan
from .targets import BuildResult, Feature, TargetResult

NAME = "model"


class TargetModel:
    """``with TargetModel(plan, "cortex-m4") as tm: tm.run(inputs)``.

    ``cmsis_nn``: generate the C for Arm's CMSIS-NN checkout at that path
    and build against it. ``library``: build the same C against another
    library root instead (``pycmsisnn.library_files.CSRC``: ours), to
    compare the two libraries on one generated program. ``arena_limit``
    and ``patches``: see ``pycmsisnn.memory.plan_arena``."""

    def __init__(self, plan: Plan, core: str, *, dump_layers: bool = False, cmsis_nn: str | Path | None = None,
                 library: str | Path | None = None, arena_limit: int | None = None, patches: bool | None = None) -> None:
        self.plan = plan
        self.core = targets.get_core(core)
        self._tmp = tempfile.TemporaryDirectory(prefix="pycmsisnn-target-")
        root = Path(self._tmp.name)
        self.report: ProjectReport = codegen.convert(plan, root / "project", target=self.core.name, name=NAME, cmsis_nn=cmsis_nn,
                                                     arena_limit=arena_limit, patches=patches)
        self.source_text = (root / "project" / f"{NAME}.c").read_text()
        self.build: BuildResult = targets.build_project(
            root / "project", NAME, self.core, root / "build", cmsis_nn=library if library is not None else cmsis_nn,
            dump_layers=dump_layers,
        )

    def __enter__(self) -> "TargetModel":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._tmp.cleanup()

    def initial_state(self) -> bytes | None:
        """The state a sequence starts from: None, the program's own initial state."""
        return None

    def run(self, inputs: Sequence[np.ndarray], *, count_instructions: bool = False, state: bytes | None = None) -> TargetResult:
        """One run; raises ``TargetRunError`` (fault, overflow, hang, kernel error) unless it ends well.
        A stateful model starts from ``state`` (a previous result's ``state``;
        None: its initial state) and leaves the new one in ``result.state``."""
        result = targets.run_build(self.build, list(inputs), count_instructions=count_instructions, state=state)
        result.check()
        return result

    def ram(self, result: TargetResult | None = None) -> RamFigure:
        """The arena plus the stack ``result``'s run used (measured), or the
        project's estimate when no run measured it."""
        if result is not None and result.stack_used:
            return RamFigure(self.report.arena_bytes, int(result.stack_used), StackSource.MEASURED, self.report.state_bytes)
        return self.report.ram

    def variant(self, layer: int) -> str:
        """The C kernel the layer's wrapper reaches on this core's build."""
        call = self.plan.calls[layer]
        reached = call.reached
        if self.core.feature is Feature.MVE and reached == "arm_depthwise_conv_3x3_s8":
            return "arm_depthwise_conv_s8_opt"  # MVE builds have no 3x3 special case
        if call.kernel == "arm_depthwise_conv_wrapper_s16" and self.core.feature is not Feature.SCALAR:
            from .kernels.convolution_s16 import arm_depthwise_conv_wrapper_s16_variant

            return arm_depthwise_conv_wrapper_s16_variant(call.args["dw_conv_params"], simd=True)
        return reached
