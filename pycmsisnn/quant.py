"""From TFLite scales and zero points to CMSIS-NN parameters.

Every derivation the kernels need, one function each, computed the way
TensorFlow Lite (Micro) computes it, so that the integers are identical:
scales are float32 in the model and are widened to double before any product,
multipliers come from ``quantize_multiplier`` (TFLite's QuantizeMultiplier),
and activation clamps quantise in float32 like CalculateActivationRangeQuantized.

Sign conventions are CMSIS-NN's: a positive shift is a left shift;
``input_offset``/``filter_offset`` are minus the zero point, ``output_offset``
is plus the zero point.
"""
from __future__ import annotations

import math
from enum import Enum, IntEnum
from typing import Sequence

import numpy as np

from .errors import CmsisNNError
from .params import (
    Activation,
    AddNParams,
    AddParams,
    AffineParams,
    CompareParams,
    CumsumParams,
    DivParams,
    HardSwishParams,
    LeakyReluParams,
    LogSoftmaxParams,
    MeanParams,
    MulParams,
    PerChannelQuant,
    PerTensorQuant,
    PreluParams,
    SvdfQuant,
    ReluParams,
    RequantizeParams,
    SigmoidTanhParams,
    SigmoidTanhS16Params,
    SoftmaxParams,
    SquaredDifferenceParams,
    Tile,
)

INT8_MIN, INT8_MAX = -128, 127


class QuantError(ValueError, CmsisNNError):
    """A scale or zero point from which no CMSIS-NN parameter can be derived."""


def _f32(x: float) -> float:
    """The value as the model stores it: a float32, widened to double."""
    return float(np.float32(x))


def round_half_away(x: float) -> int:
    """C's round(): to nearest, ties away from zero (Python's round() ties to even)."""
    r = math.floor(abs(x) + 0.5)
    return int(-r if x < 0 else r)


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplier: ``real ~= multiplier * 2^(shift - 31)``.

    ``multiplier`` is a Q31 value in [2^30, 2^31) (0 for a real of 0) and
    ``shift`` the exponent (positive: left shift). A mantissa that rounds to
    2^31 is halved and the exponent raised; a shift below -31 flushes to zero.
    """
    real = float(real)
    if real == 0.0:
        return 0, 0
    if not math.isfinite(real):
        raise QuantError(f"cannot quantise the multiplier {real}")
    mantissa, shift = math.frexp(real)
    q = round_half_away(mantissa * (1 << 31))
    if q == 1 << 31:
        q //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return q, shift


def quantize_multiplier_smaller_than_one(real: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplierSmallerThanOneExp: as ``quantize_multiplier``
    for 0 < real < 1, so that the shift is never positive."""
    if not 0.0 < real < 1.0:
        raise QuantError(f"multiplier {real} must be in (0, 1)")
    m, s = quantize_multiplier(real)
    if s > 0:
        raise QuantError(f"multiplier {real} needs a left shift")
    return m, s


def conv_multipliers(input_scale: float, filter_scales: Sequence[float], output_scale: float) -> PerChannelQuant:
    """Per-output-channel multipliers and shifts of CONV_2D, DEPTHWISE_CONV_2D,
    TRANSPOSE_CONV and per-channel FULLY_CONNECTED:
    ``s_in * s_w[c] / s_out`` (float32 scales, double arithmetic)."""
    s_in, s_out = _f32(input_scale), _f32(output_scale)
    if s_out <= 0.0 or s_in < 0.0:
        raise QuantError(f"scales must be positive (input {s_in}, output {s_out})")
    pairs = [quantize_multiplier(s_in * _f32(s_w) / s_out) for s_w in filter_scales]
    return PerChannelQuant(tuple(m for m, _ in pairs), tuple(s for _, s in pairs))


def per_channel_multipliers(
    input_scale: float, filter_scales: Sequence[float], output_scale: float, channels: int
) -> PerChannelQuant:
    """As ``conv_multipliers``, broadcasting a single (per-tensor) filter scale
    to ``channels`` entries, as TFLite Micro does for per-tensor filters."""
    scales = list(filter_scales)
    if len(scales) == 1:
        scales = scales * channels
    if len(scales) != channels:
        raise QuantError(f"{len(scales)} filter scales for {channels} output channels")
    return conv_multipliers(input_scale, scales, output_scale)


def fc_multiplier(input_scale: float, filter_scale: float, output_scale: float) -> PerTensorQuant:
    """Per-tensor FULLY_CONNECTED (and BATCH_MATMUL): ``s_in * s_w / s_out``."""
    s_out = _f32(output_scale)
    if s_out <= 0.0:
        raise QuantError(f"output scale must be positive, got {s_out}")
    m, s = quantize_multiplier(_f32(input_scale) * _f32(filter_scale) / s_out)
    return PerTensorQuant(m, s)


def batch_matmul_multiplier(lhs_scale: float, rhs_scale: float, output_scale: float) -> PerTensorQuant:
    """BATCH_MATMUL: ``s_lhs * s_rhs / s_out``."""
    return fc_multiplier(lhs_scale, rhs_scale, output_scale)


def input_offset(zero_point: int) -> int:
    """``input_offset`` / ``filter_offset`` of the CMSIS-NN structs: minus the zero point."""
    zp = int(zero_point)
    if not INT8_MIN <= zp <= INT8_MAX:
        raise QuantError(f"int8 zero point {zp} is outside [-128, 127]")
    return -zp


def output_offset(zero_point: int) -> int:
    """``output_offset``: the output zero point itself."""
    zp = int(zero_point)
    if not INT8_MIN <= zp <= INT8_MAX:
        raise QuantError(f"int8 zero point {zp} is outside [-128, 127]")
    return zp


class FusedActivation(IntEnum):
    """TFLite's ActivationFunctionType values that can be fused into an op."""

    NONE = 0
    RELU = 1
    RELU_N1_TO_1 = 2
    RELU6 = 3
    TANH = 4
    SIGN_BIT = 5


def _quantize_f32(value: float, scale: float, zero_point: int) -> int:
    """zero_point + round(value / scale), the division in float32 as in TFLite."""
    return int(zero_point) + round_half_away(float(np.float32(value) / np.float32(scale)))


