"""The kernel library's C sources: C99, -Wall -Wextra clean, one public
function per file (named as the file), no dynamic allocation, our own text."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pycmsisnn._ffi import build

CSRC = Path(build.CSRC)
SOURCES = sorted((CSRC / "Source").rglob("*.c"))
HEADERS = sorted((CSRC / "Include").rglob("*.h"))
GCC = shutil.which("gcc") or shutil.which("cc")


def test_sources_exist() -> None:
    assert len(SOURCES) >= 54
    assert {p.name for p in HEADERS} >= {"arm_nnfunctions.h", "arm_nn_types.h", "arm_nn_math_types.h", "arm_nnsupportfunctions.h"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_compiles_clean_as_c99(path: Path) -> None:
    assert GCC, "a C compiler is required"
    cmd = [GCC, "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I", str(CSRC / "Include"), str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _definitions(text: str) -> list[str]:
    """Names of the non-static functions defined in a C file."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    pattern = re.compile(r"^(?!static)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{]*\)\s*\{", re.M)
    return [m.group(1) for m in pattern.finditer(text) if m.group(1) not in ("if", "for", "while", "switch")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_one_public_function_per_file(path: Path) -> None:
    defined = _definitions(path.read_text())
    if path.stem.startswith("arm_nn_"):  # private helpers of a family, not API functions
        assert defined and all(name.startswith("arm_nn_") for name in defined), defined
    else:
        assert defined == [path.stem]


def test_no_dynamic_allocation_and_no_foreign_headers() -> None:
    for path in SOURCES + HEADERS:
        text = path.read_text()
        assert not re.search(r"\b(malloc|calloc|realloc|free|alloca)\s*\(", text), path
        assert not re.search(r"Arm Limited|SPDX-FileCopyrightText|Licensed under the Apache", text), path


def test_every_public_prototype_is_compiled() -> None:
    declared = set(re.findall(r"\b((?:arm|pycmsisnn)_\w+)\s*\(", build.public_declarations()))
    defined = {p.stem for p in SOURCES}
    assert declared <= defined, sorted(declared - defined)
