"""s8 transpose convolution (TFLite TRANSPOSE_CONV): the wrapper and the scatter kernel.

Arrays are NHWC int8; the filter is TFLite's [C_OUT, KH, KW, C_IN] int8; bias
is int32 [C_OUT] or None. Input pixel (y, x) times tap (ky, kx) lands on
output (y * stride.h - padding.h + ky, x * stride.w - padding.w + kx); the
output shape is given, as in TFLite (the op's output_shape tensor).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import PerChannelQuant, TransposeConvParams
from ._base import (
    DIM_MAX,
    Shape4,
    call,
    c_per_channel,
    c_transpose_conv_params,
    check_activation,
    check_array,
    check_bias,
    check_input_offset,
    check_output_offset,
    check_per_channel,
    check_shape4,
    check_tile,
    context,
    dims,
    fail,
    lib,
    ptr,
)

# Input channels above which the wrapper runs the reverse (flipped-filter) convolution.
REVERSE_CONV_MIN_INPUT_CH = 16
# Longest accumulation per output element: KH * KW * C_IN.
MAX_ACCUMULATION = 2**16 - 1


def _check_params(kernel: str, p: Any) -> TransposeConvParams:
    """TransposeConvParams with offsets, strides (>= 1), padding offsets (0 or 1),
    unit dilation (TRANSPOSE_CONV has none) and clamp in range."""
    if not isinstance(p, TransposeConvParams):
        raise fail(kernel, "transpose_conv_params", f"must be a TransposeConvParams, got {type(p).__name__}")
    check_input_offset(kernel, "transpose_conv_params.input_offset", p.input_offset)
    check_output_offset(kernel, "transpose_conv_params.output_offset", p.output_offset)
    check_tile(kernel, "transpose_conv_params.stride", p.stride, 1)
    check_tile(kernel, "transpose_conv_params.padding", p.padding, 0)
    check_tile(kernel, "transpose_conv_params.padding_offsets", p.padding_offsets, 0, 1)
    check_tile(kernel, "transpose_conv_params.dilation", p.dilation, 1, 1)
    check_activation(kernel, "transpose_conv_params.activation", p.activation)
    return p


def _check_shapes(kernel: str, p: TransposeConvParams, i: Shape4, f: Shape4, names: tuple[str, str]) -> None:
    """Filter channels equal to the input's, padding below the filter size, upscaled
    input within 16-bit dims on the reverse-conv route."""
    if f[3] != i[3]:
        raise fail(kernel, names[1], f"has {f[3]} input channels, the input has {i[3]}")
    if f[1] * f[2] * f[3] > MAX_ACCUMULATION:
        raise fail(kernel, names[1], f"accumulation depth KH*KW*C {f[1] * f[2] * f[3]} is above {MAX_ACCUMULATION}")
    if p.padding.h > f[1] - 1 or p.padding.w > f[2] - 1:
        raise fail(kernel, "transpose_conv_params.padding", f"{p.padding} must be below the filter size {f[2]}x{f[1]}")
    if i[1] * p.stride.h > DIM_MAX or i[2] * p.stride.w > DIM_MAX:
        raise fail(kernel, names[0], f"strided extent {i[1] * p.stride.h}x{i[2] * p.stride.w} is above {DIM_MAX}")


def _is_reverse(p: TransposeConvParams, input_shape: Shape4) -> bool:
    return p.stride.w <= 2 and p.stride.h <= 2 and input_shape[3] > REVERSE_CONV_MIN_INPUT_CH


class _TransposeConv:
    """A validated transpose-conv call."""

    def __init__(
        self,
        kernel: str,
        params: TransposeConvParams,
        quant_params: PerChannelQuant,
        input: np.ndarray,
        filter: np.ndarray,
        bias: np.ndarray | None,
        output_shape: Sequence[int],
    ) -> None:
        self.kernel = kernel
        self.params = _check_params(kernel, params)
        self.input = check_array(kernel, "input", input, np.int8, 4)
        self.filter = check_array(kernel, "filter", filter, np.int8, 4)
        self.input_shape: Shape4 = tuple(self.input.shape)  # type: ignore[assignment]
        self.filter_shape: Shape4 = tuple(self.filter.shape)  # type: ignore[assignment]
        _check_shapes(kernel, self.params, self.input_shape, self.filter_shape, ("input", "filter"))
        out_c = self.filter_shape[0]
        self.bias = check_bias(kernel, bias, out_c)
        self.mult, self.shift = check_per_channel(kernel, "quant_params", quant_params, out_c)
        out = check_shape4(kernel, "output_shape", output_shape)
        if out[0] != self.input_shape[0]:
            raise fail(kernel, "output_shape", f"batch {out[0]} differs from the input's {self.input_shape[0]}")
        if out[3] != out_c:
            raise fail(kernel, "output_shape", f"{out[3]} channels, but the filter has {out_c} output channels")
        self.output_shape = out

    def run(self, fn: Callable[..., int], scratch: int, second_scratch: int) -> np.ndarray:
        """Call ``fn`` with zeroed scratch contexts of the given sizes (bytes)."""
        out = np.empty(self.output_shape, dtype=np.int8)
        ctx, _keep1 = context(scratch)
        ctx2, _keep2 = context(second_scratch)
        status = fn(
            ctx,
            ctx2,
            c_transpose_conv_params(self.params),
            c_per_channel(self.mult, self.shift),
            dims(self.input_shape),
            ptr(self.input, "int8_t"),
            dims(self.filter_shape),
            ptr(self.filter, "int8_t"),
            dims((1, 1, 1, self.filter_shape[0])),
            ptr(self.bias, "int32_t"),
            dims(self.output_shape),
            ptr(out, "int8_t"),
        )
        call(self.kernel, status)
        return out


def arm_transpose_conv_wrapper_s8_variant(
    transpose_conv_params: TransposeConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int] | None = None,
) -> str:
    """Name of the C kernel arm_transpose_conv_wrapper_s8 ends in for this layer (portable build):
    ``arm_convolve_s8`` on the reverse-conv route, else ``arm_transpose_conv_s8``."""
    kernel = "arm_transpose_conv_wrapper_s8_variant"
    p = _check_params(kernel, transpose_conv_params)
    i = check_shape4(kernel, "input_shape", input_shape)
    check_shape4(kernel, "filter_shape", filter_shape)
    if output_shape is not None:
        check_shape4(kernel, "output_shape", output_shape)
    return "arm_convolve_s8" if _is_reverse(p, i) else "arm_transpose_conv_s8"


def arm_transpose_conv_wrapper_s8(
    transpose_conv_params: TransposeConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """TRANSPOSE_CONV through the route CMSIS-NN's wrapper picks; returns the int8 output."""
    kernel = "arm_transpose_conv_wrapper_s8"
    t = _TransposeConv(kernel, transpose_conv_params, quant_params, input, filter, bias, output_shape)
    p, i, f, o = t.params, t.input_shape, t.filter_shape, t.output_shape
    size = arm_transpose_conv_s8_get_buffer_size(p, i, f, o)
    reverse = arm_transpose_conv_s8_get_reverse_conv_buffer_size(p, i, f)
    return t.run(lib.arm_transpose_conv_wrapper_s8, size, reverse)


