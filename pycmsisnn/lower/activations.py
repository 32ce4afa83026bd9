"""LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU and HARD_SWISH (int8)
to our kernels of ``pycmsisnn_activations.h``.

The parameter derivations follow TensorFlow Lite Micro's Prepare functions,
including where they compute in float32 and where in double:

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
* LEAKY_RELU: identity multiplier from the float32 quotient s_in / s_out, alpha
  multiplier from the float32 expression s_in * alpha / s_out.
* HARD_SWISH: float32 scales s_in / 128 over s_out and over 3 / 32768, each
  quantised to Q31 and reduced to Q15.
"""
from __future__ import annotations

import math

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..kernels.activations_extra import HardSwishParams, LeakyReluParams, ReluParams, SigmoidTanhParams
from ..params import Activation
from .common import dtype_reason, first_reason, output, tensor
from .plan import KernelCall, TensorArg
from .registry import rule

INT8_MIN, INT8_MAX = -128, 127
SIGMOID_TANH_INPUT_INTEGER_BITS = 4
# Output quantisation TensorFlow Lite Micro's LOGISTIC and TANH produce.
LOGISTIC_OUTPUT = (1.0 / 256, -128)
TANH_OUTPUT = (1.0 / 128, 0)


def _f32(x: float) -> float:
    return float(np.float32(x))


def _f32_div(a: float, b: float) -> float:
    """a / b in float32 arithmetic, widened to double."""
    return float(np.float32(a) / np.float32(b))


def _round_f32_quotient(value: float, scale: float) -> int:
    """round(value / scale) with a float32 quotient, halves away from zero."""
    return quant.round_half_away(_f32_div(value, scale))


# ------------------------------------------------------------ derivations


def sigmoid_tanh_params(input_scale: float, input_zero_point: int) -> SigmoidTanhParams:
    """LOGISTIC and TANH (int8): input multiplier, left shift and input radius
    of TensorFlow Lite Micro's CalculateArithmeticOpData."""
    real = _f32(input_scale) * float(1 << (31 - SIGMOID_TANH_INPUT_INTEGER_BITS))
    if not (real > 0 and math.isfinite(real)):
        raise quant.QuantError(f"input scale {input_scale} must be positive")
    mantissa, shift = math.frexp(real)
    multiplier = quant.round_half_away(mantissa * float(1 << 31))
    if multiplier >= 1 << 31:
        raise quant.QuantError(f"input scale {input_scale} gives a multiplier of 2^31")
    if not 0 <= shift <= 31:
        raise quant.QuantError(f"input scale {input_scale} is outside [2^-28, 16): the input shift {shift} is outside [0, 31]")
    max_rescaled = float((1 << SIGMOID_TANH_INPUT_INTEGER_BITS) - 1) * float(1 << (31 - SIGMOID_TANH_INPUT_INTEGER_BITS)) / float(1 << shift)
    return SigmoidTanhParams(
        input_offset=quant.input_offset(input_zero_point),
        input_multiplier=multiplier,
        input_left_shift=shift,
        input_range_radius=int(math.floor(max_rescaled)),
    )


def relu_params(opcode: str, input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> ReluParams:
    """RELU, RELU6 or RELU_N1_TO_1 (int8) as the reference interpreter of each
    computes it (see the module description)."""
    zp_in, zp_out = int(input_zero_point), int(output_zero_point)
    if opcode == "RELU6":
        six = min(INT8_MAX, max(INT8_MIN, _round_f32_quotient(6.0, input_scale) + zp_in))
        return ReluParams(
            input_offset=quant.input_offset(zp_in),
            output_offset=quant.output_offset(zp_in),
            output_multiplier=1 << 30,  # 2^30 with shift 1: the identity
            output_shift=1,
            activation=Activation(zp_in, six),
        )
    if opcode == "RELU":
        real = _f32(input_scale) / _f32(output_scale)
        lo, hi = max(INT8_MIN, zp_out + _round_f32_quotient(0.0, output_scale)), INT8_MAX
    elif opcode == "RELU_N1_TO_1":
        real = _f32_div(input_scale, output_scale)
        lo = max(INT8_MIN, zp_out + _round_f32_quotient(-1.0, output_scale))
        hi = min(INT8_MAX, zp_out + _round_f32_quotient(1.0, output_scale))
    else:
        raise ValueError(f"not a RELU operator: {opcode}")
    mult, shift = quant.quantize_multiplier(real)
    return ReluParams(
        input_offset=quant.input_offset(zp_in),
        output_offset=quant.output_offset(zp_out),
        output_multiplier=mult,
        output_shift=shift,
        activation=Activation(lo, max(lo, hi)),
    )


def leaky_relu_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, alpha: float) -> LeakyReluParams:
    """LEAKY_RELU (int8): TensorFlow Lite Micro's two multipliers."""
    s_in, s_out = np.float32(input_scale), np.float32(output_scale)
    alpha_real = float(np.float32(s_in * np.float32(alpha)) / s_out)
    identity_real = float(s_in / s_out)
    im, ish = quant.quantize_multiplier(identity_real)
    am, ash = quant.quantize_multiplier(alpha_real)
    return LeakyReluParams(
        input_offset=quant.input_offset(input_zero_point),
        output_offset=quant.output_offset(output_zero_point),
        identity_multiplier=im,
        identity_shift=ish,
        alpha_multiplier=am,
        alpha_shift=ash,
    )


