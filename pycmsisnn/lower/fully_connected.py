"""FULLY_CONNECTED and BATCH_MATMUL to the CMSIS-NN matrix kernels."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..kernels import fully_connected
from ..params import Activation, BmmParams, FcParams, PerChannelQuant, PerTensorQuant
from .common import activation_of, dtype_reason, first_reason, fused_activation_reason, optional, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import BatchMatMulOptions, FullyConnectedOptions, options_as


def _fc_check(graph: Graph, op: Operator) -> str | None:
    x, w, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "weights"), output(graph, op)
    b = optional(graph, op, 2)
    reason = first_reason(
        dtype_reason(x, "input", [np.int8]),
        _fc_s4_reason(x, w) if w.is_int4 else dtype_reason(w, "weights", [np.int8]),
        None if w.is_constant else f"weights '{w.name}' are not constant",
        None if len(w.shape) == 2 else f"weights '{w.name}' are not 2-D",
        None if b is None else dtype_reason(b, "bias", [np.int32]),
        None if b is None or b.is_constant else f"bias '{b.name}' is not constant",
        dtype_reason(y, "output", [np.int8]),
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
    return None


@rule("FULLY_CONNECTED", check=_fc_check)
def lower_fully_connected(graph: Graph, op: Operator) -> KernelCall:
    x, w, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "weights"), output(graph, op)
    b = optional(graph, op, 2)
    assert x.quant and w.quant and y.quant
    out_ch, depth = w.shape
    batches = x.size // depth
    params = FcParams(
        input_offset=quant.input_offset(x.quant.zero_point),
        filter_offset=quant.input_offset(w.quant.zero_point),
        output_offset=quant.output_offset(y.quant.zero_point),
        activation=activation_of(op, y),
    )
    if w.quant.per_channel:
        qp = quant.per_channel_multipliers(x.quant.scale, w.quant.scales, y.quant.scale, out_ch)
    else:
        qp = quant.fc_multiplier(x.quant.scale, w.quant.scale, y.quant.scale)  # type: ignore[assignment]
    if w.is_int4:
        return _fc_s4_call(op, params, qp, x, w, y, None if b is None else b.data)
    return KernelCall(
        op=op,
        kernel="arm_fully_connected_wrapper_s8",
        args={"fc_params": params, "quant_params": qp, "input": TensorArg(x.index, (batches, depth)), "filter": w.data,
              "bias": None if b is None else b.data},
        outputs=(y.index,),
        variant=fully_connected.arm_fully_connected_wrapper_s8_variant(params, qp, (batches, depth), w.shape),
        scratch_bytes=fully_connected.arm_fully_connected_s8_get_buffer_size(w.shape),
        macs=batches * out_ch * depth,
    )


def _bmm_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "lhs"), tensor(graph, op, 1, "rhs"), output(graph, op)
    return first_reason(
        dtype_reason(a, "lhs", [np.int8]),
        dtype_reason(b, "rhs", [np.int8]),
        dtype_reason(y, "output", [np.int8]),
        None if 2 <= len(a.shape) <= 4 and 2 <= len(b.shape) <= 4 else "inputs must have rank 2 to 4",
    )


@rule("BATCH_MATMUL", check=_bmm_check)
def lower_batch_matmul(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "lhs"), tensor(graph, op, 1, "rhs"), output(graph, op)
    assert a.quant and b.quant and y.quant
    params = BmmParams(
        adj_x=options_as(op.options, BatchMatMulOptions).adj_x,
        adj_y=options_as(op.options, BatchMatMulOptions).adj_y,
        fc_params=FcParams(
            input_offset=quant.input_offset(a.quant.zero_point),
            filter_offset=quant.input_offset(b.quant.zero_point),
            output_offset=quant.output_offset(y.quant.zero_point),
            activation=Activation(),
        ),
    )
    rhs = b.data if b.is_constant else TensorArg(b.index)
    depth = a.shape[-2] if params.adj_x else a.shape[-1]
    return KernelCall(
        op=op,
        kernel="arm_batch_matmul_s8",
        args={"bmm_params": params, "quant_params": quant.batch_matmul_multiplier(a.quant.scale, b.quant.scale, y.quant.scale),
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
