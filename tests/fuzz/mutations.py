"""Seeded mutators of a model's bytes, in families:

- byte level (``bytewise``): ``truncation``, ``bit_flips``, ``overwrite``;
- structure-aware, through the TFLite schema's object API
  (``tests.support.flatbuffer_edit.edit_model``): indices (``edit_indices``:
  buffer, subgraph input/output, operator vectors, opcode, extra subgraphs,
  operator codes) and values (``edit_values``: options type, numbers and
  enums, shapes, scales, zero points, quantized dimension, constant data size,
  tensor type).

``mutation(bases, seed, index)`` is the ``index``-th mutated file of a seed,
the same on every run; ``generate`` makes ``count`` of them, the families in
turn so that every family is covered.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from ..support.flatbuffer_edit import edit_model
from . import bytewise, edit_indices, edit_values
from .bases import WEIGHTS

ByteMutator = Callable[[bytes, random.Random], tuple[str, bytes]]
SchemaMutator = Callable[[Any, random.Random], "str | None"]

BYTE_FAMILIES: dict[str, ByteMutator] = {
    "truncation": bytewise.truncate,
    "bit_flips": bytewise.bit_flips,
    "overwrite": bytewise.overwrite,
}
SCHEMA_FAMILIES: dict[str, SchemaMutator] = {**edit_indices.FAMILIES, **edit_values.FAMILIES}
FAMILIES: tuple[str, ...] = (*BYTE_FAMILIES, *SCHEMA_FAMILIES)
# Byte-level families come round twice as often as each structure-aware one.
_ROTATION: tuple[str, ...] = (*BYTE_FAMILIES, *FAMILIES)


@dataclass(frozen=True)
class Mutation:
    family: str
    description: str  # "<base>: <what was done>"
    data: bytes


class NotApplicable(Exception):
    """The mutator found nothing to edit in this model."""


def _schema_edit(data: bytes, mutator: SchemaMutator, rng: random.Random) -> tuple[str, bytes]:
    said: list[str] = []

    def edit(model: Any) -> None:
        what = mutator(model, rng)
        if what is None:
            raise NotApplicable
        said.append(what)

    out = edit_model(data, edit)
    return said[0], out


def apply(family: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of ``family`` (raises ``NotApplicable``)."""
    if family in BYTE_FAMILIES:
        return BYTE_FAMILIES[family](data, rng)
    return _schema_edit(data, SCHEMA_FAMILIES[family], rng)


def _base_names(bases: Mapping[str, bytes], rng: random.Random) -> list[str]:
    """The bases in a seeded order, drawn by ``WEIGHTS``."""
    names = sorted(bases)
    first = rng.choices(names, weights=[WEIGHTS.get(n, 1) for n in names])[0]
    rest = [n for n in names if n != first]
    rng.shuffle(rest)
    return [first, *rest]


def mutation(bases: Mapping[str, bytes], seed: int, index: int, family: str | None = None) -> Mutation:
    """The ``index``-th mutated file of ``seed`` (its family by rotation unless given)."""
    family = family or _ROTATION[index % len(_ROTATION)]
    rng = random.Random(seed * 1_000_003 + index)
    for name in _base_names(bases, rng):
        try:
            what, data = apply(family, bases[name], rng)
        except NotApplicable:
            continue
        return Mutation(family, f"{name}: {what}", data)
    raise NotApplicable(f"no base model has anything for {family} to edit")


def generate(bases: Mapping[str, bytes], count: int, seed: int) -> Iterator[Mutation]:
    for index in range(count):
        yield mutation(bases, seed, index)
