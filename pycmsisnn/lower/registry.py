"""Lowering rules by TFLite operator: a support check and a lowering function.

``check(graph, op)`` returns None when the operator can be lowered, else the
reason it cannot (shown to the user); ``lower(graph, op)`` returns the call.
Op modules register with ``@rule("CONV_2D")``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..ir import Graph, Operator
from .plan import KernelCall

Check = Callable[[Graph, Operator], "str | None"]
Lower = Callable[[Graph, Operator], KernelCall]


@dataclass(frozen=True)
class Rule:
    opcode: str
    check: Check
    lower: Lower


RULES: dict[str, Rule] = {}
# Operators without a rule and why (shown after "no kernel for this operator").
NO_KERNEL_NOTES: dict[str, str] = {}
# Operators folding evaluates whose rule also runs them on data computed at run
# time: when the rule refuses one, its reason is shown, not folding's.
RULE_REASON_FIRST: set[str] = set()


def rule(*opcodes: str, check: Check) -> Callable[[Lower], Lower]:
    """Register ``lower`` (and ``check``) for each of ``opcodes``."""

    def register(fn: Lower) -> Lower:
        for code in opcodes:
            if code in RULES:
                raise RuntimeError(f"two lowering rules for {code}")
            RULES[code] = Rule(code, check, fn)
        return fn

    return register
