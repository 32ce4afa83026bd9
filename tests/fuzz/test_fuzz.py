"""Issue 9: 2,000 seeded mutated model files (every mutation family) through
``inspect``, ``verify --target host --samples 1`` and ``convert``: every run
exits 0, 1 or 2, prints no traceback, is killed by no signal and finishes.
Two worker processes; about three minutes on a 2-core machine.
``tools/fuzz_models.py`` is the same run at nightly size."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .bases import base_models
from .mutations import FAMILIES, generate
from .runner import COMMANDS, Options, run_mutations
from .summary import format_summary, summarise

FILES = 2000
SEED = 9
SHOWN = 8


def test_mutated_models_exit_cleanly(tmp_path: Path) -> None:
    mutations = list(generate(base_models(), FILES, SEED))
    families = Counter(m.family for m in mutations)
    assert set(families) == set(FAMILIES) and min(families.values()) >= 50, families

    outcomes = run_mutations(mutations, tmp_path, COMMANDS, Options(workers=2, timeout=30.0))

    assert len(outcomes) == FILES * len(COMMANDS)
    bad = [o for o in outcomes if o.bad]
    if bad:
        listed = "\n".join(f"  {o.brief()}" for o in bad[:SHOWN])
        raise AssertionError(f"{len(bad)} bad runs (first {min(SHOWN, len(bad))}):\n{listed}\n\n{format_summary(summarise(outcomes))}")
    mismatches = [o for o in outcomes if o.exit == 1]
    assert len(mismatches) <= FILES // 100, "\n".join(o.brief() for o in mismatches[:SHOWN])
