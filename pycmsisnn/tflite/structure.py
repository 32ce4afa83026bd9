"""The flatbuffer's structure, checked on the raw bytes before anything reads
them (our reader, and TensorFlow Lite Micro's interpreter, which trusts them).

A flatbuffer is tables reached through 32-bit offsets; each table starts
with a signed offset to its vtable, whose 16-bit entries give each field's
place in the table. The generated readers follow those offsets without any
bounds check, so a flipped bit sends them anywhere: past the end of the file
(an exception in Python, a crash in C++) or into a vector "of 2^31 tensors"
(a hang). ``check_structure`` walks every table, vector and string of the
TFLite schema that either reader visits and proves that each lies inside the
file, as flatbuffers' own C++ verifier does, with the path of the first one
that does not (``subgraphs[0].tensors[12].shape: vector of 1073741824
elements runs past the end of the file``).

The slots of the builtin options tables are taken from the ``tflite``
binding's generated accessors, so every options table is checked too.
"""
from __future__ import annotations

import inspect
import re
import struct
from dataclasses import dataclass
from functools import lru_cache

import tflite

from .errors import ModelError
from .options import OPTION_CLASSES

# Scalar sizes by the flatbuffers "Flags" name the generated code uses.
_FLAG_SIZES = {"Bool": 1, "Uint8": 1, "Int8": 1, "Uint16": 2, "Int16": 2, "Uint32": 4, "Int32": 4,
               "Float32": 4, "Uint64": 8, "Int64": 8, "Float64": 8}
MAX_DEPTH = 64


