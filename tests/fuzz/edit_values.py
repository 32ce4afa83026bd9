"""Structure-aware mutators of the values a model's tables hold: options
(type, numbers, enums), shapes, quantisation, tensor types and constant data.
Each takes the schema's ``ModelT`` and a seeded ``random.Random``, edits the
model in place and returns what it did, or ``None`` when the model has
nothing to edit."""
from __future__ import annotations

import random
from typing import Any

import numpy as np

from ..support.model_view import schema
from .picks import data_buffer, describe_op, describe_tensor, operator_with, pick, quantized_tensor, subgraph, tensor

INT32_MAX = 2**31 - 1
NUMERIC_OPTIONS = ("strideW", "strideH", "dilationWFactor", "dilationHFactor", "filterWidth", "filterHeight", "depthMultiplier")
ENUM_OPTIONS = {"padding": [2, 7, -1, 127], "fusedActivationFunction": [9, 6, 7, -1, 127], "weightsFormat": [1, 5, -1]}
# The zero points outside each integer type's range (int8, int16, uint8, int32, int64 numbers).
ZERO_POINTS = {9: [128, -129, 255, 2**31], 7: [32768, -32769, 2**40], 3: [256, -1], 2: [2**31, -(2**31) - 1]}


def _options_types() -> dict[int, str]:
    return {v: k for k, v in vars(schema().BuiltinOptions).items() if not k.startswith("_") and k != "NONE"}


def options_type(model: Any, rng: random.Random) -> str | None:
    ops = [(i, op) for i, op in enumerate(subgraph(model).operators or []) if op.builtinOptionsType]
    found = pick(rng, ops)
    if found is None:
        return None
    i, op = found
    names = _options_types()
    old = op.builtinOptionsType
    other = rng.choice([t for t in names if t != old])
    kind = rng.choice(["type only", "type only", "other table", "none", "unknown type"])
    if kind == "type only":  # the old table read as another type
        op.builtinOptionsType = other
    elif kind == "other table":
        op.builtinOptionsType, op.builtinOptions = other, getattr(schema(), f"{names[other]}T")()
    elif kind == "none":
        op.builtinOptionsType, op.builtinOptions = 0, None
    else:
        other = rng.choice([max(names) + 1, 200, 255])
        op.builtinOptionsType = other
    return f"{describe_op(model, i)}: options type {names.get(old, old)} -> {names.get(other, other) if kind != 'none' else 'NONE'} ({kind})"


def options_value(model: Any, rng: random.Random) -> str | None:
    found = operator_with(model, rng, NUMERIC_OPTIONS)
    if found is None:
        return None
    i, op, field = found
    value = rng.choice([0, 0, -1, -2, -(2**31), INT32_MAX, 1000])
    old = getattr(op.builtinOptions, field)
    setattr(op.builtinOptions, field, value)
    return f"{describe_op(model, i)}: {field} {old} -> {value}"


def options_enum(model: Any, rng: random.Random) -> str | None:
    found = operator_with(model, rng, tuple(ENUM_OPTIONS))
    if found is None:
        return None
    i, op, field = found
    value = rng.choice(ENUM_OPTIONS[field])
    old = getattr(op.builtinOptions, field)
    setattr(op.builtinOptions, field, value)
    return f"{describe_op(model, i)}: {field} {old} -> {value}"


def shape_dim(model: Any, rng: random.Random) -> str | None:
    found = tensor(model, rng)
    if found is None:
        return None
    i, t = found
    old = [int(d) for d in (t.shape if t.shape is not None else [])]
    kind = rng.choice(["dim", "dim", "dim", "rank+1", "rank-1", "scalar"]) if old else "rank+1"
    new = list(old)
    if kind == "dim":
        new[rng.randrange(len(new))] = rng.choice([0, -1, 2**30, INT32_MAX, 3])
    elif kind == "rank+1":
        new.insert(rng.randrange(len(new) + 1), rng.choice([1, 2, 2**30]))
    elif kind == "rank-1":
        del new[rng.randrange(len(new))]
    else:
        new = []
    t.shape = np.asarray(new, dtype=np.int32)
    if t.shapeSignature is not None and rng.random() < 0.5:
        t.shapeSignature = np.asarray(new, dtype=np.int32)
    return f"{describe_tensor(model, i)}: shape {old} -> {new} ({kind})"


