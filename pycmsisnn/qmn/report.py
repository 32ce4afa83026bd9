"""The Qm.n report of a model: per layer, the q7 formats and shifts and a
verdict, with what was measured to back it.

Verdicts:

* ``exact``: the q7 API computes the layer as the model does, up to rounding
  ties (counted against TensorFlow Lite Micro when a q7 kernel fits);
* ``approximate``: not as the model stands, but after the power-of-two
  re-quantisation (``requantize_power_of_two``) it is; the error that
  conversion causes is measured against the original model;
* ``not expressible``: not even then; the reasons, and the advice to use the
  s8 API, whose parameters pycmsisnn derives exactly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..tflite import read_model
from .analysis import LayerAnalysis, analyse_graph
from .formats import QmnError
from .measure import ConversionError, LayerDifferences, TensorError, conversion_error, data_samples, legacy_differences, random_samples
from .requantize import requantize_power_of_two

S8_ADVICE = "use the s8 API instead: pycmsisnn derives its multipliers and shifts exactly (pycmsisnn inspect MODEL)"
TIES = "q7 rounds half up once, TFLite twice"


@dataclass
class LayerReport:
    original: LayerAnalysis
    converted: LayerAnalysis | None
    verdict: str
    error: TensorError | None = None  # conversion error at this layer's output (random inputs)
    data_error: TensorError | None = None  # the same on the user's data
    differences: LayerDifferences | None = None  # q7 kernel vs TFLite Micro

    @property
    def shown(self) -> LayerAnalysis:
        """The analysis whose formats the report shows: the converted layer's
        when the original has no q7 formats."""
        return self.original if self.verdict == "exact" or self.converted is None else self.converted

    @property
    def blockers(self) -> list[str]:
        if self.verdict == "exact":
            return []
        if self.verdict == "approximate" or self.converted is None:
            return self.original.reasons
        return self.converted.reasons

    def to_dict(self) -> dict[str, Any]:
        a = self.shown
        d: dict[str, Any] = {
            "op_index": a.op_index,
            "opcode": a.opcode,
            "output": a.output_name,
            "verdict": self.verdict,
            "formats": a.formats(),
            "formats_after_conversion": a is not self.original,
            "activation": a.activation,
            "kernel": a.kernel,
            "kernel_note": a.kernel_note,
            "reasons": self.original.reasons,
        }
        if self.verdict == "not expressible":
            d["blockers"] = self.blockers
            d["advice"] = S8_ADVICE
        if self.error is not None:
            d["conversion_error"] = self.error.to_dict()
        if self.data_error is not None:
            d["conversion_error_data"] = self.data_error.to_dict()
        if self.differences is not None:
            d["q7_vs_tflm"] = self.differences.to_dict()
        return d


@dataclass
class QmnReport:
    model: str
    samples: int
    seed: int
    rounding: str
    layers: list[LayerReport] = field(default_factory=list)
    conversion: ConversionError | None = None
    data_conversion: ConversionError | None = None
    conversion_refused: str | None = None
    requantized: str | None = None  # where the power-of-two model was written

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "samples": self.samples,
            "seed": self.seed,
            "rounding": self.rounding,
            "layers": [layer.to_dict() for layer in self.layers],
            "conversion": None if self.conversion is None else self.conversion.to_dict(),
            "conversion_data": None if self.data_conversion is None else self.data_conversion.to_dict(),
            "conversion_refused": self.conversion_refused,
            "requantized": self.requantized,
            "counts": self.counts(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def counts(self) -> dict[str, int]:
        c = {"exact": 0, "approximate": 0, "not expressible": 0}
        for layer in self.layers:
            c[layer.verdict] += 1
        return c


def _verdict(original: LayerAnalysis, converted: LayerAnalysis | None) -> str:
    if original.exact:
        return "exact"
    if converted is not None and converted.exact:
        return "approximate"
    return "not expressible"


def build_report(
    model: bytes,
    name: str = "model",
    *,
    samples: int = 10,
    seed: int = 0,
    data: np.ndarray | None = None,
    data_name: str = "data",
    rounding: str = "cover",
    requantize_to: str | Path | None = None,
) -> QmnReport:
    """Analyse every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED layer of
    ``model``, convert it to power-of-two scales when a layer needs it (or when
    ``requantize_to`` asks for the file) and measure, on ``samples`` random
    inputs (and on ``data`` when given), the conversion's error and the q7
    kernels' differences from TensorFlow Lite Micro."""
    if samples < 1:
        raise QmnError(f"samples must be at least 1, got {samples}")
    graph = read_model(model)
    originals = analyse_graph(graph)
    if not originals:
        raise QmnError("the model has no CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED layer: nothing for the q7 API to compute")
    report = QmnReport(name, samples, seed, rounding)
    user = None if data is None else data_samples(graph, data)
    rand = random_samples(graph, samples, seed)
    converted_bytes = converted_graph = None
    by_index: dict[int, LayerAnalysis] = {}
    if requantize_to is not None or not all(a.exact for a in originals):
        try:
            converted_bytes = requantize_power_of_two(model, rounding)
            converted_graph = read_model(converted_bytes)
            by_index = {a.op_index: a for a in analyse_graph(converted_graph)}
        except QmnError as exc:
            report.conversion_refused = str(exc)
    report.layers = [LayerReport(a, by_index.get(a.op_index), _verdict(a, by_index.get(a.op_index))) for a in originals]

    exact_ops = [r.original.op_index for r in report.layers if r.verdict == "exact" and r.original.kernel]
    for op_index, d in legacy_differences(model, graph, rand, exact_ops).items():
        next(r for r in report.layers if r.original.op_index == op_index).differences = d
    if converted_bytes is not None and converted_graph is not None:
        approx = [r for r in report.layers if r.verdict == "approximate"]
        runnable = [r.converted.op_index for r in approx if r.converted is not None and r.converted.kernel]
        for op_index, d in legacy_differences(converted_bytes, converted_graph, rand, runnable).items():
            next(r for r in report.layers if r.original.op_index == op_index).differences = d
        layer_ops = [r.original.op_index for r in report.layers]
        report.conversion = conversion_error(model, graph, converted_bytes, converted_graph, rand, layer_ops)
        if user is not None:
            report.data_conversion = conversion_error(model, graph, converted_bytes, converted_graph, user, layer_ops, data_name)
        for r in report.layers:
            if r.verdict != "exact":
                r.error = report.conversion.layers.get(r.original.op_index)
                if report.data_conversion is not None:
                    r.data_error = report.data_conversion.layers.get(r.original.op_index)
        if requantize_to is not None:
            Path(requantize_to).write_bytes(converted_bytes)
            report.requantized = str(requantize_to)
    elif requantize_to is not None:
        raise QmnError(f"cannot write {requantize_to}: {report.conversion_refused}")
    return report
