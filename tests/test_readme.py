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


EVERY_OPERATOR = "### Every TFLite Micro operator"


def _operator_rows() -> dict[str, list[str]]:
    """The README's operator table: each operator name with its cells (int8, 16x8, int4)."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Operators"):]
    section = section[: section.index("\n## ", 1)]
    if EVERY_OPERATOR in section:  # the table by scheme ends where the complete list begins
        section = section[: section.index(EVERY_OPERATOR)]
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


def _every_operator() -> dict[str, str]:
    """README's list of every TensorFlow Lite Micro operator: name -> status."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index(EVERY_OPERATOR):]
    section = section[: section.index("\n## ")]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] == "operator" or set(cells[0]) <= {"-"}:
            continue
        assert len(cells) == 3, line
        assert cells[0] not in rows, f"{cells[0]} is listed twice"
        rows[cells[0]] = cells[2]
    return rows


def test_every_operator_table_says_what_lowering_and_folding_do() -> None:
    """The complete list marks "supported" exactly the operators with a
    lowering rule, "folded" every operator constant folding evaluates, and
    "refused" every operator that has neither."""
    from pycmsisnn.fold import FOLDERS
    from pycmsisnn.lower import RULES

    rows = _every_operator()
    missing = (set(RULES) | set(FOLDERS)) - set(rows)
    assert not missing, f"operators pycmsisnn lowers or folds but not in the list: {sorted(missing)}"
    supported = {name for name, status in rows.items() if "supported" in status}
    assert supported == set(RULES), (f"marked supported without a rule: {sorted(supported - set(RULES))}; "
                                     f"with a rule but not marked supported: {sorted(set(RULES) - supported)}")
    folded = {name for name, status in rows.items() if "folded" in status}
    assert folded == set(FOLDERS), (f"marked folded but not folded: {sorted(folded - set(FOLDERS))}; "
                                    f"folded but not marked: {sorted(set(FOLDERS) - folded)}")
    unmarked = [name for name, status in rows.items() if not {"supported", "folded", "refused"} & set(status.replace(":", " ").split())]
    assert not unmarked, f"operators without a status: {unmarked}"
    for name in set(rows) - supported - folded:
        assert rows[name].startswith("refused: "), f"{name}: {rows[name]}"


def test_every_operator_table_lists_what_tflm_registers() -> None:
    """Every builtin operator the TensorFlow Lite Micro interpreter knows is
    in the list (asked opcode by opcode: an unknown one fails to resolve)."""
    from tests.support.tflm_ops import tflm_builtin_operators

    known = tflm_builtin_operators()
    assert len(known) >= 90
    assert not known - set(_every_operator()), f"TFLM operators not in README's list: {sorted(known - set(_every_operator()))}"
