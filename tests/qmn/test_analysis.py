"""Per-layer Qm.n analysis, its refusals, the power-of-two re-quantisation and
the conversion-error measurement."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.qmn import LegacyRunner, QmnError, analyse_graph, build_report, requantize_power_of_two
from pycmsisnn.qmn.formats import bias_to_q7, power_of_two_exponent
from pycmsisnn.qmn.measure import TensorError, data_samples
from pycmsisnn.tflite import ModelError, read_model
from tests.qmn.models import float_model, legacy_model
from tests.support import mlperf_tiny
from tests.support.flatbuffer_edit import edit_model

DEFAULT = Path(__file__).resolve().parents[2] / "pycmsisnn" / "data" / "default_model.tflite"
# Tensors of legacy_model(): the last CONV_2D (operator 3) reads 14, weights 5, bias 4, writes 15.
CONV3, CONV3_BIAS, CONV3_OUT = 3, 4, 15


@pytest.fixture(scope="module")
def pow2() -> bytes:
    return requantize_power_of_two(legacy_model())


def _layer(model: bytes, op_index: int):  # noqa: ANN202
    return next(a for a in analyse_graph(read_model(model)) if a.op_index == op_index)


def _edit_tensor(model: bytes, index: int, change: Callable[[Any], None]) -> bytes:
    def edit(m: Any) -> None:
        change(m.subgraphs[0].tensors[index].quantization)

    return edit_model(model, edit)


def test_power_of_two_model_is_exact(pow2: bytes) -> None:
    """Formats and shifts of legacy_model() after conversion, checked by hand
    from the scales: e.g. operator 0 reads Q2.5, weighs Q-2.9, accumulates in
    Q.14: bias Q0.7 -> bias_shift 7, output Q2.5 -> out_shift 9."""
    layers = analyse_graph(read_model(pow2))
    got = [(a.op_index, a.input_format, a.weight_format, a.bias_format, a.output_format, a.bias_shift, a.out_shift, a.activation) for a in layers]
    assert got == [
        (0, "Q2.5", "Q-2.9", "Q0.7", "Q2.5", 7, 9, "RELU"),
        (1, "Q2.5", "Q-1.8", "Q0.7", "Q0.7", 6, 6, "RELU"),
        (2, "Q0.7", "Q0.7", "Q0.7", "Q1.6", 7, 8, "NONE"),
        (3, "Q1.6", "Q-2.9", "Q1.6", "Q1.6", 9, 9, "NONE"),
        (6, "Q1.6", "Q-1.8", "Q0.7", "Q2.5", 7, 9, "NONE"),
    ]
    graph = read_model(pow2)
    for a in layers:
        op = graph.operators[a.op_index]
        n_in, n_w, n_out = (-power_of_two_exponent(graph.tensor(i).quant.scale) for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
        assert a.out_shift == n_in + n_w - n_out
        assert a.exact and a.reasons == []


def test_converter_model_is_refused_with_reasons() -> None:
    """As TF's converter makes it: per-channel weights, non-power-of-two scales,
    zero points."""
    a = _layer(legacy_model(), 0)
    assert not a.exact and a.input_format is None and a.weight_format is None and a.bias_shift is None
    assert "input (tensor 0) scale 0.0156799 is not a power of two" in a.reasons
    assert any(r.startswith("weights (tensor 11) has per-channel scales (8 channels") for r in a.reasons)
    assert "output (tensor 12) has zero point -128 (the q7 API has no zero points)" in a.reasons
    with pytest.raises(QmnError, match="operator 0 .CONV_2D. is not expressible in the q7 API: .*per-channel"):
        LegacyRunner(read_model(legacy_model())).run_layer(0, np.zeros((1, 12, 12, 3), np.int8))


@pytest.mark.parametrize(
    "index,change,reason",
    [
        (CONV3_OUT, lambda q: setattr(q, "scale", np.array([0.03], np.float32)), "output (tensor 15) scale 0.03 is not a power of two"),
        (CONV3_OUT, lambda q: setattr(q, "zeroPoint", np.array([3])), "output (tensor 15) has zero point 3 (the q7 API has no zero points)"),
        (CONV3_OUT, lambda q: setattr(q, "scale", np.array([2.0**-16], np.float32)),
         "the output (Q.16) has 1 more fractional bits than the accumulator (Q.15): it would need a left shift, "
         "and the q7 API only shifts the output right"),
        (CONV3_BIAS, lambda q: setattr(q, "scale", np.array([2.0**-17], np.float32)),
         "bias (tensor 4): the bias (Q.17) has 2 more fractional bits than the accumulator (Q.6+9 = Q.15): "
         "it would need a right shift of 2, and the q7 API only shifts the bias left"),
        (CONV3_BIAS, lambda q: setattr(q, "scale", np.array([2.0**-13], np.float32)),
         "bias (tensor 4) is declared at scale 2^-13, not the accumulator's 2^-15 (input scale x weight scale): "
         "TFLite adds the int32 bias in accumulator units"),
    ],
    ids=["non-power-of-two", "zero-point", "output-left-shift", "bias-right-shift", "bias-scale"],
)
def test_refusals(pow2: bytes, index: int, change: Callable[[Any], None], reason: str) -> None:
    edited = _edit_tensor(pow2, index, change)
    a = _layer(edited, CONV3)
    assert reason in a.reasons, a.reasons
    with pytest.raises(QmnError, match="not expressible in the q7 API"):
        LegacyRunner(read_model(edited)).run_layer(CONV3, np.zeros((1, 6, 6, 6), np.int8))


def test_bias_not_exact_in_int8_is_approximate(pow2: bytes) -> None:
    """A bias of (1001, 0, 0, 0, 0) accumulator steps needs bias_shift 3 (125.125 -> 125): not
    exact as it stands; the conversion rounds it, so the layer is approximate."""
    graph = read_model(pow2)

    def edit(m: Any) -> None:
        t = m.subgraphs[0].tensors[CONV3_BIAS]
        data = np.zeros_like(graph.tensor(CONV3_BIAS).data)
        data[0] = 1001
        m.buffers[t.buffer].data = np.frombuffer(data.astype("<i4").tobytes(), np.uint8).copy()

    edited = edit_model(pow2, edit)
    a = _layer(edited, CONV3)
    assert any(r.startswith("bias (tensor 4) does not fit in int8 exactly: values up to 1001 accumulator steps, "
               "and at bias_shift 3 (the smallest that fits) some are not multiples of 2^3") for r in a.reasons), a.reasons
    report = build_report(edited, samples=2)
    assert report.layers[3].verdict == "approximate" and report.layers[3].error is not None


def test_float_model_is_refused() -> None:
    with pytest.raises(ModelError, match="float model"):
        build_report(float_model())


def test_relu6_with_a_clamp_inside_int8_is_not_expressible() -> None:
    report = build_report(DEFAULT.read_bytes(), samples=2)
    assert report.counts() == {"exact": 0, "approximate": 4, "not expressible": 1}
    r = report.layers[3]
    assert r.original.op_index == 5 and r.verdict == "not expressible"
    assert r.blockers == ["fused RELU6 clamps the output to [0, 96]: the q7 API has no such clamp (arm_relu_q7 clamps at 0 only)"]
    assert "use the s8 API" in r.to_dict()["advice"]


def test_non_square_layers_get_no_kernel() -> None:
    kws = mlperf_tiny.built("kws01")
    a = _layer(requantize_power_of_two(kws), 0)
    assert a.exact and a.kernel is None
    assert a.kernel_note == "non-square input 49x10 (the historical _nonsquare kernels are not provided); non-square kernel 10x4"
    with pytest.raises(QmnError, match="fits no q7 kernel"):
        LegacyRunner(read_model(requantize_power_of_two(kws))).run_layer(0, np.zeros(490, np.int8))


# ------------------------------------------------------------ re-quantisation


def test_requantized_tensors_are_power_of_two_and_symmetric(pow2: bytes) -> None:
    graph, original = read_model(pow2), read_model(legacy_model())
    for t in graph.tensors:
        if t.quant is None:
            continue
        assert len(t.quant.scales) == 1 and t.quant.zero_points == (0,), t.name
        assert power_of_two_exponent(t.quant.scale) is not None, t.name
    assert graph.tensor(15).quant == graph.tensor(16).quant == graph.tensor(17).quant  # conv -> max pool -> reshape share one
    for op in graph.operators:
        if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            assert bias_to_q7(graph.tensor(op.inputs[2]).data).exact
            w, w0 = graph.tensor(op.inputs[1]), original.tensor(op.inputs[1])
            real = w.data * float(w.quant.scale)
            axis = 3 if op.opcode == "DEPTHWISE_CONV_2D" else 0
            shape = [1] * w0.data.ndim
            shape[axis] = -1
            real0 = w0.data * np.asarray(w0.quant.scales, np.float64).reshape(shape)
            assert np.all(np.abs(real - real0) <= float(w.quant.scale) / 2 + 1e-12)  # re-rounded, never clipped


def test_requantization_is_idempotent(pow2: bytes) -> None:
    again = read_model(requantize_power_of_two(pow2))
    graph = read_model(pow2)
    for a, b in zip(graph.tensors, again.tensors):
        assert a.quant == b.quant, a.name
        assert (a.data is None and b.data is None) or np.array_equal(a.data, b.data), a.name


def test_fixed_softmax_output_and_rounding_choice() -> None:
    model = DEFAULT.read_bytes()
    graph = read_model(requantize_power_of_two(model))
    softmax = next(op for op in graph.operators if op.opcode == "SOFTMAX")
    q = graph.tensor(softmax.outputs[0]).quant
    assert (q.scale, q.zero_point) == (1 / 256, -128)
    cover, nearest = read_model(requantize_power_of_two(model, "cover")), read_model(requantize_power_of_two(model, "nearest"))
    # tensor 0 (input, scale 1/255 zp -128, range [0, 1]): covering Q1.6, nearest Q0.7
    assert (cover.tensor(0).quant.scale, nearest.tensor(0).quant.scale) == (2.0**-6, 2.0**-7)
    with pytest.raises(QmnError, match="rounding must be one of"):
        requantize_power_of_two(model, "floor")


def test_int16_model_is_refused() -> None:
    def to_int16(m: Any) -> None:
        t = m.subgraphs[0].tensors[12]  # an activation of legacy_model()
        t.type = 7  # INT16

    with pytest.raises(QmnError, match="is int16: the q7 API is 8-bit"):
        requantize_power_of_two(edit_model(legacy_model(), to_int16))


# ------------------------------------------------------------ measurement


def test_tensor_error_hand_worked() -> None:
    """Original scale 0.5 (values 2, -3 -> 1.0, -1.5); converted scale 0.25
    (values 3, -6 -> 0.75, -1.5): max error 0.25; back on the original grid
    0.75 / 0.5 = 1.5 -> 2 and -3: no mismatch. Converted 5 -> 1.25 (error 0.25)
    -> 2.5 -> 3: one mismatch of two."""
    from pycmsisnn.ir import Quant, Tensor

    t = Tensor(0, "a", (2,), np.dtype(np.int8), Quant((0.5,), (0,)))
    t2 = Tensor(0, "a", (2,), np.dtype(np.int8), Quant((0.25,), (0,)))
    e = TensorError("a")
    e.add(t, np.array([2, -3], np.int8), t2, np.array([3, -6], np.int8))
    assert (e.max_abs_error, e.mismatches, e.elements) == (0.25, 0, 2)
    e.add(t, np.array([2, -3], np.int8), t2, np.array([5, -6], np.int8))
    assert (e.max_abs_error, e.mismatches, e.elements, e.mismatch_rate) == (0.25, 1, 4, 0.25)
    c = TensorError("c")
    c.add(t, np.array([[1, 2]], np.int8), t2, np.array([[9, 1]], np.int8), classifier=True)
    assert (c.top1_agree, c.top1_total) == (0, 1)


def test_conversion_of_a_power_of_two_model_changes_nothing(pow2: bytes, tmp_path: Path) -> None:
    out = tmp_path / "again.tflite"
    report = build_report(pow2, samples=3, requantize_to=out)
    assert report.requantized == str(out) and read_model(out.read_bytes()).tensors[15].quant == read_model(pow2).tensors[15].quant
    (o,) = report.conversion.outputs
    assert (o.max_abs_error, o.mismatches, o.elements) == (0.0, 0, 30)


def test_default_model_conversion_reports_top1() -> None:
    report = build_report(DEFAULT.read_bytes(), samples=5, seed=1)
    (o,) = report.conversion.outputs
    assert o.top1_total == 5 and 0 <= o.top1_agree <= 5 and o.elements == 50
    assert o.max_abs_error > 0 and math.isfinite(o.max_abs_error)
    for r in report.layers:
        assert r.error is not None and r.error.elements > 0


def test_data_samples_shapes_and_types() -> None:
    graph = read_model(legacy_model())
    t = graph.tensor(graph.inputs[0])
    one = np.zeros(t.shape, np.int8)
    assert len(data_samples(graph, one)) == 1
    assert len(data_samples(graph, np.zeros((4, 12, 12, 3), np.int8))) == 4
    assert len(data_samples(graph, np.zeros((4, 1, 12, 12, 3), np.int8))) == 4
    (s,) = data_samples(graph, np.full(t.shape, 0.5, np.float32))
    assert s[0].dtype == np.int8 and np.all(s[0] == round(0.5 / t.quant.scale))
    with pytest.raises(ValueError, match="does not hold inputs"):
        data_samples(graph, np.zeros((5, 7), np.int8))
    with pytest.raises(ValueError, match="dtype int32"):
        data_samples(graph, np.zeros(t.shape, np.int32))
