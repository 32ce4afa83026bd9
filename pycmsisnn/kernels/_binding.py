"""Binding: a validated kernel call replayed with new data, for the runtime.

A model runs the same calls again and again with only the activation data
changing. While ``recording(dynamic)`` is active, a wrapper that ends in
``invoke(kernel, fn, *args, output=out)`` leaves behind a ``BoundCall``: the C
function and its fully built arguments (every struct, dims, constant and
scratch), with the positions of the dynamic arrays' and the output's pointers.
Replaying it swaps in the new data pointers and a new output array and calls C
directly: no validation or struct building is repeated. A wrapper whose C
arguments cannot be matched to the dynamic arrays (it copied or transposed
them, or called C more than once) simply leaves nothing bound, and the runtime
keeps calling the wrapper. A dynamic array reached through a pointer field of
a struct argument (LSTM's context: its hidden and cell state) is declared by
the wrapper with ``bind_field(struct, field, array)``; a replay sets that field
to the new array (the struct belongs to the bound call, which serves one run
at a time).
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .._lib import ffi
from ..errors import raise_for_status


class Recorder:
    """What one wrapper call built: the objects to keep alive and its C call."""

    def __init__(self, dynamic: Sequence[np.ndarray]) -> None:
        self.dynamic = list(dynamic)
        self.keep: list[Any] = []
        self.fields: list[tuple[Any, str, np.ndarray]] = []  # (struct pointer, field, array it points into)
        self.calls = 0
        self.bound: BoundCall | None = None


_ACTIVE: ContextVar[Recorder | None] = ContextVar("pycmsisnn_binding_recorder", default=None)


@contextlib.contextmanager
def recording(dynamic: Sequence[np.ndarray]) -> Iterator[Recorder]:
    """Record the C call of the wrapper called inside, with ``dynamic`` as the
    arrays that change between runs."""
    rec = Recorder(dynamic)
    token = _ACTIVE.set(rec)
    try:
        yield rec
    finally:
        _ACTIVE.reset(token)
    if rec.calls != 1:
        rec.bound = None


def keep_alive(obj: Any) -> None:
    """Hold ``obj`` (an array or buffer a C argument points into) for as long
    as a recorded call may be replayed."""
    rec = _ACTIVE.get()
    if rec is not None:
        rec.keep.append(obj)


def bind_field(struct: Any, field: str, array: np.ndarray) -> None:
    """Set the pointer field ``struct.field`` (a ``void *`` or ``T *``) to
    ``array``'s data and, while recording, note it: a dynamic array found
    there (and in no argument) is swapped in on replay."""
    setattr(struct, field, ffi.from_buffer(array))
    rec = _ACTIVE.get()
    if rec is not None:
        rec.fields.append((struct, field, array))


def _address(arg: Any) -> int | None:
    if isinstance(arg, ffi.CData) and ffi.typeof(arg).kind in ("pointer", "array"):
        return int(ffi.cast("uintptr_t", arg))
    return None


class BoundCall:
    """A recorded C call; ``bound(*dynamic)`` runs it on new arrays."""

    def __init__(
        self,
        kernel: str,
        fn: Callable[..., Any],
        args: list[Any],
        slots: list[tuple[int, int, Any, tuple[int, ...], np.dtype]],
        out_pos: int,
        out_ctype: Any,
        output: np.ndarray,
        keep: list[Any],
        field_slots: list[tuple[Any, str, int, tuple[int, ...], np.dtype]] | None = None,
    ) -> None:
        self.kernel = kernel
        self.fn = fn
        self.args = args
        self.slots = slots  # (argument position, dynamic index, C array type, shape, dtype)
        self.out_pos = out_pos
        self.out_ctype = out_ctype
        self.out_shape = output.shape
        self.out_dtype = output.dtype
        self.keep = keep
        self.field_slots = field_slots or []  # (struct pointer, field, dynamic index, shape, dtype)

    def __call__(self, *dynamic: np.ndarray) -> np.ndarray:
        args = list(self.args)
        for pos, k, ctype, shape, dtype in self.slots:
            x = dynamic[k]
            if x.shape != shape or x.dtype != dtype or not x.flags.c_contiguous:
                raise ValueError(f"{self.kernel}: bound call expects {dtype}{list(shape)}, got {x.dtype}{list(x.shape)}")
            args[pos] = ffi.from_buffer(ctype, x)
        held = []
        for struct, name, k, shape, dtype in self.field_slots:
            x = dynamic[k]
            if x.shape != shape or x.dtype != dtype or not x.flags.c_contiguous or not x.flags.writeable:
                raise ValueError(f"{self.kernel}: bound call expects {dtype}{list(shape)}, got {x.dtype}{list(x.shape)}")
            held.append(ffi.from_buffer(x))
            setattr(struct, name, held[-1])
        out = np.empty(self.out_shape, dtype=self.out_dtype)
        args[self.out_pos] = ffi.from_buffer(self.out_ctype, out)
        status = self.fn(*args)
        if status is not None:
            raise_for_status(self.kernel, int(status))
        return out


def invoke(kernel: str, fn: Callable[..., Any], *args: Any, output: np.ndarray) -> np.ndarray:
    """Call the C function ``fn`` with ``args``, raise on a non-success status
    (functions returning void give None), and return ``output``; while
    recording, also leave the call bound for replay."""
    status = fn(*args)
    if status is not None:
        raise_for_status(kernel, int(status))
    rec = _ACTIVE.get()
    if rec is not None:
        rec.calls += 1
        rec.bound = _bind(kernel, fn, list(args), output, rec)
    return output


def _array_type(pointer: Any) -> Any:
    """The C array type (``T[]``) matching a ``T *`` argument: ``ffi.from_buffer``
    of that type passes straight to the parameter, with no cast."""
    return ffi.getctype(ffi.typeof(pointer).item, "[]")


def _bind(kernel: str, fn: Callable[..., Any], args: list[Any], output: np.ndarray, rec: Recorder) -> BoundCall | None:
    addresses = [_address(a) for a in args]
    out_addr = output.ctypes.data
    if addresses.count(out_addr) != 1:
        return None
    out_pos = addresses.index(out_addr)
    slots = []
    field_slots = []
    for k, x in enumerate(rec.dynamic):
        if not x.flags.c_contiguous:
            return None
        positions = [i for i, a in enumerate(addresses) if a == x.ctypes.data and i != out_pos]
        fields = [(struct, name) for struct, name, arr in rec.fields if arr.ctypes.data == x.ctypes.data]
        if len(positions) == 1 and not fields:
            pos = positions[0]
            slots.append((pos, k, _array_type(args[pos]), x.shape, x.dtype))
        elif len(fields) == 1 and not positions and not any(x is y for y in rec.dynamic[:k]):
            struct, name = fields[0]
            field_slots.append((struct, name, k, x.shape, x.dtype))
        else:
            return None
    out_ctype = _array_type(args[out_pos])
    constants = [obj for obj in rec.keep if not any(obj is x for x in rec.dynamic)]
    return BoundCall(kernel, fn, args, slots, out_pos, out_ctype, output, constants, field_slots)
