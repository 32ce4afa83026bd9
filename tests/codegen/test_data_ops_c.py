"""Generated C of the data-movement kernels (``pycmsisnn_data_ops.h``, and
PACK / SLICE through concatenation and strided slice) compiled on the host
and run against the host runtime and TensorFlow Lite Micro: one multi-
configuration model per kernel and element type (see
``tests/lower/data_ops_models``), and ZEROS_LIKE through an edited model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import keras_index
from tests.support.tflm import run_tflm

from ..lower.data_ops_models import GROUPS, Group, model, random_data
from ..lower.test_data_ops import zeros_like_model
from .host import build_host_model, output_specs

# One group per kernel and element type (and both multi-output kernels' types).
CHOSEN = ["nearest-align0-half1-s8", "nearest-align1-half0-s16", "bilinear-align0-half1-s8", "bilinear-align1-half0-s8",
          "split-s8", "split-v-s16", "unpack-s16", "pack-s8", "slice-s16", "gather-s8", "gather-nd-s8", "depth-to-space-s8",
          "space-to-depth-s8", "batch-to-space-s8", "space-to-batch-s8", "mirror-pad-s8", "broadcast-to-s16"]
CASES = [g for g in GROUPS if g.id in CHOSEN]
TARGETS = ["cortex-m4", "cortex-m0", "cortex-m55"]


def data_ops_models() -> list[bytes]:
    """The models compiled here (for the emitter coverage test)."""
    return [model(g) for g in CASES] + [zeros_like_model()]


def test_every_chosen_group_exists() -> None:
    assert sorted(g.id for g in CASES) == sorted(CHOSEN)


def _check(data: bytes, xs_keras: list[np.ndarray], tmp_path: Path, host_kernels: Path, target: str) -> None:
    m = load(data)
    host = build_host_model(m, tmp_path, host_kernels, target=target)
    xs = [xs_keras[keras_index(t)] for t in m.inputs] if len(xs_keras) > 1 else xs_keras
    ours, _ = host.run(xs, output_specs(m.plan), tmp_path / "run")
    expected = m.run(xs)
    reference = run_tflm(data, xs_keras)
    assert len(ours) == len(expected) == len(reference)
    for k, (c, e, r) in enumerate(zip(ours, expected, reference)):
        np.testing.assert_array_equal(c, e, err_msg=f"C vs host runtime, output {k}")
        np.testing.assert_array_equal(c, np.asarray(r).reshape(c.shape), err_msg=f"C vs TFLite Micro, output {k}")


@pytest.mark.parametrize("group", CASES, ids=[g.id for g in CASES])
def test_group_in_c_is_exact(group: Group, tmp_path: Path, host_kernels: Path) -> None:
    rng = np.random.default_rng(len(group.id))
    xs = [random_data(rng, shape, group.int16) for _, shape, _ in group.configs]
    _check(model(group), xs, tmp_path, host_kernels, TARGETS[len(group.id) % len(TARGETS)])


def test_zeros_like_in_c(tmp_path: Path, host_kernels: Path) -> None:
    data = zeros_like_model()
    assert [c.kernel for c in load(data).plan.calls] == ["pycmsisnn_fill_s8"]
    _check(data, [random_data(np.random.default_rng(3), (1, 4, 5, 3), False)], tmp_path, host_kernels, "cortex-m4")
