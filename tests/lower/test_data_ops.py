"""The data-movement operators of ``pycmsisnn_data_ops.h`` (and PACK and
SLICE, lowered to concatenation and strided slice) run whole through
``pycmsisnn.runtime`` against TensorFlow Lite Micro, group by group (see
``data_ops_models``), in int8 and, where TensorFlow Lite Micro runs them,
in 16x8."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import keras_index
from tests.support.tflm import run_tflm

from .data_ops_models import GROUPS, Group, model, random_data

# The kernel every operator reaches.
KERNELS = {
    "RESIZE_NEAREST_NEIGHBOR": "pycmsisnn_remap", "RESIZE_BILINEAR": "pycmsisnn_resize_bilinear", "SPLIT": "pycmsisnn_split",
    "SPLIT_V": "pycmsisnn_split", "UNPACK": "pycmsisnn_split", "PACK": "concatenation", "SLICE": "pycmsisnn_strided_slice",
    "GATHER": "pycmsisnn_gather", "GATHER_ND": "pycmsisnn_gather", "DEPTH_TO_SPACE": "pycmsisnn_depth_to_space",
    "SPACE_TO_DEPTH": "pycmsisnn_space_to_depth", "BATCH_TO_SPACE_ND": "pycmsisnn_batch_to_space",
    "SPACE_TO_BATCH_ND": "pycmsisnn_space_to_batch", "MIRROR_PAD": "pycmsisnn_remap", "BROADCAST_TO": "pycmsisnn_remap",
}


def test_at_least_200_configurations() -> None:
    assert sum(len(g.configs) for g in GROUPS) >= 200


@pytest.mark.parametrize("group", GROUPS, ids=[g.id for g in GROUPS])
def test_group_matches_tflm(group: Group) -> None:
    data = model(group)
    m = load(data)
    suffix = "s16" if group.int16 else "s8"
    reached = [(c.op.opcode, c.kernel) for c in m.plan.calls]
    mine = [k for code, k in reached if code == group.opcode]
    assert len(mine) >= len(group.configs), reached
    assert set(mine) == {f"{KERNELS[group.opcode]}_{suffix}"}, reached
    rng = np.random.default_rng(len(group.id) * 7 + len(group.configs))
    shapes = [shape for _, shape, _ in group.configs]
    for sample in range(2):
        xs = [random_data(rng, s, group.int16) for s in shapes]
        got = m.run([xs[keras_index(t)] for t in m.inputs])
        expected = run_tflm(data, xs)
        assert len(got) == len(expected) == len(m.outputs)
        for k, (g, e) in enumerate(zip(got, expected)):
            assert g.dtype == e.dtype and g.shape == e.shape, (k, g.shape, e.shape)
            np.testing.assert_array_equal(g, e, err_msg=f"{group.id}: output {k} ({m.outputs[k].name}), sample {sample}")
