"""CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV to the CMSIS-NN conv wrappers.

int8 activations go to the s8 kernels; int16 ones (TFLite's 16x8 scheme:
int8 weights, zero points 0) to ``arm_convolve_wrapper_s16``,
``arm_depthwise_conv_wrapper_s16`` and our ``pycmsisnn_transpose_conv_s16``
(CMSIS-NN has no s16 transpose convolution); int4 filters (int8 activations)
to the s4 wrappers. Checks, geometry and parameters are one derivation for
all; the input's type (and the filter's) picks the kernel and the bias types
TFLite Micro reads.
"""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..kernels import conv_fc_s16, convolution, convolution_s16, depthwise, s4, transpose_conv
from ..params import ConvParams, DwConvParams, PerChannelQuant, Tile, TransposeConvParams
from .common import activation_of, dtype_reason, first_reason, fused_activation_reason, optional, output, zero_point_s16_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import ConvOptions, options_as

S16 = np.dtype(np.int16)
INT32_TENSOR_TYPE = 2  # TFLite's TensorType.INT32
# The bias types TFLite Micro's 16x8 kernels read: CONV_2D sums in 32 bits
# with an int32 bias; the depthwise and transpose convolutions read any bias as int64.
_S16_BIAS: dict[str, list[type]] = {"CONV_2D": [np.int64, np.int32], "DEPTHWISE_CONV_2D": [np.int64], "TRANSPOSE_CONV": [np.int64]}
# Requantisation shifts each 16x8 kernel takes (TFLite's 64-bit MultiplyByQuantizedMultiplier).
_S16_SHIFTS = {
    "CONV_2D": (convolution_s16.S16_SHIFT_MIN, convolution_s16.S16_SHIFT_MAX),
    "DEPTHWISE_CONV_2D": (convolution_s16.S16_SHIFT_MIN, convolution_s16.S16_SHIFT_MAX),
    "TRANSPOSE_CONV": (convolution_s16.S16_SHIFT_MIN, conv_fc_s16.S64_SHIFT_MAX),
}
# (input, filter, bias) input slots; TRANSPOSE_CONV's first input is the output shape.
_SLOTS = {"CONV_2D": (0, 1, 2), "DEPTHWISE_CONV_2D": (0, 1, 2), "TRANSPOSE_CONV": (2, 1, 3)}


def _tensors(graph: Graph, op: Operator) -> tuple[Tensor, Tensor, Tensor | None, Tensor]:
    """(input, filter, bias or None, output) of a convolution."""
    i, f, b = _SLOTS[op.opcode]
    return tensor(graph, op, i, "input"), tensor(graph, op, f, "filter"), optional(graph, op, b), output(graph, op)


def _out_channels(op: Operator, w: Tensor) -> int:
    return int(w.shape[3] if op.opcode == "DEPTHWISE_CONV_2D" else w.shape[0])


def _multipliers(op: Operator, x: Tensor, w: Tensor, y: Tensor) -> PerChannelQuant:
    assert x.quant and w.quant and y.quant
    return quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, _out_channels(op, w))


def _zero_filter_zp(t: Tensor) -> str | None:
    if t.quant is not None and any(z != 0 for z in t.quant.zero_points):
        return f"filter '{t.name}' has non-zero zero points (CMSIS-NN convolutions take symmetric int8 weights)"
    return None


def _s16_reason(op: Operator, x: Tensor, w: Tensor, y: Tensor) -> str | None:
    """What the 16x8 kernels add to the common checks: zero points 0, an
    ungrouped convolution, shifts in the kernel's range."""
    reason = first_reason(zero_point_s16_reason(x, "input"), zero_point_s16_reason(y, "output"))
    if reason:
        return reason
    if op.opcode == "CONV_2D" and w.shape[3] != x.shape[3]:
        return f"grouped 16x8 convolution (filter depth {w.shape[3]}, input channels {x.shape[3]}): arm_convolve_s16 is not grouped"
    try:
        qp = _multipliers(op, x, w, y)
    except ValueError as exc:  # QuantError
        return str(exc)
    lo, hi = _S16_SHIFTS[op.opcode]
    bad = [s for s in qp.shift if not lo <= s <= hi]
    return f"16x8 requantisation shift {bad[0]} is outside [{lo}, {hi}] (scale ratio too large or small)" if bad else None


def _conv_check(graph: Graph, op: Operator) -> str | None:
    x, w, b, y = _tensors(graph, op)
    reason = dtype_reason(x, "input", [np.int8, np.int16])
    if reason:
        return reason
    s16 = x.dtype == S16
    reason = first_reason(
        _s4_reason(op, x, w) if w.is_int4 else dtype_reason(w, "filter", [np.int8]),
        None if w.is_constant else f"filter '{w.name}' is not constant",
        None if b is None else dtype_reason(b, "bias", _S16_BIAS[op.opcode] if s16 else [np.int32]),
        None if b is None or b.is_constant else f"bias '{b.name}' is not constant",
        dtype_reason(y, "output", [x.dtype.type]),
        None if len(x.shape) == 4 and len(w.shape) == 4 else "input and filter must be 4-D",
        _zero_filter_zp(w),
        fused_activation_reason(op),
    )
    return _s16_reason(op, x, w, y) if s16 and not reason else reason


