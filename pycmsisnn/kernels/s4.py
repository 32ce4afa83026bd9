"""s4 kernels: int8 activations with int4 weights packed two per byte (TFLite's INT4).

Weights are passed packed, as the C kernels and TFLite's INT4 tensors hold
them: a 1-D ``np.int8`` array of ``ceil(count / 2)`` bytes, the logical
tensor's values in row-major order, the first of each pair in the low nibble
and the second in the high nibble, an odd count leaving the last high nibble
unused (zero from ``pack_int4``). Because the packed bytes do not say the
tensor's shape, every kernel also takes the logical ``filter_shape``:
[C_OUT, KH, KW, C_IN] for convolution, [1, KH, KW, C_OUT] for depthwise,
(C_OUT, depth) for fully connected. ``pack_int4(w)`` packs int8 weights in
[-8, 7] of any shape; ``unpack_int4(packed, count)`` undoes it.

Everything else is as in the s8 modules (``convolution``, ``depthwise``,
``fully_connected``): NHWC int8 input and output, int32 bias or None,
per-channel (conv, depthwise) or per-tensor (FC) requantisation, every
argument validated before any C runs.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant
from ._base import (
    DIM_MAX,
    INT32_MAX,
    Shape4,
    c_conv_params,
    c_dw_conv_params,
    c_fc_params,
    c_per_channel,
    c_per_tensor,
    check_array,
    check_bias,
    check_int,
    check_per_channel,
    check_per_tensor,
    check_shape4,
    context,
    dims,
    fail,
    ffi,
    invoke,
    lib,
    ptr,
)
from .convolution import MAX_ACCUMULATION, _check_conv_params, _check_output_shape
from .depthwise import _check_geometry, _check_opt_layer, _check_params, _check_filter_shape
from .fully_connected import _MAX_DEPTH, _check_fc_params

__all__ = [
    "INT4_MIN",
    "INT4_MAX",
    "pack_int4",
    "unpack_int4",
    "packed_size",
    "arm_convolve_wrapper_s4",
    "arm_convolve_wrapper_s4_variant",
    "arm_convolve_s4",
    "arm_convolve_even_s4",
    "arm_convolve_1x1_s4",
    "arm_convolve_1x1_s4_fast",
    "arm_convolve_1_x_n_s4",
    "arm_convolve_wrapper_s4_get_buffer_size",
    "arm_convolve_wrapper_s4_get_buffer_size_dsp",
    "arm_convolve_wrapper_s4_get_buffer_size_mve",
    "arm_convolve_s4_get_buffer_size",
    "arm_convolve_1x1_s4_fast_get_buffer_size",
    "arm_convolve_1_x_n_s4_get_buffer_size",
    "arm_depthwise_conv_wrapper_s4",
    "arm_depthwise_conv_wrapper_s4_variant",
    "arm_depthwise_conv_s4",
    "arm_depthwise_conv_s4_opt",
    "arm_depthwise_conv_wrapper_s4_get_buffer_size",
    "arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp",
    "arm_depthwise_conv_wrapper_s4_get_buffer_size_mve",
    "arm_depthwise_conv_s4_opt_get_buffer_size",
    "arm_fully_connected_s4",
]

INT4_MIN = -8
INT4_MAX = 7


# ------------------------------------------------------------------- packing


def packed_size(count: int) -> int:
    """Bytes that ``count`` packed int4 values take."""
    n = check_int("packed_size", "count", count, 0, 2**62)
    return (n + 1) // 2


def pack_int4(w: np.ndarray) -> np.ndarray:
    """Pack int8 values in [-8, 7] (any shape, row-major order) two per byte, the
    first of each pair in the low nibble; an odd count gets a zero high nibble.
    Returns a new 1-D int8 array of ``ceil(w.size / 2)`` bytes."""
    kernel = "pack_int4"
    a = check_array(kernel, "w", w, np.int8)
    lo, hi = int(a.min()), int(a.max())
    if lo < INT4_MIN or hi > INT4_MAX:
        raise fail(kernel, "w", f"values must lie in [{INT4_MIN}, {INT4_MAX}], got [{lo}, {hi}]")
    flat = np.ascontiguousarray(a).reshape(-1).astype(np.uint8) & 0x0F
    if flat.size % 2:
        flat = np.concatenate([flat, np.zeros(1, dtype=np.uint8)])
    return (flat[0::2] | (flat[1::2] << 4)).astype(np.uint8).view(np.int8)


def unpack_int4(packed: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` int4 values of a packed array, as a 1-D int8 array."""
    kernel = "unpack_int4"
    p = check_array(kernel, "packed", packed, np.int8, 1)
    n = check_int(kernel, "count", count, 1, 2 * p.size)
    if packed_size(n) != p.size:
        raise fail(kernel, "packed", f"has {p.size} bytes, {n} values take {packed_size(n)}")
    u = p.view(np.uint8)
    nibbles = np.empty(2 * u.size, dtype=np.int16)
    nibbles[0::2] = u & 0x0F
    nibbles[1::2] = u >> 4
    nibbles = np.where(nibbles >= 8, nibbles - 16, nibbles)
    return nibbles[:n].astype(np.int8)


