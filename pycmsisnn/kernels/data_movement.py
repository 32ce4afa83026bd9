"""Data movement on int8 tensors: reshape, transpose, pad, concatenation; and
on int16 tensors: ``reshape_s16`` and ``concatenation_s16`` (the int8
functions on the bytes, two per element), ``pycmsisnn_transpose_s16`` and
``pycmsisnn_pad_s16`` (our kernels, ``pycmsisnn_tensor_ops_s16.h``).

None of these changes a value: quantisation is the input's throughout (the
TFLite converter gives RESHAPE, TRANSPOSE, PAD and CONCATENATION the same
scale and zero point on every tensor).

Concatenation follows CMSIS-NN's [W][Z][Y][X] naming with X innermost, so for
NHWC tensors ``_x`` joins along C, ``_y`` along W, ``_z`` along H and ``_w``
along N. Those four C functions write one input into a larger output; their
wrappers therefore take the destination array and fill it in place.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ._base import DIM_MAX, INT32_MAX, call, check_array, check_int, dims, fail, ffi, invoke, lib, ptr

Shape4 = tuple[int, int, int, int]

UINT16_MAX = 2**16 - 1
UINT32_MAX = 2**32 - 1

# NHWC axis -> the concatenation function joining along it.
CONCAT_AXIS_FUNCTIONS = {
    3: "arm_concatenation_s8_x",
    2: "arm_concatenation_s8_y",
    1: "arm_concatenation_s8_z",
    0: "arm_concatenation_s8_w",
}


def _int_sequence(kernel: str, name: str, value: Any) -> tuple[Any, ...]:
    """A list/tuple/1-D integer array as a tuple (entries checked by the caller)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise fail(kernel, name, f"must be one-dimensional, got shape {value.shape}")
        return tuple(value.tolist())
    if not isinstance(value, (list, tuple)):
        raise fail(kernel, name, f"must be a sequence of integers, got {type(value).__name__}")
    return tuple(value)


def _right_aligned_nhwc(values: Sequence[int], fill: int) -> Shape4:
    """Per-axis values of a rank <= 4 tensor placed in (N, H, W, C), the
    missing leading axes filled with ``fill``."""
    return tuple([fill] * (4 - len(values)) + [int(v) for v in values])  # type: ignore[return-value]


# ------------------------------------------------------------------- reshape


def arm_reshape_s8(input: np.ndarray, output_shape: Sequence[int]) -> np.ndarray:
    """A new int8 array of ``output_shape`` holding ``input``'s bytes in order
    (row-major reshape; the element counts must agree)."""
    k = "arm_reshape_s8"
    x = check_array(k, "input", input, np.int8)
    shape = tuple(
        check_int(k, f"output_shape[{i}]", d, 1, INT32_MAX)
        for i, d in enumerate(_int_sequence(k, "output_shape", output_shape))
    )
    if not shape:
        raise fail(k, "output_shape", "must have at least one dimension")
    count = int(np.prod(shape, dtype=object))
    if count != x.size:
        raise fail(k, "output_shape", f"{shape} holds {count} elements, input has {x.size}")
    if x.size > UINT32_MAX:
        raise fail(k, "input", f"{x.size} elements do not fit the uint32_t total_size")
    out = np.empty(shape, dtype=np.int8)
    return invoke(k, lib.arm_reshape_s8, ptr(x, "int8_t"), ptr(out, "int8_t"), int(x.size), output=out)


def reshape_s16(input: np.ndarray, output_shape: Sequence[int]) -> np.ndarray:
    """``arm_reshape_s8`` for int16 arrays: the same byte copy, of two bytes
    per element (CMSIS-NN has no ``arm_reshape_s16``; a reshape moves bytes,
    whatever they encode). Returns a new int16 array of ``output_shape``."""
    k = "reshape_s16"
    x = check_array(k, "input", input, np.int16)
    shape = tuple(
        check_int(k, f"output_shape[{i}]", d, 1, INT32_MAX)
        for i, d in enumerate(_int_sequence(k, "output_shape", output_shape))
    )
    if not shape:
        raise fail(k, "output_shape", "must have at least one dimension")
    count = int(np.prod(shape, dtype=object))
    if count != x.size:
        raise fail(k, "output_shape", f"{shape} holds {count} elements, input has {x.size}")
    if x.nbytes > UINT32_MAX:
        raise fail(k, "input", f"{x.nbytes} bytes do not fit the uint32_t total_size")
    x = np.ascontiguousarray(x)
    out = np.empty(shape, dtype=np.int16)
    return invoke(k, lib.arm_reshape_s8, ptr(x.view(np.int8), "int8_t"), ptr(out.view(np.int8), "int8_t"), int(x.nbytes), output=out)


