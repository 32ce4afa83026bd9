"""Which kernel calls take a batch of samples in one C call, and how.

``Model.run_batch`` runs N independent samples. A kernel whose C API has a
batch (the ``n`` of NHWC dims, the rows of a fully connected or of a softmax,
the total size of an elementwise kernel) runs all N at once: ``batched_call``
gives the same ``KernelCall`` with the batch folded into its activation views
(and its ``output_shape``), which the same wrapper then validates and the
runtime records and replays like any call. Every other call runs once per
sample (``batched_call`` returns None).

Samples are stored one after the other (sample-major), each in its tensor's
own layout, so a batched view of tensor T is T's N samples reshaped:

- FOLD: the kernel treats the view's leading axis as independent batches
  (NHWC kernels: n; fully connected: rows), so that axis is multiplied by N;
- PREPEND: the kernel treats everything but the last axis as independent
  rows (softmax), or every element alike (elementwise, reshape), so the view
  gains a leading axis of N.

A call is batched only when every activation it reads is a top-level
``TensorArg`` (a constant operand has one sample's shape and cannot follow the
batch) and, for the elementwise kernels, when all of them have the output's
shape (no broadcasting).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .ir import Graph
from .lower import KernelCall, TensorArg

# Kernels with a batch (leading) axis on every activation view: NHWC's n, a
# fully connected's rows.
FOLD = frozenset({
    "arm_convolve_wrapper_s8", "arm_convolve_wrapper_s16", "arm_convolve_wrapper_s4",
    "arm_depthwise_conv_wrapper_s8", "arm_depthwise_conv_wrapper_s16", "arm_depthwise_conv_wrapper_s4",
    "arm_avgpool_s8", "arm_avgpool_s16", "arm_max_pool_s8", "arm_max_pool_s16",
    "arm_fully_connected_wrapper_s8", "arm_fully_connected_s16", "arm_fully_connected_s4",
    "pycmsisnn_fully_connected_per_channel_s16",
})

# Row-wise over the last axis.
ROWS = frozenset({"arm_softmax_s8", "arm_softmax_s8_s16", "arm_softmax_s16"})

# One activation in, one out, every element alike (any other argument is a
# parameter or a table).
UNARY = frozenset({
    "pycmsisnn_relu_s8", "pycmsisnn_relu_s16", "pycmsisnn_leaky_relu_s8", "pycmsisnn_leaky_relu_s16",
    "pycmsisnn_requantize_s8", "pycmsisnn_requantize_s16", "pycmsisnn_requantize_s8_s16", "pycmsisnn_requantize_s16_s8",
    "pycmsisnn_abs_s8", "pycmsisnn_abs_s16", "pycmsisnn_rsqrt_s8", "pycmsisnn_rsqrt_s16",
    "pycmsisnn_tanh_s8", "pycmsisnn_tanh_s16", "pycmsisnn_logistic_s8", "pycmsisnn_logistic_s16",
    "pycmsisnn_lut_s8", "pycmsisnn_hard_swish_s8", "arm_nn_activation_s16",
    "pycmsisnn_quantize_f32_s8", "pycmsisnn_quantize_f32_s16", "pycmsisnn_dequantize_s8", "pycmsisnn_dequantize_s16",
    "arm_reshape_s8", "reshape_s16",
})

# Two (or three) activations of the output's shape, element by element.
ELEMENTWISE = frozenset({
    "arm_elementwise_add_s8", "arm_elementwise_add_s16", "arm_elementwise_mul_s8", "arm_elementwise_mul_s16",
    "arm_maximum_s8", "arm_minimum_s8", "pycmsisnn_maximum_s16", "pycmsisnn_minimum_s16",
    "pycmsisnn_squared_difference_s8", "pycmsisnn_squared_difference_s16",
    "pycmsisnn_equal_s8", "pycmsisnn_not_equal_s8", "pycmsisnn_greater_s8", "pycmsisnn_greater_equal_s8",
    "pycmsisnn_less_s8", "pycmsisnn_less_equal_s8", "pycmsisnn_select_s8", "pycmsisnn_select_s16",
})

BATCHED_KERNELS = FOLD | ROWS | UNARY | ELEMENTWISE

# Wrappers that pick their C kernel by shape (the optimised depthwise kernels
# take batch 1 only): batched only when the batch keeps the kernel. The
# argument holding each one's parameters.
VARIANT_PARAMS = {
    "arm_convolve_wrapper_s8": "conv_params", "arm_convolve_wrapper_s4": "conv_params",
    "arm_depthwise_conv_wrapper_s8": "dw_conv_params", "arm_depthwise_conv_wrapper_s4": "dw_conv_params",
}


def _view(graph: Graph, arg: TensorArg) -> tuple[int, ...]:
    return tuple(arg.shape) if arg.shape is not None else tuple(graph.tensor(arg.index).shape)


def _has_nested_tensor(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and any(isinstance(v, TensorArg) for v in value)


def _same_variant(call: KernelCall, batched: KernelCall, view: tuple[int, ...] | None, n: int) -> bool:
    """False when the batch would take the wrapper to another C kernel than one sample."""
    kernel = call.kernel
    if kernel not in VARIANT_PARAMS:
        return True
    if view is None:
        return False
    from .kernels import lookup

    try:
        variant = lookup(f"{kernel}_variant")
        params = call.args[VARIANT_PARAMS[kernel]]
        filt = call.args.get("filter_shape", getattr(call.args.get("filter"), "shape", None))
        one = variant(params, input_shape=view, filter_shape=filt)
        many = variant(params, input_shape=(n * view[0], *view[1:]), filter_shape=filt)
    except (KeyError, ValueError, TypeError):
        return False
    return bool(one == many)


def batched_call(call: KernelCall, graph: Graph, n: int) -> KernelCall | None:
    """``call`` for ``n`` samples at once, or None when it must run per sample."""
    kernel = call.kernel
    if kernel not in BATCHED_KERNELS or len(call.outputs) != 1 or n < 1:
        return None
    if any(_has_nested_tensor(v) for v in call.args.values()):
        return None
    tensors = {name: v for name, v in call.args.items() if isinstance(v, TensorArg)}
    if not tensors:
        return None
    out = graph.tensor(call.outputs[0])
    views = {name: _view(graph, a) for name, a in tensors.items()}
    args = dict(call.args)
    if kernel in FOLD:
        if any(len(v) < 1 for v in views.values()):
            return None
        for name, a in tensors.items():
            v = views[name]
            args[name] = TensorArg(a.index, (n * v[0], *v[1:]))
        if "output_shape" in args:
            shape = tuple(args["output_shape"])
            if len(shape) < 1:
                return None
            args["output_shape"] = (n * shape[0], *shape[1:])
        batched = replace(call, args=args)
        return batched if _same_variant(call, batched, views["input"] if "input" in views else None, n) else None
    if kernel in ROWS or kernel in UNARY:
        if len(tensors) != 1 or "input" not in tensors:
            return None
    elif kernel in ELEMENTWISE:
        shapes = set(views.values())
        if len(tensors) < 2 or len(shapes) != 1 or int(np.prod(next(iter(shapes)))) != out.size:
            return None  # broadcasting
        if any(isinstance(v, np.ndarray) for v in call.args.values()):
            return None  # a constant operand
    for name, a in tensors.items():
        args[name] = TensorArg(a.index, (n, *views[name]))
    if "output_shape" in args:
        args["output_shape"] = (n, *tuple(args["output_shape"]))
    return replace(call, args=args)
