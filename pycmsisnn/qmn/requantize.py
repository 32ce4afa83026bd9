"""Re-quantise an int8 model to power-of-two symmetric scales (legacy Qm.n).

Every int8 tensor gets a scale ``2^-n`` and zero point 0:

* activations: the finest power of two whose int8 grid covers the tensor's
  original real range (``rounding="cover"``, the legacy quantiser's rule), or
  the power of two nearest to that covering scale (``"nearest"``, up to half a
  bit finer, clipping the extremes). Tensors that an operator requires to share
  one quantisation (RESHAPE, pooling, CONCATENATION, PAD, ...) share one
  scale; the outputs of SOFTMAX, LOGISTIC and TANH keep the fixed scale
  TFLite gives them;
* weights of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: one covering
  scale per tensor (per-channel scales are merged), values re-rounded;
* biases: re-expressed in the new accumulator units, as an int8 value shifted
  left (``bias_to_q7``), so that the q7 API adds exactly what TFLite adds.

The result is written as a new .tflite through the TFLite schema's object API
(shipped with the ``tflite-micro`` package). Other constants are re-rounded
to their tensor's new scale.
"""
from __future__ import annotations

import math
from typing import Any

import flatbuffers
import numpy as np

from ..ir import Graph, Tensor
from ..tflite import read_model
from .analysis import LAYER_OPS
from .formats import QmnError, bias_to_q7, covering_frac, nearest_frac, round_half_away

ROUNDINGS = ("cover", "nearest")

# Operators whose int8 inputs and output must keep one quantisation.
SHARED_QUANT_OPS = frozenset({
    "RESHAPE", "SQUEEZE", "EXPAND_DIMS", "MAX_POOL_2D", "AVERAGE_POOL_2D", "CONCATENATION", "PAD", "PADV2",
    "TRANSPOSE", "STRIDED_SLICE", "SLICE", "SPLIT", "SPLIT_V", "PACK", "UNPACK", "GATHER", "DEPTH_TO_SPACE",
    "SPACE_TO_DEPTH", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "RESIZE_NEAREST_NEIGHBOR", "MAXIMUM", "MINIMUM",
    "TILE", "BROADCAST_TO", "MIRROR_PAD",
})
# Operators whose int8 output quantisation TFLite fixes.
FIXED_OUTPUT_OPS = frozenset({"SOFTMAX", "LOGISTIC", "TANH", "LOG_SOFTMAX"})


def _schema() -> Any:
    try:
        from tflite_micro.tensorflow.lite.micro.python import schema_py_generated
    except ImportError as exc:  # pragma: no cover - only without the extra
        raise QmnError("re-quantisation writes models with the TFLite schema of tflite-micro: pip install 'pycmsisnn[verify]'") from exc
    return schema_py_generated


