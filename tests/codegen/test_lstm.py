"""UNIDIRECTIONAL_SEQUENCE_LSTM in generated C compiled on the host: a
keyword-spotting LSTM (49 x 10 features -> LSTM(32) -> Dense(12) -> softmax,
int8) and single LSTMs (int8 and 16x8, time and batch major), each output
equal to the host runtime's and to TensorFlow Lite Micro's."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.lstm_build import lstm_model, to_16x8

from .test_models import _check


def kws_lstm() -> bytes:
    """The keyword-spotting LSTM: 49 frames of 10 MFCC features, LSTM(32), 12 classes."""
    return lstm_model(1, 49, 10, 32, return_sequences=False, dense=12, bias_stddev=0.3, input_range=(-3.0, 3.0))


def codegen_models() -> list[bytes]:
    """Models whose LSTM kernels this file runs in C (test_kernel_coverage counts them)."""
    single = lstm_model(2, 3, 6, 7, time_major=False, bias_stddev=0.5)
    return [kws_lstm(), single, to_16x8(single)]


def test_kws_lstm_in_c_is_exact(tmp_path: Path, host_kernels: Path) -> None:
    _check(kws_lstm(), tmp_path, host_kernels, "cortex-m4", seed=11, tflm=True, name="kws_lstm")


@pytest.mark.parametrize("s16", [False, True])
@pytest.mark.parametrize("batch,tm", [(2, False), (2, True)])
def test_single_lstm_in_c_is_exact(batch: int, tm: bool, s16: bool, tmp_path: Path, host_kernels: Path) -> None:
    data = lstm_model(batch, 3, 6, 7, time_major=tm, bias_stddev=0.5)
    _check(to_16x8(data) if s16 else data, tmp_path, host_kernels, "cortex-m55", seed=5, tflm=True, name="lstm")
