"""ABS, RSQRT, L2_NORMALIZATION, ELU, PRELU and SQUARED_DIFFERENCE to our
kernels of ``pycmsisnn_math_ops.h``, in the schemes TensorFlow Lite Micro
runs them (found by running it on single-operator models):

* ABS, RSQRT: int8, and int16 with zero point 0 (TFLM refuses an int16 RSQRT
  with another). ``quant.abs_params``: |x - zp_in| requantised by s_in / s_out;
  ``quant.rsqrt_params``: a fixed-point 1 / sqrt (five Newton steps) scaled by
  1 / (sqrt(s_in) s_out). RSQRT of an input below the zero point has no value:
  TFLM fails there, and so does our kernel (an error at run time).
* L2_NORMALIZATION: int8 only; the output is 128 x / |x| (the converter gives
  it scale 1/128, zero point 0; TFLM ignores the output's quantisation).
* ELU: int8 only, by the 256-entry table TFLM computes in float32
  (``quant.elu_table``), to ``pycmsisnn_lut_s8``.
* PRELU: int8 input and output, or int16 ones (zero point 0); alpha int8,
  broadcast against the input (``quant.prelu_params``).
* SQUARED_DIFFERENCE: int8, or int16 with zero points 0, any broadcast of rank
  <= 4 (``quant.squared_difference_params``: ADD's rescaling, left shift 7 or 0).

* LOG_SOFTMAX: int8 only, over the innermost dimension of 1..4095 elements
  (longer rows can overflow TFLM's int32 sum of exponentials); the output
  must have scale 1/16 and zero point 127 as TFLM requires
  (``quant.log_softmax_params``: SOFTMAX's scaling, a fixed-point logarithm).
* DIV: int8 only, any broadcast of rank <= 4, fused RELU / RELU6 /
  RELU_N1_TO_1 (``quant.div_params``: a fixed-point reciprocal of the
  divisor, the quotient requantised by s1 / (s2 s_out)). A divisor at its
  zero point gives what TFLM computes there, not an error.
* ADD_N: int8 only, two or more inputs of one shape, scale and zero point
  (TFLM requires it) (``quant.add_n_params``).

TensorFlow Lite Micro runs SQRT, EXP, LOG, NEG and SQUARE in float32 only, and
HARD_SWISH, ELU, LOG_SOFTMAX, L2_NORMALIZATION, DIV and ADD_N not in int16:
those have no rule here (or refuse int16).
"""
from __future__ import annotations

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..operator_options import Activation, activation_code
from .broadcast import binary_reason, broadcast_reason
from .common import (activation_of, derivation_reason, dtype_reason, first_reason, is_int16, output, per_tensor_reason, same_size_reason,
                     tensor, zero_point_s16_reason)
from .plan import KernelCall, TensorArg
from .registry import rule


def _arg(graph: Graph, index: int) -> object:
    t = graph.tensor(index)
    return t.data if t.is_constant else TensorArg(index)


def _unary_reason(graph: Graph, op: Operator, s16: bool) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return first_reason(
        dtype_reason(x, "input", [np.int8, np.int16] if s16 else [np.int8]),
        dtype_reason(y, "output", [np.int16] if is_int16(x) else [np.int8]),
        per_tensor_reason(x, "input"),
        per_tensor_reason(y, "output"),
        zero_point_s16_reason(x, "input"),
        zero_point_s16_reason(y, "output"),
        same_size_reason(x, y),
    )


def _quant(t: Tensor) -> tuple[float, int]:
    assert t.quant is not None
    return t.quant.scale, t.quant.zero_point


def _bits(t: Tensor) -> int:
    return 16 if is_int16(t) else 8


def _unary_params(graph: Graph, op: Operator) -> object:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    derive = quant.abs_params if op.opcode == "ABS" else quant.rsqrt_params
    return derive(*_quant(x), *_quant(y), _bits(x))


def _abs_rsqrt_check(graph: Graph, op: Operator) -> str | None:
    return _unary_reason(graph, op, s16=True) or derivation_reason(_unary_params, graph, op)


