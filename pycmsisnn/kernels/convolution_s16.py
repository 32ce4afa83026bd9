"""int16 (16x8) convolution kernels: wrappers of arm_convolve_*_s16 and arm_depthwise_conv_*_s16.

Activations are NHWC int16, symmetric (zero point 0: both offsets of the
parameter structs must be 0, the kernels do not read them); weights are int8,
conv filters [C_OUT, KH, KW, C_IN] (not grouped), depthwise filters
[1, KH, KW, C_IN * ch_mult]. Each output channel is accumulated in 64 bits
from its bias and requantised as TFLite Micro's reference 16x8 kernels do
(``MultiplyByQuantizedMultiplier`` on an int64 accumulator: the multiplier
rounded to 16 bits, one rounding shift by ``15 - shift``), then clamped to the
activation range (int16 values).

Bias: the convolution takes int64 (the converter's) or int32 (``cmsis_nn_bias_data``
with ``is_int32_bias``: 32-bit accumulator and TFLite's 32-bit requantisation,
as TFLite computes a model with an int32 bias); depthwise takes int64 only.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import ConvParams, DwConvParams, PerChannelQuant
from ._base import (
    DIM_MAX,
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    Shape4,
    c_conv_params,
    c_dw_conv_params,
    c_per_channel,
    check_activation,
    check_array,
    check_int,
    check_per_channel,
    check_shape4,
    check_tile,
    context,
    dims,
    fail,
    ffi,
    invoke,
    keep_alive,
    lib,
    ptr,
)
from ._window import check_window_axis

__all__ = [
    "arm_convolve_wrapper_s16",
    "arm_convolve_wrapper_s16_variant",
    "arm_convolve_s16",
    "arm_convolve_wrapper_s16_get_buffer_size",
    "arm_convolve_wrapper_s16_get_buffer_size_dsp",
    "arm_convolve_wrapper_s16_get_buffer_size_mve",
    "arm_convolve_s16_get_buffer_size",
    "arm_depthwise_conv_wrapper_s16",
    "arm_depthwise_conv_wrapper_s16_variant",
    "arm_depthwise_conv_s16",
    "arm_depthwise_conv_fast_s16",
    "arm_depthwise_conv_wrapper_s16_get_buffer_size",
    "arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp",
    "arm_depthwise_conv_wrapper_s16_get_buffer_size_mve",
    "arm_depthwise_conv_fast_s16_get_buffer_size",
]

# TFLite's int64 MultiplyByQuantizedMultiplier takes shifts in [-31, 7].
S16_SHIFT_MIN, S16_SHIFT_MAX = -31, 7


# ------------------------------------------------------------------ validation


def _check_symmetric(kernel: str, struct: str, p: ConvParams | DwConvParams) -> None:
    """The s16 kernels are symmetric: both offsets must be 0 (they are not read)."""
    for name in ("input_offset", "output_offset"):
        check_int(kernel, f"{struct}.{name}", getattr(p, name), 0, 0)


def _check_conv_params(kernel: str, p: Any) -> ConvParams:
    if not isinstance(p, ConvParams):
        raise fail(kernel, "conv_params", f"must be a ConvParams, got {type(p).__name__}")
    _check_symmetric(kernel, "conv_params", p)
    check_tile(kernel, "conv_params.stride", p.stride, 1)
    check_tile(kernel, "conv_params.padding", p.padding, 0)
    check_tile(kernel, "conv_params.dilation", p.dilation, 1)
    check_activation(kernel, "conv_params.activation", p.activation, INT16_MIN, INT16_MAX)
    return p


def _check_dw_params(kernel: str, p: Any) -> DwConvParams:
    if not isinstance(p, DwConvParams):
        raise fail(kernel, "dw_conv_params", f"must be a DwConvParams, got {type(p).__name__}")
    _check_symmetric(kernel, "dw_conv_params", p)
    check_int(kernel, "dw_conv_params.ch_mult", p.ch_mult, 1, DIM_MAX)
    check_tile(kernel, "dw_conv_params.stride", p.stride, 1)
    check_tile(kernel, "dw_conv_params.padding", p.padding, 0)
    check_tile(kernel, "dw_conv_params.dilation", p.dilation, 1)
    check_activation(kernel, "dw_conv_params.activation", p.activation, INT16_MIN, INT16_MAX)
    return p


def _check_quant(kernel: str, quant: PerChannelQuant, channels: int) -> tuple[np.ndarray, np.ndarray]:
    mult, shift = check_per_channel(kernel, "quant_params", quant, channels)
    for i, s in enumerate(shift):
        if not S16_SHIFT_MIN <= int(s) <= S16_SHIFT_MAX:
            raise fail(kernel, f"quant_params.shift[{i}]", f"{int(s)} is outside [{S16_SHIFT_MIN}, {S16_SHIFT_MAX}] (16x8 requantisation)")
    return mult, shift


def _check_bias(kernel: str, bias: Any, channels: int, allow_int32: bool) -> np.ndarray | None:
    """An int64 (or, where allowed, int32) bias of ``channels`` entries, or None."""
    if bias is None:
        return None
    if not isinstance(bias, np.ndarray):
        raise fail(kernel, "bias", f"must be a numpy array, got {type(bias).__name__}")
    allowed = (np.int64, np.int32) if allow_int32 else (np.int64,)
    if bias.dtype not in [np.dtype(t) for t in allowed]:
        names = " or ".join(np.dtype(t).name for t in allowed)
        raise fail(kernel, "bias", f"must have dtype {names}, got {bias.dtype.name}")
    b = check_array(kernel, "bias", bias, bias.dtype.type, 1)
    if b.shape[0] != channels:
        raise fail(kernel, "bias", f"has {b.shape[0]} entries, expected {channels} (output channels)")
    return b


def _check_geometry(
    kernel: str,
    struct: str,
    p: ConvParams | DwConvParams,
    input_shape: Shape4,
    kernel_hw: tuple[int, int],
    output_shape: Shape4,
    out_ch: int,
) -> None:
    """Batch, channels and a height and width that this padding, stride and dilation give."""
    if output_shape[0] != input_shape[0]:
        raise fail(kernel, "output_shape[0]", f"batch {output_shape[0]} differs from the input's {input_shape[0]}")
    if output_shape[3] != out_ch:
        raise fail(kernel, "output_shape[3]", f"{output_shape[3]} channels, expected {out_ch} (the filter's)")
    if int(np.prod(output_shape)) > INT32_MAX:
        raise fail(kernel, "output_shape", f"{output_shape} has more than {INT32_MAX} elements")
    kh, kw = kernel_hw
    check_window_axis(kernel, struct, "h", input_shape[1], output_shape[1], kh, p.stride.h, p.padding.h, p.dilation.h)
    check_window_axis(kernel, struct, "w", input_shape[2], output_shape[2], kw, p.stride.w, p.padding.w, p.dilation.w)


def _check_conv_filter(kernel: str, name: str, input_shape: Shape4, filter_shape: Shape4) -> None:
    if filter_shape[3] != input_shape[3]:
        raise fail(
            kernel, name, f"has {filter_shape[3]} input channels, expected the input's {input_shape[3]} "
            "(the s16 convolution is not grouped)"
        )


def _check_dw_filter(kernel: str, name: str, filter_shape: Shape4, in_ch: int, ch_mult: int) -> None:
    if filter_shape[0] != 1:
        raise fail(kernel, name, f"must be [1, KH, KW, C_OUT], got first dim {filter_shape[0]} in {filter_shape}")
    if filter_shape[3] != in_ch * ch_mult:
        raise fail(
            kernel, name, f"has {filter_shape[3]} output channels, expected input channels {in_ch} x ch_mult "
            f"{ch_mult} = {in_ch * ch_mult}"
        )


# ---------------------------------------------------------------- convolution


class _Conv:
    """A validated s16 convolution call."""

    def __init__(
        self,
        kernel: str,
        conv_params: ConvParams,
        quant_params: PerChannelQuant,
        input: np.ndarray,  # noqa: A002 - the C argument's name
        filter: np.ndarray,  # noqa: A002
        bias: np.ndarray | None,
        output_shape: Sequence[int],
    ) -> None:
        self.kernel = kernel
        self.params = _check_conv_params(kernel, conv_params)
        self.input = check_array(kernel, "input", input, np.int16, 4)
        self.filter = check_array(kernel, "filter", filter, np.int8, 4)
        self.input_shape: Shape4 = tuple(self.input.shape)  # type: ignore[assignment]
        self.filter_shape: Shape4 = tuple(self.filter.shape)  # type: ignore[assignment]
        _check_conv_filter(kernel, "filter", self.input_shape, self.filter_shape)
        out_c = self.filter_shape[0]
        self.bias = _check_bias(kernel, bias, out_c, allow_int32=True)
        self.mult, self.shift = _check_quant(kernel, quant_params, out_c)
        self.output_shape = check_shape4(kernel, "output_shape", output_shape)
        _check_geometry(
            kernel, "conv_params", self.params, self.input_shape, self.filter_shape[1:3], self.output_shape, out_c
        )

    def run(self, fn: Callable[..., int], scratch: int) -> np.ndarray:
        out = np.empty(self.output_shape, dtype=np.int16)
        ctx, _keep = context(scratch)
        is_int32 = self.bias is not None and self.bias.dtype == np.int32
        bias_struct = ffi.new(
            "cmsis_nn_bias_data *",
            {"data": ptr(self.bias, "int32_t" if is_int32 else "int64_t"), "is_int32_bias": bool(is_int32)},
        )
        keep_alive(bias_struct)
        return invoke(
            self.kernel,
            fn,
            ctx,
            c_conv_params(self.params),
            c_per_channel(self.mult, self.shift),
            dims(self.input_shape),
            ptr(self.input, "int16_t"),
            dims(self.filter_shape),
            ptr(self.filter, "int8_t"),
            dims((1, 1, 1, self.filter_shape[0])),
            bias_struct,
            dims(self.output_shape),
            ptr(out, "int16_t"),
            output=out,
        )


def arm_convolve_wrapper_s16_variant(conv_params: ConvParams) -> str:
    """The C kernel arm_convolve_wrapper_s16 calls: arm_convolve_s16 on every
    build (CMSIS-NN's only s16 convolution kernel)."""
    _check_conv_params("arm_convolve_wrapper_s16_variant", conv_params)
    return "arm_convolve_s16"


def arm_convolve_wrapper_s16(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """16x8 CONV_2D through CMSIS-NN's s16 wrapper; returns the int16 output."""
    c = _Conv("arm_convolve_wrapper_s16", conv_params, quant_params, input, filter, bias, output_shape)
    size = arm_convolve_wrapper_s16_get_buffer_size(conv_params, c.input_shape, c.filter_shape, c.output_shape)
    return c.run(lib.arm_convolve_wrapper_s16, size)


def arm_convolve_s16(
    conv_params: ConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """The s16 convolution kernel (any filter, stride, padding, dilation, batch); returns the int16 output."""
    c = _Conv("arm_convolve_s16", conv_params, quant_params, input, filter, bias, output_shape)
    return c.run(lib.arm_convolve_s16, arm_convolve_s16_get_buffer_size(c.input_shape, c.filter_shape))


def _conv_shapes(kernel: str, input_shape: Sequence[int], filter_shape: Sequence[int]) -> tuple[Shape4, Shape4]:
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    _check_conv_filter(kernel, "filter_shape", i, f)
    return i, f


def _conv_layer_size(
    name: str, conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    p = _check_conv_params(name, conv_params)
    i, f = _conv_shapes(name, input_shape, filter_shape)
    o = check_shape4(name, "output_shape", output_shape)
    _check_geometry(name, "conv_params", p, i, f[1:3], o, f[0])
    return int(getattr(lib, name)(c_conv_params(p), dims(i), dims(f), dims(o)))


def arm_convolve_wrapper_s16_get_buffer_size(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s16 needs in this (portable) build."""
    return _conv_layer_size("arm_convolve_wrapper_s16_get_buffer_size", conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s16_get_buffer_size_dsp(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s16 needs in a DSP (Cortex-M4/M7/M33) build."""
    return _conv_layer_size("arm_convolve_wrapper_s16_get_buffer_size_dsp", conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_wrapper_s16_get_buffer_size_mve(
    conv_params: ConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_convolve_wrapper_s16 needs in an MVE (Cortex-M55/M85) build."""
    return _conv_layer_size("arm_convolve_wrapper_s16_get_buffer_size_mve", conv_params, input_shape, filter_shape, output_shape)


def arm_convolve_s16_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes arm_convolve_s16 needs in this build."""
    i, f = _conv_shapes("arm_convolve_s16_get_buffer_size", input_shape, filter_shape)
    return int(lib.arm_convolve_s16_get_buffer_size(dims(i), dims(f)))


# ------------------------------------------------------------------ depthwise


def _dw_call(
    kernel: str,
    p: DwConvParams,
    quant: PerChannelQuant,
    input: Any,  # noqa: A002
    filter: Any,  # noqa: A002
    bias: Any,
    output_shape: Sequence[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, tuple[np.ndarray, np.ndarray], Shape4]:
    _check_dw_params(kernel, p)
    x = check_array(kernel, "input", input, np.int16, 4)
    w = check_array(kernel, "filter", filter, np.int8, 4)
    out_shape = check_shape4(kernel, "output_shape", output_shape)
    _check_dw_filter(kernel, "filter", w.shape, x.shape[3], p.ch_mult)  # type: ignore[arg-type]
    _check_geometry(kernel, "dw_conv_params", p, x.shape, w.shape[1:3], out_shape, w.shape[3])  # type: ignore[arg-type]
    qp = _check_quant(kernel, quant, w.shape[3])
    b = _check_bias(kernel, bias, w.shape[3], allow_int32=False)
    return x, w, b, qp, out_shape


def _dw_run(
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
    out = np.empty(out_shape, dtype=np.int16)
    ctx, _buf = context(scratch)
    return invoke(
        kernel,
        fn,
        ctx,
        c_dw_conv_params(p),
        c_per_channel(*qp),
        dims(x.shape),
        ptr(x, "int16_t"),
        dims(w.shape),
        ptr(w, "int8_t"),
        dims((1, 1, 1, w.shape[3])),
        ptr(b, "int64_t"),
        dims(out_shape),
        ptr(out, "int16_t"),
        output=out,
    )


def _takes_fast(p: DwConvParams) -> bool:
    """What a DSP or MVE build of the wrapper sends to arm_depthwise_conv_fast_s16."""
    return p.ch_mult == 1 and p.dilation.w == 1 and p.dilation.h == 1


def arm_depthwise_conv_wrapper_s16_variant(dw_conv_params: DwConvParams, *, simd: bool = False) -> str:
    """The C kernel arm_depthwise_conv_wrapper_s16 calls: in the portable build
    always arm_depthwise_conv_s16; with ``simd`` (a DSP or MVE build) the fast
    kernel for ch_mult 1 without dilation."""
    p = _check_dw_params("arm_depthwise_conv_wrapper_s16_variant", dw_conv_params)
    return "arm_depthwise_conv_fast_s16" if simd and _takes_fast(p) else "arm_depthwise_conv_s16"


def arm_depthwise_conv_wrapper_s16(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """16x8 DEPTHWISE_CONV_2D through CMSIS-NN's s16 wrapper; returns the int16 output."""
    kernel = "arm_depthwise_conv_wrapper_s16"
    x, w, b, qp, o = _dw_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    size = arm_depthwise_conv_wrapper_s16_get_buffer_size(dw_conv_params, x.shape, w.shape, o)
    return _dw_run(kernel, lib.arm_depthwise_conv_wrapper_s16, size, dw_conv_params, x, w, b, qp, o)


def arm_depthwise_conv_s16(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """The generic s16 depthwise kernel (any ch_mult, dilation, batch); returns the int16 output."""
    kernel = "arm_depthwise_conv_s16"
    x, w, b, qp, o = _dw_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    return _dw_run(kernel, lib.arm_depthwise_conv_s16, 0, dw_conv_params, x, w, b, qp, o)


def arm_depthwise_conv_fast_s16(
    dw_conv_params: DwConvParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,  # noqa: A002
    filter: np.ndarray,  # noqa: A002
    bias: np.ndarray | None,
    output_shape: Sequence[int],
) -> np.ndarray:
    """The s16 depthwise kernel for ch_mult 1; returns the int16 output."""
    kernel = "arm_depthwise_conv_fast_s16"
    x, w, b, qp, o = _dw_call(kernel, dw_conv_params, quant_params, input, filter, bias, output_shape)
    if dw_conv_params.ch_mult != 1:
        raise fail(kernel, "dw_conv_params.ch_mult", f"must be 1 for this kernel, got {dw_conv_params.ch_mult}")
    size = arm_depthwise_conv_fast_s16_get_buffer_size(x.shape, w.shape)
    return _dw_run(kernel, lib.arm_depthwise_conv_fast_s16, size, dw_conv_params, x, w, b, qp, o)


def _dw_shapes(
    kernel: str, p: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> tuple[Shape4, Shape4, Shape4]:
    _check_dw_params(kernel, p)
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    o = check_shape4(kernel, "output_shape", output_shape)
    _check_dw_filter(kernel, "filter_shape", f, i[3], p.ch_mult)
    if o[3] != f[3]:
        raise fail(kernel, "output_shape[3]", f"{o[3]} channels, expected {f[3]} (the filter's)")
    return i, f, o


def _dw_layer_size(
    name: str, p: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    i, f, o = _dw_shapes(name, p, input_shape, filter_shape, output_shape)
    return int(getattr(lib, name)(c_dw_conv_params(p), dims(i), dims(f), dims(o)))


def arm_depthwise_conv_wrapper_s16_get_buffer_size(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s16 needs in this (portable) build."""
    name = "arm_depthwise_conv_wrapper_s16_get_buffer_size"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s16 needs in a DSP build."""
    name = "arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_wrapper_s16_get_buffer_size_mve(
    dw_conv_params: DwConvParams, input_shape: Sequence[int], filter_shape: Sequence[int], output_shape: Sequence[int]
) -> int:
    """Scratch bytes arm_depthwise_conv_wrapper_s16 needs in an MVE build."""
    name = "arm_depthwise_conv_wrapper_s16_get_buffer_size_mve"
    return _dw_layer_size(name, dw_conv_params, input_shape, filter_shape, output_shape)


def arm_depthwise_conv_fast_s16_get_buffer_size(input_shape: Sequence[int], filter_shape: Sequence[int]) -> int:
    """Scratch bytes arm_depthwise_conv_fast_s16 needs in this build."""
    kernel = "arm_depthwise_conv_fast_s16_get_buffer_size"
    i = check_shape4(kernel, "input_shape", input_shape)
    f = check_shape4(kernel, "filter_shape", filter_shape)
    return int(lib.arm_depthwise_conv_fast_s16_get_buffer_size(dims(i), dims(f)))
