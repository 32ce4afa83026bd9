"""Operator options as typed records: for every operator pycmsisnn lowers,
the fields of its builtin options table range-checked (strides, dilations and
filter sizes >= 1, known padding and activation codes, finite floats), and
the table checked to be the one its opcode takes. A corrupt value is an
``OptionsError`` naming the operator, the table and the field; lowering reads
the records' attributes, never a dict.

Operators pycmsisnn does not lower keep ``NoOptions`` (they are refused with
their reason, and nothing reads their options). The raw reading from the
flatbuffer is ``pycmsisnn.tflite.options``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Callable, TypeVar

from .errors import CmsisNNError
from .quant import FusedActivation as Activation

MAX_WINDOW = 1 << 16  # strides, dilations and filter sizes above this are corrupt, not models


class OptionsError(ValueError, CmsisNNError):
    """An operator's options table is missing, of the wrong type, or holds a value out of range."""

    refusal_status = "unsupported"


class Padding(IntEnum):
    SAME = 0
    VALID = 1


@dataclass(frozen=True)
class NoOptions:
    """An operator whose options pycmsisnn does not read."""


@dataclass(frozen=True)
class FusedOptions:
    """ADD, SUB, MUL: only a fused activation."""

    fused_activation_function: Activation = Activation.NONE


@dataclass(frozen=True)
class ConvOptions:
    """CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV."""

    padding: Padding
    stride_w: int
    stride_h: int
    fused_activation_function: Activation = Activation.NONE
    dilation_w_factor: int = 1
    dilation_h_factor: int = 1
    depth_multiplier: int = 1
    quantized_bias_type: int = 0  # a TensorType; INT32 (2): a 16x8 conv without bias sums in 32 bits


@dataclass(frozen=True)
class PoolOptions:
    """AVERAGE_POOL_2D and MAX_POOL_2D."""

    padding: Padding
    stride_w: int
    stride_h: int
    filter_width: int
    filter_height: int
    fused_activation_function: Activation = Activation.NONE


@dataclass(frozen=True)
class FullyConnectedOptions:
    fused_activation_function: Activation = Activation.NONE
    weights_format: int = 0  # 0: DEFAULT; 1: SHUFFLED4x16INT8
    keep_num_dims: bool = False
    quantized_bias_type: int = 0  # a TensorType; INT32 (2): a 16x8 layer without bias sums in 32 bits


@dataclass(frozen=True)
class ConcatenationOptions:
    axis: int = 0
    fused_activation_function: Activation = Activation.NONE


@dataclass(frozen=True)
class SoftmaxOptions:
    beta: float = 1.0


@dataclass(frozen=True)
class LeakyReluOptions:
    alpha: float = 0.0


@dataclass(frozen=True)
class BatchMatMulOptions:
    adj_x: bool = False
    adj_y: bool = False


@dataclass(frozen=True)
class StridedSliceOptions:
    begin_mask: int = 0
    end_mask: int = 0
    ellipsis_mask: int = 0
    new_axis_mask: int = 0
    shrink_axis_mask: int = 0
    offset: bool = False


@dataclass(frozen=True)
class SvdfOptions:
    """SVDF: the rank, the fused activation (TFLite Micro's integer SVDF
    ignores it) and the hybrid-only flag ``asymmetric_quantize_inputs``."""

    rank: int
    fused_activation_function: Activation = Activation.NONE
    asymmetric_quantize_inputs: bool = False


@dataclass(frozen=True)
class ReducerOptions:
    keep_dims: bool = False


@dataclass(frozen=True)
class CumsumOptions:
    exclusive: bool = False
    reverse: bool = False


@dataclass(frozen=True)
class ResizeOptions:
    align_corners: bool = False
    half_pixel_centers: bool = False


@dataclass(frozen=True)
class AxisCountOptions:
    """PACK and UNPACK (axis, count of values), SPLIT and SPLIT_V (count only)."""

    axis: int = 0
    count: int = 0


@dataclass(frozen=True)
class SequenceLSTMOptions:
    """UNIDIRECTIONAL_SEQUENCE_LSTM."""

    fused_activation_function: Activation = Activation.NONE
    cell_clip: float = 0.0
    proj_clip: float = 0.0
    time_major: bool = False
    asymmetric_quantize_inputs: bool = False
    diagonal_recurrent_tensors: bool = False


@dataclass(frozen=True)
class GatherOptions:
    axis: int = 0
    batch_dims: int = 0


@dataclass(frozen=True)
class BlockOptions:
    block_size: int = 1


@dataclass(frozen=True)
class MirrorPadOptions:
    mode: int = 0  # 0 REFLECT, 1 SYMMETRIC


