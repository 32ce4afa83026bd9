"""SVDF: one step of TFLite's integer SVDF (``arm_svdf_s8``: int8 state and
time weights; ``arm_svdf_state_s16_s8``: int16 state and time weights, what
the TFLite converter produces), and the size of ``arm_svdf_s8``'s ctx.

``state`` [batches, filters * memory] is the layer's persistent activation
state: the kernel updates it IN PLACE (the array given, which must be
C-contiguous and writeable), as TFLite Micro updates its variable tensor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._lib import ffi, lib
from ..params import Activation, SvdfParams, SvdfQuant
from ._base import DIM_MAX, INT16_MAX, INT16_MIN, check_activation, check_array, check_bias, check_int, check_per_tensor, context, dims, fail, ptr
from ._binding import invoke


def _check(kernel: str, svdf_params: SvdfParams, svdf_quant: SvdfQuant, input: np.ndarray, state: np.ndarray,
           weights_feature: np.ndarray, weights_time: np.ndarray, bias: np.ndarray | None, state_dtype: type,
           ) -> tuple[int, int, int, int, int]:
    if not isinstance(svdf_params, SvdfParams):
        raise fail(kernel, "svdf_params", f"must be an SvdfParams, got {type(svdf_params).__name__}")
    if not isinstance(svdf_quant, SvdfQuant):
        raise fail(kernel, "svdf_quant", f"must be an SvdfQuant, got {type(svdf_quant).__name__}")
    check_per_tensor(kernel, "svdf_quant.input", svdf_quant.input)
    check_per_tensor(kernel, "svdf_quant.output", svdf_quant.output)
    x = check_array(kernel, "input", input, np.int8, 2)
    wf = check_array(kernel, "weights_feature", weights_feature, np.int8, 2)
    wt = check_array(kernel, "weights_time", weights_time, state_dtype, 2)
    s = check_array(kernel, "state", state, state_dtype, 2)
    batches, input_size = x.shape
    filters, memory = wt.shape
    rank = check_int(kernel, "svdf_params.rank", svdf_params.rank, 1, DIM_MAX)
    if wf.shape != (filters, input_size):
        raise fail(kernel, "weights_feature", f"shape {list(wf.shape)}, expected [{filters}, {input_size}] (filters, input size)")
    if filters % rank:
        raise fail(kernel, "svdf_params.rank", f"{rank} does not divide the {filters} filters")
    if s.shape != (batches, filters * memory):
        raise fail(kernel, "state", f"shape {list(s.shape)}, expected [{batches}, {filters * memory}] (batches, filters x memory)")
    if not (s.flags.c_contiguous and s.flags.writeable):
        raise fail(kernel, "state", "must be C-contiguous and writeable (the kernel updates it in place)")
    units = filters // rank
    check_bias(kernel, bias, units)
    check_int(kernel, "svdf_params.input_offset", svdf_params.input_offset, -128, 127)
    check_int(kernel, "svdf_params.output_offset", svdf_params.output_offset, -128, 127)
    lo, hi = (INT16_MIN, INT16_MAX) if np.dtype(state_dtype) == np.int16 else (-128, 127)
    check_activation(kernel, "svdf_params.input_activation", svdf_params.input_activation, lo, hi)
    check_activation(kernel, "svdf_params.output_activation", svdf_params.output_activation)
    return batches, input_size, filters, memory, units


def _c_params(p: SvdfParams) -> Any:
    def act(a: Activation) -> dict[str, int]:
        return {"min": int(a.min), "max": int(a.max)}

    return ffi.new("cmsis_nn_svdf_params *", {"rank": int(p.rank), "input_offset": int(p.input_offset),
                                              "output_offset": int(p.output_offset),
                                              "input_activation": act(p.input_activation),
                                              "output_activation": act(p.output_activation)})


def _quant(q: Any) -> Any:
    return ffi.new("cmsis_nn_per_tensor_quant_params *", {"multiplier": int(q.multiplier), "shift": int(q.shift)})


def _call(kernel: str, svdf_params: SvdfParams, svdf_quant: SvdfQuant, input: np.ndarray, state: np.ndarray,
          weights_feature: np.ndarray, weights_time: np.ndarray, bias: np.ndarray | None, state_dtype: type) -> np.ndarray:
    batches, input_size, filters, memory, units = _check(kernel, svdf_params, svdf_quant, input, state, weights_feature,
                                                         weights_time, bias, state_dtype)
    ctype = "int16_t" if np.dtype(state_dtype) == np.int16 else "int8_t"
    input_ctx, _ = context(batches * filters * 4)
    output_ctx, _ = context(batches * units * 4)
    out = np.empty((batches, units), dtype=np.int8)
    operands = [
        _c_params(svdf_params), _quant(svdf_quant.input), _quant(svdf_quant.output),
        dims((batches, input_size, 1, 1)), ptr(input, "int8_t"),
        dims((batches, filters * memory, 1, 1)), ffi.from_buffer(f"{ctype}[]", state),
        dims((filters, input_size, 1, 1)), ptr(weights_feature, "int8_t"),
        dims((filters, memory, 1, 1)), ptr(weights_time, ctype),
        dims((units, 1, 1, 1)), ptr(bias, "int32_t"),
        dims((batches, units, 1, 1)), ffi.from_buffer("int8_t[]", out),
    ]
    if kernel == "arm_svdf_s8":
        ctx, _ = context(arm_svdf_s8_get_buffer_size((filters, input_size)))
        return invoke(kernel, lib.arm_svdf_s8, ctx, input_ctx, output_ctx, *operands, output=out)
    return invoke(kernel, lib.arm_svdf_state_s16_s8, input_ctx, output_ctx, *operands, output=out)


def arm_svdf_state_s16_s8(svdf_params: SvdfParams, svdf_quant: SvdfQuant, input: np.ndarray, state: np.ndarray,
                          weights_feature: np.ndarray, weights_time: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """One SVDF step with an int16 state: ``input`` int8 [batches, input size],
    ``state`` int16 [batches, filters * memory] (updated in place),
    ``weights_feature`` int8 [filters, input size], ``weights_time`` int16
    [filters, memory], ``bias`` int32 [filters / rank] or None; returns the
    int8 output [batches, filters / rank]."""
    return _call("arm_svdf_state_s16_s8", svdf_params, svdf_quant, input, state, weights_feature, weights_time, bias, np.int16)


def arm_svdf_s8(svdf_params: SvdfParams, svdf_quant: SvdfQuant, input: np.ndarray, state: np.ndarray,
                weights_feature: np.ndarray, weights_time: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """One SVDF step with an int8 state and int8 time weights (otherwise as
    ``arm_svdf_state_s16_s8``)."""
    return _call("arm_svdf_s8", svdf_params, svdf_quant, input, state, weights_feature, weights_time, bias, np.int8)


def _size(k: str, fn: Any, weights_feature_shape: tuple[int, ...]) -> int:
    if not isinstance(weights_feature_shape, (tuple, list)) or len(weights_feature_shape) != 2:
        raise fail(k, "weights_feature_shape", f"must be [filters, input size], got {weights_feature_shape!r}")
    filters, input_size = (check_int(k, f"weights_feature_shape[{i}]", d, 1, DIM_MAX) for i, d in enumerate(weights_feature_shape))
    return int(fn(dims((filters, input_size, 1, 1))))


def arm_svdf_s8_get_buffer_size(weights_feature_shape: tuple[int, ...]) -> int:
    """Bytes of arm_svdf_s8's ctx on the host (portable) build."""
    return _size("arm_svdf_s8_get_buffer_size", lib.arm_svdf_s8_get_buffer_size, weights_feature_shape)


def arm_svdf_s8_get_buffer_size_dsp(weights_feature_shape: tuple[int, ...]) -> int:
    """Bytes of arm_svdf_s8's ctx on a DSP build (none)."""
    return _size("arm_svdf_s8_get_buffer_size_dsp", lib.arm_svdf_s8_get_buffer_size_dsp, weights_feature_shape)


def arm_svdf_s8_get_buffer_size_mve(weights_feature_shape: tuple[int, ...]) -> int:
    """Bytes of arm_svdf_s8's ctx on an MVE build (Arm's kernel reads row sums there)."""
    return _size("arm_svdf_s8_get_buffer_size_mve", lib.arm_svdf_s8_get_buffer_size_mve, weights_feature_shape)
