"""README's two set-up commands exist, CI runs the test command, and the operator table matches the lowering rules."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    return re.findall(r"^    (tools/install-system-packages.sh && pip install .*)$", (ROOT / "README.md").read_text(), flags=re.M)


def test_readme_has_exactly_two_setup_commands() -> None:
    cmds = _commands()
    assert len(cmds) == 2, cmds
    assert cmds[0].endswith("pycmsisnn check default") and cmds[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _commands()[1] in ci


def _operator_rows() -> dict[str, list[str]]:
    """The README's operator table: each operator name with its cells (int8, 16x8, int4)."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Operators"):]
    section = section[: section.index("\n## ", 1)]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] in ("operator",) or set(cells[0]) <= {"-"}:
            continue
        for name in cells[0].split(", "):
            rows[name] = cells[1:]
    return rows


def test_the_operator_table_says_what_lowering_runs() -> None:
    """Every operator with a lowering rule is in the table with its kernels;
    every operator the table marks "-" in every scheme has no rule."""
    from pycmsisnn.lower import RULES

    rows = _operator_rows()
    assert set(RULES) <= set(rows), f"operators lowered but not in README's table: {sorted(set(RULES) - set(rows))}"
    refused = {name for name, cells in rows.items() if all(c in ("-", "") for c in cells)}
    assert not refused & set(RULES), f"README says these are refused, but they have rules: {sorted(refused & set(RULES))}"
