"""Byte-level mutators: truncation, bit flips and byte overwrites.

Where an edit lands matters: most of a converted model's bytes are constant
data (weights, biases), where an edit only changes numbers. Half of the edits
are therefore aimed at the flatbuffer's structure (tables, vectors of indices,
shapes, quantisation): every byte outside the buffers' data.
"""
from __future__ import annotations

import random
from functools import lru_cache

import tflite

Edit = tuple[str, bytes]  # (description, mutated bytes)


@lru_cache(maxsize=32)
def structure_ranges(data: bytes) -> tuple[tuple[int, int], ...]:
    """The [start, end) byte ranges outside every buffer's data vector."""
    model = tflite.Model.GetRootAs(data, 0)
    spans = []
    for i in range(model.BuffersLength()):
        buf = model.Buffers(i)
        slot = buf._tab.Offset(4)  # Buffer.data
        if slot:
            start = buf._tab.Vector(slot)
            spans.append((start, start + buf._tab.VectorLen(slot)))
    ranges, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            ranges.append((at, start))
        at = max(at, end)
    if at < len(data):
        ranges.append((at, len(data)))
    return tuple(ranges)


def _offset(data: bytes, rng: random.Random) -> tuple[int, str]:
    """A byte offset: anywhere, or (half of the time) in the structure."""
    ranges = structure_ranges(data)
    if ranges and rng.random() < 0.5:
        total = sum(e - s for s, e in ranges)
        k = rng.randrange(total)
        for s, e in ranges:
            if k < e - s:
                return s + k, "structure"
            k -= e - s
    return rng.randrange(len(data)), "anywhere"


def truncate(data: bytes, rng: random.Random) -> Edit:
    n = len(data)
    kind = rng.choice(["head", "early", "middle", "late", "tail"])
    cut = {
        "head": lambda: rng.randrange(0, min(n, 24)),
        "early": lambda: rng.randrange(0, max(1, n // 16)),
        "middle": lambda: rng.randrange(n // 4, 3 * n // 4),
        "late": lambda: rng.randrange(3 * n // 4, n),
        "tail": lambda: n - rng.randrange(1, min(n, 64)),
    }[kind]()
    return f"truncated to {cut} of {n} bytes ({kind})", data[:cut]


def bit_flips(data: bytes, rng: random.Random) -> Edit:
    out = bytearray(data)
    flips = []
    for _ in range(rng.randint(1, 8)):
        at, where = _offset(data, rng)
        bit = rng.randrange(8)
        out[at] ^= 1 << bit
        flips.append(f"{at}.{bit}{'s' if where == 'structure' else ''}")
    return f"{len(flips)} bit flip(s) at byte.bit {', '.join(flips)} (s: structure)", bytes(out)


def overwrite(data: bytes, rng: random.Random) -> Edit:
    out = bytearray(data)
    at, where = _offset(data, rng)
    length = min(rng.choice([1, 1, 2, 4, 4, 8, 16, 64]), len(data) - at)
    fill = rng.choice(["random", "0x00", "0xFF"])
    run = bytes(rng.randrange(256) for _ in range(length)) if fill == "random" else bytes([0 if fill == "0x00" else 0xFF]) * length
    out[at : at + length] = run
    return f"{length} {fill} byte(s) written at {at} ({where})", bytes(out)

