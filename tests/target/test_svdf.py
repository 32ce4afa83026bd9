"""The SVDF keyword-spotting network (two SVDF layers with int16 state,
FULLY_CONNECTED, SOFTMAX) as generated C cross-compiled for Cortex-M4 and
M55 and run under QEMU step by step over a sequence: the harness loads the
state the previous step left (state.bin) and hands back the new one
(state_out.bin); every step equals the host and TensorFlow Lite Micro (one
interpreter kept across the steps), all from the reset state. The int8-state
SVDF (arm_svdf_s8) runs on M55 too (its MVE ctx of row sums)."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.runtime import load
from pycmsisnn.target_model import TargetModel
from pycmsisnn.verify import verify_target
from tests.support.svdf_models import SvdfConfig, kws_model, svdf_model

STEPS = 4


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55"])
def test_svdf_kws_sequence_is_exact_on_the_core(core: str) -> None:
    report = verify_target(kws_model(), core, samples=STEPS, seed=1)
    assert report.first_mismatch is None, report.first_mismatch
    assert (report.exact_samples, report.host_exact_samples, report.target_exact_samples) == (STEPS, STEPS, STEPS)
    assert report.target_info is not None and report.target_info["state_bytes"] == 1536


def test_int8_state_svdf_carries_its_state_on_m55() -> None:
    model = load(svdf_model(SvdfConfig(state_dtype=np.int8, batch=2, rank=2, memory=4, seed=8)))
    rng = np.random.default_rng(2)
    steps = [rng.integers(-128, 128, size=(2, 8)).astype(np.int8) for _ in range(3)]
    host_state = model.new_state()
    with TargetModel(model.plan, "cortex-m55") as tm:
        state = tm.initial_state()
        outs = []
        for x in steps:
            run = tm.run([x], state=state)
            state = run.state
            assert state is not None and len(state) == tm.build.project.state_size
            outs.append(run.outputs[0].reshape(2, 4))
            assert np.array_equal(outs[-1], model.run(x, state=host_state)[0])
        # the state is what the program continued from: restarting gives step 0 again
        assert np.array_equal(tm.run([steps[0]]).outputs[0].reshape(2, 4), outs[0])
    (host_array,) = host_state.arrays.values()
    assert bytes(state) == host_array.tobytes()