Options = (NoOptions | FusedOptions | ConvOptions | PoolOptions | FullyConnectedOptions | ConcatenationOptions
           | SoftmaxOptions | LeakyReluOptions | BatchMatMulOptions | StridedSliceOptions | ReducerOptions
           | CumsumOptions | SvdfOptions | SequenceLSTMOptions | ResizeOptions | AxisCountOptions | GatherOptions
           | BlockOptions | MirrorPadOptions)
R = TypeVar("R")


class _Fields:
    """Range checks of one operator's raw options, each naming the field."""

    def __init__(self, where: str, table: str, raw: dict[str, Any]) -> None:
        self.where, self.table, self.raw = where, table, raw

    def error(self, name: str, reason: str) -> OptionsError:
        return OptionsError(f"{self.where}: {self.table}.{name} {reason}")

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = int(self.raw.get(name, default))
        if not low <= value <= high:
            raise self.error(name, f"is {value}, must be in [{low}, {high}]")
        return value

    def window(self, name: str) -> int:
        """A stride, dilation or filter size: required, 1 .. MAX_WINDOW."""
        if name not in self.raw:
            raise self.error(name, "is missing")
        return self.integer(name, 0, 1, MAX_WINDOW)

    def padding(self) -> Padding:
        value = int(self.raw.get("padding", -1))
        if value not in (0, 1):
            raise self.error("padding", f"is {value}, must be 0 (SAME) or 1 (VALID)")
        return Padding(value)

    def activation(self) -> Activation:
        value = int(self.raw.get("fused_activation_function", 0))
        if value not in Activation._value2member_map_:
            raise self.error("fused_activation_function", f"is {value}, not a TFLite activation (0-5)")
        return Activation(value)

    def real(self, name: str, default: float) -> float:
        value = float(self.raw.get(name, default))
        if not math.isfinite(value):
            raise self.error(name, f"is {value}, must be finite")
        return value

    def flag(self, name: str) -> bool:
        return bool(self.raw.get(name, False))


def _conv(f: _Fields, dilated: bool, depthwise: bool) -> ConvOptions:
    return ConvOptions(
        f.padding(), f.window("stride_w"), f.window("stride_h"), f.activation(),
        f.window("dilation_w_factor") if dilated else 1, f.window("dilation_h_factor") if dilated else 1,
        f.integer("depth_multiplier", 1, 0, MAX_WINDOW) if depthwise else 1,
        f.integer("quantized_bias_type", 0, *TENSOR_TYPE),
    )


def _pool(f: _Fields) -> PoolOptions:
    return PoolOptions(f.padding(), f.window("stride_w"), f.window("stride_h"), f.window("filter_width"),
                       f.window("filter_height"), f.activation())


