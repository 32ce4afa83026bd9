"""Activation memory of a plan: tensor lifetimes and the peak of live bytes.

A tensor lives from the call that produces it (model inputs: from the start)
to the last call that reads it (model outputs: to the end). The peak is the
largest sum of live activation bytes at any call, plus that call's scratch:
what an arena needs without in-place reuse.
"""
from __future__ import annotations

from dataclasses import dataclass

from .lower import Plan


@dataclass(frozen=True)
class Lifetime:
    tensor: int
    nbytes: int
    first: int  # index of the producing call (-1: a model input)
    last: int  # index of the last reading call (len(calls): a model output)


def lifetimes(plan: Plan) -> list[Lifetime]:
    graph, calls = plan.graph, plan.calls
    first: dict[int, int] = {i: -1 for i in graph.inputs}
    last: dict[int, int] = {}
    for k, call in enumerate(calls):
        for i in call.tensor_inputs():
            last[i] = k
        for o in call.outputs:
            first.setdefault(o, k)
    for o in graph.outputs:
        last[o] = len(calls)
    return [Lifetime(t, graph.tensor(t).nbytes, f, last.get(t, f)) for t, f in sorted(first.items())]


def peak_bytes(plan: Plan) -> int:
    """Largest sum of live activation bytes plus scratch over the calls."""
    spans = lifetimes(plan)
    peak = sum(s.nbytes for s in spans if s.first < 0)
    for k, call in enumerate(plan.calls):
        live = sum(s.nbytes for s in spans if s.first <= k <= s.last)
        peak = max(peak, live + call.scratch_bytes)
    return peak
