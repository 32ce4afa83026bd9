"""Shared plumbing of the kernel wrappers: validation, cffi structs, scratch.

Only the modules of ``pycmsisnn.kernels`` touch cffi. Every check here raises
``ArgError`` (a ``ValueError``) naming the kernel and the argument, before any
C code runs.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from .._lib import ffi, lib  # noqa: F401  (re-exported for the family modules)
from ..errors import ArgError, raise_for_status
from ._binding import invoke, keep_alive  # noqa: F401  (invoke re-exported for the family modules)
from ..params import Activation, ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant, PoolParams, Tile, TransposeConvParams

Shape4 = tuple[int, int, int, int]

INT8_MIN, INT8_MAX = -128, 127
INT16_MIN, INT16_MAX = -32768, 32767
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
DIM_MAX = 2**15 - 1  # several kernels keep dims in 16 bits
SHIFT_MIN, SHIFT_MAX = -31, 30


def nhwc(shape: Sequence[int], fill: int = 1) -> tuple[int, int, int, int]:
    """A rank <= 4 shape right-aligned in (N, H, W, C), leading entries ``fill``."""
    s = tuple(int(d) for d in shape)
    return (fill,) * (4 - len(s)) + s  # type: ignore[return-value]


def fail(kernel: str, argument: str, reason: str) -> ArgError:
    """The error raised for a bad argument: names the kernel, the argument and why."""
    return ArgError(f"{kernel}: {argument}: {reason}")


def check_int(kernel: str, name: str, value: Any, lo: int, hi: int) -> int:
    """An integer in [lo, hi] (numpy integers accepted, bools and floats not)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise fail(kernel, name, f"must be an integer, got {type(value).__name__}")
    v = int(value)
    if not lo <= v <= hi:
        raise fail(kernel, name, f"{v} is outside [{lo}, {hi}]")
    return v


