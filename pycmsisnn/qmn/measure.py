"""Measurements behind the Qm.n report, all against TensorFlow Lite Micro.

* ``conversion_error``: the original model and its power-of-two re-quantisation
  on the same real-valued inputs; per output and per layer, the largest
  absolute error in real units and the mismatch rate (the share of elements
  that, put back on the original tensor's int8 grid, differ from the
  original), and for classifiers (outputs of SOFTMAX) the top-1 agreement.
* ``legacy_differences``: each exactly expressible layer computed by its q7
  kernel from the input TFLite Micro computed, against TFLite Micro's output:
  how many elements differ. The q7 API rounds half up once, TFLite twice
  (half up, then half away from zero), so elements on or next to a rounding
  tie may differ by one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..ir import Graph, Tensor
from ..reference import TflmRunner
from .formats import round_half_away
from .runner import LegacyRunner


def dequantize(t: Tensor, q: np.ndarray) -> np.ndarray:
    """Real values of an activation ``q`` of tensor ``t`` (float tensors pass)."""
    if t.quant is None or not np.issubdtype(t.dtype, np.integer):
        return np.asarray(q, dtype=np.float64)
    return (np.asarray(q, dtype=np.float64) - t.quant.zero_point) * float(np.float32(t.quant.scale))


def quantize(t: Tensor, real: np.ndarray) -> np.ndarray:
    """``real`` on tensor ``t``'s grid (round half away from zero, saturate)."""
    if t.quant is None or not np.issubdtype(t.dtype, np.integer):
        return np.asarray(real, dtype=t.dtype)
    info = np.iinfo(t.dtype)
    q = round_half_away(np.asarray(real, dtype=np.float64) / float(np.float32(t.quant.scale))) + t.quant.zero_point
    return np.clip(q, info.min, info.max).astype(t.dtype)


@dataclass
class TensorError:
    """Error of one tensor of the converted model against the original."""

    name: str
    elements: int = 0
    max_abs_error: float = 0.0
    mismatches: int = 0
    top1_agree: int | None = None  # classifiers only
    top1_total: int | None = None

    def add(self, t: Tensor, original: np.ndarray, t2: Tensor, converted: np.ndarray, classifier: bool = False) -> None:
        real, real2 = dequantize(t, original), dequantize(t2, converted)
        self.elements += original.size
        self.max_abs_error = max(self.max_abs_error, float(np.max(np.abs(real - real2))) if original.size else 0.0)
        self.mismatches += int(np.count_nonzero(quantize(t, real2) != original))
        if classifier:
            a, b = real.reshape(-1, real.shape[-1]), real2.reshape(-1, real2.shape[-1])
            self.top1_agree = (self.top1_agree or 0) + int(np.count_nonzero(a.argmax(-1) == b.argmax(-1)))
            self.top1_total = (self.top1_total or 0) + a.shape[0]

    @property
    def mismatch_rate(self) -> float:
        return self.mismatches / self.elements if self.elements else 0.0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "elements": self.elements, "max_abs_error": self.max_abs_error,
                             "mismatch_rate": self.mismatch_rate}
        if self.top1_total:
            d["top1_agreement"] = (self.top1_agree or 0) / self.top1_total
        return d


@dataclass
class ConversionError:
    """The converted model against the original on one set of inputs."""

    source: str  # "random" or the data file
    samples: int
    outputs: list[TensorError] = field(default_factory=list)
    layers: dict[int, TensorError] = field(default_factory=dict)  # by operator index

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "samples": self.samples, "outputs": [o.to_dict() for o in self.outputs]}


def _producers(graph: Graph) -> dict[int, str]:
    return {o: op.opcode for op in graph.operators for o in op.outputs}


