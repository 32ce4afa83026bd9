"""int16 (16x8) kernels against TensorFlow Lite Micro.

Each configuration is a one-operator Keras model converted by TensorFlow's
converter to the 16x8 scheme (int16 activations, int8 weights, int64 bias,
int16 I/O); TFLite Micro runs it on random int16 inputs and the kernel of
``pycmsisnn.kernels.s16`` must give exactly the same output with the
parameters ``pycmsisnn.quant`` derives from the model. Some models get their
output scale (or softmax beta) rewritten in the flatbuffer, to reach scales
the converter would not pick: left shifts, betas other than 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn import quant
from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import lookup
from pycmsisnn.kernels import s16
from pycmsisnn.params import Activation, BmmParams, FcParams, PerTensorQuant, PoolParams, Tile
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import OpView, single_op
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

I16 = Activation(-32768, 32767)


def _scale_output(model: bytes, factor: float) -> bytes:
    """The model with its operator output's scale multiplied by ``factor``."""
    if factor == 1.0:
        return model

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        for op in sg.operators:
            t = sg.tensors[op.outputs[0]]
            if t.quantization is not None and t.quantization.scale is not None:
                t.quantization.scale = [float(np.float32(s * factor)) for s in t.quantization.scale]

    return edit_model(model, edit)


def _int16(shape: tuple[int, ...], seed: int, amplitude: int = 32767) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(-amplitude - (amplitude == 32767), amplitude + 1, size=shape, dtype=np.int64).astype(np.int16)


def _act_layer(act: str | None) -> Callable[[Any], Any]:
    layers = tf().keras.layers
    if act == "relu":
        return layers.ReLU()
    if act == "relu6":
        return layers.ReLU(max_value=6.0)
    return lambda y: y


# ------------------------------------------------------------ fully connected


@dataclass(frozen=True)
class FcCase:
    batch: int
    depth: int
    units: int
    act: str | None = None
    bias: bool = True
    out_factor: float = 1.0  # < 1: a smaller output scale, up to left shifts
    amplitude: int = 32767  # of the random int16 inputs
    input_range: tuple[float, float] = (-1.0, 1.0)

    @property
    def key(self) -> str:
        return f"s16fc|{self.batch}x{self.depth}->{self.units}|act={self.act}|bias={self.bias}"

    def __str__(self) -> str:
        return f"fc-b{self.batch}-d{self.depth}-u{self.units}-{self.act}-bias{int(self.bias)}-f{self.out_factor:g}-a{self.amplitude}-r{self.input_range[1]:g}"


def _fc_cases() -> list[FcCase]:
    out = [FcCase(1 + i % 3, d, u) for i, (d, u) in enumerate(
        [(1, 1), (2, 3), (3, 5), (4, 7), (7, 2), (8, 8), (9, 11), (15, 16), (16, 17), (17, 4),
         (20, 33), (31, 13), (33, 1), (40, 24), (64, 10), (100, 6), (5, 29), (12, 32),
        (6, 18), (11, 19), (3, 20), (13, 22), (18, 25), (2, 27), (24, 30), (10, 31)]
    )]
    out += [
        FcCase(2, 10, 6, act="relu"),
        FcCase(1, 12, 9, act="relu"),
        FcCase(3, 8, 5, act="relu6", input_range=(-8.0, 8.0)),
        FcCase(2, 6, 3, act="relu6", input_range=(-8.0, 8.0)),
        FcCase(2, 9, 7, bias=False),
        FcCase(1, 33, 21, bias=False),
        FcCase(2, 16, 4, input_range=(-100.0, 100.0)),
        FcCase(2, 16, 4, input_range=(-0.01, 0.01)),
    ]
    # output scale shrunk: shifts 0 and positive (left), inputs small so most outputs stay in range
    out += [
        FcCase(2, 8, 5, out_factor=1 / 64, amplitude=2000),
        FcCase(1, 4, 3, out_factor=1 / 512, amplitude=256),
        FcCase(3, 16, 9, out_factor=1 / 4096, amplitude=64),
        FcCase(2, 3, 2, out_factor=1 / 2**14, amplitude=8),
        FcCase(2, 5, 6, act="relu", out_factor=1 / 1024, amplitude=128),
        FcCase(1, 7, 4, bias=False, out_factor=1 / 256, amplitude=512),
    ]
    return out


FC_CASES = _fc_cases()


