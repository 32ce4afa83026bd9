"""arm_batch_matmul_s8 against TFLite Micro's BATCH_MATMUL, and against numpy.

The models are a Keras Lambda computing ``tf.matmul`` of the two inputs
(transpose flags included), which the converter turns into one int8
BATCH_MATMUL with the adj_x/adj_y options; the wrapper takes the TFLite-layout
tensors and the flags as they are in the model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels.fully_connected import arm_batch_matmul_s8
from pycmsisnn.params import Activation, BmmParams, FcParams, PerTensorQuant
from tests.support.model_view import OpView, TensorView, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm


@dataclass(frozen=True)
class BmmConfig:
    lhs: tuple[int, ...]  # Keras input shapes, batch first
    rhs: tuple[int, ...]
    adj_x: bool = False
    adj_y: bool = False
    ranges: tuple[tuple[float, float], tuple[float, float]] = ((-1.0, 1.0), (-1.0, 1.0))
    seed: int = 0

    @property
    def key(self) -> str:
        return f"bmm|lhs={self.lhs}|rhs={self.rhs}|adj={self.adj_x},{self.adj_y}|ranges={self.ranges}|seed={self.seed}"


ZP_LOW, ZP_HIGH = (0.0, 4.0), (-4.0, 0.0)  # input zero points -128 and 127

CONFIGS = [
    BmmConfig((3, 4), (4, 5)),
    BmmConfig((2, 3, 4), (2, 4, 5)),
    BmmConfig((2, 4, 3), (2, 4, 5), adj_x=True),
    BmmConfig((2, 3, 4), (2, 5, 4), adj_y=True),
    BmmConfig((2, 4, 3), (2, 5, 4), adj_x=True, adj_y=True),
    BmmConfig((2, 3, 4), (4, 5)),
    BmmConfig((2, 3, 7), (1, 7, 5)),
    BmmConfig((1, 3, 4), (2, 4, 5)),
    BmmConfig((2, 2, 3, 4), (2, 2, 4, 5)),
    BmmConfig((2, 1, 3, 4), (1, 3, 4, 5)),
    BmmConfig((1, 2, 3, 7), (2, 1, 5, 7), adj_y=True),
    BmmConfig((2, 2, 5, 3), (2, 2, 5, 1), adj_x=True),
    BmmConfig((1, 5, 33), (1, 33, 10)),
    BmmConfig((3, 4), (2, 2, 4, 5)),
    BmmConfig((2, 3, 10), (2, 10, 3), ranges=(ZP_LOW, ZP_HIGH), seed=1),
    BmmConfig((2, 3, 10), (2, 10, 3), ranges=(ZP_HIGH, ZP_LOW), seed=2),
    BmmConfig((1, 7, 1), (1, 1, 3), ranges=((-1.0, 3.0), (-2.0, 0.5)), seed=3),
    BmmConfig((2, 4, 6), (2, 3, 6), adj_y=True, ranges=(ZP_LOW, ZP_LOW), seed=4),
]


def _model(cfg: BmmConfig) -> bytes:
    t = tf()

    def make(inputs: list) -> object:
        layer = t.keras.layers.Lambda(lambda xs: t.matmul(xs[0], xs[1], transpose_a=cfg.adj_x, transpose_b=cfg.adj_y))
        return layer([inputs[0], inputs[1]])

    return build_model(cfg.key, make, [cfg.lhs, cfg.rhs], seed=cfg.seed, input_range=list(cfg.ranges))


def _keras_index(t: TensorView) -> int:
    """Which Keras input (input_<i>) a model input tensor holds."""
    m = re.search(r"input_(\d+)", t.name)
    assert m is not None, t.name
    return int(m.group(1))


def _derive(op: OpView) -> tuple[BmmParams, PerTensorQuant]:
    lhs, rhs, out = op.inputs[0], op.inputs[1], op.outputs[0]
    assert lhs is not None and rhs is not None
    fc = FcParams(
        input_offset=quant.input_offset(lhs.zero_point),
        filter_offset=quant.input_offset(rhs.zero_point),
        output_offset=quant.output_offset(out.zero_point),
        activation=Activation(-128, 127),  # BATCH_MATMUL has no fused activation
    )
    params = BmmParams(adj_x=bool(op.options.adjX), adj_y=bool(op.options.adjY), fc_params=fc)
    return params, quant.batch_matmul_multiplier(lhs.scale, rhs.scale, out.scale)


@pytest.mark.parametrize("cfg", CONFIGS, ids=[c.key for c in CONFIGS])
def test_batch_matmul_matches_tflm(cfg: BmmConfig) -> None:
    model = _model(cfg)
    op = single_op(model, "BATCH_MATMUL")
    params, q = _derive(op)
    assert (params.adj_x, params.adj_y) == (cfg.adj_x, cfg.adj_y)
    # the op's lhs/rhs are the Keras inputs 0 and 1
    assert [_keras_index(op.inputs[0]), _keras_index(op.inputs[1])] == [0, 1]  # type: ignore[arg-type]

    rng = np.random.default_rng(cfg.seed + 50)
    lhs = rng.integers(-128, 128, size=cfg.lhs, dtype=np.int8)
    rhs = rng.integers(-128, 128, size=cfg.rhs, dtype=np.int8)
    (expected,) = run_tflm(model, [lhs, rhs])

    got = arm_batch_matmul_s8(params, q, lhs, rhs)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


# ------------------------------------------------------------- numpy checks


def _requantize(acc: np.ndarray, mult: int, shift: int) -> np.ndarray:
    """TFLite's MultiplyByQuantizedMultiplier on an int64 array (exact)."""
    v = acc.astype(object) * (1 << max(shift, 0))
    hi = np.array([(int(a) * mult + (1 << 30)) >> 31 for a in v.ravel()], dtype=np.int64).reshape(acc.shape)
    rs = max(-shift, 0)
    if rs:
        mask = (1 << rs) - 1
        rem = hi & mask
        thr = (mask >> 1) + (hi < 0)
        hi = (hi >> rs) + (rem > thr)
    return hi


