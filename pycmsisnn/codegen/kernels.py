"""One emitter per kernel the lowering produces: the C call with exactly the
arguments the Python wrapper of that name passes to C.

``EMITTERS`` maps a ``KernelCall.kernel`` to ``(function, header)``: the
function writes the layer body through a ``Layer`` (parameter structs, then
the call), the header is the one declaring the C functions it calls. What a
wrapper does in numpy is done here at generation time for constants (batch
matmul's transposes); where it would need run-time work on activations the
emitter refuses with the reason. Only the CMSIS-NN API (and our
``pycmsisnn_*`` kernels of operators CMSIS-NN lacks) appears in the calls.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..cores import Feature
from ..kernels.data_movement import CONCAT_AXIS_FUNCTIONS
from ..kernels.fully_connected import arm_vector_sum_s8
from ..lower import KernelCall, TensorArg
from ..params import (AddParams, BmmParams, CompareParams, CumsumParams, ConvParams, DwConvParams, FcParams, MulParams, PerChannelQuant, PerTensorQuant, PoolParams, PreluParams,
                      SoftmaxParams, SquaredDifferenceParams, TransposeConvParams)
from .cwriter import Layer, c_bool, c_int
from .svdf import svdf
from .data_ops import DATA_OPS_EMITTERS
from .cast_logic import CAST_LOGIC_EMITTERS
from .math_ops import MATH_OPS_EMITTERS
from .structs import declare, declare_bias_data, declare_context, declare_dims, declare_quant_params, declare_transpose_params, dims, init
from ..kernels._base import nhwc as _nhwc

Emitter = Callable[[Layer, KernelCall], None]
NNFUNCTIONS, ACTIVATIONS, TENSOR_OPS = "arm_nnfunctions.h", "pycmsisnn_activations.h", "pycmsisnn_tensor_ops.h"
ACTIVATIONS_S16, TENSOR_OPS_S16 = "pycmsisnn_activations_s16.h", "pycmsisnn_tensor_ops_s16.h"
CONV_FC_S16 = "pycmsisnn_conv_fc_s16.h"
REDUCE_OPS = "pycmsisnn_reduce_ops.h"


def _left_aligned(shape: Sequence[int]) -> tuple[int, int, int, int]:
    """A rank <= 4 shape in the leading fields of (n, h, w, c), the rest 1 (arm_transpose_s8)."""
    s = tuple(int(d) for d in shape)
    return s + (1,) * (4 - len(s))  # type: ignore[return-value]


def _bias(layer: Layer, bias: Any, channels: int, dtype: type = np.int32) -> str:
    """A pointer to the bias constant (``dtype``, ``channels`` entries), or NULL."""
    if bias is None:
        return "NULL"
    b = np.asarray(bias)
    if b.dtype != np.dtype(dtype) or b.shape != (channels,):
        raise layer.refuse(f"bias must be {np.dtype(dtype).name}[{channels}], got {b.dtype.name}{list(b.shape)}")
    return layer.input(b, "bias")


def _bias_s64(layer: Layer, bias: Any, channels: int) -> str:
    return _bias(layer, bias, channels, np.int64)


def _bias_data(layer: Layer, bias: Any, channels: int) -> str:
    """``&bias_data``: the ``cmsis_nn_bias_data`` of an int64 or int32 bias
    (``is_int32_bias`` set for int32; data NULL without a bias)."""
    is_int32 = bias is not None and np.asarray(bias).dtype == np.int32
    data = _bias(layer, bias, channels, np.int32 if is_int32 else np.int64)
    return declare_bias_data(layer, "bias_data", data, is_int32)


def _per_channel(layer: Layer, q: Any, channels: int) -> str:
    if not isinstance(q, PerChannelQuant) or len(q.multiplier) != channels or len(q.shift) != channels:
        raise layer.refuse(f"quant_params must be a PerChannelQuant of {channels} channels")
    return declare(layer, "quant_params", q)


def _rank4(layer: Layer, value: Any, role: str) -> tuple[int, ...]:
    shape = layer.shape(value)
    if len(shape) != 4:
        raise layer.refuse(f"{role} must be 4-D, got {list(shape)}")
    return shape


# ------------------------------------------------------------- convolutions
# Every convolution kernel takes (input_dims, input, filter_dims, filter,
# bias_dims, bias, output_dims, output) after its parameter structs.

BiasArg = Callable[[Layer, Any, int], str]


def _conv_operands(layer: Layer, call: KernelCall, out_c: int, bias: BiasArg, bias_shape: Sequence[int] | None = None) -> list[str]:
    a = call.args
    w = np.asarray(a["filter"])
    return [
        declare_dims(layer, "input_dims", _rank4(layer, a["input"], "input")), layer.input(a["input"], "input"),
        declare_dims(layer, "filter_dims", w.shape), layer.input(w, "filter"),
        declare_dims(layer, "bias_dims", bias_shape or (1, 1, 1, out_c)), bias(layer, a["bias"], out_c),
        declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
    ]


@dataclass(frozen=True)
class ConvArguments:
    """The C expressions of an ``arm_convolve_wrapper_s8`` or
    ``arm_depthwise_conv_wrapper_s8`` call (or their ``_s16`` twins) but its
    input and output dims."""

    ctx: str
    params: str
    quant: str
    filter_dims: str
    filter: str
    bias_dims: str
    bias: str


def conv_arguments(layer: Layer, call: KernelCall, bias: BiasArg = _bias) -> ConvArguments:
    """Declare the convolution's context, parameter structs, filter and bias
    (written by ``bias``: an int32 pointer for s8, ``cmsis_nn_bias_data`` for s16)."""
    a = call.args
    w = np.asarray(a["filter"])
    out_c = int(w.shape[0])
    return ConvArguments(
        ctx=declare_context(layer, "ctx"), params=declare(layer, "conv_params", a["conv_params"], ConvParams),
        quant=_per_channel(layer, a["quant_params"], out_c),
        filter_dims=declare_dims(layer, "filter_dims", w.shape), filter=layer.input(w, "filter"),
        bias_dims=declare_dims(layer, "bias_dims", (1, 1, 1, out_c)), bias=bias(layer, a["bias"], out_c),
    )


def _conv(function: str, bias: BiasArg) -> Emitter:
    """arm_convolve_wrapper_s8 (int32 bias) or _s16 (``cmsis_nn_bias_data``)."""

    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        x_shape = _rank4(layer, a["input"], "input")
        c = conv_arguments(layer, call, bias)
        layer.returns(function, [
            c.ctx, c.params, c.quant, declare_dims(layer, "input_dims", x_shape), layer.input(a["input"], "input"),
            c.filter_dims, c.filter, c.bias_dims, c.bias, declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
        ])

    return emit


def depthwise_arguments(layer: Layer, call: KernelCall, bias: BiasArg = _bias) -> ConvArguments:
    """Declare the depthwise convolution's context, parameter structs, filter
    and bias (written by ``bias``: int32 for s8, int64 for s16)."""
    a = call.args
    w = np.asarray(a["filter"])
    out_c = int(w.shape[3])
    bias_shape = (1, 1, 1, out_c) if a["bias"] is not None else (0, 0, 0, 0)
    return ConvArguments(
        ctx=declare_context(layer, "ctx"), params=declare(layer, "dw_conv_params", a["dw_conv_params"], DwConvParams),
        quant=_per_channel(layer, a["quant_params"], out_c),
        filter_dims=declare_dims(layer, "filter_dims", w.shape), filter=layer.input(w, "filter"),
        bias_dims=declare_dims(layer, "bias_dims", bias_shape), bias=bias(layer, a["bias"], out_c),
    )


def _depthwise(function: str, bias: BiasArg) -> Emitter:
    """arm_depthwise_conv_wrapper_s8 (int32 bias) or _s16 (int64 bias)."""

    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        x_shape = _rank4(layer, a["input"], "input")
        c = depthwise_arguments(layer, call, bias)
        layer.returns(function, [
            c.ctx, c.params, c.quant, declare_dims(layer, "input_dims", x_shape), layer.input(a["input"], "input"),
            c.filter_dims, c.filter, c.bias_dims, c.bias, declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
        ])

    return emit


def transpose_conv(layer: Layer, call: KernelCall) -> None:
    a = call.args
    out_c = int(np.asarray(a["filter"]).shape[0])
    layer.returns("arm_transpose_conv_wrapper_s8", [
        declare_context(layer, "ctx", 0), declare_context(layer, "reverse_conv_ctx", 1),
        declare(layer, "transpose_conv_params", a["transpose_conv_params"], TransposeConvParams),
        _per_channel(layer, a["quant_params"], out_c), *_conv_operands(layer, call, out_c, _bias),
    ])


def transpose_conv_s16(layer: Layer, call: KernelCall) -> None:
    """Our pycmsisnn_transpose_conv_s16: no scratch, int64 bias."""
    a = call.args
    out_c = int(np.asarray(a["filter"]).shape[0])
    layer.returns("pycmsisnn_transpose_conv_s16", [
        declare(layer, "transpose_conv_params", a["transpose_conv_params"], TransposeConvParams),
        _per_channel(layer, a["quant_params"], out_c), *_conv_operands(layer, call, out_c, _bias_s64),
    ])


# ------------------------------------------------------------------ matrices
# Every fully-connected kernel takes (input_dims, input, filter_dims, filter,
# bias_dims, bias, output_dims, output) after its parameter structs.


class _Fc:
    """A fully-connected call's validated fc_params and sizes."""

    def __init__(self, layer: Layer, call: KernelCall) -> None:
        a = call.args
        self.w = np.asarray(a["filter"])
        x_shape = layer.shape(a["input"])
        if len(x_shape) != 2 or self.w.ndim != 2 or self.w.shape[1] != x_shape[1]:
            raise layer.refuse(f"input {list(x_shape)} and filter {list(self.w.shape)} are not [batches, depth] and [C_OUT, depth]")
        self.batches, self.depth = x_shape
        self.out_c = int(self.w.shape[0])
        if not isinstance(a["fc_params"], FcParams):
            raise layer.refuse("fc_params must be an FcParams")
        self.params: FcParams = a["fc_params"]

    def operands(self, layer: Layer, call: KernelCall, bias: BiasArg) -> list[str]:
        b, d, c = self.batches, self.depth, self.out_c
        return [
            declare_dims(layer, "input_dims", (b, 1, 1, d)), layer.input(call.args["input"], "input"),
            declare_dims(layer, "filter_dims", (d, 1, 1, c)), layer.input(self.w, "filter"),
            declare_dims(layer, "bias_dims", (1, 1, 1, c)), bias(layer, call.args["bias"], c),
            declare_dims(layer, "output_dims", (b, 1, 1, c)), layer.output(),
        ]