def _fc_model(case: FcCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        dense = layers.Dense(case.units, use_bias=case.bias, bias_initializer=random_bias_initializer())
        return _act_layer(case.act)(dense(inputs[0]))

    model = build_model(case.key, make, [(case.batch, case.depth)], per_channel_dense=False,
                        input_range=case.input_range, int16x8=True)
    return _scale_output(model, case.out_factor)


def fc_derive(op: OpView) -> tuple[FcParams, PerTensorQuant, np.ndarray, np.ndarray | None]:
    inp, w, b = op.inputs[0], op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else None
    out = op.outputs[0]
    assert inp is not None and w is not None and w.data is not None
    assert inp.dtype is np.int16 and w.dtype is np.int8 and len(w.scales) == 1
    act = quant.activation_range_s16(op.options.fusedActivationFunction, out.scale, out.zero_point)
    q = quant.fc_multiplier_s16(inp.scale, w.scale, out.scale)
    bias = None if b is None or b.data is None else b.data
    if bias is not None:
        assert bias.dtype == np.int64
    return FcParams(0, 0, 0, act), q, w.data, bias


@pytest.mark.parametrize("case", FC_CASES, ids=str)
def test_fully_connected_matches_tflm(case: FcCase) -> None:
    model = _fc_model(case)
    params, q, w, bias = fc_derive(single_op(model, "FULLY_CONNECTED"))
    assert (bias is not None) == case.bias
    x = _int16((case.batch, case.depth), 100 + case.depth, case.amplitude)
    expected = run_tflm(model, [x])[0].reshape(case.batch, case.units)
    got = s16.arm_fully_connected_s16(params, q, x, w, bias)
    np.testing.assert_array_equal(got, expected)
    assert len(np.unique(expected)) > 1 or expected.size == 1


def test_fully_connected_sweep_reaches_both_shift_signs() -> None:
    shifts = set()
    for case in FC_CASES:
        _, q, _, _ = fc_derive(single_op(_fc_model(case), "FULLY_CONNECTED"))
        shifts.add(q.shift)
    assert min(shifts) < 0 and max(shifts) > 0
    assert {c.units for c in FC_CASES} >= {1, 16, 17, 32, 33}


def test_fully_connected_fused_relu_clamps() -> None:
    case = next(c for c in FC_CASES if c.act == "relu6")
    op = single_op(_fc_model(case), "FULLY_CONNECTED")
    params, _, _, _ = fc_derive(op)
    # ReLU6 fused; the converter calibrates the output on [0, 6], so only the floor clamps
    assert op.options.fusedActivationFunction == quant.FusedActivation.RELU6
    assert params.activation == Activation(0, 32767)


def test_vector_sum_s8_s64() -> None:
    rng = np.random.default_rng(5)
    m = rng.integers(-128, 128, size=(7, 13), dtype=np.int8)
    bias = rng.integers(-(2**40), 2**40, size=7, dtype=np.int64)
    want = m.astype(np.int64).sum(axis=1) * 32768 + bias
    np.testing.assert_array_equal(s16.arm_vector_sum_s8_s64(m, 32768, bias), want)
    np.testing.assert_array_equal(s16.arm_vector_sum_s8_s64(m, -3), m.astype(np.int64).sum(axis=1) * -3)


def test_fully_connected_buffer_sizes() -> None:
    for fn in (s16.arm_fully_connected_s16_get_buffer_size, s16.arm_fully_connected_s16_get_buffer_size_dsp,
               s16.arm_fully_connected_s16_get_buffer_size_mve):
        assert fn((8, 16)) == 0
    assert s16.arm_avgpool_s16_get_buffer_size(4, 8) == s16.arm_avgpool_s16_get_buffer_size_mve(4, 8) == 0
    assert s16.arm_avgpool_s16_get_buffer_size_dsp(4, 8) == 8 * 4  # Arm's DSP kernel sums a row of channels in int32


# ------------------------------------------------------------------- pooling

POOL_GEOMETRIES: list[tuple[tuple[int, int, int, int], tuple[int, int], tuple[int, int], str]] = [
    ((1, 4, 4, 3), (2, 2), (2, 2), "valid"),
    ((1, 5, 5, 3), (2, 2), (2, 2), "same"),
    ((1, 5, 6, 5), (3, 3), (1, 1), "same"),
    ((1, 6, 5, 7), (3, 3), (2, 2), "same"),
    ((1, 7, 7, 1), (3, 3), (2, 2), "valid"),
    ((2, 4, 6, 3), (2, 2), (2, 2), "same"),
    ((2, 5, 5, 33), (3, 3), (1, 1), "same"),
    ((1, 5, 7, 16), (1, 3), (1, 1), "same"),
    ((1, 6, 5, 17), (1, 3), (1, 2), "valid"),
    ((1, 5, 4, 8), (3, 1), (2, 1), "same"),
    ((1, 6, 6, 2), (2, 2), (1, 1), "same"),
    ((1, 6, 6, 9), (2, 2), (1, 1), "valid"),
    ((1, 4, 4, 3), (4, 4), (1, 1), "valid"),
    ((1, 5, 5, 4), (2, 3), (2, 1), "same"),
    ((2, 3, 5, 5), (3, 3), (2, 2), "same"),
    ((1, 7, 4, 6), (3, 3), (2, 1), "same"),
    ((1, 9, 9, 2), (5, 5), (3, 3), "same"),
]


@dataclass(frozen=True)
class PoolCase:
    op: str
    shape: tuple[int, int, int, int]
    pool: tuple[int, int]
    stride: tuple[int, int]
    padding: str
    act: str | None = None
    input_range: tuple[float, float] = (-1.0, 1.0)

    @property
    def key(self) -> str:
        return f"s16pool|{self.op}|in{self.shape}|p{self.pool}|s{self.stride}|{self.padding}|act={self.act}"

    def __str__(self) -> str:
        n, h, w, c = self.shape
        return f"{self.op}-{n}x{h}x{w}x{c}-p{self.pool[0]}x{self.pool[1]}-s{self.stride[0]}{self.stride[1]}-{self.padding}-{self.act}"


def _pool_cases() -> list[PoolCase]:
    out: list[PoolCase] = []
    for op in ("avg", "max"):
        out += [PoolCase(op, *g) for g in POOL_GEOMETRIES]
        out += [
            PoolCase(op, (1, 5, 5, 3), (2, 2), (1, 1), "same", act="relu"),
            PoolCase(op, (2, 5, 6, 5), (3, 3), (2, 2), "same", act="relu"),
            PoolCase(op, (1, 6, 6, 3), (3, 3), (1, 1), "same", act="relu6", input_range=(-8.0, 8.0)),
        ]
    return out


POOL_CASES = _pool_cases()
POOL_OPS = {"avg": "AVERAGE_POOL_2D", "max": "MAX_POOL_2D"}


def _pool_model(case: PoolCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        cls = layers.AveragePooling2D if case.op == "avg" else layers.MaxPooling2D
        return _act_layer(case.act)(cls(pool_size=case.pool, strides=case.stride, padding=case.padding)(inputs[0]))

    return build_model(case.key, make, [case.shape], input_range=case.input_range, int16x8=True)


def pool_derive(op: OpView) -> tuple[PoolParams, tuple[int, int], tuple[int, ...]]:
    inp, out, o = op.inputs[0], op.outputs[0], op.options
    assert inp is not None and inp.dtype is np.int16
    window = (o.filterHeight, o.filterWidth)
    stride = Tile(o.strideW, o.strideH)
    pad, _offsets, (oh, ow) = quant.conv_padding(o.padding, inp.shape[1:3], window, stride)
    assert (oh, ow) == tuple(out.shape[1:3])
    act = quant.activation_range_s16(o.fusedActivationFunction, out.scale, out.zero_point)
    return PoolParams(stride=stride, padding=pad, activation=act), window, tuple(out.shape)


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_pooling_matches_tflm(case: PoolCase) -> None:
    model = _pool_model(case)
    params, window, out_shape = pool_derive(single_op(model, POOL_OPS[case.op]))
    x = _int16(case.shape, 300 + sum(case.shape))
    expected = run_tflm(model, [x])[0]
    fn = s16.arm_avgpool_s16 if case.op == "avg" else s16.arm_max_pool_s16
    np.testing.assert_array_equal(fn(params, x, window, out_shape), expected)


def test_pooling_fused_relu6_clamps_inside_int16() -> None:
    case = next(c for c in POOL_CASES if c.act == "relu6")
    params, _, _ = pool_derive(single_op(_pool_model(case), POOL_OPS[case.op]))
    assert params.activation.min == 0 and params.activation.max < 32767


# --------------------------------------------------------------- elementwise


@dataclass(frozen=True)
class EltCase:
    op: str  # "add" or "mul"
    shape: tuple[int, ...]
    range_1: tuple[float, float] = (-1.0, 1.0)
    range_2: tuple[float, float] = (-1.0, 1.0)
    act: str | None = None
    out_factor: float = 1.0
    amplitude: int = 32767

    @property
    def key(self) -> str:
        return f"s16elt|{self.op}|{self.shape}|{self.range_1}|{self.range_2}|act={self.act}"

    def __str__(self) -> str:
        return f"{self.op}-{'x'.join(map(str, self.shape))}-r{self.range_1[1]:g}_{self.range_2[1]:g}-{self.act}-f{self.out_factor:g}-a{self.amplitude}"


def _elt_cases() -> list[EltCase]:
    out: list[EltCase] = []
    for op in ("add", "mul"):
        out += [
            EltCase(op, (2, 7)),
            EltCase(op, (2, 33)),
            EltCase(op, (1, 4, 4, 3), (-1.0, 1.0), (-3.0, 3.0)),
            EltCase(op, (1, 3, 5, 16), (-10.0, 10.0), (-0.5, 0.5)),
            EltCase(op, (2, 2, 3, 17), (-0.01, 0.01), (-2.0, 2.0)),
            EltCase(op, (1, 1, 1, 1), (-1.0, 1.0), (-1.0, 1.0)),
            EltCase(op, (3, 9), (-100.0, 100.0), (-1.0, 1.0)),
            EltCase(op, (1, 5, 5, 8), (-2.0, 2.0), (-2.0, 2.0), act="relu"),
            EltCase(op, (1, 2, 6, 4), (-5.0, 5.0), (-5.0, 5.0), act="relu6"),
            EltCase(op, (2, 12), (-1.0, 1.0), (-4.0, 4.0), out_factor=1 / 64),
            EltCase(op, (3, 20), (-3.0, 3.0), (-3.0, 3.0), out_factor=8.0),
        ]
    # tiny output scales: left shifts for MUL, inputs small enough to stay in range
    # (ADD's output multiplier must stay below 1: TFLite refuses more)
    out += [
        EltCase("mul", (2, 16), (-1.0, 1.0), (-1.0, 1.0), out_factor=2.0**-16, amplitude=12),
        EltCase("mul", (1, 3, 3, 5), (-2.0, 2.0), (-0.5, 0.5), out_factor=2.0**-18, amplitude=6),
        EltCase("add", (2, 16), (-1.0, 1.0), (-1.0, 1.0), out_factor=1 / 16, amplitude=1500),
        EltCase("add", (1, 3, 3, 5), (-2.0, 2.0), (-0.5, 0.5), out_factor=1 / 2, amplitude=8000),
    ]
    return out


ELT_CASES = _elt_cases()


def _elt_model(case: EltCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        y = layers.Add()(inputs) if case.op == "add" else layers.Multiply()(inputs)
        return _act_layer(case.act)(y)

    model = build_model(case.key, make, [case.shape, case.shape], input_range=[case.range_1, case.range_2], int16x8=True)
    return _scale_output(model, case.out_factor)


def _elt_params(case: EltCase, op: OpView) -> Any:
    a, b, out = op.inputs[0], op.inputs[1], op.outputs[0]
    assert a is not None and b is not None and a.dtype is np.int16
    assert a.zero_point == b.zero_point == out.zero_point == 0
    act = quant.activation_range_s16(op.options.fusedActivationFunction, out.scale)
    if case.op == "add":
        return quant.add_params_s16(a.scale, b.scale, out.scale, act)
    return quant.mul_params_s16(a.scale, b.scale, out.scale, act)


@pytest.mark.parametrize("case", ELT_CASES, ids=str)
def test_elementwise_matches_tflm(case: EltCase) -> None:
    model = _elt_model(case)
    op = single_op(model, case.op.upper())
    params = _elt_params(case, op)
    # the model's inputs in Keras order
    x1 = _int16(case.shape, 500 + len(case.shape), case.amplitude)
    x2 = _int16(case.shape, 600 + case.shape[-1], case.amplitude)
    expected = run_tflm(model, [x1, x2])[0]
    # model input slot -> operator input: the op's first input is Keras input_0 unless swapped
    names = [t.name for t in op.inputs if t is not None]
    first, second = (x1, x2) if "input_0" in names[0] or "input_1" not in names[0] else (x2, x1)
    fn = s16.arm_elementwise_add_s16 if case.op == "add" else s16.arm_elementwise_mul_s16
    np.testing.assert_array_equal(fn(first, second, params), expected)


def test_elementwise_sweep_reaches_positive_mul_shift() -> None:
    shifts = {_elt_params(c, single_op(_elt_model(c), "MUL")).out_shift for c in ELT_CASES if c.op == "mul"}
    assert min(shifts) < 0 and max(shifts) > 0


# ------------------------------------------------------------------- softmax


@dataclass(frozen=True)
class SoftmaxCase:
    shape: tuple[int, ...]
    input_range: tuple[float, float] = (-4.0, 4.0)
    beta: float = 1.0

    @property
    def key(self) -> str:
        return f"s16softmax|{self.shape}"

    def __str__(self) -> str:
        return f"softmax-{'x'.join(map(str, self.shape))}-r{self.input_range[1]:g}-b{self.beta:g}"


SOFTMAX_CASES = [
    SoftmaxCase((1, 10)),
    SoftmaxCase((3, 7), (-1.0, 1.0)),
    SoftmaxCase((2, 33), (-8.0, 8.0)),
    SoftmaxCase((4, 16), (-20.0, 20.0)),
    SoftmaxCase((3, 1)),
    SoftmaxCase((5, 12), (-40.0, 40.0)),
    SoftmaxCase((3, 9), (-100.0, 100.0)),
    SoftmaxCase((1, 2, 3, 5), (-0.1, 0.1)),
    SoftmaxCase((2, 2, 2, 17)),
    SoftmaxCase((1, 1, 2, 100), (-2.0, 6.0)),
    SoftmaxCase((2, 3, 1, 7), (-0.01, 0.01)),
    SoftmaxCase((2, 10), beta=0.5),
    SoftmaxCase((2, 10), beta=2.0),
    SoftmaxCase((3, 8), (-10.0, 10.0), beta=0.3),
    SoftmaxCase((3, 8), (-1.0, 1.0), beta=3.7),
    SoftmaxCase((1, 64), (-16.0, 16.0), beta=1.5),
    SoftmaxCase((2, 2), (-3.0, 3.0)),
    SoftmaxCase((6, 5), (-0.5, 0.5), beta=0.05),
    SoftmaxCase((1, 3, 3, 31), (-12.0, 12.0)),
    SoftmaxCase((2, 300), (-6.0, 6.0), beta=1.25),
]


def _softmax_model(case: SoftmaxCase) -> bytes:
    def make(inputs: list[Any]) -> Any:
        return tf().keras.layers.Softmax()(inputs[0])

    model = build_model(f"{case.key}|r{case.input_range}", make, [case.shape], input_range=case.input_range, int16x8=True)
    if case.beta == 1.0:
        return model

    def edit(m: Any) -> None:
        m.subgraphs[0].operators[0].builtinOptions.beta = case.beta

    return edit_model(model, edit)


@pytest.mark.parametrize("case", SOFTMAX_CASES, ids=str)
def test_softmax_matches_tflm(case: SoftmaxCase) -> None:
    model = _softmax_model(case)
    op = single_op(model, "SOFTMAX")
    inp, out = op.inputs[0], op.outputs[0]
    assert inp is not None and inp.dtype is np.int16 and out.zero_point == 0
    assert op.options.beta == pytest.approx(case.beta)
    q = quant.softmax_s16_params(inp.scale, op.options.beta)
    exp_lut, one_lut = quant.softmax_s16_luts()
    x = _int16(case.shape, 700 + case.shape[-1])
    expected = run_tflm(model, [x])[0]
    np.testing.assert_array_equal(s16.arm_softmax_s16(x, q.multiplier, q.shift, exp_lut, one_lut), expected)


def test_softmax_luts_shape_and_ends() -> None:
    exp_lut, one_lut = quant.softmax_s16_luts()
    assert exp_lut.shape == one_lut.shape == (513,)
    assert exp_lut[-1] == 32767 and 0 < exp_lut[0] < 4  # exp(0) and exp(-10) in Q0.15
    assert one_lut[0] == 32767 and one_lut[-1] == 16384  # 1/(1+0) and 1/(1+1)
    assert np.all(np.diff(exp_lut.astype(int)) >= 0) and np.all(np.diff(one_lut.astype(int)) <= 0)


# ------------------------------------------------------------- batch matmul


@dataclass(frozen=True)
class BmmCase:
    lhs: tuple[int, ...]
    rhs: tuple[int, ...]
    adj_x: bool = False
    adj_y: bool = False
    ranges: tuple[tuple[float, float], tuple[float, float]] = ((-1.0, 1.0), (-1.0, 1.0))
    out_factor: float = 1.0
    amplitude: int = 32767

    @property
    def key(self) -> str:
        return f"s16bmm|{self.lhs}|{self.rhs}|adj={self.adj_x},{self.adj_y}|{self.ranges}"

    def __str__(self) -> str:
        return (f"bmm-{'x'.join(map(str, self.lhs))}-{'x'.join(map(str, self.rhs))}-adj{int(self.adj_x)}{int(self.adj_y)}"
                f"-r{self.ranges[0][1]:g}_{self.ranges[1][1]:g}-f{self.out_factor:g}")


BMM_CASES = [
    BmmCase((3, 4), (4, 5)),
    BmmCase((2, 3, 4), (2, 4, 5)),
    BmmCase((2, 4, 3), (2, 4, 5), adj_x=True),
    BmmCase((2, 3, 4), (2, 5, 4), adj_y=True),
    BmmCase((2, 4, 3), (2, 5, 4), adj_x=True, adj_y=True),
    BmmCase((2, 3, 7), (1, 7, 5)),
    BmmCase((2, 2, 3, 4), (2, 2, 4, 5)),
    BmmCase((1, 5, 33), (1, 33, 10), ranges=((-4.0, 4.0), (-0.5, 0.5))),
    BmmCase((2, 3, 16), (2, 16, 17), ranges=((-0.01, 0.01), (-10.0, 10.0))),
    BmmCase((2, 6, 2), (2, 2, 3), out_factor=2.0**-16, amplitude=16),
]


def _bmm_model(case: BmmCase) -> bytes:
    t = tf()

    def make(inputs: list[Any]) -> Any:
        layer = t.keras.layers.Lambda(lambda xs: t.matmul(xs[0], xs[1], transpose_a=case.adj_x, transpose_b=case.adj_y))
        return layer([inputs[0], inputs[1]])

    model = build_model(case.key, make, [case.lhs, case.rhs], input_range=list(case.ranges), int16x8=True)
    return _scale_output(model, case.out_factor)


@pytest.mark.parametrize("case", BMM_CASES, ids=str)
def test_batch_matmul_matches_tflm(case: BmmCase) -> None:
    model = _bmm_model(case)
    op = single_op(model, "BATCH_MATMUL")
    lhs_t, rhs_t, out_t = op.inputs[0], op.inputs[1], op.outputs[0]
    assert lhs_t is not None and rhs_t is not None and lhs_t.dtype is np.int16 and rhs_t.dtype is np.int16
    assert "input_0" in lhs_t.name and "input_1" in rhs_t.name
    params = BmmParams(bool(op.options.adjX), bool(op.options.adjY), FcParams(0, 0, 0, I16))
    assert (params.adj_x, params.adj_y) == (case.adj_x, case.adj_y)
    q = quant.fc_multiplier_s16(lhs_t.scale, rhs_t.scale, out_t.scale)
    lhs = _int16(case.lhs, 800 + sum(case.lhs), case.amplitude)
    rhs = _int16(case.rhs, 900 + sum(case.rhs), case.amplitude)
    (expected,) = run_tflm(model, [lhs, rhs])
    got = s16.arm_batch_matmul_s16(params, q, lhs, rhs)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


# ------------------------------------------------------- sigmoid and tanh


def _activation_model(kind: str, input_scale: float | None) -> bytes:
    """A 16x8 LOGISTIC or TANH on 4096 values, with the input scale rewritten
    to ``input_scale`` (None: as converted)."""
    model = build_model(f"s16act|{kind}", lambda xs: tf().keras.layers.Activation(kind)(xs[0]), [(1, 4096)],
                        input_range=(-8.0, 8.0), int16x8=True)
    if input_scale is None:
        return model

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        for t in sg.inputs:
            sg.tensors[t].quantization.scale = [input_scale]

    return edit_model(model, edit)


ACTIVATION_OPS = {"sigmoid": "LOGISTIC", "tanh": "TANH"}


@pytest.mark.parametrize("kind", ["sigmoid", "tanh"])
@pytest.mark.parametrize("input_scale", [2.0**-12, 2.0**-11])
def test_activation_matches_tflm_on_every_int16(kind: str, input_scale: float) -> None:
    model = _activation_model(kind, input_scale)
    op = single_op(model, ACTIVATION_OPS[kind])
    assert op.inputs[0] is not None
    ls = quant.activation_s16_left_shift(op.inputs[0].scale, op.outputs[0].scale)
    assert ls == (0 if input_scale == 2.0**-12 else 1)
    every = np.arange(-32768, 32768, dtype=np.int64).astype(np.int16).reshape(16, 1, 4096)
    expected = np.concatenate([run_tflm(model, [chunk])[0] for chunk in every])
    got = s16.arm_nn_activation_s16(every, ls, kind)
    np.testing.assert_array_equal(got.reshape(expected.shape), expected)
    # the whole curve is exercised: both saturations
    assert got.max() > 32700 and (got.min() < -32700 if kind == "tanh" else got.min() < 16)


def test_activation_refuses_the_general_scale() -> None:
    # (-8, 8) calibrates to 2^-12 already: a power of two
    assert quant.activation_s16_left_shift(single_op(_activation_model("tanh", None), "TANH").inputs[0].scale) == 0  # type: ignore[union-attr]
    model = _activation_model("tanh", 3.0e-4)
    op = single_op(model, "TANH")
    assert op.inputs[0] is not None
    with pytest.raises(quant.QuantError, match="general-scale"):
        quant.activation_s16_left_shift(op.inputs[0].scale, op.outputs[0].scale)
    with pytest.raises(quant.QuantError, match="2\\^-15"):
        quant.activation_s16_left_shift(2.0**-12, 2.0**-14)


def test_activation_rejects() -> None:
    x = np.zeros(5, np.int16)
    with pytest.raises(ArgError, match="left_shift"):
        s16.arm_nn_activation_s16(x, 15, "tanh")
    with pytest.raises(ArgError, match="left_shift"):
        s16.arm_nn_activation_s16(x, -18, "tanh")
    with pytest.raises(ArgError, match="type"):
        s16.arm_nn_activation_s16(x, 0, "relu")
    with pytest.raises(ArgError, match="dtype int16"):
        s16.arm_nn_activation_s16(x.astype(np.int32), 0, "sigmoid")
    from pycmsisnn.kernels._base import ffi, lib

    buf = ffi.new("int16_t[5]")
    assert lib.arm_nn_activation_s16(buf, buf, 5, 15, lib.ARM_TANH) == lib.ARM_CMSIS_NN_ARG_ERROR
    assert lib.arm_nn_activation_s16(buf, buf, 5, -18, lib.ARM_TANH) == lib.ARM_CMSIS_NN_ARG_ERROR
    assert lib.arm_nn_activation_s16(buf, buf, 5, 0, 7) == lib.ARM_CMSIS_NN_ARG_ERROR


# ------------------------------------------------------------------ relu_q15


def test_relu_q15() -> None:
    x = _int16((3, 50), 9)
    np.testing.assert_array_equal(s16.arm_relu_q15(x), np.maximum(x, 0))
    assert np.any(x < 0)  # the input is left alone
    with pytest.raises(ArgError, match="uint16_t"):
        s16.arm_relu_q15(np.zeros(70000, np.int16))


# ------------------------------------------------------------ argument checks


def test_registered_in_lookup() -> None:
    for name in s16.__all__:
        assert lookup(name) is getattr(s16, name)


def _fc_ok() -> tuple[Any, ...]:
    return (FcParams(0, 0, 0, I16), PerTensorQuant(1 << 30, -3), np.zeros((2, 4), np.int16),
            np.zeros((3, 4), np.int8), np.zeros(3, np.int64))


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda a: (a[0], a[1], a[2].astype(np.int8), a[3], a[4]), "input: must have dtype int16"),
        (lambda a: (a[0], a[1], a[2], a[3].astype(np.int16), a[4]), "filter: must have dtype int8"),
        (lambda a: (a[0], a[1], a[2], a[3], a[4].astype(np.int32)), "bias: must have dtype int64"),
        (lambda a: (a[0], a[1], a[2], a[3], np.zeros(2, np.int64)), "bias: has 2 entries"),
        (lambda a: (a[0], a[1], a[2], np.zeros((3, 5), np.int8), a[4]), "filter: depth 5"),
        (lambda a: (FcParams(1, 0, 0, I16), a[1], a[2], a[3], a[4]), "input_offset"),
        (lambda a: (FcParams(0, 0, 0, Activation(-40000, 0)), a[1], a[2], a[3], a[4]), "activation.min"),
        (lambda a: (a[0], PerTensorQuant(1 << 30, 15), a[2], a[3], a[4]), "quant_params.shift: 15"),
        (lambda a: (a[0], PerTensorQuant(-1, 0), a[2], a[3], a[4]), "multiplier"),
    ],
)
def test_fully_connected_rejects(change: Callable[[tuple[Any, ...]], tuple[Any, ...]], match: str) -> None:
    with pytest.raises(ArgError, match=match):
        s16.arm_fully_connected_s16(*change(_fc_ok()))


