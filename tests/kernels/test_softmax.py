"""Softmax kernels against TFLite Micro's int8 SOFTMAX.

Models are a Keras Softmax layer on the input, converted to int8 (beta 1).
The converter has no way to emit another beta (``softmax(x * beta)`` becomes
MUL + SOFTMAX) nor an int16 softmax output from int8 input, so two rewrites of
the converted flatbuffer (schema object API, repacked with flatbuffers) give
them: the SOFTMAX option ``beta`` is set to another value, and for
``arm_softmax_s8_s16`` the output tensor becomes INT16 with scale 1/65536 and
zero point -32768, a combination TFLite Micro's reference softmax runs.
Parameters always come from the model via ``quant.softmax_params``.
"""
from __future__ import annotations

from dataclasses import dataclass

import flatbuffers
import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.kernels.softmax import arm_softmax_s8, arm_softmax_s8_s16, arm_softmax_u8
from pycmsisnn.params import SoftmaxParams
from tests.support.model_view import schema, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm


@dataclass(frozen=True)
class SoftmaxConfig:
    shape: tuple[int, ...]  # Keras input shape, batch first; softmax over the last axis
    input_range: tuple[float, float] = (-1.0, 1.0)
    beta: float = 1.0
    int16_out: bool = False
    seed: int = 0

    @property
    def key(self) -> str:
        return f"softmax|shape={self.shape}|range={self.input_range}|seed={self.seed}"

    @property
    def id(self) -> str:
        return f"{self.key}|beta={self.beta}|s16={self.int16_out}"


R1, R4, R8P, R8N, R20, R40, R100 = (-1.0, 1.0), (-4.0, 4.0), (0.0, 8.0), (-8.0, 0.0), (-20.0, 20.0), (-40.0, 40.0), (-100.0, 100.0)

CONFIGS_S8 = [
    SoftmaxConfig((1, 10)),
    SoftmaxConfig((3, 7), R4),
    SoftmaxConfig((2, 33), R8P),
    SoftmaxConfig((4, 16), R8N),
    SoftmaxConfig((3, 1), R4),
    SoftmaxConfig((5, 12), R20),
    SoftmaxConfig((3, 9), R40),
    SoftmaxConfig((4, 6), R100),
    SoftmaxConfig((1, 2, 3, 5), R1),
    SoftmaxConfig((2, 2, 2, 16), R4),
    SoftmaxConfig((1, 3, 4, 8), R20),
    SoftmaxConfig((1, 1, 2, 100), (-2.0, 6.0)),
    SoftmaxConfig((2, 3, 1, 7), R40),
    # other betas (rewritten into the SOFTMAX options)
    SoftmaxConfig((3, 7), R4, beta=0.5),
    SoftmaxConfig((3, 7), R4, beta=2.0),
    SoftmaxConfig((5, 12), R20, beta=1.7),
    SoftmaxConfig((5, 12), R20, beta=0.25),
    SoftmaxConfig((1, 2, 3, 5), R1, beta=3.0),
    SoftmaxConfig((4, 6), R100, beta=0.1),
    SoftmaxConfig((2, 2, 2, 16), R8P, beta=1.3),
]

CONFIGS_S16 = [
    SoftmaxConfig((1, 10), int16_out=True),
    SoftmaxConfig((3, 7), R4, int16_out=True),
    SoftmaxConfig((2, 33), R8P, int16_out=True),
    SoftmaxConfig((5, 12), R20, int16_out=True),
    SoftmaxConfig((3, 9), R40, int16_out=True),
    SoftmaxConfig((3, 1), R4, int16_out=True),
    SoftmaxConfig((1, 2, 3, 5), R1, beta=2.0, int16_out=True),
    SoftmaxConfig((2, 2, 2, 16), R4, beta=0.5, int16_out=True),
    SoftmaxConfig((1, 1, 2, 100), (-2.0, 6.0), int16_out=True),
    SoftmaxConfig((4, 6), R100, beta=1.7, int16_out=True),
]

