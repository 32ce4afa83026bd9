"""Scratch memory of a kernel call on a given core, from the kernels' own
buffer-size functions.

CMSIS-NN kernels size their scratch by build, the ``Feature`` of the core
(``pycmsisnn.cores``): the plain ``_get_buffer_size`` of a portable build (the
host and the scalar cores), ``_dsp`` on the DSP cores and ``_mve`` on Helium.
The lowering records the host size in ``KernelCall.scratch_bytes``; code for
a core needs that core's size, which this module asks the Python wrappers of
those C functions for.

A call may take more than one scratch buffer: the transpose convolution has
``ctx`` and ``reverse_conv_ctx``. Each buffer is a ``ScratchNeed`` naming its
role (the C argument) and size; a kernel that takes a ``cmsis_nn_context``
but needs no memory gets a need of 0 bytes, so that code generation still
passes a valid (non-NULL) context.

The sizes are those of the library the code is built against. Arm's
functions promise a buffer to every build of a kernel; some of ours never
touch theirs (``KERNELS_WITHOUT_SCRATCH``), so code built against our
library gives them none and the arena shrinks (KWS on Cortex-M55: Arm's MVE
depthwise buffer is 20% of the arena).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .cores import HOST, Feature, feature_of
from .ir import Graph
from .lower import KernelCall, TensorArg

# Libraries generated code can be built against: ours, or Arm's official CMSIS-NN.
LIBRARIES = ("pycmsisnn", "official")


@dataclass(frozen=True)
class ScratchNeed:
    """One scratch buffer of a call: the C argument it is passed as, and its size."""

    role: str
    nbytes: int


def _shape(graph: Graph, value: object) -> tuple[int, ...]:
    assert isinstance(value, TensorArg)
    return tuple(value.shape) if value.shape is not None else tuple(graph.tensor(value.index).shape)


_SUFFIX = {Feature.SCALAR: "", Feature.DSP: "_dsp", Feature.MVE: "_mve"}


def _size_function(module: str, function: str, feature: Feature) -> Callable[..., int]:
    """The wrapper of ``function``'s buffer-size function for ``feature``'s build,
    in ``pycmsisnn.kernels.<module>``."""
    return getattr(importlib.import_module(f"{__package__}.kernels.{module}"), f"{function}_get_buffer_size{_SUFFIX[feature]}")


Sizer = Callable[[Graph, KernelCall, Feature, str], "tuple[ScratchNeed, ...]"]


def _conv_layer(module: str, function: str, struct: str) -> Sizer:
    """The sizer of a conv or depthwise wrapper: its size function on the call's
    parameter struct and shapes (int4 calls carry the logical filter shape)."""

    def sizer(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
        a = call.args
        filter_shape = tuple(a["filter_shape"]) if "filter_shape" in a else a["filter"].shape
        fn = _size_function(module, function, feature)
        return (ScratchNeed("ctx", fn(a[struct], _shape(graph, a["input"]), filter_shape, a["output_shape"])),)

    return sizer


def _avgpool_layer(module: str, function: str) -> Sizer:
    """The sizer of an average pool: its size function on the output width and channels."""

    def sizer(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
        out = call.args["output_shape"]
        return (ScratchNeed("ctx", _size_function(module, function, feature)(int(out[2]), int(out[3]))),)

    return sizer


def _transpose_conv(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    from .kernels import transpose_conv as k

    a = call.args
    p, i, f, o = a["transpose_conv_params"], _shape(graph, a["input"]), a["filter"].shape, tuple(a["output_shape"])
    # The host (portable) size is also the DSP one: both build the same im2col column.
    ctx_fn = k.arm_transpose_conv_s8_get_buffer_size_mve if feature is Feature.MVE else k.arm_transpose_conv_s8_get_buffer_size
    reverse = k.arm_transpose_conv_s8_get_reverse_conv_buffer_size(p, i, f)
    if reverse == 0 and library == "official":
        # Arm's scatter kernel accumulates the whole output as int32 in this buffer.
        reverse = int(np.prod(o[1:])) * 4
    return ScratchNeed("ctx", ctx_fn(p, i, f, o)), ScratchNeed("reverse_conv_ctx", reverse)


def _fully_connected(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    from .kernels import fully_connected as k

    if feature is Feature.MVE:
        # The MVE ctx holds the kernel sums; code generation emits them as a
        # constant computed on the host (arm_vector_sum_s8), so no arena is needed.
        return (ScratchNeed("ctx", 0),)
    fn = k.arm_fully_connected_s8_get_buffer_size if feature is Feature.SCALAR else k.arm_fully_connected_s8_get_buffer_size_dsp
    return (ScratchNeed("ctx", fn(call.args["filter"].shape)),)


def _batch_matmul(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    out = graph.tensor(call.outputs[0]).shape
    # As the wrapper: the output's channel count stands in for the filter's (C_OUT, depth).
    return (ScratchNeed("ctx", _size_function("fully_connected", "arm_fully_connected_s8", feature)((int(out[-1]), 1))),)


def _empty_context(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    return (ScratchNeed("ctx", 0),)


def _fully_connected_s16(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    return (ScratchNeed("ctx", _size_function("s16", "arm_fully_connected_s16", feature)(call.args["filter"].shape)),)


def _svdf(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    """input_ctx (int32 per batch and filter) and output_ctx (int32 per batch
    and unit), after arm_svdf_s8's ctx: its MVE row sums are emitted as a
    constant (see codegen.svdf), so it takes no arena."""
    batches = _shape(graph, call.args["input"])[0]
    filters = int(call.args["weights_time"].shape[0])
    units = filters // int(call.args["svdf_params"].rank)
    needs = (ScratchNeed("input_ctx", 4 * batches * filters), ScratchNeed("output_ctx", 4 * batches * units))
    if call.kernel != "arm_svdf_s8":
        return needs
    ctx = 0 if feature is Feature.MVE else _size_function("svdf", "arm_svdf_s8", feature)(call.args["weights_feature"].shape)
    return (ScratchNeed("ctx", ctx),) + needs


def _lstm(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[ScratchNeed, ...]:
    """The context of arm_lstm_unidirectional_s8 / _s16: temp1 and temp2,
    batch * hidden int16 each (the same on every build); its hidden_state and
    cell_state are the layer's variable tensors, in the state buffer."""
    p = call.args["params"]
    return (ScratchNeed("buffers", 2 * p.batch_size * p.hidden_size * 2),)


