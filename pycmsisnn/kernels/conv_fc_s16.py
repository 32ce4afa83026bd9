"""int16 (16x8) kernels of ours that CMSIS-NN lacks (``pycmsisnn_conv_fc_s16.h``):
transpose convolution and per-channel fully connected.

As Arm's s16 kernels: activations int16 and symmetric (every offset must be
0), weights int8, the clamp within int16. Both requantise as TensorFlow Lite
Micro's reference kernels: a 64-bit sum plus an int64 bias through the
multiplier reduced to Q15 (shift at most 14); the fully connected also takes
an int32 bias, which makes it sum in 32 bits and requantise as an int8
kernel does (TFLite Micro's path for an int32 bias tensor). No scratch.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..params import FcParams, PerChannelQuant, TransposeConvParams
from ._base import (
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    SHIFT_MAX,
    SHIFT_MIN,
    c_fc_params,
    c_per_channel,
    c_transpose_conv_params,
    check_activation,
    check_array,
    check_int,
    check_per_channel,
    check_shape4,
    check_tile,
    dims,
    fail,
    ffi,
    invoke,
    keep_alive,
    lib,
    ptr,
)
from .convolution_s16 import _check_bias

__all__ = ["pycmsisnn_transpose_conv_s16", "pycmsisnn_fully_connected_per_channel_s16"]

S64_SHIFT_MAX = 14  # the 64-bit requantisation shifts right by 15 - shift
S32_SHIFT_MAX = SHIFT_MAX  # the 32-bit one (an int32 bias), as the int8 kernels'


def _zero(kernel: str, name: str, value: Any) -> None:
    check_int(kernel, name, value, 0, 0)


def _quant(kernel: str, quant: PerChannelQuant, channels: int, shift_max: int) -> tuple[np.ndarray, np.ndarray]:
    mult, shift = check_per_channel(kernel, "quant_params", quant, channels)
    for i, s in enumerate(shift):
        if not SHIFT_MIN <= int(s) <= shift_max:
            raise fail(kernel, f"quant_params.shift[{i}]", f"{int(s)} is outside [{SHIFT_MIN}, {shift_max}]")
    return mult, shift


def _bias_struct(bias: np.ndarray | None) -> Any:
    """``cmsis_nn_bias_data *`` over a C-contiguous int64 or int32 bias (data
    NULL for None) that the caller holds for the call; held for a replay."""
    is_int32 = bias is not None and bias.dtype == np.int32
    s = ffi.new("cmsis_nn_bias_data *", {"data": ptr(bias, "int32_t" if is_int32 else "int64_t"), "is_int32_bias": is_int32})
    keep_alive(s)
    return s


# ------------------------------------------------------------ transpose conv


def pycmsisnn_transpose_conv_s16(
    transpose_conv_params: TransposeConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002 - the C argument's name
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """16x8 TRANSPOSE_CONV as TFLite Micro's int16 reference: input pixel (y, x)
    times tap (ky, kx) summed into output (y * stride.h - padding.h + ky,
    x * stride.w - padding.w + kx) (taps outside the output dropped), plus the
    int64 bias, requantised in 64 bits and clamped. ``input`` NHWC int16,
    ``filter`` [C_OUT, KH, KW, C_IN] int8, ``bias`` int64 [C_OUT] or None,
    ``output_shape`` the model's. Returns the new int16 output."""
    kernel = "pycmsisnn_transpose_conv_s16"
    p = transpose_conv_params
    if not isinstance(p, TransposeConvParams):
        raise fail(kernel, "transpose_conv_params", f"must be a TransposeConvParams, got {type(p).__name__}")
    _zero(kernel, "transpose_conv_params.input_offset", p.input_offset)
    _zero(kernel, "transpose_conv_params.output_offset", p.output_offset)
    check_tile(kernel, "transpose_conv_params.stride", p.stride, 1)
    check_tile(kernel, "transpose_conv_params.padding", p.padding, 0)
    check_tile(kernel, "transpose_conv_params.padding_offsets", p.padding_offsets, 0, 1)
    check_tile(kernel, "transpose_conv_params.dilation", p.dilation, 1, 1)
    check_activation(kernel, "transpose_conv_params.activation", p.activation, INT16_MIN, INT16_MAX)
    x = check_array(kernel, "input", input, np.int16, 4)
    w = check_array(kernel, "filter", filter, np.int8, 4)
    if w.shape[3] != x.shape[3]:
        raise fail(kernel, "filter", f"has {w.shape[3]} input channels, the input has {x.shape[3]}")
    out_c = w.shape[0]
    b = _check_bias(kernel, bias, out_c, allow_int32=False)
    mult, shift = _quant(kernel, quant_params, out_c, S64_SHIFT_MAX)
    o = check_shape4(kernel, "output_shape", output_shape)
    if o[0] != x.shape[0]:
        raise fail(kernel, "output_shape", f"batch {o[0]} differs from the input's {x.shape[0]}")
    if o[3] != out_c:
        raise fail(kernel, "output_shape", f"{o[3]} channels, but the filter has {out_c} output channels")
    if int(np.prod(o)) > INT32_MAX:
        raise fail(kernel, "output_shape", f"{o} has more than {INT32_MAX} elements")
    out = np.empty(o, dtype=np.int16)
    return invoke(
        kernel,
        lib.pycmsisnn_transpose_conv_s16,
        c_transpose_conv_params(p),
        c_per_channel(mult, shift),
        dims(x.shape),
        ptr(x, "int16_t"),
        dims(w.shape),
        ptr(w, "int8_t"),
        dims((1, 1, 1, out_c)),
        ptr(b, "int64_t"),
        dims(o),
        ptr(out, "int16_t"),
        output=out,
    )