def activation_range(
    activation: FusedActivation | int, output_scale: float, output_zero_point: int, qmin: int = INT8_MIN, qmax: int = INT8_MAX
) -> Activation:
    """TFLite's CalculateActivationRangeQuantized: the clamp of a fused activation."""
    act = FusedActivation(activation)
    if act is FusedActivation.NONE:
        return Activation(qmin, qmax)
    if act is FusedActivation.RELU:
        return Activation(max(qmin, _quantize_f32(0.0, output_scale, output_zero_point)), qmax)
    if act is FusedActivation.RELU6:
        lo = max(qmin, _quantize_f32(0.0, output_scale, output_zero_point))
        return Activation(lo, min(qmax, _quantize_f32(6.0, output_scale, output_zero_point)))
    if act is FusedActivation.RELU_N1_TO_1:
        lo = max(qmin, _quantize_f32(-1.0, output_scale, output_zero_point))
        return Activation(lo, min(qmax, _quantize_f32(1.0, output_scale, output_zero_point)))
    raise QuantError(f"fused activation {act.name} has no quantised clamp")


SOFTMAX_INTEGER_BITS = 5


def softmax_params(input_scale: float, beta: float = 1.0) -> SoftmaxParams:
    """SOFTMAX int8: TFLite's PreprocessSoftmaxScaling (5 integer bits) and
    CalculateInputRadius. ``shift`` is the non-negative left-shift exponent."""
    real = min(float(beta) * _f32(input_scale) * float(1 << (31 - SOFTMAX_INTEGER_BITS)), float((1 << 31) - 1))
    mult, shift = quantize_multiplier(real)
    if real <= 1.0 or shift < 0:
        raise QuantError(f"softmax input scale {input_scale} (beta {beta}) is too small: the multiplier must exceed 1")
    radius = math.floor(((1 << SOFTMAX_INTEGER_BITS) - 1) * float(1 << (31 - SOFTMAX_INTEGER_BITS)) / float(1 << shift))
    return SoftmaxParams(mult, shift, -int(radius))


ADD_LEFT_SHIFT_S8 = 20


def add_params(
    input_1_scale: float,
    input_1_zero_point: int,
    input_2_scale: float,
    input_2_zero_point: int,
    output_scale: float,
    output_zero_point: int,
    activation: Activation = Activation(),
) -> AddParams:
    """ADD int8: each input rescaled to twice the larger input scale after a
    left shift of 20, then the sum rescaled to the output (TFLite's PrepareAdd)."""
    s1, s2, so = _f32(input_1_scale), _f32(input_2_scale), _f32(output_scale)
    twice_max = 2.0 * max(s1, s2)
    m1, sh1 = quantize_multiplier_smaller_than_one(s1 / twice_max)
    m2, sh2 = quantize_multiplier_smaller_than_one(s2 / twice_max)
    mo, sho = quantize_multiplier_smaller_than_one(twice_max / (float(1 << ADD_LEFT_SHIFT_S8) * so))
    return AddParams(
        input_1_offset=input_offset(input_1_zero_point),
        input_1_mult=m1,
        input_1_shift=sh1,
        input_2_offset=input_offset(input_2_zero_point),
        input_2_mult=m2,
        input_2_shift=sh2,
        left_shift=ADD_LEFT_SHIFT_S8,
        out_offset=output_offset(output_zero_point),
        out_mult=mo,
        out_shift=sho,
        out_activation_min=activation.min,
        out_activation_max=activation.max,
    )


def mul_params(
    input_1_scale: float,
    input_1_zero_point: int,
    input_2_scale: float,
    input_2_zero_point: int,
    output_scale: float,
    output_zero_point: int,
    activation: Activation = Activation(),
) -> MulParams:
    """MUL int8: one multiplier for ``s1 * s2 / s_out``, offsets on both inputs."""
    m, s = quantize_multiplier(_f32(input_1_scale) * _f32(input_2_scale) / _f32(output_scale))
    return MulParams(
        input_1_offset=input_offset(input_1_zero_point),
        input_2_offset=input_offset(input_2_zero_point),
        out_offset=output_offset(output_zero_point),
        out_mult=m,
        out_shift=s,
        out_activation_min=activation.min,
        out_activation_max=activation.max,
    )


class Padding(Enum):
    """TFLite's Padding values."""

    SAME = 0
    VALID = 1


def out_size(padding: Padding | int, in_size: int, filter_size: int, stride: int, dilation: int = 1) -> int:
    """TFLite's ComputeOutSize."""
    effective = (filter_size - 1) * dilation + 1
    if Padding(padding) is Padding.SAME:
        return (in_size + stride - 1) // stride
    return (in_size + stride - effective) // stride


def padding_with_offset(stride: int, dilation: int, in_size: int, filter_size: int, out: int) -> tuple[int, int]:
    """TFLite's ComputePaddingWithOffset: (padding before, extra padding after)."""
    effective = (filter_size - 1) * dilation + 1
    total = max((out - 1) * stride + effective - in_size, 0)
    return total // 2, total % 2


def conv_padding(
    padding: Padding | int,
    input_hw: Sequence[int],
    filter_hw: Sequence[int],
    stride: Tile,
    dilation: Tile = Tile(1, 1),
) -> tuple[Tile, Tile, tuple[int, int]]:
    """TFLite's ComputePaddingHeightWidth for conv, depthwise and pooling:
    (padding, padding offsets, output (h, w))."""
    out_h = out_size(padding, input_hw[0], filter_hw[0], stride.h, dilation.h)
    out_w = out_size(padding, input_hw[1], filter_hw[1], stride.w, dilation.w)
    pad_h, off_h = padding_with_offset(stride.h, dilation.h, input_hw[0], filter_hw[0], out_h)
    pad_w, off_w = padding_with_offset(stride.w, dilation.w, input_hw[1], filter_hw[1], out_w)
    return Tile(pad_w, pad_h), Tile(off_w, off_h), (out_h, out_w)


def transpose_conv_padding(
    padding: Padding | int, output_hw: Sequence[int], filter_hw: Sequence[int], stride: Tile
) -> tuple[Tile, Tile]:
    """TRANSPOSE_CONV padding: TFLite runs ComputePaddingHeightWidth with the
    output as the 'input' side. Returns (padding, padding offsets)."""
    pad, offsets, _ = conv_padding(padding, output_hw, filter_hw, stride)
    return pad, offsets


# ------------------------------------------------ operators CMSIS-NN lacks

SIGMOID_TANH_INPUT_INTEGER_BITS = 4
# The shift a MEAN's folded element count may take: at most 32 (the 64-bit
# product stays exact) and at most 31 + shift (the final right shift stays within 31).
_MEAN_FOLD_SHIFT_MAX = 32


def _f32_div(a: float, b: float) -> float:
    """a / b in float32 arithmetic, widened to double."""
    return float(np.float32(a) / np.float32(b))


def _round_f32_quotient(value: float, scale: float) -> int:
    """round(value / scale) with a float32 quotient, halves away from zero."""
    return round_half_away(_f32_div(value, scale))


