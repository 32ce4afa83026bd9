"""Per-layer Qm.n analysis of a Graph: can the legacy q7 API compute this
CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED layer exactly as the model does?

A layer is exactly expressible when its input, weights and output are int8
with one power-of-two scale each and zero point 0, its int32 bias is an int8
value shifted left (``bias_to_q7``), the output has no more fractional bits
than the accumulator, and its fused activation is none or a ReLU at 0
(``arm_relu_q7`` after the layer). ``analyse_layer`` gives the formats and
shifts and lists, in ``reasons``, everything that stands in the way; it also
picks the legacy kernel the layer's geometry fits (``kernel``), or says why
none does (``kernel_note``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import quant
from ..ir import Graph, Operator, Tensor
from ..params import Tile
from ..operator_options import ConvOptions, activation_code, options_as
from .formats import (
    Q7Bias,
    QFormat,
    QmnError,
    accumulator_frac,
    bias_shift,
    bias_to_q7,
    out_shift,
    power_of_two_exponent,
)

LAYER_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")
UINT16_MAX = 2**16 - 1


@dataclass
class LayerAnalysis:
    """The q7 view of one layer. Formats are strings like "Q0.7"; a field is
    None where the model gives no power-of-two scale to derive it from."""

    op_index: int
    opcode: str
    output_name: str
    input_format: str | None = None
    weight_format: str | None = None
    bias_format: str | None = None  # None also when the layer has no bias (zeros are passed)
    output_format: str | None = None
    bias_shift: int | None = None
    out_shift: int | None = None
    activation: str = "NONE"  # NONE, or RELU (arm_relu_q7 after the layer)
    reasons: list[str] = field(default_factory=list)
    kernel: str | None = None
    kernel_note: str | None = None
    q7_bias: Q7Bias | None = field(default=None, repr=False)

    @property
    def exact(self) -> bool:
        return not self.reasons

    def formats(self) -> dict[str, Any]:
        return {
            "input": self.input_format,
            "weights": self.weight_format,
            "bias": self.bias_format,
            "output": self.output_format,
            "bias_shift": self.bias_shift,
            "out_shift": self.out_shift,
        }


def _tensor_frac(role: str, t: Tensor, reasons: list[str]) -> int | None:
    """Fractional bits of a per-tensor power-of-two scale, noting what is not."""
    q = t.quant
    if t.dtype != np.int8:
        reasons.append(f"{role} (tensor {t.index}) is {t.type_label}: the q7 API takes int8 only")
        return None
    if q is None:
        reasons.append(f"{role} (tensor {t.index}) has no quantisation parameters")
        return None
    if any(z != 0 for z in q.zero_points):
        zps = sorted(set(q.zero_points))
        shown = str(zps[0]) if len(zps) == 1 else f"{len(zps)} distinct values"
        reasons.append(f"{role} (tensor {t.index}) has zero point {shown} (the q7 API has no zero points)")
    if len(set(np.float32(s) for s in q.scales)) > 1:
        reasons.append(
            f"{role} (tensor {t.index}) has per-channel scales ({len(q.scales)} channels, {min(q.scales):.3g} to {max(q.scales):.3g}; "
            "the q7 API has one format per tensor)"
        )
        return None
    e = power_of_two_exponent(q.scales[0])
    if e is None:
        reasons.append(f"{role} (tensor {t.index}) scale {q.scales[0]:.6g} is not a power of two")
        return None
    return -e


def _input(graph: Graph, op: Operator, slot: int) -> Tensor | None:
    if slot >= len(op.inputs) or op.inputs[slot] < 0:
        return None
    return graph.tensor(op.inputs[slot])


def _bias(a: LayerAnalysis, b: Tensor | None, fi: int, fw: int) -> None:
    """Bias format and shift, from the int32 bias data (accumulator units)."""
    acc = accumulator_frac(fi, fw)
    if b is None:
        a.bias_shift = 0
        return
    if b.dtype != np.int32 or b.data is None:
        a.reasons.append(f"bias (tensor {b.index}) is not a constant int32 tensor")
        return
    declared = None
    if b.quant is not None and len(set(np.float32(s) for s in b.quant.scales)) == 1:
        declared = power_of_two_exponent(b.quant.scales[0])
    if declared is not None and -declared != acc:
        try:
            bias_shift(fi, fw, -declared)
            a.reasons.append(
                f"bias (tensor {b.index}) is declared at scale 2^{declared}, not the accumulator's 2^{-acc} "
                "(input scale x weight scale): TFLite adds the int32 bias in accumulator units"
            )
        except QmnError as exc:
            a.reasons.append(f"bias (tensor {b.index}): {exc}")
        return
    q7b = bias_to_q7(b.data)
    a.q7_bias = q7b
    a.bias_format = str(QFormat(acc - q7b.shift))
    a.bias_shift = q7b.shift
    if not q7b.exact:
        big = int(np.abs(b.data.astype(np.int64)).max())
        a.reasons.append(
            f"bias (tensor {b.index}) does not fit in int8 exactly: values up to {big} accumulator steps, "
            f"and at bias_shift {q7b.shift} (the smallest that fits) some are not multiples of 2^{q7b.shift}"
        )


def _activation(a: LayerAnalysis, op: Operator, y: Tensor) -> None:
    act = int(activation_code(op.options))
    name = quant.FusedActivation(act).name if act in {f.value for f in quant.FusedActivation} else str(act)
    if act == 0:
        return
    if y.quant is None or act not in (1, 2, 3):
        a.reasons.append(f"fused activation {name}: no q7 counterpart")
        return
    clamp = quant.activation_range(act, y.quant.scale, y.quant.zero_point)
    lo, hi = clamp.min, clamp.max
    if (lo, hi) == (-128, 127):
        return
    if (lo, hi) == (0, 127):
        a.activation = "RELU"
        return
    a.reasons.append(
        f"fused {name} clamps the output to [{lo}, {hi}]: the q7 API has no such clamp (arm_relu_q7 clamps at 0 only)"
    )


def _conv_kernel(a: LayerAnalysis, op: Operator, x: Tensor, w: Tensor, y: Tensor) -> None:
    """The legacy convolution kernel the geometry fits, or why none does."""
    if len(x.shape) != 4 or len(w.shape) != 4 or len(y.shape) != 4:
        a.kernel_note = "input, filter and output must be 4-D"
        return
    _, h, wd, c = x.shape
    _, oh, ow, oc = y.shape
    kh, kw = w.shape[1], w.shape[2]
    o = options_as(op.options, ConvOptions)
    stride, dilation = Tile(o.stride_w, o.stride_h), Tile(o.dilation_w_factor, o.dilation_h_factor)
    notes = []
    if h != wd or oh != ow:
        notes.append(f"non-square input {h}x{wd} (the historical _nonsquare kernels are not provided)")
    if kh != kw:
        notes.append(f"non-square kernel {kh}x{kw}")
    if stride.w != stride.h:
        notes.append(f"strides differ ({stride.h}, {stride.w})")
    if dilation != Tile(1, 1):
        notes.append(f"dilation ({dilation.h}, {dilation.w}): the q7 kernels have none")
    if max(h, wd, c, oc, kh, kw, oh, ow) > UINT16_MAX:
        notes.append("a dimension does not fit uint16_t")
    if not notes:
        pad, _, _ = quant.conv_padding(o.padding, (h, wd), (kh, kw), stride, dilation)
        if pad.h != pad.w:
            notes.append(f"padding differs ({pad.h}, {pad.w})")
    if op.opcode == "DEPTHWISE_CONV_2D":
        if w.shape[0] != 1 or w.shape[3] != c:
            notes.append(f"channel multiplier {w.shape[3] // max(c, 1)}: the q7 depthwise kernel needs ch_im_in == ch_im_out")
        kernel = "arm_depthwise_separable_conv_HWC_q7"
    else:
        if w.shape[3] != c:
            notes.append(f"grouped convolution ({c} input channels, filters of {w.shape[3]})")
        kernel = "arm_convolve_HWC_q7_RGB" if c == 3 else "arm_convolve_HWC_q7_fast" if c % 4 == 0 and oc % 2 == 0 else "arm_convolve_HWC_q7_basic"
    if notes:
        a.kernel_note = "; ".join(notes)
    else:
        a.kernel = kernel


def _fc_kernel(a: LayerAnalysis, x: Tensor, w: Tensor) -> None:
    if len(w.shape) != 2 or x.size % w.shape[1] != 0:
        a.kernel_note = f"weights {list(w.shape)} do not fit input {list(x.shape)}"
    elif max(w.shape) > UINT16_MAX:
        a.kernel_note = "a dimension does not fit uint16_t"
    else:
        a.kernel = "arm_fully_connected_q7"


def analyse_layer(graph: Graph, op: Operator) -> LayerAnalysis:
    """The q7 formats, shifts, kernel and obstacles of one layer."""
    if op.opcode not in LAYER_OPS:
        raise QmnError(f"operator {op.index} is {op.opcode}; the q7 analysis covers {', '.join(LAYER_OPS)}")
    x, w, b = _input(graph, op, 0), _input(graph, op, 1), _input(graph, op, 2)
    y = graph.tensor(op.outputs[0])
    a = LayerAnalysis(op.index, op.opcode, y.name)
    if x is None or w is None:
        a.reasons.append("the input or the weights are missing")
        return a
    if w.data is None:
        a.reasons.append(f"weights (tensor {w.index}) are not constant")
    fi = _tensor_frac("input", x, a.reasons)
    fw = _tensor_frac("weights", w, a.reasons)
    fo = _tensor_frac("output", y, a.reasons)
    a.input_format = None if fi is None else str(QFormat(fi))
    a.weight_format = None if fw is None else str(QFormat(fw))
    a.output_format = None if fo is None else str(QFormat(fo))
    if fi is not None and fw is not None:
        _bias(a, b, fi, fw)
        if fo is not None:
            try:
                a.out_shift = out_shift(fi, fw, fo)
            except QmnError as exc:
                a.reasons.append(str(exc))
    _activation(a, op, y)
    if op.opcode == "FULLY_CONNECTED":
        _fc_kernel(a, x, w)
    else:
        _conv_kernel(a, op, x, w, y)
    return a


def analyse_graph(graph: Graph) -> list[LayerAnalysis]:
    """``analyse_layer`` of every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, in order."""
    return [analyse_layer(graph, op) for op in graph.operators if op.opcode in LAYER_OPS]
