"""Writing C: literals, the file's constant pool and one layer's body.

``Unit`` collects what one generated ``NAME.c`` holds besides its layers: the
constant arrays (deduplicated, ``static const``, aligned to 4) and the headers
the layers need. ``Layer`` is the body of one layer function: ``static const``
parameter structs, then one kernel call whose status is returned. Pointers
into the arena come from the ``ArenaPlan``; pointers to constants from the
unit. Every emitter in ``kernels`` writes through these two classes only.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..cores import Feature
from ..errors import CmsisNNError
from ..ir import Graph
from ..lower import KernelCall, TensorArg
from ..memory import ArenaPlan

INT32_MIN = -(2**31)
C_TYPES = {
    np.dtype(np.int8): "int8_t",
    np.dtype(np.int16): "int16_t",
    np.dtype(np.int32): "int32_t",
    np.dtype(np.int64): "int64_t",
    np.dtype(np.uint32): "uint32_t",
    np.dtype(np.float32): "float",
    np.dtype(np.bool_): "bool",  # C99 bool: one byte, 0 or 1, as TFLite stores it
}
VALUES_PER_LINE = 24


class CodegenRefusal(ValueError, CmsisNNError):
    """An operator that cannot be emitted as C (yet); the message names it and why."""


def c_int(value: Any) -> str:
    """An integer literal valid in C for any int32 (INT32_MIN is not a literal)."""
    v = int(value)
    if v == INT32_MIN:
        return "INT32_MIN"
    if not INT32_MIN <= v < 2**32:
        raise ValueError(f"{v} does not fit 32 bits")
    return str(v) if v < 2**31 else f"{v}u"


def c_int64(value: Any) -> str:
    """An integer literal valid in C for any int64 (suffixed LL outside int32)."""
    v = int(value)
    if v == -(2**63):
        return "INT64_MIN"
    if not -(2**63) < v < 2**63:
        raise ValueError(f"{v} does not fit 64 bits")
    return str(v) if INT32_MIN < v < 2**31 else f"{v}LL"


def c_float(value: Any) -> str:
    """A float literal that reads back as exactly the same float32."""
    f = np.float32(value)
    if not np.isfinite(f):
        raise ValueError(f"{value} is not a finite float")
    text = f"{float(f):.9g}"
    if not any(ch in text for ch in ".en"):
        text += ".0"
    return text + "f"


def c_bool(value: Any) -> str:
    return "true" if bool(value) else "false"


def c_type(dtype: Any) -> str:
    try:
        return C_TYPES[np.dtype(dtype)]
    except KeyError:
        raise ValueError(f"no C type for {np.dtype(dtype).name}") from None


def c_identifier(name: str) -> str:
    """``name`` if it is a C identifier (letters, digits, underscores, not
    starting with a digit), else ValueError."""
    if not name or not (name[0].isalpha() or name[0] == "_") or not all(ch.isalnum() or ch == "_" for ch in name) or not name.isascii():
        raise ValueError(f"'{name}' is not a valid C identifier (letters, digits and _, not starting with a digit)")
    return name


def array_body(values: np.ndarray) -> str:
    """The initializer list of a flat array, ``VALUES_PER_LINE`` values a line."""
    flat = values.reshape(-1)
    if flat.dtype == np.float32:
        items = [c_float(v) for v in flat]
    elif flat.dtype == np.int64:
        items = [c_int64(v) for v in flat.tolist()]
    else:
        items = [c_int(v) for v in flat.tolist()]
    lines = [", ".join(items[i : i + VALUES_PER_LINE]) for i in range(0, len(items), VALUES_PER_LINE)]
    return "{\n    " + ",\n    ".join(lines) + "\n}"


class Unit:
    """The constant pool and includes of one generated C file."""

    def __init__(self, name: str, feature: Feature = Feature.SCALAR) -> None:
        self.name = name
        self.feature = feature  # kernel build of the target core
        self.includes: set[str] = {"arm_nnfunctions.h"}
        self.definitions: list[str] = []
        self._by_content: dict[tuple[str, bytes], str] = {}
        self._symbols: set[str] = set()
        self.constant_bytes = 0

    def constant(self, data: np.ndarray, hint: str) -> str:
        """The name of a ``static const`` array holding ``data`` (flattened,
        aligned to 4); identical arrays are emitted once."""
        arr = np.ascontiguousarray(data)
        ctype = c_type(arr.dtype)
        key = (ctype, arr.tobytes())
        if key in self._by_content:
            return self._by_content[key]
        symbol = base = f"{self.name}_{hint}"
        suffix = 1
        while symbol in self._symbols:
            suffix += 1
            symbol = f"{base}_{suffix}"
        self._symbols.add(symbol)
        self._by_content[key] = symbol
        count = max(arr.size, 1)
        body = array_body(arr) if arr.size else "{0}"
        self.definitions.append(f"static const {ctype} {symbol}[{count}] __attribute__((aligned(4))) = {body};")
        self.constant_bytes += count * arr.dtype.itemsize
        return symbol


class Layer:
    """The body of the function of one layer (one kernel call)."""

    def __init__(self, unit: Unit, graph: Graph, arena: ArenaPlan, index: int, call: KernelCall) -> None:
        self.unit, self.graph, self.arena, self.index, self.call = unit, graph, arena, index, call
        self.lines: list[str] = []
        self._names: set[str] = set()

    # ------------------------------------------------------------- failing

    def refuse(self, reason: str) -> CodegenRefusal:
        op = self.call.op
        return CodegenRefusal(f"operator {op.index} ({op.opcode} -> {self.call.kernel}): {reason}")

    # --------------------------------------------------------- declarations

    def declare(self, ctype: str, name: str, init: str) -> str:
        """``static const ctype name = init;`` in the body; returns ``&name``."""
        if name in self._names:
            raise RuntimeError(f"layer {self.index}: '{name}' declared twice")
        self._names.add(name)
        self.lines.append(f"static const {ctype} {name} = {init};")
        return f"&{name}"

    def scratch(self, slot: int) -> tuple[str, int]:
        """(C address, bytes) of scratch buffer ``slot`` of this call in the arena."""
        placements = self.arena.scratch[self.index]
        if slot >= len(placements):
            raise self.refuse(f"the memory plan holds no scratch buffer {slot} for this call")
        p = placements[slot]
        return f"{self.unit.name}_arena + {p.offset}", p.nbytes

    def constant(self, data: np.ndarray, role: str) -> str:
        return self.unit.constant(data, f"l{self.index}_{role}")

    # ------------------------------------------------------------- tensors

    def shape(self, value: Any) -> tuple[int, ...]:
        """The shape an argument has in the wrapper (a TensorArg's view or the array's)."""
        if isinstance(value, TensorArg):
            return tuple(value.shape) if value.shape is not None else tuple(self.graph.tensor(value.index).shape)
        if isinstance(value, np.ndarray):
            return tuple(value.shape)
        raise self.refuse(f"expected a tensor argument, got {type(value).__name__}")

    def dtype(self, value: Any) -> np.dtype:
        if isinstance(value, TensorArg):
            return np.dtype(self.graph.tensor(value.index).dtype)
        return np.asarray(value).dtype

    def input(self, value: Any, role: str) -> str:
        """A pointer expression to an input: an arena address for an
        activation, a constant array for a constant (tensor or array)."""
        if isinstance(value, TensorArg):
            t = self.graph.tensor(value.index)
            if t.is_constant:
                assert t.data is not None
                return self.constant(np.asarray(t.data, dtype=t.dtype), role)
            return self.arena_pointer(value.index)
        if isinstance(value, np.ndarray):
            return self.constant(value, role)
        raise self.refuse(f"{role}: expected a tensor or an array, got {type(value).__name__}")

    def output(self, slot: int = 0) -> str:
        return self.arena_pointer(self.call.outputs[slot])

    def arena_pointer(self, tensor: int) -> str:
        """``NAME_arena + offset`` typed as the tensor's element pointer (for a
        variable tensor ``NAME_state + offset``: the persistent state buffer)."""
        if tensor in self.arena.state:
            ctype = c_type(self.graph.tensor(tensor).dtype)
            address = f"{self.unit.name}_state + {self.arena.state[tensor].offset}"
            return address if ctype == "int8_t" else f"({ctype} *)(void *)({address})"
        if tensor not in self.arena.tensors:
            raise self.refuse(f"tensor {tensor} has no place in the arena")
        ctype = c_type(self.graph.tensor(tensor).dtype)
        address = f"{self.unit.name}_arena + {self.arena.offset(tensor)}"
        return address if ctype == "int8_t" else f"({ctype} *)(void *)({address})"

    def size(self, value: Any) -> int:
        return int(np.prod(self.shape(value), dtype=np.int64))

    # ---------------------------------------------------------------- call

    def returns(self, function: str, args: Sequence[str]) -> None:
        """The kernel call whose status the layer returns."""
        self.lines.append(f"return {function}({', '.join(args)});")

    def calls(self, function: str, args: Sequence[str]) -> None:
        """A call of a void kernel (the layer then returns success)."""
        self.lines.append(f"{function}({', '.join(args)});")

    def succeeds(self) -> None:
        self.lines.append("return ARM_CMSIS_NN_SUCCESS;")