def sigmoid_tanh_params(input_scale: float, input_zero_point: int) -> SigmoidTanhParams:
    """LOGISTIC and TANH (int8): input multiplier, left shift and input radius
    of TensorFlow Lite Micro's CalculateArithmeticOpData."""
    real = _f32(input_scale) * float(1 << (31 - SIGMOID_TANH_INPUT_INTEGER_BITS))
    if not (real > 0 and math.isfinite(real)):
        raise QuantError(f"input scale {input_scale} must be positive")
    mantissa, shift = math.frexp(real)
    multiplier = round_half_away(mantissa * float(1 << 31))
    if multiplier >= 1 << 31:
        raise QuantError(f"input scale {input_scale} gives a multiplier of 2^31")
    if not 0 <= shift <= 31:
        raise QuantError(f"input scale {input_scale} is outside [2^-28, 16): the input shift {shift} is outside [0, 31]")
    max_rescaled = float((1 << SIGMOID_TANH_INPUT_INTEGER_BITS) - 1) * float(1 << (31 - SIGMOID_TANH_INPUT_INTEGER_BITS)) / float(1 << shift)
    return SigmoidTanhParams(
        input_offset=input_offset(input_zero_point),
        input_multiplier=multiplier,
        input_left_shift=shift,
        input_range_radius=int(math.floor(max_rescaled)),
    )


def relu_params(opcode: str, input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int,
                *, qmin: int = INT8_MIN, qmax: int = INT8_MAX) -> ReluParams:
    """RELU, RELU6 or RELU_N1_TO_1 (int8) as the reference interpreter of each
    computes it: RELU requantises by s_in / s_out and clamps at the output's
    zero; RELU6 clamps the raw input to [zp_in, q(6.0)] on the input scale
    without requantising (TensorFlow Lite Micro's behaviour); RELU_N1_TO_1
    requantises (float32 quotient) and clamps to [q(-1), q(1)] (TensorFlow
    Lite's, TensorFlow Lite Micro having no kernel for it). ``qmin``/``qmax``:
    the output type's range (int8 unless given)."""
    zp_in, zp_out = int(input_zero_point), int(output_zero_point)
    if opcode == "RELU6":
        six = min(qmax, max(qmin, _round_f32_quotient(6.0, input_scale) + zp_in))
        return ReluParams(
            input_offset=input_offset(zp_in),
            output_offset=output_offset(zp_in),
            output_multiplier=1 << 30,  # 2^30 with shift 1: the identity
            output_shift=1,
            activation=Activation(zp_in, six),
        )
    if opcode == "RELU":
        real = _f32(input_scale) / _f32(output_scale)
        lo, hi = max(qmin, zp_out + _round_f32_quotient(0.0, output_scale)), qmax
    elif opcode == "RELU_N1_TO_1":
        real = _f32_div(input_scale, output_scale)
        lo = max(qmin, zp_out + _round_f32_quotient(-1.0, output_scale))
        hi = min(qmax, zp_out + _round_f32_quotient(1.0, output_scale))
    else:
        raise ValueError(f"not a RELU operator: {opcode}")
    mult, shift = quantize_multiplier(real)
    return ReluParams(
        input_offset=input_offset(zp_in),
        output_offset=output_offset(zp_out),
        output_multiplier=mult,
        output_shift=shift,
        activation=Activation(lo, max(lo, hi)),
    )


def leaky_relu_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, alpha: float) -> LeakyReluParams:
    """LEAKY_RELU (int8 and int16): TensorFlow Lite Micro's two multipliers,
    ``s_in / s_out`` and ``s_in * alpha / s_out`` in double precision from the
    float32 scales and alpha (a float32 quotient differs in the last bits:
    on int16 inputs, TFLite Micro's outputs then differ by 1)."""
    s_in, s_out, a = _f32(input_scale), _f32(output_scale), _f32(alpha)
    alpha_real = s_in * a / s_out
    identity_real = s_in / s_out
    im, ish = quantize_multiplier(identity_real)
    am, ash = quantize_multiplier(alpha_real)
    return LeakyReluParams(
        input_offset=input_offset(input_zero_point),
        output_offset=output_offset(output_zero_point),
        identity_multiplier=im,
        identity_shift=ish,
        alpha_multiplier=am,
        alpha_shift=ash,
    )


def downscale_multiplier_to_q15(multiplier: int) -> int:
    """TensorFlow Lite's DownScaleInt32ToInt16Multiplier: a Q31 multiplier
    rounded to Q15, saturating at 2^15 - 1."""
    if multiplier < 0:
        raise QuantError(f"multiplier {multiplier} is negative")
    if multiplier >= (1 << 31) - 1 - (1 << 15):
        return (1 << 15) - 1
    return (multiplier + (1 << 15)) >> 16


def hard_swish_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> HardSwishParams:
    """HARD_SWISH (int8): TensorFlow Lite Micro's HardSwishPrepare."""
    hires = np.float32(np.float32(1.0 / 128.0) * np.float32(input_scale))
    reluish_scale = np.float32(3.0) / np.float32(32768.0)
    out_m, out_e = quantize_multiplier(float(hires / np.float32(output_scale)))
    rel_m, rel_e = quantize_multiplier(float(hires / reluish_scale))
    if not -15 <= out_e <= 0:
        raise QuantError(f"output multiplier exponent {out_e} is outside [-15, 0] (input scale {input_scale}, output scale {output_scale})")
    if not -15 <= rel_e <= 30:
        raise QuantError(f"input scale {input_scale} gives a reluish exponent {rel_e} outside [-15, 30]")
    return HardSwishParams(
        input_offset=input_offset(input_zero_point),
        output_offset=output_offset(output_zero_point),
        output_multiplier=downscale_multiplier_to_q15(out_m),
        reluish_multiplier=downscale_multiplier_to_q15(rel_m),
        output_shift=out_e,
        reluish_shift=rel_e,
    )


def affine_params(scale: float, zero_point: int) -> AffineParams:
    """The float32 scale and zero point of an int8 tensor, for QUANTIZE from
    float32 and DEQUANTIZE to float32."""
    s = float(np.float32(scale))
    if not (s > 0 and np.isfinite(s)):
        raise QuantError(f"scale {scale} must be a positive finite float32")
    return AffineParams(scale=s, zero_point=output_offset(zero_point))


def requantize_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> RequantizeParams:
    """QUANTIZE int8 -> int8: one multiplier of s_in / s_out (double)."""
    s_out = float(np.float32(output_scale))
    if s_out <= 0:
        raise QuantError(f"output scale {output_scale} must be positive")
    mult, shift = quantize_multiplier(float(np.float32(input_scale)) / s_out)
    return RequantizeParams(
        input_offset=input_offset(input_zero_point),
        output_offset=output_offset(output_zero_point),
        multiplier=mult,
        shift=shift,
    )