@pytest.mark.parametrize(
    "lhs_shape,rhs_shape,adj_x,adj_y",
    [
        ((2, 1, 3, 4), (1, 5, 4, 6), False, False),
        ((1, 3, 3, 4), (4, 1, 6, 4), False, True),
        ((4, 2, 5), (2, 7), True, False),
        ((6, 5), (3, 1, 5, 2), False, False),
        ((3, 9, 2), (3, 4, 9), True, True),
    ],
)
def test_batch_matmul_against_numpy(lhs_shape: tuple, rhs_shape: tuple, adj_x: bool, adj_y: bool) -> None:
    """Broadcast patterns beyond what the converter builds, against numpy's matmul."""
    rng = np.random.default_rng(len(lhs_shape) * 10 + len(rhs_shape))
    lhs = rng.integers(-128, 128, size=lhs_shape, dtype=np.int8)
    rhs = rng.integers(-128, 128, size=rhs_shape, dtype=np.int8)
    fc = FcParams(input_offset=-7, filter_offset=128, output_offset=5, activation=Activation(-120, 100))
    q = PerTensorQuant(1518500250, -12)
    got = arm_batch_matmul_s8(BmmParams(adj_x, adj_y, fc), q, lhs, rhs)

    a = lhs.astype(np.int64) + fc.input_offset
    b = rhs.astype(np.int64) + fc.filter_offset
    a = np.swapaxes(a, -1, -2) if adj_x else a
    b = np.swapaxes(b, -1, -2) if adj_y else b
    acc = np.matmul(a, b)
    ref = np.clip(_requantize(acc, q.multiplier, q.shift) + fc.output_offset, -120, 100).astype(np.int8)
    assert got.shape == ref.shape
    np.testing.assert_array_equal(got, ref)


# ----------------------------------------------------------------- validation

FC = FcParams(input_offset=0, filter_offset=0, output_offset=0)
BMM = BmmParams(False, False, FC)
Q = PerTensorQuant(1 << 30, -8)
L = np.zeros((2, 3, 4), dtype=np.int8)
R = np.zeros((2, 4, 5), dtype=np.int8)


@pytest.mark.parametrize(
    "kwargs,argument",
    [
        ({"lhs": L.astype(np.int16)}, "lhs"),
        ({"lhs": np.zeros(4, dtype=np.int8)}, "lhs"),
        ({"lhs": np.zeros((1, 1, 2, 3, 4), dtype=np.int8)}, "lhs"),
        ({"rhs": R.astype(np.float32)}, "rhs"),
        ({"rhs": np.zeros((2, 5, 5), dtype=np.int8)}, "rhs"),
        ({"rhs": np.zeros((3, 4, 5), dtype=np.int8)}, "rhs"),
        ({"bmm_params": BmmParams(True, False, FC)}, "rhs"),
        ({"bmm_params": BmmParams(1, False, FC)}, "bmm_params.adj_x"),  # type: ignore[arg-type]
        ({"bmm_params": BmmParams(False, "no", FC)}, "bmm_params.adj_y"),  # type: ignore[arg-type]
        ({"bmm_params": BmmParams(False, False, FcParams(129, 0, 0))}, "bmm_params.fc_params.input_offset"),
        ({"bmm_params": BmmParams(False, False, FcParams(0, -128, 0))}, "bmm_params.fc_params.filter_offset"),
        ({"bmm_params": BmmParams(False, False, FcParams(0, 0, -129))}, "bmm_params.fc_params.output_offset"),
        ({"bmm_params": BmmParams(False, False, FcParams(0, 0, 0, Activation(5, 4)))}, "bmm_params.fc_params.activation"),
        ({"bmm_params": FC}, "bmm_params"),
        ({"quant_params": PerTensorQuant(1 << 30, 40)}, "quant_params.shift"),
        ({"quant_params": PerTensorQuant(2**31, 0)}, "quant_params.multiplier"),
    ],
)
def test_batch_matmul_rejects(kwargs: dict, argument: str) -> None:
    args = {"bmm_params": BMM, "quant_params": Q, "lhs": L, "rhs": R}
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"arm_batch_matmul_s8: {argument}"):
        arm_batch_matmul_s8(**args)