def _dilation(op: Operator) -> Tile:
    o = options_as(op.options, ConvOptions)
    return Tile(o.dilation_w_factor, o.dilation_h_factor)


def _stride(op: Operator) -> Tile:
    o = options_as(op.options, ConvOptions)
    return Tile(o.stride_w, o.stride_h)


def _offsets(x: Tensor, y: Tensor) -> tuple[int, int]:
    """input_offset and output_offset (both 0 for 16x8)."""
    assert x.quant and y.quant
    return quant.input_offset(x.quant.zero_point), quant.output_offset(y.quant.zero_point)


def _padding(op: Operator, x: Tensor, w: Tensor) -> Tile:
    """The padding of a CONV_2D or DEPTHWISE_CONV_2D."""
    padding, _, _ = quant.conv_padding(options_as(op.options, ConvOptions).padding, x.shape[1:3], w.shape[1:3], _stride(op), _dilation(op))
    return padding


def _call(op: Operator, kernel: str, struct: str, params: object, x: Tensor, w: Tensor, y: Tensor, bias: np.ndarray | None,
          *, macs: int, variant: str = "", scratch_bytes: int = 0) -> KernelCall:
    """The call of any of the six convolution kernels: they take the same arguments."""
    return KernelCall(
        op=op,
        kernel=kernel,
        args={struct: params, "quant_params": _multipliers(op, x, w, y), "input": TensorArg(x.index), "filter": w.data,
              "bias": bias, "output_shape": y.shape},
        outputs=(y.index,),
        variant=variant,
        scratch_bytes=scratch_bytes,
        macs=macs,
    )


@rule("CONV_2D", check=_conv_check)
def lower_conv(graph: Graph, op: Operator) -> KernelCall:
    x, w, b, y = _tensors(graph, op)
    params = ConvParams(*_offsets(x, y), stride=_stride(op), padding=_padding(op, x, w), dilation=_dilation(op), activation=activation_of(op, y))
    bias = None if b is None else b.data
    shapes = (x.shape, w.shape, y.shape)
    macs = int(np.prod(y.shape)) * int(np.prod(w.shape[1:]))
    if x.dtype == S16:
        if bias is None and options_as(op.options, ConvOptions).quantized_bias_type == INT32_TENSOR_TYPE:
            bias = np.zeros(w.shape[0], dtype=np.int32)  # TFLite Micro then sums in 32 bits, as with an int32 bias
        return _call(op, "arm_convolve_wrapper_s16", "conv_params", params, x, w, y, bias,
                     variant=convolution_s16.arm_convolve_wrapper_s16_variant(params),
                     scratch_bytes=convolution_s16.arm_convolve_wrapper_s16_get_buffer_size(params, *shapes), macs=macs)
    if bias is None and x.shape[3] != w.shape[3]:
        bias = np.zeros(w.shape[0], dtype=np.int32)  # Arm's grouped convolution reads its bias (NULL crashes it)
    if w.is_int4:
        return _conv_s4_call(op, params, _multipliers(op, x, w, y), x, w, y, bias)
    return _call(op, "arm_convolve_wrapper_s8", "conv_params", params, x, w, y, bias,
                 variant=convolution.arm_convolve_wrapper_s8_variant(params, *shapes),
                 scratch_bytes=convolution.arm_convolve_wrapper_s8_get_buffer_size(params, *shapes), macs=macs)


def _dw_check(graph: Graph, op: Operator) -> str | None:
    reason = _conv_check(graph, op)
    if reason:
        return reason
    x, w = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "filter")
    if w.shape[0] != 1 or w.shape[3] % x.shape[3] != 0:
        return f"filter shape {list(w.shape)} does not fit input channels {x.shape[3]}"
    multiplier = options_as(op.options, ConvOptions).depth_multiplier
    if multiplier != w.shape[3] // x.shape[3]:
        # TFLite Micro's kernel loops by the option, ours by the shapes: a mismatch is a corrupt model
        return f"DepthwiseConv2DOptions.depth_multiplier is {multiplier}, the shapes say {w.shape[3] // x.shape[3]}"
    return None


@rule("DEPTHWISE_CONV_2D", check=_dw_check)
def lower_depthwise(graph: Graph, op: Operator) -> KernelCall:
    x, w, b, y = _tensors(graph, op)
    params = DwConvParams(
        *_offsets(x, y),
        ch_mult=w.shape[3] // x.shape[3],  # the option's depth_multiplier is unreliable in new models
        stride=_stride(op),
        padding=_padding(op, x, w),
        dilation=_dilation(op),
        activation=activation_of(op, y),
    )
    bias = None if b is None else b.data
    shapes = (x.shape, w.shape, y.shape)
    macs = int(np.prod(y.shape)) * w.shape[1] * w.shape[2]
    if x.dtype == S16:
        return _call(op, "arm_depthwise_conv_wrapper_s16", "dw_conv_params", params, x, w, y, bias,
                     variant=convolution_s16.arm_depthwise_conv_wrapper_s16_variant(params),
                     scratch_bytes=convolution_s16.arm_depthwise_conv_wrapper_s16_get_buffer_size(params, *shapes), macs=macs)
    if w.is_int4:
        return _depthwise_s4_call(op, params, _multipliers(op, x, w, y), x, w, y, bias)
    return _call(op, "arm_depthwise_conv_wrapper_s8", "dw_conv_params", params, x, w, y, bias,
                 variant=depthwise.arm_depthwise_conv_wrapper_s8_variant(params, *shapes),
                 scratch_bytes=depthwise.arm_depthwise_conv_wrapper_s8_get_buffer_size(params, *shapes), macs=macs)