def fully_connected(layer: Layer, call: KernelCall) -> None:
    a = call.args
    fc = _Fc(layer, call)
    if layer.unit.feature is Feature.MVE:
        # The MVE kernels (Arm's and ours) read per-row kernel sums (bias and
        # input offset folded in) from ctx. Computed here, kept in flash.
        sums = arm_vector_sum_s8(fc.w, fc.params.input_offset, fc.params.filter_offset, a["bias"])
        ctx = layer.declare("cmsis_nn_context", "ctx", init([("buf", f"(void *){layer.constant(sums, 'kernel_sums')}"), ("size", c_int(sums.nbytes))]))
    else:
        ctx = declare_context(layer, "ctx")
    q = a["quant_params"]
    if isinstance(q, PerChannelQuant) and len(q.multiplier) != fc.out_c:
        raise layer.refuse(f"quant_params has {len(q.multiplier)} channels, the filter {fc.out_c}")
    if not isinstance(q, (PerChannelQuant, PerTensorQuant)):
        raise layer.refuse(f"quant_params must be per tensor or per channel, got {type(q).__name__}")
    layer.returns("arm_fully_connected_wrapper_s8", [
        ctx, declare(layer, "fc_params", fc.params), declare_quant_params(layer, "quant_params", q), *fc.operands(layer, call, _bias),
    ])


def fully_connected_s16(layer: Layer, call: KernelCall) -> None:
    """arm_fully_connected_s16: per tensor, int64 bias; no kernel sums (Arm's needs none on any build)."""
    fc = _Fc(layer, call)
    q = call.args["quant_params"]
    if not isinstance(q, PerTensorQuant):
        raise layer.refuse(f"quant_params must be a PerTensorQuant, got {type(q).__name__}")
    layer.returns("arm_fully_connected_s16", [
        declare_context(layer, "ctx"), declare(layer, "fc_params", fc.params), declare(layer, "quant_params", q),
        *fc.operands(layer, call, _bias_s64),
    ])


