"""Models whose shape arithmetic is folded at load time, generated as C,
built for the host and compared with TensorFlow Lite Micro: the folded
operators emit nothing, the constants they left are read where needed."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.samples import random_inputs
from tests.lower.test_folding import _model

from .host import build_host_model, output_specs


@pytest.mark.parametrize("name", ["reshape_unstack", "keras_autoencoder"])
def test_folded_model_in_c_is_exact(name: str, tmp_path: Path, host_kernels: Path) -> None:
    data = _model(name)
    model = load(data)
    assert model.graph.folded
    host = build_host_model(model, tmp_path, host_kernels)
    assert not {"SHAPE", "PACK", "UNPACK"} & {c.op.opcode for c in model.plan.calls}  # folded: no layer of theirs
    tflm = TflmRunner(data)
    rng = np.random.default_rng(7)
    for sample in range(3):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        for c, r in zip(ours, tflm.run(x, len(ours))):
            np.testing.assert_array_equal(c, r.reshape(c.shape))
