"""AVERAGE_POOL_2D and MAX_POOL_2D to the CMSIS-NN pooling kernels (int8, or
16x8: int16 with zero point 0 to arm_avgpool_s16 / arm_max_pool_s16)."""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from ..kernels import pooling, s16
from ..params import PoolParams, Tile
from .common import activation_of, activation_of_s16, dtype_reason, first_reason, fused_activation_reason, is_int16, output, tensor, zero_point_s16_reason
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import PoolOptions, options_as


def _check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(
        dtype_reason(x, "input", [np.int8, np.int16]),
        dtype_reason(y, "output", [np.int16] if is_int16(x) else [np.int8]),
        zero_point_s16_reason(x, "input"),
        zero_point_s16_reason(y, "output"),
        None if len(x.shape) == 4 else "input must be 4-D",
        None if len(y.shape) == 4 else "output must be 4-D",
        fused_activation_reason(op),
    )
    if reason:
        return reason
    assert x.quant and y.quant
    if (x.quant.scale, x.quant.zero_point) != (y.quant.scale, y.quant.zero_point):
        return f"input and output quantisation differ ({x.type_label} pooling keeps them equal)"
    return None


def _lower(graph: Graph, op: Operator, kernel: str) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    o = options_as(op.options, PoolOptions)
    stride = Tile(o.stride_w, o.stride_h)
    filter_hw = (o.filter_height, o.filter_width)
    padding, _, _ = quant.conv_padding(o.padding, x.shape[1:3], filter_hw, stride)
    params = PoolParams(stride=stride, padding=padding, activation=activation_of_s16(op, y) if is_int16(x) else activation_of(op, y))
    scratch = 0
    if kernel == "arm_avgpool_s8":
        scratch = pooling.arm_avgpool_s8_get_buffer_size(y.shape[2], x.shape[3])
    elif kernel == "arm_avgpool_s16":
        scratch = s16.arm_avgpool_s16_get_buffer_size(y.shape[2], x.shape[3])
    return KernelCall(
        op=op,
        kernel=kernel,
        args={"pool_params": params, "input": TensorArg(x.index), "filter_hw": filter_hw, "output_shape": y.shape},
        outputs=(y.index,),
        scratch_bytes=scratch,
    )


@rule("AVERAGE_POOL_2D", check=_check)
def lower_average_pool(graph: Graph, op: Operator) -> KernelCall:
    return _lower(graph, op, "arm_avgpool_s16" if is_int16(tensor(graph, op, 0, "input")) else "arm_avgpool_s8")


@rule("MAX_POOL_2D", check=_check)
def lower_max_pool(graph: Graph, op: Operator) -> KernelCall:
    return _lower(graph, op, "arm_max_pool_s16" if is_int16(tensor(graph, op, 0, "input")) else "arm_max_pool_s8")
