"""UNIDIRECTIONAL_SEQUENCE_LSTM to Arm's ``arm_lstm_unidirectional_s8``
(int8 input and output, int8 weights, int32 biases, int16 cell state: what
TensorFlow's converter makes of a Keras LSTM) and ``_s16`` (16x8: int16
input, output and hidden state, int64 biases).

What TFLite Micro's integer LSTM runs and Arm's kernel computes: the four
gates with their input and recurrent weights and biases, TANH as the cell
activation, time major or batch major, any batch. Refused by name: CIFG (no
input gate), peephole, projection and layer normalisation weights, the
diagonal recurrent form, hybrid (float) models, per-channel weights, and a
cell state whose scale is not a power of two.

State: TFLite Micro keeps the hidden state (input 18, the output's type:
int8, or int16 in 16x8) and the cell state (input 19, int16) in variable
tensors carried from one invoke to the next, from their reset values (the
hidden state's zero point, a zero cell state: TFLite Micro, as the kernel,
ignores a cell state zero point). The call passes both as
``state=(hidden, cell)`` tensor arguments: the kernel starts from them (its
context's ``hidden_state`` and ``cell_state``) and writes the state after
the last step back in place, so they live in the runtime's ``ModelState``
and in generated C's ``NAME_state`` buffer.
"""
from __future__ import annotations

import numpy as np

from .. import quant_lstm
from ..ir import Graph, Operator, Tensor
from ..operator_options import Activation, SequenceLSTMOptions, options_as
from ..quant import QuantError
from .common import dtype_reason, first_reason, optional, output, per_tensor_reason, tensor
from .plan import KernelCall, TensorArg
from .registry import rule

# TFLite's input slots of UNIDIRECTIONAL_SEQUENCE_LSTM
INPUT_WEIGHTS = (1, 2, 3, 4)  # input to input, forget, cell, output gate
RECURRENT_WEIGHTS = (5, 6, 7, 8)
PEEPHOLE = (9, 10, 11)
BIASES = (12, 13, 14, 15)
PROJECTION = (16, 17)
OUTPUT_STATE, CELL_STATE = 18, 19
LAYER_NORM = (20, 21, 22, 23)
GATES = ("input", "forget", "cell", "output")
S16 = np.dtype(np.int16)


def _refused_inputs(graph: Graph, op: Operator) -> str | None:
    """CIFG, peephole, projection, layer norm: named when present (or absent)."""
    if optional(graph, op, INPUT_WEIGHTS[0]) is None or optional(graph, op, RECURRENT_WEIGHTS[0]) is None:
        return "CIFG (coupled input and forget gate: no input gate weights) is not supported"
    for slots, what in ((PEEPHOLE, "peephole (cell to gate) weights"), (PROJECTION, "projection weights / bias"),
                        (LAYER_NORM, "layer normalisation coefficients")):
        present = [s for s in slots if optional(graph, op, s) is not None]
        if present:
            return f"{what} (input {present[0]}) are not supported"
    return None


