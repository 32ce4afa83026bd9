"""SVDF (int8 input and output) to ``arm_svdf_state_s16_s8`` (int16
activation state and time weights: what the TFLite converter produces) or
``arm_svdf_s8`` (int8 state and time weights).

Inputs: 0 input [batches, input size], 1 weights_feature [filters, input
size], 2 weights_time [filters, memory], 3 bias [filters / rank] (optional),
4 activation_state [batches, filters * memory], a variable tensor the kernel
updates in place (the runtime's ``ModelState``, generated C's ``NAME_state``).
The two requantisations are ``quant.svdf_quant``. TensorFlow Lite Micro's
integer SVDF ignores the fused activation (measured: a RELU SVDF gives
outputs below the output zero point), so the output clamp is the int8
range whatever the option says; the new state values are clamped to the
state type's range. Float and hybrid SVDF are refused.
"""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..operator_options import SvdfOptions, options_as
from ..params import Activation, SvdfParams
from .common import derivation_reason, dtype_reason, first_reason, optional, output, per_tensor_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule

_STATE_RANGE = {np.dtype(np.int16): (-32768, 32767), np.dtype(np.int8): (-128, 127)}


def _tensors(graph: Graph, op: Operator) -> tuple[Tensor, Tensor, Tensor, Tensor | None, Tensor, Tensor]:
    return (tensor(graph, op, 0, "input"), tensor(graph, op, 1, "weights_feature"), tensor(graph, op, 2, "weights_time"),
            optional(graph, op, 3), tensor(graph, op, 4, "activation_state"), output(graph, op))


def _check(graph: Graph, op: Operator) -> str | None:
    if len(op.inputs) != 5:
        return f"SVDF takes 5 inputs (input, weights_feature, weights_time, bias, activation_state), got {len(op.inputs)}"
    x, wf, wt, b, s, y = _tensors(graph, op)
    reason = first_reason(
        dtype_reason(x, "input", [np.int8]), dtype_reason(y, "output", [np.int8]),
        dtype_reason(wf, "weights_feature", [np.int8]), dtype_reason(s, "activation_state", [np.int16, np.int8]),
        dtype_reason(wt, "weights_time", [s.dtype.type]) if s.dtype in _STATE_RANGE else None,
        dtype_reason(b, "bias", [np.int32]) if b is not None else None,
    )
    if reason:
        return reason
    for t, role in ((x, "input"), (y, "output"), (wf, "weights_feature"), (wt, "weights_time"), (s, "activation_state")):
        reason = per_tensor_reason(t, role)
        if reason:
            return reason
    if wf.data is None or wt.data is None or (b is not None and b.data is None):
        return "weights_feature, weights_time and bias must be constant tensors"
    if not s.is_variable or s.is_constant:
        return f"activation_state '{s.name}' must be a variable tensor"
    for t, role in ((wf, "weights_feature"), (wt, "weights_time"), (s, "activation_state")):
        assert t.quant is not None
        if t.quant.zero_point != 0:
            return f"{role} '{t.name}' has zero point {t.quant.zero_point}; TFLite Micro's integer SVDF needs 0"
    o = options_as(op.options, SvdfOptions)
    if len(x.shape) != 2 or len(wf.shape) != 2 or len(wt.shape) != 2 or len(s.shape) != 2 or len(y.shape) != 2:
        return "input, weights, state and output must be 2-D"
    batches, input_size = x.shape
    filters, memory = wt.shape
    if wf.shape != (filters, input_size):
        return f"weights_feature shape {list(wf.shape)} does not match [{filters}, {input_size}] (filters, input size)"
    if o.rank < 1 or filters % o.rank:
        return f"rank {o.rank} does not divide the {filters} filters"
    units = filters // o.rank
    if b is not None and b.shape != (units,):
        return f"bias shape {list(b.shape)}, expected [{units}] (units)"
    if s.shape != (batches, filters * memory):
        return f"activation_state shape {list(s.shape)}, expected [{batches}, {filters * memory}]"
    if y.shape != (batches, units):
        return f"output shape {list(y.shape)}, expected [{batches}, {units}]"
    assert x.quant and wf.quant and wt.quant and s.quant and y.quant
    return derivation_reason(quant.svdf_quant, x.quant.scale, wf.quant.scale, s.quant.scale, wt.quant.scale, y.quant.scale)


@rule("SVDF", check=_check)
def lower_svdf(graph: Graph, op: Operator) -> KernelCall:
    x, wf, wt, b, s, y = _tensors(graph, op)
    assert x.quant and wf.quant and wt.quant and s.quant and y.quant
    o = options_as(op.options, SvdfOptions)
    batches, input_size = x.shape
    filters, memory = wt.shape
    units = filters // o.rank
    params = SvdfParams(
        rank=o.rank,
        input_offset=int(x.quant.zero_point),  # Arm's SVDF kernels subtract it (see SvdfParams)
        output_offset=quant.output_offset(y.quant.zero_point),
        input_activation=Activation(*_STATE_RANGE[s.dtype]),
        output_activation=Activation(-128, 127),
    )
    q = quant.svdf_quant(x.quant.scale, wf.quant.scale, s.quant.scale, wt.quant.scale, y.quant.scale)
    kernel = "arm_svdf_state_s16_s8" if s.dtype == np.int16 else "arm_svdf_s8"
    return KernelCall(
        op=op,
        kernel=kernel,
        args={"svdf_params": params, "svdf_quant": q, "input": TensorArg(x.index), "state": TensorArg(s.index),
              "weights_feature": np.asarray(wf.data), "weights_time": np.asarray(wt.data),
              "bias": None if b is None else np.asarray(b.data)},
        outputs=(y.index,),
        scratch_bytes=4 * batches * (filters + units),
        macs=batches * filters * (input_size + memory),
        notes={"rank": o.rank, "memory": memory, "units": units, "state": s.type_label},
    )
