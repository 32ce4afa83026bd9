"""FULLY_CONNECTED and BATCH_MATMUL to the CMSIS-NN matrix kernels.

int8 activations go to ``arm_fully_connected_wrapper_s8`` and
``arm_batch_matmul_s8``; int16 ones (TFLite's 16x8 scheme: int8 weights,
zero points 0) to ``arm_fully_connected_s16`` (per-tensor weights, int64
bias) and ``arm_batch_matmul_s16``. A 16x8 FULLY_CONNECTED with per-channel
weights or an int32 bias, which TFLite Micro's reference computes and
CMSIS-NN has no kernel for, goes to our
``pycmsisnn_fully_connected_per_channel_s16``. int4 weights (int8
activations) go to ``arm_fully_connected_s4``. Checks, shapes and parameters
are one derivation for all.
"""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..kernels import fully_connected, s16
from ..params import Activation, BmmParams, FcParams, PerChannelQuant, PerTensorQuant
from .common import activation_of, derivation_reason, dtype_reason, first_reason, fused_activation_reason, optional, output, zero_point_s16_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..kernels.conv_fc_s16 import S32_SHIFT_MAX, S64_SHIFT_MAX
from ..operator_options import BatchMatMulOptions, FullyConnectedOptions, options_as

S16 = np.dtype(np.int16)
INT32_TENSOR_TYPE = 2  # TFLite's TensorType.INT32
FULL_S16 = Activation(-32768, 32767)


def _fc_tensors(graph: Graph, op: Operator) -> tuple[Tensor, Tensor, Tensor | None, Tensor]:
    return tensor(graph, op, 0, "input"), tensor(graph, op, 1, "weights"), optional(graph, op, 2), output(graph, op)


def _fc_bias(op: Operator, w: Tensor, b: Tensor | None) -> np.ndarray | None:
    """The bias as the kernel takes it: a 16x8 layer without bias whose model
    asks for 32-bit sums (quantized_bias_type INT32) gets a zero int32 one."""
    if b is not None:
        return b.data
    s16_int32 = options_as(op.options, FullyConnectedOptions).quantized_bias_type == INT32_TENSOR_TYPE
    return np.zeros(w.shape[0], dtype=np.int32) if s16_int32 else None


def _fc_quant(x: Tensor, w: Tensor, y: Tensor, bias: np.ndarray | None) -> PerTensorQuant | PerChannelQuant:
    """Per-channel multipliers for per-channel weights (and, in 16x8, for an
    int32 bias: our per-channel kernel serves it), else the per-tensor one."""
    assert x.quant and w.quant and y.quant
    per_channel = w.quant.per_channel or (x.dtype == S16 and bias is not None and bias.dtype == np.int32)
    if per_channel:
        return quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, w.shape[0])
    if x.dtype == S16:
        return quant.fc_multiplier_s16(x.quant.scale, w.quant.scale, y.quant.scale)
    return quant.fc_multiplier(x.quant.scale, w.quant.scale, y.quant.scale)


def _fc_s16_reason(op: Operator, x: Tensor, w: Tensor, b: Tensor | None, y: Tensor) -> str | None:
    """What the 16x8 kernels add: zero points 0 (weights too), shifts in range."""
    assert w.quant is not None
    reason = first_reason(zero_point_s16_reason(x, "input"), zero_point_s16_reason(y, "output"))
    if reason:
        return reason
    if any(z != 0 for z in w.quant.zero_points):
        return f"weights '{w.name}' have zero point {w.quant.zero_point}; the 16x8 kernels take symmetric weights"
    bias = _fc_bias(op, w, b)
    try:
        q = _fc_quant(x, w, y, bias)
    except ValueError as exc:  # QuantError
        return str(exc)
    high = S32_SHIFT_MAX if bias is not None and bias.dtype == np.int32 else S64_SHIFT_MAX
    shifts = q.shift if isinstance(q, PerChannelQuant) else (q.shift,)
    bad = [s for s in shifts if s > high]
    return f"16x8 requantisation shift {bad[0]} is above {high} (scale ratio too large)" if bad else None


def _fc_check(graph: Graph, op: Operator) -> str | None:
    x, w, b, y = _fc_tensors(graph, op)
    reason = dtype_reason(x, "input", [np.int8, np.int16])
    if reason:
        return reason
    is_s16 = x.dtype == S16
    reason = first_reason(
        _fc_s4_reason(x, w) if w.is_int4 else dtype_reason(w, "weights", [np.int8]),
        None if w.is_constant else f"weights '{w.name}' are not constant",
        None if len(w.shape) == 2 else f"weights '{w.name}' are not 2-D",
        None if b is None else dtype_reason(b, "bias", [np.int64, np.int32] if is_s16 else [np.int32]),
        None if b is None or b.is_constant else f"bias '{b.name}' is not constant",
        dtype_reason(y, "output", [x.dtype.type]),
        fused_activation_reason(op),
    )
    if reason:
        return reason
    if x.size % w.shape[1] != 0:
        return f"input size {x.size} is not a multiple of the weights' depth {w.shape[1]}"
    batches, units = x.size // w.shape[1], w.shape[0]
    keep = options_as(op.options, FullyConnectedOptions).keep_num_dims
    expected = (*x.shape[:-1], units) if keep else (batches, units)
    if tuple(y.shape) != tuple(expected):
        # TFLite Micro computes with the output's own dimensions: any other shape is a corrupt model
        return f"output shape {list(y.shape)} is not {list(expected)} (batches x units{', input dims kept' if keep else ''})"
    if w.quant is not None and w.quant.per_channel and any(z != 0 for z in w.quant.zero_points):
        return "per-channel weights with non-zero zero points"
    return _fc_s16_reason(op, x, w, b, y) if is_s16 else None


