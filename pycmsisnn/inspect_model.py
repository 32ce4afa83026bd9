"""What ``pycmsisnn inspect`` shows of any readable model: inputs, outputs,
one row per layer (operator, the kernel variant it reaches on the chosen
core, output shape, MACs, scratch, arena offset; or why it is unsupported;
or the constants it was folded to at load time, ``pycmsisnn.fold``),
then memory against the core's board. ``--verbose`` adds every tensor and
derived parameter of each layer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .cores import DEFAULT_CORE, get_core
from .fold import describe_folded, fold
from .footprint import RamFigure, StackSource, arena_home
from .ir import Graph, Operator
from .lower import KernelCall, Plan, TensorArg, operator_reason, refusal_reasons
from .lower.registry import RULES
from .memory import ArenaPlan, peak_bytes, plan_arena


@dataclass(frozen=True)
class LayerRow:
    """One layer as the table shows it."""

    layer: int
    opcode: str
    kernel: str | None  # the C function reached on the core; None when unsupported
    output_shape: tuple[int, ...]
    macs: int = 0
    scratch_bytes: int = 0
    arena_offset: int | None = None  # of the output, when the whole model is planned
    reason: str | None = None  # why the layer is unsupported
    folded: str | None = None  # the constants the operator was folded to at load time


@dataclass
class Inspection:
    """A model as ``inspect`` describes it, on one core."""

    target: str
    inputs: list[str]
    outputs: list[str]
    layers: list[LayerRow]
    reasons: list[str]  # every reason the model cannot run (empty: it runs)
    calls: dict[int, KernelCall] = field(default_factory=dict, repr=False)
    plan: Plan | None = field(default=None, repr=False)
    arena: ArenaPlan | None = field(default=None, repr=False)
    ram: RamFigure | None = None
    flash_bytes: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def runnable(self) -> bool:
        return not self.reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.runnable else "unsupported",
            "target": self.target,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "layers": [asdict(r) for r in self.layers],
            "reasons": self.reasons,
            "arena_bytes": self.arena.arena_bytes if self.arena else None,
            "flash_bytes": self.flash_bytes,
            "ram": self.ram.to_dict() if self.ram else None,
            "macs": sum(r.macs for r in self.layers),
            "warnings": self.warnings,
        }


def _value(v: object) -> str:
    if isinstance(v, np.ndarray):
        return f"const {v.dtype.name}{list(v.shape)}"
    if isinstance(v, TensorArg):
        return f"tensor {v.index}" + (f" as {list(v.shape)}" if v.shape else "")
    text = repr(v)
    return text if len(text) <= 160 else text[:157] + "..."


def _tensor_lines(graph: Graph, op: Operator) -> list[str]:
    lines = [f"      in  {graph.tensor(i).describe()}" for i in op.inputs if i >= 0]
    return lines + [f"      out {graph.tensor(i).describe()}" for i in op.outputs]


def describe_call(graph: Graph, call: KernelCall) -> list[str]:
    """A lowered layer in full: kernel, tensors, every derived parameter."""
    op = call.op
    lines = [f"[{op.index}] {op.opcode} -> {call.kernel}" + (f" -> {call.variant}" if call.variant and call.variant != call.kernel else "")]
    lines += _tensor_lines(graph, op)
    lines += [f"      {k} = {_value(v)}" for k, v in call.args.items()]
    extra = ([f"scratch {call.scratch_bytes} B"] if call.scratch_bytes else []) + ([f"{call.macs} MACs"] if call.macs else [])
    if extra:
        lines.append("      " + ", ".join(extra))
    return lines


def planned_arena(plan: Plan) -> str:
    """The line of the planned arena (greedy, in place) per kernel build."""
    sizes = {core: plan_arena(plan, core) for core in ("cortex-m3", "cortex-m4", "cortex-m55")}
    shared = len(sizes["cortex-m4"].aliases)
    return "planned arena (greedy, %d tensor(s) in place): %s" % (
        shared, ", ".join(f"{core} {a.arena_bytes} B" for core, a in sizes.items())
    ) + " (portable / DSP / MVE kernel scratch)"


def _estimate(plan: Plan, core: str) -> tuple[int, RamFigure]:
    """Flash and RAM of the generated project, estimated without building
    (``convert`` and ``bench`` measure them)."""
    from .codegen import generate
    from .codegen.report import STACK_ESTIMATE, estimate_code

    _, arena, constants, _ = generate(plan, core, "model")
    code = estimate_code(sorted({c.reached for c in plan.calls}), len(plan.calls))
    return code + constants, RamFigure(arena.arena_bytes, STACK_ESTIMATE, StackSource.GUESS, arena.state_bytes)


def board_warnings(plan: Plan, target: str, flash_bytes: int, ram: RamFigure) -> list[str]:
    """Where the plan exceeds the memories of the core's board, and where a
    large arena is placed instead."""
    core = get_core(target)
    warnings = []
    if flash_bytes > core.flash_bytes:
        warnings.append(f"flash: {flash_bytes:,} B of code and constants exceed {target}'s {core.flash_bytes:,} B "
                        f"({core.code.name}{'' if core.const == core.code else ' + ' + core.const.name})")
    home = arena_home(plan, ram.arena_bytes, core)
    if home is None:
        warnings.append(f"RAM: {ram.total_bytes:,} B exceed {target}'s {core.ram_bytes:,} B "
                        f"({core.ram.name}{'' if core.stack == core.ram else ' + ' + core.stack.name}) and the board has no larger memory")
    elif home != core.ram:
        warnings.append(f"RAM: the {ram.arena_bytes:,} B arena does not fit in {target}'s {core.ram.name} ({core.ram.size:,} B): "
                        f"it is placed in the board's {home.name} ({home.size:,} B), slower memory on real boards")
    return warnings


def inspect_graph(graph: Graph, target: str = DEFAULT_CORE) -> Inspection:
    """Describe ``graph`` on ``target`` after constant folding: each layer
    that lowers with its kernel, each that does not with its reason, each
    folded one with its constants; memory when all lower."""
    target = get_core(target).name
    graph = fold(graph)
    reasons = refusal_reasons(graph)
    calls: dict[int, KernelCall] = {}
    op_reasons: dict[int, str] = {}
    for op in graph.operators:
        reason = operator_reason(graph, op)
        if reason is None:
            calls[op.index] = RULES[op.opcode].lower(graph, op)
        else:
            op_reasons[op.index] = reason
    result = Inspection(target, [graph.tensor(i).describe() for i in graph.inputs],
                        [graph.tensor(i).describe() for i in graph.outputs], [], reasons, calls)
    if not reasons:
        result.plan = Plan(graph, tuple(calls[op.index] for op in graph.operators))
        result.arena = plan_arena(result.plan, target)
        result.flash_bytes, result.ram = _estimate(result.plan, target)
        result.warnings = board_warnings(result.plan, target, result.flash_bytes, result.ram)
    for k, op in enumerate(graph.operators):
        out = graph.tensor(op.outputs[0]).shape if op.outputs else ()
        call = calls.get(op.index)
        if call is None:
            result.layers.append(LayerRow(op.index, op.opcode, None, out, reason=op_reasons[op.index]))
            continue
        scratch = sum(p.nbytes for p in result.arena.scratch[k]) if result.arena else call.scratch_bytes
        offset = result.arena.tensors[op.outputs[0]].offset if result.arena and op.outputs[0] in result.arena.tensors else None
        result.layers.append(LayerRow(op.index, op.opcode, call.reached, out, call.macs, scratch, offset))
    for f in graph.folded:
        out = graph.tensor(f.outputs[0]).shape if f.outputs else ()
        result.layers.append(LayerRow(f.index, f.opcode, None, out, folded=describe_folded(graph, f).split(" -> ", 1)[1]))
    result.layers.sort(key=lambda r: r.layer)
    return result


def _table(rows: list[LayerRow], target: str) -> list[str]:
    kernel_head = f"kernel ({target})"
    lines = [f"{'layer':>5}  {'operator':<22} {kernel_head:<34} {'output':<18} {'MACs':>11} {'scratch':>8} {'arena offset':>12}"]
    for r in rows:
        if r.folded is not None:
            lines.append(f"{r.layer:>5}  {r.opcode:<22} folded at load time: {r.folded}")
            continue
        if r.kernel is None:
            lines.append(f"{r.layer:>5}  {r.opcode:<22} unsupported: {r.reason}")
            continue
        offset = "" if r.arena_offset is None else f"{r.arena_offset:,}"
        lines.append(f"{r.layer:>5}  {r.opcode:<22} {r.kernel:<34} {str(list(r.output_shape)):<18} {r.macs:>11,} "
                     f"{r.scratch_bytes:>8,} {offset:>12}")
    return lines


def describe(graph: Graph, target: str = DEFAULT_CORE, *, verbose: bool = False) -> str:
    """The text ``inspect`` prints."""
    graph = fold(graph)
    info = inspect_graph(graph, target)
    counts = ", ".join(f"{k} x{v}" for k, v in graph.op_counts().items())
    lines = ["inputs:"] + [f"  {t}" for t in info.inputs] + ["outputs:"] + [f"  {t}" for t in info.outputs]
    folded = f"; {len(graph.folded)} more folded at load time (shape arithmetic)" if graph.folded else ""
    lines.append(f"operators ({len(graph.operators)}): {counts}{folded}")
    lines += _table(info.layers, info.target)
    if verbose:
        lines.append("layers in full:")
        for op in graph.operators:
            call = info.calls.get(op.index)
            lines += describe_call(graph, call) if call else [f"[{op.index}] {op.opcode}: unsupported"] + _tensor_lines(graph, op)
    if info.plan is not None and info.ram is not None:
        used = {i for op in graph.operators for i in op.inputs}  # constants only folded operators read are gone
        weights = sum(t.nbytes for t in graph.tensors if t.is_constant and t.index in used)
        acts = sum(t.nbytes for t in graph.tensors if not t.is_constant)
        lines.append(f"constants: {weights} B; activations: {acts} B in all, peak live {peak_bytes(info.plan)} B (with scratch, no in-place reuse)")
        lines.append(planned_arena(info.plan))
        lines.append(f"{info.target} (estimated): flash {info.flash_bytes:,} B; {info.ram.describe()}")
        lines += [f"warning: {w}" for w in info.warnings]
        lines.append(f"MACs per inference: {sum(r.macs for r in info.layers)}")
    else:
        lines.append(f"not runnable ({len(info.reasons)} reason(s)):")
        lines += [f"  {r}" for r in info.reasons]
    return "\n".join(lines)
