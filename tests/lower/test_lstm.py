"""UNIDIRECTIONAL_SEQUENCE_LSTM lowered to Arm's arm_lstm_unidirectional_s8 /
_s16 and run through ``pycmsisnn.runtime`` against TensorFlow Lite Micro, bit
for bit: int8 (as the converter makes a Keras LSTM) and 16x8 (the same model
rewritten, ``lstm_build.to_16x8``: the converter refuses 16x8 LSTMs), time
and batch major, several batches, sequence lengths and sizes, each over
consecutive invokes with the state carried (TFLite Micro's variable tensors:
the model's ``ModelState``) and equal to TFLite Micro's consecutive invokes
at every step; reset and independent states; the kernel wrapper's state
argument on its own; and the refusals."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.lower import refusal_reasons
from pycmsisnn.runtime import load
from pycmsisnn.kernels import lstm as klstm
from pycmsisnn.tflite import read_model
from tests.support.flatbuffer_edit import edit_model
from tests.support.lstm_build import lstm_model, to_16x8
from tests.support.model_view import schema

# (steps, batch, time_major, features, units)
CONFIGS = [
    (steps, batch, tm, features, units)
    for steps, (features, units) in ((1, (3, 4)), (3, (6, 7)), (8, (10, 16)))
    for batch in (1, 2)
    for tm in (False, True)
]


def _model(steps: int, batch: int, tm: bool, features: int, units: int, *, s16: bool = False, **kw: Any) -> bytes:
    m = lstm_model(batch, steps, features, units, time_major=tm, bias_stddev=0.5, **kw)
    return to_16x8(m) if s16 else m


def _inputs(model: Any, n: int, seed: int) -> list[np.ndarray]:
    t = model.inputs[0]
    info = np.iinfo(t.dtype)
    rng = np.random.default_rng(seed)
    return [rng.integers(info.min, info.max, t.shape, endpoint=True).astype(t.dtype) for _ in range(n)]


def _tflm_sequence(data: bytes, xs: list[np.ndarray]) -> list[np.ndarray]:
    """TFLite Micro's outputs over consecutive invokes of one interpreter (state carried)."""
    from tflite_micro import runtime

    interp = runtime.Interpreter.from_bytes(data, arena_size=1 << 20)
    outs = []
    for x in xs:
        interp.set_input(x, 0)
        interp.invoke()
        outs.append(np.array(interp.get_output(0)))
    return outs


def assert_exact(data: bytes, kernel: str, n: int = 3, seed: int = 0) -> Any:
    """``n`` consecutive runs of the loaded model (its own state carried)
    equal TFLite Micro's ``n`` consecutive invokes, step by step."""
    m = load(data)
    assert [c.kernel for c in m.plan.calls if c.op.opcode == "UNIDIRECTIONAL_SEQUENCE_LSTM"] == [kernel]
    assert m.stateful and len(m.state) == 2
    xs = _inputs(m, n, seed)
    for k, (x, want) in enumerate(zip(xs, _tflm_sequence(data, xs))):
        got = m.run([x])[0]
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want, err_msg=f"invoke {k}")
    return m


@pytest.mark.parametrize("steps,batch,tm,features,units", CONFIGS)
def test_int8_exact(steps: int, batch: int, tm: bool, features: int, units: int) -> None:
    assert_exact(_model(steps, batch, tm, features, units), "arm_lstm_unidirectional_s8")


@pytest.mark.parametrize("steps,batch,tm,features,units", CONFIGS)
def test_16x8_exact(steps: int, batch: int, tm: bool, features: int, units: int) -> None:
    assert_exact(_model(steps, batch, tm, features, units, s16=True), "arm_lstm_unidirectional_s16")


@pytest.mark.parametrize("steps,batch", [(3, 1), (8, 2)])
def test_last_output_only(steps: int, batch: int) -> None:
    """return_sequences=False: the LSTM then the converter's slice of the last step (int8)."""
    assert_exact(lstm_model(batch, steps, 5, 6, return_sequences=False, bias_stddev=0.5), "arm_lstm_unidirectional_s8")


