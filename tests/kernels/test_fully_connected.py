"""Fully connected s8 kernels against TFLite Micro, plus vector sum against numpy.

Each configuration converts a one-layer Keras Dense model to int8 with TF's
converter, runs it through TFLite Micro, and runs the same op through
``arm_fully_connected_wrapper_s8`` with every parameter derived from the model
by ``pycmsisnn.quant``; the two outputs must be identical.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels import fully_connected as fc
from pycmsisnn.params import Activation, FcParams, PerChannelQuant, PerTensorQuant
from tests.support.model_view import OpView, single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm


@dataclass(frozen=True)
class FcConfig:
    shape: tuple[int, ...]  # Keras input shape, batch first: (batches, depth) or (1, T, depth)
    units: int
    activation: str | None = None  # None, "relu", "relu6"
    bias: bool = True
    per_channel: bool = True
    input_range: tuple[float, float] = (-1.0, 1.0)
    seed: int = 0

    @property
    def key(self) -> str:
        return (
            f"fc|shape={self.shape}|units={self.units}|act={self.activation}|bias={self.bias}"
            f"|pc={self.per_channel}|range={self.input_range}|seed={self.seed}"
        )


def _configs() -> list[FcConfig]:
    out: list[FcConfig] = []
    # every (quantisation, bias, activation) combination once
    shapes = [(1, 7), (3, 10), (1, 33), (3, 3), (1, 10), (3, 7)]
    units = [3, 7, 10, 33, 1, 5]
    ranges = [(-1.0, 1.0), (0.0, 4.0), (-4.0, 0.0), (-1.0, 3.0)]
    i = 0
    for per_channel in (True, False):
        for bias in (True, False):
            for act in (None, "relu", "relu6"):
                out.append(
                    FcConfig(shapes[i % len(shapes)], units[i % len(units)], act, bias, per_channel, ranges[i % len(ranges)], seed=i)
                )
                i += 1
    # depths and output counts not multiples of 4, batch 1 and 3
    acts = (None, "relu", "relu6")
    for a, depth in enumerate((1, 3, 7, 10, 33)):
        for b, n_out in enumerate((1, 3, 7, 10, 33)):
            out.append(
                FcConfig(
                    (3 if (a + b) % 2 else 1, depth),
                    n_out,
                    acts[(a + 2 * b) % 3],
                    bias=(a * 5 + b) % 4 != 3,
                    per_channel=(a + b) % 3 != 0,
                    input_range=ranges[(a * 3 + b) % len(ranges)],
                    seed=depth * 40 + n_out,
                )
            )
    # input zero points at both ends
    for rng_, pc in (((0.0, 4.0), True), ((0.0, 4.0), False), ((-4.0, 0.0), True), ((-4.0, 0.0), False)):
        out.append(FcConfig((3, 10), 7, "relu6", True, pc, rng_, seed=7))
        out.append(FcConfig((1, 33), 3, None, False, pc, rng_, seed=8))
    # 3-D input [1, T, depth] (the converter keeps the dims)
    for shape, units_, pc, bias, act in (
        ((1, 4, 7), 5, True, True, None),
        ((1, 3, 10), 3, False, True, "relu"),
        ((1, 5, 33), 10, True, False, "relu6"),
        ((1, 2, 3), 7, False, False, None),
        ((1, 6, 1), 4, True, True, None),
    ):
        out.append(FcConfig(shape, units_, act, bias, pc, (-2.0, 1.0), seed=11))
    return out


CONFIGS = _configs()


def _model(cfg: FcConfig) -> bytes:
    t = tf()

    def make(inputs: list) -> object:
        layer = t.keras.layers.Dense(
            cfg.units,
            activation=cfg.activation,
            use_bias=cfg.bias,
            bias_initializer=random_bias_initializer() if cfg.bias else "zeros",
        )
        return layer(inputs[0])

    return build_model(cfg.key, make, [cfg.shape], seed=cfg.seed, per_channel_dense=cfg.per_channel, input_range=cfg.input_range)


def _derive(op: OpView) -> tuple[FcParams, PerTensorQuant | PerChannelQuant, np.ndarray, np.ndarray | None]:
    """Kernel parameters, filter and bias of a FULLY_CONNECTED op, from the model."""
    x, w = op.inputs[0], op.inputs[1]
    b = op.inputs[2] if len(op.inputs) > 2 else None
    y = op.outputs[0]
    assert x is not None and w is not None and w.data is not None
    units = w.shape[0]
    params = FcParams(
        input_offset=quant.input_offset(x.zero_point),
        filter_offset=quant.input_offset(w.zero_point),
        output_offset=quant.output_offset(y.zero_point),
        activation=quant.activation_range(op.options.fusedActivationFunction, y.scale, y.zero_point),
    )
    q: PerTensorQuant | PerChannelQuant
    if len(w.scales) > 1:
        q = quant.per_channel_multipliers(x.scale, list(w.scales), y.scale, units)
    else:
        q = quant.fc_multiplier(x.scale, w.scale, y.scale)
    bias = None if b is None else np.asarray(b.data, dtype=np.int32)
    return params, q, np.asarray(w.data), bias


@pytest.mark.parametrize("cfg", CONFIGS, ids=[c.key for c in CONFIGS])
def test_fully_connected_matches_tflm(cfg: FcConfig) -> None:
    model = _model(cfg)
    op = single_op(model, "FULLY_CONNECTED")
    params, q, weights, bias = _derive(op)
    assert (len(op.inputs) > 2 and op.inputs[2] is not None) == cfg.bias
    # one output feature has one scale, whatever the quantisation mode
    assert isinstance(q, PerChannelQuant) == (cfg.per_channel and cfg.units > 1)

    rng = np.random.default_rng(cfg.seed + 100)
    x = rng.integers(-128, 128, size=cfg.shape, dtype=np.int8)
    (expected,) = run_tflm(model, [x])

    depth = cfg.shape[-1]
    got = fc.arm_fully_connected_wrapper_s8(params, q, x.reshape(-1, depth), weights, bias)
    np.testing.assert_array_equal(got.reshape(expected.shape), expected)

    # the wrapper's choice, and the chosen kernel called directly
    variant = fc.arm_fully_connected_wrapper_s8_variant(params, q, x.reshape(-1, depth).shape, weights.shape)
    if isinstance(q, PerChannelQuant):
        assert variant == "arm_fully_connected_per_channel_s8"
        direct = fc.arm_fully_connected_per_channel_s8(params, q, x.reshape(-1, depth), weights, bias)
    else:
        assert variant == "arm_fully_connected_s8"
        direct = fc.arm_fully_connected_s8(params, q, x.reshape(-1, depth), weights, bias)
        # a per-tensor filter through the per-channel kernel, its scale repeated
        pc = quant.per_channel_multipliers(op.inputs[0].scale, [op.inputs[1].scale], op.outputs[0].scale, weights.shape[0])
        np.testing.assert_array_equal(fc.arm_fully_connected_per_channel_s8(params, pc, x.reshape(-1, depth), weights, bias), got)
    np.testing.assert_array_equal(direct, got)


def test_enough_tflm_configurations() -> None:
    assert len(CONFIGS) >= 40


# ------------------------------------------------------------- numpy checks


def _reference_fc(p: FcParams, mult: np.ndarray, shift: np.ndarray, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    """Independent numpy transcription of the per-channel FC arithmetic."""
    acc = (x.astype(np.int64) + p.input_offset) @ (w.astype(np.int64) + p.filter_offset).T
    if b is not None:
        acc = acc + b
    out = np.empty(acc.shape, dtype=np.int64)
    for o in range(acc.shape[1]):
        for r in range(acc.shape[0]):
            v = int(acc[r, o]) << max(int(shift[o]), 0)
            prod = v * int(mult[o])
            hi = (prod + (1 << 30)) >> 31
            rs = max(-int(shift[o]), 0)
            if rs:
                mask = (1 << rs) - 1
                rem = hi & mask
                thr = (mask >> 1) + (1 if hi < 0 else 0)
                hi = (hi >> rs) + (1 if rem > thr else 0)
            out[r, o] = min(max(hi + p.output_offset, p.activation.min), p.activation.max)
    return out.astype(np.int8)


def test_filter_offset_and_shifts_against_numpy() -> None:
    """Non-zero filter offsets and left shifts, which the converter never produces."""
    rng = np.random.default_rng(5)
    x = rng.integers(-128, 128, size=(4, 9), dtype=np.int8)
    w = rng.integers(-128, 128, size=(6, 9), dtype=np.int8)
    b = rng.integers(-5000, 5000, size=6, dtype=np.int32)
    p = FcParams(input_offset=-127, filter_offset=128, output_offset=-3, activation=Activation(-100, 90))
    mult = rng.integers(1 << 30, (1 << 31) - 1, size=6).astype(np.int32)
    shift = np.array([-12, -20, 1, -31, 0, -15], dtype=np.int32)
    got = fc.arm_fully_connected_per_channel_s8(p, PerChannelQuant(tuple(mult), tuple(shift)), x, w, b)
    np.testing.assert_array_equal(got, _reference_fc(p, mult, shift, x, w, b))
    got_t = fc.arm_fully_connected_s8(p, PerTensorQuant(int(mult[0]), -14), x, w, None)
    ref_t = _reference_fc(p, np.full(6, mult[0]), np.full(6, -14), x, w, None)
    np.testing.assert_array_equal(got_t, ref_t)


def test_buffer_sizes() -> None:
    assert fc.arm_fully_connected_s8_get_buffer_size((10, 33)) == 0
    assert fc.arm_fully_connected_s8_get_buffer_size_dsp((10, 33)) == 0
    assert fc.arm_fully_connected_s8_get_buffer_size_mve((10, 33)) == 40
    assert fc.arm_fully_connected_s8_get_buffer_size_mve((7, 3)) == 28


@pytest.mark.parametrize("rows,cols", [(1, 1), (3, 7), (10, 33), (5, 64)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_vector_sum_against_numpy(rows: int, cols: int, with_bias: bool) -> None:
    rng = np.random.default_rng(rows * 100 + cols)
    data = rng.integers(-128, 128, size=(rows, cols), dtype=np.int8)
    bias = rng.integers(-100000, 100000, size=rows, dtype=np.int32) if with_bias else None
    for lhs_offset, rhs_offset in ((1, 0), (-127, 128), (128, -127), (5, 3), (0, 17)):
        got = fc.arm_vector_sum_s8(data, lhs_offset, rhs_offset, bias)
        ref = lhs_offset * (data.astype(np.int64) + rhs_offset).sum(axis=1)
        if bias is not None:
            ref = ref + bias
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, ref.astype(np.int32))


# ----------------------------------------------------------------- validation

P = FcParams(input_offset=1, filter_offset=0, output_offset=-3)
PT = PerTensorQuant(1 << 30, -8)
X = np.zeros((2, 5), dtype=np.int8)
W = np.zeros((3, 5), dtype=np.int8)
B = np.zeros(3, dtype=np.int32)


@pytest.mark.parametrize(
    "kwargs,argument",
    [
        ({"input": X.astype(np.int16)}, "input"),
        ({"input": X.reshape(1, 2, 5)}, "input"),
        ({"input": [[0] * 5]}, "input"),
        ({"filter": W.astype(np.uint8)}, "filter"),
        ({"filter": np.zeros((3, 4), dtype=np.int8)}, "filter"),
        ({"filter": W.reshape(3, 5, 1)}, "filter"),
        ({"bias": np.zeros(4, dtype=np.int32)}, "bias"),
        ({"bias": B.astype(np.int64)}, "bias"),
        ({"fc_params": FcParams(129, 0, 0)}, "fc_params.input_offset"),
        ({"fc_params": FcParams(-128, 0, 0)}, "fc_params.input_offset"),
        ({"fc_params": FcParams(0, 200, 0)}, "fc_params.filter_offset"),
        ({"fc_params": FcParams(0, 0, 128)}, "fc_params.output_offset"),
        ({"fc_params": FcParams(0, 0, 0, Activation(10, -10))}, "fc_params.activation"),
        ({"fc_params": FcParams(0, 0, 0, Activation(-129, 0))}, "fc_params.activation.min"),
        ({"fc_params": "params"}, "fc_params"),
        ({"quant_params": PerTensorQuant(-1, 0)}, "quant_params.multiplier"),
        ({"quant_params": PerTensorQuant(1 << 30, 31)}, "quant_params.shift"),
        ({"quant_params": PerTensorQuant(1 << 30, -32)}, "quant_params.shift"),
        ({"quant_params": (1 << 30, 0)}, "quant_params"),
    ],
)
def test_per_tensor_rejects(kwargs: dict, argument: str) -> None:
    args = {"fc_params": P, "quant_params": PT, "input": X, "filter": W, "bias": B}
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"arm_fully_connected_s8: {argument}"):
        fc.arm_fully_connected_s8(**args)
    with pytest.raises(ValueError, match=f"arm_fully_connected_wrapper_s8: {argument}"):
        fc.arm_fully_connected_wrapper_s8(**args)


@pytest.mark.parametrize(
    "quant_params,argument",
    [
        (PerChannelQuant((1 << 30,) * 2, (0,) * 2), "quant_params"),
        (PerChannelQuant((1 << 30,) * 3, (0, 0)), "quant_params"),
        (PerChannelQuant((1 << 30, 1 << 30, -5), (0, 0, 0)), r"quant_params.multiplier\[2\]"),
        (PerChannelQuant((1 << 30,) * 3, (0, 31, 0)), r"quant_params.shift\[1\]"),
        (PerTensorQuant(1 << 30, 0), "quant_params"),
    ],
)
def test_per_channel_rejects(quant_params: object, argument: str) -> None:
    with pytest.raises(ValueError, match=f"arm_fully_connected_per_channel_s8: {argument}"):
        fc.arm_fully_connected_per_channel_s8(P, quant_params, X, W, B)  # type: ignore[arg-type]
    if isinstance(quant_params, PerChannelQuant):
        with pytest.raises(ValueError, match=f"arm_fully_connected_wrapper_s8: {argument}"):
            fc.arm_fully_connected_wrapper_s8(P, quant_params, X, W, B)


def test_wrapper_and_variant_reject_unknown_quant() -> None:
    with pytest.raises(ValueError, match="arm_fully_connected_wrapper_s8: quant_params"):
        fc.arm_fully_connected_wrapper_s8(P, [1 << 30], X, W, B)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="arm_fully_connected_wrapper_s8_variant: quant_params"):
        fc.arm_fully_connected_wrapper_s8_variant(P, None)  # type: ignore[arg-type]


def test_wrapper_variant_names() -> None:
    assert fc.arm_fully_connected_wrapper_s8_variant(P, PT) == "arm_fully_connected_s8"
    pc = PerChannelQuant((1 << 30,) * 3, (0,) * 3)
    assert fc.arm_fully_connected_wrapper_s8_variant(P, pc, (2, 5), (3, 5)) == "arm_fully_connected_per_channel_s8"


@pytest.mark.parametrize("shape", [(3,), (3, 0), (3, 5, 1), (0, 5), ("3", 5), (3, 40000)])
def test_buffer_size_rejects_bad_filter_shape(shape: tuple) -> None:
    for f in (
        fc.arm_fully_connected_s8_get_buffer_size,
        fc.arm_fully_connected_s8_get_buffer_size_dsp,
        fc.arm_fully_connected_s8_get_buffer_size_mve,
    ):
        with pytest.raises(ValueError, match="filter_shape"):
            f(shape)


@pytest.mark.parametrize(
    "kwargs,argument",
    [
        ({"vector_data": np.zeros((2, 3), dtype=np.int16)}, "vector_data"),
        ({"vector_data": np.zeros(6, dtype=np.int8)}, "vector_data"),
        ({"lhs_offset": 129}, "lhs_offset"),
        ({"lhs_offset": 1.0}, "lhs_offset"),
        ({"rhs_offset": -128}, "rhs_offset"),
        ({"bias_data": np.zeros(3, dtype=np.int32)}, "bias_data"),
        ({"bias_data": np.zeros(2, dtype=np.int8)}, "bias_data"),
    ],
)
def test_vector_sum_rejects(kwargs: dict, argument: str) -> None:
    args = {"vector_data": np.zeros((2, 3), dtype=np.int8), "lhs_offset": 1, "rhs_offset": 0, "bias_data": None}
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"arm_vector_sum_s8: {argument}"):
        fc.arm_vector_sum_s8(**args)