def mean_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, count: int) -> MeanParams:
    """MEAN int8 over ``count`` elements per output: TFLM's multiplier of
    ``s_in / s_out`` with ``1 / count`` folded in, and the offsets."""
    multiplier, shift = _mean_multiplier(input_scale, output_scale, count)
    return MeanParams(
        input_offset=input_offset(input_zero_point),
        output_offset=output_offset(output_zero_point),
        multiplier=multiplier,
        shift=shift,
    )


def _mean_multiplier(input_scale: float, output_scale: float, count: int) -> tuple[int, int]:
    """QuantizeMultiplier(s_in / s_out) with ``1 / count`` folded in, as TFLM's
    QuantizedMeanOrSum does (the same for int8 and int16)."""
    count = int(count)
    if count < 1:
        raise QuantError(f"a mean over {count} elements")
    s_in, s_out = float(np.float32(input_scale)), float(np.float32(output_scale))
    if s_out <= 0.0 or s_in <= 0.0:
        raise QuantError(f"scales must be positive (input {s_in}, output {s_out})")
    multiplier, shift = quantize_multiplier(s_in / s_out)
    # quantize_multiplier never returns a shift below -31, so fold >= 0.
    fold = min(count.bit_length() - 1, _MEAN_FOLD_SHIFT_MAX, 31 + shift)
    return (multiplier << fold) // count, shift - fold


# ---- int16 (16x8) fully connected, pooling, softmax, elementwise, activations
# 16x8 activations are symmetric int16 (zero point 0); weights int8; biases int64.

INT16_MIN, INT16_MAX = -32768, 32767
FC_S16_SHIFT_MAX = 14  # the int64 requantisation shifts right by 15 - shift
ADD_LEFT_SHIFT_S16 = 15
SOFTMAX_S16_LUT_SIZE = 513


def _check_zero_point_s16(zero_point: int, what: str) -> None:
    if int(zero_point) != 0:
        raise QuantError(f"int16 {what} zero point must be 0, got {zero_point}")


def activation_range_s16(activation: FusedActivation | int, output_scale: float, output_zero_point: int = 0) -> Activation:
    """CalculateActivationRangeQuantized for an int16 output (zero point 0)."""
    _check_zero_point_s16(output_zero_point, "output")
    return activation_range(activation, output_scale, 0, INT16_MIN, INT16_MAX)


def fc_multiplier_s16(input_scale: float, filter_scale: float, output_scale: float) -> PerTensorQuant:
    """FULLY_CONNECTED 16x8 (per-tensor weights): QuantizeMultiplier of
    ``s_in * s_w / s_out``, as for int8; the kernel reduces it to Q15 and
    needs ``shift <= 14``."""
    q = fc_multiplier(input_scale, filter_scale, output_scale)
    if q.shift > FC_S16_SHIFT_MAX:
        raise QuantError(f"16x8 fully connected scale {input_scale}*{filter_scale}/{output_scale} needs a left shift of {q.shift} (max {FC_S16_SHIFT_MAX})")
    return q


def add_params_s16(
    input_1_scale: float,
    input_2_scale: float,
    output_scale: float,
    activation: Activation = Activation(INT16_MIN, INT16_MAX),
) -> AddParams:
    """ADD int16 (TFLite Micro's general int16 path): as ``add_params`` with
    ``left_shift`` 15 and every offset 0."""
    s1, s2, so = _f32(input_1_scale), _f32(input_2_scale), _f32(output_scale)
    if min(s1, s2, so) <= 0.0:
        raise QuantError(f"scales must be positive ({s1}, {s2}, {so})")
    twice_max = 2.0 * max(s1, s2)
    m1, sh1 = quantize_multiplier_smaller_than_one(s1 / twice_max)
    m2, sh2 = quantize_multiplier_smaller_than_one(s2 / twice_max)
    mo, sho = quantize_multiplier_smaller_than_one(twice_max / (float(1 << ADD_LEFT_SHIFT_S16) * so))
    return AddParams(
        input_1_offset=0,
        input_1_mult=m1,
        input_1_shift=sh1,
        input_2_offset=0,
        input_2_mult=m2,
        input_2_shift=sh2,
        left_shift=ADD_LEFT_SHIFT_S16,
        out_offset=0,
        out_mult=mo,
        out_shift=sho,
        out_activation_min=activation.min,
        out_activation_max=activation.max,
    )


def mul_params_s16(
    input_1_scale: float,
    input_2_scale: float,
    output_scale: float,
    activation: Activation = Activation(INT16_MIN, INT16_MAX),
) -> MulParams:
    """MUL int16: QuantizeMultiplier of ``s1 * s2 / s_out``, every offset 0."""
    so = _f32(output_scale)
    if so <= 0.0:
        raise QuantError(f"output scale must be positive, got {so}")
    m, s = quantize_multiplier(_f32(input_1_scale) * _f32(input_2_scale) / so)
    return MulParams(
        input_1_offset=0,
        input_2_offset=0,
        out_offset=0,
        out_mult=m,
        out_shift=s,
        out_activation_min=activation.min,
        out_activation_max=activation.max,
    )


def softmax_s16_params(input_scale: float, beta: float = 1.0) -> PerTensorQuant:
    """SOFTMAX int16: (mult, shift) = QuantizeMultiplier(s_in * beta / (10 / 65535)),
    which maps an input difference of [-65535, 0] steps to [-10, 0]
    (TFLite Micro's CalculateSoftmaxParams; the model's float32 scale and beta,
    double arithmetic)."""
    real = _f32(input_scale) * _f32(beta) / (10.0 / 65535.0)
    if real <= 0.0:
        raise QuantError(f"softmax input scale {input_scale} and beta {beta} must be positive")
    m, s = quantize_multiplier(real)
    return PerTensorQuant(m, s)


def _round_f32(x: np.float32) -> np.float32:
    """TfLiteRound on a float: to nearest, ties away from zero."""
    return np.float32(round_half_away(float(x)))


