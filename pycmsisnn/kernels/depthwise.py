"""Depthwise convolution (s8): wrappers of the arm_depthwise_conv_* kernels.

Layout: input [N, H, W, C_IN] int8, filter [1, KH, KW, C_OUT] int8 with
C_OUT = C_IN * ch_mult (output channel ``ic * ch_mult + m`` reads input
channel ``ic``), bias [C_OUT] int32 or None, output [N, OH, OW, C_OUT] int8.
Each output is ``clamp(requantize(bias + sum((x + input_offset) * w)) +
output_offset)`` over the taps inside the input, as TFLite Micro computes it.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import DwConvParams, PerChannelQuant
from ._base import (
    DIM_MAX,
    INT32_MAX,
    c_dw_conv_params,
    c_per_channel,
    check_activation,
    check_array,
    check_bias,
    check_input_offset,
    check_int,
    check_output_offset,
    check_per_channel,
    check_shape4,
    check_tile,
    context,
    dims,
    fail,
    invoke,
    lib,
    ptr,
    Shape4,
)
from ._window import check_window_axis

__all__ = [
    "arm_depthwise_conv_wrapper_s8",
    "arm_depthwise_conv_wrapper_s8_variant",
    "arm_depthwise_conv_wrapper_s8_get_buffer_size",
    "arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp",
    "arm_depthwise_conv_wrapper_s8_get_buffer_size_mve",
    "arm_depthwise_conv_s8",
    "arm_depthwise_conv_s8_opt",
    "arm_depthwise_conv_s8_opt_get_buffer_size",
    "arm_depthwise_conv_s8_opt_get_buffer_size_dsp",
    "arm_depthwise_conv_s8_opt_get_buffer_size_mve",
    "arm_depthwise_conv_3x3_s8",
]


# ------------------------------------------------------------------ validation


def _check_params(kernel: str, p: DwConvParams) -> DwConvParams:
    """Every field of the depthwise parameters in range."""
    if not isinstance(p, DwConvParams):
        raise fail(kernel, "dw_conv_params", f"must be a DwConvParams, got {type(p).__name__}")
    check_input_offset(kernel, "dw_conv_params.input_offset", p.input_offset)
    check_output_offset(kernel, "dw_conv_params.output_offset", p.output_offset)
    check_int(kernel, "dw_conv_params.ch_mult", p.ch_mult, 1, DIM_MAX)
    check_tile(kernel, "dw_conv_params.stride", p.stride, 1)
    check_tile(kernel, "dw_conv_params.padding", p.padding, 0)
    check_tile(kernel, "dw_conv_params.dilation", p.dilation, 1)
    check_activation(kernel, "dw_conv_params.activation", p.activation)
    return p


def _check_filter_shape(kernel: str, name: str, filter_shape: Shape4, in_ch: int, ch_mult: int) -> None:
    """[1, KH, KW, C_IN * ch_mult]."""
    if filter_shape[0] != 1:
        raise fail(kernel, name, f"must be [1, KH, KW, C_OUT], got first dim {filter_shape[0]} in {filter_shape}")
    if filter_shape[3] != in_ch * ch_mult:
        raise fail(
            kernel,
            name,
            f"has {filter_shape[3]} output channels, expected input channels {in_ch} x ch_mult {ch_mult}"
            f" = {in_ch * ch_mult}",
        )


def _check_geometry(
    kernel: str, p: DwConvParams, input_shape: Shape4, filter_shape: Shape4, output_shape: Shape4
) -> None:
    """Filter, output and window sizes that agree with one another."""
    n, in_h, in_w, in_ch = input_shape
    _check_filter_shape(kernel, "filter", filter_shape, in_ch, p.ch_mult)
    if output_shape[0] != n:
        raise fail(kernel, "output_shape[0]", f"batch {output_shape[0]} differs from the input's {n}")
    if output_shape[3] != filter_shape[3]:
        raise fail(kernel, "output_shape[3]", f"{output_shape[3]} channels, expected {filter_shape[3]} (the filter's)")
    pn = "dw_conv_params"
    check_window_axis(kernel, pn, "h", in_h, output_shape[1], filter_shape[1], p.stride.h, p.padding.h, p.dilation.h)
    check_window_axis(kernel, pn, "w", in_w, output_shape[2], filter_shape[2], p.stride.w, p.padding.w, p.dilation.w)


def _check_call(
    kernel: str,
    p: DwConvParams,
    quant: PerChannelQuant,
    input: Any,  # noqa: A002 - the C argument's name
    filter: Any,  # noqa: A002
    bias: Any,
    output_shape: Sequence[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, tuple[np.ndarray, np.ndarray], Shape4]:
    """Validate a kernel call; return (input, filter, bias, (multipliers, shifts), output shape)."""
    _check_params(kernel, p)
    x = check_array(kernel, "input", input, np.int8, 4)
    w = check_array(kernel, "filter", filter, np.int8, 4)
    out_shape = check_shape4(kernel, "output_shape", output_shape)
    _check_geometry(kernel, p, x.shape, w.shape, out_shape)  # type: ignore[arg-type]
    if int(np.prod(out_shape)) > INT32_MAX:
        raise fail(kernel, "output_shape", f"{out_shape} has more than {INT32_MAX} elements")
    c_out = w.shape[3]
    qp = check_per_channel(kernel, "quant_params", quant, c_out)
    b = check_bias(kernel, bias, c_out)
    return x, w, b, qp, out_shape


def _run(
    kernel: str,
    fn: Callable[..., int],
    scratch: int,
    p: DwConvParams,
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    qp: tuple[np.ndarray, np.ndarray],
    out_shape: Shape4,
) -> np.ndarray:
    """Call a validated depthwise kernel and return its new output."""
    out = np.empty(out_shape, dtype=np.int8)
    ctx, _buf = context(scratch)
    bias_shape = (1, 1, 1, w.shape[3]) if b is not None else (0, 0, 0, 0)
    return invoke(
        kernel,
        fn,
        ctx,
        c_dw_conv_params(p),
        c_per_channel(*qp),
        dims(x.shape),
        ptr(x, "int8_t"),
        dims(w.shape),
        ptr(w, "int8_t"),
        dims(bias_shape),
        ptr(b, "int32_t"),
        dims(out_shape),
        ptr(out, "int8_t"),
        output=out,
    )


def _check_shapes(
    kernel: str, p: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> tuple[Shape4, Shape4, Shape4]:
    """Validate the arguments of a wrapper buffer-size function."""
    _check_params(kernel, p)
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    o = check_shape4(kernel, "output_shape", output_shape)
    _check_filter_shape(kernel, "filter_shape", f, i[3], p.ch_mult)
    if o[3] != f[3]:
        raise fail(kernel, "output_shape[3]", f"{o[3]} channels, expected {f[3]} (the filter's)")
    return i, f, o


def _check_opt_layer(kernel: str, p: DwConvParams, input_shape: Shape4) -> None:
    """What the channel-multiplier-1 kernels (_opt, 3x3) require."""
    if p.ch_mult != 1:
        raise fail(kernel, "dw_conv_params.ch_mult", f"must be 1 for this kernel, got {p.ch_mult}")
    if input_shape[0] != 1:
        raise fail(kernel, "input", f"must have batch 1 for this kernel, got {input_shape[0]}")
    if (p.dilation.w, p.dilation.h) != (1, 1):
        raise fail(kernel, "dw_conv_params.dilation", f"must be 1x1 for this kernel, got {p.dilation}")


# -------------------------------------------------------------------- dispatch


def _variant(p: DwConvParams, input_shape: Shape4, filter_shape: Shape4) -> str:
    if p.ch_mult == 1 and input_shape[0] == 1 and p.dilation.w == 1 and p.dilation.h == 1:
        if filter_shape[1] == 3 and filter_shape[2] == 3 and p.padding.w <= 1 and p.padding.h <= 1:
            return "arm_depthwise_conv_3x3_s8"
        return "arm_depthwise_conv_s8_opt"
    return "arm_depthwise_conv_s8"


def arm_depthwise_conv_wrapper_s8_variant(
    dw_conv_params: DwConvParams,
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    output_shape: Sequence[int] | None = None,
) -> str:
    """Name of the C kernel ``arm_depthwise_conv_wrapper_s8`` runs for this
    layer on a portable (non-MVE) build: the 3x3 kernel for a 3x3 filter with
    padding <= 1, else ``_opt``, when ch_mult is 1, batch 1 and no dilation;
    the generic kernel otherwise. ``output_shape`` is checked when given."""
    kernel = "arm_depthwise_conv_wrapper_s8_variant"
    if output_shape is None:
        _check_params(kernel, dw_conv_params)
        i = check_shape4(kernel, "input_shape", input_shape)
        f = check_shape4(kernel, "filter_shape", filter_shape)
        _check_filter_shape(kernel, "filter_shape", f, i[3], dw_conv_params.ch_mult)
    else:
        i, f, _ = _check_shapes(kernel, dw_conv_params, input_shape, filter_shape, output_shape)
    return _variant(dw_conv_params, i, f)


# ------------------------------------------------------------------- kernels


def arm_depthwise_conv_wrapper_s8(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002 - the C argument's name
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Depthwise convolution through the dispatching wrapper (see
    ``arm_depthwise_conv_wrapper_s8_variant``); returns the int8 output."""
    kernel = "arm_depthwise_conv_wrapper_s8"
    x, w, b, qp, out_shape = _check_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    scratch = arm_depthwise_conv_wrapper_s8_get_buffer_size(dw_conv_params, x.shape, w.shape, out_shape)
    return _run(kernel, lib.arm_depthwise_conv_wrapper_s8, scratch, dw_conv_params, x, w, b, qp, out_shape)