def _check_packed(kernel: str, filter: Any, count: int) -> np.ndarray:  # noqa: A002
    """A 1-D int8 array of exactly ``ceil(count / 2)`` packed bytes."""
    p = check_array(kernel, "filter", filter, np.int8, 1)
    if p.size != packed_size(count):
        raise fail(
            kernel,
            "filter",
            f"has {p.size} packed bytes, the filter shape's {count} int4 values take {packed_size(count)}",
        )
    return p


# --------------------------------------------------------------- convolution


def _check_conv_filter_shape(kernel: str, name: str, input_shape: Shape4, filter_shape: Sequence[int]) -> Shape4:
    """[C_OUT, KH, KW, C_IN] with the input's channel count (s4 convolution is not grouped)."""
    f = check_shape4(kernel, name, filter_shape)
    if f[3] != input_shape[3]:
        raise fail(kernel, name, f"has {f[3]} input channels, the input has {input_shape[3]} (s4 is not grouped)")
    depth = f[1] * f[2] * f[3]
    if depth > MAX_ACCUMULATION:
        raise fail(kernel, name, f"accumulation depth KH*KW*C {depth} is above {MAX_ACCUMULATION}")
    return f


class _ConvS4:
    """A validated s4 convolution call."""

    def __init__(
        self,
        kernel: str,
        conv_params: ConvParams,
        quant_params: PerChannelQuant,
        input: np.ndarray,  # noqa: A002
        filter: np.ndarray,  # noqa: A002
        filter_shape: Sequence[int],
        bias: np.ndarray | None,
        output_shape: Sequence[int],
    ) -> None:
        self.kernel = kernel
        self.params = _check_conv_params(kernel, conv_params)
        self.input = check_array(kernel, "input", input, np.int8, 4)
        self.input_shape: Shape4 = tuple(self.input.shape)  # type: ignore[assignment]
        self.filter_shape = _check_conv_filter_shape(kernel, "filter_shape", self.input_shape, filter_shape)
        self.filter = _check_packed(kernel, filter, int(np.prod(self.filter_shape)))
        out_c = self.filter_shape[0]
        self.bias = check_bias(kernel, bias, out_c)
        self.mult, self.shift = check_per_channel(kernel, "quant_params", quant_params, out_c)
        self.output_shape = _check_output_shape(kernel, self.params, self.input_shape, self.filter_shape, output_shape)

    def require(self, ok: bool, argument: str, reason: str) -> None:
        if not ok:
            raise fail(self.kernel, argument, reason)

    def check_1x1(self, fast: bool) -> None:
        p = self.params
        kh, kw = self.filter_shape[1:3]
        self.require(kh == 1 and kw == 1, "filter_shape", f"must be 1x1, got {kh}x{kw}")
        self.require(p.padding.w == 0 and p.padding.h == 0, "conv_params.padding", f"must be 0, got {p.padding}")
        self.require(
            p.dilation.w == 1 and p.dilation.h == 1, "conv_params.dilation", f"must be 1x1, got {p.dilation}"
        )
        if fast:
            self.require(p.stride.w == 1 and p.stride.h == 1, "conv_params.stride", f"must be 1x1, got {p.stride}")
        self.check_unpadded_output()

    def check_unpadded_output(self) -> None:
        """Without padding, the output is exactly what the strides give."""
        p, (_, in_h, in_w, _), (_, out_h, out_w, _) = self.params, self.input_shape, self.output_shape
        exp_h, exp_w = (in_h - 1) // p.stride.h + 1, (in_w - 1) // p.stride.w + 1
        self.require(out_h == exp_h, "output_shape", f"height {out_h} does not match the unpadded 1x1 convolution ({exp_h})")
        self.require(out_w == exp_w, "output_shape", f"width {out_w} does not match the unpadded 1x1 convolution ({exp_w})")

    def run(self, fn: Callable[..., int], scratch: int) -> np.ndarray:
        out = np.empty(self.output_shape, dtype=np.int8)
        ctx, _keep = context(scratch)
        return invoke(
            self.kernel,
            fn,
            ctx,
            c_conv_params(self.params),
            c_per_channel(self.mult, self.shift),
            dims(self.input_shape),
            ptr(self.input, "int8_t"),
            dims(self.filter_shape),
            ptr(self.filter, "int8_t"),
            dims((1, 1, 1, self.filter_shape[0])),
            ptr(self.bias, "int32_t"),
            dims(self.output_shape),
            ptr(out, "int8_t"),
            output=out,
        )


