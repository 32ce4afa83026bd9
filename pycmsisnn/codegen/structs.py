"""C initializers of the kernel parameter structs, one emit function per struct.

``STRUCTS`` maps each frozen parameter class of ``pycmsisnn.params`` (and of
our ``pycmsisnn_*`` kernels) to the C struct type it stands for and a function
writing its designated initializer (field names are the C struct's, so the
field order of Arm's headers does not matter). ``declare(layer, name, value)``
puts a ``static const`` instance in a layer body. Structs holding pointers
(per-channel quantisation) place their arrays in the unit's constant pool;
``cmsis_nn_per_channel_quant_params`` has non-const ``int32_t *`` fields, so
those pointers are cast from the const arrays (the kernels only read them).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..params import (
    Activation,
    AddParams,
    AffineParams,
    BmmParams,
    ConvParams,
    DwConvParams,
    FcParams,
    HardSwishParams,
    LeakyReluParams,
    PreluParams,
    SquaredDifferenceParams,
    MeanParams,
    MulParams,
    PerChannelQuant,
    PerTensorQuant,
    PoolParams,
    ReluParams,
    RequantizeParams,
    SigmoidTanhParams,
    SigmoidTanhS16Params,
    Tile,
    TransposeConvParams,
)
from .cwriter import Layer, c_bool, c_float, c_int

Fields = Sequence[tuple[str, str]]


def init(fields: Fields) -> str:
    """A designated initializer ``{.a = 1, .b = 2}``."""
    return "{" + ", ".join(f".{k} = {v}" for k, v in fields) + "}"


def tile(t: Tile) -> str:
    return init([("w", c_int(t.w)), ("h", c_int(t.h))])


def activation(a: Activation) -> str:
    return init([("min", c_int(a.min)), ("max", c_int(a.max))])


def dims(shape: Sequence[int]) -> str:
    """cmsis_nn_dims of an (n, h, w, c) shape."""
    n, h, w, c = (int(d) for d in shape)
    return init([("n", c_int(n)), ("h", c_int(h)), ("w", c_int(w)), ("c", c_int(c))])


def conv_params(p: ConvParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("stride", tile(p.stride)), ("padding", tile(p.padding)), ("dilation", tile(p.dilation)),
        ("activation", activation(p.activation)),
    ])


def dw_conv_params(p: DwConvParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)), ("ch_mult", c_int(p.ch_mult)),
        ("stride", tile(p.stride)), ("padding", tile(p.padding)), ("dilation", tile(p.dilation)),
        ("activation", activation(p.activation)),
    ])


def transpose_conv_params(p: TransposeConvParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("stride", tile(p.stride)), ("padding", tile(p.padding)), ("padding_offsets", tile(p.padding_offsets)),
        ("dilation", tile(p.dilation)), ("activation", activation(p.activation)),
    ])


def pool_params(p: PoolParams, layer: Layer) -> str:
    return init([("stride", tile(p.stride)), ("padding", tile(p.padding)), ("activation", activation(p.activation))])


def fc_params(p: FcParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("filter_offset", c_int(p.filter_offset)),
        ("output_offset", c_int(p.output_offset)), ("activation", activation(p.activation)),
    ])


def bmm_params(p: BmmParams, layer: Layer) -> str:
    return init([("adj_x", c_bool(p.adj_x)), ("adj_y", c_bool(p.adj_y)), ("fc_params", fc_params(p.fc_params, layer))])


def per_tensor_quant_params(q: PerTensorQuant, layer: Layer) -> str:
    return init([("multiplier", c_int(q.multiplier)), ("shift", c_int(q.shift))])


def _quant_arrays(layer: Layer, multiplier: Sequence[int], shift: Sequence[int]) -> tuple[str, str]:
    m = layer.constant(np.asarray(multiplier, dtype=np.int32), "multiplier")
    s = layer.constant(np.asarray(shift, dtype=np.int32), "shift")
    return f"(int32_t *){m}", f"(int32_t *){s}"


def per_channel_quant_params(q: PerChannelQuant, layer: Layer) -> str:
    m, s = _quant_arrays(layer, q.multiplier, q.shift)
    return init([("multiplier", m), ("shift", s)])


def quant_params(q: PerTensorQuant | PerChannelQuant, layer: Layer) -> str:
    """cmsis_nn_quant_params of the FC wrapper: arrays plus ``is_per_channel``."""
    if isinstance(q, PerChannelQuant):
        m, s = _quant_arrays(layer, q.multiplier, q.shift)
        return init([("multiplier", m), ("shift", s), ("is_per_channel", "1")])
    m, s = _quant_arrays(layer, [q.multiplier], [q.shift])
    return init([("multiplier", m), ("shift", s), ("is_per_channel", "0")])


def transpose_params(permutations: Sequence[int], layer: Layer) -> str:
    perm = layer.constant(np.asarray(permutations, dtype=np.uint32), "permutations")
    return init([("num_dims", c_int(len(permutations))), ("permutations", perm)])


def context(buf: str, size: int) -> str:
    return init([("buf", buf), ("size", c_int(size))])


def declare_dims(layer: Layer, name: str, shape: Sequence[int]) -> str:
    """A ``cmsis_nn_dims`` of a 4-entry (n, h, w, c) shape in ``layer``; returns ``&name``."""
    if len(shape) != 4:
        raise layer.refuse(f"{name} needs 4 dimensions, got {tuple(shape)}")
    return layer.declare("cmsis_nn_dims", name, dims(shape))


def declare_context(layer: Layer, name: str, slot: int = 0) -> str:
    """The ``cmsis_nn_context`` of the call's scratch buffer ``slot`` (in the
    arena, never NULL even for 0 bytes); returns ``&name``."""
    buf, size = layer.scratch(slot)
    return layer.declare("cmsis_nn_context", name, context(buf, size))


def declare_transpose_params(layer: Layer, name: str, permutations: Sequence[int]) -> str:
    return layer.declare("cmsis_nn_transpose_params", name, transpose_params(permutations, layer))


def declare_bias_data(layer: Layer, name: str, data: str, is_int32: bool) -> str:
    """The ``cmsis_nn_bias_data`` of the s16 convolution (and our per-channel
    s16 fully connected): ``data`` points to an int64 bias, or an int32 one
    with ``is_int32_bias``, or is NULL; returns ``&name``."""
    return layer.declare("cmsis_nn_bias_data", name, init([("data", data), ("is_int32_bias", c_bool(is_int32))]))


def declare_quant_params(layer: Layer, name: str, q: PerTensorQuant | PerChannelQuant) -> str:
    """The ``cmsis_nn_quant_params`` of the fully-connected wrapper."""
    return layer.declare("cmsis_nn_quant_params", name, quant_params(q, layer))


# --------------------------------------------------- our kernels' structs


def sigmoid_tanh_params(p: SigmoidTanhParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("input_multiplier", c_int(p.input_multiplier)),
        ("input_left_shift", c_int(p.input_left_shift)), ("input_range_radius", c_int(p.input_range_radius)),
    ])


def relu_params(p: ReluParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("output_multiplier", c_int(p.output_multiplier)), ("output_shift", c_int(p.output_shift)),
        ("activation", activation(p.activation)),
    ])


def leaky_relu_params(p: LeakyReluParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("identity_multiplier", c_int(p.identity_multiplier)), ("identity_shift", c_int(p.identity_shift)),
        ("alpha_multiplier", c_int(p.alpha_multiplier)), ("alpha_shift", c_int(p.alpha_shift)),
    ])


def hard_swish_params(p: HardSwishParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("output_multiplier", c_int(p.output_multiplier)), ("reluish_multiplier", c_int(p.reluish_multiplier)),
        ("output_shift", c_int(p.output_shift)), ("reluish_shift", c_int(p.reluish_shift)),
    ])


def requantize_params(p: RequantizeParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("multiplier", c_int(p.multiplier)), ("shift", c_int(p.shift)),
    ])


def affine_params(p: AffineParams, layer: Layer) -> str:
    return init([("scale", c_float(p.scale)), ("zero_point", c_int(p.zero_point))])


def mean_params(p: MeanParams, layer: Layer) -> str:
    return init([
        ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
        ("multiplier", c_int(p.multiplier)), ("shift", c_int(p.shift)),
    ])


def add_params(p: AddParams, layer: Layer) -> str:
    """pycmsisnn_add_params of the broadcasting ADD and SUB."""
    return init([
        ("input_1_offset", c_int(p.input_1_offset)), ("input_1_mult", c_int(p.input_1_mult)), ("input_1_shift", c_int(p.input_1_shift)),
        ("input_2_offset", c_int(p.input_2_offset)), ("input_2_mult", c_int(p.input_2_mult)), ("input_2_shift", c_int(p.input_2_shift)),
        ("left_shift", c_int(p.left_shift)), ("output_offset", c_int(p.out_offset)), ("output_mult", c_int(p.out_mult)),
        ("output_shift", c_int(p.out_shift)), ("activation", activation(Activation(p.out_activation_min, p.out_activation_max))),
    ])


def mul_params(p: MulParams, layer: Layer) -> str:
    """pycmsisnn_mul_params of the broadcasting MUL."""
    return init([
        ("input_1_offset", c_int(p.input_1_offset)), ("input_2_offset", c_int(p.input_2_offset)),
        ("output_offset", c_int(p.out_offset)), ("output_mult", c_int(p.out_mult)), ("output_shift", c_int(p.out_shift)),
        ("activation", activation(Activation(p.out_activation_min, p.out_activation_max))),
    ])


def sigmoid_tanh_s16_params(p: SigmoidTanhS16Params, layer: Layer) -> str:
    return init([("input_multiplier", c_int(p.input_multiplier)), ("input_left_shift", c_int(p.input_left_shift))])


def prelu_params(p: PreluParams, layer: Layer) -> str:
    return init([(f, c_int(getattr(p, f))) for f in (
        "input_offset", "alpha_offset", "output_offset", "identity_multiplier", "identity_shift", "alpha_multiplier", "alpha_shift")])


def squared_difference_params(p: SquaredDifferenceParams, layer: Layer) -> str:
    return init([(f, c_int(getattr(p, f))) for f in (
        "input_1_offset", "input_1_mult", "input_1_shift", "input_2_offset", "input_2_mult", "input_2_shift", "left_shift",
        "output_offset", "output_mult", "output_shift")])


# Parameter class -> (C struct type, initializer writer).
STRUCTS: dict[type, tuple[str, Callable[[Any, Layer], str]]] = {
    ConvParams: ("cmsis_nn_conv_params", conv_params),
    DwConvParams: ("cmsis_nn_dw_conv_params", dw_conv_params),
    TransposeConvParams: ("cmsis_nn_transpose_conv_params", transpose_conv_params),
    PoolParams: ("cmsis_nn_pool_params", pool_params),
    FcParams: ("cmsis_nn_fc_params", fc_params),
    BmmParams: ("cmsis_nn_bmm_params", bmm_params),
    PerTensorQuant: ("cmsis_nn_per_tensor_quant_params", per_tensor_quant_params),
    PerChannelQuant: ("cmsis_nn_per_channel_quant_params", per_channel_quant_params),
    SigmoidTanhParams: ("pycmsisnn_sigmoid_tanh_params", sigmoid_tanh_params),
    ReluParams: ("pycmsisnn_relu_params", relu_params),
    LeakyReluParams: ("pycmsisnn_leaky_relu_params", leaky_relu_params),
    HardSwishParams: ("pycmsisnn_hard_swish_params", hard_swish_params),
    RequantizeParams: ("pycmsisnn_requantize_params", requantize_params),
    AffineParams: ("pycmsisnn_affine_params", affine_params),
    MeanParams: ("pycmsisnn_mean_params", mean_params),
    AddParams: ("pycmsisnn_add_params", add_params),
    MulParams: ("pycmsisnn_mul_params", mul_params),
    SigmoidTanhS16Params: ("pycmsisnn_sigmoid_tanh_s16_params", sigmoid_tanh_s16_params),
    PreluParams: ("pycmsisnn_prelu_params", prelu_params),
    SquaredDifferenceParams: ("pycmsisnn_squared_difference_params", squared_difference_params),
}


def declare(layer: Layer, name: str, value: Any, expected: type | tuple[type, ...] | None = None) -> str:
    """A ``static const`` instance of the C struct of ``value`` in ``layer``;
    returns ``&name``. ``expected`` guards the argument's class."""
    if expected is not None and not isinstance(value, expected):
        raise layer.refuse(f"{name} is a {type(value).__name__}, expected {expected}")
    entry = STRUCTS.get(type(value))
    if entry is None:
        raise layer.refuse(f"{name}: no C struct for {type(value).__name__}")
    ctype, write = entry
    return layer.declare(ctype, name, write(value, layer))