@pytest.mark.parametrize("input_range", [(-4.0, 4.0), (-0.1, 0.3)])
def test_int8_other_ranges(input_range: tuple[float, float]) -> None:
    """Other calibrations: other input zero points, hidden scales and cell scale powers."""
    m = assert_exact(lstm_model(2, 4, 5, 8, input_range=input_range, bias_stddev=1.0), "arm_lstm_unidirectional_s8")
    assert m.plan.calls[0].args["params"].cell_scale_power <= -8


@pytest.mark.parametrize("s16", [False, True])
@pytest.mark.parametrize("steps,batch,tm", [(3, 1, False), (3, 2, False), (1, 2, True), (8, 2, True)])
def test_kernel_carries_state_like_tflm(steps: int, batch: int, tm: bool, s16: bool) -> None:
    """The kernel's hidden_state / cell_state (TFLM's variable tensors) over
    four consecutive invokes: the hidden state starts at its zero point, the
    cell state at 0; each call reads and rewrites them."""
    features, units = 6, 7
    data = _model(steps, batch, tm, features, units, s16=s16)
    m = load(data)
    call = m.plan.calls[0]
    params = call.args["params"]
    graph = m.graph
    h_t = graph.tensor(call.op.inputs[18])
    dtype = np.int16 if s16 else np.int8
    hidden = np.full(batch * units, h_t.quant.zero_point if h_t.quant else 0, dtype=dtype)
    cell = np.zeros(batch * units, np.int16)
    fn = klstm.arm_lstm_unidirectional_s16 if s16 else klstm.arm_lstm_unidirectional_s8
    xs = _inputs(m, 4, seed=steps * 10 + batch)
    want = _tflm_sequence(data, xs)
    for k, (x, w) in enumerate(zip(xs, want)):
        got = fn(x, params, (hidden, cell))
        np.testing.assert_array_equal(got, w, err_msg=f"invoke {k}")
        last = got[-1] if tm else got[:, -1]
        np.testing.assert_array_equal(hidden.reshape(batch, units), last)  # the final hidden state is kept
    # and the state matters: a fresh start differs from the fourth invoke
    assert not np.array_equal(fn(xs[-1], params), want[-1])


@pytest.mark.parametrize("s16", [False, True])
@pytest.mark.parametrize("steps,batch,tm", [(3, 2, False), (2, 1, True)])
def test_reset_and_independent_states(steps: int, batch: int, tm: bool, s16: bool) -> None:
    """The model's own state over a sequence, ``reset()`` restarting it, and
    two streams on states from ``new_state()`` interleaved (the replayed call
    pointed at each stream's arrays in turn): every step equals TFLite
    Micro's consecutive invokes of that stream."""
    features, units = 6, 7
    data = _model(steps, batch, tm, features, units, s16=s16)
    m = load(data)
    call = m.plan.calls[0]
    h_index, c_index = (t.index for t in call.args["state"])
    zp = m.graph.tensor(h_index).quant.zero_point
    assert (m.state.arrays[h_index].dtype, m.state.arrays[c_index].dtype) == (np.int16 if s16 else np.int8, np.int16)
    a, b = _inputs(m, 4, seed=1), _inputs(m, 4, seed=2)
    want_a, want_b = _tflm_sequence(data, a), _tflm_sequence(data, b)
    # the state matters: each step after the first differs from a fresh start
    assert all(not np.array_equal(_tflm_sequence(data, [x])[0], w) for x, w in zip(a[1:], want_a[1:]))

    for k in range(2):
        np.testing.assert_array_equal(m.run([a[k]])[0], want_a[k], err_msg=f"own state, step {k}")
    last = want_a[1][-1] if tm else want_a[1][:, -1]
    np.testing.assert_array_equal(m.state.arrays[h_index].reshape(batch, units), last)  # the final hidden state
    assert np.any(m.state.arrays[c_index] != 0)
    m.reset()
    assert np.all(m.state.arrays[h_index] == zp) and np.all(m.state.arrays[c_index] == 0)
    for k in range(4):
        np.testing.assert_array_equal(m.run([a[k]])[0], want_a[k], err_msg=f"after reset, step {k}")

    sa, sb = m.new_state(), m.new_state()
    own = {i: arr.copy() for i, arr in m.state.arrays.items()}
    for k in range(4):
        np.testing.assert_array_equal(m.run([a[k]], state=sa)[0], want_a[k], err_msg=f"stream a, step {k}")
        np.testing.assert_array_equal(m.run([b[k]], state=sb)[0], want_b[k], err_msg=f"stream b, step {k}")
    assert all(np.array_equal(m.state.arrays[i], own[i]) for i in own)  # the model's own state is untouched
    bound = [t[0] for t in m._tables if t[0] is not None]
    assert bound and len(bound[0].field_slots) == 2  # the replayed call, its context swapped to each state