def _gen_lut_s16(func, input_min: float, input_max: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """TFLite's gen_lut<float, int16_t, int16_t> for output range [-1, 1]:
    512 steps over [input_min, input_max], each sample biased by half the
    interpolation error at the step's midpoint, plus func(input_max) last;
    all in float32."""
    f32 = np.float32
    steps = 512
    lo, hi = f32(input_min), f32(input_max)
    step = f32((hi - lo) / f32(steps))
    half_step = f32(step / f32(2))
    scaling = f32(f32(65536) / f32(f32(1) - f32(-1)))
    table = np.empty(SOFTMAX_S16_LUT_SIZE, dtype=np.int16)
    for i in range(steps):
        x = f32(lo + f32(f32(i) * step))
        val = func(x)
        val_mid = func(f32(x + half_step))
        val_next = func(f32(lo + f32(f32(i + 1) * step)))
        sample = _round_f32(f32(val * scaling))
        mid_interp = _round_f32(f32(f32(f32(val_next * scaling) + sample) / f32(2)))
        mid_val = _round_f32(f32(val_mid * scaling))
        bias = _round_f32(f32(f32(mid_interp - mid_val) / f32(2)))
        table[i] = int(min(max(float(sample - bias), INT16_MIN), INT16_MAX))
    last = _round_f32(f32(func(hi) * scaling))
    table[steps] = int(min(max(float(last), INT16_MIN), INT16_MAX))
    return table


def _exp_f32(x: np.float32) -> np.float32:
    # std::exp(float): the correctly rounded float32 result
    return np.float32(math.exp(float(x)))


def _one_over_one_plus_x_f32(x: np.float32) -> np.float32:
    return np.float32(np.float32(1) / np.float32(np.float32(1) + x))


def softmax_s16_luts() -> tuple[np.ndarray, np.ndarray]:
    """The two 513-entry int16 tables of ``arm_softmax_s16`` (``exp_lut``,
    ``one_by_one_lut``), as TFLite Micro's softmax prepare generates them:
    exp on [-10, 0] and 1/(1+x) on [0, 1], Q0.15. Read-only arrays."""
    exp_lut = _gen_lut_s16(_exp_f32, -10.0, 0.0)
    one_lut = _gen_lut_s16(_one_over_one_plus_x_f32, 0.0, 1.0)
    exp_lut.setflags(write=False)
    one_lut.setflags(write=False)
    return exp_lut, one_lut


ACTIVATION_S16_INPUT_INTEGER_BITS = 3


def activation_s16_left_shift(input_scale: float, output_scale: float = 2.0**-15) -> int:
    """LOGISTIC / TANH int16 through ``arm_nn_activation_s16``: TFLite Micro's
    ``input_left_shift`` = 12 + log2(s_in) for a power-of-two input scale
    (CheckedLog2: within 1e-3 of an integer), which its table path takes only
    for 0 or 1. Other input scales need TFLite's general multiplier, which the
    CMSIS-NN function does not take: QuantError. The output scale must be 2^-15."""
    s_in = _f32(input_scale)
    if s_in <= 0.0:
        raise QuantError(f"scales must be positive (input {s_in}, output {_f32(output_scale)})")
    check_activation_s16_output_scale(output_scale)
    shift = activation_s16_pot_shift(s_in)
    if shift is None:
        raise QuantError(
            f"int16 sigmoid/tanh input scale {s_in} is not 2^-12 or 2^-11: TFLite's general-scale path has no CMSIS-NN kernel"
        )
    return shift


# ---- int16 conversions and data movement (QUANTIZE, DEQUANTIZE, MEAN)
# TFLite Micro takes any zero point of the tensor's type for these operators
# (the 16x8 converter writes 0); the derivations check the type's range only.

REQUANTIZE_SHIFT_MAX = 31  # pycmsisnn_requantize_* shift the offset input by at most this


def _zero_point(zero_point: int, bits: int, what: str) -> int:
    zp, lo, hi = int(zero_point), -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if not lo <= zp <= hi:
        raise QuantError(f"int{bits} {what} zero point {zp} is outside [{lo}, {hi}]")
    return zp


def affine_params_s16(scale: float, zero_point: int) -> AffineParams:
    """``affine_params`` of an int16 tensor (QUANTIZE from float32, DEQUANTIZE to float32)."""
    s = float(np.float32(scale))
    if not (s > 0 and np.isfinite(s)):
        raise QuantError(f"scale {scale} must be a positive finite float32")
    return AffineParams(scale=s, zero_point=_zero_point(zero_point, 16, "tensor"))


def requantize_params_s16(
    input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, input_bits: int = 16, output_bits: int = 16
) -> RequantizeParams:
    """QUANTIZE int16 -> int16, int8 -> int16 (``input_bits`` 8) or int16 ->
    int8 (``output_bits`` 8): TFLite Micro's one multiplier of s_in / s_out
    (double), the zero points of each type. A left shift that would push an
    offset input out of 32 bits (s_in / s_out of 2^15 or more for int16 input)
    is refused: TFLite Micro's int32 product would overflow."""
    s_in, s_out = float(np.float32(input_scale)), float(np.float32(output_scale))
    if s_out <= 0 or s_in <= 0:
        raise QuantError(f"scales must be positive (input {s_in}, output {s_out})")
    zp_in = _zero_point(input_zero_point, input_bits, "input")
    zp_out = _zero_point(output_zero_point, output_bits, "output")
    mult, shift = quantize_multiplier(s_in / s_out)
    largest = max(abs(-(1 << (input_bits - 1)) - zp_in), abs((1 << (input_bits - 1)) - 1 - zp_in))
    if shift > REQUANTIZE_SHIFT_MAX or largest << max(shift, 0) >= 1 << 31:
        raise QuantError(f"requantising by {s_in / s_out:g} shifts int{input_bits} inputs left by {shift}, out of 32 bits")
    return RequantizeParams(input_offset=-zp_in, output_offset=zp_out, multiplier=mult, shift=shift)


def mean_params_s16(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, count: int) -> MeanParams:
    """MEAN int16 over ``count`` elements per output: ``mean_params``' multiplier
    (TFLite Micro derives it the same way for int16), int16 zero points."""
    multiplier, shift = _mean_multiplier(input_scale, output_scale, count)
    return MeanParams(
        input_offset=-_zero_point(input_zero_point, 16, "input"),
        output_offset=_zero_point(output_zero_point, 16, "output"),
        multiplier=multiplier,
        shift=shift,
    )


def check_activation_s16_output_scale(output_scale: float) -> None:
    """TFLite Micro's int16 LOGISTIC / TANH output check: CheckedLog2 of the
    scale must give exactly -15 (2^-15, within 1e-3 in the exponent)."""
    s_out = _f32(output_scale)
    if s_out <= 0.0:
        raise QuantError(f"scales must be positive (output {s_out})")
    out_log2 = math.log2(s_out)
    if abs(out_log2 - round(out_log2)) >= 1e-3 or round(out_log2) != -15:
        raise QuantError(f"int16 sigmoid/tanh output scale must be 2^-15, got {s_out}")


def activation_s16_pot_shift(input_scale: float) -> int | None:
    """The ``input_left_shift`` of TFLite Micro's int16 LOGISTIC / TANH
    power-of-two path (12 + log2(s_in) by CheckedLog2, taken only when it is
    0 or 1), or None when the input scale takes the general path."""
    s_in = _f32(input_scale)
    if not (s_in > 0.0 and math.isfinite(s_in)):
        return None
    log2 = math.log2(s_in)
    rounded = round_half_away(log2)
    shift = (15 - ACTIVATION_S16_INPUT_INTEGER_BITS) + rounded
    return shift if abs(log2 - rounded) < 1e-3 and shift in (0, 1) else None


# ---- int16 (16x8) operators CMSIS-NN lacks: LOGISTIC/TANH of any input scale, RELU, LEAKY_RELU

SIGMOID_TANH_S16_MULT_MAX = 65535  # 32768 * 65535 < 2^31: TFLite's int32 input product stays defined
# The requantisation of an int16 input shifts it left by at most this much
# within int32 (TFLite's int32 arithmetic; 32767 << 16 < 2^31).
REQUANT_S16_LEFT_SHIFT_MAX = 16


def sigmoid_tanh_s16_params(input_scale: float, output_scale: float = 2.0**-15, input_zero_point: int = 0,
                            output_zero_point: int = 0) -> SigmoidTanhS16Params:
    """LOGISTIC / TANH int16 for any input scale: TFLite Micro's general-scale
    Prepare. The input is taken to the sigmoid table's scale 1 / (3 * 4096)
    by ``multiplier = s_in * 4096 * 3`` (double), doubled (with the shift
    raised) while at most 32767 / 2 and the shift at most 30, then truncated
    to an integer. Zero points must be 0 and the output scale 2^-15."""
    _check_zero_point_s16(input_zero_point, "input")
    _check_zero_point_s16(output_zero_point, "output")
    s_in = _f32(input_scale)
    if not (s_in > 0.0 and math.isfinite(s_in)):
        raise QuantError(f"int16 sigmoid/tanh input scale {input_scale} must be positive")
    check_activation_s16_output_scale(output_scale)
    multiplier, shift = s_in * 4096.0 * 3.0, 0
    while multiplier <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        multiplier *= 2.0
    m = int(multiplier)
    if m < 1:
        raise QuantError(f"int16 sigmoid/tanh input scale {s_in} is too small: its multiplier truncates to 0")
    if m > SIGMOID_TANH_S16_MULT_MAX:
        raise QuantError(
            f"int16 sigmoid/tanh input scale {s_in} is too large: multiplier {m} above {SIGMOID_TANH_S16_MULT_MAX} "
            "overflows TFLite's int32 input product"
        )
    return SigmoidTanhS16Params(input_multiplier=m, input_left_shift=shift)


def _check_requant_shift_s16(shift: int, what: str) -> None:
    if shift > REQUANT_S16_LEFT_SHIFT_MAX:
        raise QuantError(f"{what} needs a left shift of {shift} (max {REQUANT_S16_LEFT_SHIFT_MAX}): "
                         "TFLite's int32 arithmetic would overflow on int16 inputs")


def relu_params_s16(opcode: str, input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> ReluParams:
    """RELU or RELU6 int16 (zero points 0) as TFLite Micro computes them: as
    ``relu_params`` with int16 bounds. RELU_N1_TO_1 has no int16 reference kernel."""
    if opcode not in ("RELU", "RELU6"):
        raise QuantError(f"{opcode} has no int16 kernel in TFLite Micro")
    _check_zero_point_s16(input_zero_point, "input")
    _check_zero_point_s16(output_zero_point, "output")
    p = relu_params(opcode, input_scale, 0, output_scale, 0, qmin=INT16_MIN, qmax=INT16_MAX)
    _check_requant_shift_s16(p.output_shift, f"RELU scale {input_scale:.9g}/{output_scale:.9g}")
    return p


def leaky_relu_params_s16(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int,
                          alpha: float) -> LeakyReluParams:
    """LEAKY_RELU int16 (zero points 0): TFLite Micro derives the two
    multipliers as for int8 (``leaky_relu_params``)."""
    _check_zero_point_s16(input_zero_point, "input")
    _check_zero_point_s16(output_zero_point, "output")
    p = leaky_relu_params(input_scale, 0, output_scale, 0, alpha)
    _check_requant_shift_s16(p.identity_shift, f"LEAKY_RELU scale {input_scale:.9g}/{output_scale:.9g}")
    _check_requant_shift_s16(p.alpha_shift, f"LEAKY_RELU alpha {alpha:.9g} with scales {input_scale:.9g}/{output_scale:.9g}")
    return p


# ------------------------------------------------ ABS, RSQRT, PRELU, SQUARED_DIFFERENCE, ELU
# TensorFlow Lite Micro's derivations, found by running it on every int8
# value (and every int16 value for the unary int16 operators) at many scales:
# real multipliers in double from the float32 scales.


def _positive_scales(**scales: float) -> dict[str, float]:
    out = {}
    for name, value in scales.items():
        v = _f32(value)
        if not (math.isfinite(v) and v > 0.0):
            raise QuantError(f"{name.replace('_', ' ')} {value} must be positive and finite")
        out[name] = v
    return out


def _zero_point_in(zero_point: int, bits: int, what: str) -> int:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if not lo <= int(zero_point) <= hi:
        raise QuantError(f"{what} zero point {zero_point} is outside [{lo}, {hi}]")
    return int(zero_point)


def _shift_within(shift: int, lo: int, hi: int, what: str) -> int:
    if not lo <= shift <= hi:
        raise QuantError(f"{what}: exponent {shift} is outside [{lo}, {hi}]")
    return shift


def abs_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, bits: int = 8) -> RequantizeParams:
    """ABS (int8, or int16 with ``bits`` 16): |x - zp_in| requantised by s_in / s_out."""
    s = _positive_scales(input_scale=input_scale, output_scale=output_scale)
    mult, shift = quantize_multiplier(s["input_scale"] / s["output_scale"])
    _shift_within(shift, -31, 31, f"ABS scale {input_scale:.9g}/{output_scale:.9g}")
    return RequantizeParams(-_zero_point_in(input_zero_point, bits, "input"), _zero_point_in(output_zero_point, bits, "output"), mult, shift)


def rsqrt_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, bits: int = 8) -> RequantizeParams:
    """RSQRT: the multiplier of 1 / (sqrt(s_in) * s_out), applied with its
    exponent lowered by 20 to the fixed-point 2^20 / sqrt(x - zp_in)."""
    s = _positive_scales(input_scale=input_scale, output_scale=output_scale)
    mult, shift = quantize_multiplier(1.0 / (math.sqrt(s["input_scale"]) * s["output_scale"]))
    _shift_within(shift, -11, 50, f"RSQRT scales {input_scale:.9g}, {output_scale:.9g}")
    return RequantizeParams(-_zero_point_in(input_zero_point, bits, "input"), _zero_point_in(output_zero_point, bits, "output"), mult, shift)