I32 = (-(1 << 31), (1 << 31) - 1)
TENSOR_TYPE = (-128, 127)  # TensorType is a (signed) byte enum
# opcode: (its options table, whether the table is required, the record builder)
_RECORDS: dict[str, tuple[str, bool, Callable[[_Fields], Options]]] = {
    "CONV_2D": ("Conv2DOptions", True, lambda f: _conv(f, True, False)),
    "DEPTHWISE_CONV_2D": ("DepthwiseConv2DOptions", True, lambda f: _conv(f, True, True)),
    "TRANSPOSE_CONV": ("TransposeConvOptions", True, lambda f: _conv(f, False, False)),
    "AVERAGE_POOL_2D": ("Pool2DOptions", True, _pool),
    "MAX_POOL_2D": ("Pool2DOptions", True, _pool),
    "FULLY_CONNECTED": ("FullyConnectedOptions", False, lambda f: FullyConnectedOptions(
        f.activation(), f.integer("weights_format", 0, 0, 1), f.flag("keep_num_dims"),
        f.integer("quantized_bias_type", 0, *TENSOR_TYPE))),
    "ADD": ("AddOptions", False, lambda f: FusedOptions(f.activation())),
    "SUB": ("SubOptions", False, lambda f: FusedOptions(f.activation())),
    "MUL": ("MulOptions", False, lambda f: FusedOptions(f.activation())),
    "DIV": ("DivOptions", False, lambda f: FusedOptions(f.activation())),
    "CONCATENATION": ("ConcatenationOptions", False, lambda f: ConcatenationOptions(
        f.integer("axis", 0, *I32), f.activation())),
    "SOFTMAX": ("SoftmaxOptions", True, lambda f: SoftmaxOptions(f.real("beta", 1.0))),
    "LEAKY_RELU": ("LeakyReluOptions", False, lambda f: LeakyReluOptions(f.real("alpha", 0.0))),
    "BATCH_MATMUL": ("BatchMatMulOptions", False, lambda f: BatchMatMulOptions(f.flag("adj_x"), f.flag("adj_y"))),
    "STRIDED_SLICE": ("StridedSliceOptions", False, lambda f: StridedSliceOptions(
        f.integer("begin_mask", 0, *I32), f.integer("end_mask", 0, *I32), f.integer("ellipsis_mask", 0, *I32),
        f.integer("new_axis_mask", 0, *I32), f.integer("shrink_axis_mask", 0, *I32), f.flag("offset"))),
    "MEAN": ("ReducerOptions", False, lambda f: ReducerOptions(f.flag("keep_dims"))),
    "L2_NORMALIZATION": ("L2NormOptions", False, lambda f: FusedOptions(f.activation())),
    "SUM": ("ReducerOptions", False, lambda f: ReducerOptions(f.flag("keep_dims"))),
    "REDUCE_MAX": ("ReducerOptions", False, lambda f: ReducerOptions(f.flag("keep_dims"))),
    "REDUCE_MIN": ("ReducerOptions", False, lambda f: ReducerOptions(f.flag("keep_dims"))),
    "CUMSUM": ("CumsumOptions", False, lambda f: CumsumOptions(f.flag("exclusive"), f.flag("reverse"))),
    "SVDF": ("SVDFOptions", True, lambda f: SvdfOptions(
        f.integer("rank", 0, 1, I32[1]), f.activation(), f.flag("asymmetric_quantize_inputs"))),
    "UNIDIRECTIONAL_SEQUENCE_LSTM": ("UnidirectionalSequenceLSTMOptions", True, lambda f: SequenceLSTMOptions(
        f.activation(), f.real("cell_clip", 0.0), f.real("proj_clip", 0.0), f.flag("time_major"),
        f.flag("asymmetric_quantize_inputs"), f.flag("diagonal_recurrent_tensors"))),
    **{code: (table, False, lambda f: ResizeOptions(f.flag("align_corners"), f.flag("half_pixel_centers")))
       for code, table in (("RESIZE_NEAREST_NEIGHBOR", "ResizeNearestNeighborOptions"), ("RESIZE_BILINEAR", "ResizeBilinearOptions"))},
    "SPLIT": ("SplitOptions", False, lambda f: AxisCountOptions(0, f.integer("num_splits", 0, 0, MAX_WINDOW))),
    "SPLIT_V": ("SplitVOptions", False, lambda f: AxisCountOptions(0, f.integer("num_splits", 0, 0, MAX_WINDOW))),
    "PACK": ("PackOptions", False, lambda f: AxisCountOptions(f.integer("axis", 0, *I32), f.integer("values_count", 0, 0, MAX_WINDOW))),
    "UNPACK": ("UnpackOptions", False, lambda f: AxisCountOptions(f.integer("axis", 0, *I32), f.integer("num", 0, 0, MAX_WINDOW))),
    "GATHER": ("GatherOptions", False, lambda f: GatherOptions(f.integer("axis", 0, *I32), f.integer("batch_dims", 0, *I32))),
    "DEPTH_TO_SPACE": ("DepthToSpaceOptions", False, lambda f: BlockOptions(f.integer("block_size", 0, *I32))),
    "SPACE_TO_DEPTH": ("SpaceToDepthOptions", False, lambda f: BlockOptions(f.integer("block_size", 0, *I32))),
    "MIRROR_PAD": ("MirrorPadOptions", False, lambda f: MirrorPadOptions(f.integer("mode", 0, 0, 1))),
}


def typed_options(index: int, opcode: str, raw: dict[str, Any]) -> Options:
    """The typed, range-checked options of operator ``index``; raises
    ``OptionsError`` naming the operator, table and field."""
    spec = _RECORDS.get(opcode)
    if spec is None:
        return NoOptions()
    table, required, build = spec
    where = f"operator {index} ({opcode})"
    kind = raw.get("_type")
    if kind is not None and kind != table:
        raise OptionsError(f"{where}: builtin_options is a {kind} table, the operator takes {table}")
    if kind is None and required:
        raise OptionsError(f"{where}: the {table} table is missing")
    return build(_Fields(where, table, raw))


def activation_code(op_options: object) -> Activation:
    """The fused activation of any record that has one (NONE otherwise)."""
    return Activation(getattr(op_options, "fused_activation_function", Activation.NONE))


def options_as(op_options: object, cls: type[R]) -> R:
    """``op_options`` as the record type a lowering rule expects."""
    if not isinstance(op_options, cls):
        raise TypeError(f"expected {cls.__name__} options, got {type(op_options).__name__}")
    return op_options


__all__ = [
    "Activation", "activation_code", "BatchMatMulOptions", "ConcatenationOptions", "ConvOptions", "CumsumOptions", "FullyConnectedOptions", "FusedOptions",
    "LeakyReluOptions", "NoOptions", "Options", "OptionsError", "Padding", "PoolOptions", "ReducerOptions",
    "SequenceLSTMOptions", "SoftmaxOptions", "StridedSliceOptions", "SvdfOptions", "ResizeOptions", "AxisCountOptions", "GatherOptions",
    "BlockOptions", "MirrorPadOptions", "options_as", "typed_options",
]