# ----------------------------------------------------------------- transpose


def _left_aligned_dims(shape: Sequence[int]) -> Any:
    """cmsis_nn_dims of a rank <= 4 shape for arm_transpose_s8: extents in the
    leading fields (n, h, w, c), the unused ones set to 1."""
    return dims(tuple(shape) + (1,) * (4 - len(shape)))


def _transpose(k: str, fn: Any, dtype: type, ctype: str, input: Any, permutations: Any) -> np.ndarray:
    x = check_array(k, "input", input, dtype, (1, 2, 3, 4))
    perm = _int_sequence(k, "permutations", permutations)
    if len(perm) != x.ndim:
        raise fail(k, "permutations", f"has {len(perm)} entries, input has {x.ndim} dimensions")
    perm = tuple(check_int(k, f"permutations[{i}]", p, 0, x.ndim - 1) for i, p in enumerate(perm))
    if sorted(perm) != list(range(x.ndim)):
        raise fail(k, "permutations", f"{perm} is not a permutation of 0..{x.ndim - 1}")
    if x.size > INT32_MAX:
        raise fail(k, "input", f"{x.size} elements do not fit int32 indexing")
    out_shape = tuple(x.shape[p] for p in perm)
    out = np.empty(out_shape, dtype=dtype)
    perm_c = np.asarray(perm, dtype=np.uint32)
    params = ffi.new("cmsis_nn_transpose_params *", {"num_dims": x.ndim, "permutations": ptr(perm_c, "uint32_t")})
    status = fn(ptr(x, ctype), ptr(out, ctype), _left_aligned_dims(x.shape), _left_aligned_dims(out_shape), params)
    call(k, status)
    return out


def arm_transpose_s8(input: np.ndarray, permutations: Sequence[int]) -> np.ndarray:
    """``numpy.transpose(input, permutations)`` for int8 arrays of 1 to 4
    dimensions: output axis i is input axis ``permutations[i]``. Returns a new
    array."""
    return _transpose("arm_transpose_s8", lib.arm_transpose_s8, np.int8, "int8_t", input, permutations)


def pycmsisnn_transpose_s16(input: np.ndarray, permutations: Sequence[int]) -> np.ndarray:
    """``arm_transpose_s8`` for int16 arrays (our kernel: CMSIS-NN has no
    int16 transpose)."""
    return _transpose("pycmsisnn_transpose_s16", lib.pycmsisnn_transpose_s16, np.int16, "int16_t", input, permutations)


# ----------------------------------------------------------------------- pad


def _pad(k: str, fn: Any, dtype: type, ctype: str, input: Any, pad_value: Any, pre_pad: Any, post_pad: Any) -> np.ndarray:
    x = check_array(k, "input", input, dtype, (1, 2, 3, 4))
    info = np.iinfo(dtype)
    value = check_int(k, "pad_value", pad_value, int(info.min), int(info.max))
    pads = []
    for name, seq in (("pre_pad", pre_pad), ("post_pad", post_pad)):
        items = _int_sequence(k, name, seq)
        if len(items) != x.ndim:
            raise fail(k, name, f"has {len(items)} entries, input has {x.ndim} dimensions")
        pads.append(tuple(check_int(k, f"{name}[{i}]", p, 0, DIM_MAX) for i, p in enumerate(items)))
    pre, post = pads
    out_shape = tuple(d + a + b for d, a, b in zip(x.shape, pre, post))
    for i, d in enumerate(out_shape):
        if d > DIM_MAX:
            raise fail(k, "post_pad", f"output dimension {i} would be {d}, above {DIM_MAX}")
    if int(np.prod(out_shape, dtype=object)) > INT32_MAX:
        raise fail(k, "post_pad", f"output shape {out_shape} has more than {INT32_MAX} elements")
    out = np.empty(out_shape, dtype=dtype)
    status = fn(
        ptr(x, ctype),
        ptr(out, ctype),
        value,
        dims(_right_aligned_nhwc(x.shape, 1)),
        dims(_right_aligned_nhwc(pre, 0)),
        dims(_right_aligned_nhwc(post, 0)),
    )
    call(k, status)
    return out