def prelu_params(input_scale: float, input_zero_point: int, alpha_scale: float, alpha_zero_point: int,
                 output_scale: float, output_zero_point: int, bits: int = 8) -> PreluParams:
    """PRELU (input and output int8, or int16 with ``bits`` 16; alpha int8):
    s_in / s_out for x >= zp_in, s_in * s_alpha / s_out for the others."""
    s = _positive_scales(input_scale=input_scale, alpha_scale=alpha_scale, output_scale=output_scale)
    m1, s1 = quantize_multiplier(s["input_scale"] / s["output_scale"])
    m2, s2 = quantize_multiplier(s["input_scale"] * s["alpha_scale"] / s["output_scale"])
    _shift_within(s1, -31, 31, "PRELU identity multiplier")
    _shift_within(s2, -31, 31, "PRELU alpha multiplier")
    return PreluParams(-_zero_point_in(input_zero_point, bits, "input"), -_zero_point_in(alpha_zero_point, 8, "alpha"),
                       _zero_point_in(output_zero_point, bits, "output"), m1, s1, m2, s2)


def squared_difference_params(scale_1: float, zero_point_1: int, scale_2: float, zero_point_2: int,
                              output_scale: float, output_zero_point: int, bits: int = 8) -> SquaredDifferenceParams:
    """SQUARED_DIFFERENCE: ADD's input rescaling onto twice the larger input
    scale after a left shift (7 for int8, 0 for int16), the square of the
    difference rescaled by (2 max(s1, s2))^2 / (2^(2 left_shift) s_out)."""
    s = _positive_scales(input_1_scale=scale_1, input_2_scale=scale_2, output_scale=output_scale)
    left_shift = 7 if bits == 8 else 0
    twice_max = 2.0 * max(s["input_1_scale"], s["input_2_scale"])
    m1, s1 = quantize_multiplier(s["input_1_scale"] / twice_max)
    m2, s2 = quantize_multiplier(s["input_2_scale"] / twice_max)
    mo, so = quantize_multiplier(twice_max * twice_max / ((1 << (2 * left_shift)) * s["output_scale"]))
    _shift_within(so, -31, 31, f"SQUARED_DIFFERENCE output multiplier of scales {scale_1:.9g}, {scale_2:.9g}, {output_scale:.9g}")
    if min(s1, s2) < -31:
        raise QuantError(f"SQUARED_DIFFERENCE input scales {scale_1:.9g}, {scale_2:.9g} differ by more than 2^31")
    return SquaredDifferenceParams(-_zero_point_in(zero_point_1, bits, "input 1"), m1, s1, -_zero_point_in(zero_point_2, bits, "input 2"),
                                   m2, s2, left_shift, _zero_point_in(output_zero_point, bits, "output"), mo, so)


