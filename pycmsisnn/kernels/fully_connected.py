"""Fully connected, vector sum and batch matmul kernels (s8).

Layouts:

* Fully connected: ``input`` is ``[batches, depth]`` int8, ``filter`` is
  TFLite's weight layout ``[C_OUT, depth]`` int8, ``bias`` is ``[C_OUT]`` int32
  or None; the output is ``[batches, C_OUT]`` int8. In C terms
  ``input_dims = (batches, 1, 1, depth)``, ``filter_dims = (depth, 1, 1, C_OUT)``,
  ``output_dims = (batches, 1, 1, C_OUT)``.
* Batch matmul: TFLite's BATCH_MATMUL operands, 2-D to 4-D, with batch
  dimensions that broadcast (a dimension of 1 against any size). ``lhs`` is
  ``[..., M, K]`` (``[..., K, M]`` with ``adj_x``), ``rhs`` is ``[..., K, N]``
  (``[..., N, K]`` with ``adj_y``); the output is ``[..., M, N]``. The C kernel
  takes ``lhs`` as ``[.., M, K]`` and ``rhs`` already transposed as
  ``[.., N, K]`` and does not read the adj flags, so the wrapper does those
  transposes in numpy first, exactly as TFLite Micro does before calling it.

Offsets follow CMSIS-NN: ``input_offset``/``filter_offset`` are minus the zero
points of input (lhs) and filter (rhs), ``output_offset`` is plus the output
zero point.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..params import BmmParams, FcParams, PerChannelQuant, PerTensorQuant
from ._base import (
    DIM_MAX,
    INT32_MAX,
    c_fc_params,
    c_per_channel,
    c_per_tensor,
    call,
    check_activation,
    check_array,
    check_bias,
    check_input_offset,
    check_int,
    check_output_offset,
    check_per_channel,
    check_per_tensor,
    context,
    dims,
    fail,
    ffi,
    invoke,
    lib,
    ptr,
)

__all__ = [
    "arm_fully_connected_s8",
    "arm_fully_connected_per_channel_s8",
    "arm_fully_connected_wrapper_s8",
    "arm_fully_connected_wrapper_s8_variant",
    "arm_fully_connected_s8_get_buffer_size",
    "arm_fully_connected_s8_get_buffer_size_dsp",
    "arm_fully_connected_s8_get_buffer_size_mve",
    "arm_vector_sum_s8",
    "arm_batch_matmul_s8",
]

# An int32 accumulator of products of two offset int8 values (each at most 255
# in magnitude) cannot overflow below this depth.
_MAX_DEPTH = (INT32_MAX // (255 * 255))


# ------------------------------------------------------------------ helpers


def _check_fc_params(kernel: str, name: str, p: Any) -> FcParams:
    """An FcParams with offsets and activation in range."""
    if not isinstance(p, FcParams):
        raise fail(kernel, name, f"must be an FcParams, got {type(p).__name__}")
    check_input_offset(kernel, f"{name}.input_offset", p.input_offset)
    check_input_offset(kernel, f"{name}.filter_offset", p.filter_offset)
    check_output_offset(kernel, f"{name}.output_offset", p.output_offset)
    check_activation(kernel, f"{name}.activation", p.activation)
    return p


def _check_fc_operands(
    kernel: str, input: Any, filter: Any, bias: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, int, int]:
    """Validated (input, filter, bias, batches, depth, C_OUT) of a fully-connected call."""
    x = check_array(kernel, "input", input, np.int8, 2)
    w = check_array(kernel, "filter", filter, np.int8, 2)
    batches, depth = x.shape
    out_ch, w_depth = w.shape
    if w_depth != depth:
        raise fail(kernel, "filter", f"has depth {w_depth} (shape {w.shape}), input has depth {depth} (shape {x.shape})")
    if depth > _MAX_DEPTH:
        raise fail(kernel, "input", f"depth {depth} above {_MAX_DEPTH} could overflow the int32 accumulator")
    b = check_bias(kernel, bias, out_ch)
    return x, w, b, batches, depth, out_ch


def _fc_dims(batches: int, depth: int, out_ch: int) -> tuple[Any, Any, Any, Any]:
    """cmsis_nn_dims of input, filter, bias and output of a fully-connected call."""
    return (
        dims((batches, 1, 1, depth)),
        dims((depth, 1, 1, out_ch)),
        dims((1, 1, 1, out_ch)),
        dims((batches, 1, 1, out_ch)),
    )


def _filter_dims(kernel: str, filter_shape: Sequence[int]) -> Any:
    """cmsis_nn_dims of a [C_OUT, depth] filter shape."""
    if isinstance(filter_shape, (str, bytes)) or not isinstance(filter_shape, Sequence) or len(filter_shape) != 2:
        raise fail(kernel, "filter_shape", f"must be (C_OUT, depth), got {filter_shape!r}")
    out_ch = check_int(kernel, "filter_shape[0]", filter_shape[0], 1, DIM_MAX)
    depth = check_int(kernel, "filter_shape[1]", filter_shape[1], 1, DIM_MAX)
    return dims((depth, 1, 1, out_ch))


# ----------------------------------------------------------- fully connected


def arm_fully_connected_s8(
    fc_params: FcParams,
    quant_params: PerTensorQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
) -> np.ndarray:
    """Per-tensor fully connected: ``out[b, o] = clamp(requantize(bias[o] +
    sum_d (input[b, d] + input_offset) * (filter[o, d] + filter_offset)) + output_offset)``.

    ``input`` [batches, depth] int8, ``filter`` [C_OUT, depth] int8, ``bias``
    [C_OUT] int32 or None. Returns the new [batches, C_OUT] int8 output.
    """
    kernel = "arm_fully_connected_s8"
    _check_fc_params(kernel, "fc_params", fc_params)
    check_per_tensor(kernel, "quant_params", quant_params)
    x, w, b, batches, depth, out_ch = _check_fc_operands(kernel, input, filter, bias)
    out = np.empty((batches, out_ch), dtype=np.int8)
    in_d, w_d, b_d, out_d = _fc_dims(batches, depth, out_ch)
    ctx, _buf = context(lib.arm_fully_connected_s8_get_buffer_size(w_d))
    status = lib.arm_fully_connected_s8(
        ctx,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        c_per_tensor(quant_params),
        in_d,
        ptr(x, "int8_t"),
        w_d,
        ptr(w, "int8_t"),
        b_d,
        ptr(b, "int32_t"),
        out_d,
        ptr(out, "int8_t"),
    )
    call(kernel, status)
    return out


def arm_fully_connected_per_channel_s8(
    fc_params: FcParams,
    quant_params: PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
) -> np.ndarray:
    """Per-channel fully connected: as ``arm_fully_connected_s8`` with output
    feature ``o`` requantised by ``quant_params.multiplier[o]``/``shift[o]``."""
    kernel = "arm_fully_connected_per_channel_s8"
    _check_fc_params(kernel, "fc_params", fc_params)
    x, w, b, batches, depth, out_ch = _check_fc_operands(kernel, input, filter, bias)
    mult, shift = check_per_channel(kernel, "quant_params", quant_params, out_ch)
    out = np.empty((batches, out_ch), dtype=np.int8)
    in_d, w_d, b_d, out_d = _fc_dims(batches, depth, out_ch)
    ctx, _buf = context(lib.arm_fully_connected_s8_get_buffer_size(w_d))
    status = lib.arm_fully_connected_per_channel_s8(
        ctx,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        c_per_channel(mult, shift),
        in_d,
        ptr(x, "int8_t"),
        w_d,
        ptr(w, "int8_t"),
        b_d,
        ptr(b, "int32_t"),
        out_d,
        ptr(out, "int8_t"),
    )
    call(kernel, status)
    return out


def arm_fully_connected_wrapper_s8_variant(
    fc_params: FcParams,
    quant_params: PerTensorQuant | PerChannelQuant,
    input_shape: Sequence[int] | None = None,
    filter_shape: Sequence[int] | None = None,
) -> str:
    """The C kernel ``arm_fully_connected_wrapper_s8`` calls for these
    arguments. Only the kind of quantisation decides (``is_per_channel``):
    ``arm_fully_connected_per_channel_s8`` for a PerChannelQuant,
    ``arm_fully_connected_s8`` for a PerTensorQuant; the shapes are accepted
    for symmetry with the other ``_variant`` functions and not used."""
    kernel = "arm_fully_connected_wrapper_s8_variant"
    _check_fc_params(kernel, "fc_params", fc_params)
    del input_shape, filter_shape
    if isinstance(quant_params, PerChannelQuant):
        return "arm_fully_connected_per_channel_s8"
    if isinstance(quant_params, PerTensorQuant):
        return "arm_fully_connected_s8"
    raise fail(kernel, "quant_params", f"must be a PerTensorQuant or PerChannelQuant, got {type(quant_params).__name__}")


def arm_fully_connected_wrapper_s8(
    fc_params: FcParams,
    quant_params: PerTensorQuant | PerChannelQuant,
    input: np.ndarray,
    filter: np.ndarray,
    bias: np.ndarray | None,
) -> np.ndarray:
    """Fully connected with per-tensor (PerTensorQuant) or per-channel
    (PerChannelQuant) requantisation, dispatched in C by ``is_per_channel``.
    Same layouts and result as the two kernels it calls."""
    kernel = "arm_fully_connected_wrapper_s8"
    _check_fc_params(kernel, "fc_params", fc_params)
    x, w, b, batches, depth, out_ch = _check_fc_operands(kernel, input, filter, bias)
    if isinstance(quant_params, PerChannelQuant):
        mult, shift = check_per_channel(kernel, "quant_params", quant_params, out_ch)
        per_channel = 1
    elif isinstance(quant_params, PerTensorQuant):
        check_per_tensor(kernel, "quant_params", quant_params)
        mult = np.asarray([quant_params.multiplier], dtype=np.int32)
        shift = np.asarray([quant_params.shift], dtype=np.int32)
        per_channel = 0
    else:
        raise fail(kernel, "quant_params", f"must be a PerTensorQuant or PerChannelQuant, got {type(quant_params).__name__}")
    q = ffi.new(
        "cmsis_nn_quant_params *",
        {"multiplier": ptr(mult, "int32_t"), "shift": ptr(shift, "int32_t"), "is_per_channel": per_channel},
    )
    out = np.empty((batches, out_ch), dtype=np.int8)
    in_d, w_d, b_d, out_d = _fc_dims(batches, depth, out_ch)
    ctx, _buf = context(lib.arm_fully_connected_s8_get_buffer_size(w_d))
    return invoke(
        kernel,
        lib.arm_fully_connected_wrapper_s8,
        ctx,
        ffi.new("cmsis_nn_fc_params *", c_fc_params(fc_params)),
        q,
        in_d,
        ptr(x, "int8_t"),
        w_d,
        ptr(w, "int8_t"),
        b_d,
        ptr(b, "int32_t"),
        out_d,
        ptr(out, "int8_t"),
        output=out,
    )


def arm_fully_connected_s8_get_buffer_size(filter_shape: Sequence[int]) -> int:
    """Scratch bytes the fully-connected s8 kernels take on this build, for a
    ``(C_OUT, depth)`` filter (0 for the portable kernels)."""
    return int(lib.arm_fully_connected_s8_get_buffer_size(_filter_dims("arm_fully_connected_s8_get_buffer_size", filter_shape)))


def arm_fully_connected_s8_get_buffer_size_dsp(filter_shape: Sequence[int]) -> int:
    """Scratch bytes a DSP build of the fully-connected s8 kernels needs (0)."""
    return int(
        lib.arm_fully_connected_s8_get_buffer_size_dsp(_filter_dims("arm_fully_connected_s8_get_buffer_size_dsp", filter_shape))
    )


def arm_fully_connected_s8_get_buffer_size_mve(filter_shape: Sequence[int]) -> int:
    """Scratch bytes an MVE build of the fully-connected s8 kernels needs:
    one int32 kernel sum per output feature, ``4 * C_OUT``."""
    return int(
        lib.arm_fully_connected_s8_get_buffer_size_mve(_filter_dims("arm_fully_connected_s8_get_buffer_size_mve", filter_shape))
    )


# ---------------------------------------------------------------- vector sum


def arm_vector_sum_s8(
    vector_data: np.ndarray,
    lhs_offset: int,
    rhs_offset: int,
    bias_data: np.ndarray | None = None,
) -> np.ndarray:
    """Per-row sums of a [rows, cols] int8 matrix, as int32:
    ``lhs_offset * sum_c (vector_data[r, c] + rhs_offset) (+ bias_data[r])``.
    (Arithmetic wraps like int32 on overflow.)"""
    kernel = "arm_vector_sum_s8"
    v = check_array(kernel, "vector_data", vector_data, np.int8, 2)
    rows, cols = v.shape
    lhs = check_input_offset(kernel, "lhs_offset", lhs_offset)
    rhs = check_input_offset(kernel, "rhs_offset", rhs_offset)
    bias = None
    if bias_data is not None:
        bias = check_array(kernel, "bias_data", bias_data, np.int32, 1)
        if bias.shape[0] != rows:
            raise fail(kernel, "bias_data", f"has {bias.shape[0]} entries, expected {rows} (one per row)")
    out = np.empty(rows, dtype=np.int32)
    status = lib.arm_vector_sum_s8(ptr(out, "int32_t"), cols, rows, ptr(v, "int8_t"), lhs, rhs, ptr(bias, "int32_t"))
    call(kernel, status)
    return out


# -------------------------------------------------------------- batch matmul


def _dims4(shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A 2-D to 4-D shape as CMSIS-NN (n, h, w, c), leading dims filled with 1."""
    full = (1,) * (4 - len(shape)) + tuple(shape)
    return full[0], full[1], full[2], full[3]


