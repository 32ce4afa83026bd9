"""Generated C, compiled for the host, against the host runtime and TensorFlow
Lite Micro: the four MLPerf Tiny models, the bundled default model and a
dozen generated networks, bit for bit."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.cores import CORES as KNOWN_CORES
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..models.test_generated import BLOCKS, BLOCKS_V2, network
from ..support import mlperf_tiny
from ..support.mlperf_tiny import MlperfModel
from ..support.tflite_build import build_model
from .host import build_host_model, output_specs

# The core each MLPerf Tiny network's project is generated for.
MLPERF_CORE = {"ad01": "cortex-m0", "kws01": "cortex-m4", "ic01": "cortex-m7", "vww01": "cortex-m55"}
SAMPLES = 3


def _check(data: bytes, root: Path, kernels: Path, target: str, seed: int, *, tflm: bool, name: str = "model", strategy: str | None = None) -> None:
    model = load(data)
    host = build_host_model(model, root, kernels, name=name, target=target, strategy=strategy)
    ref = TflmRunner(data) if tflm else None
    rng = np.random.default_rng(seed)
    for sample in range(SAMPLES):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), root / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        for k, (c, e) in enumerate(zip(ours, expected)):
            np.testing.assert_array_equal(c, e, err_msg=f"generated C vs host runtime, output {k}, sample {sample}")
        if ref is not None:
            for k, (c, r) in enumerate(zip(ours, ref.run(x, len(model.outputs)))):
                np.testing.assert_array_equal(c, r.reshape(c.shape), err_msg=f"generated C vs TFLite Micro, output {k}, sample {sample}")


def test_mlperf_model_in_c_is_exact(mlperf: MlperfModel, tmp_path: Path, host_kernels: Path) -> None:
    _check(mlperf.data, tmp_path, host_kernels, MLPERF_CORE[mlperf.arch], seed=7, tflm=True)


def test_linear_plan_in_c_is_exact(tmp_path: Path, host_kernels: Path) -> None:
    """The baseline plan (no reuse, RESHAPE copied) gives the same results."""
    _check(mlperf_tiny.built("kws01"), tmp_path, host_kernels, "cortex-m4", seed=8, tflm=False, strategy="linear")


def test_default_model_in_c_is_exact(tmp_path: Path, host_kernels: Path) -> None:
    data = resources.files("pycmsisnn").joinpath("data", "default_model.tflite").read_bytes()
    _check(data, tmp_path, host_kernels, "cortex-m3", seed=3, tflm=True, name="default_model")


# (model cache key prefix, blocks, seed): v1 networks (convolutions, pooling,
# residual ADD, MUL, MIN/MAX, transpose conv) and v2 networks (plus
# activations, concatenation, padding, MEAN + broadcast MUL, strided slice).
GENERATED = [("generated-network-v1", BLOCKS, s) for s in range(6)] + [("generated-network-v2", BLOCKS_V2, s) for s in range(100, 124)]
GENERATED_TARGETS = list(KNOWN_CORES)


def generated_model(prefix: str, blocks: list, seed: int) -> bytes:
    make, shape = network(seed, blocks)
    return build_model(f"{prefix}-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0))


@pytest.mark.parametrize("prefix,blocks,seed", GENERATED, ids=[f"{p[-2:]}-{s}" for p, _, s in GENERATED])
def test_generated_network_in_c_is_exact(prefix: str, blocks: list, seed: int, tmp_path: Path, host_kernels: Path) -> None:
    _check(generated_model(prefix, blocks, seed), tmp_path, host_kernels, GENERATED_TARGETS[seed % len(GENERATED_TARGETS)], seed=seed, tflm=False)