class StructureError(ModelError):
    """The bytes are not a well-formed TFLite flatbuffer (``path``: where)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"corrupt model: {path}: {reason}")


@dataclass(frozen=True)
class _Table:
    pos: int  # the table's start (its soffset to the vtable)
    vtable: int
    vtable_size: int
    size: int  # inline bytes of the table
    path: str


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.n = len(data)

    def need(self, pos: int, size: int, path: str, what: str) -> None:
        if pos < 0 or size < 0 or pos + size > self.n:
            raise StructureError(path, f"{what} at byte {pos} (+{size}) runs past the end of the file ({self.n} bytes)")

    def u16(self, pos: int) -> int:
        return int(struct.unpack_from("<H", self.data, pos)[0])

    def i32(self, pos: int) -> int:
        return int(struct.unpack_from("<i", self.data, pos)[0])

    def u32(self, pos: int) -> int:
        return int(struct.unpack_from("<I", self.data, pos)[0])

    def table(self, pos: int, path: str) -> _Table:
        self.need(pos, 4, path, "table")
        if pos % 4:
            raise StructureError(path, f"table at byte {pos} is not 4-byte aligned")
        vtable = pos - self.i32(pos)
        self.need(vtable, 4, path, "vtable")
        if vtable % 2:
            raise StructureError(path, f"vtable at byte {vtable} is not 2-byte aligned")
        vsize, tsize = self.u16(vtable), self.u16(vtable + 2)
        if vsize < 4 or vsize % 2:
            raise StructureError(path, f"vtable size {vsize} is not an even number >= 4")
        self.need(vtable, vsize, path, "vtable")
        self.need(pos, max(tsize, 4), path, "table")
        return _Table(pos, vtable, vsize, tsize, path)

    def field(self, t: _Table, slot: int, size: int, name: str) -> int | None:
        """The position of the field at vtable ``slot`` (None when absent),
        checked to lie inside the table."""
        if slot + 2 > t.vtable_size:
            return None
        at = self.u16(t.vtable + slot)
        if at == 0:
            return None
        if at + size > t.size:
            raise StructureError(f"{t.path}.{name}", f"field at +{at} ({size} bytes) lies outside its {t.size}-byte table")
        return t.pos + at

    def offset(self, t: _Table, slot: int, name: str) -> int | None:
        """Where the offset field at ``slot`` points (None when absent)."""
        at = self.field(t, slot, 4, name)
        if at is None:
            return None
        target = at + self.u32(at)
        self.need(target, 4, f"{t.path}.{name}", "referenced object")
        return target

    def vector(self, t: _Table, slot: int, elem: int, name: str) -> tuple[int, int] | None:
        """(first element position, length) of the vector at ``slot``."""
        start = self.offset(t, slot, name)
        if start is None:
            return None
        length = self.u32(start)
        if length * elem > self.n:
            raise StructureError(f"{t.path}.{name}", f"vector of {length} elements runs past the end of the file")
        self.need(start + 4, length * elem, f"{t.path}.{name}", f"vector of {length} elements")
        return start + 4, length

    def tables(self, t: _Table, slot: int, name: str) -> list[_Table]:
        """The tables of a vector of tables at ``slot``."""
        vec = self.vector(t, slot, 4, name)
        if vec is None:
            return []
        first, length = vec
        out = []
        for k in range(length):
            at = first + 4 * k
            out.append(self.table(at + self.u32(at), f"{t.path}.{name}[{k}]"))
        return out

    def sub(self, t: _Table, slot: int, name: str) -> _Table | None:
        target = self.offset(t, slot, name)
        return None if target is None else self.table(target, f"{t.path}.{name}")


@lru_cache(maxsize=None)
def _layout(cls: type) -> tuple[tuple[str, int, str, int], ...]:
    """(field name, vtable slot, kind, element or scalar size) of a generated
    table class, read from its accessors. Kinds: "scalar", "vector",
    "string", "table", "tables"."""
    src = inspect.getsource(cls)
    fields: dict[int, tuple[str, int, str, int]] = {}
    for m in re.finditer(r"    def (\w+)\(self(?:, j)?\):\n((?:        .*\n)+)", src):
        name, body = m.group(1), m.group(2)
        slot_m = re.search(r"self\._tab\.Offset\((\d+)\)", body)
        if not slot_m or name.endswith(("AsNumpy", "Length", "IsNone")):
            continue
        slot = int(slot_m.group(1))
        flags = [f for f in re.findall(r"number_types\.(\w+)Flags", body) if f in _FLAG_SIZES]
        size = _FLAG_SIZES[flags[-1]] if flags else 4
        if "self._tab.Vector(" in body and "self._tab.Indirect(" in body:
            kind = "tables"
        elif "self._tab.Vector(" in body:
            kind = "vector"
        elif "self._tab.String(" in body:
            kind = "string"
        elif "self._tab.Indirect(" in body or "self._tab.Union(" in body:
            kind = "table"
        else:
            kind = "scalar"
        fields[slot] = (name, slot, kind, 1 if kind == "string" else size)
    return tuple(fields[s] for s in sorted(fields))




def _check_generic(b: _Bytes, t: _Table, cls: type, depth: int) -> None:
    """Every field of a table of a generated class ``cls`` (options tables);
    nested tables are checked as tables, not deeper."""
    if depth > MAX_DEPTH:
        raise StructureError(t.path, "tables nested too deeply")
    for name, slot, kind, size in _layout(cls):
        if kind == "scalar":
            b.field(t, slot, size, name)
        elif kind == "vector":
            b.vector(t, slot, size, name)
        elif kind == "string":
            b.vector(t, slot, 1, name)
        elif kind == "tables":
            b.tables(t, slot, name)
        else:
            b.sub(t, slot, name)


def _check_tensor(b: _Bytes, t: _Table) -> None:
    b.vector(t, 4, 4, "shape")
    b.field(t, 6, 1, "type")
    b.field(t, 8, 4, "buffer")
    b.vector(t, 10, 1, "name")
    q = b.sub(t, 12, "quantization")
    if q is not None:
        for slot, size, name in ((4, 4, "min"), (6, 4, "max"), (8, 4, "scale"), (10, 8, "zero_point")):
            b.vector(q, slot, size, name)
        b.field(q, 12, 1, "details_type")
        b.sub(q, 14, "details")
        b.field(q, 16, 4, "quantized_dimension")
    b.field(t, 14, 1, "is_variable")
    b.sub(t, 16, "sparsity")
    b.vector(t, 18, 4, "shape_signature")


def _check_operator(b: _Bytes, t: _Table) -> None:
    b.field(t, 4, 4, "opcode_index")
    b.vector(t, 6, 4, "inputs")
    b.vector(t, 8, 4, "outputs")
    kind_at = b.field(t, 10, 1, "builtin_options_type")
    options = b.sub(t, 12, "builtin_options")
    if options is not None and kind_at is not None:
        kind = b.data[kind_at]
        if kind in OPTION_CLASSES:
            _check_generic(b, options, OPTION_CLASSES[kind], 1)
    b.vector(t, 14, 1, "custom_options")
    b.vector(t, 18, 1, "mutating_variable_inputs")
    b.vector(t, 20, 4, "intermediates")


def check_structure(data: bytes) -> None:
    """Raise ``StructureError`` unless every object of the model that a
    reader visits lies inside ``data``."""
    b = _Bytes(data)
    b.need(0, 8, "file", "header")
    model = b.table(b.u32(0), "model")
    b.field(model, 4, 4, "version")
    for code in b.tables(model, 6, "operator_codes"):
        b.field(code, 4, 1, "deprecated_builtin_code")
        b.vector(code, 6, 1, "custom_code")
        b.field(code, 8, 4, "version")
        b.field(code, 10, 4, "builtin_code")
    for sg in b.tables(model, 8, "subgraphs"):
        for tensor in b.tables(sg, 4, "tensors"):
            _check_tensor(b, tensor)
        b.vector(sg, 6, 4, "inputs")
        b.vector(sg, 8, 4, "outputs")
        for op in b.tables(sg, 10, "operators"):
            _check_operator(b, op)
        b.vector(sg, 12, 1, "name")
    b.vector(model, 10, 1, "description")
    for buf in b.tables(model, 12, "buffers"):
        b.vector(buf, 4, 1, "data")
        b.field(buf, 6, 8, "offset")
        b.field(buf, 8, 8, "size")
    b.vector(model, 14, 4, "metadata_buffer")
    for meta in b.tables(model, 16, "metadata"):
        b.vector(meta, 4, 1, "name")
        b.field(meta, 6, 4, "buffer")
    for sig in b.tables(model, 18, "signature_defs"):
        _check_generic(b, sig, tflite.SignatureDef, 1)