def check_array(
    kernel: str,
    name: str,
    arr: Any,
    dtype: type,
    ndim: int | Sequence[int] | None = None,
) -> np.ndarray:
    """A numpy array of exactly ``dtype`` (no silent casts), judged from its
    metadata only and returned as given: nothing is copied here, so a huge or
    strided array is refused before any memory is touched. ``ptr`` makes the
    C-contiguous copy a non-contiguous array needs, when the call's arguments
    are built, after every check."""
    if not isinstance(arr, np.ndarray):
        raise fail(kernel, name, f"must be a numpy array, got {type(arr).__name__}")
    if arr.dtype != np.dtype(dtype):
        raise fail(kernel, name, f"must have dtype {np.dtype(dtype).name}, got {arr.dtype.name}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise fail(kernel, name, f"must have {' or '.join(map(str, allowed))} dimensions, got shape {arr.shape}")
    if arr.size == 0:
        raise fail(kernel, name, f"is empty (shape {arr.shape})")
    if any(d > DIM_MAX for d in arr.shape) and arr.ndim > 1:
        raise fail(kernel, name, f"dimension above {DIM_MAX} in shape {arr.shape}")
    return arr


def check_shape4(kernel: str, name: str, shape: Sequence[int]) -> Shape4:
    """A 4-tuple of positive dims (NHWC)."""
    if not isinstance(shape, (tuple, list, np.ndarray)):
        raise fail(kernel, name, f"must be a sequence of 4 dims (N, H, W, C), got {type(shape).__name__}")
    if len(shape) != 4:
        raise fail(kernel, name, f"must have 4 dims (N, H, W, C), got {tuple(shape)}")
    out = tuple(check_int(kernel, f"{name}[{i}]", d, 1, DIM_MAX) for i, d in enumerate(shape))
    return out  # type: ignore[return-value]


def check_tile(kernel: str, name: str, tile: Tile, lo: int, hi: int = DIM_MAX) -> Tile:
    if not isinstance(tile, Tile):
        raise fail(kernel, name, f"must be a Tile, got {type(tile).__name__}")
    check_int(kernel, f"{name}.w", tile.w, lo, hi)
    check_int(kernel, f"{name}.h", tile.h, lo, hi)
    return tile


def check_activation(kernel: str, name: str, act: Activation, lo: int = INT8_MIN, hi: int = INT8_MAX) -> Activation:
    if not isinstance(act, Activation):
        raise fail(kernel, name, f"must be an Activation, got {type(act).__name__}")
    a = check_int(kernel, f"{name}.min", act.min, lo, hi)
    b = check_int(kernel, f"{name}.max", act.max, lo, hi)
    if a > b:
        raise fail(kernel, name, f"min {a} is above max {b}")
    return act


def check_input_offset(kernel: str, name: str, value: Any) -> int:
    """-zero point of an int8 tensor: [-127, 128]."""
    return check_int(kernel, name, value, -INT8_MAX, -INT8_MIN)


def check_output_offset(kernel: str, name: str, value: Any) -> int:
    """+zero point of an int8 tensor: [-128, 127]."""
    return check_int(kernel, name, value, INT8_MIN, INT8_MAX)


def check_multiplier(kernel: str, name: str, value: Any) -> int:
    """A Q31 multiplier from QuantizeMultiplier: 0 or in [2^30, 2^31)."""
    return check_int(kernel, name, value, 0, INT32_MAX)


def check_shift(kernel: str, name: str, value: Any) -> int:
    return check_int(kernel, name, value, SHIFT_MIN, SHIFT_MAX)


def check_per_channel(kernel: str, name: str, quant: PerChannelQuant, channels: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel multipliers and shifts as two read-only int32 arrays of
    ``channels`` entries (validated once per distinct value, then cached)."""
    if not isinstance(quant, PerChannelQuant):
        raise fail(kernel, name, f"must be a PerChannelQuant, got {type(quant).__name__}")
    return _per_channel_arrays(kernel, name, quant, channels)


@lru_cache(maxsize=1024)
def _per_channel_arrays(kernel: str, name: str, quant: PerChannelQuant, channels: int) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(quant, PerChannelQuant):
        raise fail(kernel, name, f"must be a PerChannelQuant, got {type(quant).__name__}")
    if len(quant.multiplier) != channels or len(quant.shift) != channels:
        raise fail(
            kernel, name, f"needs {channels} multipliers and shifts (one per output channel), "
            f"got {len(quant.multiplier)} and {len(quant.shift)}"
        )
    for i, (m, s) in enumerate(zip(quant.multiplier, quant.shift)):
        check_multiplier(kernel, f"{name}.multiplier[{i}]", m)
        check_shift(kernel, f"{name}.shift[{i}]", s)
    mult, shift = np.asarray(quant.multiplier, dtype=np.int32), np.asarray(quant.shift, dtype=np.int32)
    mult.setflags(write=False)
    shift.setflags(write=False)
    return mult, shift


def check_per_tensor(kernel: str, name: str, quant: PerTensorQuant) -> PerTensorQuant:
    if not isinstance(quant, PerTensorQuant):
        raise fail(kernel, name, f"must be a PerTensorQuant, got {type(quant).__name__}")
    check_multiplier(kernel, f"{name}.multiplier", quant.multiplier)
    check_shift(kernel, f"{name}.shift", quant.shift)
    return quant


def check_bias(kernel: str, bias: Any, channels: int) -> np.ndarray | None:
    """An int32 bias of ``channels`` entries, or None."""
    if bias is None:
        return None
    b = check_array(kernel, "bias", bias, np.int32, 1)
    if b.shape[0] != channels:
        raise fail(kernel, "bias", f"has {b.shape[0]} entries, expected {channels} (output channels)")
    return b


# ----------------------------------------------------------------- cffi glue
# The struct builders below are cached per (frozen, hashable) value: the C
# kernels take them as const pointers, so one struct serves every call.


def dims(shape: Sequence[int]) -> Any:
    """A ``cmsis_nn_dims *`` for an (n, h, w, c) sequence. Shared between calls
    (cached): callers pass it to C as a const pointer and never write to it."""
    return _dims(tuple(int(d) for d in shape))


@lru_cache(maxsize=4096)
def _dims(shape: tuple[int, ...]) -> Any:
    n, h, w, c = shape
    return ffi.new("cmsis_nn_dims *", {"n": n, "h": h, "w": w, "c": c})


def ptr(arr: np.ndarray | None, ctype: str) -> Any:
    """A C pointer of type ``ctype *`` into a numpy array's data (NULL for None),
    through a C-contiguous copy when the array is not (call it only once the
    arguments are checked). The array is held while a call using it is
    recorded for replay."""
    if arr is None:
        return ffi.NULL
    arr = np.ascontiguousarray(arr)
    keep_alive(arr)
    # A typed array view: the returned cdata itself holds ``arr`` (a copy, when
    # the input was not contiguous) for as long as the call's argument lives.
    return ffi.from_buffer(f"{ctype.replace('const ', '')}[]", arr)


def context(size: int) -> tuple[Any, np.ndarray]:
    """A ``cmsis_nn_context *`` with a zeroed scratch buffer of ``size`` bytes.

    The buffer is never NULL (some kernels reject NULL even for size 0); the
    returned array keeps it alive and must be held for the call.
    """
    if size < 0:
        raise ArgError(f"negative scratch size {size}")
    buf = np.zeros(max(int(size), 4), dtype=np.int8)
    keep_alive(buf)
    ctx = ffi.new("cmsis_nn_context *", {"buf": ffi.from_buffer(buf), "size": int(size)})
    return ctx, buf


def _tile(t: Tile) -> dict[str, int]:
    return {"w": int(t.w), "h": int(t.h)}


def _act(a: Activation) -> dict[str, int]:
    return {"min": int(a.min), "max": int(a.max)}


@lru_cache(maxsize=1024)
def c_conv_params(p: ConvParams) -> Any:
    return ffi.new(
        "cmsis_nn_conv_params *",
        {
            "input_offset": int(p.input_offset),
            "output_offset": int(p.output_offset),
            "stride": _tile(p.stride),
            "padding": _tile(p.padding),
            "dilation": _tile(p.dilation),
            "activation": _act(p.activation),
        },
    )


@lru_cache(maxsize=1024)
def c_dw_conv_params(p: DwConvParams) -> Any:
    return ffi.new(
        "cmsis_nn_dw_conv_params *",
        {
            "input_offset": int(p.input_offset),
            "output_offset": int(p.output_offset),
            "ch_mult": int(p.ch_mult),
            "stride": _tile(p.stride),
            "padding": _tile(p.padding),
            "dilation": _tile(p.dilation),
            "activation": _act(p.activation),
        },
    )


@lru_cache(maxsize=1024)
def c_transpose_conv_params(p: TransposeConvParams) -> Any:
    return ffi.new(
        "cmsis_nn_transpose_conv_params *",
        {
            "input_offset": int(p.input_offset),
            "output_offset": int(p.output_offset),
            "stride": _tile(p.stride),
            "padding": _tile(p.padding),
            "padding_offsets": _tile(p.padding_offsets),
            "dilation": _tile(p.dilation),
            "activation": _act(p.activation),
        },
    )


@lru_cache(maxsize=1024)
def c_pool_params(p: PoolParams) -> Any:
    return ffi.new(
        "cmsis_nn_pool_params *",
        {"stride": _tile(p.stride), "padding": _tile(p.padding), "activation": _act(p.activation)},
    )


def c_fc_params(p: FcParams) -> dict[str, Any]:
    """cmsis_nn_fc_params as an initialiser (also nested in cmsis_nn_bmm_params)."""
    return {
        "input_offset": int(p.input_offset),
        "filter_offset": int(p.filter_offset),
        "output_offset": int(p.output_offset),
        "activation": _act(p.activation),
    }


def c_per_channel(multiplier: np.ndarray, shift: np.ndarray) -> Any:
    """``cmsis_nn_per_channel_quant_params *`` over two int32 arrays (keep them alive)."""
    return ffi.new(
        "cmsis_nn_per_channel_quant_params *",
        {"multiplier": ptr(multiplier, "int32_t"), "shift": ptr(shift, "int32_t")},
    )


@lru_cache(maxsize=1024)
def c_per_tensor(q: PerTensorQuant) -> Any:
    return ffi.new("cmsis_nn_per_tensor_quant_params *", {"multiplier": int(q.multiplier), "shift": int(q.shift)})


def call(kernel: str, status: int) -> None:
    """Raise for a non-success status of ``kernel``."""
    raise_for_status(kernel, int(status))