def _tc_check(graph: Graph, op: Operator) -> str | None:
    reason = _conv_check(graph, op)
    if reason:
        return reason
    shape = tensor(graph, op, 0, "output shape")
    if not shape.is_constant:
        return "the output shape input is not constant"
    return None


@rule("TRANSPOSE_CONV", check=_tc_check)
def lower_transpose_conv(graph: Graph, op: Operator) -> KernelCall:
    x, w, b, y = _tensors(graph, op)
    stride = _stride(op)
    padding, offsets = quant.transpose_conv_padding(options_as(op.options, ConvOptions).padding, y.shape[1:3], w.shape[1:3], stride)
    params = TransposeConvParams(*_offsets(x, y), stride=stride, padding=padding, padding_offsets=offsets, activation=activation_of(op, y))
    bias = None if b is None else b.data
    macs = int(np.prod(x.shape)) * int(np.prod(w.shape[:3]))
    if x.dtype == S16:
        return _call(op, "pycmsisnn_transpose_conv_s16", "transpose_conv_params", params, x, w, y, bias, macs=macs)
    return _call(op, "arm_transpose_conv_wrapper_s8", "transpose_conv_params", params, x, w, y, bias,
                 variant=transpose_conv.arm_transpose_conv_wrapper_s8_variant(params, x.shape, w.shape, y.shape),
                 scratch_bytes=transpose_conv.arm_transpose_conv_s8_get_buffer_size(params, x.shape, w.shape, y.shape), macs=macs)


# ------------------------------------------------------------ int4 weights
# TFLite's INT4 filters (int8 activations) go to the s4 wrappers with the
# weights kept packed; the parameters are the int8 path's. TFLite Micro
# refuses int4 filters with int16 activations ("hybrid") and int4 transpose
# convolutions; CMSIS-NN's s4 convolutions are not grouped.


def _s4_reason(op: Operator, x: Tensor, w: Tensor) -> str | None:
    """Why the op cannot take its int4 filter ``w``, or None."""
    if op.opcode not in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        return f"filter '{w.name}' is int4: CMSIS-NN has no int4 {op.opcode} kernel, needs int8"
    if x.dtype != np.int8:
        return f"filter '{w.name}' is int4, input '{x.name}' is {x.type_label}: int4 weights take int8 activations only"
    if w.quant is None:
        return f"filter '{w.name}' has no quantisation parameters"
    if op.opcode == "CONV_2D" and len(x.shape) == 4 and len(w.shape) == 4 and w.shape[3] != x.shape[3]:
        return (f"filter '{w.name}' is int4 in a grouped convolution ({w.shape[3]} of {x.shape[3]} input channels "
                "per group): CMSIS-NN's s4 convolutions are not grouped")
    return None


def _conv_s4_call(op: Operator, params: ConvParams, qp: PerChannelQuant, x: Tensor, w: Tensor, y: Tensor,
                  bias: np.ndarray | None) -> KernelCall:
    return KernelCall(
        op=op,
        kernel="arm_convolve_wrapper_s4",
        args={"conv_params": params, "quant_params": qp, "input": TensorArg(x.index), "filter": w.packed_int4,
              "filter_shape": w.shape, "bias": bias, "output_shape": y.shape},
        outputs=(y.index,),
        variant=s4.arm_convolve_wrapper_s4_variant(params, x.shape, w.shape),
        scratch_bytes=s4.arm_convolve_wrapper_s4_get_buffer_size(params, x.shape, w.shape, y.shape),
        macs=int(np.prod(y.shape)) * int(np.prod(w.shape[1:])),
    )


def _depthwise_s4_call(op: Operator, params: DwConvParams, qp: PerChannelQuant, x: Tensor, w: Tensor, y: Tensor,
                       bias: np.ndarray | None) -> KernelCall:
    return KernelCall(
        op=op,
        kernel="arm_depthwise_conv_wrapper_s4",
        args={"dw_conv_params": params, "quant_params": qp, "input": TensorArg(x.index), "filter": w.packed_int4,
              "filter_shape": w.shape, "bias": bias, "output_shape": y.shape},
        outputs=(y.index,),
        variant=s4.arm_depthwise_conv_wrapper_s4_variant(params, x.shape, w.shape),
        scratch_bytes=s4.arm_depthwise_conv_wrapper_s4_get_buffer_size(params, x.shape, w.shape, y.shape),
        macs=int(np.prod(y.shape)) * w.shape[1] * w.shape[2],
    )
