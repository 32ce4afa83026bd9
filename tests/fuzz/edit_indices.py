"""Structure-aware mutators of the indices a model's tables hold: buffer,
tensor, opcode and subgraph indices, operator codes. Each takes the schema's
``ModelT`` and a seeded ``random.Random``, edits the model in place and
returns what it did, or ``None`` when the model has nothing to edit."""
from __future__ import annotations

import copy
import random
from typing import Any

from ..support.model_view import schema
from .picks import data_buffer, describe_op, describe_tensor, operator, pick, subgraph, tensor

UINT32_MAX = 2**32 - 1
INT32_MAX = 2**31 - 1


def buffer_index(model: Any, rng: random.Random) -> str | None:
    found = tensor(model, rng)
    if found is None:
        return None
    i, t = found
    n = len(model.buffers)
    other = data_buffer(model, rng)
    choices: list[tuple[int, str]] = [(n, "one past the last"), (n + rng.randint(1, 1000), "out of range"), (UINT32_MAX, "UINT32_MAX")]
    if other is not None and other[0] != t.buffer:
        choices.append((other[0], "another tensor's data"))
    value, why = choices[rng.randrange(len(choices))]
    old, t.buffer = t.buffer, value
    return f"{describe_tensor(model, i)}: buffer {old} -> {value} ({why}, {n} buffers)"


def _io_vector(sg: Any, rng: random.Random) -> tuple[str, list[int]]:
    side = rng.choice(["inputs", "outputs"])
    return side, [int(x) for x in getattr(sg, side)]


def io_index(model: Any, rng: random.Random) -> str | None:
    sg = subgraph(model)
    side, vec = _io_vector(sg, rng)
    n = len(sg.tensors)
    kind = rng.choice(["value", "value", "value", "empty", "duplicate"])
    if kind == "empty" or not vec:
        setattr(sg, side, [])
        return f"subgraph {side} emptied (was {vec})"
    if kind == "duplicate":
        setattr(sg, side, vec + [vec[-1]])
        return f"subgraph {side} {vec}: last index repeated"
    k = rng.randrange(len(vec))
    value = rng.choice([n, n + rng.randint(1, 100), -1, -2, INT32_MAX])
    old, vec[k] = vec[k], value
    setattr(sg, side, vec)
    return f"subgraph {side}[{k}]: tensor {old} -> {value} ({n} tensors)"


def io_swap(model: Any, rng: random.Random) -> str | None:
    sg = subgraph(model)
    side, vec = _io_vector(sg, rng)
    if not vec or len(sg.tensors) < 2:
        return None
    k = rng.randrange(len(vec))
    value = rng.choice([i for i in range(len(sg.tensors)) if i != vec[k]])
    old, vec[k] = vec[k], value
    setattr(sg, side, vec)
    return f"subgraph {side}[{k}]: tensor {old} -> {describe_tensor(model, value)}"


def operator_vector(model: Any, rng: random.Random) -> str | None:
    found = operator(model, rng)
    if found is None:
        return None
    i, op = found
    side = rng.choice(["inputs", "outputs"])
    vec = [int(x) for x in getattr(op, side)]
    n = len(subgraph(model).tensors)
    kind = rng.choice(["drop last", "drop first", "empty", "index -1", "out of range"]) if vec else "empty"
    if kind == "drop last":
        new = vec[:-1]
    elif kind == "drop first":
        new = vec[1:]
    elif kind == "empty":
        new = []
    else:
        new = list(vec)
        new[rng.randrange(len(vec))] = -1 if kind == "index -1" else n + rng.randint(0, 50)
    setattr(op, side, new)
    return f"{describe_op(model, i)} {side} {vec} -> {new} ({kind})"


def opcode_index(model: Any, rng: random.Random) -> str | None:
    found = operator(model, rng)
    if found is None:
        return None
    i, op = found
    desc = describe_op(model, i)
    n = len(model.operatorCodes)
    others = [k for k in range(n) if k != op.opcodeIndex]
    choices = [n, n + rng.randint(1, 1000), UINT32_MAX] + ([rng.choice(others)] * 2 if others else [])
    old, op.opcodeIndex = op.opcodeIndex, rng.choice(choices)
    return f"{desc}: opcode index {old} -> {op.opcodeIndex} ({n} operator codes)"


def extra_subgraph(model: Any, rng: random.Random) -> str | None:
    s = schema()
    kind = rng.choice(["copy appended", "empty appended", "empty first", "copy first"])
    new = copy.deepcopy(model.subgraphs[0]) if kind.startswith("copy") else s.SubGraphT()
    if kind.endswith("first"):
        model.subgraphs.insert(0, new)
    else:
        model.subgraphs.append(new)
    return f"extra subgraph: {kind} ({len(model.subgraphs)} subgraphs)"


def builtin_code(model: Any, rng: random.Random) -> str | None:
    codes = model.operatorCodes or []
    found = pick(rng, list(enumerate(codes)))
    if found is None:
        return None
    k, code = found
    old = (int(code.builtinCode), int(code.deprecatedBuiltinCode))
    kind = rng.choice(["other builtin", "other builtin", "unknown", "deprecated only", "custom without code", "negative"])
    if kind == "other builtin":
        code.builtinCode = rng.randrange(0, 210)
        code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    elif kind == "unknown":
        code.builtinCode = rng.choice([210, 255, 1000, INT32_MAX])
    elif kind == "deprecated only":
        code.builtinCode, code.deprecatedBuiltinCode = 0, rng.randrange(0, 128)
    elif kind == "custom without code":
        code.builtinCode = code.deprecatedBuiltinCode = 32
        code.customCode = None
    else:
        code.builtinCode, code.deprecatedBuiltinCode = -rng.randint(1, 100), -rng.randint(1, 100)
    return f"operator code {k}: (builtin, deprecated) {old} -> ({code.builtinCode}, {code.deprecatedBuiltinCode}) ({kind})"


FAMILIES = {
    "buffer_index": buffer_index,
    "io_index": io_index,
    "io_swap": io_swap,
    "operator_vector": operator_vector,
    "opcode_index": opcode_index,
    "extra_subgraph": extra_subgraph,
    "builtin_code": builtin_code,
}