def arm_transpose_conv_s8(
    transpose_conv_params: TransposeConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """TRANSPOSE_CONV by scatter-accumulation (any stride); returns the int8 output."""
    t = _TransposeConv("arm_transpose_conv_s8", transpose_conv_params, quant_params, input, filter, bias, output_shape)
    size = arm_transpose_conv_s8_get_buffer_size(t.params, t.input_shape, t.filter_shape, t.output_shape)
    _, out_h, out_w, out_c = t.output_shape
    return t.run(lib.arm_transpose_conv_s8, size, out_h * out_w * out_c * 4)


def _sizes(
    kernel: str, p: TransposeConvParams, input_shape: Sequence[int], filter_shape: Sequence[int]
) -> tuple[Any, Shape4, Shape4]:
    """Validated C params, input shape and filter shape for a buffer-size function."""
    p = _check_params(kernel, p)
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    _check_shapes(kernel, p, i, f, ("input_shape", "filter_shape"))
    return c_transpose_conv_params(p), i, f


def arm_transpose_conv_s8_get_buffer_size(
    transpose_conv_params: TransposeConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int],
) -> int:
    """Bytes of ``ctx`` for arm_transpose_conv_wrapper_s8 / arm_transpose_conv_s8 (portable build)."""
    kernel = "arm_transpose_conv_s8_get_buffer_size"
    cp, i, f = _sizes(kernel, transpose_conv_params, input_shape, filter_shape)
    o = check_shape4(kernel, "output_shape", output_shape)
    return int(lib.arm_transpose_conv_s8_get_buffer_size(cp, dims(i), dims(f), dims(o)))


def arm_transpose_conv_s8_get_buffer_size_mve(
    transpose_conv_params: TransposeConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int],
) -> int:
    """Bytes of ``ctx`` an MVE (Cortex-M55/M85) build needs."""
    kernel = "arm_transpose_conv_s8_get_buffer_size_mve"
    cp, i, f = _sizes(kernel, transpose_conv_params, input_shape, filter_shape)
    o = check_shape4(kernel, "output_shape", output_shape)
    return int(lib.arm_transpose_conv_s8_get_buffer_size_mve(cp, dims(i), dims(f), dims(o)))


def arm_transpose_conv_s8_get_reverse_conv_buffer_size(
    transpose_conv_params: TransposeConvParams, input_shape: Sequence[int], filter_shape: Sequence[int]
) -> int:
    """Bytes of ``reverse_conv_ctx`` (the flipped filter) for arm_transpose_conv_wrapper_s8; 0 off that route."""
    kernel = "arm_transpose_conv_s8_get_reverse_conv_buffer_size"
    cp, i, f = _sizes(kernel, transpose_conv_params, input_shape, filter_shape)
    return int(lib.arm_transpose_conv_s8_get_reverse_conv_buffer_size(cp, dims(i), dims(f)))

