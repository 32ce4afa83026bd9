"""Sliding-window geometry checks shared by the depthwise and pooling wrappers.

A window kernel (depthwise convolution, pooling) reads, for output position
``i`` along one axis, the input positions ``i * stride - pad + k * dilation``
for taps ``k`` in ``[0, taps)``. TFLite's padding rules give an output size
``(in + 2 * pad + extra - span) // stride + 1`` with ``extra`` in {0, 1} (the
odd padding TFLite puts after the input), and every window overlaps the input.
"""
from __future__ import annotations

from ._base import fail


def window_span(taps: int, dilation: int) -> int:
    """How many input positions one window covers: ``(taps - 1) * dilation + 1``."""
    return (taps - 1) * dilation + 1


def output_size_range(in_size: int, taps: int, stride: int, pad: int, dilation: int = 1) -> tuple[int, int]:
    """The smallest and largest output sizes TFLite's padding can give for
    this input size, window, stride and leading padding (``lo > hi`` if none)."""
    span = window_span(taps, dilation)
    lo = (in_size + 2 * pad - span) // stride + 1
    hi = (in_size + 2 * pad + 1 - span) // stride + 1
    return max(lo, 1), hi


def check_window_axis(
    kernel: str,
    params_name: str,
    axis: str,
    in_size: int,
    out_size: int,
    taps: int,
    stride: int,
    pad: int,
    dilation: int = 1,
) -> None:
    """Raise unless ``out_size`` is an output size TFLite's padding gives along
    ``axis`` ("h" or "w") and every window overlaps the input. ``params_name``
    names the parameter struct holding the padding in error messages."""
    span = window_span(taps, dilation)
    if pad > span - 1:
        reason = f"{pad} puts the first window outside the input (window span {span})"
        raise fail(kernel, f"{params_name}.padding.{axis}", reason)
    lo, hi = output_size_range(in_size, taps, stride, pad, dilation)
    out_name = f"output_shape[{1 if axis == 'h' else 2}]"
    if lo > hi:
        reason = f"input {axis} {in_size} plus padding {pad} is narrower than the window span {span}"
        raise fail(kernel, out_name, reason)
    if not lo <= out_size <= hi:
        want = f"{lo}" if lo == hi else f"{lo} or {hi}"
        raise fail(
            kernel,
            out_name,
            f"{axis} = {out_size} does not follow from input {axis} {in_size}, window {taps}, stride {stride}, "
            f"padding {pad}, dilation {dilation}: expected {want}",
        )
    if (out_size - 1) * stride - pad > in_size - 1:
        raise fail(kernel, out_name, f"the last window along {axis} lies in the padding")
