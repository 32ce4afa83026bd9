"""LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU and HARD_SWISH (int8)
to our kernels of ``pycmsisnn_activations.h``.

The parameter derivations (in ``pycmsisnn.quant``) follow TensorFlow Lite
Micro's Prepare functions, including where they compute in float32 and where
in double:

* LOGISTIC / TANH: input scale * 2^27 split by frexp into a Q31 mantissa
  (rounded, never re-normalised) and a left shift; the input radius is
  floor(15 * 2^27 / 2^shift). Outputs are fixed at 1/256, -128 (LOGISTIC) and
  1/128, 0 (TANH).
* RELU: requantise by s_in / s_out (double), clamp to [max(-128, zp_out), 127].
* RELU6: TensorFlow Lite Micro clamps the raw input to [zp_in, q(6.0)] on the
  *input* scale and does not requantise, even when the converter gave the
  output another scale and zero point (TensorFlow Lite requantises; the two
  disagree on such models). We match TensorFlow Lite Micro: identity
  multiplier, clamp on the input scale.
* RELU_N1_TO_1: TensorFlow Lite Micro has no kernel; TensorFlow Lite's
  reference requantises by s_in / s_out (computed in float32) and clamps to
  [q(-1.0), q(1.0)] on the output scale. We match that.
* LEAKY_RELU: identity multiplier s_in / s_out, alpha multiplier
  s_in * alpha / s_out, both in double from the float32 values (a float32
  quotient misses TensorFlow Lite Micro by 1 on int16 inputs); a negative
  alpha multiplier requantises by its magnitude and negates.
* HARD_SWISH: float32 scales s_in / 128 over s_out and over 3 / 32768, each
  quantised to Q31 and reduced to Q15.

16x8 (int16 in and out, zero points 0, as TensorFlow Lite Micro requires):

* LOGISTIC / TANH: output scale 2^-15. Input scales 2^-12 and 2^-11 take
  TensorFlow Lite Micro's power-of-two path, ``arm_nn_activation_s16``; any
  other its general path, ``pycmsisnn_logistic_s16`` / ``pycmsisnn_tanh_s16``
  with the integer multiplier and shift of ``quant.sigmoid_tanh_s16_params``.
* RELU, RELU6, LEAKY_RELU: the int8 derivations with int16 bounds
  (``quant.relu_params_s16``, ``quant.leaky_relu_params_s16``) to
  ``pycmsisnn_relu_s16`` / ``pycmsisnn_leaky_relu_s16``. RELU_N1_TO_1 and
  HARD_SWISH stay int8 only (TensorFlow Lite Micro has no int16 kernel of them).
"""
from __future__ import annotations

import math

import numpy as np

from ..ir import Graph, Operator, Tensor
from ..quant import (activation_s16_pot_shift, hard_swish_params, leaky_relu_params,
                     leaky_relu_params_s16, relu_params, relu_params_s16, sigmoid_tanh_params, sigmoid_tanh_s16_params)
from .common import (derivation_reason, dtype_reason, first_reason, is_int16, output, per_tensor_reason, same_size_reason, tensor,
                     zero_point_s16_reason)
from .plan import KernelCall, TensorArg
from .registry import rule
from ..operator_options import LeakyReluOptions, options_as

INT8_MIN, INT8_MAX = -128, 127
# Output quantisation TensorFlow Lite Micro's LOGISTIC and TANH produce.
LOGISTIC_OUTPUT = (1.0 / 256, -128)
TANH_OUTPUT = (1.0 / 128, 0)


def _f32(x: float) -> float:
    return float(np.float32(x))


# -------------------------------------------------------------- the rules


def _unary_reason(graph: Graph, op: Operator, s16: bool = False) -> str | None:
    """Why input and output cannot be int8 (or, with ``s16``, both int16 with zero point 0)."""
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return first_reason(
        dtype_reason(x, "input", [np.int8, np.int16] if s16 else [np.int8]),
        dtype_reason(y, "output", [np.int16] if s16 and is_int16(x) else [np.int8]),
        per_tensor_reason(x, "input"),
        per_tensor_reason(y, "output"),
        zero_point_s16_reason(x, "input"),
        zero_point_s16_reason(y, "output"),
        same_size_reason(x, y),
    )


