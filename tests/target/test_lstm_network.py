"""The keyword-spotting LSTM of ``tests/codegen/test_lstm.py`` (49 x 10
features -> LSTM(32) -> Dense(12) -> softmax, int8) and a 16x8 single LSTM
(batch 2) as generated C cross-compiled for Cortex-M4 and M55 and run under
QEMU: equal to the host run and to TensorFlow Lite Micro on every sample."""
from __future__ import annotations

import pytest

from pycmsisnn.verify import verify_target

from ..codegen.test_lstm import kws_lstm
from ..support.lstm_build import lstm_model, to_16x8

SAMPLES = 2


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55"])
def test_kws_lstm_is_exact_on_the_core(core: str) -> None:
    report = verify_target(kws_lstm(), core, samples=SAMPLES, seed=3)
    assert report.first_mismatch is None, report.first_mismatch
    assert (report.exact_samples, report.host_exact_samples, report.target_exact_samples) == (SAMPLES, SAMPLES, SAMPLES)


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55"])
def test_16x8_lstm_is_exact_on_the_core(core: str) -> None:
    data = to_16x8(lstm_model(2, 3, 6, 7, time_major=True, bias_stddev=0.5))
    report = verify_target(data, core, samples=SAMPLES, seed=4)
    assert report.first_mismatch is None, report.first_mismatch
    assert (report.exact_samples, report.host_exact_samples, report.target_exact_samples) == (SAMPLES, SAMPLES, SAMPLES)