def fully_connected_per_channel_s16(layer: Layer, call: KernelCall) -> None:
    """Our pycmsisnn_fully_connected_per_channel_s16: no scratch, the bias as ``cmsis_nn_bias_data``."""
    fc = _Fc(layer, call)
    layer.returns("pycmsisnn_fully_connected_per_channel_s16", [
        declare(layer, "fc_params", fc.params), _per_channel(layer, call.args["quant_params"], fc.out_c),
        *fc.operands(layer, call, _bias_data),
    ])


def _operand(layer: Layer, value: Any, transpose: bool, role: str) -> tuple[str, tuple[int, ...]]:
    """A batch-matmul operand as the C kernel takes it, transposed in its
    last two dims when ``transpose``: constants are transposed here, an
    activation that would need it is refused."""
    data: np.ndarray | None = None
    if isinstance(value, np.ndarray):
        data = value
    elif isinstance(value, TensorArg) and layer.graph.tensor(value.index).is_constant:
        data = np.asarray(layer.graph.tensor(value.index).data).reshape(layer.shape(value))
    if data is not None:
        if transpose:
            data = np.ascontiguousarray(np.swapaxes(data, -1, -2))
        return layer.constant(data, role), tuple(data.shape)
    if transpose:
        raise layer.refuse(
            f"the {role} operand is an activation that the wrapper transposes in numpy "
            "(adj_x on lhs, or no adj_y on rhs); generated code has no run-time transpose for it yet"
        )
    return layer.input(value, role), layer.shape(value)


def _batch_matmul(function: str) -> Emitter:
    """arm_batch_matmul_s8 or _s16: the same arguments, int8 or int16 operands."""

    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        bp = a["bmm_params"]
        if not isinstance(bp, BmmParams) or not isinstance(a["quant_params"], PerTensorQuant):
            raise layer.refuse("bmm_params must be a BmmParams and quant_params a PerTensorQuant")
        lhs, lhs_shape = _operand(layer, a["lhs"], bool(bp.adj_x), "lhs")
        rhs, rhs_shape = _operand(layer, a["rhs"], not bool(bp.adj_y), "rhs")
        ln, lh, m, k = _nhwc(lhs_shape)
        rn, rh, n, rk = _nhwc(rhs_shape)
        if rk != k:
            raise layer.refuse(f"depths differ: lhs {k}, rhs {rk}")
        layer.returns(function, [
            declare_context(layer, "ctx"), declare(layer, "bmm_params", bp), declare(layer, "quant_params", a["quant_params"]),
            declare_dims(layer, "lhs_dims", (ln, lh, m, k)), lhs, declare_dims(layer, "rhs_dims", (rn, rh, n, k)), rhs,
            declare_dims(layer, "output_dims", (max(ln, rn), max(lh, rh), m, n)), layer.output(),
        ])

    return emit


# ------------------------------------------------------------------ pooling


def _pool(function: str) -> Emitter:
    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        fh, fw = (int(v) for v in a["filter_hw"])
        layer.returns(function, [
            declare_context(layer, "ctx"), declare(layer, "pool_params", a["pool_params"], PoolParams),
            declare_dims(layer, "input_dims", _rank4(layer, a["input"], "input")), layer.input(a["input"], "input"),
            declare_dims(layer, "filter_dims", (1, fh, fw, 1)), declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
        ])

    return emit


# ------------------------------------------------------------------ softmax