class _Groups:
    """Union-find over tensor indices."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        self.parent.setdefault(i, i)
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _real_range(t: Tensor) -> tuple[float, float]:
    """The real values an int8 tensor can hold (activations) or holds (constants)."""
    assert t.quant is not None
    if t.data is not None:
        real = _dequantize(t)
        return float(real.min()), float(real.max())
    s, z = float(np.float32(t.quant.scale)), int(t.quant.zero_point)
    return s * (-128 - z), s * (127 - z)


def _dequantize(t: Tensor) -> np.ndarray:
    """Real values of a constant int8 tensor (per-channel along its axis)."""
    assert t.quant is not None and t.data is not None
    q = t.data.astype(np.float64)
    scales = np.asarray(t.quant.scales, dtype=np.float32).astype(np.float64)
    zps = np.asarray(t.quant.zero_points, dtype=np.float64)
    if len(scales) > 1:
        shape = [1] * q.ndim
        shape[t.quant.axis] = len(scales)
        scales, zps = scales.reshape(shape), zps.reshape(shape)
    return (q - zps) * scales


def _frac(lo: float, hi: float, rounding: str) -> int:
    if hi <= 0.0 and lo >= 0.0:  # an all-zero tensor: any scale is exact
        return 0
    return covering_frac(lo, hi) if rounding == "cover" else nearest_frac(lo, hi)


def _quantize(real: np.ndarray, frac: int) -> np.ndarray:
    return np.clip(round_half_away(real * math.ldexp(1.0, frac)), -128, 127).astype(np.int8)


def _check_graph(graph: Graph) -> None:
    for t in graph.tensors:
        if t.data is None and t.dtype == np.int16:
            raise QmnError(f"tensor {t.index} '{t.name}' is int16: the q7 API is 8-bit; power-of-two conversion is for int8 models")


def plan_scales(graph: Graph, rounding: str = "cover") -> tuple[dict[int, int], dict[int, tuple[np.ndarray, int]]]:
    """The new power-of-two exponent of every int8 tensor (``frac`` by tensor
    index, scale ``2^-frac``) and the new int32 biases of the layers (values,
    frac). Tensors with a fixed TFLite quantisation are left out."""
    if rounding not in ROUNDINGS:
        raise QmnError(f"rounding must be one of {ROUNDINGS}, got {rounding!r}")
    _check_graph(graph)
    groups = _Groups()
    weights = {op.inputs[1] for op in graph.operators if op.opcode in LAYER_OPS and len(op.inputs) > 1}
    biases = {op.inputs[2]: op for op in graph.operators if op.opcode in LAYER_OPS and len(op.inputs) > 2 and op.inputs[2] >= 0}
    fixed: set[int] = set()
    int8 = {t.index for t in graph.tensors if t.dtype == np.int8 and t.quant is not None}
    for op in graph.operators:
        if op.opcode in SHARED_QUANT_OPS:
            members = [i for i in op.inputs + op.outputs if i in int8 and i not in weights]
            out_q = graph.tensor(op.outputs[0]).quant if op.outputs else None
            for i in members:
                if graph.tensor(i).quant == out_q or graph.tensor(i).data is None:
                    groups.union(i, op.outputs[0])
        if op.opcode in FIXED_OUTPUT_OPS:
            fixed.update(i for i in op.outputs if i in int8)
    ranges: dict[int, tuple[float, float]] = {}
    members_of: dict[int, list[int]] = {}
    for i in int8 - weights:
        root = groups.find(i)
        members_of.setdefault(root, []).append(i)
    fracs: dict[int, int] = {}
    for root, members in members_of.items():
        if any(m in fixed for m in members):
            continue
        lo = min(_real_range(graph.tensor(m))[0] for m in members)
        hi = max(_real_range(graph.tensor(m))[1] for m in members)
        ranges[root] = (lo, hi)
        f = _frac(lo, hi, rounding)
        for m in members:
            fracs[m] = f
    for i in weights:
        if i in int8 and graph.tensor(i).data is not None:
            lo, hi = _real_range(graph.tensor(i))
            fracs[i] = _frac(lo, hi, "cover")
    new_biases: dict[int, tuple[np.ndarray, int]] = {}
    for i, op in biases.items():
        b, x, w = graph.tensor(i), graph.tensor(op.inputs[0]), graph.tensor(op.inputs[1])
        if b.data is None or b.dtype != np.int32 or x.quant is None or w.quant is None:
            continue
        if op.inputs[0] not in fracs or op.inputs[1] not in fracs:
            raise QmnError(f"operator {op.index} ({op.opcode}): its input has a fixed quantisation, no power-of-two format")
        acc = fracs[op.inputs[0]] + fracs[op.inputs[1]]
        s_w = np.asarray(w.quant.scales, dtype=np.float32).astype(np.float64)
        s_w = np.broadcast_to(s_w, b.data.shape) if len(s_w) > 1 else s_w[0]
        real = b.data.astype(np.float64) * float(np.float32(x.quant.scale)) * s_w
        q7b = bias_to_q7(real * math.ldexp(1.0, acc))
        new_biases[i] = ((q7b.values.astype(np.int64) << q7b.shift).astype(np.int32), acc)
    return fracs, new_biases


def requantize_power_of_two(model: bytes, rounding: str = "cover") -> bytes:
    """``model`` with every int8 tensor at a power-of-two scale and zero point
    0 (see the module's docstring), as new .tflite bytes."""
    graph = read_model(model)
    fracs, new_biases = plan_scales(graph, rounding)
    s = _schema()
    m = s.ModelT.InitFromPackedBuf(bytes(model), 0)
    sg = m.subgraphs[0]
    users: dict[int, int] = {}
    for t in sg.tensors:
        users[t.buffer] = users.get(t.buffer, 0) + 1

    def set_data(t: Any, arr: np.ndarray) -> None:
        if users.get(t.buffer, 0) > 1 or t.buffer == 0:
            buf = s.BufferT()
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
        m.buffers[t.buffer].data = np.frombuffer(np.ascontiguousarray(arr).tobytes(), dtype=np.uint8).copy()
        m.buffers[t.buffer].offset = 0
        m.buffers[t.buffer].size = 0

    def set_quant(t: Any, frac: int) -> None:
        q = s.QuantizationParametersT()
        q.scale = np.array([math.ldexp(1.0, -frac)], dtype=np.float32)
        q.zeroPoint = np.array([0], dtype=np.int64)
        q.quantizedDimension = 0
        t.quantization = q

    for i, frac in fracs.items():
        t, src = sg.tensors[i], graph.tensor(i)
        if src.data is not None:
            set_data(t, _quantize(_dequantize(src), frac))
        set_quant(t, frac)
    for i, (values, acc) in new_biases.items():
        t = sg.tensors[i]
        set_data(t, values.astype("<i4"))
        set_quant(t, acc)
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