def arm_batch_matmul_s8(
    bmm_params: BmmParams,
    quant_params: PerTensorQuant,
    lhs: np.ndarray,
    rhs: np.ndarray,
) -> np.ndarray:
    """TFLite BATCH_MATMUL (int8): ``out[..., i, j] = clamp(requantize(sum_k
    (L[..., i, k] + input_offset) * (R[..., k, j] + filter_offset)) + output_offset)``
    where ``L`` is ``lhs`` (transposed in its last two dims when ``adj_x``) and
    ``R`` is ``rhs`` (transposed when ``adj_y``), with broadcast batch dims.

    ``lhs``/``rhs`` are int8 of 2 to 4 dims in TFLite layout; returns the new
    int8 output of rank max(lhs.ndim, rhs.ndim) and shape ``[..., M, N]``.
    """
    kernel = "arm_batch_matmul_s8"
    if not isinstance(bmm_params, BmmParams):
        raise fail(kernel, "bmm_params", f"must be a BmmParams, got {type(bmm_params).__name__}")
    for flag in ("adj_x", "adj_y"):
        if not isinstance(getattr(bmm_params, flag), (bool, np.bool_)):
            raise fail(kernel, f"bmm_params.{flag}", f"must be a bool, got {type(getattr(bmm_params, flag)).__name__}")
    fc = _check_fc_params(kernel, "bmm_params.fc_params", bmm_params.fc_params)
    check_per_tensor(kernel, "quant_params", quant_params)
    a = check_array(kernel, "lhs", lhs, np.int8, (2, 3, 4))
    b = check_array(kernel, "rhs", rhs, np.int8, (2, 3, 4))

    # the kernel's operands: lhs as [.., M, K], rhs transposed as [.., N, K]
    # (views: ``ptr`` copies them, after the checks)
    a_mk = np.swapaxes(a, -1, -2) if bmm_params.adj_x else a
    b_nk = b if bmm_params.adj_y else np.swapaxes(b, -1, -2)
    rank = max(a.ndim, b.ndim)
    ln, lh, m, k = _dims4(a_mk.shape)
    rn, rh, n, rk = _dims4(b_nk.shape)
    if rk != k:
        raise fail(
            kernel, "rhs", f"accumulation depth {rk} (shape {b.shape}, adj_y={bool(bmm_params.adj_y)}) does not match "
            f"lhs depth {k} (shape {a.shape}, adj_x={bool(bmm_params.adj_x)})"
        )
    if k > _MAX_DEPTH:
        raise fail(kernel, "lhs", f"depth {k} above {_MAX_DEPTH} could overflow the int32 accumulator")
    batch: list[int] = []
    for x, y in ((ln, rn), (lh, rh)):
        if x != y and x != 1 and y != 1:
            raise fail(kernel, "rhs", f"batch dims of shape {b.shape} do not broadcast against lhs shape {a.shape}")
        batch.append(max(x, y))
    out_shape = (tuple(batch)[4 - rank :] if rank > 2 else ()) + (m, n)
    out = np.empty(out_shape, dtype=np.int8)
    out_d = dims((batch[0], batch[1], m, n))
    bmm = ffi.new(
        "cmsis_nn_bmm_params *",
        {"adj_x": bool(bmm_params.adj_x), "adj_y": bool(bmm_params.adj_y), "fc_params": c_fc_params(fc)},
    )
    ctx, _buf = context(lib.arm_fully_connected_s8_get_buffer_size(out_d))
    status = lib.arm_batch_matmul_s8(
        ctx,
        bmm,
        c_per_tensor(quant_params),
        dims((ln, lh, m, k)),
        ptr(a_mk, "int8_t"),
        dims((rn, rh, n, k)),
        ptr(b_nk, "int8_t"),
        out_d,
        ptr(out, "int8_t"),
    )
    call(kernel, status)
    return out