def _fixed_output_reason(y: Tensor, expected: tuple[float, int]) -> str | None:
    scale, zp = expected
    assert y.quant is not None
    if abs(y.quant.scale - scale) > 1e-9 * scale or y.quant.zero_point != zp:
        return f"output quantisation must be scale {scale:g}, zero point {zp} (got {y.quant.scale:g}, {y.quant.zero_point})"
    return None


def _scales(graph: Graph, op: Operator) -> tuple[Tensor, Tensor, float, int, float, int]:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant is not None and y.quant is not None
    return x, y, x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point


def _call(op: Operator, kernel: str, x: Tensor, y: Tensor, params: object) -> KernelCall:
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))


def _sigmoid_tanh_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op, s16=True)
    if reason:
        return reason
    x, y, s_in, zp_in, s_out, _ = _scales(graph, op)
    if is_int16(x):
        return derivation_reason(sigmoid_tanh_s16_params, s_in, s_out)  # the output scale check included
    return first_reason(
        _fixed_output_reason(y, LOGISTIC_OUTPUT if op.opcode == "LOGISTIC" else TANH_OUTPUT),
        derivation_reason(sigmoid_tanh_params, s_in, zp_in),
    )


@rule("LOGISTIC", "TANH", check=_sigmoid_tanh_check)
def lower_sigmoid_tanh(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, _ = _scales(graph, op)
    if is_int16(x):
        return _lower_sigmoid_tanh_s16(op, x, y, s_in, s_out)
    kernel = "pycmsisnn_logistic_s8" if op.opcode == "LOGISTIC" else "pycmsisnn_tanh_s8"
    return _call(op, kernel, x, y, sigmoid_tanh_params(s_in, zp_in))


def _lower_sigmoid_tanh_s16(op: Operator, x: Tensor, y: Tensor, s_in: float, s_out: float) -> KernelCall:
    """A power-of-two input scale to arm_nn_activation_s16, any other to our general-scale kernel."""
    shift = activation_s16_pot_shift(s_in)
    if shift is not None:
        kind = "sigmoid" if op.opcode == "LOGISTIC" else "tanh"
        return KernelCall(op=op, kernel="arm_nn_activation_s16", args={"input": TensorArg(x.index), "left_shift": shift, "type": kind},
                          outputs=(y.index,))
    kernel = "pycmsisnn_logistic_s16" if op.opcode == "LOGISTIC" else "pycmsisnn_tanh_s16"
    return _call(op, kernel, x, y, sigmoid_tanh_s16_params(s_in, s_out))


def _relu_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op, s16=op.opcode != "RELU_N1_TO_1")
    if reason:
        return reason
    x, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return derivation_reason(relu_params_s16 if is_int16(x) else relu_params, op.opcode, s_in, zp_in, s_out, zp_out)


@rule("RELU", "RELU6", "RELU_N1_TO_1", check=_relu_check)
def lower_relu(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    if is_int16(x):
        return _call(op, "pycmsisnn_relu_s16", x, y, relu_params_s16(op.opcode, s_in, zp_in, s_out, zp_out))
    return _call(op, "pycmsisnn_relu_s8", x, y, relu_params(op.opcode, s_in, zp_in, s_out, zp_out))


def _alpha(op: Operator) -> float:
    return options_as(op.options, LeakyReluOptions).alpha


def _leaky_relu_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op, s16=True)
    if reason:
        return reason
    x, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    if not math.isfinite(_alpha(op)):
        return f"alpha {_alpha(op)} is not finite"
    return derivation_reason(leaky_relu_params_s16 if is_int16(x) else leaky_relu_params, s_in, zp_in, s_out, zp_out, _alpha(op))


@rule("LEAKY_RELU", check=_leaky_relu_check)
def lower_leaky_relu(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    if is_int16(x):
        return _call(op, "pycmsisnn_leaky_relu_s16", x, y, leaky_relu_params_s16(s_in, zp_in, s_out, zp_out, _alpha(op)))
    return _call(op, "pycmsisnn_leaky_relu_s8", x, y, leaky_relu_params(s_in, zp_in, s_out, zp_out, _alpha(op)))


def _hard_swish_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op)
    if reason:
        return reason
    _, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return derivation_reason(hard_swish_params, s_in, zp_in, s_out, zp_out)


@rule("HARD_SWISH", check=_hard_swish_check)
def lower_hard_swish(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _call(op, "pycmsisnn_hard_swish_s8", x, y, hard_swish_params(s_in, zp_in, s_out, zp_out))
