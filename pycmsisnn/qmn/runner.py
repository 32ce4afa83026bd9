"""Run layers, or a whole model, of a legacy-expressible int8 model through the
q7 kernels on the host.

``LegacyRunner(graph).run_layer(op_index, x)`` computes one CONV_2D,
DEPTHWISE_CONV_2D or FULLY_CONNECTED layer with the q7 kernel its geometry
fits, the formats and shifts ``analyse_layer`` derived, and ``arm_relu_q7``
for a fused ReLU: fed the layer's input as TensorFlow Lite Micro computed it,
it shows exactly where the q7 API's single rounding departs from TFLite's
double rounding. ``run(inputs)`` chains whole models made of those layers,
MAX_POOL_2D, AVERAGE_POOL_2D (the q7 average truncates where TFLite rounds)
and reshapes. A layer the q7 API cannot express is refused (``QmnError``)
with the reason.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .. import quant
from ..ir import Graph, Operator
from ..kernels import activation, legacy_q7
from ..params import Tile
from .analysis import LAYER_OPS, LayerAnalysis, analyse_layer
from .formats import QmnError
from ..operator_options import ConvOptions, PoolOptions, options_as

RESHAPE_OPS = ("RESHAPE", "SQUEEZE", "EXPAND_DIMS")
POOL_OPS = ("MAX_POOL_2D", "AVERAGE_POOL_2D")


class LegacyRunner:
    """The q7 kernels over the layers of one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.layers: dict[int, LayerAnalysis] = {
            op.index: analyse_layer(graph, op) for op in graph.operators if op.opcode in LAYER_OPS
        }

    def runnable(self, op_index: int) -> str | None:
        """None when the layer runs on a q7 kernel, else why it does not."""
        a = self.layers.get(op_index)
        if a is None:
            return f"operator {op_index} is not a {'/'.join(LAYER_OPS)} layer"
        if a.reasons:
            return f"operator {op_index} ({a.opcode}) is not expressible in the q7 API: " + "; ".join(a.reasons)
        if a.kernel is None:
            return f"operator {op_index} ({a.opcode}) fits no q7 kernel: {a.kernel_note}"
        return None

    def run_layer(self, op_index: int, x: np.ndarray) -> np.ndarray:
        """The layer's int8 output (shaped as the model's output tensor) for
        its int8 input ``x``."""
        reason = self.runnable(op_index)
        if reason:
            raise QmnError(reason)
        op = self.graph.operators[op_index]
        a = self.layers[op_index]
        xt, w, y = self.graph.tensor(op.inputs[0]), self.graph.tensor(op.inputs[1]), self.graph.tensor(op.outputs[0])
        x = np.asarray(x)
        if x.dtype != np.int8 or x.size != xt.size:
            raise QmnError(f"operator {op_index}: input must be int8 with {xt.size} elements, got {x.dtype.name}{list(x.shape)}")
        assert a.out_shift is not None and a.bias_shift is not None and w.data is not None
        channels = y.shape[-1]
        bias = a.q7_bias.values if a.q7_bias is not None else np.zeros(channels, dtype=np.int8)
        if op.opcode == "FULLY_CONNECTED":
            rows, depth = w.data.shape
            batches = x.reshape(-1, depth)
            out = np.stack([
                legacy_q7.arm_fully_connected_q7(v, w.data, depth, rows, a.bias_shift, a.out_shift, bias) for v in batches
            ])
        else:
            out = self._conv(op, a, x.reshape(xt.shape), w.data, bias)
        if a.activation == "RELU":
            out = activation.arm_relu_q7(out.reshape(-1))
        return np.asarray(out).reshape(y.shape)

    def _conv(self, op: Operator, a: LayerAnalysis, x: np.ndarray, w: np.ndarray, bias: np.ndarray) -> np.ndarray:
        _, h, wd, c = x.shape
        y = self.graph.tensor(op.outputs[0])
        k = w.shape[1]
        o = options_as(op.options, ConvOptions)
        stride = Tile(o.stride_w, o.stride_h)
        pad, _, _ = quant.conv_padding(o.padding, (h, wd), (k, k), stride)
        fn = getattr(legacy_q7, str(a.kernel))
        weights = w.reshape(k, k, c) if op.opcode == "DEPTHWISE_CONV_2D" else w
        return np.stack([
            fn(img, h, c, weights, y.shape[3], k, pad.h, stride.h, bias, a.bias_shift, a.out_shift, y.shape[1])
            for img in x
        ])

    def _pool(self, op: Operator, x: np.ndarray) -> np.ndarray:
        xt, y = self.graph.tensor(op.inputs[0]), self.graph.tensor(op.outputs[0])
        if xt.quant != y.quant:
            raise QmnError(f"operator {op.index} ({op.opcode}): input and output quantisations differ; the q7 pooling does not rescale")
        _, h, wd, c = xt.shape
        p = options_as(op.options, PoolOptions)
        kh, kw = p.filter_height, p.filter_width
        stride = Tile(p.stride_w, p.stride_h)
        if h != wd or kh != kw or stride.w != stride.h:
            raise QmnError(f"operator {op.index} ({op.opcode}): the q7 pooling kernels take square images, windows and strides")
        pad, _, (oh, _) = quant.conv_padding(p.padding, (h, wd), (kh, kw), stride)
        fn = legacy_q7.arm_maxpool_q7_HWC if op.opcode == "MAX_POOL_2D" else legacy_q7.arm_avepool_q7_HWC
        out = np.stack([fn(img, h, c, kh, pad.h, stride.h, oh) for img in x.reshape(xt.shape)])
        act = int(p.fused_activation_function)
        if act == 1:
            out = activation.arm_relu_q7(out.reshape(-1))
        elif act != 0:
            raise QmnError(f"operator {op.index} ({op.opcode}): fused activation {act} has no q7 counterpart")
        return np.asarray(out).reshape(y.shape)

    def unsupported(self) -> list[str]:
        """Why ``run`` would refuse the graph (empty when it runs)."""
        problems = []
        for op in self.graph.operators:
            if op.opcode in LAYER_OPS:
                reason = self.runnable(op.index)
                if reason:
                    problems.append(reason)
            elif op.opcode not in POOL_OPS + RESHAPE_OPS:
                extra = " (arm_softmax_q7 is a base-2 softmax, not TFLite's)" if op.opcode == "SOFTMAX" else ""
                problems.append(f"operator {op.index} ({op.opcode}) has no q7 kernel{extra}")
        return problems

    def run(self, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The model's outputs for ``inputs`` (int8, in model input order),
        every layer on its q7 kernel."""
        problems = self.unsupported()
        if problems:
            raise QmnError("the model does not run on the q7 kernels:\n  " + "\n  ".join(problems))
        if len(inputs) != len(self.graph.inputs):
            raise QmnError(f"the model takes {len(self.graph.inputs)} input(s), got {len(inputs)}")
        values: dict[int, np.ndarray] = {}
        for i, x in zip(self.graph.inputs, inputs):
            t = self.graph.tensor(i)
            x = np.asarray(x)
            if x.dtype != np.int8 or x.size != t.size:
                raise QmnError(f"input '{t.name}': needs int8{list(t.shape)}, got {x.dtype.name}{list(x.shape)}")
            values[i] = x.reshape(t.shape)
        for op in self.graph.operators:
            x = values[op.inputs[0]]
            if op.opcode in LAYER_OPS:
                out = self.run_layer(op.index, x)
            elif op.opcode in POOL_OPS:
                out = self._pool(op, x)
            else:
                out = x.reshape(self.graph.tensor(op.outputs[0]).shape)
            values[op.outputs[0]] = out
        return [values[i].copy() for i in self.graph.outputs]