def conversion_error(
    original: bytes, graph: Graph, converted: bytes, graph2: Graph, samples: Sequence[Sequence[np.ndarray]],
    layer_ops: Sequence[int], source: str = "random",
) -> ConversionError:
    """Run both models on each sample (inputs of the original model; the
    converted model gets the same real values on its own grid)."""
    with TflmRunner(original, preserve=True) as ref, TflmRunner(converted, preserve=True) as ref2:
        producers = _producers(graph)
        report = ConversionError(source, len(samples))
        report.outputs = [TensorError(graph.tensor(i).name) for i in graph.outputs]
        report.layers = {i: TensorError(graph.tensor(graph.operators[i].outputs[0]).name) for i in layer_ops}
        for inputs in samples:
            ins2 = [quantize(graph2.tensor(i), dequantize(graph.tensor(i), x)) for i, x in zip(graph.inputs, inputs)]
            outs = ref.run(list(inputs), len(graph.outputs))
            outs2 = ref2.run(ins2, len(graph2.outputs))
            for e, i, y, y2 in zip(report.outputs, graph.outputs, outs, outs2):
                e.add(graph.tensor(i), y, graph2.tensor(i), y2, classifier=producers.get(i) == "SOFTMAX" and y.shape[-1] > 1)
            for op_index, e in report.layers.items():
                o = graph.operators[op_index].outputs[0]
                e.add(graph.tensor(o), ref.tensor(o), graph2.tensor(o), ref2.tensor(o))
    return report


@dataclass
class LayerDifferences:
    """q7 kernel against TFLite Micro on one layer."""

    differ: int = 0
    elements: int = 0
    max_abs_diff: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"differ": self.differ, "elements": self.elements, "max_abs_diff": self.max_abs_diff}


def legacy_differences(
    model: bytes, graph: Graph, samples: Sequence[Sequence[np.ndarray]], layer_ops: Sequence[int]
) -> dict[int, LayerDifferences]:
    """For each layer in ``layer_ops`` (which must run on a q7 kernel), how many
    output elements its q7 kernel computes differently from TFLite Micro, fed
    TFLite Micro's own input of that layer."""
    result = {i: LayerDifferences() for i in layer_ops}
    if not layer_ops:
        return result
    runner = LegacyRunner(graph)
    with TflmRunner(model, preserve=True) as ref:
        for inputs in samples:
            ref.run(list(inputs), len(graph.outputs))
            for op_index, d in result.items():
                op = graph.operators[op_index]
                expected = ref.tensor(op.outputs[0]).astype(np.int32)
                got = runner.run_layer(op_index, ref.tensor(op.inputs[0])).astype(np.int32).reshape(expected.shape)
                diff = np.abs(got - expected)
                d.differ += int(np.count_nonzero(diff))
                d.elements += expected.size
                d.max_abs_diff = max(d.max_abs_diff, int(diff.max()) if diff.size else 0)
    return result


def random_samples(graph: Graph, count: int, seed: int) -> list[list[np.ndarray]]:
    """``count`` random inputs of the model: full-range integers for integer
    inputs, uniform over the representable range for float ones."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(count):
        sample = []
        for i in graph.inputs:
            t = graph.tensor(i)
            if np.issubdtype(t.dtype, np.integer):
                info = np.iinfo(t.dtype)
                sample.append(rng.integers(info.min, info.max + 1, size=t.shape, dtype=t.dtype))
            else:
                sample.append(rng.uniform(-1.0, 1.0, size=t.shape).astype(t.dtype))
        samples.append(sample)
    return samples


def data_samples(graph: Graph, data: np.ndarray) -> list[list[np.ndarray]]:
    """User data for a single-input model: one sample shaped like the input, or
    a stack of them; int8 data is taken as the model's own quantised values,
    float data as real values (quantised with the input's scale)."""
    if len(graph.inputs) != 1:
        raise ValueError(f"--data takes one .npy for a single-input model; this model has {len(graph.inputs)} inputs")
    t = graph.tensor(graph.inputs[0])
    arr = np.asarray(data)
    if arr.size == t.size:
        rows = arr.reshape((1,) + t.shape)
    elif arr.size % t.size == 0 and (arr.shape[1:] == t.shape or arr.shape[1:] == t.shape[1:] or math.prod(arr.shape[1:]) == t.size):
        rows = arr.reshape((-1,) + t.shape)
    else:
        raise ValueError(f"data of shape {list(arr.shape)} does not hold inputs of shape {list(t.shape)}")
    if arr.dtype == t.dtype:
        return [[r] for r in rows]
    if np.issubdtype(arr.dtype, np.floating):
        return [[quantize(t, r)] for r in rows]
    raise ValueError(f"data of dtype {arr.dtype.name}: give {np.dtype(t.dtype).name} values or float (real) values")