def test_fully_connected_accepts_the_good_call() -> None:
    assert s16.arm_fully_connected_s16(*_fc_ok()).shape == (2, 3)


def test_pool_rejects() -> None:
    p = PoolParams(Tile(1, 1), Tile(0, 0), I16)
    x = np.zeros((1, 4, 4, 2), np.int16)
    with pytest.raises(ArgError, match="dtype int16"):
        s16.arm_avgpool_s16(p, x.astype(np.int8), (2, 2), (1, 3, 3, 2))
    with pytest.raises(ArgError, match="output_shape\\[3\\]"):
        s16.arm_max_pool_s16(p, x, (2, 2), (1, 3, 3, 5))
    with pytest.raises(ArgError, match="activation"):
        s16.arm_avgpool_s16(PoolParams(Tile(1, 1), Tile(0, 0), Activation(5, 4)), x, (2, 2), (1, 3, 3, 2))
    with pytest.raises(ArgError):
        s16.arm_max_pool_s16(p, x, (2, 2), (1, 9, 9, 2))  # windows past the input


def test_elementwise_rejects() -> None:
    x = np.zeros((2, 3), np.int16)
    add = quant.add_params_s16(0.1, 0.2, 0.3)
    mul = quant.mul_params_s16(0.1, 0.2, 0.3)
    with pytest.raises(ArgError, match="no broadcasting"):
        s16.arm_elementwise_add_s16(x, np.zeros((3, 2), np.int16), add)
    with pytest.raises(ArgError, match="dtype int16"):
        s16.arm_elementwise_mul_s16(x, x.astype(np.int8), mul)
    from dataclasses import replace

    with pytest.raises(ArgError, match="input_1_offset"):
        s16.arm_elementwise_add_s16(x, x, replace(add, input_1_offset=3))
    with pytest.raises(ArgError, match="out_activation_max"):
        s16.arm_elementwise_mul_s16(x, x, replace(mul, out_activation_min=10, out_activation_max=0))
    with pytest.raises(ArgError, match="input_1_shift"):
        s16.arm_elementwise_add_s16(x, x, replace(add, input_1_shift=2))


