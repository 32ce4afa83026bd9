"""Builtin operator options of a flatbuffer operator, read generically.

The ``tflite`` package's generated accessors are read generically: every
scalar accessor (``StrideW`` -> ``stride_w``) and every vector through its
``...AsNumpy`` accessor (``SqueezeDims`` -> ``squeeze_dims``); ``"_type"``
names the table's type. ``pycmsisnn.operator_options`` turns them into
typed, range-checked records.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import tflite

OPTION_CLASSES: dict[int, type] = {  # options table type -> its generated reader class
    value: getattr(tflite, name)
    for name, value in vars(tflite.BuiltinOptions).items()
    if not name.startswith("_") and name != "NONE" and hasattr(tflite, name)
}
_OPTION_NAMES: dict[int, str] = {v: k for k, v in vars(tflite.BuiltinOptions).items() if not k.startswith("_")}
_SKIP_SUFFIXES = ("IsNone", "Length", "BufferHasIdentifier")
_SKIP = {"Init", "GetRootAs"}
_ACCESSORS: dict[int, list[tuple[str, str, bool]]] = {}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _accessors(cls: type) -> list[tuple[str, str, bool]]:
    """(option name, accessor, is_vector) for every field of an options class."""
    names = [n for n in vars(cls) if not n.startswith("_") and n not in _SKIP and not n.startswith("GetRootAs")]
    names = [n for n in names if not n.endswith(_SKIP_SUFFIXES)]
    vectors = {n[: -len("AsNumpy")] for n in names if n.endswith("AsNumpy")}
    out = []
    for n in names:
        if n.endswith("AsNumpy"):
            out.append((_snake(n[: -len("AsNumpy")]), n, True))
        elif n not in vectors:
            out.append((_snake(n), n, False))
    return out


def read_options(op: Any) -> dict[str, Any]:
    """The builtin options of a ``tflite.Operator`` by field name (empty when
    it has none), with ``"_type"``: the options table's type name."""
    kind = op.BuiltinOptionsType()
    table = op.BuiltinOptions()
    if kind == 0 or table is None or kind not in OPTION_CLASSES:
        return {"_type": _OPTION_NAMES.get(kind, f"type {kind}")} if kind else {}
    cls = OPTION_CLASSES[kind]
    obj = cls()
    obj.Init(table.Bytes, table.Pos)
    if kind not in _ACCESSORS:
        _ACCESSORS[kind] = _accessors(cls)
    result: dict[str, Any] = {"_type": _OPTION_NAMES[kind]}
    for name, accessor, is_vector in _ACCESSORS[kind]:
        value = getattr(obj, accessor)()
        if is_vector:
            value = tuple(int(v) for v in np.atleast_1d(value)) if not isinstance(value, int) else ()
        result[name] = value
    return result