_ABS_KERNELS = ("pycmsisnn_abs_s8", "pycmsisnn_abs_s16")
_RSQRT_KERNELS = ("pycmsisnn_rsqrt_s8", "pycmsisnn_rsqrt_s16")


@rule("ABS", "RSQRT", check=_abs_rsqrt_check)
def lower_abs_rsqrt(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    kernels = _ABS_KERNELS if op.opcode == "ABS" else _RSQRT_KERNELS
    kernel = kernels[1] if is_int16(x) else kernels[0]
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "params": _unary_params(graph, op)}, outputs=(y.index,))


def _elu_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    if is_int16(x):
        return "TensorFlow Lite Micro runs ELU in int8 and float32 only, not int16"
    return _unary_reason(graph, op, s16=False) or derivation_reason(quant.elu_table, *_quant(x), *_quant(y))


@rule("ELU", check=_elu_check)
def lower_elu(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_lut_s8", args={"input": TensorArg(x.index), "table": quant.elu_table(*_quant(x), *_quant(y))},
                      outputs=(y.index,))


def _l2_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    if is_int16(x):
        return "TensorFlow Lite Micro runs L2_NORMALIZATION in int8 and float32 only, not int16"
    if activation_code(op.options) != Activation.NONE:
        return f"fused activation {activation_code(op.options).name} is not supported"
    if x.shape != y.shape:
        return f"input shape {list(x.shape)} differs from output shape {list(y.shape)}"
    if not x.shape or int(x.shape[-1]) > 32767:
        return f"the innermost dimension of {list(x.shape)} must be 1..32767"
    return _unary_reason(graph, op, s16=False)


@rule("L2_NORMALIZATION", check=_l2_check)
def lower_l2_normalization(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_l2_normalization_s8", args={"input": TensorArg(x.index), "input_offset": -_quant(x)[1]},
                      outputs=(y.index,))


def _prelu_params(graph: Graph, op: Operator) -> object:
    x, a, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "alpha"), output(graph, op)
    return quant.prelu_params(*_quant(x), *_quant(a), *_quant(y), _bits(x))


def _prelu_check(graph: Graph, op: Operator) -> str | None:
    x, a, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "alpha"), output(graph, op)
    return first_reason(
        dtype_reason(x, "input", [np.int8, np.int16]),
        dtype_reason(a, "alpha", [np.int8]),
        dtype_reason(y, "output", [np.int16] if is_int16(x) else [np.int8]),
        *(per_tensor_reason(t, role) for t, role in ((x, "input"), (a, "alpha"), (y, "output"))),
        zero_point_s16_reason(x, "input"),
        zero_point_s16_reason(y, "output"),
        broadcast_reason(x.shape, a.shape, y.shape),
        derivation_reason(_prelu_params, graph, op),
    )


@rule("PRELU", check=_prelu_check)
def lower_prelu(graph: Graph, op: Operator) -> KernelCall:
    x, a, y = tensor(graph, op, 0, "input"), tensor(graph, op, 1, "alpha"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_prelu_s16" if is_int16(x) else "pycmsisnn_prelu_s8",
                      args={"input_1": _arg(graph, x.index), "input_2": _arg(graph, a.index), "params": _prelu_params(graph, op)},
                      outputs=(y.index,))


def _sqd_params(graph: Graph, op: Operator) -> object:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return quant.squared_difference_params(*_quant(a), *_quant(b), *_quant(y), _bits(a))


def _sqd_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return first_reason(
        binary_reason(graph, op, s16=True),
        *(per_tensor_reason(t, role) for t, role in ((a, "input 0"), (b, "input 1"), (y, "output"))),
        broadcast_reason(a.shape, b.shape, y.shape),
        derivation_reason(_sqd_params, graph, op),
    )


@rule("SQUARED_DIFFERENCE", check=_sqd_check)
def lower_squared_difference(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_squared_difference_s16" if is_int16(a) else "pycmsisnn_squared_difference_s8",
                      args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": _sqd_params(graph, op)},
                      outputs=(y.index,))