def test_softmax_rejects() -> None:
    e, o = quant.softmax_s16_luts()
    x = np.zeros((2, 5), np.int16)
    with pytest.raises(ArgError, match="exp_lut: must hold 513"):
        s16.arm_softmax_s16(x, 1 << 30, 1, e[:512], o)
    with pytest.raises(ArgError, match="dtype int16"):
        s16.arm_softmax_s16(x.astype(np.int32), 1 << 30, 1, e, o)
    with pytest.raises(ArgError, match="shift"):
        s16.arm_softmax_s16(x, 1 << 30, 40, e, o)


def test_c_kernels_refuse_bad_arguments_themselves() -> None:
    """The C argument checks, below the wrappers: ARM_CMSIS_NN_ARG_ERROR."""
    from pycmsisnn.kernels._base import context, dims, ffi, lib

    ctx, _buf = context(0)
    fc = ffi.new("cmsis_nn_fc_params *", {"activation": {"min": -32768, "max": 32767}})
    q = ffi.new("cmsis_nn_per_tensor_quant_params *", {"multiplier": 1 << 30, "shift": 15})
    x = np.zeros(4, np.int16)
    w = np.zeros(4, np.int8)
    out = np.zeros(1, np.int16)
    args = (ctx, fc, q, dims((1, 1, 1, 4)), ffi.from_buffer("int16_t[]", x), dims((4, 1, 1, 1)),
            ffi.from_buffer("int8_t[]", w), dims((1, 1, 1, 1)), ffi.NULL, dims((1, 1, 1, 1)), ffi.from_buffer("int16_t[]", out))
    assert lib.arm_fully_connected_s16(*args) == lib.ARM_CMSIS_NN_ARG_ERROR
    q.shift = 0
    assert lib.arm_fully_connected_s16(*args) == lib.ARM_CMSIS_NN_SUCCESS
    luts = ffi.new("cmsis_nn_softmax_lut_s16 *")
    assert lib.arm_softmax_s16(ffi.from_buffer("int16_t[]", x), 1, 4, 1 << 30, 0, luts, ffi.from_buffer("int16_t[]", x)) == lib.ARM_CMSIS_NN_ARG_ERROR
    assert lib.arm_elementwise_mul_s16(ffi.NULL, ffi.NULL, 0, 0, ffi.NULL, 0, 1 << 30, 0, -5, 5, -1) == lib.ARM_CMSIS_NN_ARG_ERROR
    assert lib.arm_elementwise_add_s16(ffi.NULL, ffi.NULL, 0, 1, 0, 0, 1, 0, 17, ffi.NULL, 0, 1, 0, -5, 5, 0) == lib.ARM_CMSIS_NN_ARG_ERROR
    pool = ffi.new("cmsis_nn_pool_params *", {"stride": {"w": 1, "h": 1}, "padding": {"w": 9, "h": 0}, "activation": {"min": -32768, "max": 32767}})
    img = np.zeros((1, 2, 2, 1), np.int16)
    assert lib.arm_avgpool_s16(ctx, pool, dims((1, 2, 2, 1)), ffi.from_buffer("int16_t[]", img), dims((1, 1, 1, 1)),
                               dims((1, 2, 2, 1)), ffi.from_buffer("int16_t[]", out)) == lib.ARM_CMSIS_NN_ARG_ERROR