def elu_table(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> np.ndarray:
    """ELU int8 as TensorFlow Lite Micro tabulates it in float32: for each q,
    d = s_in * (q - zp_in); e = expm1(d) if d < 0 else d; round(e * (1 / s_out))
    (halves away from zero) + zp_out, clamped. Indexed by q + 128."""
    s = _positive_scales(input_scale=input_scale, output_scale=output_scale)
    zi, zo = _zero_point_in(input_zero_point, 8, "input"), _zero_point_in(output_zero_point, 8, "output")
    inverse = np.float32(1.0) / np.float32(s["output_scale"])
    table = np.empty(256, dtype=np.int8)
    for i, q in enumerate(range(-128, 128)):
        d = np.float32(s["input_scale"]) * np.float32(q - zi)
        e = np.float32(math.expm1(float(d))) if d < 0 else d
        r = round_half_away(float(np.float32(e * inverse)))
        table[i] = min(max(r + zo, INT8_MIN), INT8_MAX)
    return table
# ------------------------------------------------------- LOG_SOFTMAX, DIV, ADD_N
# TensorFlow Lite Micro's int8 derivations, found by running it on every pair
# of int8 values (and on random rows and sets of inputs) at many scales.

LOG_SOFTMAX_OUTPUT = (16.0 / 256.0, 127)  # the only output quantisation TFLM takes
LOG_SOFTMAX_ROW_MAX = 4095  # longer rows can overflow the Q12.19 sum of exponentials
DIV_SHIFT_RANGE = (-25, 22)  # beyond it TFLM's rounding shifts leave [0, 63]
ADD_N_SHIFT = 19  # ADD's left shift of 20, then the exact halving onto twice the shared scale


def log_softmax_params(input_scale: float, output_scale: float, output_zero_point: int) -> LogSoftmaxParams:
    """LOG_SOFTMAX int8: SOFTMAX's scaling of the differences into Q5.26
    (``softmax_params``, beta 1), and the reverse multiplier
    2^(31 - shift) / multiplier (QuantizeMultiplierSmallerThanOneExp) that
    takes the Q5.26 limit of the output back to input steps."""
    if _f32(output_scale) != LOG_SOFTMAX_OUTPUT[0] or int(output_zero_point) != LOG_SOFTMAX_OUTPUT[1]:
        raise QuantError(f"LOG_SOFTMAX output scale {output_scale:.9g} and zero point {output_zero_point}: "
                         f"TensorFlow Lite Micro needs 1/16 and 127")
    sp = softmax_params(input_scale)
    if not 1 <= sp.shift <= 31:
        raise QuantError(f"LOG_SOFTMAX input scale {input_scale:.9g}: the scaling exponent {sp.shift} is outside [1, 31]")
    rm, rs = quantize_multiplier_smaller_than_one(float(1 << (31 - sp.shift)) / float(sp.mult))
    return LogSoftmaxParams(sp.mult, sp.shift, rm, rs, sp.diff_min)


def div_params(input_1_scale: float, input_1_zero_point: int, input_2_scale: float, input_2_zero_point: int,
               output_scale: float, output_zero_point: int, activation: Activation = Activation()) -> DivParams:
    """DIV int8: QuantizeMultiplier(s1 / (s2 * s_out)), the ratio in double of
    the float32 scales (a float32 ratio misses TFLM on some pairs). Exponents
    outside ``DIV_SHIFT_RANGE`` make TFLM shift by negative or 64+ amounts
    (undefined in C): refused."""
    s = _positive_scales(input_1_scale=input_1_scale, input_2_scale=input_2_scale, output_scale=output_scale)
    real = s["input_1_scale"] / (s["input_2_scale"] * s["output_scale"])
    mult, shift = quantize_multiplier(real)
    lo, hi = DIV_SHIFT_RANGE
    if not lo <= shift <= hi:
        raise QuantError(f"DIV scale ratio s1 / (s2 * s_out) = {real:.9g} is outside [2^{lo - 1}, 2^{hi}): "
                         f"TensorFlow Lite Micro's rounding shifts would be undefined")
    return DivParams(-_zero_point_in(input_1_zero_point, 8, "input 1"), -_zero_point_in(input_2_zero_point, 8, "input 2"),
                     _zero_point_in(output_zero_point, 8, "output"), mult, shift, activation.min, activation.max)


def add_n_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, num_inputs: int) -> AddNParams:
    """ADD_N int8 (every input of one scale and zero point): ADD's output
    multiplier 2 s_in / (2^20 s_out), which must be below 1
    (QuantizeMultiplierSmallerThanOneExp; TFLM aborts otherwise). The sum
    starts from the offset zero, so it holds num_inputs + 1 terms; one that
    could leave int32 is refused."""
    s = _positive_scales(input_scale=input_scale, output_scale=output_scale)
    zi = _zero_point_in(input_zero_point, 8, "input")
    real = 2.0 * s["input_scale"] / (float(1 << (ADD_N_SHIFT + 1)) * s["output_scale"])
    if not real < 1.0:
        raise QuantError(f"ADD_N output multiplier 2 s_in / (2^20 s_out) = {real:.9g} is not below 1 "
                         f"(input scale {input_scale:.9g}, output scale {output_scale:.9g})")
    mult, shift = quantize_multiplier_smaller_than_one(real)
    largest = num_inputs * max(abs(INT8_MIN - zi), abs(INT8_MAX - zi)) + abs(zi)
    if largest << ADD_N_SHIFT > INT32_MAX:
        raise QuantError(f"ADD_N of {num_inputs} inputs with zero point {zi}: the sum can reach {largest} * 2^19, "
                         f"beyond TensorFlow Lite Micro's int32 accumulator")
    return AddNParams(-zi, _zero_point_in(output_zero_point, 8, "output"), mult, shift)


