"""Counts of fuzzing outcomes: exit codes per command, the bad outcomes
(crashes, hangs, tracebacks, unexpected exits) by family and command, and the
distinct exceptions behind the tracebacks, each with an example."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Sequence

from .runner import Outcome, signal_name


def signature(o: Outcome) -> str:
    """What a bad outcome is, with the numbers of its message blurred, so that
    the same failure in different files counts once."""
    if o.kind == "traceback":
        msg = re.sub(r"\d+", "N", o.exception or "?")
        return f"{msg[:140]} @ {o.where or '?'}"
    if o.kind == "crash":
        how = signal_name(o.signal) if o.signal is not None else f"exit {o.exit}"
        return f"{o.command} crash ({how}) @ {o.where or '?'} on {o.family}"
    if o.kind == "hang":
        return f"{o.command} hang @ {o.where or '?'} on {o.family}"
    return f"exit {o.exit}: {o.stderr[:120]}"


def summarise(outcomes: Sequence[Outcome], examples: int = 3, top: int = 15) -> dict[str, Any]:
    files = {o.file for o in outcomes}
    bad = [o for o in outcomes if o.bad]
    exits: dict[str, Counter[str]] = {}
    for o in outcomes:
        exits.setdefault(o.command, Counter())[o.kind] += 1
    by_family: dict[str, Counter[str]] = {}
    for o in bad:
        by_family.setdefault(o.family, Counter())[o.command] += 1
    signatures: Counter[str] = Counter(signature(o) for o in bad)
    first: dict[str, Outcome] = {}
    for o in bad:
        first.setdefault(signature(o), o)
    kinds = ("crash", "hang", "traceback")
    return {
        "files": len(files),
        "runs": len(outcomes),
        "families": dict(Counter(o.family for o in outcomes if o.command == outcomes[0].command)) if outcomes else {},
        "outcomes_by_command": {c: dict(sorted(v.items())) for c, v in exits.items()},
        "bad": len(bad),
        "bad_files": len({o.file for o in bad}),
        "counts": {k: sum(o.kind == k for o in bad) for k in kinds} | {"unexpected_exit": sum(o.kind.startswith("exit") for o in bad),
                                                                      "mismatch_exit_1": sum(o.kind == "ok 1" for o in outcomes)},
        "bad_by_family": {f: dict(c) for f, c in sorted(by_family.items())},
        "examples": {k: [o.brief() for o in bad if o.kind == k][:examples] for k in kinds},
        "mismatches": [o.brief() for o in outcomes if o.kind == "ok 1"][:examples],
        "top_failures": [{"count": n, "signature": s, "example": first[s].brief()} for s, n in signatures.most_common(top)],
    }


def format_summary(s: dict[str, Any]) -> str:
    lines = [f"{s['files']} files, {s['runs']} runs; {s['bad']} bad runs on {s['bad_files']} files"]
    lines.append("outcomes by command: " + "; ".join(f"{c}: " + ", ".join(f"{k} x{n}" for k, n in v.items()) for c, v in s["outcomes_by_command"].items()))
    lines.append("bad: " + ", ".join(f"{k} {n}" for k, n in s["counts"].items()))
    if s["bad_by_family"]:
        lines.append("bad runs by family (per command):")
        lines += [f"  {f}: " + ", ".join(f"{c} {n}" for c, n in v.items()) for f, v in s["bad_by_family"].items()]
    for kind, found in s["examples"].items():
        if found:
            lines.append(f"first {kind}es:" if kind.endswith("h") else f"first {kind}s:")
            lines += [f"  {e}" for e in found]
    if s["mismatches"]:
        lines.append("first mismatches (exit 1 without a traceback):")
        lines += [f"  {e}" for e in s["mismatches"]]
    if s["top_failures"]:
        lines.append("distinct failures:")
        lines += [f"  {t['count']:5d}  {t['signature']}\n         e.g. {t['example']}" for t in s["top_failures"]]
    return "\n".join(lines)
