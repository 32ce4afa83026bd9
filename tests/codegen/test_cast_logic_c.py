"""Generated C of every ``pycmsisnn_cast_logic.h`` kernel compiled on the host
and compared with the host runtime and TensorFlow Lite Micro: casts between
every element type of the C project (float32 NaN and out-of-range values,
int32 and bool tensors in the arena), reverse, run-time fill, dynamic update
slice with run-time and constant start indices, logical operators (a
constant bool operand in the constant pool), REDUCE_ALL, and the two chains
that mix them with quantised operators."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.runtime import load

from ..lower.cast_logic_models import CONFIGS, Config, inputs_for, run_tflm_inputs
from .host import build_host_model, output_specs

CHOSEN = [
    "cast-float32-int8-raw-2d", "cast-float32-int16-raw-1d", "cast-float32-int32-raw-0d", "cast-int32-bool-q-1d", "cast-bool-float32-q-5d",
    "cast-int16-int8-q-5d", "reverse-s8-2x3x4x5-axes0_1_2", "reverse-s16-4x5-axes-1", "fill-int8-2x3x2-dimsint32",
    "fill-int32-4x3-dimsint32", "update-slice-s8-5-2x2x3x2x3-runtime", "update-slice-s16-9-4x5-constint32",
    "update-slice-s8-10-4x5x3-constint64", "logical_and-1-2x1x3-4x1", "logical_or-4-2x3-3-const", "logical-not-1x2x2x2x3",
    "reduce-all-2x3x4x5-axes1_2-drop", "chain-compare-logic-cast", "chain-quantised",
]
CASES = [c for c in CONFIGS if c.id in CHOSEN]
TARGETS = ["cortex-m4", "cortex-m0", "cortex-m55"]


def cast_logic_models() -> list[bytes]:
    """The models compiled here (for the emitter coverage test)."""
    return [c.make().build() for c in CASES]


def test_every_chosen_config_exists() -> None:
    assert sorted(c.id for c in CASES) == sorted(CHOSEN)


@pytest.mark.parametrize("config", CASES, ids=[c.id for c in CASES])
def test_config_in_c_is_exact(config: Config, tmp_path: Path, host_kernels: Path) -> None:
    net = config.make()
    data = net.build()
    model = load(data)
    host = build_host_model(model, tmp_path, host_kernels, target=TARGETS[len(config.id) % len(TARGETS)])
    rng = np.random.default_rng(len(config.id))
    for sample in range(2):
        xs = inputs_for(config, net, rng)
        ours, _ = host.run(xs, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(xs)
        reference = run_tflm_inputs(data, xs)
        assert len(ours) == len(expected) == len(reference)
        for k, (c, e, r) in enumerate(zip(ours, expected, reference)):
            assert c.dtype == e.dtype == r.dtype
            np.testing.assert_array_equal(c, e, err_msg=f"{config.id}: C vs host runtime, output {k}, sample {sample}")
            np.testing.assert_array_equal(c, r.reshape(c.shape), err_msg=f"{config.id}: C vs TFLite Micro, output {k}, sample {sample}")
