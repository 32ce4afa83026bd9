"""Lowering: each operator of a ``Graph`` becomes one kernel call with every
CMSIS-NN parameter derived (see ``plan`` for what is handed on, ``registry``
for how op modules register, one module per operator family)."""
from __future__ import annotations

import importlib
import pkgutil

from ..errors import CmsisNNError
from ..ir import Graph
from .common import LoweringError
from .plan import KernelCall, Plan, TensorArg
from .registry import RULES

# Every other module of this package lowers an operator family and registers its rules on import.
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("common", "plan", "registry"):
        importlib.import_module(f"{__name__}.{_module.name}")


class UnsupportedModelError(ValueError, CmsisNNError):
    """The model holds operators pycmsisnn cannot run; the message lists them all."""


def unsupported(graph: Graph) -> list[str]:
    """One line per unsupported operator kind: name, count and reason."""
    problems: dict[str, list[str]] = {}
    for op in graph.operators:
        r = RULES.get(op.opcode)
        reason = "no kernel for this operator" if r is None else r.check(graph, op)
        if reason:
            problems.setdefault(op.opcode, []).append(f"operator {op.index}: {reason}")
    return [f"{code} x{len(items)}: {items[0]}" + (f" (and {len(items) - 1} more)" if len(items) > 1 else "") for code, items in problems.items()]


def lower(graph: Graph) -> Plan:
    """The plan of ``graph``; raises ``UnsupportedModelError`` listing every
    unsupported operator at once."""
    problems = unsupported(graph)
    if problems:
        raise UnsupportedModelError("unsupported operators:\n  " + "\n  ".join(problems))
    return Plan(graph, tuple(RULES[op.opcode].lower(graph, op) for op in graph.operators))


__all__ = ["KernelCall", "LoweringError", "Plan", "TensorArg", "UnsupportedModelError", "lower", "unsupported"]
