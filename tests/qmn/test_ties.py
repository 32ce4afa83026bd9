"""A power-of-two model through the q7 kernels against TensorFlow Lite Micro.

The model is a TF-converted int8 model re-quantised to power-of-two scales.
For each layer, fed the input TFLite Micro computed, the accumulator is
rebuilt independently in numpy; from it, the q7 result (round half up once)
and TFLite's (round half up in the doubling high multiply, then half away from
zero in the shift) are derived, and with them the exact set of elements where
the two must differ. The q7 kernels must equal TFLite Micro everywhere else
and the q7 arithmetic there; ``qmn`` must report the same count.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pycmsisnn.qmn import LegacyRunner, build_report, requantize_power_of_two
from pycmsisnn.qmn.measure import random_samples
from pycmsisnn.reference import TflmRunner
from pycmsisnn.tflite import read_model
from tests.qmn import q7_reference as ref
from tests.qmn.models import legacy_model

SAMPLES, SEED = 4, 11


@pytest.fixture(scope="module")
def pow2() -> bytes:
    return requantize_power_of_two(legacy_model())


def _out_shift(graph, op) -> int:  # noqa: ANN001
    """From the scales, independently of pycmsisnn.qmn: s_in * s_w / s_out = 2^-n."""
    s_in = float(graph.tensor(op.inputs[0]).quant.scale)
    s_w = float(graph.tensor(op.inputs[1]).quant.scale)
    s_out = float(graph.tensor(op.outputs[0]).quant.scale)
    n = -math.log2(s_in * s_w / s_out)
    assert n == int(n)
    return int(n)


def _accumulator(graph, op, x: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """int64 accumulators (bias included) of a layer, shaped as its output."""
    w = graph.tensor(op.inputs[1]).data
    y = graph.tensor(op.outputs[0])
    bias = graph.tensor(op.inputs[2]).data.astype(np.int64)
    if op.opcode == "FULLY_CONNECTED":
        acc = x.reshape(-1, w.shape[1]).astype(np.int64) @ w.T.astype(np.int64)
        return (acc + bias).reshape(y.shape)
    stride = op.options.stride_h
    k, h, out = w.shape[1], x.shape[1], y.shape[1]
    pad = max((out - 1) * stride + k - h, 0) // 2 if op.options.padding == 0 else 0  # SAME / VALID
    if op.opcode == "DEPTHWISE_CONV_2D":
        acc = ref.depthwise_acc(x[0], w[0], pad, stride, out)
    else:
        acc = ref.conv_acc(x[0], w, pad, stride, out)
    return (acc + bias).reshape(y.shape)


def _tie_class(acc: np.ndarray, n: int) -> np.ndarray:
    """Where the two roundings part, by residue: for n >= 2, a non-negative
    accumulator one below a tie (a = 2^(n-1) - 1 mod 2^n: TFLite's first
    rounding lifts it onto the tie, its second rounds it up) and a negative
    one exactly on a tie (a = 2^(n-1) mod 2^n: half up against half away)."""
    if n < 2:
        return np.zeros(acc.shape, dtype=bool)
    r, half = np.mod(acc, 1 << n), 1 << (n - 1)
    return ((acc >= 0) & (r == half - 1)) | ((acc < 0) & (r == half))


def test_q7_kernels_against_tflm_with_exact_tie_analysis(pow2: bytes) -> None:
    graph = read_model(pow2)
    runner = LegacyRunner(graph)
    tflm = TflmRunner(pow2, preserve=True)
    layers = [op for op in graph.operators if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")]
    assert [runner.layers[op.index].kernel for op in layers] == [
        "arm_convolve_HWC_q7_RGB",
        "arm_depthwise_separable_conv_HWC_q7",
        "arm_convolve_HWC_q7_fast",
        "arm_convolve_HWC_q7_basic",
        "arm_fully_connected_q7",
    ]
    counts = {op.index: 0 for op in layers}
    for sample in random_samples(graph, SAMPLES, SEED):
        tflm.run(sample, 1)
        for op in layers:
            x, expected = tflm.tensor(op.inputs[0]), tflm.tensor(op.outputs[0])
            n = _out_shift(graph, op)
            acc = _accumulator(graph, op, x)
            q7, tfl = ref.q7_output(acc, n), ref.tflite_power_of_two(acc, n)
            if op.options.fused_activation_function == 1:
                q7, tfl = np.maximum(q7, 0), np.maximum(tfl, 0)
            np.testing.assert_array_equal(expected, tfl)  # the derivation of TFLite's arithmetic holds
            must_differ = q7 != tfl
            # the same set by residue class, where neither saturation nor the ReLU merges the two results
            relu = op.options.fused_activation_function == 1
            inside = ((acc >> n) > -127) & ((acc >> n) < 126) & ((q7 > 0) | (tfl > 0) | (not relu))
            np.testing.assert_array_equal(must_differ & inside, _tie_class(acc, n) & inside)
            got = runner.run_layer(op.index, x)
            np.testing.assert_array_equal(got[~must_differ], expected[~must_differ])
            np.testing.assert_array_equal(got[must_differ], q7[must_differ])
            assert np.all(got[must_differ] != expected[must_differ])
            assert np.all(np.abs(got.astype(int) - expected) <= 1)
            counts[op.index] += int(must_differ.sum())
    assert sum(counts.values()) > 0, "no rounding tie met: the test would show nothing"
    report = build_report(pow2, "pow2", samples=SAMPLES, seed=SEED)
    assert [r.verdict for r in report.layers] == ["exact"] * 5
    assert {r.original.op_index: r.differences.differ for r in report.layers} == counts


def test_whole_model_runs_on_q7_kernels(pow2: bytes) -> None:
    """run() chains the layers: it equals the numpy transcription layer by layer."""
    graph = read_model(pow2)
    runner = LegacyRunner(graph)
    assert runner.unsupported() == []
    x = random_samples(graph, 1, 5)[0][0]
    (result,) = runner.run([x])
    value = x
    for op in graph.operators:
        if op.opcode == "MAX_POOL_2D":
            value = ref.q7_maxpool(value[0], 2, 0, 2, 2)[None]
        elif op.opcode == "RESHAPE":
            value = value.reshape(graph.tensor(op.outputs[0]).shape)
        else:
            a = runner.layers[op.index]
            w = graph.tensor(op.inputs[1]).data
            b = a.q7_bias.values
            if op.opcode == "FULLY_CONNECTED":
                value = ref.q7_fc(value.reshape(-1), w, b, a.bias_shift, a.out_shift)[None]
            else:
                stride, k = int(op.options.stride_h), w.shape[1]
                out = graph.tensor(op.outputs[0]).shape[1]
                pad = max((out - 1) * stride + k - value.shape[1], 0) // 2 if op.options.padding == 0 else 0
                fn = ref.q7_depthwise if op.opcode == "DEPTHWISE_CONV_2D" else ref.q7_conv
                value = fn(value[0], w[0] if op.opcode == "DEPTHWISE_CONV_2D" else w, b, a.bias_shift, a.out_shift, pad, stride, out)[None]
            if a.activation == "RELU":
                value = np.maximum(value, 0)
    np.testing.assert_array_equal(result, value.reshape(result.shape))


@given(st.integers(-(2**24), 2**24), st.integers(0, 16))
def test_roundings_part_exactly_on_the_tie_classes(acc: int, n: int) -> None:
    """Property of the two output stages: below saturation they differ exactly
    on the residues of ``_tie_class``, and by one."""
    a = np.array([acc], dtype=np.int64)
    q7, tfl = int(ref.q7_output(a, n)[0]), int(ref.tflite_power_of_two(a, n)[0])
    if abs(acc) >> n >= 126:
        return
    assert (q7 != tfl) == bool(_tie_class(a, n)[0])
    assert abs(q7 - tfl) <= 1
