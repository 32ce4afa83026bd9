"""Static checks of the Python package: mypy (types) and ruff (undefined or
unused names)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_finds_no_type_errors() -> None:
    proc = _run("mypy", "pycmsisnn", "--ignore-missing-imports")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_ruff_finds_no_undefined_or_unused_names() -> None:
    proc = _run("ruff", "check", "--select", "F,E9", "pycmsisnn", "tests", "benchmarks", "tools", "conftest.py")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
