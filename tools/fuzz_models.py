#!/usr/bin/env python
"""The nightly fuzzing run (issue 9): mutated copies of the bundled model and
the suite's small networks through ``inspect``, ``verify --target host
--samples 1`` and ``convert``, two worker processes at a time.

    python tools/fuzz_models.py --files 10000 --seed 1 [--json OUT]

Prints the files tried, the outcomes by exit code per command, the crashes,
hangs and tracebacks, the bad outcomes by mutation family and the distinct
failures, each with an example. Exit status 0 when every run exited 0, 1 or 2
without a traceback, else 1.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.bases import base_models  # noqa: E402
from tests.fuzz.mutations import FAMILIES, mutation  # noqa: E402
from tests.fuzz.runner import COMMANDS, Options, run_mutations, to_json  # noqa: E402
from tests.fuzz.summary import format_summary, summarise  # noqa: E402


def _progress(done: int, total: int, start: float) -> None:
    print(f"\r{done}/{total} runs, {time.monotonic() - start:.0f} s", end="", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", type=int, default=10000, help="mutated files to try (default 10000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, help="write the summary and every outcome as JSON to this file")
    p.add_argument("--commands", default=",".join(COMMANDS), help=f"comma-separated, of {', '.join(COMMANDS)}")
    p.add_argument("--families", help=f"comma-separated, of {', '.join(FAMILIES)} (default: all, in turn)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one run may take before it counts as hung")
    p.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a worker (0: none)")
    p.add_argument("--measure", action="store_true", help="convert builds each project with the cross compiler (slow)")
    p.add_argument("--keep", type=Path, help="write the mutated files and the workers' logs here (default: a temporary directory)")
    args = p.parse_args(argv)
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    families = [f.strip() for f in args.families.split(",")] if args.families else None
    unknown = [c for c in commands if c not in COMMANDS] + [f for f in families or [] if f not in FAMILIES]
    if unknown:
        p.error(f"unknown command(s) or family(ies): {unknown}")

    start = time.monotonic()
    bases = base_models()
    mutations = [mutation(bases, args.seed, i, families[i % len(families)] if families else None) for i in range(args.files)]
    print(f"{len(mutations)} mutated files of {len(bases)} base models in {time.monotonic() - start:.0f} s", file=sys.stderr)
    opts = Options(workers=args.workers, timeout=args.timeout, memory_mb=args.memory_mb, measure=args.measure)
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-fuzz-") as tmp:
        work = args.keep or Path(tmp)
        outcomes = run_mutations(mutations, work, commands, opts, lambda d, t: _progress(d, t, start))
    print(file=sys.stderr)
    summary = summarise(outcomes)
    print(format_summary(summary))
    print(f"{time.monotonic() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"seed": args.seed, "summary": summary, "outcomes": to_json(outcomes)}, indent=1))
    return 1 if summary["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