def _check(graph: Graph, op: Operator) -> str | None:
    opts = options_as(op.options, SequenceLSTMOptions)
    if len(op.inputs) < 20:
        return f"the operator has {len(op.inputs)} inputs, an UNIDIRECTIONAL_SEQUENCE_LSTM has 20 or 24"
    reason = _refused_inputs(graph, op)
    if reason:
        return reason
    if opts.fused_activation_function != Activation.TANH:
        return f"cell activation {opts.fused_activation_function.name} is not supported (TANH only)"
    if opts.diagonal_recurrent_tensors:
        return "diagonal recurrent weights are not supported"
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    h, c = tensor(graph, op, OUTPUT_STATE, "output state"), tensor(graph, op, CELL_STATE, "cell state")
    reason = first_reason(
        dtype_reason(x, "input", [np.int8, np.int16]),
        dtype_reason(y, "output", [x.dtype.type]),
        dtype_reason(h, "output state", [x.dtype.type]),
        dtype_reason(c, "cell state", [np.int16]),
        per_tensor_reason(x, "input"), per_tensor_reason(h, "output state"), per_tensor_reason(c, "cell state"),
    )
    if reason:
        return reason
    for t, role in ((h, "output state"), (c, "cell state")):
        if not t.is_variable or t.is_constant:
            return f"{role} '{t.name}' (input {OUTPUT_STATE if t is h else CELL_STATE}) must be a variable tensor (the state carried across invokes)"
    wdt = [np.int8]
    for slot, gate in zip(INPUT_WEIGHTS + RECURRENT_WEIGHTS, GATES + GATES):
        role = f"{'input' if slot in INPUT_WEIGHTS else 'recurrent'} to {gate} weights"
        w = tensor(graph, op, slot, role)
        reason = first_reason(dtype_reason(w, role, wdt), per_tensor_reason(w, role),
                              None if w.is_constant else f"{role} '{w.name}' are not constant")
        if reason:
            return reason
    bias_dt = np.int64 if x.dtype == S16 else np.int32
    for slot, gate in zip(BIASES, GATES):
        b = optional(graph, op, slot)
        if b is None:
            return f"the {gate} gate bias is missing"
        if b.dtype != np.dtype(bias_dt) or not b.is_constant:
            return f"{gate} gate bias '{b.name}' must be a constant {np.dtype(bias_dt).name}"
    if len(x.shape) != 3:
        return f"input '{x.name}' has rank {len(x.shape)}; the kernel takes [time, batch, features] or [batch, time, features]"
    steps, batch = (x.shape[0], x.shape[1]) if opts.time_major else (x.shape[1], x.shape[0])
    hidden = tensor(graph, op, RECURRENT_WEIGHTS[1], "recurrent weights").shape[0]
    lead = (steps, batch) if opts.time_major else (batch, steps)
    if tuple(y.shape) != (*lead, hidden):
        return f"output shape {list(y.shape)} is not {[*lead, hidden]}"
    for t, role in ((h, "output state"), (c, "cell state")):
        if t.size != batch * hidden:
            return f"{role} '{t.name}' has shape {list(t.shape)}; the LSTM's state is [{batch}, {hidden}] (batch, units)"
    if x.dtype == S16 and any(t.quant is not None and t.quant.zero_point != 0 for t in (x, y, h)):
        return "16x8 activations must have zero point 0"
    try:
        _params(graph, op)
    except (QuantError, ValueError) as exc:
        return str(exc)
    return None


def _params(graph: Graph, op: Operator):  # noqa: ANN202 - LstmParams
    opts = options_as(op.options, SequenceLSTMOptions)
    x, h, c = tensor(graph, op, 0, "input"), tensor(graph, op, OUTPUT_STATE, "output state"), tensor(graph, op, CELL_STATE, "cell state")
    assert x.quant and h.quant and c.quant
    steps, batch = (x.shape[0], x.shape[1]) if opts.time_major else (x.shape[1], x.shape[0])

    def weights(slot: int) -> tuple[np.ndarray, float]:
        w: Tensor = tensor(graph, op, slot, "weights")
        assert w.quant is not None and w.data is not None
        return w.data, w.quant.scale

    biases = []
    for s in BIASES:
        b = tensor(graph, op, s, "bias").data
        assert b is not None  # checked constant
        biases.append(b)
    return quant_lstm.lstm_params(
        time_major=opts.time_major, batch_size=batch, time_steps=steps,
        input_scale=x.quant.scale, input_zero_point=x.quant.zero_point,
        hidden_scale=h.quant.scale, hidden_zero_point=h.quant.zero_point,
        cell_scale=c.quant.scale, cell_clip=opts.cell_clip,
        input_weights=[weights(s) for s in INPUT_WEIGHTS], recurrent_weights=[weights(s) for s in RECURRENT_WEIGHTS],
        biases=biases, bias_dtype=np.int64 if x.dtype == S16 else np.int32,
    )


@rule("UNIDIRECTIONAL_SEQUENCE_LSTM", check=_check)
def lower_lstm(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    h, c = tensor(graph, op, OUTPUT_STATE, "output state"), tensor(graph, op, CELL_STATE, "cell state")
    p = _params(graph, op)
    kernel = "arm_lstm_unidirectional_s16" if x.dtype == S16 else "arm_lstm_unidirectional_s8"
    macs = p.time_steps * p.batch_size * 4 * p.hidden_size * (p.input_size + p.hidden_size)
    return KernelCall(
        op=op,
        kernel=kernel,
        args={"input": TensorArg(x.index), "params": p, "state": (TensorArg(h.index), TensorArg(c.index))},
        outputs=(y.index,),
        scratch_bytes=2 * p.batch_size * p.hidden_size * 2,  # temp1, temp2 (the cell state is a variable tensor)
        macs=macs,
        notes={"cell_scale_power": p.cell_scale_power, "cell_clip": p.cell_clip, "time_major": p.time_major,
               "state": f"{h.type_label} hidden, {c.type_label} cell"},
    )
