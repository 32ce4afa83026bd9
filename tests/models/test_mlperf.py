"""The MLPerf Tiny networks, whole, on the host: bit-exact against TensorFlow
Lite Micro on 20 random inputs each. The suite's own builds always; the real
reference files too when the extra set is given (``--models-dir``)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.cli import main
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..support.mlperf_tiny import MlperfModel

EXPECTED_KERNELS = {
    "ad01": {"arm_fully_connected_s8"},
    "kws01": {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8", "arm_convolve_1x1_s8_fast",
              "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
    "ic01": {"arm_convolve_s8", "arm_convolve_1x1_s8", "arm_elementwise_add_s8",
             "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
    "vww01": {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8", "arm_convolve_1x1_s8_fast",
              "arm_avgpool_s8", "arm_reshape_s8", "arm_fully_connected_s8", "arm_softmax_s8"},
}


def test_mlperf_model_exact_on_20_inputs(mlperf: MlperfModel) -> None:
    model = load(mlperf.data)
    tflm = TflmRunner(mlperf.data)
    rng = np.random.default_rng(2024)
    for sample in range(20):
        x = random_inputs(model.graph, rng)
        ours = model.run(x)
        ref = tflm.run(x, len(model.outputs))
        for o, r in zip(ours, ref):
            np.testing.assert_array_equal(o, r, err_msg=f"{mlperf.id}, sample {sample}")


def test_mlperf_model_dispatches_like_cmsis_nn(mlperf: MlperfModel) -> None:
    model = load(mlperf.data)
    assert {c.reached for c in model.plan.calls} == EXPECTED_KERNELS[mlperf.arch]


@pytest.mark.mlperf("kws01")
def test_intermediates_equal_tflm_layer_by_layer(mlperf: MlperfModel) -> None:
    model = load(mlperf.data)
    x = random_inputs(model.graph, np.random.default_rng(5))
    result = model.run(x, intermediates=True)
    tflm = TflmRunner(mlperf.data, preserve=True)
    tflm.run(x, 1)
    for call in model.plan.calls:
        for i in call.outputs:
            np.testing.assert_array_equal(result.tensors[i], tflm.tensor(i).reshape(result.tensors[i].shape), err_msg=call.op.opcode)


@pytest.mark.mlperf("ic01")
def test_runs_repeat_without_state(mlperf: MlperfModel) -> None:
    model = load(mlperf.data)
    rng = np.random.default_rng(9)
    a, b = random_inputs(model.graph, rng), random_inputs(model.graph, rng)
    first = model.run(a)[0]
    model.run(b)
    np.testing.assert_array_equal(model.run(a)[0], first)


def test_every_extra_model_is_exact_or_refused(extra_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every file of the extra set: `verify --target host` says bit-exact (0)
    or refuses it with its reasons (2); never a mismatch (1) or a crash."""
    code = main(["verify", str(extra_model), "--samples", "3"])
    out = capsys.readouterr()
    assert code in (0, 2), out.out + out.err
    if code == 2:
        assert out.err.strip(), "a refusal must say why"