def scale(model: Any, rng: random.Random) -> str | None:
    found = quantized_tensor(model, rng)
    if found is None:
        return None
    i, t = found
    q = t.quantization
    scales = np.asarray(q.scale, dtype=np.float32).copy()
    if rng.random() < 0.15:
        q.scale = np.asarray([], dtype=np.float32)
        return f"{describe_tensor(model, i)}: scale vector emptied ({len(scales)} scales)"
    k = rng.randrange(len(scales))
    value = rng.choice([0.0, -float(scales[k]), -1.0, float("nan"), float("inf"), float("-inf"), 1e-45, 3e38])
    old, scales[k] = float(scales[k]), value
    q.scale = scales
    return f"{describe_tensor(model, i)}: scale[{k}] {old:g} -> {value:g}"


def zero_point(model: Any, rng: random.Random) -> str | None:
    found = quantized_tensor(model, rng)
    if found is None:
        return None
    i, t = found
    q = t.quantization
    zps = np.asarray(q.zeroPoint if q.zeroPoint is not None else [0] * len(q.scale), dtype=np.int64).copy()
    kind = rng.choice(["value", "value", "value", "count"]) if len(zps) else "count"
    if kind == "count":
        new = zps[:-1] if len(zps) > 1 and rng.random() < 0.5 else np.concatenate([zps, np.zeros(rng.choice([1, 2]), np.int64)])
        q.zeroPoint = new.astype(np.int64)
        return f"{describe_tensor(model, i)}: {len(zps)} zero points -> {len(new)} ({len(q.scale)} scales)"
    k = rng.randrange(len(zps))
    value = rng.choice(ZERO_POINTS.get(int(t.type), [2**31]) + [-(2**63), 2**62])
    old, zps[k] = int(zps[k]), value
    q.zeroPoint = zps
    return f"{describe_tensor(model, i)} (type {t.type}): zero_point[{k}] {old} -> {value}"


def quantized_dimension(model: Any, rng: random.Random) -> str | None:
    found = quantized_tensor(model, rng)
    if found is None:
        return None
    i, t = found
    q = t.quantization
    rank = len(t.shape) if t.shape is not None else 0
    old = int(q.quantizedDimension)
    choices = [rank, rank + rng.randint(1, 5), -1, INT32_MAX] + [d for d in range(rank) if d != old]
    q.quantizedDimension = rng.choice(choices)
    return f"{describe_tensor(model, i)} shape {[int(d) for d in t.shape]} ({len(q.scale)} scales): quantized_dimension {old} -> {q.quantizedDimension}"


def buffer_size(model: Any, rng: random.Random) -> str | None:
    found = data_buffer(model, rng)
    if found is None:
        return None
    k, buf = found
    data = np.asarray(buf.data, dtype=np.uint8)
    n = len(data)
    kind = rng.choice(["shorter", "shorter", "empty", "longer", "doubled", "one byte"])
    new = {
        "shorter": lambda: data[: n - rng.randint(1, max(1, min(n - 1, 64)))],
        "empty": lambda: data[:0],
        "longer": lambda: np.concatenate([data, np.full(rng.randint(1, 64), 0x55, np.uint8)]),
        "doubled": lambda: np.concatenate([data, data]),
        "one byte": lambda: data[:1],
    }[kind]()
    buf.data = np.ascontiguousarray(new, dtype=np.uint8)
    return f"buffer {k}: {n} -> {len(new)} bytes ({kind})"


def tensor_type(model: Any, rng: random.Random) -> str | None:
    found = tensor(model, rng)
    if found is None:
        return None
    i, t = found
    old = int(t.type)
    t.type = rng.choice([0, 1, 2, 3, 4, 5, 7, 9, 10, 17, 23, 99, 127, -1])
    return f"{describe_tensor(model, i)}: type {old} -> {t.type}"


FAMILIES = {
    "options_type": options_type,
    "options_value": options_value,
    "options_enum": options_enum,
    "shape_dim": shape_dim,
    "scale": scale,
    "zero_point": zero_point,
    "quantized_dimension": quantized_dimension,
    "buffer_size": buffer_size,
    "tensor_type": tensor_type,
}
