"""A generated project as the target pipeline sees it: what NAME.h declares.

The interface (written by code generation, read here): NAME.h defines
``NAME_INPUT_COUNT``, ``NAME_OUTPUT_COUNT``, per input/output k
``NAME_INPUTk_SIZE`` (bytes), ``_DIMS`` (a brace list), ``_SCALE``,
``_ZERO_POINT`` and ``_TYPE`` (int8_t, int16_t or float), ``NAME_ARENA_SIZE``
and ``NAME_LAYER_COUNT``. The macros may use NAME as spelled or in upper case.
Values may be integer expressions (``(1 * 28 * 28)``, ``128u``).
"""
from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import ProjectError

C_TYPES: dict[str, np.dtype] = {
    "int8_t": np.dtype(np.int8),
    "int16_t": np.dtype(np.int16),
    "int32_t": np.dtype(np.int32),
    "uint8_t": np.dtype(np.uint8),
    "float": np.dtype(np.float32),
    "bool": np.dtype(np.bool_),
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(?!\()[ \t]*(.*?)[ \t]*$", re.M)
_INT_SUFFIX = re.compile(r"(?<=[0-9a-fA-FxX])[uUlL]+\b")
_BINARY: dict[type, Callable[[int, int], int]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.LShift: operator.lshift,
}


@dataclass(frozen=True)
class TensorSpec:
    """One model input or output as NAME.h states it."""

    size: int  # bytes
    dims: tuple[int, ...]
    dtype: np.dtype
    scale: float | None
    zero_point: int | None

    @property
    def count(self) -> int:
        return self.size // self.dtype.itemsize


@dataclass(frozen=True)
class ProjectInfo:
    """A project directory and the facts its header gives."""

    directory: Path
    name: str
    macro_prefix: str  # NAME or NAME in upper case, as the header spells its constants
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    arena_size: int
    layer_count: int
    state_size: int = 0  # a stateful model's NAME_STATE_SIZE (0: no state)

    @property
    def header(self) -> Path:
        return self.directory / f"{self.name}.h"

    @property
    def source(self) -> Path:
        return self.directory / f"{self.name}.c"


def check_name(name: str) -> str:
    """A model NAME must be a C identifier (it prefixes C symbols)."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ProjectError(f"model name {name!r} is not a C identifier")
    return name


def read_project(directory: str | Path, name: str) -> ProjectInfo:
    """Read NAME.h of a project directory; ``ProjectError`` when it does not
    follow the interface (the message names the missing or bad macro)."""
    check_name(name)
    root = Path(directory)
    header, source = root / f"{name}.h", root / f"{name}.c"
    for path in (header, source):
        if not path.is_file():
            raise ProjectError(f"project {root}: {path.name} not found")
    text = re.sub(r"/\*.*?\*/", " ", header.read_text(errors="replace"), flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    defines = {m.group(1): m.group(2) for m in _DEFINE.finditer(text)}
    prefix = next((p for p in (name, name.upper()) if f"{p}_INPUT_COUNT" in defines), None)
    if prefix is None:
        raise ProjectError(f"{header.name}: no {name}_INPUT_COUNT (or {name.upper()}_INPUT_COUNT) #define")
    macros = _Macros(header.name, prefix, defines)
    return ProjectInfo(
        directory=root,
        name=name,
        macro_prefix=prefix,
        inputs=tuple(macros.tensor("INPUT", k) for k in range(macros.count("INPUT_COUNT"))),
        outputs=tuple(macros.tensor("OUTPUT", k) for k in range(macros.count("OUTPUT_COUNT"))),
        arena_size=macros.integer("ARENA_SIZE"),
        layer_count=macros.integer("LAYER_COUNT"),
        state_size=macros.integer("STATE_SIZE") if f"{prefix}_STATE_SIZE" in defines else 0,
    )


class _Macros:
    """Typed access to the #defines of one header."""

    def __init__(self, header: str, prefix: str, defines: dict[str, str]) -> None:
        self.header, self.prefix, self.defines = header, prefix, defines

    def raw(self, suffix: str) -> str:
        key = f"{self.prefix}_{suffix}"
        if key not in self.defines:
            raise ProjectError(f"{self.header}: #define {key} is missing")
        return self.defines[key]

    def fail(self, suffix: str, why: str) -> ProjectError:
        return ProjectError(f"{self.header}: {self.prefix}_{suffix} = {self.raw(suffix)!r}: {why}")

    def integer(self, suffix: str) -> int:
        value = _int_expression(self.raw(suffix))
        if value is None or value < 0:
            raise self.fail(suffix, "not a non-negative integer constant")
        return value

    def count(self, suffix: str) -> int:
        value = self.integer(suffix)
        if not 1 <= value <= 8:
            raise self.fail(suffix, "the target harness takes 1 to 8 inputs and outputs")
        return value

    def tensor(self, kind: str, k: int) -> TensorSpec:
        base = f"{kind}{k}"
        ctype = self.raw(f"{base}_TYPE").strip("() ")
        if ctype not in C_TYPES:
            raise self.fail(f"{base}_TYPE", f"not one of {', '.join(C_TYPES)}")
        dtype = C_TYPES[ctype]
        size = self.integer(f"{base}_SIZE")
        dims_text = self.raw(f"{base}_DIMS").strip()
        dims = [_int_expression(d) for d in dims_text.strip("{}").split(",") if d.strip()]
        if not (dims_text.startswith("{") and dims_text.endswith("}")) or any(d is None or d < 1 for d in dims):
            raise self.fail(f"{base}_DIMS", "not a brace list of positive integers")
        shape = tuple(int(d) for d in dims if d is not None)
        if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize != size:
            raise self.fail(f"{base}_SIZE", f"differs from dims {shape} of {ctype}")
        return TensorSpec(size, shape, dtype, self._optional_float(f"{base}_SCALE"), self._optional_int(f"{base}_ZERO_POINT"))

    def _optional_float(self, suffix: str) -> float | None:
        if f"{self.prefix}_{suffix}" not in self.defines:
            return None
        try:
            return float(self.raw(suffix).strip("() ").rstrip("fF"))
        except ValueError:
            raise self.fail(suffix, "not a float literal") from None

    def _optional_int(self, suffix: str) -> int | None:
        if f"{self.prefix}_{suffix}" not in self.defines:
            return None
        value = _int_expression(self.raw(suffix))
        if value is None:
            raise self.fail(suffix, "not an integer constant")
        return value


def _int_expression(text: str) -> int | None:
    """The value of a C integer constant expression of literals, + - * / <<
    and parentheses; None for anything else."""
    try:
        tree = ast.parse(_INT_SUFFIX.sub("", text.strip()).replace("/", "//"), mode="eval")
    except SyntaxError:
        return None
    return _evaluate(tree.body)


def _evaluate(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _evaluate(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if left is None or right is None or (isinstance(node.op, ast.FloorDiv) and right == 0):
            return None
        return _BINARY[type(node.op)](left, right)
    return None
