"""The four MLPerf Tiny reference models, whole, on the host: bit-exact
against TensorFlow Lite Micro on 20 random inputs each."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

MODELS = Path(__file__).resolve().parents[3] / "shared" / "models"
NAMES = [
    "mlperf_tiny_ad01_fc_autoencoder_int8.tflite",
    "mlperf_tiny_kws01_dscnn_int8.tflite",
    "mlperf_tiny_ic01_resnet8_int8.tflite",
    "mlperf_tiny_vww01_mobilenetv1_025_int8.tflite",
]
EXPECTED_KERNELS = {
    "mlperf_tiny_ad01_fc_autoencoder_int8.tflite": {"arm_fully_connected_s8"},
    "mlperf_tiny_kws01_dscnn_int8.tflite": {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8", "arm_convolve_1x1_s8_fast",
                                            "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
    "mlperf_tiny_ic01_resnet8_int8.tflite": {"arm_convolve_s8", "arm_convolve_1x1_s8", "arm_elementwise_add_s8",
                                             "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
    "mlperf_tiny_vww01_mobilenetv1_025_int8.tflite": {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8", "arm_convolve_1x1_s8_fast",
                                                      "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
}


@pytest.mark.parametrize("name", NAMES)
def test_mlperf_model_exact_on_20_inputs(name: str) -> None:
    path = MODELS / name
    assert path.is_file(), f"{path} is missing: the shared models must sit beside the checkout"
    data = path.read_bytes()
    model = load(data)
    tflm = TflmRunner(data)
    rng = np.random.default_rng(2024)
    for sample in range(20):
        x = random_inputs(model.graph, rng)
        ours = model.run(x)
        ref = tflm.run(x, len(model.outputs))
        for o, r in zip(ours, ref):
            np.testing.assert_array_equal(o, r, err_msg=f"{name}, sample {sample}")


@pytest.mark.parametrize("name", NAMES)
def test_mlperf_model_dispatches_like_cmsis_nn(name: str) -> None:
    model = load(MODELS / name)
    assert {c.reached for c in model.plan.calls} == EXPECTED_KERNELS[name]


def test_intermediates_equal_tflm_layer_by_layer() -> None:
    data = (MODELS / "mlperf_tiny_kws01_dscnn_int8.tflite").read_bytes()
    model = load(data)
    x = random_inputs(model.graph, np.random.default_rng(5))
    result = model.run(x, intermediates=True)
    tflm = TflmRunner(data, preserve=True)
    tflm.run(x, 1)
    for call in model.plan.calls:
        for i in call.outputs:
            np.testing.assert_array_equal(result.tensors[i], tflm.tensor(i).reshape(result.tensors[i].shape), err_msg=call.op.opcode)


def test_runs_repeat_without_state() -> None:
    model = load(MODELS / "mlperf_tiny_ic01_resnet8_int8.tflite")
    rng = np.random.default_rng(9)
    a, b = random_inputs(model.graph, rng), random_inputs(model.graph, rng)
    first = model.run(a)[0]
    model.run(b)
    np.testing.assert_array_equal(model.run(a)[0], first)
