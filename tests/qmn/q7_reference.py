"""An independent numpy transcription of the legacy q7 arithmetic (the
specification the C kernels are checked against), and of TensorFlow Lite
Micro's requantisation of a power-of-two layer.

q7: ``acc = (bias << bias_shift) + ((1 << out_shift) >> 1) + sum(x * w)`` in
32 bits, then ``sat8(acc >> out_shift)`` with an arithmetic shift.
"""
from __future__ import annotations

import numpy as np


def wrap32(a: np.ndarray) -> np.ndarray:
    """int64 values reduced modulo 2^32 to int32 range (the Cortex-M accumulator)."""
    a = np.asarray(a, dtype=np.int64)
    return ((a + 2**31) % 2**32) - 2**31


def q7_output(acc_without_rounding: np.ndarray, out_shift: int) -> np.ndarray:
    """sat8((acc + round) >> out_shift), acc already holding the shifted bias."""
    acc = wrap32(np.asarray(acc_without_rounding, dtype=np.int64) + (((1 << out_shift) >> 1)))
    return np.clip(acc >> out_shift, -128, 127).astype(np.int8)


def conv_acc(x: np.ndarray, w: np.ndarray, pad: int, stride: int, dim_out: int) -> np.ndarray:
    """Sum of products of a square HWC image x[H, W, C] with filters w[O, k, k, C],
    zero padding ``pad`` on top/left (and whatever the bottom/right needs):
    int64 [dim_out, dim_out, O]."""
    h, _, c = x.shape
    o, k = w.shape[0], w.shape[1]
    big = max(h + 2 * pad, (dim_out - 1) * stride + k) + k
    padded = np.zeros((big, big, c), dtype=np.int64)
    padded[pad : pad + h, pad : pad + h] = x
    out = np.zeros((dim_out, dim_out, o), dtype=np.int64)
    wf = w.reshape(o, -1).astype(np.int64)
    for oy in range(dim_out):
        for ox in range(dim_out):
            patch = padded[oy * stride : oy * stride + k, ox * stride : ox * stride + k].reshape(-1)
            out[oy, ox] = wf @ patch
    return out


def depthwise_acc(x: np.ndarray, w: np.ndarray, pad: int, stride: int, dim_out: int) -> np.ndarray:
    """Depthwise sums: x[H, W, C], w[k, k, C] -> int64 [dim_out, dim_out, C]."""
    h, _, c = x.shape
    k = w.shape[0]
    big = max(h + 2 * pad, (dim_out - 1) * stride + k) + k
    padded = np.zeros((big, big, c), dtype=np.int64)
    padded[pad : pad + h, pad : pad + h] = x
    out = np.zeros((dim_out, dim_out, c), dtype=np.int64)
    for oy in range(dim_out):
        for ox in range(dim_out):
            patch = padded[oy * stride : oy * stride + k, ox * stride : ox * stride + k]
            out[oy, ox] = (patch * w.astype(np.int64)).sum(axis=(0, 1))
    return out


def q7_conv(x, w, bias, bias_shift, out_shift, pad, stride, dim_out) -> np.ndarray:  # noqa: ANN001
    acc = conv_acc(x, w, pad, stride, dim_out) + (bias.astype(np.int64) << bias_shift)
    return q7_output(acc, out_shift)


def q7_depthwise(x, w, bias, bias_shift, out_shift, pad, stride, dim_out) -> np.ndarray:  # noqa: ANN001
    acc = depthwise_acc(x, w, pad, stride, dim_out) + (bias.astype(np.int64) << bias_shift)
    return q7_output(acc, out_shift)


def q7_fc(v, m, bias, bias_shift, out_shift) -> np.ndarray:  # noqa: ANN001
    acc = m.astype(np.int64) @ v.astype(np.int64) + (bias.astype(np.int64) << bias_shift)
    return q7_output(acc, out_shift)


def _windows(x: np.ndarray, k: int, pad: int, stride: int, dim_out: int):  # noqa: ANN202
    h = x.shape[0]
    for oy in range(dim_out):
        for ox in range(dim_out):
            y0, x0 = oy * stride - pad, ox * stride - pad
            win = x[max(y0, 0) : min(y0 + k, h), max(x0, 0) : min(x0 + k, h)]
            yield oy, ox, win.reshape(-1, x.shape[2]).astype(np.int64)


def q7_maxpool(x: np.ndarray, k: int, pad: int, stride: int, dim_out: int) -> np.ndarray:
    out = np.zeros((dim_out, dim_out, x.shape[2]), dtype=np.int8)
    for oy, ox, win in _windows(x, k, pad, stride, dim_out):
        out[oy, ox] = win.max(axis=0)
    return out


def q7_avepool(x: np.ndarray, k: int, pad: int, stride: int, dim_out: int) -> np.ndarray:
    """Sum over the window's pixels inside the image, divided by their count,
    truncated toward zero."""
    out = np.zeros((dim_out, dim_out, x.shape[2]), dtype=np.int8)
    for oy, ox, win in _windows(x, k, pad, stride, dim_out):
        s, n = win.sum(axis=0), win.shape[0]
        out[oy, ox] = np.sign(s) * (np.abs(s) // n)
    return out


def q7_softmax(v: np.ndarray) -> np.ndarray:
    """The 2020 base-2 softmax: b = max - 8, weights 2^clamp(x - b, 0, 7),
    base = 2^20 // sum, out = sat8(base >> clamp(13 + b - x, 0, 31))."""
    x = v.astype(np.int64)
    b = int(x.max()) - 8
    total = int((np.int64(1) << np.clip(x - b, 0, 7)).sum())
    base = (1 << 20) // total
    return np.minimum(base >> np.clip(13 + b - x, 0, 31), 127).astype(np.int8)


def tflite_power_of_two(acc: np.ndarray, out_shift: int) -> np.ndarray:
    """TFLite Micro's requantisation of an int32 accumulator (bias included) for
    an effective scale 2^-out_shift: QuantizeMultiplier gives 2^30 with
    exponent 1 - out_shift; SaturatingRoundingDoublingHighMul(acc, 2^30) is
    (acc * 2^30 + nudge) / 2^31 truncated, nudge 2^30 or 1 - 2^30 by sign,
    i.e. floor((acc + 1) / 2); RoundingDivideByPOT by out_shift - 1 rounds half
    away from zero. out_shift 0: a left shift by 1 then the same high multiply,
    which gives acc back."""
    a = np.asarray(acc, dtype=np.int64)
    if out_shift == 0:
        return np.clip(a, -128, 127).astype(np.int8)
    ab = a * (1 << 30)
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    num = ab + nudge
    high = np.where(num >= 0, num // (1 << 31), -((-num) // (1 << 31)))  # C division truncates
    n = out_shift - 1
    mask = (1 << n) - 1
    remainder = high & mask
    threshold = (mask >> 1) + (high < 0)
    return np.clip((high >> n) + (remainder > threshold), -128, 127).astype(np.int8)