# configurations whose inputs must include elements below diff_min
BELOW_DIFF_MIN = {c.id for c in CONFIGS_S8 + CONFIGS_S16 if c.input_range in (R20, R40, R100) and c.beta >= 1.0}


def _rewrite(model: bytes, edit) -> bytes:  # noqa: ANN001
    """``model`` with ``edit(ModelT)`` applied, repacked as a TFLite flatbuffer."""
    m = schema().ModelT.InitFromPackedBuf(model, 0)
    edit(m)
    builder = flatbuffers.Builder(4096)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _set_beta(beta: float):  # noqa: ANN202
    def edit(m) -> None:  # noqa: ANN001
        s = schema()
        sg = m.subgraphs[0]
        for op in sg.operators:
            if m.operatorCodes[op.opcodeIndex].builtinCode == s.BuiltinOperator.SOFTMAX:
                op.builtinOptions.beta = float(beta)

    return edit


def _int16_output(m) -> None:  # noqa: ANN001
    s = schema()
    sg = m.subgraphs[0]
    t = sg.tensors[sg.outputs[0]]
    t.type = s.TensorType.INT16
    t.quantization.scale = [1.0 / 65536.0]
    t.quantization.zeroPoint = [-32768]


def _model(cfg: SoftmaxConfig) -> bytes:
    t = tf()
    model = build_model(cfg.key, lambda inputs: t.keras.layers.Softmax()(inputs[0]), [cfg.shape], seed=cfg.seed, input_range=cfg.input_range)
    if cfg.beta != 1.0:
        model = _rewrite(model, _set_beta(cfg.beta))
    if cfg.int16_out:
        model = _rewrite(model, _int16_output)
    return model


def _inputs(cfg: SoftmaxConfig) -> np.ndarray:
    """Random int8 data, with a few rows of extremes (constant, +-saturated)."""
    rng = np.random.default_rng(cfg.seed + 7)
    x = rng.integers(-128, 128, size=cfg.shape, dtype=np.int8)
    rows = x.reshape(-1, cfg.shape[-1])
    if rows.shape[0] >= 3:
        rows[0, :] = 17
        rows[1, ::2] = -128
        rows[1, 1::2] = 127
    return x


def _run(cfg: SoftmaxConfig) -> None:
    model = _model(cfg)
    op = single_op(model, "SOFTMAX")
    x_t, y_t = op.inputs[0], op.outputs[0]
    assert x_t is not None
    assert op.options.beta == pytest.approx(cfg.beta)
    if cfg.int16_out:
        assert y_t.dtype is np.int16 and y_t.zero_point == -32768
    else:
        assert y_t.zero_point == -128 and y_t.scale == np.float32(1 / 256)
    params = quant.softmax_params(x_t.scale, op.options.beta)

    x = _inputs(cfg)
    (expected,) = run_tflm(model, [x])
    got = (arm_softmax_s8_s16 if cfg.int16_out else arm_softmax_s8)(x, params)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)

    if cfg.id in BELOW_DIFF_MIN:
        rows = x.reshape(-1, x.shape[-1]).astype(np.int32)
        diffs = rows - rows.max(axis=1, keepdims=True)
        assert (diffs < params.diff_min).any(), "the configuration never exercises diff_min"
        minimum = np.iinfo(got.dtype).min
        assert (got.reshape(rows.shape)[diffs < params.diff_min] == minimum).all()


@pytest.mark.parametrize("cfg", CONFIGS_S8, ids=[c.id for c in CONFIGS_S8])
def test_softmax_s8_matches_tflm(cfg: SoftmaxConfig) -> None:
    _run(cfg)


@pytest.mark.parametrize("cfg", CONFIGS_S16, ids=[c.id for c in CONFIGS_S16])
def test_softmax_s8_s16_matches_tflm(cfg: SoftmaxConfig) -> None:
    _run(cfg)