def arm_pad_s8(input: np.ndarray, pad_value: int, pre_pad: Sequence[int], post_pad: Sequence[int]) -> np.ndarray:
    """Constant padding of an int8 array of rank 1 to 4: ``pre_pad[i]`` and
    ``post_pad[i]`` entries of ``pad_value`` before and after axis i (like
    ``numpy.pad(input, list(zip(pre_pad, post_pad)), constant_values=pad_value)``).
    Axes map to NHWC from the right. Returns a new array."""
    return _pad("arm_pad_s8", lib.arm_pad_s8, np.int8, "int8_t", input, pad_value, pre_pad, post_pad)


def pycmsisnn_pad_s16(input: np.ndarray, pad_value: int, pre_pad: Sequence[int], post_pad: Sequence[int]) -> np.ndarray:
    """``arm_pad_s8`` for int16 arrays and an int16 ``pad_value`` (our kernel:
    CMSIS-NN has no int16 pad)."""
    return _pad("pycmsisnn_pad_s16", lib.pycmsisnn_pad_s16, np.int16, "int16_t", input, pad_value, pre_pad, post_pad)


# ------------------------------------------------------------- concatenation


def _concat_args(kernel: str, axis: int, input: Any, output: Any, offset: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate one concatenation step along NHWC ``axis``: a 4-D int8 input,
    a writable C-contiguous 4-D int8 output equal to the input off ``axis``,
    and an offset that keeps the input inside the output along ``axis``."""
    x = check_array(kernel, "input", input, np.int8, 4)
    if not isinstance(output, np.ndarray):
        raise fail(kernel, "output", f"must be a numpy array, got {type(output).__name__}")
    if output.dtype != np.int8:
        raise fail(kernel, "output", f"must have dtype int8, got {output.dtype.name}")
    if output.ndim != 4:
        raise fail(kernel, "output", f"must have 4 dimensions, got shape {output.shape}")
    if not output.flags.c_contiguous or not output.flags.writeable:
        raise fail(kernel, "output", "must be C-contiguous and writable (it is filled in place)")
    if any(d > UINT16_MAX for d in output.shape):
        raise fail(kernel, "output", f"dimension above {UINT16_MAX} in shape {output.shape}")
    for i in range(4):
        if i != axis and output.shape[i] != x.shape[i]:
            raise fail(
                kernel, "output", f"shape {output.shape} differs from input's {x.shape} on axis {i} (only axis {axis} may differ)"
            )
    if np.shares_memory(x, output):
        raise fail(kernel, "output", "overlaps input")
    off = check_int(kernel, "offset", offset, 0, UINT32_MAX)
    if off + x.shape[axis] > output.shape[axis]:
        raise fail(
            kernel, "offset",
            f"{off} + input extent {x.shape[axis]} exceeds the output's {output.shape[axis]} along axis {axis}",
        )
    return x, output, off


def _xyzw(shape: Sequence[int]) -> tuple[int, int, int, int]:
    """(input_x, input_y, input_z, input_w) of an NHWC shape."""
    n, h, w, c = (int(d) for d in shape)
    return c, w, h, n


def arm_concatenation_s8_x(input: np.ndarray, output: np.ndarray, offset_x: int) -> np.ndarray:
    """Writes the 4-D NHWC ``input`` into ``output`` (in place) at channel
    ``offset_x``; ``output`` equals ``input`` in N, H, W. Returns ``output``."""
    k = "arm_concatenation_s8_x"
    x, out, off = _concat_args(k, 3, input, output, offset_x)
    lib.arm_concatenation_s8_x(ptr(x, "int8_t"), *_xyzw(x.shape), ptr(out, "int8_t"), out.shape[3], off)
    return out


def arm_concatenation_s8_y(input: np.ndarray, output: np.ndarray, offset_y: int) -> np.ndarray:
    """Writes the 4-D NHWC ``input`` into ``output`` (in place) at width
    ``offset_y``; ``output`` equals ``input`` in N, H, C. Returns ``output``."""
    k = "arm_concatenation_s8_y"
    x, out, off = _concat_args(k, 2, input, output, offset_y)
    lib.arm_concatenation_s8_y(ptr(x, "int8_t"), *_xyzw(x.shape), ptr(out, "int8_t"), out.shape[2], off)
    return out


def arm_concatenation_s8_z(input: np.ndarray, output: np.ndarray, offset_z: int) -> np.ndarray:
    """Writes the 4-D NHWC ``input`` into ``output`` (in place) at height
    ``offset_z``; ``output`` equals ``input`` in N, W, C. Returns ``output``."""
    k = "arm_concatenation_s8_z"
    x, out, off = _concat_args(k, 1, input, output, offset_z)
    lib.arm_concatenation_s8_z(ptr(x, "int8_t"), *_xyzw(x.shape), ptr(out, "int8_t"), out.shape[1], off)
    return out


def arm_concatenation_s8_w(input: np.ndarray, output: np.ndarray, offset_w: int) -> np.ndarray:
    """Writes the 4-D NHWC ``input`` into ``output`` (in place) at batch
    ``offset_w``; ``output`` equals ``input`` in H, W, C. Returns ``output``."""
    k = "arm_concatenation_s8_w"
    x, out, off = _concat_args(k, 0, input, output, offset_w)
    lib.arm_concatenation_s8_w(ptr(x, "int8_t"), *_xyzw(x.shape), ptr(out, "int8_t"), off)
    return out


_CONCAT_WRAPPERS: dict[int, Callable[[np.ndarray, np.ndarray, int], np.ndarray]] = {
    3: arm_concatenation_s8_x,
    2: arm_concatenation_s8_y,
    1: arm_concatenation_s8_z,
    0: arm_concatenation_s8_w,
}


def _concatenate(k: str, dtype: type, inputs: Any, axis: Any) -> np.ndarray:
    """``numpy.concatenate`` of arrays of ``dtype`` through the int8
    concatenation functions: each element is ``itemsize`` bytes, so the
    arrays are joined as int8 arrays whose innermost axis is ``itemsize``
    times longer (along it, offsets scale the same way)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise fail(k, "inputs", "must be a non-empty list of arrays")
    arrays = [check_array(k, f"inputs[{i}]", a, dtype, (1, 2, 3, 4)) for i, a in enumerate(inputs)]
    rank = arrays[0].ndim
    ax = check_int(k, "axis", axis, -rank, rank - 1) % rank
    for i, a in enumerate(arrays[1:], start=1):
        if a.ndim != rank:
            raise fail(k, f"inputs[{i}]", f"has {a.ndim} dimensions, inputs[0] has {rank}")
        for d in range(rank):
            if d != ax and a.shape[d] != arrays[0].shape[d]:
                raise fail(k, f"inputs[{i}]", f"shape {a.shape} differs from inputs[0]'s {arrays[0].shape} off axis {ax}")
    width = np.dtype(dtype).itemsize
    total = sum(a.shape[ax] for a in arrays)
    out_shape = tuple(total if d == ax else arrays[0].shape[d] for d in range(rank))
    if total > DIM_MAX:
        raise fail(k, "inputs", f"concatenated extent {total} along axis {ax} is above {DIM_MAX}")
    if out_shape[-1] * width > DIM_MAX:
        raise fail(k, "inputs", f"the innermost extent {out_shape[-1]} is {out_shape[-1] * width} bytes, above {DIM_MAX}")
    out = np.empty(out_shape, dtype=dtype)

    def as_bytes(a: np.ndarray) -> np.ndarray:
        shape = a.shape[:-1] + (a.shape[-1] * width,)
        return np.ascontiguousarray(a).view(np.int8).reshape(_right_aligned_nhwc(shape, 1))

    fn = _CONCAT_WRAPPERS[ax + 4 - rank]
    out4 = as_bytes(out)
    offset = 0
    for a in arrays:
        fn(as_bytes(a), out4, offset)
        offset += a.shape[ax] * (width if ax == rank - 1 else 1)
    return out


def concatenation_s8(inputs: Sequence[np.ndarray], axis: int) -> np.ndarray:
    """``numpy.concatenate(inputs, axis)`` for int8 arrays of one rank (1 to 4),
    done by calling the CMSIS-NN concatenation function of that axis once per
    input (axes map to NHWC from the right). Returns a new array."""
    return _concatenate("concatenation_s8", np.int8, inputs, axis)


def concatenation_s16(inputs: Sequence[np.ndarray], axis: int) -> np.ndarray:
    """``concatenation_s8`` for int16 arrays: the same CMSIS-NN functions on
    the bytes (a concatenation copies elements, whatever they encode), the
    innermost axis counted in bytes. Returns a new array."""
    return _concatenate("concatenation_s16", np.int16, inputs, axis)


__all__ = [
    "arm_reshape_s8",
    "arm_transpose_s8",
    "arm_pad_s8",
    "arm_concatenation_s8_x",
    "arm_concatenation_s8_y",
    "arm_concatenation_s8_z",
    "arm_concatenation_s8_w",
    "concatenation_s8",
    "concatenation_s16",
    "reshape_s16",
    "pycmsisnn_transpose_s16",
    "pycmsisnn_pad_s16",
    "CONCAT_AXIS_FUNCTIONS",
]