def arm_depthwise_conv_s8(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Generic depthwise convolution (any ch_mult, dilation, batch); returns the int8 output."""
    kernel = "arm_depthwise_conv_s8"
    x, w, b, qp, out_shape = _check_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    return _run(kernel, lib.arm_depthwise_conv_s8, 0, dw_conv_params, x, w, b, qp, out_shape)


def arm_depthwise_conv_s8_opt(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Depthwise convolution for ch_mult 1, batch 1, no dilation (any filter size);
    returns the int8 output."""
    kernel = "arm_depthwise_conv_s8_opt"
    x, w, b, qp, out_shape = _check_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    _check_opt_layer(kernel, dw_conv_params, x.shape)  # type: ignore[arg-type]
    scratch = arm_depthwise_conv_s8_opt_get_buffer_size(x.shape, w.shape)
    return _run(kernel, lib.arm_depthwise_conv_s8_opt, scratch, dw_conv_params, x, w, b, qp, out_shape)


def arm_depthwise_conv_3x3_s8(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Depthwise convolution for a 3x3 filter, padding <= 1, ch_mult 1, batch 1,
    no dilation; returns the int8 output."""
    kernel = "arm_depthwise_conv_3x3_s8"
    x, w, b, qp, out_shape = _check_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    _check_opt_layer(kernel, dw_conv_params, x.shape)  # type: ignore[arg-type]
    if w.shape[1:3] != (3, 3):
        raise fail(kernel, "filter", f"must be 3x3 for this kernel, got {w.shape[1]}x{w.shape[2]}")
    if dw_conv_params.padding.w > 1 or dw_conv_params.padding.h > 1:
        raise fail(kernel, "dw_conv_params.padding", f"must be at most 1 for this kernel, got {dw_conv_params.padding}")
    return _run(kernel, lib.arm_depthwise_conv_3x3_s8, 0, dw_conv_params, x, w, b, qp, out_shape)


# --------------------------------------------------------------- buffer sizes


def _wrapper_size(
    kernel: str, fn: Callable[..., int], p: DwConvParams, i: Sequence[int], f: Sequence[int], o: Sequence[int]
) -> int:
    """Validate the shapes, then ask the C buffer-size function ``fn``."""
    si, sf, so = _check_shapes(kernel, p, i, f, o)
    return int(fn(c_dw_conv_params(p), dims(si), dims(sf), dims(so)))


def arm_depthwise_conv_wrapper_s8_get_buffer_size(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes ``arm_depthwise_conv_wrapper_s8`` needs on this build."""
    return _wrapper_size(
        "arm_depthwise_conv_wrapper_s8_get_buffer_size",
        lib.arm_depthwise_conv_wrapper_s8_get_buffer_size,
        dw_conv_params,
        input_shape,
        filter_shape,
        output_shape,
    )


def arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes ``arm_depthwise_conv_wrapper_s8`` needs on a DSP (non-MVE) build."""
    return _wrapper_size(
        "arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp",
        lib.arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp,
        dw_conv_params,
        input_shape,
        filter_shape,
        output_shape,
    )


def arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes ``arm_depthwise_conv_wrapper_s8`` needs on an MVE build."""
    return _wrapper_size(
        "arm_depthwise_conv_wrapper_s8_get_buffer_size_mve",
        lib.arm_depthwise_conv_wrapper_s8_get_buffer_size_mve,
        dw_conv_params,
        input_shape,
        filter_shape,
        output_shape,
    )


def _opt_size(kernel: str, fn: Callable[..., int], input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    return int(fn(dims(i), dims(f)))


def arm_depthwise_conv_s8_opt_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_depthwise_conv_s8_opt`` needs on this build."""
    k = "arm_depthwise_conv_s8_opt_get_buffer_size"
    return _opt_size(k, lib.arm_depthwise_conv_s8_opt_get_buffer_size, input_shape, filter_shape)


def arm_depthwise_conv_s8_opt_get_buffer_size_dsp(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_depthwise_conv_s8_opt`` needs on a DSP build: C_IN * KH * KW int16."""
    k = "arm_depthwise_conv_s8_opt_get_buffer_size_dsp"
    return _opt_size(k, lib.arm_depthwise_conv_s8_opt_get_buffer_size_dsp, input_shape, filter_shape)


def arm_depthwise_conv_s8_opt_get_buffer_size_mve(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes ``arm_depthwise_conv_s8_opt`` needs on an MVE build: 4 * 124 * KH * KW."""
    k = "arm_depthwise_conv_s8_opt_get_buffer_size_mve"
    return _opt_size(k, lib.arm_depthwise_conv_s8_opt_get_buffer_size_mve, input_shape, filter_shape)