def _is_1x1(p: ConvParams, filter_shape: Shape4) -> bool:
    return (
        p.padding.w == 0
        and p.padding.h == 0
        and filter_shape[1] == 1
        and filter_shape[2] == 1
        and p.dilation.w == 1
        and p.dilation.h == 1
    )


def _is_1_x_n(p: ConvParams, input_shape: Shape4, filter_shape: Shape4) -> bool:
    return (
        input_shape[1] == 1
        and filter_shape[1] == 1
        and p.dilation.w == 1
        and (p.stride.w * input_shape[3]) % 4 == 0
    )


def _conv_variant(p: ConvParams, i: Shape4, f: Shape4) -> str:
    if _is_1x1(p, f):
        return "arm_convolve_1x1_s4_fast" if (p.stride.w, p.stride.h) == (1, 1) else "arm_convolve_1x1_s4"
    if _is_1_x_n(p, i, f):
        return "arm_convolve_1_x_n_s4"
    return "arm_convolve_s4"


def arm_convolve_wrapper_s4_variant(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int]
) -> str:
    """Name of the C kernel arm_convolve_wrapper_s4 calls for this layer: the 1x1
    kernels (``_fast`` at unit stride) for an unpadded undilated 1x1 filter, the
    1xN kernel for a one-row input and filter without x dilation whose
    ``stride.w * C_IN`` is a multiple of 4, else the generic kernel."""
    kernel = "arm_convolve_wrapper_s4_variant"
    p = _check_conv_params(kernel, conv_params)
    i = check_shape4(kernel, "input_shape", input_shape)
    f = _check_conv_filter_shape(kernel, "filter_shape", i, filter_shape)
    return _conv_variant(p, i, f)


