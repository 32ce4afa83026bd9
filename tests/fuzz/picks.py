"""Random choices inside a TFLite schema ``ModelT`` (the object API), shared
by the structure-aware mutators."""
from __future__ import annotations

import random
from typing import Any, Sequence, TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T | None:
    return items[rng.randrange(len(items))] if len(items) else None


def subgraph(model: Any) -> Any:
    return model.subgraphs[0]


def tensor(model: Any, rng: random.Random) -> tuple[int, Any] | None:
    tensors = subgraph(model).tensors or []
    return pick(rng, list(enumerate(tensors)))


def quantized_tensor(model: Any, rng: random.Random) -> tuple[int, Any] | None:
    """A tensor with quantisation parameters (a scale vector)."""
    found = [(i, t) for i, t in enumerate(subgraph(model).tensors or [])
             if t.quantization is not None and t.quantization.scale is not None and len(t.quantization.scale)]
    return pick(rng, found)


def operator(model: Any, rng: random.Random) -> tuple[int, Any] | None:
    return pick(rng, list(enumerate(subgraph(model).operators or [])))


def operator_with(model: Any, rng: random.Random, fields: Sequence[str]) -> tuple[int, Any, str] | None:
    """An operator whose options table has one of ``fields``, and that field."""
    found = [(i, op, f) for i, op in enumerate(subgraph(model).operators or [])
             if op.builtinOptions is not None for f in fields if hasattr(op.builtinOptions, f)]
    return pick(rng, found)


def data_buffer(model: Any, rng: random.Random) -> tuple[int, Any] | None:
    """A buffer holding constant data."""
    return pick(rng, [(i, b) for i, b in enumerate(model.buffers or []) if b.data is not None and len(b.data)])


def describe_tensor(model: Any, index: int) -> str:
    t = subgraph(model).tensors[index]
    name = t.name.decode(errors="replace") if isinstance(t.name, bytes) else str(t.name)
    return f"tensor {index} '{name if len(name) <= 40 else name[:37] + '...'}'"


def describe_op(model: Any, index: int) -> str:
    op = subgraph(model).operators[index]
    codes = model.operatorCodes or []
    if 0 <= op.opcodeIndex < len(codes):
        c = codes[op.opcodeIndex]
        return f"operator {index} (code {max(int(c.builtinCode), int(c.deprecatedBuiltinCode))})"
    return f"operator {index}"