def _softmax(function: str) -> Emitter:
    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        p = a["params"]
        if not isinstance(p, SoftmaxParams):
            raise layer.refuse("params must be a SoftmaxParams")
        shape = layer.shape(a["input"])
        row = int(shape[-1])
        layer.calls(function, [layer.input(a["input"], "input"), c_int(layer.size(a["input"]) // row), c_int(row),
                               c_int(p.mult), c_int(p.shift), c_int(p.diff_min), layer.output()])
        layer.succeeds()

    return emit


# -------------------------------------------------------------- elementwise


def _same_shape(layer: Layer, call: KernelCall) -> int:
    a, b = layer.shape(call.args["input_1"]), layer.shape(call.args["input_2"])
    if a != b:
        raise layer.refuse(f"inputs differ in shape ({list(a)}, {list(b)}) and this kernel does not broadcast")
    return layer.size(call.args["input_1"])


def elementwise_add(layer: Layer, call: KernelCall) -> None:
    """arm_elementwise_add_s8 or _s16 (same arguments)."""
    a, p = call.args, call.args["params"]
    if not isinstance(p, AddParams):
        raise layer.refuse("params must be an AddParams")
    size = _same_shape(layer, call)
    layer.returns(call.kernel, [
        layer.input(a["input_1"], "input_1"), layer.input(a["input_2"], "input_2"),
        *(c_int(v) for v in (p.input_1_offset, p.input_1_mult, p.input_1_shift, p.input_2_offset, p.input_2_mult, p.input_2_shift, p.left_shift)),
        layer.output(), *(c_int(v) for v in (p.out_offset, p.out_mult, p.out_shift, p.out_activation_min, p.out_activation_max, size)),
    ])


def elementwise_mul(layer: Layer, call: KernelCall) -> None:
    """arm_elementwise_mul_s8 or _s16 (same arguments)."""
    a, p = call.args, call.args["params"]
    if not isinstance(p, MulParams):
        raise layer.refuse("params must be a MulParams")
    size = _same_shape(layer, call)
    layer.returns(call.kernel, [
        layer.input(a["input_1"], "input_1"), layer.input(a["input_2"], "input_2"), c_int(p.input_1_offset), c_int(p.input_2_offset),
        layer.output(), *(c_int(v) for v in (p.out_offset, p.out_mult, p.out_shift, p.out_activation_min, p.out_activation_max, size)),
    ])


def _broadcast_shape(layer: Layer, s1: Sequence[int], s2: Sequence[int]) -> tuple[int, ...]:
    rank = max(len(s1), len(s2))
    p1, p2 = (1,) * (rank - len(s1)) + tuple(s1), (1,) * (rank - len(s2)) + tuple(s2)
    if any(d1 != d2 and 1 not in (d1, d2) for d1, d2 in zip(p1, p2)):
        raise layer.refuse(f"shapes {list(s1)} and {list(s2)} do not broadcast")
    return tuple(max(d1, d2) for d1, d2 in zip(p1, p2))


def _min_max(function: str) -> Emitter:
    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
        layer.returns(function, [
            declare_context(layer, "ctx"),
            layer.input(a["input_1"], "input_1"), declare_dims(layer, "input_1_dims", _nhwc(s1)),
            layer.input(a["input_2"], "input_2"), declare_dims(layer, "input_2_dims", _nhwc(s2)),
            layer.output(), declare_dims(layer, "output_dims", _nhwc(_broadcast_shape(layer, s1, s2))),
        ])

    return emit


def _broadcast(function: str, params: type) -> Emitter:
    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
        layer.returns(function, [
            declare(layer, "params", a["params"], params),
            declare_dims(layer, "input_1_dims", _nhwc(s1)), layer.input(a["input_1"], "input_1"),
            declare_dims(layer, "input_2_dims", _nhwc(s2)), layer.input(a["input_2"], "input_2"),
            declare_dims(layer, "output_dims", _nhwc(_broadcast_shape(layer, s1, s2))), layer.output(),
        ])

    return emit


def _element_map(function: str) -> Emitter:
    """Our one-element-at-a-time kernels: (params, input, output, size)."""

    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        layer.returns(function, [declare(layer, "params", a["params"]), layer.input(a["input"], "input"), layer.output(), c_int(layer.size(a["input"]))])

    return emit


# ------------------------------------------------------------ data movement


def _bytes(layer: Layer, pointer: str, value: Any, const: bool) -> str:
    """``pointer`` to ``value``'s elements as the ``int8_t *`` of the byte-copy
    kernels (arm_reshape_s8, arm_concatenation_s8_*), which also move int16 data."""
    if layer.dtype(value) == np.int8:
        return pointer
    return f"(const int8_t *)(const void *)({pointer})" if const else f"(int8_t *)(void *)({pointer})"


def reshape(layer: Layer, call: KernelCall) -> None:
    x = call.args["input"]
    out = call.outputs[0]
    if isinstance(x, TensorArg) and layer.arena.aliases.get(out) == x.index:
        layer.lines.append(f"/* in place: tensor {out} is tensor {x.index}'s buffer, no copy */")
        return
    nbytes = layer.size(x) * layer.dtype(x).itemsize
    out_bytes = _bytes(layer, layer.output(), x, const=False)
    layer.calls("arm_reshape_s8", [_bytes(layer, layer.input(x, "input"), x, const=True), out_bytes, f"{nbytes}u"])
    layer.succeeds()


def transpose(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    perm = [int(p) for p in a["permutations"]]
    if sorted(perm) != list(range(len(shape))) or len(shape) > 4:
        raise layer.refuse(f"permutation {perm} does not fit a rank {len(shape)} input")
    out_shape = [shape[p] for p in perm]
    layer.returns(call.kernel, [
        layer.input(a["input"], "input"), layer.output(),
        declare_dims(layer, "input_dims", _left_aligned(shape)), declare_dims(layer, "output_dims", _left_aligned(out_shape)),
        declare_transpose_params(layer, "transpose_params", perm),
    ])


def pad(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    layer.returns(call.kernel, [
        layer.input(a["input"], "input"), layer.output(), c_int(a["pad_value"]),
        declare_dims(layer, "input_size", _nhwc(shape, 1)),
        declare_dims(layer, "pre_pad", _nhwc(a["pre_pad"], 0)), declare_dims(layer, "post_pad", _nhwc(a["post_pad"], 0)),
    ])


def concatenation(layer: Layer, call: KernelCall) -> None:
    """concatenation_s8 and concatenation_s16: one arm_concatenation_s8_*
    call per input; int16 elements are moved as byte pairs (the innermost
    extent, and offsets along it, counted in bytes)."""
    a = call.args
    inputs = list(a["inputs"])
    shapes = [layer.shape(v) for v in inputs]
    rank = len(shapes[0])
    if not 1 <= rank <= 4 or any(len(s) != rank for s in shapes):
        raise layer.refuse(f"inputs of ranks {[len(s) for s in shapes]}; one rank of 1 to 4 is needed")
    width = layer.dtype(inputs[0]).itemsize
    shapes = [tuple(s[:-1]) + (int(s[-1]) * width,) for s in shapes]
    ax = int(a["axis"]) % rank
    axis4 = ax + 4 - rank
    out4 = list(_nhwc(shapes[0]))
    out4[axis4] = sum(int(s[ax]) for s in shapes)
    function = CONCAT_AXIS_FUNCTIONS[axis4]
    output = _bytes(layer, layer.output(), inputs[0], const=False)
    offset = 0
    for i, (value, shape) in enumerate(zip(inputs, shapes)):
        n, h, w, c = _nhwc(shape)
        args = [_bytes(layer, layer.input(value, f"input_{i}"), value, const=True), c_int(c), c_int(w), c_int(h), c_int(n), output]
        if axis4 != 0:  # arm_concatenation_s8_w takes no output extent
            args.append(c_int(out4[axis4]))
        args.append(f"{offset}u")
        layer.calls(function, args)
        offset += int(shape[ax])
    layer.succeeds()


# ------------------------------------------------------------ tensor ops


def mean(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    axes = {int(x) % len(shape) for x in a["axes"]}
    kept = tuple(1 if i in axes else d for i, d in enumerate(shape))
    layer.returns(call.kernel, [
        declare(layer, "params", a["params"]), declare_dims(layer, "input_dims", _nhwc(shape)), layer.input(a["input"], "input"),
        declare_dims(layer, "output_dims", _nhwc(kept)), layer.output(),
    ])


def strided_slice(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    begin, strides, out = (tuple(int(v) for v in a[k]) for k in ("begin", "strides", "output_shape"))
    if not len(begin) == len(strides) == len(out) == len(shape):
        raise layer.refuse(f"begin, strides and output_shape need {len(shape)} entries")
    params = init([("begin", dims(_nhwc(begin, 0))), ("stride", dims(_nhwc(strides, 1)))])
    layer.returns(call.kernel, [
        layer.declare("pycmsisnn_strided_slice_params", "params", params),
        declare_dims(layer, "input_dims", _nhwc(shape)), layer.input(a["input"], "input"),
        declare_dims(layer, "output_dims", _nhwc(out)), layer.output(),
    ])


# ------------------------------------------------------------ int4 weights


def _packed_filter(layer: Layer, call: KernelCall, rank: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """(packed int4 bytes, logical filter shape) of an s4 call: ceil(count / 2)
    int8 bytes, kept packed in flash."""
    w, shape = np.asarray(call.args["filter"]), tuple(int(d) for d in call.args["filter_shape"])
    count = int(np.prod(shape, dtype=np.int64))
    if len(shape) != rank or w.dtype != np.int8 or w.shape != ((count + 1) // 2,):
        raise layer.refuse(f"filter must be {(count + 1) // 2} packed int8 bytes of a rank-{rank} int4 filter {list(shape)}, "
                           f"got {w.dtype.name}{list(w.shape)}")
    return w, shape


def conv_s4(layer: Layer, call: KernelCall) -> None:
    a = call.args
    w, f_shape = _packed_filter(layer, call, 4)
    x_shape, out_c = _rank4(layer, a["input"], "input"), f_shape[0]
    layer.returns("arm_convolve_wrapper_s4", [
        declare_context(layer, "ctx"), declare(layer, "conv_params", a["conv_params"], ConvParams), _per_channel(layer, a["quant_params"], out_c),
        declare_dims(layer, "input_dims", x_shape), layer.input(a["input"], "input"),
        declare_dims(layer, "filter_dims", f_shape), layer.input(w, "filter"),
        declare_dims(layer, "bias_dims", (1, 1, 1, out_c)), _bias(layer, a["bias"], out_c),
        declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
    ])


def depthwise_s4(layer: Layer, call: KernelCall) -> None:
    a = call.args
    w, f_shape = _packed_filter(layer, call, 4)
    x_shape, out_c = _rank4(layer, a["input"], "input"), f_shape[3]
    bias_shape = (1, 1, 1, out_c) if a["bias"] is not None else (0, 0, 0, 0)
    layer.returns("arm_depthwise_conv_wrapper_s4", [
        declare_context(layer, "ctx"), declare(layer, "dw_conv_params", a["dw_conv_params"], DwConvParams),
        _per_channel(layer, a["quant_params"], out_c),
        declare_dims(layer, "input_dims", x_shape), layer.input(a["input"], "input"),
        declare_dims(layer, "filter_dims", f_shape), layer.input(w, "filter"),
        declare_dims(layer, "bias_dims", bias_shape), _bias(layer, a["bias"], out_c),
        declare_dims(layer, "output_dims", a["output_shape"]), layer.output(),
    ])


def fully_connected_s4(layer: Layer, call: KernelCall) -> None:
    a = call.args
    w, (out_c, depth) = _packed_filter(layer, call, 2)
    x_shape = layer.shape(a["input"])
    if len(x_shape) != 2 or x_shape[1] != depth:
        raise layer.refuse(f"input {list(x_shape)} is not [batches, {depth}]")
    batches = x_shape[0]
    layer.returns("arm_fully_connected_s4", [
        declare_context(layer, "ctx"), declare(layer, "fc_params", a["fc_params"], FcParams), declare(layer, "quant_params", a["quant_params"], PerTensorQuant),
        declare_dims(layer, "input_dims", (batches, 1, 1, depth)), layer.input(a["input"], "input"),
        declare_dims(layer, "filter_dims", (depth, 1, 1, out_c)), layer.input(w, "filter"),
        declare_dims(layer, "bias_dims", (1, 1, 1, out_c)), _bias(layer, a["bias"], out_c),
        declare_dims(layer, "output_dims", (batches, 1, 1, out_c)), layer.output(),
    ])


# ------------------------------------------------------------------- int16


def softmax_s16(layer: Layer, call: KernelCall) -> None:
    """arm_softmax_s16 with its two look-up tables as constants."""
    a = call.args
    row = int(layer.shape(a["input"])[-1])
    luts = init([(name, layer.constant(np.asarray(a[name], dtype=np.int16), name)) for name in ("exp_lut", "one_by_one_lut")])
    layer.returns("arm_softmax_s16", [
        layer.input(a["input"], "input"), c_int(layer.size(a["input"]) // row), c_int(row), c_int(a["mult"]), c_int(a["shift"]),
        layer.declare("cmsis_nn_softmax_lut_s16", "softmax_params", luts), layer.output(),
    ])


ACTIVATION_S16_TYPES = {"sigmoid": "ARM_SIGMOID", "tanh": "ARM_TANH"}


def activation_s16(layer: Layer, call: KernelCall) -> None:
    """arm_nn_activation_s16 (sigmoid or tanh, power-of-two input scale)."""
    a = call.args
    kind = ACTIVATION_S16_TYPES.get(a["type"])
    if kind is None:
        raise layer.refuse(f"activation type {a['type']!r} is not one of {sorted(ACTIVATION_S16_TYPES)}")
    layer.returns("arm_nn_activation_s16", [
        layer.input(a["input"], "input"), layer.output(), c_int(layer.size(a["input"])), c_int(a["left_shift"]), kind,
    ])


# ------------------------------------------------------------- math ops (pycmsisnn_math_ops.h)
MATH_OPS = "pycmsisnn_math_ops.h"


def _min_max_s16(function: str) -> Emitter:
    """pycmsisnn_minimum_s16 / _maximum_s16: (dims, input) x 2, (dims, output)."""

    def emit(layer: Layer, call: KernelCall) -> None:
        a = call.args
        s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
        layer.returns(function, [
            declare_dims(layer, "input_1_dims", _nhwc(s1)), layer.input(a["input_1"], "input_1"),
            declare_dims(layer, "input_2_dims", _nhwc(s2)), layer.input(a["input_2"], "input_2"),
            declare_dims(layer, "output_dims", _nhwc(_broadcast_shape(layer, s1, s2))), layer.output(),
        ])

    return emit


# ------------------------------------------------------------------- LSTM


def _lstm(function: str) -> Emitter:
    """arm_lstm_unidirectional_s8 / _s16: the gates' weights and effective
    biases as constants, the parameters as a static const struct, the
    context's temp1 and temp2 in the call's scratch buffer (two batch * hidden
    int16 arrays), its hidden_state and cell_state on the layer's variable
    tensors in ``NAME_state`` (carried from invoke to invoke, see
    lower/lstm.py)."""

    def emit(layer: Layer, call: KernelCall) -> None:
        from ..kernels.lstm import ACTIVATIONS
        from ..params import LstmParams

        p = call.args["params"]
        if not isinstance(p, LstmParams):
            raise layer.refuse(f"params must be an LstmParams, got {type(p).__name__}")
        state = call.args.get("state")
        if not (isinstance(state, (tuple, list)) and len(state) == 2 and all(isinstance(t, TensorArg) for t in state)):
            raise layer.refuse("state must be the (hidden, cell) variable tensors")
        for t, role in zip(state, ("hidden", "cell")):
            if t.index not in layer.arena.state:
                raise layer.refuse(f"the {role} state (tensor {t.index}) is not in the state buffer")
        gates = []
        for name, g in zip(("forget", "input", "cell", "output"), p.gates):
            fields = [
                ("input_multiplier", c_int(g.input_multiplier)), ("input_shift", c_int(g.input_shift)),
                ("input_weights", layer.constant(g.input_weights, f"{name}_input_weights")),
                ("input_effective_bias", layer.constant(g.input_effective_bias, f"{name}_input_effective_bias")),
                ("hidden_multiplier", c_int(g.hidden_multiplier)), ("hidden_shift", c_int(g.hidden_shift)),
                ("hidden_weights", layer.constant(g.hidden_weights, f"{name}_hidden_weights")),
                ("hidden_effective_bias", layer.constant(g.hidden_effective_bias, f"{name}_hidden_effective_bias")),
                ("bias", layer.constant(g.bias, f"{name}_bias")), ("activation_type", ACTIVATIONS[g.activation]),
            ]
            gates.append((f"{name}_gate", init(fields)))
        params = layer.declare("cmsis_nn_lstm_params", "params", init([
            ("time_major", c_int(int(p.time_major))), ("batch_size", c_int(p.batch_size)),
            ("time_steps", c_int(p.time_steps)), ("input_size", c_int(p.input_size)),
            ("hidden_size", c_int(p.hidden_size)), ("input_offset", c_int(p.input_offset)),
            ("forget_to_cell_multiplier", c_int(p.forget_to_cell_multiplier)),
            ("forget_to_cell_shift", c_int(p.forget_to_cell_shift)),
            ("input_to_cell_multiplier", c_int(p.input_to_cell_multiplier)),
            ("input_to_cell_shift", c_int(p.input_to_cell_shift)), ("cell_clip", c_int(p.cell_clip)),
            ("cell_scale_power", c_int(p.cell_scale_power)), ("output_multiplier", c_int(p.output_multiplier)),
            ("output_shift", c_int(p.output_shift)), ("output_offset", c_int(p.output_offset)), *gates,
        ]))
        buf, size = layer.scratch(0)
        n = p.batch_size * p.hidden_size * 2
        if size < 2 * n:
            raise layer.refuse(f"scratch of {size} bytes, the LSTM needs {2 * n}")
        hidden, cell = (layer.arena_pointer(t.index) for t in state)
        layer.lines.append(
            f"cmsis_nn_lstm_context buffers = {{.temp1 = (void *)({buf}), .temp2 = (void *)({buf} + {n}), "
            f".cell_state = (void *)({cell}), .hidden_state = (void *)({hidden})}};")
        x = layer.input(call.args["input"], "input")
        layer.returns(function, [x, layer.output(), params, "&buffers"])

    return emit


def lut_s8(layer: Layer, call: KernelCall) -> None:
    a = call.args
    table = np.asarray(a["table"])
    if table.dtype != np.int8 or table.shape != (256,):
        raise layer.refuse("table must be int8[256]")
    layer.returns("pycmsisnn_lut_s8", [layer.input(table, "table"), layer.input(a["input"], "input"), layer.output(), c_int(layer.size(a["input"]))])


def l2_normalization_s8(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    depth = int(shape[-1])
    layer.returns("pycmsisnn_l2_normalization_s8", [
        c_int(a["input_offset"]), layer.input(a["input"], "input"), layer.output(), c_int(layer.size(a["input"]) // depth), c_int(depth),
    ])


# ------------------------------------------------- reductions, comparisons, select


def arg_extreme(layer: Layer, call: KernelCall) -> None:
    """pycmsisnn_arg_max_s8 / pycmsisnn_arg_min_s8."""
    a = call.args
    shape = layer.shape(a["input"])
    axis = int(a["axis"]) % len(shape)
    layer.returns(call.kernel, [
        declare_dims(layer, "input_dims", _nhwc(shape)), layer.input(a["input"], "input"), c_int(axis + 4 - len(shape)), layer.output(),
    ])


def reduce_extreme(layer: Layer, call: KernelCall) -> None:
    """pycmsisnn_reduce_max_s8 / pycmsisnn_reduce_min_s8."""
    a = call.args
    shape = layer.shape(a["input"])
    axes = {int(x) % len(shape) for x in a["axes"]}
    kept = tuple(1 if i in axes else d for i, d in enumerate(shape))
    layer.returns(call.kernel, [
        declare_dims(layer, "input_dims", _nhwc(shape)), layer.input(a["input"], "input"),
        declare_dims(layer, "output_dims", _nhwc(kept)), layer.output(),
    ])


def _broadcast_all(layer: Layer, shapes: Sequence[Sequence[int]]) -> tuple[int, ...]:
    out: tuple[int, ...] = tuple(shapes[0])
    for s in shapes[1:]:
        out = _broadcast_shape(layer, out, s)
    return out


def compare(layer: Layer, call: KernelCall) -> None:
    """The six pycmsisnn_<comparison>_s8 kernels (bool output)."""
    a, p = call.args, call.args["params"]
    if not isinstance(p, CompareParams):
        raise layer.refuse("params must be a CompareParams")
    s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
    params = init([(f, c_int(getattr(p, f))) for f in (
        "input_1_offset", "input_1_mult", "input_1_shift", "input_2_offset", "input_2_mult", "input_2_shift", "left_shift")])
    layer.returns(call.kernel, [
        layer.declare("pycmsisnn_compare_params", "params", params),
        declare_dims(layer, "input_1_dims", _nhwc(s1)), layer.input(a["input_1"], "input_1"),
        declare_dims(layer, "input_2_dims", _nhwc(s2)), layer.input(a["input_2"], "input_2"),
        declare_dims(layer, "output_dims", _nhwc(_broadcast_all(layer, [s1, s2]))), layer.output(),
    ])


def select(layer: Layer, call: KernelCall) -> None:
    """pycmsisnn_select_s8 / _s16 (SELECT_V2)."""
    a = call.args
    shapes = [layer.shape(a[k]) for k in ("condition", "input_1", "input_2")]
    layer.returns(call.kernel, [
        declare_dims(layer, "condition_dims", _nhwc(shapes[0])), layer.input(a["condition"], "condition"),
        declare_dims(layer, "input_1_dims", _nhwc(shapes[1])), layer.input(a["input_1"], "input_1"),
        declare_dims(layer, "input_2_dims", _nhwc(shapes[2])), layer.input(a["input_2"], "input_2"),
        declare_dims(layer, "output_dims", _nhwc(_broadcast_all(layer, shapes))), layer.output(),
    ])


def cumsum(layer: Layer, call: KernelCall) -> None:
    """pycmsisnn_cumsum_s8."""
    a, p = call.args, call.args["params"]
    if not isinstance(p, CumsumParams):
        raise layer.refuse("params must be a CumsumParams")
    shape = layer.shape(a["input"])
    params = init([(f, c_int(getattr(p, f))) for f in (
        "input_offset", "input_mult", "input_shift", "left_shift", "output_offset", "output_mult", "output_shift")])
    layer.returns(call.kernel, [
        layer.declare("pycmsisnn_cumsum_params", "params", params),
        declare_dims(layer, "input_dims", _nhwc(shape)), layer.input(a["input"], "input"),
        c_int(int(a["axis"]) % len(shape) + 4 - len(shape)), c_bool(a["exclusive"]), c_bool(a["reverse"]), layer.output(),
    ])


EMITTERS: dict[str, tuple[Emitter, str]] = {
    "arm_svdf_s8": (svdf, NNFUNCTIONS),
    "arm_svdf_state_s16_s8": (svdf, NNFUNCTIONS),
    "arm_convolve_wrapper_s8": (_conv("arm_convolve_wrapper_s8", _bias), NNFUNCTIONS),
    "arm_convolve_wrapper_s16": (_conv("arm_convolve_wrapper_s16", _bias_data), NNFUNCTIONS),
    "arm_depthwise_conv_wrapper_s8": (_depthwise("arm_depthwise_conv_wrapper_s8", _bias), NNFUNCTIONS),
    "arm_depthwise_conv_wrapper_s16": (_depthwise("arm_depthwise_conv_wrapper_s16", _bias_s64), NNFUNCTIONS),
    "arm_transpose_conv_wrapper_s8": (transpose_conv, NNFUNCTIONS),
    "pycmsisnn_transpose_conv_s16": (transpose_conv_s16, CONV_FC_S16),
    "arm_fully_connected_wrapper_s8": (fully_connected, NNFUNCTIONS),
    "arm_fully_connected_s16": (fully_connected_s16, NNFUNCTIONS),
    "pycmsisnn_fully_connected_per_channel_s16": (fully_connected_per_channel_s16, CONV_FC_S16),
    "arm_batch_matmul_s8": (_batch_matmul("arm_batch_matmul_s8"), NNFUNCTIONS),
    "arm_batch_matmul_s16": (_batch_matmul("arm_batch_matmul_s16"), NNFUNCTIONS),
    "arm_avgpool_s8": (_pool("arm_avgpool_s8"), NNFUNCTIONS),
    "arm_max_pool_s8": (_pool("arm_max_pool_s8"), NNFUNCTIONS),
    "arm_softmax_s8": (_softmax("arm_softmax_s8"), NNFUNCTIONS),
    "arm_softmax_s8_s16": (_softmax("arm_softmax_s8_s16"), NNFUNCTIONS),
    "arm_elementwise_add_s8": (elementwise_add, NNFUNCTIONS),
    "arm_elementwise_mul_s8": (elementwise_mul, NNFUNCTIONS),
    "arm_minimum_s8": (_min_max("arm_minimum_s8"), NNFUNCTIONS),
    "arm_maximum_s8": (_min_max("arm_maximum_s8"), NNFUNCTIONS),
    "arm_reshape_s8": (reshape, NNFUNCTIONS),
    "arm_transpose_s8": (transpose, NNFUNCTIONS),
    "arm_pad_s8": (pad, NNFUNCTIONS),
    "concatenation_s8": (concatenation, NNFUNCTIONS),
    "pycmsisnn_logistic_s8": (_element_map("pycmsisnn_logistic_s8"), ACTIVATIONS),
    "pycmsisnn_tanh_s8": (_element_map("pycmsisnn_tanh_s8"), ACTIVATIONS),
    "pycmsisnn_relu_s8": (_element_map("pycmsisnn_relu_s8"), ACTIVATIONS),
    "pycmsisnn_leaky_relu_s8": (_element_map("pycmsisnn_leaky_relu_s8"), ACTIVATIONS),
    "pycmsisnn_hard_swish_s8": (_element_map("pycmsisnn_hard_swish_s8"), ACTIVATIONS),
    "pycmsisnn_requantize_s8": (_element_map("pycmsisnn_requantize_s8"), ACTIVATIONS),
    "pycmsisnn_quantize_f32_s8": (_element_map("pycmsisnn_quantize_f32_s8"), ACTIVATIONS),
    "pycmsisnn_dequantize_s8": (_element_map("pycmsisnn_dequantize_s8"), ACTIVATIONS),
    "pycmsisnn_mean_s8": (mean, TENSOR_OPS),
    "pycmsisnn_strided_slice_s8": (strided_slice, TENSOR_OPS),
    "pycmsisnn_broadcast_add_s8": (_broadcast("pycmsisnn_broadcast_add_s8", AddParams), TENSOR_OPS),
    "pycmsisnn_broadcast_sub_s8": (_broadcast("pycmsisnn_broadcast_sub_s8", AddParams), TENSOR_OPS),
    "pycmsisnn_broadcast_mul_s8": (_broadcast("pycmsisnn_broadcast_mul_s8", MulParams), TENSOR_OPS),
    "arm_convolve_wrapper_s4": (conv_s4, NNFUNCTIONS),
    "arm_depthwise_conv_wrapper_s4": (depthwise_s4, NNFUNCTIONS),
    "arm_fully_connected_s4": (fully_connected_s4, NNFUNCTIONS),
    "reshape_s16": (reshape, NNFUNCTIONS),
    "concatenation_s16": (concatenation, NNFUNCTIONS),
    "pycmsisnn_pad_s16": (pad, TENSOR_OPS_S16),
    "pycmsisnn_transpose_s16": (transpose, TENSOR_OPS_S16),
    "pycmsisnn_mean_s16": (mean, TENSOR_OPS_S16),
    "pycmsisnn_strided_slice_s16": (strided_slice, TENSOR_OPS_S16),
    "pycmsisnn_requantize_s16": (_element_map("pycmsisnn_requantize_s16"), TENSOR_OPS_S16),
    "pycmsisnn_requantize_s8_s16": (_element_map("pycmsisnn_requantize_s8_s16"), TENSOR_OPS_S16),
    "pycmsisnn_requantize_s16_s8": (_element_map("pycmsisnn_requantize_s16_s8"), TENSOR_OPS_S16),
    "pycmsisnn_quantize_f32_s16": (_element_map("pycmsisnn_quantize_f32_s16"), TENSOR_OPS_S16),
    "pycmsisnn_dequantize_s16": (_element_map("pycmsisnn_dequantize_s16"), TENSOR_OPS_S16),
    "arm_elementwise_add_s16": (elementwise_add, NNFUNCTIONS),
    "arm_elementwise_mul_s16": (elementwise_mul, NNFUNCTIONS),
    "arm_avgpool_s16": (_pool("arm_avgpool_s16"), NNFUNCTIONS),
    "arm_max_pool_s16": (_pool("arm_max_pool_s16"), NNFUNCTIONS),
    "arm_softmax_s16": (softmax_s16, NNFUNCTIONS),
    "arm_nn_activation_s16": (activation_s16, NNFUNCTIONS),
    "pycmsisnn_broadcast_add_s16": (_broadcast("pycmsisnn_broadcast_add_s16", AddParams), TENSOR_OPS_S16),
    "pycmsisnn_broadcast_sub_s16": (_broadcast("pycmsisnn_broadcast_sub_s16", AddParams), TENSOR_OPS_S16),
    "pycmsisnn_broadcast_mul_s16": (_broadcast("pycmsisnn_broadcast_mul_s16", MulParams), TENSOR_OPS_S16),
    "pycmsisnn_logistic_s16": (_element_map("pycmsisnn_logistic_s16"), ACTIVATIONS_S16),
    "pycmsisnn_tanh_s16": (_element_map("pycmsisnn_tanh_s16"), ACTIVATIONS_S16),
    "pycmsisnn_relu_s16": (_element_map("pycmsisnn_relu_s16"), ACTIVATIONS_S16),
    "pycmsisnn_leaky_relu_s16": (_element_map("pycmsisnn_leaky_relu_s16"), ACTIVATIONS_S16),
    "pycmsisnn_abs_s8": (_element_map("pycmsisnn_abs_s8"), MATH_OPS),
    "pycmsisnn_abs_s16": (_element_map("pycmsisnn_abs_s16"), MATH_OPS),
    "pycmsisnn_rsqrt_s8": (_element_map("pycmsisnn_rsqrt_s8"), MATH_OPS),
    "pycmsisnn_rsqrt_s16": (_element_map("pycmsisnn_rsqrt_s16"), MATH_OPS),
    "pycmsisnn_l2_normalization_s8": (l2_normalization_s8, MATH_OPS),
    "pycmsisnn_lut_s8": (lut_s8, MATH_OPS),
    "pycmsisnn_prelu_s8": (_broadcast("pycmsisnn_prelu_s8", PreluParams), MATH_OPS),
    "pycmsisnn_prelu_s16": (_broadcast("pycmsisnn_prelu_s16", PreluParams), MATH_OPS),
    "pycmsisnn_squared_difference_s8": (_broadcast("pycmsisnn_squared_difference_s8", SquaredDifferenceParams), MATH_OPS),
    "pycmsisnn_squared_difference_s16": (_broadcast("pycmsisnn_squared_difference_s16", SquaredDifferenceParams), MATH_OPS),
    "pycmsisnn_minimum_s16": (_min_max_s16("pycmsisnn_minimum_s16"), MATH_OPS),
    "pycmsisnn_maximum_s16": (_min_max_s16("pycmsisnn_maximum_s16"), MATH_OPS),
    "pycmsisnn_arg_max_s8": (arg_extreme, REDUCE_OPS),
    "pycmsisnn_arg_min_s8": (arg_extreme, REDUCE_OPS),
    "pycmsisnn_reduce_max_s8": (reduce_extreme, REDUCE_OPS),
    "pycmsisnn_reduce_min_s8": (reduce_extreme, REDUCE_OPS),
    **{f"pycmsisnn_{name}_s8": (compare, REDUCE_OPS)
       for name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal")},
    "pycmsisnn_select_s8": (select, REDUCE_OPS),
    "pycmsisnn_select_s16": (select, REDUCE_OPS),
    "pycmsisnn_cumsum_s8": (cumsum, REDUCE_OPS),
    "arm_lstm_unidirectional_s8": (_lstm("arm_lstm_unidirectional_s8"), NNFUNCTIONS),
    "arm_lstm_unidirectional_s16": (_lstm("arm_lstm_unidirectional_s16"), NNFUNCTIONS),
    **DATA_OPS_EMITTERS,
    **CAST_LOGIC_EMITTERS,
    **MATH_OPS_EMITTERS,
}


def emit_layer(layer: Layer) -> None:
    """Write ``layer``'s body; raises ``CodegenRefusal`` for a kernel without an emitter."""
    entry = EMITTERS.get(layer.call.kernel)
    if entry is None:
        raise layer.refuse("no C emitter for this kernel")
    emit, header = entry
    layer.unit.includes.add(header)
    emit(layer, layer.call)
