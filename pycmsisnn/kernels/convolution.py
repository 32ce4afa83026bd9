"""s8 convolution kernels: the wrapper, the generic im2col kernel, the 1x1 and 1xN kernels.

Arrays are NHWC int8; filters are [C_OUT, KH, KW, C_IN / groups] int8; bias is
int32 [C_OUT] or None. A convolution is grouped when the filter has fewer
input channels than the input (groups = C_IN / filter C_IN).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import ConvParams, PerChannelQuant, Tile
from ._base import (
    DIM_MAX,
    Shape4,
    c_conv_params,
    c_per_channel,
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
    ffi,
    invoke,
    lib,
    ptr,
)

# Longest accumulation (KH * KW * filter C_IN) accepted: CMSIS-NN counts it in
# 16 bits, and beyond it an int32 accumulator could overflow.
MAX_ACCUMULATION = 2**16 - 1

# Largest upscale factor of arm_convolve_s8 (Arm's: "inserts zeroes ... if set to 2";
# 3 gives wrong results there, and an upscaled grouped convolution too).
MAX_UPSCALE = 2


def _grouped_zero_bias(channels: int) -> np.ndarray:
    """The bias a grouped convolution without one is given: Arm's kernel needs a bias array."""
    return np.zeros(channels, dtype=np.int32)


# --------------------------------------------------------------- validation


def _check_conv_params(kernel: str, p: Any) -> ConvParams:
    """ConvParams with offsets, strides (>= 1), padding (>= 0), dilation (>= 1) and clamp in range."""
    if not isinstance(p, ConvParams):
        raise fail(kernel, "conv_params", f"must be a ConvParams, got {type(p).__name__}")
    check_input_offset(kernel, "conv_params.input_offset", p.input_offset)
    check_output_offset(kernel, "conv_params.output_offset", p.output_offset)
    check_tile(kernel, "conv_params.stride", p.stride, 1)
    check_tile(kernel, "conv_params.padding", p.padding, 0)
    check_tile(kernel, "conv_params.dilation", p.dilation, 1)
    check_activation(kernel, "conv_params.activation", p.activation)
    return p


def _check_filter_shape(kernel: str, name: str, input_shape: Shape4, filter_shape: Shape4) -> int:
    """The number of groups implied by the input and filter channel counts."""
    in_c, f_c, out_c = input_shape[3], filter_shape[3], filter_shape[0]
    if in_c % f_c != 0:
        raise fail(kernel, name, f"input channels {in_c} are not a multiple of the filter's {f_c}")
    groups = in_c // f_c
    if out_c % groups != 0:
        raise fail(kernel, name, f"{out_c} output channels do not split into {groups} groups")
    depth = filter_shape[1] * filter_shape[2] * f_c
    if depth > MAX_ACCUMULATION:
        raise fail(kernel, name, f"accumulation depth KH*KW*C {depth} is above {MAX_ACCUMULATION}")
    return groups


