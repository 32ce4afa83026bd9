"""UNIDIRECTIONAL_SEQUENCE_LSTM in generated C compiled on the host and run
over a sequence of invokes in ONE process: a keyword-spotting LSTM (49 x 10
features -> LSTM(32) -> Dense(12) -> softmax, int8) and single LSTMs (int8
and 16x8, time and batch major). The hidden and cell state live in
NAME_state from invoke to invoke; every step equals the host runtime's
(one ModelState carried) and TensorFlow Lite Micro's consecutive invokes, and
NAME_reset() mid-sequence restarts the stream as TFLite Micro's reset does."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from tests.support.lstm_build import lstm_model, to_16x8

from .state_host import build_state_runner, run_sequence

STEPS = 5
RESET_AT = 3


def kws_lstm() -> bytes:
    """The keyword-spotting LSTM: 49 frames of 10 MFCC features, LSTM(32), 12 classes."""
    return lstm_model(1, 49, 10, 32, return_sequences=False, dense=12, bias_stddev=0.3, input_range=(-3.0, 3.0))


def codegen_models() -> list[bytes]:
    """Models whose LSTM kernels this file runs in C (test_kernel_coverage counts them)."""
    single = lstm_model(2, 3, 6, 7, time_major=False, bias_stddev=0.5)
    return [kws_lstm(), single, to_16x8(single)]


def _check_sequence(data: bytes, tmp_path: Path, kernels: Path, target: str, seed: int, name: str) -> list[np.ndarray]:
    """Run STEPS invokes in C (and again with a reset before RESET_AT);
    returns TFLite Micro's outputs of the sequence."""
    model = load(data)
    t_in, t_out = model.inputs[0], model.outputs[0]
    info = np.iinfo(t_in.dtype)
    rng = np.random.default_rng(seed)
    steps = [rng.integers(info.min, info.max, t_in.shape, endpoint=True).astype(t_in.dtype) for _ in range(STEPS)]
    with TflmRunner(data) as tflm:
        ref = [tflm.run([x], 1, reset=k == 0)[0] for k, x in enumerate(steps)]
        restarted = [tflm.run([x], 1, reset=k == 0)[0] for k, x in enumerate(steps[RESET_AT:])]
    state = model.new_state()
    host = [model.run([x], state=state)[0] for x in steps]
    exe = build_state_runner(model, tmp_path / "b", kernels, name=name, target=target)
    got = run_sequence(exe, steps, t_out.shape, t_out.dtype, tmp_path / "w")
    for k, (g, h, r) in enumerate(zip(got, host, ref)):
        np.testing.assert_array_equal(g, h, err_msg=f"generated C vs host runtime, step {k}")
        np.testing.assert_array_equal(g, r.reshape(g.shape), err_msg=f"generated C vs TFLite Micro, step {k}")
    got_reset = run_sequence(exe, steps, t_out.shape, t_out.dtype, tmp_path / "r", reset_at=RESET_AT)
    for k, g in enumerate(got_reset):
        r = ref[k] if k < RESET_AT else restarted[k - RESET_AT]
        np.testing.assert_array_equal(g, r.reshape(g.shape), err_msg=f"generated C with {name}_reset before step {RESET_AT}, step {k}")
    return [r.reshape(t_out.shape) for r in ref] + [r.reshape(t_out.shape) for r in restarted]


def test_kws_lstm_sequence_in_c_is_exact(tmp_path: Path, host_kernels: Path) -> None:
    _check_sequence(kws_lstm(), tmp_path, host_kernels, "cortex-m4", seed=11, name="kws_lstm")


@pytest.mark.parametrize("s16", [False, True])
@pytest.mark.parametrize("batch,tm", [(2, False), (1, True)])
def test_single_lstm_sequence_in_c_is_exact(batch: int, tm: bool, s16: bool, tmp_path: Path, host_kernels: Path) -> None:
    data = lstm_model(batch, 3, 6, 7, time_major=tm, bias_stddev=0.5)
    outs = _check_sequence(to_16x8(data) if s16 else data, tmp_path, host_kernels, "cortex-m55", seed=5, name="lstm")
    # the state matters: the sequence's step RESET_AT differs from the restarted stream's first step
    assert not np.array_equal(outs[RESET_AT], outs[STEPS])
