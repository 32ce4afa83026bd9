"""The keyword-spotting LSTM of ``tests/codegen/test_lstm.py`` (49 x 10
features -> LSTM(32) -> Dense(12) -> softmax, int8) and a 16x8 single LSTM
(batch 2) as generated C cross-compiled for Cortex-M4 and M55 and run under
QEMU step by step over a sequence: the harness loads the state the previous
step left (state.bin: the hidden and cell state) and hands back the new one
(state_out.bin); every step equals the host and TensorFlow Lite Micro (one
interpreter kept across the steps), all from the reset state."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.cores import alignment_of
from pycmsisnn.memory import plan_state
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.target_model import TargetModel
from pycmsisnn.verify import verify_target

from ..codegen.test_lstm import kws_lstm
from ..support.lstm_build import lstm_model, to_16x8

STEPS = 3


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55"])
def test_kws_lstm_sequence_is_exact_on_the_core(core: str) -> None:
    report = verify_target(kws_lstm(), core, samples=STEPS, seed=3)
    assert report.first_mismatch is None, report.first_mismatch
    assert (report.exact_samples, report.host_exact_samples, report.target_exact_samples) == (STEPS, STEPS, STEPS)
    # the state: int8 hidden [1, 32] and int16 cell [1, 32]
    assert report.target_info is not None and report.target_info["state_bytes"] == 32 + 64


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55"])
def test_16x8_lstm_carries_its_state_on_the_core(core: str) -> None:
    data = to_16x8(lstm_model(2, 3, 6, 7, time_major=True, bias_stddev=0.5))
    model = load(data)
    rng = np.random.default_rng(4)
    steps = [rng.integers(-32768, 32768, size=(3, 2, 6)).astype(np.int16) for _ in range(STEPS)]
    with TflmRunner(data) as tflm:
        ref = [tflm.run([x], 1, reset=k == 0)[0] for k, x in enumerate(steps)]
    assert not np.array_equal(ref[-1], model.run(steps[-1], state=model.new_state())[0])  # the state matters
    host_state = model.new_state()
    with TargetModel(model.plan, core) as tm:
        state = tm.initial_state()
        for k, x in enumerate(steps):
            run = tm.run([x], state=state)
            state = run.state
            got = run.outputs[0].reshape(ref[k].shape)
            np.testing.assert_array_equal(got, ref[k], err_msg=f"{core} vs TFLite Micro, step {k}")
            np.testing.assert_array_equal(got, model.run(x, state=host_state)[0], err_msg=f"{core} vs host, step {k}")
    # the state the program handed back is the host's: hidden and cell state
    placements, size = plan_state(model.plan, alignment_of(core))
    assert state is not None and len(state) == size
    for index, place in placements.items():
        assert bytes(state[place.offset:place.end]) == host_state.arrays[index].tobytes()
