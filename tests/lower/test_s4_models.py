"""int4-weight models (TFLite INT4 filters, int8 activations) run whole through
pycmsisnn and through generated C, equal to TensorFlow Lite Micro.

Every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED configuration of the s4
kernel tests (``tests/kernels/test_s4.py``: the s8 sweeps' cached models,
their weights rewritten to random int4 values and written as a real INT4
tensor) is read, lowered and run by ``pycmsisnn.runtime.load(model).run(x)``
and compared element for element with TFLite Micro on the same INT4 model.
Then: the reader's INT4 tensors (packed bytes kept, sizes, refusals), the
lowering's refusals of what TFLite Micro or the s4 kernels do not take, and
``inspect``. Generated C of these models: ``tests/codegen/test_s4.py``.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from pycmsisnn.inspect_model import describe
from pycmsisnn.kernels import s4
from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import Model, load
from pycmsisnn.tflite import ModelError, read_model
from tests.kernels import test_convolution as conv_cases
from tests.kernels import test_convolution_s16 as conv16_cases
from tests.kernels import test_depthwise as dw_cases
from tests.kernels import test_fully_connected as fc_cases
from tests.kernels import test_s16 as s16_cases
from tests.kernels import test_s4 as s4_cases
from tests.kernels import test_transpose_conv as tc_cases
from tests.kernels.tensor_ops_models import MID, constant_operand_model
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import ops, single_op
from tests.support.tflite_build import build_model
from tests.support.tflm import run_tflm

CONV, DW, FC = s4_cases.CONV, s4_cases.DW, s4_cases.FC


# ------------------------------------------------------------------ models


def _int4_model(base: bytes, op_name: str, seed: int) -> tuple[bytes, np.ndarray]:
    """(the INT4 model, its weights as int8) of a single-op int8 model."""
    model, weights = s4_cases._int4_weights(base, op_name, seed)
    return s4_cases._as_int4_model(model, op_name), weights


def conv_model(case: Any) -> tuple[bytes, np.ndarray, np.ndarray]:
    """(INT4 model, weights, input) of a CONV_2D case of the s4 tests."""
    layer = conv_cases.make_layer(case)
    model, weights = _int4_model(layer.model, "CONV_2D", s4_cases._seed(case.key))
    return model, weights, conv_cases.random_input(layer.input_shape, case.seed)


def dw_model(case: Any) -> tuple[bytes, np.ndarray, np.ndarray]:
    base = build_model(case.key, dw_cases._make(case), [case.shape], seed=case.seed, input_range=case.input_range)
    model, weights = _int4_model(base, "DEPTHWISE_CONV_2D", s4_cases._seed(case.key))
    return model, weights, dw_cases._input(case)


def fc_model(cfg: Any) -> tuple[bytes, np.ndarray, np.ndarray]:
    model, weights = _int4_model(fc_cases._model(cfg), "FULLY_CONNECTED", s4_cases._seed(cfg.key))
    return model, weights, np.random.default_rng(cfg.seed + 500).integers(-128, 128, size=cfg.shape, dtype=np.int8)


def _dw_variant(case: Any) -> str:
    """Arm's depthwise s4 dispatch, from the case (independent of s4.py)."""
    opt = case.mult == 1 and case.shape[0] == 1 and case.dilation == (1, 1)
    return "arm_depthwise_conv_s4_opt" if opt else "arm_depthwise_conv_s4"


def run_exact(model: bytes, x: np.ndarray) -> Model:
    """The loaded model, after asserting its output equals TFLite Micro's."""
    expected = run_tflm(model, [x])[0]
    s4_cases._spread(expected)
    m = load(model)
    got = m.run(x)
    assert isinstance(got, list) and len(got) == 1
    assert got[0].shape == expected.shape and got[0].dtype == expected.dtype
    np.testing.assert_array_equal(got[0], expected)
    return m


def _assert_packed(m: Model, weights: np.ndarray) -> None:
    """The call takes the weights packed, as the model's INT4 tensor holds them."""
    (call,) = m.plan.calls
    packed = s4.pack_int4(weights)
    np.testing.assert_array_equal(call.args["filter"], packed)
    assert call.args["filter"].dtype == np.int8 and tuple(call.args["filter_shape"]) == weights.shape
    w = m.graph.tensor(call.op.inputs[1])
    assert w.is_int4 and w.type_label == "int4" and w.nbytes == packed.size == (weights.size + 1) // 2
    np.testing.assert_array_equal(w.int4_values(), weights)


# ---------------------------------------------------- whole models vs TFLM


@pytest.mark.parametrize("case", CONV, ids=conv_cases.case_id)
def test_conv_model_matches_tflm(case: Any) -> None:
    model, weights, x = conv_model(case)
    m = run_exact(model, x)
    (call,) = m.plan.calls
    assert (call.kernel, call.variant) == ("arm_convolve_wrapper_s4", s4_cases._expected_conv_variant(case))
    _assert_packed(m, weights)