def _edited(data: bytes, edit: Any) -> bytes:
    return edit_model(data, edit)


def _reasons(data: bytes) -> str:
    return "\n".join(refusal_reasons(read_model(data, strict=False)))


def test_refusals() -> None:
    s = schema()
    base = _model(3, 1, False, 6, 7)

    def activation(model: Any) -> None:
        model.subgraphs[0].operators[0].builtinOptions.fusedActivationFunction = s.ActivationFunctionType.RELU

    def cifg(model: Any) -> None:
        op = model.subgraphs[0].operators[0]
        op.inputs = np.array(op.inputs)
        op.inputs[1] = -1
        op.inputs[5] = -1

    def peephole(model: Any) -> None:
        op = model.subgraphs[0].operators[0]
        op.inputs = np.array(op.inputs)
        op.inputs[9] = op.inputs[12]

    def projection(model: Any) -> None:
        op = model.subgraphs[0].operators[0]
        op.inputs = np.array(op.inputs)
        op.inputs[16] = op.inputs[6]

    def cell_scale(model: Any) -> None:
        sg = model.subgraphs[0]
        sg.tensors[sg.operators[0].inputs[19]].quantization.scale = [3.0e-4]

    def layer_norm(model: Any) -> None:
        op = model.subgraphs[0].operators[0]
        op.inputs = np.array(op.inputs)
        op.inputs[20] = op.inputs[12]

    def constant_state(model: Any) -> None:
        op = model.subgraphs[0].operators[0]
        op.inputs = np.array(op.inputs)
        op.inputs[18] = op.inputs[1]  # an int8 per-tensor constant (the input to input weights)

    def state_shape(model: Any) -> None:
        sg = model.subgraphs[0]
        sg.tensors[sg.operators[0].inputs[19]].shape = np.array([1, 8], np.int32)

    def state_dtype(model: Any) -> None:
        sg = model.subgraphs[0]
        sg.tensors[sg.operators[0].inputs[18]].type = s.TensorType.INT16

    for edit, reason in ((activation, "cell activation RELU is not supported"), (cifg, "CIFG"),
                         (peephole, "peephole"), (projection, "projection"), (layer_norm, "layer normalisation"),
                         (cell_scale, "not a power of two"),
                         (constant_state, "(input 18) must be a variable tensor"),
                         (state_shape, "has shape [1, 8]; the LSTM's state is [1, 7]"),
                         (state_dtype, "output state")):
        got = _reasons(_edited(base, edit))
        assert reason in got, got


def test_wrapper_rejects() -> None:
    m = load(_model(1, 1, False, 3, 4))
    params = m.plan.calls[0].args["params"]
    with pytest.raises(ValueError, match="input"):
        klstm.arm_lstm_unidirectional_s8(np.zeros((1, 1, 5), np.int8), params)
    with pytest.raises(ValueError, match="dtype int8"):
        klstm.arm_lstm_unidirectional_s8(np.zeros((1, 1, 3), np.int16), params)
    with pytest.raises(ValueError, match="state"):
        klstm.arm_lstm_unidirectional_s8(np.zeros((1, 1, 3), np.int8), params, (np.zeros(4, np.int8),))
    both = np.zeros(8, np.int16)
    with pytest.raises(ValueError, match="overlap"):
        klstm.arm_lstm_unidirectional_s8(np.zeros((1, 1, 3), np.int8), params, (both.view(np.int8)[:4], both[:4]))
    with pytest.raises(ValueError, match="16x8 offsets"):
        klstm.arm_lstm_unidirectional_s16(np.zeros((1, 1, 3), np.int16), params)
