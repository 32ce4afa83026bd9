"""SVDF models built by hand as flatbuffers (the TFLite converter does not
emit SVDF from Keras), quantised as the converter quantises SVDF: int8 input,
output and feature weights, int16 (or int8) time weights and activation state
(zero point 0), int32 bias at scale ``state_scale * time_scale``; the
activation state a variable tensor.

``svdf_model(cfg)`` is one SVDF operator; ``kws_model(...)`` a small
keyword-spotting network: SVDF layers, FULLY_CONNECTED and SOFTMAX.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flatbuffers
import numpy as np

from .model_view import schema

_TYPES = {np.dtype(np.float32): 0, np.dtype(np.int32): 2, np.dtype(np.int8): 9, np.dtype(np.int16): 7}


@dataclass(frozen=True)
class SvdfConfig:
    """One SVDF operator: shapes, state type, activation and scales."""

    batch: int = 1
    input_size: int = 8
    units: int = 4
    rank: int = 1
    memory: int = 4
    state_dtype: type = np.int16  # int16: arm_svdf_state_s16_s8 (the converter's); int8: arm_svdf_s8
    activation: str = "NONE"  # "NONE" or "RELU"
    bias: bool = True
    seed: int = 0
    input_scale: float = 0.05
    input_zp: int = -3
    feature_scale: float = 0.01
    state_scale: float | None = None  # None: the typical feature product reaches a quarter of the state range
    time_scale: float = 0.0005
    output_scale: float | None = None  # None: the typical output reaches about 40 quantisation steps
    output_zp: int = 5
    state_init: np.ndarray | None = field(default=None, compare=False)  # the state buffer's data (else none)

    @property
    def filters(self) -> int:
        return self.units * self.rank


class ModelBuilder:
    """A one-subgraph TFLite model under construction."""

    def __init__(self, description: str) -> None:
        self.s = schema()
        self.model = self.s.ModelT()
        self.model.version = 3
        self.model.description = description
        self.model.buffers = [self.s.BufferT()]
        self.sg = self.s.SubGraphT()
        self.sg.tensors, self.sg.operators = [], []
        self.codes: dict[str, int] = {}
        self.model.operatorCodes = []

    def tensor(self, name: str, shape: tuple[int, ...], dtype: Any, scale: float | None = None, zp: int = 0,
               data: np.ndarray | None = None, variable: bool = False) -> int:
        s = self.s
        t = s.TensorT()
        t.name, t.shape, t.type = name, list(shape), _TYPES[np.dtype(dtype)]
        buf = s.BufferT()
        if data is not None:
            buf.data = np.ascontiguousarray(data, dtype=dtype).tobytes()
        self.model.buffers.append(buf)
        t.buffer = len(self.model.buffers) - 1
        t.isVariable = variable
        if scale is not None:
            qp = s.QuantizationParametersT()
            qp.scale, qp.zeroPoint = [float(np.float32(scale))], [int(zp)]
            t.quantization = qp
        self.sg.tensors.append(t)
        return len(self.sg.tensors) - 1

    def op(self, opname: str, inputs: list[int], outputs: list[int], options: tuple[str, dict[str, Any]] | None = None,
           version: int = 1) -> None:
        s = self.s
        if opname not in self.codes:
            code = s.OperatorCodeT()
            code.builtinCode = getattr(s.BuiltinOperator, opname)
            code.deprecatedBuiltinCode = min(code.builtinCode, 127)
            code.version = version
            self.model.operatorCodes.append(code)
            self.codes[opname] = len(self.model.operatorCodes) - 1
        o = s.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = self.codes[opname], inputs, outputs
        if options is not None:
            cls_name, fields = options
            opts = getattr(s, cls_name + "T")()
            for k, v in fields.items():
                setattr(opts, k, v)
            o.builtinOptionsType = getattr(s.BuiltinOptions, cls_name)
            o.builtinOptions = opts
        self.sg.operators.append(o)

    def finish(self, inputs: list[int], outputs: list[int]) -> bytes:
        self.sg.inputs, self.sg.outputs = inputs, outputs
        self.model.subgraphs = [self.sg]
        builder = flatbuffers.Builder(1024)
        builder.Finish(self.model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


_ACTIVATIONS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3, "TANH": 4}


def _scales(cfg: SvdfConfig) -> tuple[float, float]:
    """(state scale, output scale): given, or sized so that typical values use
    the state's and the output's range without saturating them all."""
    state_max = 32767 if np.dtype(cfg.state_dtype) == np.int16 else 127
    feature = 74.0 * 73.0 * np.sqrt(cfg.input_size) * cfg.input_scale * cfg.feature_scale  # typical real feature product
    state_scale = cfg.state_scale if cfg.state_scale is not None else float(feature / (state_max / 4))
    time_max = 8000 if state_max > 127 else 127
    typical = (state_max / 4) * (time_max / 2) * np.sqrt(cfg.memory * cfg.rank) * state_scale * cfg.time_scale
    output_scale = cfg.output_scale if cfg.output_scale is not None else float(typical / 40)
    return state_scale, output_scale


def _svdf(b: ModelBuilder, cfg: SvdfConfig, x: int, name: str, rng: np.random.Generator) -> int:
    """Append one SVDF operator reading tensor ``x``; returns its output tensor."""
    f = cfg.filters
    state_dtype = np.dtype(cfg.state_dtype)
    state_scale, output_scale = _scales(cfg)
    # int16 time weights kept below 8000 in magnitude: memory x 32767 x 8000 stays inside int32
    lim = 8000 if state_dtype == np.int16 else 127
    wf = rng.integers(-127, 128, size=(f, cfg.input_size)).astype(np.int8)
    wt = rng.integers(-lim, lim + 1, size=(f, cfg.memory)).astype(state_dtype)
    ins = [x, b.tensor(f"{name}/weights_feature", (f, cfg.input_size), np.int8, cfg.feature_scale, 0, wf),
           b.tensor(f"{name}/weights_time", (f, cfg.memory), state_dtype, cfg.time_scale, 0, wt)]
    if cfg.bias:
        bias = rng.integers(-2000, 2001, size=cfg.units).astype(np.int32)
        ins.append(b.tensor(f"{name}/bias", (cfg.units,), np.int32, state_scale * cfg.time_scale, 0, bias))
    else:
        ins.append(-1)
    ins.append(b.tensor(f"{name}/activation_state", (cfg.batch, cfg.memory * f), state_dtype, state_scale, 0,
                        cfg.state_init, variable=True))
    out = b.tensor(f"{name}/output", (cfg.batch, cfg.units), np.int8, output_scale, cfg.output_zp)
    b.op("SVDF", ins, [out], ("SVDFOptions", {"rank": cfg.rank, "fusedActivationFunction": _ACTIVATIONS[cfg.activation]}))
    return out


def svdf_model(cfg: SvdfConfig) -> bytes:
    """A model of one SVDF operator."""
    rng = np.random.default_rng(cfg.seed)
    b = ModelBuilder(f"pycmsisnn test: SVDF {cfg}")
    x = b.tensor("input_0", (cfg.batch, cfg.input_size), np.int8, cfg.input_scale, cfg.input_zp)
    out = _svdf(b, cfg, x, "svdf", rng)
    return b.finish([x], [out])


def kws_model(state_dtype: type = np.int16, seed: int = 7) -> bytes:
    """An SVDF keyword-spotting network in the style of TFLM's micro speech
    SVDF model: per step one frame of 40 features through two SVDF layers
    (64 units rank 1 memory 8 with RELU, 32 units rank 2 memory 4), a FULLY_CONNECTED
    to 4 classes and an int8 SOFTMAX."""
    rng = np.random.default_rng(seed)
    b = ModelBuilder("pycmsisnn test: SVDF keyword spotting")
    x = b.tensor("input_0", (1, 40), np.int8, 0.05, -10)
    l1 = SvdfConfig(batch=1, input_size=40, units=64, rank=1, memory=8, state_dtype=state_dtype, activation="RELU",
                    input_scale=0.05, input_zp=-10, feature_scale=0.004, time_scale=0.00004, output_zp=-128)
    h1 = _svdf(b, l1, x, "svdf_1", rng)
    l2 = SvdfConfig(batch=1, input_size=64, units=32, rank=2, memory=4, state_dtype=state_dtype, activation="NONE",
                    input_scale=_scales(l1)[1], input_zp=-128, feature_scale=0.003, time_scale=0.00003, output_zp=3)
    h2 = _svdf(b, l2, h1, "svdf_2", rng)
    w = rng.integers(-127, 128, size=(4, 32)).astype(np.int8)
    fw = b.tensor("fc/weights", (4, 32), np.int8, 0.01, 0, w)
    s2 = _scales(l2)[1]
    fb = b.tensor("fc/bias", (4,), np.int32, s2 * 0.01, 0, rng.integers(-500, 500, size=4).astype(np.int32))
    logits = b.tensor("fc/output", (1, 4), np.int8, s2 * 0.01 * 74 * np.sqrt(32) / 30, 2)
    b.op("FULLY_CONNECTED", [h2, fw, fb], [logits], ("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    probs = b.tensor("output", (1, 4), np.int8, 1.0 / 256, -128)
    b.op("SOFTMAX", [logits], [probs], ("SoftmaxOptions", {"beta": 1.0}))
    return b.finish([x], [probs])