@pytest.mark.parametrize("case", DW, ids=str)
def test_depthwise_model_matches_tflm(case: Any) -> None:
    model, weights, x = dw_model(case)
    m = run_exact(model, x)
    (call,) = m.plan.calls
    assert (call.kernel, call.variant) == ("arm_depthwise_conv_wrapper_s4", _dw_variant(case))
    _assert_packed(m, weights)


@pytest.mark.parametrize("cfg", FC, ids=[c.key for c in FC])
def test_fully_connected_model_matches_tflm(cfg: Any) -> None:
    model, weights, x = fc_model(cfg)
    m = run_exact(model, x)
    (call,) = m.plan.calls
    assert (call.kernel, call.variant) == ("arm_fully_connected_s4", "")
    _assert_packed(m, weights)


def test_sweep_reaches_every_s4_kernel() -> None:
    assert len(CONV) + len(DW) + len(FC) >= 60
    assert {s4_cases._expected_conv_variant(c) for c in CONV} == {
        "arm_convolve_s4", "arm_convolve_1x1_s4", "arm_convolve_1x1_s4_fast", "arm_convolve_1_x_n_s4"}
    assert {_dw_variant(c) for c in DW} == {"arm_depthwise_conv_s4", "arm_depthwise_conv_s4_opt"}
    # Filters whose packed count is odd (a last unused half byte) in every family.
    assert {c.filters * c.kernel[0] * c.kernel[1] * c.shape[3] % 2 for c in CONV} == {0, 1}
    assert {c.kernel[0] * c.kernel[1] * c.shape[3] * c.mult % 2 for c in DW} == {0, 1}
    assert {c.shape[-1] * c.units % 2 for c in FC} == {0, 1}


# ------------------------------------------------------------------ reader


def _odd_fc() -> Any:
    return next(c for c in FC if c.shape[-1] * c.units % 2 == 1)


