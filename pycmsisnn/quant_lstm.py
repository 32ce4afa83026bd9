"""The parameters of an integer UNIDIRECTIONAL_SEQUENCE_LSTM, as TensorFlow
Lite Micro derives them (int8: int8 activations, int16 cell state; 16x8:
int16 activations), into ``params.LstmParams`` for Arm's
``arm_lstm_unidirectional_s8`` / ``_s16``.

* Gates: each gate's input and recurrent products are requantised onto the
  gate scale 2^-12 (Q3.12, the sigmoid / tanh input). Their effective scales,
  ``s_input * s_weight / 2^-12`` and ``s_hidden * s_recurrent_weight / 2^-12``,
  are computed in float32 as TFLite Micro does, then quantised.
* Cell update: forget gate (Q0.15) * cell onto the cell scale, and input gate
  * cell gate (Q0.15 x Q0.15) onto it, in double.
* Hidden state: output gate * tanh(cell) (Q0.15 x Q0.15) onto the hidden
  state's scale, with its zero point, in double.
* The cell state's scale must be a power of two (2^cell_scale_power); the
  cell clip of the options is quantised to it (saturated to int16, 0: none).
* Effective biases fold the zero points into the biases (Arm's kernel adds
  no offsets): bias + input_offset * row sums, and -hidden_zero_point * row
  sums of the recurrent weights.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .params import LstmGate, LstmParams
from .quant import QuantError, input_offset, quantize_multiplier

GATE_SCALE = 2.0**-12  # the gates' products are on Q3.12
Q15 = 2.0**-15  # the gates' outputs (sigmoid, tanh) are on Q0.15
GATE_ACTIVATIONS = ("sigmoid", "sigmoid", "tanh", "sigmoid")  # TFLite order: input, forget, cell, output


def gate_multiplier(activation_scale: float, weight_scale: float) -> tuple[int, int]:
    """(multiplier, shift) of a gate product: activation scale * weight scale
    / 2^-12, in float32 arithmetic."""
    effective = np.float32(np.float32(activation_scale) * np.float32(weight_scale)) / np.float32(GATE_SCALE)
    if not math.isfinite(float(effective)) or float(effective) <= 0.0:
        raise QuantError(f"gate scale {float(effective)} from {activation_scale} x {weight_scale} is not positive and finite")
    return quantize_multiplier(float(effective))


def mul_multiplier(scale_1: float, scale_2: float, output_scale: float) -> tuple[int, int]:
    """(multiplier, shift) of an int16 product requantised to ``output_scale`` (double)."""
    effective = float(np.float32(scale_1)) * float(np.float32(scale_2)) / float(np.float32(output_scale))
    return quantize_multiplier(effective)


def cell_scale_power(cell_scale: float) -> int:
    """The exponent of the cell state's scale, which must be a power of two."""
    s = float(np.float32(cell_scale))
    if s <= 0.0:
        raise QuantError(f"cell state scale {s} is not positive")
    m, e = math.frexp(s)
    if m != 0.5:
        raise QuantError(f"cell state scale {s} is not a power of two (TFLite Micro's integer LSTM needs one)")
    return e - 1


def quantized_cell_clip(cell_clip: float, cell_scale: float) -> int:
    """The options' cell clip on the cell state's grid, saturated to int16 (0: no clip)."""
    if cell_clip <= 0.0:
        return 0
    q = float(np.float32(cell_clip)) / float(np.float32(cell_scale))
    return int(min(max(q, -32768.0), 32767.0))


def effective_bias(weights: np.ndarray, offset: int, bias: np.ndarray | None, dtype: type) -> np.ndarray:
    """bias + offset * (row sums of the weights), in ``dtype`` (int32 or int64)."""
    sums = weights.astype(np.int64).sum(axis=1) * int(offset)
    if bias is not None:
        sums = sums + bias.astype(np.int64)
    info = np.iinfo(dtype)
    if sums.size and (sums.min() < info.min or sums.max() > info.max):
        raise QuantError(f"an effective bias does not fit {np.dtype(dtype).name}")
    return sums.astype(dtype)


def lstm_params(*, time_major: bool, batch_size: int, time_steps: int, input_scale: float, input_zero_point: int,
                hidden_scale: float, hidden_zero_point: int, cell_scale: float, cell_clip: float,
                input_weights: Sequence[tuple[np.ndarray, float]], recurrent_weights: Sequence[tuple[np.ndarray, float]],
                biases: Sequence[np.ndarray], bias_dtype: type) -> LstmParams:
    """Every derived parameter of the LSTM. ``input_weights``,
    ``recurrent_weights`` (int8 arrays with their per-tensor scales) and
    ``biases`` are in TFLite's gate order: input, forget, cell, output."""
    power = cell_scale_power(cell_scale)
    in_off = input_offset(input_zero_point)
    gates = []
    for (w, ws), (r, rs), b, act in zip(input_weights, recurrent_weights, biases, GATE_ACTIVATIONS):
        im, ish = gate_multiplier(input_scale, ws)
        hm, hsh = gate_multiplier(hidden_scale, rs)
        gates.append(LstmGate(
            input_multiplier=im, input_shift=ish, input_weights=np.ascontiguousarray(w, dtype=np.int8),
            input_effective_bias=effective_bias(w, in_off, b, bias_dtype),
            hidden_multiplier=hm, hidden_shift=hsh, hidden_weights=np.ascontiguousarray(r, dtype=np.int8),
            hidden_effective_bias=effective_bias(r, -int(hidden_zero_point), None, bias_dtype),
            bias=np.ascontiguousarray(b, dtype=bias_dtype), activation=act,
        ))
    # TFLite's order is input, forget, cell, output; the gates above follow it
    gi, gf, gc, go = gates
    input_size, hidden_size = int(gi.input_weights.shape[1]), int(gi.input_weights.shape[0])
    f2c = mul_multiplier(Q15, cell_scale, cell_scale)
    i2c = mul_multiplier(Q15, Q15, cell_scale)
    out = mul_multiplier(Q15, Q15, hidden_scale)
    return LstmParams(
        time_major=bool(time_major), batch_size=int(batch_size), time_steps=int(time_steps),
        input_size=input_size, hidden_size=hidden_size, input_offset=in_off,
        forget_to_cell_multiplier=f2c[0], forget_to_cell_shift=f2c[1],
        input_to_cell_multiplier=i2c[0], input_to_cell_shift=i2c[1],
        cell_clip=quantized_cell_clip(cell_clip, cell_scale), cell_scale_power=power,
        output_multiplier=out[0], output_shift=out[1], output_offset=int(hidden_zero_point),
        forget_gate=gf, input_gate=gi, cell_gate=gc, output_gate=go,
    )