SIZERS: dict[str, Sizer] = {
    "arm_svdf_s8": _svdf,
    "arm_svdf_state_s16_s8": _svdf,
    "arm_convolve_wrapper_s8": _conv_layer("convolution", "arm_convolve_wrapper_s8", "conv_params"),
    "arm_depthwise_conv_wrapper_s8": _conv_layer("depthwise", "arm_depthwise_conv_wrapper_s8", "dw_conv_params"),
    "arm_transpose_conv_wrapper_s8": _transpose_conv,
    "arm_fully_connected_wrapper_s8": _fully_connected,
    "arm_batch_matmul_s8": _batch_matmul,
    "arm_convolve_wrapper_s16": _conv_layer("convolution_s16", "arm_convolve_wrapper_s16", "conv_params"),
    "arm_depthwise_conv_wrapper_s16": _conv_layer("convolution_s16", "arm_depthwise_conv_wrapper_s16", "dw_conv_params"),
    "arm_fully_connected_s16": _fully_connected_s16,
    "arm_batch_matmul_s16": _empty_context,  # Arm's takes ctx and reads nothing from it
    "arm_avgpool_s8": _avgpool_layer("pooling", "arm_avgpool_s8"),
    "arm_max_pool_s8": _empty_context,
    "arm_minimum_s8": _empty_context,
    "arm_maximum_s8": _empty_context,
    "arm_convolve_wrapper_s4": _conv_layer("s4", "arm_convolve_wrapper_s4", "conv_params"),
    "arm_depthwise_conv_wrapper_s4": _conv_layer("s4", "arm_depthwise_conv_wrapper_s4", "dw_conv_params"),
    "arm_fully_connected_s4": _empty_context,
    "arm_avgpool_s16": _avgpool_layer("s16", "arm_avgpool_s16"),
    "arm_max_pool_s16": _empty_context,
    "arm_lstm_unidirectional_s8": _lstm,
    "arm_lstm_unidirectional_s16": _lstm,
}


# The kernels of our library that take a ``cmsis_nn_context`` on every build
# but never read it (each says so in its source: ``(void)ctx``).
KERNELS_WITHOUT_SCRATCH = frozenset({
    "arm_convolve_1x1_s8", "arm_convolve_1x1_s8_fast", "arm_depthwise_conv_s8", "arm_depthwise_conv_3x3_s8",
    "arm_depthwise_conv_s8_opt", "arm_fully_connected_s8", "arm_fully_connected_per_channel_s8", "arm_avgpool_s8",
    "arm_batch_matmul_s8", "arm_avgpool_s16",
})


def call_scratch(graph: Graph, call: KernelCall, core: str = HOST, library: str = "pycmsisnn") -> tuple[ScratchNeed, ...]:
    """The scratch buffers ``call`` takes on ``core`` (none for kernels without
    a ``cmsis_nn_context``), built against ``library``."""
    if library not in LIBRARIES:
        raise ValueError(f"unknown kernel library '{library}'; known: {', '.join(LIBRARIES)}")
    sizer = SIZERS.get(call.kernel)
    if sizer is None:
        return ()
    needs = sizer(graph, call, feature_of(core), library)
    if library == "pycmsisnn" and call.reached in KERNELS_WITHOUT_SCRATCH:
        return tuple(ScratchNeed(n.role, 0) for n in needs)
    return needs
