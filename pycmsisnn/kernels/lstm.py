"""UNIDIRECTIONAL_SEQUENCE_LSTM: Arm's ``arm_lstm_unidirectional_s8`` (int8
input and output, int16 cell state) and ``arm_lstm_unidirectional_s16``
(16x8: int16 input and output), with ``params.LstmParams`` from
``pycmsisnn.quant_lstm.lstm_params``.

The input is [time, batch, input_size] when ``params.time_major``, else
[batch, time, input_size]; the output likewise with hidden_size. ``state``:
None starts from a zero state (the kernel's ``hidden_state`` NULL: the cell
state zeroed, no recurrent product in the first step); otherwise a
(hidden_state, cell_state) pair of arrays ([batch, hidden_size], the
output's dtype, and int16) that the kernel reads as the state to start from
and overwrites with the state after the last step (TFLite Micro's variable
tensors: the runtime passes the model state's arrays, and a replayed call
points the context at the arrays of its run, see ``_binding.bind_field``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..params import LstmGate, LstmParams
from ._binding import bind_field
from ._base import (
    check_array,
    DIM_MAX,
    INT16_MAX,
    INT32_MAX,
    check_input_offset,
    check_int,
    check_multiplier,
    check_output_offset,
    check_shift,
    fail,
    ffi,
    invoke,
    keep_alive,
    lib,
    ptr,
)

ACTIVATIONS = {"sigmoid": "ARM_SIGMOID", "tanh": "ARM_TANH"}
S64_SHIFT_MAX = 14  # pcn_requantize_s64 (the 16x8 gate products)
CELL_POWER_RANGE = (-29, -1)  # the cell's tanh takes left shifts -17..11 (power + 12)


def _array(k: str, name: str, arr: Any, dtype: type, shape: tuple[int, ...] | None = None, size: int | None = None) -> np.ndarray:
    """check_array, then the exact shape (or size) the kernel reads."""
    a = check_array(k, name, arr, dtype)
    if shape is not None and tuple(a.shape) != tuple(shape):
        raise fail(k, name, f"must have shape {list(shape)}, got {list(a.shape)}")
    if size is not None and a.size != size:
        raise fail(k, name, f"must have {size} elements, got {a.size}")
    return a


def _gate(k: str, name: str, g: LstmGate, p: LstmParams, bias_dtype: type, shift_max: int) -> dict[str, Any]:
    if not isinstance(g, LstmGate):
        raise fail(k, name, f"must be an LstmGate, got {type(g).__name__}")
    w = _array(k, f"{name}.input_weights", g.input_weights, np.int8, shape=(p.hidden_size, p.input_size))
    r = _array(k, f"{name}.hidden_weights", g.hidden_weights, np.int8, shape=(p.hidden_size, p.hidden_size))
    ib = _array(k, f"{name}.input_effective_bias", g.input_effective_bias, bias_dtype, shape=(p.hidden_size,))
    hb = _array(k, f"{name}.hidden_effective_bias", g.hidden_effective_bias, bias_dtype, shape=(p.hidden_size,))
    b = _array(k, f"{name}.bias", g.bias, bias_dtype, shape=(p.hidden_size,))
    if g.activation not in ACTIVATIONS:
        raise fail(k, f"{name}.activation", f"must be one of {sorted(ACTIVATIONS)}, got {g.activation!r}")
    shifts = {}
    for part in ("input", "hidden"):
        check_multiplier(k, f"{name}.{part}_multiplier", getattr(g, f"{part}_multiplier"))
        shifts[part] = check_shift(k, f"{name}.{part}_shift", getattr(g, f"{part}_shift"))
        if shifts[part] > shift_max:
            raise fail(k, f"{name}.{part}_shift", f"{shifts[part]} is above {shift_max}")
    ctype = "int32_t" if bias_dtype is np.int32 else "int64_t"
    return {
        "input_multiplier": int(g.input_multiplier), "input_shift": shifts["input"],
        "input_weights": ptr(w, "int8_t"), "input_effective_bias": ptr(ib, ctype),
        "hidden_multiplier": int(g.hidden_multiplier), "hidden_shift": shifts["hidden"],
        "hidden_weights": ptr(r, "int8_t"), "hidden_effective_bias": ptr(hb, ctype),
        "bias": ptr(b, ctype), "activation_type": getattr(lib, ACTIVATIONS[g.activation]),
    }


def _lstm(k: str, input: np.ndarray, params: LstmParams, state: Any, dtype: type, bias_dtype: type) -> np.ndarray:  # noqa: A002
    if not isinstance(params, LstmParams):
        raise fail(k, "params", f"must be an LstmParams, got {type(params).__name__}")
    p = params
    for name in ("batch_size", "input_size", "hidden_size"):
        check_int(k, f"params.{name}", getattr(p, name), 1, DIM_MAX)
    check_int(k, "params.time_steps", p.time_steps, 1, DIM_MAX)
    lead = (p.time_steps, p.batch_size) if p.time_major else (p.batch_size, p.time_steps)
    x = _array(k, "input", input, dtype, shape=(*lead, p.input_size))
    if dtype is np.int8:
        check_input_offset(k, "params.input_offset", p.input_offset)
    if dtype is np.int16 and (p.input_offset != 0 or p.output_offset != 0):
        raise fail(k, "params", "16x8 offsets must be 0 (int16 tensors are symmetric)")
    if dtype is np.int8:
        check_output_offset(k, "params.output_offset", p.output_offset)
    for name in ("forget_to_cell", "input_to_cell", "output"):
        check_multiplier(k, f"params.{name}_multiplier", getattr(p, f"{name}_multiplier"))
        check_shift(k, f"params.{name}_shift", getattr(p, f"{name}_shift"))
    check_int(k, "params.cell_clip", p.cell_clip, 0, INT16_MAX)
    check_int(k, "params.cell_scale_power", p.cell_scale_power, *CELL_POWER_RANGE)
    if p.batch_size * p.hidden_size > INT32_MAX // 2:
        raise fail(k, "params", "batch_size * hidden_size is too large")
    shift_max = 30 if dtype is np.int8 else S64_SHIFT_MAX
    gates = {n: _gate(k, f"params.{n}", g, p, bias_dtype, shift_max)
             for n, g in zip(("forget_gate", "input_gate", "cell_gate", "output_gate"), p.gates)}
    c_params = ffi.new("cmsis_nn_lstm_params *", {
        "time_major": int(bool(p.time_major)), "batch_size": p.batch_size, "time_steps": p.time_steps,
        "input_size": p.input_size, "hidden_size": p.hidden_size, "input_offset": p.input_offset,
        "forget_to_cell_multiplier": p.forget_to_cell_multiplier, "forget_to_cell_shift": p.forget_to_cell_shift,
        "input_to_cell_multiplier": p.input_to_cell_multiplier, "input_to_cell_shift": p.input_to_cell_shift,
        "cell_clip": p.cell_clip, "cell_scale_power": p.cell_scale_power,
        "output_multiplier": p.output_multiplier, "output_shift": p.output_shift, "output_offset": p.output_offset,
        **gates,
    })
    keep_alive(c_params)
    n = p.batch_size * p.hidden_size
    temp1, temp2 = np.zeros(n, np.int16), np.zeros(n, np.int16)
    for buf in (temp1, temp2):
        keep_alive(buf)
    ctx = ffi.new("cmsis_nn_lstm_context *", {"temp1": ffi.from_buffer(temp1), "temp2": ffi.from_buffer(temp2)})
    keep_alive(ctx)
    if state is None:
        cell = np.zeros(n, np.int16)
        keep_alive(cell)
        ctx.cell_state, ctx.hidden_state = ffi.from_buffer(cell), ffi.NULL
    else:
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise fail(k, "state", "must be None or a (hidden_state, cell_state) pair")
        hidden = _array(k, "state[0] (hidden_state)", state[0], dtype, size=n)
        cell = _array(k, "state[1] (cell_state)", state[1], np.int16, size=n)
        if not (hidden.flags.c_contiguous and cell.flags.c_contiguous and hidden.flags.writeable and cell.flags.writeable):
            raise fail(k, "state", "hidden_state and cell_state must be writable C-contiguous arrays (updated in place)")
        if np.shares_memory(hidden, cell):
            raise fail(k, "state", "hidden_state and cell_state must not overlap")
        # The runtime's variable tensors: a replay of the recorded call points
        # the context at the state arrays of that run.
        bind_field(ctx, "hidden_state", hidden)
        bind_field(ctx, "cell_state", cell)
    ctype = "int8_t" if dtype is np.int8 else "int16_t"
    out: np.ndarray = np.empty((*lead, p.hidden_size), dtype=dtype)
    fn = lib.arm_lstm_unidirectional_s8 if dtype is np.int8 else lib.arm_lstm_unidirectional_s16
    return invoke(k, fn, ptr(x, ctype), ptr(out, ctype), c_params, ctx, output=out)


def arm_lstm_unidirectional_s8(input: np.ndarray, params: LstmParams, state: Any = None) -> np.ndarray:  # noqa: A002
    """int8 UNIDIRECTIONAL_SEQUENCE_LSTM (int32 effective biases); see the module docstring."""
    return _lstm("arm_lstm_unidirectional_s8", input, params, state, np.int8, np.int32)


def arm_lstm_unidirectional_s16(input: np.ndarray, params: LstmParams, state: Any = None) -> np.ndarray:  # noqa: A002
    """16x8 UNIDIRECTIONAL_SEQUENCE_LSTM (int64 effective biases); see the module docstring."""
    return _lstm("arm_lstm_unidirectional_s16", input, params, state, np.int16, np.int64)