def _out_sizes(in_size: int, k: int, stride: int, pad: int, dilation: int) -> tuple[int, ...]:
    """Output sizes consistent with ``pad`` before and ``pad`` or ``pad + 1`` after the input
    (TFLite puts the odd padding element after)."""
    effective = (k - 1) * dilation + 1
    sizes = {(in_size + 2 * pad + extra - effective) // stride + 1 for extra in (0, 1)}
    return tuple(sorted(s for s in sizes if s >= 1))


def _check_output_shape(
    kernel: str,
    p: ConvParams,
    input_shape: Shape4,
    filter_shape: Shape4,
    output_shape: Sequence[int],
    upscale: Tile | None = None,
) -> Shape4:
    """The output shape: batch of the input, channels of the filter, and a height and
    width that this padding, stride and dilation produce."""
    out = check_shape4(kernel, "output_shape", output_shape)
    if out[0] != input_shape[0]:
        raise fail(kernel, "output_shape", f"batch {out[0]} differs from the input's {input_shape[0]}")
    if out[3] != filter_shape[0]:
        raise fail(kernel, "output_shape", f"{out[3]} channels, but the filter has {filter_shape[0]} output channels")
    up_h, up_w = (upscale.h, upscale.w) if upscale is not None else (1, 1)
    for axis, (i, k, s, pad, d, u) in enumerate(
        [
            (input_shape[1], filter_shape[1], p.stride.h, p.padding.h, p.dilation.h, up_h),
            (input_shape[2], filter_shape[2], p.stride.w, p.padding.w, p.dilation.w, up_w),
        ]
    ):
        allowed = _out_sizes(i * u, k, s, pad, d)
        if out[1 + axis] not in allowed:
            what = "height" if axis == 0 else "width"
            expect = " or ".join(map(str, allowed)) if allowed else "none (the filter does not fit)"
            raise fail(kernel, "output_shape", f"{what} {out[1 + axis]} does not match the convolution ({expect})")
    return out


class _Conv:
    """A validated convolution call: arrays, shapes and quantisation as the C wants them."""

    def __init__(
        self,
        kernel: str,
        conv_params: ConvParams,
        quant_params: PerChannelQuant,
        input: np.ndarray,
        filter: np.ndarray,
        bias: np.ndarray | None,
        output_shape: Sequence[int],
        upscale: Tile | None = None,
    ) -> None:
        self.kernel = kernel
        self.params = _check_conv_params(kernel, conv_params)
        self.input = check_array(kernel, "input", input, np.int8, 4)
        self.filter = check_array(kernel, "filter", filter, np.int8, 4)
        self.input_shape: Shape4 = tuple(self.input.shape)  # type: ignore[assignment]
        self.filter_shape: Shape4 = tuple(self.filter.shape)  # type: ignore[assignment]
        self.groups = _check_filter_shape(kernel, "filter", self.input_shape, self.filter_shape)
        out_c = self.filter_shape[0]
        self.bias = check_bias(kernel, bias, out_c)
        if self.bias is None and self.groups > 1:
            # Arm's arm_convolve_s8 reads the bias of a grouped convolution
            # whether or not it is NULL (a NULL bias crashes it): pass zeros.
            self.bias = _grouped_zero_bias(out_c)
        self.mult, self.shift = check_per_channel(kernel, "quant_params", quant_params, out_c)
        self.output_shape = _check_output_shape(
            kernel, self.params, self.input_shape, self.filter_shape, output_shape, upscale
        )

    def require(self, ok: bool, argument: str, reason: str) -> None:
        """Raise the ArgError of ``argument`` unless ``ok``."""
        if not ok:
            raise fail(self.kernel, argument, reason)

    def run(
        self, fn: Callable[..., int], scratch: int, upscale: Tile | None = None, c_input_shape: Shape4 | None = None
    ) -> np.ndarray:
        """Call ``fn`` with this layer's arguments and a zeroed scratch of ``scratch`` bytes
        (``c_input_shape``: the input extent handed to C, when it differs from the array's)."""
        out = np.empty(self.output_shape, dtype=np.int8)
        ctx, _keep = context(scratch)
        quant = c_per_channel(self.mult, self.shift)
        args: list[Any] = [
            ctx,
            c_conv_params(self.params),
            quant,
            dims(c_input_shape or self.input_shape),
            ptr(self.input, "int8_t"),
            dims(self.filter_shape),
            ptr(self.filter, "int8_t"),
            dims((1, 1, 1, self.filter_shape[0])),
            ptr(self.bias, "int32_t"),
        ]
        if fn is lib.arm_convolve_s8:
            up = {"n": 1, "h": upscale.h, "w": upscale.w, "c": 1} if upscale else None
            args.append(ffi.new("cmsis_nn_dims *", up) if up else ffi.NULL)
        args += [dims(self.output_shape), ptr(out, "int8_t")]
        return invoke(self.kernel, fn, *args, output=out)


def _shapes(kernel: str, input_shape: Sequence[int], filter_shape: Sequence[int]) -> tuple[Shape4, Shape4]:
    """Validated input and filter shapes (for the buffer-size and variant functions)."""
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    _check_filter_shape(kernel, "filter_shape", i, f)
    return i, f


# ------------------------------------------------------------------ dispatch


def _is_1x1(p: ConvParams, input_shape: Shape4, filter_shape: Shape4) -> bool:
    return (
        p.padding.w == 0
        and p.padding.h == 0
        and filter_shape[1] == 1
        and filter_shape[2] == 1
        and p.dilation.w == 1
        and p.dilation.h == 1
        and input_shape[3] == filter_shape[3]
    )


def _is_1x1_fast(p: ConvParams) -> bool:
    return p.stride.w == 1 and p.stride.h == 1


def _is_1_x_n(p: ConvParams, input_shape: Shape4, filter_shape: Shape4) -> bool:
    return (
        input_shape[1] == 1
        and filter_shape[1] == 1
        and p.dilation.w == 1
        and (p.stride.w * input_shape[3]) % 4 == 0
        and input_shape[3] == filter_shape[3]
    )


def arm_convolve_wrapper_s8_variant(
    conv_params: ConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int] | None = None,
) -> str:
    """Name of the C kernel arm_convolve_wrapper_s8 calls for this layer (portable build)."""
    kernel = "arm_convolve_wrapper_s8_variant"
    p = _check_conv_params(kernel, conv_params)
    i, f = _shapes(kernel, input_shape, filter_shape)
    if output_shape is not None:
        check_shape4(kernel, "output_shape", output_shape)
    if _is_1x1(p, i, f):
        return "arm_convolve_1x1_s8_fast" if _is_1x1_fast(p) else "arm_convolve_1x1_s8"
    if _is_1_x_n(p, i, f):
        return "arm_convolve_1_x_n_s8"
    return "arm_convolve_s8"