def downscale_multiplier_to_q15(multiplier: int) -> int:
    """TensorFlow Lite's DownScaleInt32ToInt16Multiplier: a Q31 multiplier
    rounded to Q15, saturating at 2^15 - 1."""
    if multiplier < 0:
        raise quant.QuantError(f"multiplier {multiplier} is negative")
    if multiplier >= (1 << 31) - 1 - (1 << 15):
        return (1 << 15) - 1
    return (multiplier + (1 << 15)) >> 16


def hard_swish_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> HardSwishParams:
    """HARD_SWISH (int8): TensorFlow Lite Micro's HardSwishPrepare."""
    hires = np.float32(np.float32(1.0 / 128.0) * np.float32(input_scale))
    reluish_scale = np.float32(3.0) / np.float32(32768.0)
    out_m, out_e = quant.quantize_multiplier(float(hires / np.float32(output_scale)))
    rel_m, rel_e = quant.quantize_multiplier(float(hires / reluish_scale))
    if not -15 <= out_e <= 0:
        raise quant.QuantError(f"output multiplier exponent {out_e} is outside [-15, 0] (input scale {input_scale}, output scale {output_scale})")
    if not -15 <= rel_e <= 30:
        raise quant.QuantError(f"input scale {input_scale} gives a reluish exponent {rel_e} outside [-15, 30]")
    return HardSwishParams(
        input_offset=quant.input_offset(input_zero_point),
        output_offset=quant.output_offset(output_zero_point),
        output_multiplier=downscale_multiplier_to_q15(out_m),
        reluish_multiplier=downscale_multiplier_to_q15(rel_m),
        output_shift=out_e,
        reluish_shift=rel_e,
    )


# -------------------------------------------------------------- the rules


def _per_tensor_reason(t: Tensor, role: str) -> str | None:
    if t.quant is not None and t.quant.per_channel:
        return f"{role} '{t.name}' is quantised per channel; a single scale is needed"
    return None


def _unary_reason(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = first_reason(
        dtype_reason(x, "input", [np.int8]),
        dtype_reason(y, "output", [np.int8]),
        _per_tensor_reason(x, "input"),
        _per_tensor_reason(y, "output"),
    )
    if reason:
        return reason
    if x.size != y.size:
        return f"input has {x.size} elements, output {y.size}"
    if x.is_constant:
        return f"input '{x.name}' is a constant tensor"
    return None


def _fixed_output_reason(y: Tensor, expected: tuple[float, int]) -> str | None:
    scale, zp = expected
    assert y.quant is not None
    if abs(y.quant.scale - scale) > 1e-9 * scale or y.quant.zero_point != zp:
        return f"output quantisation must be scale {scale:g}, zero point {zp} (got {y.quant.scale:g}, {y.quant.zero_point})"
    return None


def _derivation_reason(fn, *args) -> str | None:  # noqa: ANN001, ANN002
    try:
        fn(*args)
    except (quant.QuantError, ValueError) as exc:
        return str(exc)
    return None


def _scales(graph: Graph, op: Operator) -> tuple[Tensor, Tensor, float, int, float, int]:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    assert x.quant is not None and y.quant is not None
    return x, y, x.quant.scale, x.quant.zero_point, y.quant.scale, y.quant.zero_point


def _call(op: Operator, kernel: str, x: Tensor, y: Tensor, params: object) -> KernelCall:
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": params}, outputs=(y.index,))


def _sigmoid_tanh_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op)
    if reason:
        return reason
    x, y, s_in, zp_in, _, _ = _scales(graph, op)
    return first_reason(
        _fixed_output_reason(y, LOGISTIC_OUTPUT if op.opcode == "LOGISTIC" else TANH_OUTPUT),
        _derivation_reason(sigmoid_tanh_params, s_in, zp_in),
    )


@rule("LOGISTIC", "TANH", check=_sigmoid_tanh_check)
def lower_sigmoid_tanh(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, _, _ = _scales(graph, op)
    kernel = "pycmsisnn_logistic_s8" if op.opcode == "LOGISTIC" else "pycmsisnn_tanh_s8"
    return _call(op, kernel, x, y, sigmoid_tanh_params(s_in, zp_in))


def _relu_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op)
    if reason:
        return reason
    _, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _derivation_reason(relu_params, op.opcode, s_in, zp_in, s_out, zp_out)


@rule("RELU", "RELU6", "RELU_N1_TO_1", check=_relu_check)
def lower_relu(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _call(op, "pycmsisnn_relu_s8", x, y, relu_params(op.opcode, s_in, zp_in, s_out, zp_out))


def _alpha(op: Operator) -> float:
    return float(op.options.get("alpha", 0.0))


def _leaky_relu_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op)
    if reason:
        return reason
    _, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    if not math.isfinite(_alpha(op)):
        return f"alpha {_alpha(op)} is not finite"
    return _derivation_reason(leaky_relu_params, s_in, zp_in, s_out, zp_out, _alpha(op))


@rule("LEAKY_RELU", check=_leaky_relu_check)
def lower_leaky_relu(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _call(op, "pycmsisnn_leaky_relu_s8", x, y, leaky_relu_params(s_in, zp_in, s_out, zp_out, _alpha(op)))


def _hard_swish_check(graph: Graph, op: Operator) -> str | None:
    reason = _unary_reason(graph, op)
    if reason:
        return reason
    _, _, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _derivation_reason(hard_swish_params, s_in, zp_in, s_out, zp_out)


@rule("HARD_SWISH", check=_hard_swish_check)
def lower_hard_swish(graph: Graph, op: Operator) -> KernelCall:
    x, y, s_in, zp_in, s_out, zp_out = _scales(graph, op)
    return _call(op, "pycmsisnn_hard_swish_s8", x, y, hard_swish_params(s_in, zp_in, s_out, zp_out))