def _log_softmax_check(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    if is_int16(x):
        return "TensorFlow Lite Micro runs LOG_SOFTMAX in int8 and float32 only, not int16"
    reason = _unary_reason(graph, op, s16=False)
    if reason:
        return reason
    if x.shape != y.shape:
        return f"input shape {list(x.shape)} differs from output shape {list(y.shape)}"
    if not x.shape or not 1 <= int(x.shape[-1]) <= quant.LOG_SOFTMAX_ROW_MAX:
        return (f"the innermost dimension of {list(x.shape)} must be 1..{quant.LOG_SOFTMAX_ROW_MAX} "
                f"(a longer row can overflow TensorFlow Lite Micro's int32 sum of exponentials)")
    return derivation_reason(quant.log_softmax_params, _quant(x)[0], *_quant(y))


@rule("LOG_SOFTMAX", check=_log_softmax_check)
def lower_log_softmax(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_log_softmax_s8",
                      args={"input": TensorArg(x.index), "params": quant.log_softmax_params(_quant(x)[0], *_quant(y))}, outputs=(y.index,))


def _div_params(graph: Graph, op: Operator) -> object:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return quant.div_params(*_quant(a), *_quant(b), *_quant(y), activation_of(op, y))


def _div_check(graph: Graph, op: Operator) -> str | None:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    if any(is_int16(t) for t in (a, b, y)):
        return "TensorFlow Lite Micro runs DIV in float32, int32 and int8 only, not int16"
    return first_reason(
        binary_reason(graph, op),
        *(per_tensor_reason(t, role) for t, role in ((a, "input 0"), (b, "input 1"), (y, "output"))),
        broadcast_reason(a.shape, b.shape, y.shape),
        derivation_reason(_div_params, graph, op),
    )


@rule("DIV", check=_div_check)
def lower_div(graph: Graph, op: Operator) -> KernelCall:
    a, b, y = tensor(graph, op, 0, "input 0"), tensor(graph, op, 1, "input 1"), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_div_s8",
                      args={"input_1": _arg(graph, a.index), "input_2": _arg(graph, b.index), "params": _div_params(graph, op)},
                      outputs=(y.index,))


def _add_n_inputs(graph: Graph, op: Operator) -> list[Tensor]:
    return [tensor(graph, op, i, f"input {i}") for i in range(len(op.inputs))]


def _add_n_params(graph: Graph, op: Operator) -> object:
    xs, y = _add_n_inputs(graph, op), output(graph, op)
    return quant.add_n_params(*_quant(xs[0]), *_quant(y), len(xs))


def _add_n_check(graph: Graph, op: Operator) -> str | None:
    xs, y = _add_n_inputs(graph, op), output(graph, op)
    if len(xs) < 2:
        return f"ADD_N has {len(xs)} input; TensorFlow Lite Micro needs two or more"
    if any(is_int16(t) for t in (*xs, y)):
        return "TensorFlow Lite Micro runs ADD_N in float32 and int8 only, not int16"
    reason = first_reason(
        *(dtype_reason(t, f"input {i}", [np.int8]) for i, t in enumerate(xs)),
        dtype_reason(y, "output", [np.int8]),
        *(per_tensor_reason(t, f"input {i}") for i, t in enumerate(xs)),
        per_tensor_reason(y, "output"),
    )
    if reason:
        return reason
    for i, t in enumerate(xs[1:], 1):
        if t.shape != y.shape or xs[0].shape != y.shape:
            return f"input {i} shape {list(t.shape)}, input 0 {list(xs[0].shape)} and output {list(y.shape)} differ (ADD_N does not broadcast)"
        if _quant(t) != _quant(xs[0]):
            return (f"input {i} scale/zero point {_quant(t)} differ from input 0's {_quant(xs[0])}: "
                    f"TensorFlow Lite Micro's ADD_N needs every input quantised alike")
    return derivation_reason(_add_n_params, graph, op)


@rule("ADD_N", check=_add_n_check)
def lower_add_n(graph: Graph, op: Operator) -> KernelCall:
    xs, y = _add_n_inputs(graph, op), output(graph, op)
    return KernelCall(op=op, kernel="pycmsisnn_add_n_s8", args={"inputs": [_arg(graph, t.index) for t in xs], "params": _add_n_params(graph, op)},
                      outputs=(y.index,))
