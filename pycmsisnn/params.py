"""Kernel parameters as frozen values, one class per CMSIS-NN parameter struct.

These are what ``pycmsisnn.quant`` derives, what the kernel wrappers take,
and what later stages (lowering, code generation) hand on. Field names are the
C struct's; ``Tile`` is ``cmsis_nn_tile`` (w, h). Shapes are NHWC tuples.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Tile:
    """cmsis_nn_tile: a width/height pair (stride, padding, dilation)."""

    w: int
    h: int


@dataclass(frozen=True)
class Activation:
    """cmsis_nn_activation: the output clamp, in the quantised output domain."""

    min: int = -128
    max: int = 127


@dataclass(frozen=True)
class ConvParams:
    """cmsis_nn_conv_params. input_offset = -input zp, output_offset = +output zp."""

    input_offset: int
    output_offset: int
    stride: Tile = Tile(1, 1)
    padding: Tile = Tile(0, 0)
    dilation: Tile = Tile(1, 1)
    activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class DwConvParams:
    """cmsis_nn_dw_conv_params (ConvParams plus the channel multiplier)."""

    input_offset: int
    output_offset: int
    ch_mult: int = 1
    stride: Tile = Tile(1, 1)
    padding: Tile = Tile(0, 0)
    dilation: Tile = Tile(1, 1)
    activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class TransposeConvParams:
    """cmsis_nn_transpose_conv_params. padding_offsets is the extra padding at
    the bottom/right when the total padding is odd."""

    input_offset: int
    output_offset: int
    stride: Tile = Tile(1, 1)
    padding: Tile = Tile(0, 0)
    padding_offsets: Tile = Tile(0, 0)
    dilation: Tile = Tile(1, 1)
    activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class PoolParams:
    """cmsis_nn_pool_params."""

    stride: Tile = Tile(1, 1)
    padding: Tile = Tile(0, 0)
    activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class FcParams:
    """cmsis_nn_fc_params. input_offset = -input zp, filter_offset = -filter zp,
    output_offset = +output zp."""

    input_offset: int
    filter_offset: int
    output_offset: int
    activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class BmmParams:
    """cmsis_nn_bmm_params."""

    adj_x: bool
    adj_y: bool
    fc_params: FcParams


@dataclass(frozen=True)
class PerTensorQuant:
    """cmsis_nn_per_tensor_quant_params: one Q31 multiplier and shift (left if > 0)."""

    multiplier: int
    shift: int


@dataclass(frozen=True)
class PerChannelQuant:
    """cmsis_nn_per_channel_quant_params: one multiplier and shift per output channel."""

    multiplier: tuple[int, ...]
    shift: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "multiplier", tuple(int(m) for m in self.multiplier))
        object.__setattr__(self, "shift", tuple(int(s) for s in self.shift))


@dataclass(frozen=True)
class AddParams:
    """Arguments of arm_elementwise_add_s8 other than the data."""

    input_1_offset: int
    input_1_mult: int
    input_1_shift: int
    input_2_offset: int
    input_2_mult: int
    input_2_shift: int
    left_shift: int
    out_offset: int
    out_mult: int
    out_shift: int
    out_activation_min: int = -128
    out_activation_max: int = 127


@dataclass(frozen=True)
class MulParams:
    """Arguments of arm_elementwise_mul_s8 other than the data."""

    input_1_offset: int
    input_2_offset: int
    out_offset: int
    out_mult: int
    out_shift: int
    out_activation_min: int = -128
    out_activation_max: int = 127


@dataclass(frozen=True)
class SoftmaxParams:
    """Arguments of arm_softmax_s8 / arm_softmax_s8_s16 other than the data."""

    mult: int
    shift: int
    diff_min: int


@dataclass(frozen=True)
class SigmoidTanhParams:
    """pycmsisnn_sigmoid_tanh_params: the offset input goes to Q4.27 by one
    requantisation; offset inputs with magnitude >= ``input_range_radius``
    saturate the output."""

    input_offset: int  # minus the input zero point
    input_multiplier: int  # Q31 mantissa of input scale * 2^27
    input_left_shift: int  # its exponent, 0..31
    input_range_radius: int  # >= 0


@dataclass(frozen=True)
class ReluParams:
    """pycmsisnn_relu_params: requantise by s_in / s_out, add the output zero
    point, clamp to ``activation``."""

    input_offset: int  # minus the input zero point
    output_offset: int  # the output zero point
    output_multiplier: int  # Q31
    output_shift: int  # > 0 left, < 0 right
    activation: Activation  # clamp in the output's quantised domain


@dataclass(frozen=True)
class LeakyReluParams:
    """pycmsisnn_leaky_relu_params: identity multiplier for offset inputs >= 0,
    alpha multiplier (signed) for negative ones."""

    input_offset: int
    output_offset: int
    identity_multiplier: int  # Q31 of s_in / s_out
    identity_shift: int
    alpha_multiplier: int  # Q31 of alpha * s_in / s_out, may be negative
    alpha_shift: int


@dataclass(frozen=True)
class HardSwishParams:
    """pycmsisnn_hard_swish_params: two Q15 multipliers of the 16-bit scheme."""

    input_offset: int
    output_offset: int
    output_multiplier: int  # Q15 of s_in / (128 * s_out)
    reluish_multiplier: int  # Q15 of s_in / (128 * 3 / 32768)
    output_shift: int  # -15..0
    reluish_shift: int  # -15..30


@dataclass(frozen=True)
class RequantizeParams:
    """pycmsisnn_requantize_params: int8 -> int8 with a new scale and zero point."""

    input_offset: int
    output_offset: int
    multiplier: int  # Q31 of s_in / s_out
    shift: int


@dataclass(frozen=True)
class AffineParams:
    """pycmsisnn_affine_params: real = scale * (q - zero_point); the scale is
    used as a float32, as the model stores it."""

    scale: float
    zero_point: int


@dataclass(frozen=True)
class MeanParams:
    """pycmsisnn_mean_params: offsets and the requantisation of a MEAN whose
    multiplier already folds in 1 / (number of reduced elements)."""

    input_offset: int  # minus the input zero point
    output_offset: int  # the output zero point
    multiplier: int  # Q31
    shift: int  # > 0 left, < 0 right


@dataclass(frozen=True)
class SigmoidTanhS16Params:
    """pycmsisnn_sigmoid_tanh_s16_params: the int16 input goes to the sigmoid
    table's scale 1 / (3 * 4096) as (x * input_multiplier + round) >> input_left_shift."""

    input_multiplier: int  # 1..65535
    input_left_shift: int  # 0..31, a right shift despite TFLite's name