# ---- reductions, comparisons, cumulative sums (pycmsisnn_reduce_ops.h)
# Found by running TensorFlow Lite Micro as a black box over every pair of
# int8 values and random scales (tests/lower/test_reduce_ops.py).

COMPARE_LEFT_SHIFT = 8
INT32_MAX = 2**31 - 1


def compare_params(input_1_scale: float, input_1_zero_point: int, input_2_scale: float, input_2_zero_point: int) -> CompareParams:
    """EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL int8: TFLite
    Micro offsets each input, shifts it left by 8 and requantises it by the
    multiplier of its own scale (QuantizeMultiplierSmallerThanOneExp of the
    scale itself, not of a ratio), then compares the two. A scale of 1 or more
    has no such multiplier (TFLite Micro aborts): refused."""
    multipliers = []
    for which, scale in (("input 1", input_1_scale), ("input 2", input_2_scale)):
        s = _f32(scale)
        if not 0.0 < s < 1.0:
            raise QuantError(f"{which} scale {s:g} is not below 1 (TFLite Micro's comparison needs a multiplier smaller than one)")
        multipliers.append(quantize_multiplier_smaller_than_one(s))
    (m1, sh1), (m2, sh2) = multipliers
    return CompareParams(
        input_1_offset=input_offset(input_1_zero_point), input_1_mult=m1, input_1_shift=sh1,
        input_2_offset=input_offset(input_2_zero_point), input_2_mult=m2, input_2_shift=sh2,
        left_shift=COMPARE_LEFT_SHIFT,
    )


def sum_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int, int16: bool = False) -> MeanParams:
    """SUM int8 (int16 with ``int16``): TFLite Micro's MEAN recipe over a count
    of one, i.e. the offset sum requantised once by QuantizeMultiplier(s_in / s_out)."""
    derive = mean_params_s16 if int16 else mean_params
    return derive(input_scale, input_zero_point, output_scale, output_zero_point, 1)


def cumsum_params(input_scale: float, input_zero_point: int, output_scale: float, output_zero_point: int) -> CumsumParams:
    """CUMSUM int8: the input side of ``add_params`` with both inputs the
    CUMSUM input (each offset input shifted left by 20 and halved), and its
    output multiplier."""
    p = add_params(input_scale, input_zero_point, input_scale, input_zero_point, output_scale, output_zero_point)
    return CumsumParams(
        input_offset=p.input_1_offset, input_mult=p.input_1_mult, input_shift=p.input_1_shift, left_shift=p.left_shift,
        output_offset=p.out_offset, output_mult=p.out_mult, output_shift=p.out_shift,
    )


def cumsum_bound(params: CumsumParams, extent: int) -> int:
    """The largest magnitude a CUMSUM running sum over ``extent`` int8 inputs
    can reach (its start and every scaled input), to compare with INT32_MAX."""
    def scaled(q: int) -> int:
        v = (q + params.input_offset) << params.left_shift
        return abs(_requantize(v, params.input_mult, params.input_shift))

    start = abs(_requantize(params.input_offset << params.left_shift, params.input_mult, params.input_shift))
    return start + int(extent) * max(scaled(INT8_MIN), scaled(INT8_MAX))


def _requantize(value: int, multiplier: int, shift: int) -> int:
    """TFLite's MultiplyByQuantizedMultiplier of a value that fits 32 bits."""
    v = value << max(shift, 0)
    prod = v * multiplier
    nudge = (1 << 30) if prod >= 0 else 1 - (1 << 30)
    high = (prod + nudge) // (1 << 31) if prod + nudge >= 0 else -((-(prod + nudge)) // (1 << 31))
    right = max(-shift, 0)
    if right == 0:
        return high
    mask = (1 << right) - 1
    remainder = high & mask
    threshold = (mask >> 1) + (1 if high < 0 else 0)
    return (high >> right) + (1 if remainder > threshold else 0)
def svdf_quant(input_scale: float, feature_scale: float, state_scale: float, time_scale: float,
               output_scale: float) -> SvdfQuant:
    """The multipliers of TFLite's integer SVDF: the feature product
    requantised to the state (``s_in * s_feature / s_state``) and the time
    product (with the bias) to the output (``s_state * s_time / s_out``),
    float32 scales in double arithmetic as TFLite Micro computes them."""
    s_state, s_out = _f32(state_scale), _f32(output_scale)
    if s_state <= 0.0 or s_out <= 0.0:
        raise QuantError(f"state and output scales must be positive (state {s_state}, output {s_out})")
    m1, e1 = quantize_multiplier(_f32(input_scale) * _f32(feature_scale) / s_state)
    m2, e2 = quantize_multiplier(s_state * _f32(time_scale) / s_out)
    return SvdfQuant(PerTensorQuant(m1, e1), PerTensorQuant(m2, e2))
