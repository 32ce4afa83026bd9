"""The SVDF keyword-spotting network (int16 and int8 state) as generated C,
compiled on the host and run over a sequence in ONE process: the state lives
in NAME_state from invoke to invoke, exact against TensorFlow Lite Micro at
every step; NAME_reset() mid-sequence restarts the stream."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from tests.support.svdf_models import kws_model

from .state_host import build_state_runner, run_sequence

STEPS = 6


@pytest.mark.parametrize("state", [np.int16, np.int8], ids=["int16-state", "int8-state"])
@pytest.mark.parametrize("target", ["cortex-m4", "cortex-m55"])
def test_kws_sequence_in_c_is_exact(state: type, target: str, tmp_path: Path, host_kernels: Path) -> None:
    data = kws_model(state)
    model = load(data)
    rng = np.random.default_rng(5)
    steps = [rng.integers(-128, 128, size=(1, 40)).astype(np.int8) for _ in range(STEPS)]
    with TflmRunner(data) as tflm:
        ref = [tflm.run([x], 1, reset=k == 0)[0] for k, x in enumerate(steps)]
        restarted = [tflm.run([x], 1, reset=k == 0)[0] for k, x in enumerate(steps[3:])]
    exe = build_state_runner(model, tmp_path / "b", host_kernels, target=target)
    got = run_sequence(exe, steps, (1, 4), np.int8, tmp_path / "w")
    for k, (g, r) in enumerate(zip(got, ref)):
        assert np.array_equal(g, r), f"step {k}: C {g}, TFLM {r}"
    # reset before step 3: steps 3.. equal a fresh stream on those inputs
    got_reset = run_sequence(exe, steps, (1, 4), np.int8, tmp_path / "r", reset_at=3)
    assert all(np.array_equal(g, r) for g, r in zip(got_reset[:3], ref[:3]))
    assert all(np.array_equal(g, r) for g, r in zip(got_reset[3:], restarted))
    if state is np.int16:  # the network's outputs move with the state
        assert len({r.tobytes() for r in ref}) > 1