# ------------------------------------------------------------ fully connected


def pycmsisnn_fully_connected_per_channel_s16(
    fc_params: FcParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
) -> np.ndarray:
    """16x8 fully connected with one multiplier and shift per output channel:
    ``out[b, o] = clamp(rq_o(bias[o] + sum_d input[b, d] * filter[o, d]))``.
    ``input`` [batches, depth] int16, ``filter`` [C_OUT, depth] int8, ``bias``
    [C_OUT] int64 (64-bit sum and requantisation, shifts at most 14), int32
    (32-bit sum, int8 requantisation) or None. Returns the new [batches, C_OUT]
    int16 output."""
    kernel = "pycmsisnn_fully_connected_per_channel_s16"
    if not isinstance(fc_params, FcParams):
        raise fail(kernel, "fc_params", f"must be an FcParams, got {type(fc_params).__name__}")
    for name in ("input_offset", "filter_offset", "output_offset"):
        _zero(kernel, f"fc_params.{name}", getattr(fc_params, name))
    check_activation(kernel, "fc_params.activation", fc_params.activation, INT16_MIN, INT16_MAX)
    x = check_array(kernel, "input", input, np.int16, 2)
    w = check_array(kernel, "filter", filter, np.int8, 2)
    batches, depth = x.shape
    out_c, w_depth = w.shape
    if w_depth != depth:
        raise fail(kernel, "filter", f"depth {w_depth} differs from the input's {depth}")
    b = _check_bias(kernel, bias, out_c, allow_int32=True)
    int32_sum = b is not None and b.dtype == np.int32
    mult, shift = _quant(kernel, quant_params, out_c, S32_SHIFT_MAX if int32_sum else S64_SHIFT_MAX)
    b = None if b is None else np.ascontiguousarray(b)  # held here: the bias struct only points into it
    out = np.empty((batches, out_c), dtype=np.int16)
    return invoke(
        kernel,
        lib.pycmsisnn_fully_connected_per_channel_s16,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        c_per_channel(mult, shift),
        dims((batches, 1, 1, depth)),
        ptr(x, "int16_t"),
        dims((depth, 1, 1, out_c)),
        ptr(w, "int8_t"),
        dims((1, 1, 1, out_c)),
        _bias_struct(b),
        dims((batches, 1, 1, out_c)),
        ptr(out, "int16_t"),
        output=out,
    )