def test_reader_keeps_int4_weights_packed() -> None:
    """An odd count: ceil(n / 2) bytes, the model is read whole (not 'truncated')."""
    model, weights, _ = fc_model(_odd_fc())
    g = read_model(model)
    (w,) = [t for t in g.tensors if t.is_int4]
    assert w.shape == weights.shape and w.is_constant and w.dtype == np.uint8
    assert w.data is not None and w.data.shape == ((weights.size + 1) // 2,)
    np.testing.assert_array_equal(w.packed_int4, s4.pack_int4(weights))
    np.testing.assert_array_equal(w.int4_values(), weights)
    assert w.nbytes == (weights.size + 1) // 2
    assert f"int4{list(weights.shape)}" in w.describe()


def _weights_index(model: bytes, op_name: str) -> int:
    w = single_op(model, op_name).inputs[1]
    assert w is not None
    return w.index


@pytest.mark.parametrize("change", [-1, 1, "unpacked"])
def test_int4_buffer_of_the_wrong_size_is_refused(change: int | str) -> None:
    """One byte short, one byte long, or one byte a value: the tensor and its need are named."""
    cfg = _odd_fc()
    int8_model, weights = s4_cases._int4_weights(fc_cases._model(cfg), "FULLY_CONNECTED", s4_cases._seed(cfg.key))
    index = _weights_index(int8_model, "FULLY_CONNECTED")
    packed = s4.pack_int4(weights).view(np.uint8)
    data = weights.reshape(-1).view(np.uint8) if change == "unpacked" else (packed[:-1] if change == -1 else np.append(packed, 0))

    def edit(m: Any) -> None:
        s4_cases.make_int4(m, index, weights)
        m.buffers[m.subgraphs[0].tensors[index].buffer].data = data.copy()

    bad = edit_model(int8_model, edit)
    need = (weights.size + 1) // 2
    shape = list(weights.shape)
    message = rf"subgraphs\[0\]\.tensors\[{index}\]\.buffer: buffer \d+ holds {data.size} bytes, shape {re.escape(str(shape))} needs {need} \(int4: two values a byte\)"
    with pytest.raises(ModelError, match=message):
        read_model(bad)
    with pytest.raises(ModelError, match=message):
        load(bad)


def test_int4_activation_is_refused_by_name() -> None:
    """A non-constant INT4 tensor (here the output) is refused by the reader, named."""
    model, _, _ = fc_model(FC[0])
    out = single_op(fc_cases._model(FC[0]), "FULLY_CONNECTED").outputs[0]

    def edit(m: Any) -> None:
        t = m.subgraphs[0].tensors[out.index]
        t.type = s4_cases.schema().TensorType.INT4
        t.quantization.zeroPoint = [0]

    bad = edit_model(model, edit)
    reason = f"tensor {out.index} '{out.name}': int4 tensors must be constant (int4 weights); int4 activations are not supported"
    with pytest.raises(ModelError, match=re.escape(reason)):
        read_model(bad)
    with pytest.raises(UnsupportedModelError, match=re.escape(reason)):
        load(bad)
    assert reason in read_model(bad, strict=False).refusals


# --------------------------------------------------------------- refusals


def _refused(model: bytes, reason: str) -> None:
    with pytest.raises(UnsupportedModelError) as info:
        load(model)
    assert any(reason in r for r in info.value.reasons), info.value.reasons


def _int16_int4_models() -> list[tuple[str, bytes, np.ndarray]]:
    conv = conv16_cases.make_layer(conv16_cases.CONV_CASES[0])
    dw = conv16_cases.make_layer(conv16_cases.DW_CASES[0])
    fc = s16_cases.FC_CASES[0]
    out = []
    for op_name, base, x in (
        ("CONV_2D", conv.model, conv16_cases.random_input(conv16_cases.CONV_CASES[0].shape, 1)),
        ("DEPTHWISE_CONV_2D", dw.model, conv16_cases.random_input(conv16_cases.DW_CASES[0].shape, 1)),
        ("FULLY_CONNECTED", s16_cases._fc_model(fc), s16_cases._int16((fc.batch, fc.depth), 1)),
    ):
        out.append((op_name, _int4_model(base, op_name, 5)[0], x))
    return out


def test_int16_activations_with_int4_weights_are_refused_like_tflm() -> None:
    """TFLite Micro refuses int4 filters with int16 activations (CONV_2D,
    DEPTHWISE_CONV_2D: "hybrid"; FULLY_CONNECTED: not supported); so does
    lowering, naming the int16 input (whether or not the op's int16 path
    exists: the s4 check refuses the pair either way)."""
    for op_name, model, x in _int16_int4_models():
        with pytest.raises(RuntimeError):
            run_tflm(model, [x])
        g = read_model(model)
        (op,) = g.operators
        assert op.opcode == op_name and g.tensor(op.inputs[1]).is_int4
        _refused(model, "operator 0: ")
        _refused(model, f"input '{g.tensor(op.inputs[0]).name}' is int16")


def test_per_channel_int4_fully_connected_is_refused_like_tflm() -> None:
    cfg = next(c for c in fc_cases.CONFIGS if c.per_channel and c.units > 1)
    model, weights = _int4_model(fc_cases._model(cfg), "FULLY_CONNECTED", 9)
    x = np.zeros(cfg.shape, dtype=np.int8)
    with pytest.raises(RuntimeError):
        run_tflm(model, [x])
    _refused(model, "are int4 quantised per channel: int4 fully connected weights must be per tensor")


def test_grouped_int4_conv_is_refused() -> None:
    """TFLite Micro runs it; CMSIS-NN's s4 convolutions are not grouped."""
    case = next(c for c in conv_cases.CASES if c.groups > 1)
    model, _ = _int4_model(conv_cases.make_layer(case).model, "CONV_2D", 3)
    _refused(model, "is int4 in a grouped convolution")
    _refused(model, "CMSIS-NN's s4 convolutions are not grouped")


def _retyped(model: bytes, index: int) -> bytes:
    """``model`` with constant tensor ``index`` made INT4 (values clipped to
    [-8, 7], zero points 0 to lie in the type's range)."""
    view = next(t for op in ops(model) for t in op.inputs if t is not None and t.index == index)
    assert view.data is not None

    def edit(m: Any) -> None:
        s4_cases.make_int4(m, index, np.clip(view.data, -8, 7).astype(np.int8))
        q = m.subgraphs[0].tensors[index].quantization
        q.zeroPoint = [0] * len(q.zeroPoint)

    return edit_model(model, edit)


def test_int4_transpose_conv_filter_is_refused() -> None:
    base = tc_cases.make_layer(tc_cases.CASES[0]).model
    model = _retyped(base, _weights_index(base, "TRANSPOSE_CONV"))
    _refused(model, "is int4: CMSIS-NN has no int4 TRANSPOSE_CONV kernel, needs int8")


def test_int4_constant_of_an_elementwise_op_is_refused() -> None:
    base = constant_operand_model("ADD", (1, 3, 4, 5), (5,), MID)
    (op,) = ops(base)
    const = next(t for t in op.inputs if t is not None and t.data is not None)
    _refused(_retyped(base, const.index), f"'{const.name}' is int4, needs int8")


# ------------------------------------------------------------ inspect


def test_inspect_shows_the_s4_variant() -> None:
    case = next(c for c in CONV if s4_cases._expected_conv_variant(c) == "arm_convolve_1_x_n_s4")
    model, _, _ = conv_model(case)
    text = describe(read_model(model))
    assert re.search(r"CONV_2D\s+arm_convolve_1_x_n_s4\s", text), text
    verbose = describe(read_model(model), verbose=True)
    assert "-> arm_convolve_wrapper_s4 -> arm_convolve_1_x_n_s4" in verbose