@rule("FULLY_CONNECTED", check=_fc_check)
def lower_fully_connected(graph: Graph, op: Operator) -> KernelCall:
    x, w, b, y = _fc_tensors(graph, op)
    assert x.quant and w.quant and y.quant
    out_ch, depth = w.shape
    batches = x.size // depth
    params = FcParams(
        input_offset=quant.input_offset(x.quant.zero_point),
        filter_offset=quant.input_offset(w.quant.zero_point),
        output_offset=quant.output_offset(y.quant.zero_point),
        activation=activation_of(op, y),
    )
    bias = _fc_bias(op, w, b) if x.dtype == S16 else (None if b is None else b.data)
    qp = _fc_quant(x, w, y, bias)
    if w.is_int4:
        return _fc_s4_call(op, params, qp, x, w, y, bias)
    if x.dtype != S16:
        kernel = "arm_fully_connected_wrapper_s8"
        variant = fully_connected.arm_fully_connected_wrapper_s8_variant(params, qp, (batches, depth), w.shape)
        scratch = fully_connected.arm_fully_connected_s8_get_buffer_size(w.shape)
    elif isinstance(qp, PerChannelQuant):
        kernel, variant, scratch = "pycmsisnn_fully_connected_per_channel_s16", "", 0
    else:
        kernel, variant, scratch = "arm_fully_connected_s16", "", s16.arm_fully_connected_s16_get_buffer_size(w.shape)
    return KernelCall(
        op=op,
        kernel=kernel,
        args={"fc_params": params, "quant_params": qp, "input": TensorArg(x.index, (batches, depth)), "filter": w.data, "bias": bias},
        outputs=(y.index,),
        variant=variant,
        scratch_bytes=scratch,
        macs=batches * out_ch * depth,
    )


def _bmm_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "lhs"), tensor(graph, op, 1, "rhs"), output(graph, op)
    reason = dtype_reason(a, "lhs", [np.int8, np.int16])
    if reason:
        return reason
    reason = first_reason(
        dtype_reason(b, "rhs", [a.dtype.type]),
        dtype_reason(y, "output", [a.dtype.type]),
        None if 2 <= len(a.shape) <= 4 and 2 <= len(b.shape) <= 4 else "inputs must have rank 2 to 4",
    )
    if reason or a.dtype != S16:
        return reason
    assert a.quant and b.quant and y.quant
    return first_reason(
        zero_point_s16_reason(a, "lhs"), zero_point_s16_reason(b, "rhs"), zero_point_s16_reason(y, "output"),
        derivation_reason(quant.fc_multiplier_s16, a.quant.scale, b.quant.scale, y.quant.scale),
    )


@rule("BATCH_MATMUL", check=_bmm_check)
def lower_batch_matmul(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "lhs"), tensor(graph, op, 1, "rhs"), output(graph, op)
    assert a.quant and b.quant and y.quant
    is_s16 = a.dtype == S16
    params = BmmParams(
        adj_x=options_as(op.options, BatchMatMulOptions).adj_x,
        adj_y=options_as(op.options, BatchMatMulOptions).adj_y,
        fc_params=FcParams(
            input_offset=quant.input_offset(a.quant.zero_point),
            filter_offset=quant.input_offset(b.quant.zero_point),
            output_offset=quant.output_offset(y.quant.zero_point),
            activation=FULL_S16 if is_s16 else Activation(),
        ),
    )
    rhs = b.data if b.is_constant else TensorArg(b.index)
    depth = a.shape[-2] if params.adj_x else a.shape[-1]
    multiplier = quant.fc_multiplier_s16 if is_s16 else quant.batch_matmul_multiplier
    return KernelCall(
        op=op,
        kernel="arm_batch_matmul_s16" if is_s16 else "arm_batch_matmul_s8",
        args={"bmm_params": params, "quant_params": multiplier(a.quant.scale, b.quant.scale, y.quant.scale),
              "lhs": TensorArg(a.index), "rhs": rhs},
        outputs=(y.index,),
        macs=int(np.prod(y.shape)) * depth,
    )


# ------------------------------------------------------------ int4 weights
# TFLite's INT4 weights (int8 activations, per-tensor: TFLite Micro refuses
# them per channel and with int16 activations) go to arm_fully_connected_s4
# with the weights kept packed; the parameters are the int8 path's.


def _fc_s4_reason(x: Tensor, w: Tensor) -> str | None:
    """Why a FULLY_CONNECTED cannot take its int4 weights ``w``, or None."""
    if x.dtype != np.int8:
        return f"weights '{w.name}' are int4, input '{x.name}' is {x.type_label}: int4 weights take int8 activations only"
    if w.quant is None:
        return f"weights '{w.name}' have no quantisation parameters"
    if w.quant.per_channel:
        return f"weights '{w.name}' are int4 quantised per channel: int4 fully connected weights must be per tensor"
    return None


def _fc_s4_call(op: Operator, params: FcParams, qp: PerTensorQuant | PerChannelQuant, x: Tensor, w: Tensor, y: Tensor,
                bias: np.ndarray | None) -> KernelCall:
    assert isinstance(qp, PerTensorQuant)  # per-channel int4 weights are refused by the check
    out_ch, depth = w.shape
    batches = x.size // depth
    return KernelCall(
        op=op,
        kernel="arm_fully_connected_s4",
        args={"fc_params": params, "quant_params": qp, "input": TensorArg(x.index, (batches, depth)),
              "filter": w.packed_int4, "filter_shape": w.shape, "bias": bias},
        outputs=(y.index,),
        macs=batches * out_ch * depth,
    )
