"""The legacy q7 (Qm.n) kernels of CMSIS-NN, removed upstream in 2022.

One wrapper per historical C function, with its name and its arguments in
their historical order, minus the output and scratch pointers: the output is
returned as a new array, the scratch (``bufferA``, ``vec_buffer``) is
allocated here with its historical size. Every argument is checked before any
C runs (``ArgError`` naming the kernel and the argument).

The arithmetic has no zero points: input, weights, bias and output are int8 in
Qm.n formats, ``bias_shift`` moves the bias left into the accumulator's format
and ``out_shift`` moves the accumulator right into the output's, rounding half
up once: ``out = sat8(((bias << bias_shift) + (1 << out_shift >> 1) + sum) >> out_shift)``.
``pycmsisnn.qmn`` derives the formats and shifts from a model.

Layouts are HWC. Images are square (``dim_im_in`` x ``dim_im_in``); an image
argument may be flat or shaped ``[H, W, C]`` / ``[1, H, W, C]``; outputs come
back shaped ``[dim_im_out, dim_im_out, C]``. Conv weights are
``[ch_im_out, k, k, ch_im_in]``, depthwise weights ``[k, k, ch]``,
fully-connected weights ``[num_of_rows, dim_vec]`` (``arm_fully_connected_q7_opt``
takes them interleaved: see ``fc_q7_opt_weights``).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..errors import ArgError
from ._base import check_array, check_int, fail, ffi, lib, ptr

__all__ = [
    "arm_convolve_HWC_q7_basic",
    "arm_convolve_HWC_q7_fast",
    "arm_convolve_HWC_q7_RGB",
    "arm_depthwise_separable_conv_HWC_q7",
    "arm_fully_connected_q7",
    "arm_fully_connected_q7_opt",
    "arm_maxpool_q7_HWC",
    "arm_avepool_q7_HWC",
    "arm_softmax_q7",
    "fc_q7_opt_weights",
    "conv_q7_buffer_size",
    "ARM_STATUS_NAMES",
    "MAX_SHIFT",
]

UINT16_MAX = 2**16 - 1
MAX_SHIFT = 31  # a 32-bit shift by 32 or more is undefined in C
ARM_STATUS_NAMES = {
    0: "ARM_MATH_SUCCESS",
    -1: "ARM_MATH_ARGUMENT_ERROR",
    -2: "ARM_MATH_LENGTH_ERROR",
    -3: "ARM_MATH_SIZE_MISMATCH",
}


def _check_status(kernel: str, status: int) -> None:
    if int(status) != 0:
        name = ARM_STATUS_NAMES.get(int(status), f"status {int(status)}")
        raise ArgError(f"{kernel} returned {name}")


def _u16(kernel: str, name: str, value: Any, lo: int = 1) -> int:
    return check_int(kernel, name, value, lo, UINT16_MAX)


def _shift(kernel: str, name: str, value: Any) -> int:
    return check_int(kernel, name, value, 0, MAX_SHIFT)


def _int8_of_size(kernel: str, name: str, arr: Any, size: int, what: str) -> np.ndarray:
    """An int8 array of exactly ``size`` elements (any shape: C reads it flat;
    not copied here, see ``check_array``)."""
    a = check_array(kernel, name, arr, np.int8)
    if a.size != size:
        raise fail(kernel, name, f"has {a.size} elements (shape {a.shape}), {what} needs {size}")
    return a


def _image(kernel: str, name: str, arr: Any, dim: int, ch: int) -> np.ndarray:
    """A square HWC image: flat, [H, W, C] or [1, H, W, C]."""
    a = check_array(kernel, name, arr, np.int8, (1, 3, 4))
    if a.ndim == 4 and a.shape[0] != 1:
        raise fail(kernel, name, f"has batch {a.shape[0]}; the q7 kernels take one image (batch 1)")
    if a.ndim >= 3 and tuple(a.shape[-3:]) != (dim, dim, ch):
        raise fail(kernel, name, f"has shape {a.shape}, expected [{dim}, {dim}, {ch}] (dim_im_in, dim_im_in, ch_im_in)")
    if a.size != dim * dim * ch:
        raise fail(kernel, name, f"has {a.size} elements, a {dim}x{dim}x{ch} image has {dim * dim * ch}")
    return a


def _window(kernel: str, dim_im_in: int, dim_kernel: int, padding: int, stride: int, dim_im_out: int) -> None:
    """Every output window must overlap the image, as in any TFLite geometry."""
    if padding >= dim_kernel:
        raise fail(kernel, "padding", f"{padding} is not below dim_kernel {dim_kernel}: the first window would lie in the padding")
    last = (dim_im_out - 1) * stride - padding
    if last >= dim_im_in:
        raise fail(kernel, "dim_im_out", f"{dim_im_out} windows of stride {stride} (padding {padding}) run past a {dim_im_in}-pixel image")


def conv_q7_buffer_size(ch_im_in: int, dim_kernel: int) -> int:
    """Historical ``bufferA`` size of the q7 convolutions, in q15_t entries."""
    kernel = "conv_q7_buffer_size"
    return 2 * _u16(kernel, "ch_im_in", ch_im_in) * _u16(kernel, "dim_kernel", dim_kernel) ** 2


def _convolve(
    kernel: str,
    fn: Callable[..., int],
    Im_in: Any,
    dim_im_in: Any,
    ch_im_in: Any,
    wt: Any,
    ch_im_out: Any,
    dim_kernel: Any,
    padding: Any,
    stride: Any,
    bias: Any,
    bias_shift: Any,
    out_shift: Any,
    dim_im_out: Any,
    depthwise: bool = False,
) -> np.ndarray:
    dim_in = _u16(kernel, "dim_im_in", dim_im_in)
    ch_in = _u16(kernel, "ch_im_in", ch_im_in)
    ch_out = _u16(kernel, "ch_im_out", ch_im_out)
    k = _u16(kernel, "dim_kernel", dim_kernel)
    pad = _u16(kernel, "padding", padding, lo=0)
    s = _u16(kernel, "stride", stride)
    dim_out = _u16(kernel, "dim_im_out", dim_im_out)
    bs = _shift(kernel, "bias_shift", bias_shift)
    os_ = _shift(kernel, "out_shift", out_shift)
    if depthwise and ch_in != ch_out:
        raise fail(kernel, "ch_im_out", f"{ch_out} differs from ch_im_in {ch_in} (one filter per channel)")
    _window(kernel, dim_in, k, pad, s, dim_out)
    x = _image(kernel, "Im_in", Im_in, dim_in, ch_in)
    w_size = k * k * ch_in if depthwise else ch_out * k * k * ch_in
    w_what = f"[{k}, {k}, {ch_in}] weights" if depthwise else f"[{ch_out}, {k}, {k}, {ch_in}] weights"
    w = _int8_of_size(kernel, "wt", wt, w_size, w_what)
    b = _int8_of_size(kernel, "bias", bias, ch_out, f"one int8 bias per output channel ({ch_out})")
    out = np.empty((dim_out, dim_out, ch_out), dtype=np.int8)
    buffer_a = np.zeros(conv_q7_buffer_size(ch_in, k), dtype=np.int16)
    status = fn(
        ptr(x, "int8_t"), dim_in, ch_in, ptr(w, "int8_t"), ch_out, k, pad, s, ptr(b, "int8_t"), bs, os_,
        ptr(out, "int8_t"), dim_out, ptr(buffer_a, "int16_t"), ffi.NULL,
    )
    _check_status(kernel, status)
    return out


def arm_convolve_HWC_q7_basic(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, wt: np.ndarray, ch_im_out: int, dim_kernel: int,
    padding: int, stride: int, bias: np.ndarray, bias_shift: int, out_shift: int, dim_im_out: int,
) -> np.ndarray:
    """q7 convolution of a square image, any channel counts."""
    return _convolve("arm_convolve_HWC_q7_basic", lib.arm_convolve_HWC_q7_basic, Im_in, dim_im_in, ch_im_in, wt,
                     ch_im_out, dim_kernel, padding, stride, bias, bias_shift, out_shift, dim_im_out)


def arm_convolve_HWC_q7_fast(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, wt: np.ndarray, ch_im_out: int, dim_kernel: int,
    padding: int, stride: int, bias: np.ndarray, bias_shift: int, out_shift: int, dim_im_out: int,
) -> np.ndarray:
    """q7 convolution; ``ch_im_in`` must be a multiple of 4 and ``ch_im_out`` of 2."""
    kernel = "arm_convolve_HWC_q7_fast"
    if _u16(kernel, "ch_im_in", ch_im_in) % 4:
        raise fail(kernel, "ch_im_in", f"{ch_im_in} is not a multiple of 4 (use arm_convolve_HWC_q7_basic)")
    if _u16(kernel, "ch_im_out", ch_im_out) % 2:
        raise fail(kernel, "ch_im_out", f"{ch_im_out} is not a multiple of 2 (use arm_convolve_HWC_q7_basic)")
    return _convolve(kernel, lib.arm_convolve_HWC_q7_fast, Im_in, dim_im_in, ch_im_in, wt,
                     ch_im_out, dim_kernel, padding, stride, bias, bias_shift, out_shift, dim_im_out)


def arm_convolve_HWC_q7_RGB(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, wt: np.ndarray, ch_im_out: int, dim_kernel: int,
    padding: int, stride: int, bias: np.ndarray, bias_shift: int, out_shift: int, dim_im_out: int,
) -> np.ndarray:
    """q7 convolution of an RGB image: ``ch_im_in`` must be 3."""
    kernel = "arm_convolve_HWC_q7_RGB"
    if _u16(kernel, "ch_im_in", ch_im_in) != 3:
        raise fail(kernel, "ch_im_in", f"{ch_im_in}: the RGB kernel takes exactly 3 input channels")
    return _convolve(kernel, lib.arm_convolve_HWC_q7_RGB, Im_in, dim_im_in, ch_im_in, wt,
                     ch_im_out, dim_kernel, padding, stride, bias, bias_shift, out_shift, dim_im_out)


def arm_depthwise_separable_conv_HWC_q7(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, wt: np.ndarray, ch_im_out: int, dim_kernel: int,
    padding: int, stride: int, bias: np.ndarray, bias_shift: int, out_shift: int, dim_im_out: int,
) -> np.ndarray:
    """q7 depthwise convolution: ``ch_im_out`` equals ``ch_im_in``, weights ``[k, k, ch]``."""
    return _convolve("arm_depthwise_separable_conv_HWC_q7", lib.arm_depthwise_separable_conv_HWC_q7, Im_in,
                     dim_im_in, ch_im_in, wt, ch_im_out, dim_kernel, padding, stride, bias, bias_shift, out_shift,
                     dim_im_out, depthwise=True)


def _fully_connected(
    kernel: str, fn: Callable[..., int], pV: Any, pM: Any, dim_vec: Any, num_of_rows: Any,
    bias_shift: Any, out_shift: Any, bias: Any,
) -> np.ndarray:
    n = _u16(kernel, "dim_vec", dim_vec)
    rows = _u16(kernel, "num_of_rows", num_of_rows)
    bs = _shift(kernel, "bias_shift", bias_shift)
    os_ = _shift(kernel, "out_shift", out_shift)
    v = _int8_of_size(kernel, "pV", pV, n, f"a vector of dim_vec {n}")
    m = _int8_of_size(kernel, "pM", pM, rows * n, f"a {rows}x{n} weight matrix")
    b = _int8_of_size(kernel, "bias", bias, rows, f"one int8 bias per row ({rows})")
    out = np.empty(rows, dtype=np.int8)
    vec_buffer = np.zeros(n, dtype=np.int16)
    status = fn(ptr(v, "int8_t"), ptr(m, "int8_t"), n, rows, bs, os_, ptr(b, "int8_t"), ptr(out, "int8_t"),
                ptr(vec_buffer, "int16_t"))
    _check_status(kernel, status)
    return out


def arm_fully_connected_q7(
    pV: np.ndarray, pM: np.ndarray, dim_vec: int, num_of_rows: int, bias_shift: int, out_shift: int, bias: np.ndarray
) -> np.ndarray:
    """q7 fully connected: ``pM`` is ``[num_of_rows, dim_vec]``; returns ``num_of_rows`` int8."""
    return _fully_connected("arm_fully_connected_q7", lib.arm_fully_connected_q7, pV, pM, dim_vec, num_of_rows,
                            bias_shift, out_shift, bias)


def arm_fully_connected_q7_opt(
    pV: np.ndarray, pM: np.ndarray, dim_vec: int, num_of_rows: int, bias_shift: int, out_shift: int, bias: np.ndarray
) -> np.ndarray:
    """q7 fully connected over interleaved weights (``fc_q7_opt_weights(matrix)``)."""
    return _fully_connected("arm_fully_connected_q7_opt", lib.arm_fully_connected_q7_opt, pV, pM, dim_vec,
                            num_of_rows, bias_shift, out_shift, bias)


def fc_q7_opt_weights(matrix: np.ndarray) -> np.ndarray:
    """A row-major ``[num_of_rows, dim_vec]`` int8 matrix in the interleaved
    order ``arm_fully_connected_q7_opt`` reads (flat): per group of four rows,
    per run of four columns, the 16 bytes ``r0c0 r1c0 r0c2 r1c2 r2c0 r3c0 r2c2
    r3c2 r0c1 r1c1 r0c3 r1c3 r2c1 r3c1 r2c3 r3c3``, then the leftover columns
    as ``r0 r1 r2 r3``; leftover rows stay row-major at the end."""
    m = check_array("fc_q7_opt_weights", "matrix", matrix, np.int8, 2)
    rows, cols = m.shape
    parts: list[np.ndarray] = []
    order = [(0, 0), (1, 0), (0, 2), (1, 2), (2, 0), (3, 0), (2, 2), (3, 2),
             (0, 1), (1, 1), (0, 3), (1, 3), (2, 1), (3, 1), (2, 3), (3, 3)]
    for g in range(rows // 4):
        block = m[4 * g : 4 * g + 4]
        for c in range(0, cols - cols % 4, 4):
            parts.append(np.array([block[r, c + k] for r, k in order], dtype=np.int8))
        for c in range(cols - cols % 4, cols):
            parts.append(block[:, c].copy())
    parts.append(m[rows - rows % 4 :].reshape(-1))
    return np.concatenate(parts).astype(np.int8)


def _pool(
    kernel: str, fn: Callable[..., None], Im_in: Any, dim_im_in: Any, ch_im_in: Any, dim_kernel: Any,
    padding: Any, stride: Any, dim_im_out: Any, buffer_bytes: Callable[[int, int], int],
) -> np.ndarray:
    dim_in = _u16(kernel, "dim_im_in", dim_im_in)
    ch = _u16(kernel, "ch_im_in", ch_im_in)
    k = _u16(kernel, "dim_kernel", dim_kernel)
    pad = _u16(kernel, "padding", padding, lo=0)
    s = _u16(kernel, "stride", stride)
    dim_out = _u16(kernel, "dim_im_out", dim_im_out)
    _window(kernel, dim_in, k, pad, s, dim_out)
    x = _image(kernel, "Im_in", Im_in, dim_in, ch).copy()  # the historical kernels wrote over their input
    out = np.empty((dim_out, dim_out, ch), dtype=np.int8)
    size = buffer_bytes(dim_out, ch)
    buffer_a = np.zeros(size, dtype=np.int8) if size else None
    fn(ptr(x, "int8_t"), dim_in, ch, k, pad, s, dim_out, ptr(buffer_a, "int8_t"), ptr(out, "int8_t"))
    return out


def arm_maxpool_q7_HWC(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, dim_kernel: int, padding: int, stride: int, dim_im_out: int
) -> np.ndarray:
    """Max pooling of a square HWC image (window positions in the padding left out)."""
    return _pool("arm_maxpool_q7_HWC", lib.arm_maxpool_q7_HWC, Im_in, dim_im_in, ch_im_in, dim_kernel, padding,
                 stride, dim_im_out, lambda dim_out, ch: 0)


def arm_avepool_q7_HWC(
    Im_in: np.ndarray, dim_im_in: int, ch_im_in: int, dim_kernel: int, padding: int, stride: int, dim_im_out: int
) -> np.ndarray:
    """Average pooling of a square HWC image: sum of the pixels inside the image
    over their count, truncated toward zero."""
    return _pool("arm_avepool_q7_HWC", lib.arm_avepool_q7_HWC, Im_in, dim_im_in, ch_im_in, dim_kernel, padding,
                 stride, dim_im_out, lambda dim_out, ch: 2 * dim_out * ch)


def arm_softmax_q7(vec_in: np.ndarray, dim_vec: int | None = None) -> np.ndarray:
    """The historical base-2 softmax of one vector (``dim_vec`` defaults to its size)."""
    kernel = "arm_softmax_q7"
    v = check_array(kernel, "vec_in", vec_in, np.int8)
    n = v.size if dim_vec is None else _u16(kernel, "dim_vec", dim_vec)
    if v.size != n:
        raise fail(kernel, "vec_in", f"has {v.size} elements, dim_vec is {n}")
    if n > UINT16_MAX:
        raise fail(kernel, "vec_in", f"{n} elements do not fit the uint16_t dim_vec (max {UINT16_MAX})")
    out = np.empty(n, dtype=np.int8)
    lib.arm_softmax_q7(ptr(v, "int8_t"), n, ptr(out, "int8_t"))
    return out