def arm_convolve_wrapper_s4(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """CONV_2D with packed int4 weights through the kernel the wrapper picks
    (``arm_convolve_wrapper_s4_variant``); returns the int8 output."""
    kernel = "arm_convolve_wrapper_s4"
    c = _ConvS4(kernel, conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    if _is_1x1(c.params, c.filter_shape):
        c.check_unpadded_output()
    size = arm_convolve_wrapper_s4_get_buffer_size(conv_params, c.input_shape, c.filter_shape, c.output_shape)
    return c.run(lib.arm_convolve_wrapper_s4, size)


def arm_convolve_s4(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Generic convolution with packed int4 weights (any kernel size, stride,
    padding, dilation, batch); returns the int8 output."""
    c = _ConvS4("arm_convolve_s4", conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    return c.run(lib.arm_convolve_s4, arm_convolve_s4_get_buffer_size(c.input_shape, c.filter_shape))


def arm_convolve_even_s4(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """The generic s4 convolution for filters of an even KH * KW * C_IN (each
    output channel's weights start on a byte); returns the int8 output."""
    c = _ConvS4("arm_convolve_even_s4", conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    _, kh, kw, ch = c.filter_shape
    c.require((kh * kw * ch) % 2 == 0, "filter_shape", f"KH*KW*C_IN must be even, got {kh}*{kw}*{ch}")
    return c.run(lib.arm_convolve_even_s4, arm_convolve_s4_get_buffer_size(c.input_shape, c.filter_shape))


def arm_convolve_1x1_s4(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """1x1 convolution without padding or dilation, any stride; returns the int8 output."""
    c = _ConvS4("arm_convolve_1x1_s4", conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    c.check_1x1(fast=False)
    return c.run(lib.arm_convolve_1x1_s4, 0)


def arm_convolve_1x1_s4_fast(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """1x1 convolution without padding or dilation at unit stride; returns the int8 output."""
    c = _ConvS4("arm_convolve_1x1_s4_fast", conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    c.check_1x1(fast=True)
    return c.run(lib.arm_convolve_1x1_s4_fast, arm_convolve_1x1_s4_fast_get_buffer_size(c.input_shape))


def arm_convolve_1_x_n_s4(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Convolution of a one-row input with a one-row filter (no x dilation); returns the int8 output."""
    c = _ConvS4("arm_convolve_1_x_n_s4", conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    c.require(c.input_shape[1] == 1, "input", f"height must be 1, got {c.input_shape[1]}")
    c.require(c.filter_shape[1] == 1, "filter_shape", f"height must be 1, got {c.filter_shape[1]}")
    c.require(c.params.dilation.w == 1, "conv_params.dilation", f"width dilation must be 1, got {c.params.dilation.w}")
    size = arm_convolve_1_x_n_s4_get_buffer_size(c.params, c.input_shape, c.filter_shape, c.output_shape)
    return c.run(lib.arm_convolve_1_x_n_s4, size)


def _conv_layer_size(
    name: str, conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    p = _check_conv_params(name, conv_params)
    i = check_shape4(name, "input_shape", input_shape)
    f = _check_conv_filter_shape(name, "filter_shape", i, filter_shape)
    o = check_shape4(name, "output_shape", output_shape)
    return int(getattr(lib, name)(c_conv_params(p), dims(i), dims(f), dims(o)))


def arm_convolve_wrapper_s4_get_buffer_size(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s4 needs."""
    return _conv_layer_size("arm_convolve_wrapper_s4_get_buffer_size", conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s4_get_buffer_size_dsp(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s4 needs in a DSP build."""
    name = "arm_convolve_wrapper_s4_get_buffer_size_dsp"
    return _conv_layer_size(name, conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s4_get_buffer_size_mve(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s4 needs in an MVE build."""
    name = "arm_convolve_wrapper_s4_get_buffer_size_mve"
    return _conv_layer_size(name, conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_s4_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes arm_convolve_s4 (and arm_convolve_even_s4) need."""
    name = "arm_convolve_s4_get_buffer_size"
    i = check_shape4(name, "input_shape", input_shape)
    f = _check_conv_filter_shape(name, "filter_shape", i, filter_shape)
    return int(lib.arm_convolve_s4_get_buffer_size(dims(i), dims(f)))


def arm_convolve_1x1_s4_fast_get_buffer_size(input_shape: Sequence[int]) -> int:
    """Scratch bytes arm_convolve_1x1_s4_fast needs."""
    i = check_shape4("arm_convolve_1x1_s4_fast_get_buffer_size", "input_shape", input_shape)
    return int(lib.arm_convolve_1x1_s4_fast_get_buffer_size(dims(i)))


def arm_convolve_1_x_n_s4_get_buffer_size(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_1_x_n_s4 needs."""
    return _conv_layer_size("arm_convolve_1_x_n_s4_get_buffer_size", conv_params, input_shape, filter_shape, output_shape)


# ----------------------------------------------------------------- depthwise


def _dw_call(
    kernel: str,
    p: DwConvParams,
    quant: PerChannelQuant,
    input: Any,  # noqa: A002
    filter: Any,  # noqa: A002
    filter_shape: Sequence[int],
    bias: Any,
    output_shape: Sequence[int],
) -> tuple[np.ndarray, np.ndarray, Shape4, np.ndarray | None, tuple[np.ndarray, np.ndarray], Shape4]:
    """Validated (input, packed filter, filter shape, bias, (multipliers, shifts), output shape)."""
    _check_params(kernel, p)
    x = check_array(kernel, "input", input, np.int8, 4)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    out_shape = check_shape4(kernel, "output_shape", output_shape)
    _check_geometry(kernel, p, x.shape, f, out_shape)  # type: ignore[arg-type]
    if int(np.prod(out_shape)) > INT32_MAX:
        raise fail(kernel, "output_shape", f"{out_shape} has more than {INT32_MAX} elements")
    w = _check_packed(kernel, filter, int(np.prod(f)))
    qp = check_per_channel(kernel, "quant_params", quant, f[3])
    b = check_bias(kernel, bias, f[3])
    return x, w, f, b, qp, out_shape


def _dw_run(
    kernel: str,
    fn: Callable[..., int],
    scratch: int,
    p: DwConvParams,
    x: np.ndarray,
    w: np.ndarray,
    f: Shape4,
    b: np.ndarray | None,
    qp: tuple[np.ndarray, np.ndarray],
    out_shape: Shape4,
) -> np.ndarray:
    out = np.empty(out_shape, dtype=np.int8)
    ctx, _buf = context(scratch)
    return invoke(
        kernel,
        fn,
        ctx,
        c_dw_conv_params(p),
        c_per_channel(*qp),
        dims(x.shape),
        ptr(x, "int8_t"),
        dims(f),
        ptr(w, "int8_t"),
        dims((1, 1, 1, f[3])),
        ptr(b, "int32_t"),
        dims(out_shape),
        ptr(out, "int8_t"),
        output=out,
    )


def _dw_takes_opt(p: DwConvParams, input_shape: Shape4) -> bool:
    return p.ch_mult == 1 and input_shape[0] == 1 and p.dilation.w == 1 and p.dilation.h == 1


def arm_depthwise_conv_wrapper_s4_variant(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int]
) -> str:
    """Name of the C kernel arm_depthwise_conv_wrapper_s4 calls: ``_opt`` for
    ch_mult 1, batch 1 and no dilation, else the generic kernel."""
    kernel = "arm_depthwise_conv_wrapper_s4_variant"
    _check_params(kernel, dw_conv_params)
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    _check_filter_shape(kernel, "filter_shape", f, i[3], dw_conv_params.ch_mult)
    return "arm_depthwise_conv_s4_opt" if _dw_takes_opt(dw_conv_params, i) else "arm_depthwise_conv_s4"


def arm_depthwise_conv_wrapper_s4(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """DEPTHWISE_CONV_2D with packed int4 weights [1, KH, KW, C_OUT] through the
    dispatching wrapper; returns the int8 output."""
    kernel = "arm_depthwise_conv_wrapper_s4"
    x, w, f, b, qp, out_shape = _dw_call(kernel, dw_conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    scratch = arm_depthwise_conv_wrapper_s4_get_buffer_size(dw_conv_params, x.shape, f, out_shape)
    return _dw_run(kernel, lib.arm_depthwise_conv_wrapper_s4, scratch, dw_conv_params, x, w, f, b, qp, out_shape)


def arm_depthwise_conv_s4(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Generic depthwise convolution with packed int4 weights (any ch_mult,
    dilation, batch); returns the int8 output."""
    kernel = "arm_depthwise_conv_s4"
    x, w, f, b, qp, out_shape = _dw_call(kernel, dw_conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    return _dw_run(kernel, lib.arm_depthwise_conv_s4, 0, dw_conv_params, x, w, f, b, qp, out_shape)


def arm_depthwise_conv_s4_opt(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """Depthwise convolution with packed int4 weights for ch_mult 1, batch 1, no
    dilation; returns the int8 output."""
    kernel = "arm_depthwise_conv_s4_opt"
    x, w, f, b, qp, out_shape = _dw_call(kernel, dw_conv_params, quant_params, input, filter, filter_shape, bias, output_shape)
    _check_opt_layer(kernel, dw_conv_params, x.shape)  # type: ignore[arg-type]
    scratch = arm_depthwise_conv_s4_opt_get_buffer_size(x.shape, f)
    return _dw_run(kernel, lib.arm_depthwise_conv_s4_opt, scratch, dw_conv_params, x, w, f, b, qp, out_shape)


def _dw_layer_size(
    name: str, p: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    _check_params(name, p)
    i = check_shape4(name, "input_shape", input_shape)
    f = check_shape4(name, "filter_shape", filter_shape)
    o = check_shape4(name, "output_shape", output_shape)
    _check_filter_shape(name, "filter_shape", f, i[3], p.ch_mult)
    if o[3] != f[3]:
        raise fail(name, "output_shape[3]", f"{o[3]} channels, expected {f[3]} (the filter's)")
    return int(getattr(lib, name)(c_dw_conv_params(p), dims(i), dims(f), dims(o)))


def arm_depthwise_conv_wrapper_s4_get_buffer_size(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s4 needs."""
    name = "arm_depthwise_conv_wrapper_s4_get_buffer_size"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s4 needs in a DSP build."""
    name = "arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_wrapper_s4_get_buffer_size_mve(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s4 needs in an MVE build."""
    name = "arm_depthwise_conv_wrapper_s4_get_buffer_size_mve"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_s4_opt_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes arm_depthwise_conv_s4_opt needs."""
    name = "arm_depthwise_conv_s4_opt_get_buffer_size"
    i = check_shape4(name, "input_shape", input_shape)
    f = check_shape4(name, "filter_shape", filter_shape)
    return int(lib.arm_depthwise_conv_s4_opt_get_buffer_size(dims(i), dims(f)))


# ------------------------------------------------------------ fully connected


def arm_fully_connected_s4(
    fc_params: FcParams,
    quant_params: PerTensorQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    filter_shape: Sequence[int],
    bias: np.ndarray | None,
) -> np.ndarray:
    """Per-tensor fully connected with packed int4 weights of logical shape
    (C_OUT, depth): ``out[b, o] = clamp(requantize(bias[o] + sum_d (input[b, d] +
    input_offset) * (w[o, d] + filter_offset)) + output_offset)``. ``input``
    [batches, depth] int8. Returns the new [batches, C_OUT] int8 output."""
    kernel = "arm_fully_connected_s4"
    _check_fc_params(kernel, "fc_params", fc_params)
    check_per_tensor(kernel, "quant_params", quant_params)
    x = check_array(kernel, "input", input, np.int8, 2)
    if isinstance(filter_shape, (str, bytes)) or not isinstance(filter_shape, Sequence) or len(filter_shape) != 2:
        raise fail(kernel, "filter_shape", f"must be (C_OUT, depth), got {filter_shape!r}")
    out_ch = check_int(kernel, "filter_shape[0]", filter_shape[0], 1, DIM_MAX)
    depth = check_int(kernel, "filter_shape[1]", filter_shape[1], 1, DIM_MAX)
    batches, x_depth = x.shape
    if x_depth != depth:
        raise fail(kernel, "filter_shape", f"has depth {depth}, the input has depth {x_depth} (shape {x.shape})")
    if depth > _MAX_DEPTH:
        raise fail(kernel, "input", f"depth {depth} above {_MAX_DEPTH} could overflow the int32 accumulator")
    w = _check_packed(kernel, filter, out_ch * depth)
    b = check_bias(kernel, bias, out_ch)
    out = np.empty((batches, out_ch), dtype=np.int8)
    ctx, _buf = context(0)
    return invoke(
        kernel,
        lib.arm_fully_connected_s4,
        ctx,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        c_per_tensor(quant_params),
        dims((batches, 1, 1, depth)),
        ptr(x, "int8_t"),
        dims((depth, 1, 1, out_ch)),
        ptr(w, "int8_t"),
        dims((1, 1, 1, out_ch)),
        ptr(b, "int32_t"),
        dims((batches, 1, 1, out_ch)),
        ptr(out, "int8_t"),
        output=out,
    )