def test_sweep_size() -> None:
    assert len(FC_CASES) + len(POOL_CASES) + len(ELT_CASES) + len(SOFTMAX_CASES) + len(BMM_CASES) >= 120


def test_non_contiguous_inputs_give_the_contiguous_answer() -> None:
    """Strided and transposed views are copied and held for the C call."""
    rng = np.random.default_rng(11)
    big = rng.integers(-32768, 32768, size=(40, 64), dtype=np.int64).astype(np.int16)
    w = rng.integers(-128, 128, size=(17, 20), dtype=np.int8)
    q = PerTensorQuant(1 << 30, -6)
    fc = FcParams(0, 0, 0, I16)
    view = big[::2, 1::3][:, :20]  # [20, 20], strided
    for _ in range(20):
        np.testing.assert_array_equal(s16.arm_fully_connected_s16(fc, q, view, w, None),
                                      s16.arm_fully_connected_s16(fc, q, view.copy(), w, None))
    lhs = rng.integers(-32768, 32768, size=(2, 16, 3), dtype=np.int64).astype(np.int16)
    rhs = rng.integers(-32768, 32768, size=(2, 16, 17), dtype=np.int64).astype(np.int16)
    p = BmmParams(True, False, fc)
    want = s16.arm_batch_matmul_s16(p, q, lhs, rhs)
    for _ in range(20):
        np.testing.assert_array_equal(s16.arm_batch_matmul_s16(p, q, lhs, rhs), want)
    img = rng.integers(-32768, 32768, size=(1, 8, 8, 6), dtype=np.int64).astype(np.int16)[:, ::2, :, ::2]
    pp = PoolParams(Tile(1, 1), Tile(0, 0), I16)
    np.testing.assert_array_equal(s16.arm_max_pool_s16(pp, img, (2, 2), (1, 3, 7, 3)),
                                  s16.arm_max_pool_s16(pp, img.copy(), (2, 2), (1, 3, 7, 3)))


def test_batch_matmul_rejects() -> None:
    fc = FcParams(0, 0, 0, I16)
    q = PerTensorQuant(1 << 30, -3)
    a = np.zeros((2, 3, 4), np.int16)
    with pytest.raises(ArgError, match="accumulation depth"):
        s16.arm_batch_matmul_s16(BmmParams(False, False, fc), q, a, np.zeros((2, 5, 4), np.int16))
    with pytest.raises(ArgError, match="do not broadcast"):
        s16.arm_batch_matmul_s16(BmmParams(False, False, fc), q, a, np.zeros((3, 4, 2), np.int16))
    with pytest.raises(ArgError, match="dtype int16"):
        s16.arm_batch_matmul_s16(BmmParams(False, False, fc), q, a, np.zeros((2, 4, 2), np.int8))
    with pytest.raises(ArgError, match="filter_offset"):
        s16.arm_batch_matmul_s16(BmmParams(False, False, FcParams(0, 2, 0, I16)), q, a, np.zeros((2, 4, 2), np.int16))
    with pytest.raises(ArgError, match="adj_x"):
        s16.arm_batch_matmul_s16(BmmParams(1, False, fc), q, a, np.zeros((2, 4, 2), np.int16))  # type: ignore[arg-type]
