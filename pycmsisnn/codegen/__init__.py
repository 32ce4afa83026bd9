"""Code generation: a lowered model as a standalone C project for a Cortex-M core.

``convert(plan_or_model, out_dir, target, name)`` plans the arena for the
core (``pycmsisnn.memory.plan_arena``), emits ``NAME.h`` / ``NAME.c`` (one
emit function per CMSIS-NN struct in ``structs``, one emitter per kernel in
``kernels``), copies the kernel library, writes ``Makefile``,
``CMakeLists.txt``, ``report.json`` and ``report.txt``, and returns the
``ProjectReport``. A model with an operator that cannot be emitted is refused
(``CodegenRefusal``, naming each operator and why) before anything is written.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np

from ..cores import CORES, DEFAULT_CORE, Core, get_core
from ..ir import Graph
from ..lower import Plan, lower
from ..lower.common import as4d
from ..memory import ArenaPlan, plan_arena
from ..tflite import read_model
from .cwriter import CodegenRefusal, c_identifier
from .project import LIBRARY_DIR, check_official, cmake_text, copied_files, makefile_text, project_library
from .report import PatchReport, ProjectReport, finish_report
from .source import build_layers, header_text, source_text

DEFAULT_TARGET = DEFAULT_CORE
TARGETS = tuple(CORES)


def as_plan(source: Any) -> Plan:
    """A Plan from a Plan, a runtime Model, a Graph, a .tflite path or its bytes."""
    if isinstance(source, Plan):
        return source
    plan = getattr(source, "plan", None)
    if isinstance(plan, Plan):
        return plan
    if isinstance(source, Graph):
        return lower(source)
    if isinstance(source, (str, Path, bytes, bytearray)):
        return lower(read_model(bytes(source) if isinstance(source, bytearray) else source, strict=False))
    raise TypeError(f"expected a Plan, a Model, a Graph, a .tflite path or bytes, got {type(source).__name__}")


def _layer_table(plan: Plan, arena: ArenaPlan) -> list[dict[str, Any]]:
    rows = []
    for k, call in enumerate(plan.calls):
        o = arena.layer_output(k, call.outputs)
        rows.append({
            "layer": k, "opcode": call.op.opcode, "kernel": call.kernel, "host_variant": call.reached, "tensor": o,
            "output_offset": arena.offset(o), "output_bytes": plan.graph.tensor(o).nbytes,
            "scratch_bytes": sum(p.nbytes for p in arena.scratch[k]),
        })
    return rows


def generate(plan: Plan, target: str, name: str, *, official: Path | None = None, strategy: str | None = None,
             arena_limit: int | None = None, patches: bool | None = None) -> tuple[dict[str, str], ArenaPlan, int, Core]:
    """The generated text files by relative path, the arena plan, the
    constant bytes and the core (nothing written)."""
    c_identifier(name)
    cpu = get_core(target, noun="target")  # a Cortex-M core: the host is no target
    target = cpu.name
    library = project_library(official)
    if official is not None:
        problems = arm_library_problems(plan)
        if problems:
            raise CodegenRefusal("Arm's library cannot run these layers exactly (build with ours instead): " + "; ".join(problems))
    arena = plan_arena(plan, target, strategy=strategy, library=arena_library(official), arena_limit=arena_limit, patches=patches)
    unit, layers = build_layers(name, plan, arena, cpu.feature)
    files = {
        f"{name}.h": header_text(name, plan, arena, target),
        f"{name}.c": source_text(name, plan, arena, target, unit, layers),
        "Makefile": makefile_text(name, cpu, library),
        "CMakeLists.txt": cmake_text(name, cpu, library),
    }
    return files, arena, unit.constant_bytes, cpu


def convert(
    plan_or_model: Any,
    out_dir: str | Path,
    target: str = DEFAULT_TARGET,
    name: str = "model",
    *,
    cmsis_nn: str | Path | None = None,
    strategy: str | None = None,
    measure_size: bool | None = None,
    arena_limit: int | None = None,
    patches: bool | None = None,
) -> ProjectReport:
    """Write the C project of a model for ``target`` into ``out_dir``.

    ``cmsis_nn``: a checkout of Arm's CMSIS-NN to build against instead of a
    copy of ours. ``strategy``: "greedy" or "linear" arena planning (default:
    greedy unless PYCMSISNN_NO_MEMORY_PLANNER=1). ``measure_size``: size the
    build with arm-none-eabi-gcc (default: when the toolchain is installed).
    ``arena_limit`` (bytes) and ``patches``: see ``pycmsisnn.memory.plan_arena``.
    """
    plan = as_plan(plan_or_model)
    official = check_official(Path(cmsis_nn)) if cmsis_nn is not None else None
    files, arena, constants, cpu = generate(plan, target, name, official=official, strategy=strategy, arena_limit=arena_limit,
                                            patches=patches)
    target = cpu.name
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / LIBRARY_DIR).exists():
        shutil.rmtree(out / LIBRARY_DIR)
    for src, rel in copied_files(project_library(official)):
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for rel, text in files.items():
        (out / rel).write_text(text)
    kernels = sorted({c.reached for c in plan.calls})
    report = ProjectReport(
        name=name,
        target=target,
        out_dir=str(out),
        library=str(official) if official else "pycmsisnn",
        layers=len(plan.calls),
        arena_bytes=arena.arena_bytes,
        peak_bytes=arena.peak_bytes,
        linear_arena_bytes=plan_arena(plan, target, strategy="linear", library=arena_library(official)).arena_bytes,
        in_place_tensors=len(arena.aliases),
        constants_bytes=constants,
        code_bytes=0,
        stack_bytes=0,
        measured=False,
        files=sorted(list(files) + [LIBRARY_DIR + "/", "report.json", "report.txt"]),
        kernels=kernels,
        layer_table=_layer_table(plan, arena),
        state_bytes=arena.state_bytes,
        patch=patch_report(plan, arena, target, arena_library(official), arena_limit),
    )
    return finish_report(report, out, cpu, measure_size)


def patch_report(plan: Plan, arena: ArenaPlan, target: str, library: str, arena_limit: int | None = None) -> PatchReport | None:
    """The patch chain the plan took, with its cost in MACs and the arena without it."""
    chain = arena.patch
    if chain is None:
        return None
    without = plan_arena(plan, target, library=library, arena_limit=arena_limit, patches=False)
    return PatchReport(
        first=chain.first, last=chain.last, bands=len(chain.bands), band_rows=chain.band_rows, macs=chain.macs,
        patched_macs=chain.patched_macs, arena_bytes_without=without.arena_bytes,
    )


def arm_library_problems(plan: Plan) -> list[str]:
    """Layers that Arm's CMSIS-NN computes wrongly (measured against TFLite
    Micro on its commit 99f736a6): arm_minimum_s8 / arm_maximum_s8 with an
    input of NHWC dims (N, H > 1, 1, 1) broadcast over an output wider than 1.
    Our kernels compute them exactly."""
    problems = []
    g = plan.graph
    for call in plan.calls:
        if call.kernel not in ("arm_minimum_s8", "arm_maximum_s8"):
            continue
        out_w = as4d(g.tensor(call.outputs[0]).shape)[2]
        for role in ("input_1", "input_2"):
            value = call.args[role]
            shape = tuple(value.shape) if isinstance(value, np.ndarray) else tuple(
                value.shape if value.shape is not None else g.tensor(value.index).shape)
            _, h, w, c = as4d(shape)
            if h > 1 and w == 1 and c == 1 and out_w > 1:
                problems.append(f"operator {call.op.index} ({call.op.opcode}): {role} of shape {list(shape)} "
                                f"broadcast over width {out_w}")
    return problems


def arena_library(official: Path | None) -> str:
    return "official" if official else "pycmsisnn"


# ``convert --legacy``: the same project calling the legacy q7 kernels (see legacy.py).
from .legacy import LegacyProjectReport, LegacyRefusal, convert_legacy  # noqa: E402

__all__ = [
    "CodegenRefusal", "DEFAULT_TARGET", "LegacyProjectReport", "LegacyRefusal", "ProjectReport", "TARGETS", "as_plan",
    "convert", "convert_legacy", "generate",
]
