"""The Qm.n question: int8 TFLite models and the legacy q7 CMSIS-NN API.

* ``formats``: Qm.n formats, ``bias_shift`` and ``out_shift`` (pure functions);
* ``analysis``: per layer, whether the q7 API computes it exactly, and why not;
* ``requantize``: the model re-quantised to power-of-two symmetric scales;
* ``runner``: layers and models run through the q7 kernels;
* ``measure`` and ``report``: conversion error and q7-vs-TFLite differences,
  measured with TensorFlow Lite Micro; ``cli``: ``pycmsisnn qmn``.
"""
from __future__ import annotations

from .analysis import LAYER_OPS, LayerAnalysis, analyse_graph, analyse_layer
from .formats import (
    QFormat,
    QmnError,
    bias_shift,
    bias_to_q7,
    covering_frac,
    frac_bits,
    nearest_frac,
    out_shift,
    power_of_two_exponent,
    qformat_of_scale,
)
from .report import QmnReport, build_report
from .requantize import requantize_power_of_two
from .runner import LegacyRunner

__all__ = [
    "LAYER_OPS",
    "LayerAnalysis",
    "LegacyRunner",
    "QFormat",
    "QmnError",
    "QmnReport",
    "analyse_graph",
    "analyse_layer",
    "bias_shift",
    "bias_to_q7",
    "build_report",
    "covering_frac",
    "frac_bits",
    "nearest_frac",
    "out_shift",
    "power_of_two_exponent",
    "qformat_of_scale",
    "requantize_power_of_two",
]
