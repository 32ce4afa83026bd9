"""Emitters of the int8 LOG_SOFTMAX, DIV and ADD_N kernels of
``pycmsisnn_math_ops.h``: the C calls with exactly the arguments the wrappers
of ``pycmsisnn.kernels.math_ops`` pass. ``MATH_OPS_EMITTERS`` is merged into
``kernels.EMITTERS``."""
from __future__ import annotations

from typing import Callable, Sequence

from ..lower import KernelCall
from ..params import AddNParams, DivParams, LogSoftmaxParams
from .cwriter import Layer, c_int
from .structs import declare_dims, init
from ..kernels._base import nhwc as _nhwc

MATH_OPS = "pycmsisnn_math_ops.h"
Emitter = Callable[[Layer, KernelCall], None]


def _params(layer: Layer, ctype: str, value: object, cls: type, fields: Sequence[str]) -> str:
    if not isinstance(value, cls):
        raise layer.refuse(f"params must be a {cls.__name__}, got {type(value).__name__}")
    return layer.declare(ctype, "params", init([(f, c_int(getattr(value, f))) for f in fields]))


def log_softmax(layer: Layer, call: KernelCall) -> None:
    a = call.args
    shape = layer.shape(a["input"])
    depth = int(shape[-1])
    params = _params(layer, "pycmsisnn_log_softmax_params", a["params"], LogSoftmaxParams,
                     ("input_multiplier", "input_left_shift", "reverse_multiplier", "reverse_shift", "diff_min"))
    layer.returns(call.kernel, [params, layer.input(a["input"], "input"), c_int(layer.size(a["input"]) // depth), c_int(depth), layer.output()])


def div(layer: Layer, call: KernelCall) -> None:
    a = call.args
    s1, s2 = layer.shape(a["input_1"]), layer.shape(a["input_2"])
    rank = max(len(s1), len(s2))
    p1, p2 = (1,) * (rank - len(s1)) + tuple(s1), (1,) * (rank - len(s2)) + tuple(s2)
    if rank > 4 or any(d1 != d2 and 1 not in (d1, d2) for d1, d2 in zip(p1, p2)):
        raise layer.refuse(f"shapes {list(s1)} and {list(s2)} do not broadcast within rank 4")
    out = tuple(max(d1, d2) for d1, d2 in zip(p1, p2))
    params = _params(layer, "pycmsisnn_div_params", a["params"], DivParams, (
        "input_1_offset", "input_2_offset", "output_offset", "output_multiplier", "output_shift", "activation_min", "activation_max"))
    layer.returns(call.kernel, [
        params,
        declare_dims(layer, "input_1_dims", _nhwc(s1)), layer.input(a["input_1"], "input_1"),
        declare_dims(layer, "input_2_dims", _nhwc(s2)), layer.input(a["input_2"], "input_2"),
        declare_dims(layer, "output_dims", _nhwc(out)), layer.output(),
    ])


def add_n(layer: Layer, call: KernelCall) -> None:
    a = call.args
    inputs = list(a["inputs"])
    if len(inputs) < 2 or any(layer.shape(v) != layer.shape(inputs[0]) for v in inputs):
        raise layer.refuse("ADD_N needs two or more inputs of one shape")
    params = _params(layer, "pycmsisnn_add_n_params", a["params"], AddNParams,
                     ("input_offset", "output_offset", "output_multiplier", "output_shift"))
    pointers = ", ".join(layer.input(v, f"input_{i}") for i, v in enumerate(inputs))
    layer.lines.append(f"const int8_t *const inputs[{len(inputs)}] = {{{pointers}}};")
    layer.returns(call.kernel, [params, "inputs", c_int(len(inputs)), layer.output(), c_int(layer.size(inputs[0]))])


MATH_OPS_EMITTERS: dict[str, tuple[Emitter, str]] = {
    "pycmsisnn_log_softmax_s8": (log_softmax, MATH_OPS),
    "pycmsisnn_div_s8": (div, MATH_OPS),
    "pycmsisnn_add_n_s8": (add_n, MATH_OPS),
}

__all__ = ["MATH_OPS_EMITTERS"]
