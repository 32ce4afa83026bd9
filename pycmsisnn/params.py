"""Kernel parameters as frozen values, one class per CMSIS-NN parameter struct.

These are what ``pycmsisnn.quant`` derives, what the kernel wrappers take,
and what later stages (lowering, code generation) hand on. Field names are the
C struct's; ``Tile`` is ``cmsis_nn_tile`` (w, h). Shapes are NHWC tuples.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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