# ------------------------------------------------------------------- kernels


def arm_convolve_wrapper_s8(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """CONV_2D (optionally grouped) through the kernel CMSIS-NN's wrapper picks; returns the int8 output."""
    kernel = "arm_convolve_wrapper_s8"
    c = _Conv(kernel, conv_params, quant_params, input, filter, bias, output_shape)
    if _is_1x1(c.params, c.input_shape, c.filter_shape):
        _check_unpadded_output(c)
    size = arm_convolve_wrapper_s8_get_buffer_size(conv_params, c.input_shape, c.filter_shape, c.output_shape)
    return c.run(lib.arm_convolve_wrapper_s8, size)


def arm_convolve_s8(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
    upscale_dims: Tile | None = None,
) -> np.ndarray:
    """Generic (optionally grouped) convolution by im2col; returns the int8 output.

    With ``upscale_dims`` (factors ``Tile(w, h)``) the filter slides over the input
    with ``factor - 1`` zeros inserted after every pixel along each axis (a virtual
    input of ``H * h`` by ``W * w`` pixels), which contribute nothing, like padding.
    ``input`` holds the real pixels; the C function receives the virtual extent as
    ``input_dims``, as in CMSIS-NN. Factors are 1 or 2, and an upscaled
    convolution is not grouped (what Arm's library computes correctly).
    """
    kernel = "arm_convolve_s8"
    if upscale_dims is not None:
        check_tile(kernel, "upscale_dims", upscale_dims, 1)
        for axis, factor in (("w", upscale_dims.w), ("h", upscale_dims.h)):
            if factor > MAX_UPSCALE:
                raise fail(kernel, f"upscale_dims.{axis}", f"must be 1 or {MAX_UPSCALE} (CMSIS-NN inserts one zero at most), got {factor}")
    c = _Conv(kernel, conv_params, quant_params, input, filter, bias, output_shape, upscale_dims)
    if upscale_dims is not None and (upscale_dims.w, upscale_dims.h) != (1, 1):
        c.require(c.groups == 1, "upscale_dims", f"an upscaled convolution must not be grouped ({c.groups} groups)")
    c_input: Shape4 = c.input_shape
    if upscale_dims is not None:
        n, h, w, ch = c.input_shape
        c_input = (n, h * upscale_dims.h, w * upscale_dims.w, ch)
        c.require(c_input[1] <= DIM_MAX, "upscale_dims.h", f"upscaled height {c_input[1]} is above {DIM_MAX}")
        c.require(c_input[2] <= DIM_MAX, "upscale_dims.w", f"upscaled width {c_input[2]} is above {DIM_MAX}")
    size = int(lib.arm_convolve_s8_get_buffer_size(dims(c_input), dims(c.filter_shape)))
    return c.run(lib.arm_convolve_s8, size, upscale_dims, c_input)


def _check_1x1(c: _Conv, fast: bool) -> None:
    p = c.params
    kh, kw = c.filter_shape[1:3]
    c.require(kh == 1 and kw == 1, "filter", f"must be 1x1, got {kh}x{kw}")
    c.require(p.padding.w == 0 and p.padding.h == 0, "conv_params.padding", f"must be 0, got {p.padding}")
    c.require(c.groups == 1, "filter", f"must not be grouped ({c.groups} groups)")
    if fast:
        c.require(_is_1x1_fast(p), "conv_params.stride", f"must be 1x1, got {p.stride}")
    _check_unpadded_output(c)


def _check_unpadded_output(c: _Conv) -> None:
    """Without padding every output pixel must read a pixel inside the input."""
    p, (_, in_h, in_w, _), (_, out_h, out_w, _) = c.params, c.input_shape, c.output_shape
    exp_h, exp_w = (in_h - 1) // p.stride.h + 1, (in_w - 1) // p.stride.w + 1
    c.require(out_h == exp_h, "output_shape", f"height {out_h} does not match the unpadded 1x1 convolution ({exp_h})")
    c.require(out_w == exp_w, "output_shape", f"width {out_w} does not match the unpadded 1x1 convolution ({exp_w})")


def arm_convolve_1x1_s8(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """1x1 convolution without padding, any stride, ungrouped; returns the int8 output."""
    c = _Conv("arm_convolve_1x1_s8", conv_params, quant_params, input, filter, bias, output_shape)
    _check_1x1(c, fast=False)
    return c.run(lib.arm_convolve_1x1_s8, 0)


def arm_convolve_1x1_s8_fast(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """1x1 convolution without padding at stride 1 (a matrix product per pixel); returns the int8 output."""
    c = _Conv("arm_convolve_1x1_s8_fast", conv_params, quant_params, input, filter, bias, output_shape)
    _check_1x1(c, fast=True)
    return c.run(lib.arm_convolve_1x1_s8_fast, arm_convolve_1x1_s8_fast_get_buffer_size(c.input_shape))


def arm_convolve_1_x_n_s8(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Convolution of a one-row input with a one-row filter (no x dilation, ungrouped); returns the int8 output."""
    c = _Conv("arm_convolve_1_x_n_s8", conv_params, quant_params, input, filter, bias, output_shape)
    c.require(c.input_shape[1] == 1, "input", f"height must be 1, got {c.input_shape[1]}")
    c.require(c.filter_shape[1] == 1, "filter", f"height must be 1, got {c.filter_shape[1]}")
    c.require(c.params.dilation.w == 1, "conv_params.dilation", f"width dilation must be 1, got {c.params.dilation.w}")
    c.require(c.groups == 1, "filter", f"must not be grouped ({c.groups} groups)")
    size = arm_convolve_1_x_n_s8_get_buffer_size(c.params, c.input_shape, c.filter_shape, c.output_shape)
    return c.run(lib.arm_convolve_1_x_n_s8, size)


# -------------------------------------------------------------- buffer sizes


def _layer_size(
    name: str,
    conv_params: ConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int],
) -> int:
    """Validate the arguments of the C buffer-size function ``name`` and call it."""
    p = _check_conv_params(name, conv_params)
    i, f = _shapes(name, input_shape, filter_shape)
    o = check_shape4(name, "output_shape", output_shape)
    return int(getattr(lib, name)(c_conv_params(p), dims(i), dims(f), dims(o)))


def arm_convolve_wrapper_s8_get_buffer_size(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s8 needs in this (portable) build."""
    name = "arm_convolve_wrapper_s8_get_buffer_size"
    return _layer_size(name, conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s8_get_buffer_size_dsp(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s8 needs in a DSP (Cortex-M4/M7/M33) build."""
    name = "arm_convolve_wrapper_s8_get_buffer_size_dsp"
    return _layer_size(name, conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s8_get_buffer_size_mve(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s8 needs in an MVE (Cortex-M55/M85) build."""
    name = "arm_convolve_wrapper_s8_get_buffer_size_mve"
    return _layer_size(name, conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_s8_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes arm_convolve_s8 needs (pass the upscaled input shape when upscaling)."""
    i, f = _shapes("arm_convolve_s8_get_buffer_size", input_shape, filter_shape)
    return int(lib.arm_convolve_s8_get_buffer_size(dims(i), dims(f)))


def arm_convolve_1x1_s8_fast_get_buffer_size(input_shape: Sequence[int]) -> int:
    """Scratch bytes arm_convolve_1x1_s8_fast needs."""
    i = check_shape4("arm_convolve_1x1_s8_fast_get_buffer_size", "input_shape", input_shape)
    return int(lib.arm_convolve_1x1_s8_fast_get_buffer_size(dims(i)))


def arm_convolve_1_x_n_s8_get_buffer_size(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_1_x_n_s8 needs."""
    return _layer_size("arm_convolve_1_x_n_s8_get_buffer_size", conv_params, input_shape, filter_shape, output_shape)