@dataclass(frozen=True)
class PreluParams:
    """pycmsisnn_prelu_params: identity multiplier for offset inputs >= 0,
    alpha multiplier (times the offset alpha) for negative ones."""

    input_offset: int  # minus the input zero point
    alpha_offset: int  # minus the alpha zero point
    output_offset: int  # the output zero point
    identity_multiplier: int  # Q31 of s_in / s_out
    identity_shift: int
    alpha_multiplier: int  # Q31 of s_in * s_alpha / s_out
    alpha_shift: int


@dataclass(frozen=True)
class SquaredDifferenceParams:
    """pycmsisnn_squared_difference_params: ADD's input rescaling (left shift
    7 for int8, 0 for int16), the squared difference rescaled to the output."""

    input_1_offset: int
    input_1_mult: int
    input_1_shift: int  # -31..0
    input_2_offset: int
    input_2_mult: int
    input_2_shift: int  # -31..0
    left_shift: int
    output_offset: int
    output_mult: int
    output_shift: int



@dataclass(frozen=True)
class LogSoftmaxParams:
    """pycmsisnn_log_softmax_params: SOFTMAX's input scaling into Q5.26 and
    its reverse, to bound the differences whose result cannot overflow."""

    input_multiplier: int  # Q31 of s_in * 2^26
    input_left_shift: int  # 1..31
    reverse_multiplier: int  # Q31 of 2^(31 - input_left_shift) / input_multiplier
    reverse_shift: int  # -31..0
    diff_min: int  # the most negative difference counted in the sum of exponentials


@dataclass(frozen=True)
class DivParams:
    """pycmsisnn_div_params: the quotient of the offset inputs requantised by
    s1 / (s2 * s_out), clamped to the fused activation's range."""

    input_1_offset: int
    input_2_offset: int
    output_offset: int
    output_multiplier: int
    output_shift: int  # -25..22
    activation_min: int
    activation_max: int


@dataclass(frozen=True)
class AddNParams:
    """pycmsisnn_add_n_params: inputs sharing one scale and zero point, their
    offset sum (from the offset zero) times 2^19 requantised to the output."""

    input_offset: int
    output_offset: int
    output_multiplier: int  # Q31 of 2 s_in / (2^20 s_out)
    output_shift: int  # -31..0

