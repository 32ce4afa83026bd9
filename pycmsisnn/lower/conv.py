"""CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV to the CMSIS-NN conv wrappers."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..kernels import convolution, depthwise, s4, transpose_conv
from ..params import ConvParams, DwConvParams, PerChannelQuant, Tile, TransposeConvParams
from .common import activation_of, dtype_reason, first_reason, fused_activation_reason, optional, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import ConvOptions, options_as


def _zero_filter_zp(t) -> str | None:  # noqa: ANN001
    if t.quant is not None and any(z != 0 for z in t.quant.zero_points):
        return f"filter '{t.name}' has non-zero zero points (CMSIS-NN convolutions take symmetric int8 weights)"
    return None


def _conv_check(graph: Graph, op: Operator, filter_slot: int = 1, input_slot: int = 0, bias_slot: int = 2) -> str | None:
    x, w, y = tensor(graph, op, input_slot, "input"), tensor(graph, op, filter_slot, "filter"), output(graph, op)
    b = optional(graph, op, bias_slot)
    return first_reason(
        dtype_reason(x, "input", [np.int8]),
        _s4_reason(op, x, w) if w.is_int4 else dtype_reason(w, "filter", [np.int8]),
        None if w.is_constant else f"filter '{w.name}' is not constant",
        None if b is None else dtype_reason(b, "bias", [np.int32]),
        None if b is None or b.is_constant else f"bias '{b.name}' is not constant",
        dtype_reason(y, "output", [np.int8]),
        None if len(x.shape) == 4 and len(w.shape) == 4 else "input and filter must be 4-D",
        _zero_filter_zp(w),
        fused_activation_reason(op),
    )


def _dilation(op: Operator) -> Tile:
    o = options_as(op.options, ConvOptions)
    return Tile(o.dilation_w_factor, o.dilation_h_factor)


def _stride(op: Operator) -> Tile:
    o = options_as(op.options, ConvOptions)
    return Tile(o.stride_w, o.stride_h)


@rule("CONV_2D", check=_conv_check)
def lower_conv(graph: Graph, op: Operator) -> KernelCall:
    x, w, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "filter"), output(graph, op)
    b = optional(graph, op, 2)
    assert x.quant and w.quant and y.quant
    stride, dilation = _stride(op), _dilation(op)
    padding, _, _ = quant.conv_padding(options_as(op.options, ConvOptions).padding, x.shape[1:3], w.shape[1:3], stride, dilation)
    params = ConvParams(
        input_offset=quant.input_offset(x.quant.zero_point),
        output_offset=quant.output_offset(y.quant.zero_point),
        stride=stride,
        padding=padding,
        dilation=dilation,
        activation=activation_of(op, y),
    )
    qp = quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, w.shape[0])
    bias = None if b is None else b.data
    if bias is None and x.shape[3] != w.shape[3]:
        bias = np.zeros(w.shape[0], dtype=np.int32)  # Arm's grouped convolution reads its bias (NULL crashes it)
    if w.is_int4:
        return _conv_s4_call(op, params, qp, x, w, y, bias)
    return KernelCall(
        op=op,
        kernel="arm_convolve_wrapper_s8",
        args={"conv_params": params, "quant_params": qp, "input": TensorArg(x.index), "filter": w.data,
              "bias": bias, "output_shape": y.shape},
        outputs=(y.index,),
        variant=convolution.arm_convolve_wrapper_s8_variant(params, x.shape, w.shape, y.shape),
        scratch_bytes=convolution.arm_convolve_wrapper_s8_get_buffer_size(params, x.shape, w.shape, y.shape),
        macs=int(np.prod(y.shape)) * int(np.prod(w.shape[1:])),
    )


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
    x, w, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "filter"), output(graph, op)
    b = optional(graph, op, 2)
    assert x.quant and w.quant and y.quant
    stride, dilation = _stride(op), _dilation(op)
    padding, _, _ = quant.conv_padding(options_as(op.options, ConvOptions).padding, x.shape[1:3], w.shape[1:3], stride, dilation)
    params = DwConvParams(
        input_offset=quant.input_offset(x.quant.zero_point),
        output_offset=quant.output_offset(y.quant.zero_point),
        ch_mult=w.shape[3] // x.shape[3],  # the option's depth_multiplier is unreliable in new models
        stride=stride,
        padding=padding,
        dilation=dilation,
        activation=activation_of(op, y),
    )
    qp = quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, w.shape[3])
    if w.is_int4:
        return _depthwise_s4_call(op, params, qp, x, w, y, None if b is None else b.data)
    return KernelCall(
        op=op,
        kernel="arm_depthwise_conv_wrapper_s8",
        args={"dw_conv_params": params, "quant_params": qp, "input": TensorArg(x.index), "filter": w.data,
              "bias": None if b is None else b.data, "output_shape": y.shape},
        outputs=(y.index,),
        variant=depthwise.arm_depthwise_conv_wrapper_s8_variant(params, x.shape, w.shape, y.shape),
        scratch_bytes=depthwise.arm_depthwise_conv_wrapper_s8_get_buffer_size(params, x.shape, w.shape, y.shape),
        macs=int(np.prod(y.shape)) * w.shape[1] * w.shape[2],
    )


def _tc_check(graph: Graph, op: Operator) -> str | None:
    reason = _conv_check(graph, op, filter_slot=1, input_slot=2, bias_slot=3)
    if reason:
        return reason
    shape = tensor(graph, op, 0, "output shape")
    if not shape.is_constant:
        return "the output shape input is not constant"
    return None


@rule("TRANSPOSE_CONV", check=_tc_check)
def lower_transpose_conv(graph: Graph, op: Operator) -> KernelCall:
    w, x, y = tensor(graph, op, 1, "filter"), tensor(graph, op, 2, "input"), output(graph, op)
    b = optional(graph, op, 3)
    assert x.quant and w.quant and y.quant
    stride = _stride(op)
    padding, offsets = quant.transpose_conv_padding(options_as(op.options, ConvOptions).padding, y.shape[1:3], w.shape[1:3], stride)
    params = TransposeConvParams(
        input_offset=quant.input_offset(x.quant.zero_point),
        output_offset=quant.output_offset(y.quant.zero_point),
        stride=stride,
        padding=padding,
        padding_offsets=offsets,
        activation=activation_of(op, y),
    )
    qp = quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, w.shape[0])
    return KernelCall(
        op=op,
        kernel="arm_transpose_conv_wrapper_s8",
        args={"transpose_conv_params": params, "quant_params": qp, "input": TensorArg(x.index), "filter": w.data,
              "bias": None if b is None else b.data, "output_shape": y.shape},
        outputs=(y.index,),
        variant=transpose_conv.arm_transpose_conv_wrapper_s8_variant(params, x.shape, w.shape, y.shape),
        scratch_bytes=transpose_conv.arm_transpose_conv_s8_get_buffer_size(params, x.shape, w.shape, y.shape),
        macs=int(np.prod(x.shape)) * int(np.prod(w.shape[:3])),
    )


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