def _uint8_io(m) -> None:  # noqa: ANN001
    """The legacy uint8 scheme: the same model with uint8 input (zero point + 128) and output (1/256, zero point 0)."""
    s = schema()
    sg = m.subgraphs[0]
    x, y = sg.tensors[sg.inputs[0]], sg.tensors[sg.outputs[0]]
    x.type, y.type = s.TensorType.UINT8, s.TensorType.UINT8
    x.quantization.zeroPoint = [int(x.quantization.zeroPoint[0]) + 128]
    y.quantization.zeroPoint = [0]


@pytest.mark.parametrize("cfg", CONFIGS_S8[:12], ids=[c.id for c in CONFIGS_S8[:12]])
def test_softmax_u8_matches_tflite(cfg: SoftmaxConfig) -> None:
    """TensorFlow Lite Micro has no uint8 softmax: TensorFlow Lite's reference
    kernel on the model in uint8 is the ground truth; and a uint8 row gives
    the int8 kernel's output of the row less 128, plus 128."""
    from tests.kernels.test_activations_extra import run_tflite_reference

    model = _rewrite(_model(cfg), _uint8_io)
    op = single_op(model, "SOFTMAX")
    assert op.inputs[0] is not None
    params = quant.softmax_params(op.inputs[0].scale, op.options.beta)
    x = (_inputs(cfg).astype(np.int16) + 128).astype(np.uint8)
    got = arm_softmax_u8(x, params)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, run_tflite_reference(model, x))
    np.testing.assert_array_equal(got, (arm_softmax_s8((x.astype(np.int16) - 128).astype(np.int8), params).astype(np.int16) + 128).astype(np.uint8))


def test_softmax_rows_are_independent() -> None:
    """Each row is its own softmax: a row computed alone equals it inside a batch."""
    params = quant.softmax_params(0.1, 1.0)
    x = np.random.default_rng(3).integers(-128, 128, size=(5, 11), dtype=np.int8)
    full = arm_softmax_s8(x, params)
    for r in range(5):
        np.testing.assert_array_equal(arm_softmax_s8(x[r], params), full[r])
        np.testing.assert_array_equal(arm_softmax_s8_s16(x[r : r + 1], params)[0], arm_softmax_s8_s16(x, params)[r])


# ----------------------------------------------------------------- validation

GOOD = quant.softmax_params(0.05, 1.0)
X = np.zeros((2, 5), dtype=np.int8)


@pytest.mark.parametrize("kernel", [arm_softmax_s8, arm_softmax_s8_s16])
@pytest.mark.parametrize(
    "input,params,argument",
    [
        (X.astype(np.int16), GOOD, "input"),
        (X.astype(np.uint8), GOOD, "input"),
        (np.zeros((2, 0), dtype=np.int8), GOOD, "input"),
        (np.array(3, dtype=np.int8), GOOD, "input"),
        (np.int8(3), GOOD, "input"),
        ([1, 2, 3], GOOD, "input"),
        (X, (GOOD.mult, GOOD.shift, GOOD.diff_min), "params"),
        (X, SoftmaxParams(0, GOOD.shift, GOOD.diff_min), "params.mult"),
        (X, SoftmaxParams(2**31, GOOD.shift, GOOD.diff_min), "params.mult"),
        (X, SoftmaxParams(GOOD.mult, -1, GOOD.diff_min), "params.shift"),
        (X, SoftmaxParams(GOOD.mult, 31, -1), "params.shift"),
        (X, SoftmaxParams(GOOD.mult, GOOD.shift, 1), "params.diff_min"),
        (X, SoftmaxParams(GOOD.mult, 30, -4), "params.diff_min"),
        (X, SoftmaxParams(GOOD.mult, 25, -255), "params.diff_min"),
        (X, SoftmaxParams(GOOD.mult, GOOD.shift, 1.5), "params.diff_min"),
    ],
)
def test_softmax_rejects(kernel, input: object, params: object, argument: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=f"{kernel.__name__}: {argument}"):
        kernel(input, params)