# ---- reduction, comparison and selection kernels (pycmsisnn_reduce_ops.h)


@dataclass(frozen=True)
class CompareParams:
    """pycmsisnn_compare_params: each input of a comparison offset, scaled up
    by 2^left_shift and requantised by the multiplier of its own scale."""

    input_1_offset: int  # minus the zero point of input 1
    input_1_mult: int  # Q31 multiplier of input 1's scale
    input_1_shift: int  # its exponent (<= 0)
    input_2_offset: int
    input_2_mult: int
    input_2_shift: int
    left_shift: int


@dataclass(frozen=True)
class CumsumParams:
    """pycmsisnn_cumsum_params: each offset input scaled up by 2^left_shift and
    requantised (input_mult, input_shift), the running sum requantised to the output."""

    input_offset: int  # minus the input zero point
    input_mult: int  # Q31
    input_shift: int  # <= 0
    left_shift: int
    output_offset: int  # the output zero point
    output_mult: int  # Q31
    output_shift: int  # <= 0


@dataclass(frozen=True)
class SvdfParams:
    """cmsis_nn_svdf_params. Unlike the other structs, ``input_offset`` is the
    input zero point itself: Arm's SVDF kernels subtract it from the input
    (measured against Arm's library; its doc says "negative of the zero
    value"). ``output_offset`` = +output zp. ``input_activation`` clamps the
    new state value (the state type's range), ``output_activation`` the output."""

    rank: int
    input_offset: int
    output_offset: int
    input_activation: Activation = field(default_factory=lambda: Activation(-32768, 32767))
    output_activation: Activation = field(default_factory=Activation)


@dataclass(frozen=True)
class SvdfQuant:
    """The two requantisations of an integer SVDF: ``input`` (feature product
    to state: s_in * s_feature / s_state) and ``output`` (time product to
    output: s_state * s_time / s_out)."""

    input: PerTensorQuant
    output: PerTensorQuant


@dataclass(frozen=True, eq=False)
class LstmGate:
    """cmsis_nn_lstm_gate: one LSTM gate's two products (input and recurrent),
    each requantised to the gate scale 2^-12, and its activation.

    The effective biases fold the zero points in (Arm's kernel uses the int8
    values as they are): input_effective_bias[r] = bias[r] + input_offset *
    sum_c input_weights[r][c], hidden_effective_bias[r] = -hidden_zero_point *
    sum_c hidden_weights[r][c]; int32 for int8 activations, int64 for 16x8."""

    input_multiplier: int  # Q31
    input_shift: int  # > 0 left, < 0 right
    input_weights: np.ndarray  # int8 [hidden][input_size]
    input_effective_bias: np.ndarray  # [hidden]
    hidden_multiplier: int
    hidden_shift: int
    hidden_weights: np.ndarray  # int8 [hidden][hidden]
    hidden_effective_bias: np.ndarray  # [hidden]
    bias: np.ndarray  # the gate's own bias (int32, or int64 in 16x8), as in the model
    activation: str  # "sigmoid" or "tanh"


@dataclass(frozen=True, eq=False)
class LstmParams:
    """cmsis_nn_lstm_params: an UNIDIRECTIONAL_SEQUENCE_LSTM's sizes and the
    requantisations of its cell update (forget * cell and input * cell gate
    onto the cell scale 2^cell_scale_power) and of its hidden state (output
    gate * tanh(cell), Q0.15 x Q0.15, onto the hidden state's scale)."""

    time_major: bool
    batch_size: int
    time_steps: int
    input_size: int
    hidden_size: int
    input_offset: int  # minus the input zero point
    forget_to_cell_multiplier: int
    forget_to_cell_shift: int
    input_to_cell_multiplier: int
    input_to_cell_shift: int
    cell_clip: int  # quantised; 0: none
    cell_scale_power: int  # the cell state's scale is 2^cell_scale_power
    output_multiplier: int
    output_shift: int
    output_offset: int  # the hidden state's zero point
    forget_gate: LstmGate
    input_gate: LstmGate
    cell_gate: LstmGate
    output_gate: LstmGate

    @property
    def gates(self) -> tuple[LstmGate, LstmGate, LstmGate, LstmGate]:
        """In cmsis_nn_lstm_params' order: forget, input, cell, output."""
        return (self.forget_gate, self.input_gate, self.cell_gate, self.output_gate)
