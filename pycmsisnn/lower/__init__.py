"""Lowering: each operator of a ``Graph`` becomes one kernel call with every
CMSIS-NN parameter derived (see ``plan`` for what is handed on, ``registry``
for how op modules register, one module per operator family)."""
from __future__ import annotations

import importlib
import pkgutil

from ..fold import file_constant_reason, fold, fold_reason
from ..ir import Graph, Operator
from ..tflite.reader import ModelError
from .common import LoweringError
from .plan import KernelCall, Plan, TensorArg
from .registry import NO_KERNEL_NOTES, RULE_REASON_FIRST, RULES

# Every other module of this package lowers an operator family and registers its rules on import.
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("common", "plan", "registry"):
        importlib.import_module(f"{__name__}.{_module.name}")


class UnsupportedModelError(ModelError):
    """The model is readable but pycmsisnn cannot run it; ``reasons`` lists
    every reason at once (the model's, then one line per operator kind)."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("unsupported model:\n  " + "\n  ".join(self.reasons))


# Custom operators pycmsisnn meets in the field, and what they mean.
_CUSTOM_NOTES = {
    "ethos-u": "an Ethos-U NPU command stream: the model was compiled by Vela; give pycmsisnn the model from before Vela",
    "Signal": "a TensorFlow Lite Micro signal-library operator (audio front end); run the front end outside the model",
    "TFLite_Detection_PostProcess": "object-detection post-processing; run it outside the model",
}


def _custom_reason(opcode: str) -> str:
    code = opcode.removeprefix("CUSTOM:")
    note = next((n for prefix, n in _CUSTOM_NOTES.items() if code.startswith(prefix)), None)
    return f"custom operator '{code}' has no kernel in pycmsisnn" + (f" ({note})" if note else "")


def operator_reason(graph: Graph, op: Operator) -> str | None:
    """Why ``op`` cannot be lowered, or None when it can."""
    if op.opcode.startswith("CUSTOM:"):
        return _custom_reason(op.opcode)
    computed = file_constant_reason(graph, op)
    if computed:
        return computed
    r = RULES.get(op.opcode)
    if r is None:
        note = NO_KERNEL_NOTES.get(op.opcode)
        reason: str | None = "no kernel for this operator" + (f" ({note})" if note else "")
    else:
        try:
            reason = r.check(graph, op)
        except LoweringError as exc:
            reason = str(exc)
    if reason and op.opcode in RULE_REASON_FIRST:
        return reason
    # Shape arithmetic left after constant folding: why it did not fold.
    return (fold_reason(graph, op) or reason) if reason else None


def unsupported(graph: Graph) -> list[str]:
    """One line per unsupported operator kind: name, count and reason."""
    problems: dict[str, list[str]] = {}
    for op in graph.operators:
        reason = operator_reason(graph, op)
        if reason:
            problems.setdefault(op.opcode, []).append(f"operator {op.index}: {reason}")
    return [f"{code} x{len(items)}: {items[0]}" + (f" (and {len(items) - 1} more)" if len(items) > 1 else "") for code, items in problems.items()]


def refusal_reasons(graph: Graph) -> list[str]:
    """Every reason the model cannot run: the model's own, then the operators'."""
    return list(graph.refusals) + unsupported(graph)


def lower(graph: Graph) -> Plan:
    """The plan of ``graph`` after constant folding (``pycmsisnn.fold``; the
    plan's graph is the folded one); raises ``UnsupportedModelError`` listing
    every reason at once."""
    graph = fold(graph)
    reasons = refusal_reasons(graph)
    if reasons:
        raise UnsupportedModelError(reasons)
    return Plan(graph, tuple(RULES[op.opcode].lower(graph, op) for op in graph.operators))


__all__ = ["KernelCall", "LoweringError", "Plan", "TensorArg", "UnsupportedModelError", "lower", "operator_reason",
           "refusal_reasons", "unsupported"]
