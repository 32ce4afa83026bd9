"""The text ``pycmsisnn inspect`` prints: per layer, the operator, tensors,
quantisation, the kernel reached and every derived parameter; then memory."""
from __future__ import annotations

import numpy as np

from .cores import DEFAULT_CORE
from .ir import Graph
from .lower import KernelCall, Plan, TensorArg
from .memory import peak_bytes


def _value(v: object) -> str:
    if isinstance(v, np.ndarray):
        return f"const {v.dtype.name}{list(v.shape)}"
    if isinstance(v, TensorArg):
        return f"tensor {v.index}" + (f" as {list(v.shape)}" if v.shape else "")
    text = repr(v)
    return text if len(text) <= 160 else text[:157] + "..."


def describe_call(graph: Graph, call: KernelCall) -> list[str]:
    op = call.op
    lines = [f"[{op.index}] {op.opcode} -> {call.kernel}" + (f" -> {call.variant}" if call.variant and call.variant != call.kernel else "")]
    for i in op.inputs:
        if i >= 0:
            lines.append(f"      in  {graph.tensor(i).describe()}")
    for i in op.outputs:
        lines.append(f"      out {graph.tensor(i).describe()}")
    for k, v in call.args.items():
        lines.append(f"      {k} = {_value(v)}")
    extra = []
    if call.scratch_bytes:
        extra.append(f"scratch {call.scratch_bytes} B")
    if call.macs:
        extra.append(f"{call.macs} MACs")
    if extra:
        lines.append("      " + ", ".join(extra))
    return lines


def planned_arena(plan: Plan) -> str:
    """The line of the planned arena (greedy, in place) per kernel build."""
    from .memory import plan_arena

    sizes = {core: plan_arena(plan, core) for core in ("cortex-m3", "cortex-m4", "cortex-m55")}
    shared = len(sizes["cortex-m4"].aliases)
    return "planned arena (greedy, %d tensor(s) in place): %s" % (
        shared, ", ".join(f"{core} {a.arena_bytes} B" for core, a in sizes.items())
    ) + " (portable / DSP / MVE kernel scratch)"


def memory_footprint(plan: Plan, core: str = DEFAULT_CORE) -> str:
    """The flash and RAM line of ``convert``'s report, estimated without
    building: constants as generated, code from the kernels used, the arena as
    planned, a fixed stack estimate (``convert`` and ``bench`` measure them)."""
    from .codegen import generate
    from .codegen.report import STACK_ESTIMATE, estimate_code

    _, arena, constants, _ = generate(plan, core, "model")
    code = estimate_code(sorted({c.reached for c in plan.calls}), len(plan.calls))
    return (
        f"{core} (estimated): flash {code + constants} B = code ~{code} B + constants {constants} B; "
        f"RAM {arena.arena_bytes + STACK_ESTIMATE} B = arena {arena.arena_bytes} B + stack ~{STACK_ESTIMATE} B"
    )


def describe(plan: Plan) -> str:
    g = plan.graph
    lines = ["inputs:"] + [f"  {g.tensor(i).describe()}" for i in g.inputs]
    lines += ["outputs:"] + [f"  {g.tensor(i).describe()}" for i in g.outputs]
    counts = ", ".join(f"{k} x{v}" for k, v in g.op_counts().items())
    lines.append(f"operators ({len(g.operators)}): {counts}")
    for call in plan.calls:
        lines += describe_call(g, call)
    weights = sum(t.nbytes for t in g.tensors if t.is_constant)
    acts = sum(t.nbytes for t in g.tensors if not t.is_constant)
    lines.append(f"constants: {weights} B; activations: {acts} B in all, peak live {peak_bytes(plan)} B (with scratch, no in-place reuse)")
    lines.append(planned_arena(plan))
    lines.append(memory_footprint(plan))
    lines.append(f"MACs per inference: {sum(c.macs for c in plan.calls)}")
    return "\n".join(lines)
