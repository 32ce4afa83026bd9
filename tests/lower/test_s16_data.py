"""16x8 models (int16 activations) of QUANTIZE, DEQUANTIZE, MEAN, PAD, PADV2,
STRIDED_SLICE, CONCATENATION, RESHAPE and TRANSPOSE run whole through
``pycmsisnn.runtime`` against TensorFlow Lite Micro, element for element.

The single-op models are the int8 lowering tests' configurations
(``tests/kernels/tensor_ops_models.py``) converted to the 16x8 scheme, with
int16 I/O and with float I/O (a QUANTIZE float32 -> int16 in front, a
DEQUANTIZE at the end); CONCATENATION of inputs of different ranges gets the
converter's int16 -> int16 QUANTIZE. Hand-made models sweep the conversion
kernels over every int16 (or int8) input value. Mixed models: an int8 model
with an int16 section (QUANTIZE int8 -> int16 ... QUANTIZE int16 -> int8),
made by wrapping a 16x8 model in the flatbuffer. And every refusal of the
int16 paths, by its reason.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.memory import plan_arena
from pycmsisnn.runtime import Model, load
from tests.kernels.tensor_ops_models import (
    CONCAT_CONFIGS,
    MEAN_CONFIGS,
    PAD_CONFIGS,
    SLICE_CONFIGS,
    TRANSPOSE_CONFIGS,
    Range,
    Shape,
    concat_model,
    keras_index,
    mean_model,
    pad_model,
    slice_model,
    transpose_model,
)
from tests.kernels.test_activations_extra import handmade_model
from tests.lower.test_data_movement import kernels, run_both
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import schema
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

S16: dict[str, bool] = {"int16x8": True}
FLOAT_IO: dict[str, bool] = {"int16x8": True, "int8_io": False}
I16_MIN, I16_MAX = -32768, 32767


def random_int16(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    """Uniform int16 data that always holds both extremes."""
    x = rng.integers(I16_MIN, I16_MAX + 1, size=shape, dtype=np.int16)
    flat = x.reshape(-1)
    flat[0], flat[-1] = I16_MIN, I16_MAX
    return x


def random_floats(rng: np.random.Generator, shape: Shape, r: Range) -> np.ndarray:
    """Floats over 1.25 times the representative range (some clamp)."""
    lo, hi = r
    half = 0.625 * (hi - lo)
    mid = 0.5 * (hi + lo)
    return rng.uniform(mid - half, mid + half, size=shape).astype(np.float32)


def check(model: bytes, shapes: list[Shape], seed: int, ranges: list[Range] | None = None, samples: int = 2) -> Model:
    """The loaded model after ``samples`` random runs equal to TFLite Micro's
    (int16 data, or floats for a float-I/O model)."""
    m = load(model)
    rng = np.random.default_rng(seed)
    floats = m.inputs[0].dtype == np.float32
    for _ in range(samples):
        if floats:
            assert ranges is not None
            data = [random_floats(rng, s, r) for s, r in zip(shapes, ranges)]
        else:
            data = [random_int16(rng, s) for s in shapes]
        m = run_both(model, data)
    return m


def s16_kernels(m: Model) -> list[str]:
    """The kernels of ``m`` without the float I/O conversions at its ends."""
    return [k for k in kernels(m) if k not in ("pycmsisnn_quantize_f32_s16", "pycmsisnn_dequantize_s16")]


# ---------------------------------------------------------------------- MEAN


@pytest.mark.parametrize("name,shape,axes,keep,rng", MEAN_CONFIGS, ids=[c[0] for c in MEAN_CONFIGS])
def test_mean_16x8_matches_tflm(name: str, shape: Shape, axes: tuple[int, ...], keep: bool, rng: Range) -> None:
    m = check(mean_model(shape, axes, keep, rng, **S16), [shape], seed=len(name))
    assert kernels(m) == ["pycmsisnn_mean_s16"]
    assert m.plan.calls[0].notes["count"] == int(np.prod([shape[a] for a in {a % len(shape) for a in axes}]))


# ------------------------------------------------------------- STRIDED_SLICE


@pytest.mark.parametrize("name,shape,fn,rng", SLICE_CONFIGS, ids=[c[0] for c in SLICE_CONFIGS])
def test_strided_slice_16x8_matches_tflm(name: str, shape: Shape, fn: Callable[[Any], Any], rng: Range) -> None:
    m = check(slice_model(name, shape, fn, rng, **S16), [shape], seed=len(name) + 1)
    assert kernels(m) == ["pycmsisnn_strided_slice_s16"]


# ------------------------------------------------------------- CONCATENATION

# Inputs of different ranges: the converter requantises some of them
# (QUANTIZE int16 -> int16) to the output's scale first.
CONCAT_MIXED_RANGES: list[tuple[list[Shape], int, list[Range]]] = [
    ([(1, 3, 4, 5), (1, 3, 4, 2)], -1, [(-1.0, 1.0), (-4.0, 4.0)]),
    ([(1, 3, 4, 1), (1, 3, 4, 3), (1, 3, 4, 2)], 3, [(-0.1, 0.1), (-3.0, 2.0), (-40.0, 10.0)]),
    ([(1, 3, 4, 5), (1, 3, 2, 5)], 2, [(-8.0, 8.0), (-0.5, 0.5)]),
    ([(1, 3, 4, 5), (1, 2, 4, 5)], 1, [(-2.0, 6.0), (-1.0, 1.0)]),
    ([(1, 3, 4, 5), (2, 3, 4, 5)], 0, [(-1.0, 1.0), (-100.0, 100.0)]),
    ([(2, 3, 4), (2, 3, 2), (2, 3, 5)], 2, [(-1.0, 1.0), (-1.5, 0.5), (-0.01, 0.02)]),
    ([(2, 3), (2, 5)], 1, [(-3.0, 3.0), (-0.3, 0.3)]),
]
CONCAT_CASES = [(s, a, [r] * len(s)) for s, a, r in CONCAT_CONFIGS] + CONCAT_MIXED_RANGES


@pytest.mark.parametrize("shapes,axis,ranges", CONCAT_CASES, ids=[f"{s}-axis{a}-{len(set(r))}ranges" for s, a, r in CONCAT_CASES])
def test_concatenation_16x8_matches_tflm(shapes: list[Shape], axis: int, ranges: list[Range]) -> None:
    rng_arg: Any = ranges[0] if len(set(ranges)) == 1 else ranges
    m = check(concat_model(shapes, axis, rng_arg, **S16), shapes, seed=len(shapes) + axis + 7)
    ks = kernels(m)
    assert ks[-1] == "concatenation_s16" and set(ks[:-1]) <= {"pycmsisnn_requantize_s16"}, ks
    assert m.plan.calls[-1].args["axis"] == axis % len(shapes[0])
    if len(set(ranges)) > 1:
        assert "pycmsisnn_requantize_s16" in ks, ks


# ----------------------------------------------------------------- PAD, PADV2


def int16_constant_values(model: bytes) -> bytes:
    """The 16x8 PADV2 with its float32 constant (which TFLite Micro refuses)
    rewritten as an int16 constant quantised like the output."""
    s = schema()

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        op = next(o for o in sg.operators if m.operatorCodes[o.opcodeIndex].builtinCode == s.BuiltinOperator.PADV2)
        value, out = sg.tensors[op.inputs[2]], sg.tensors[op.outputs[0]]
        real = float(np.frombuffer(bytes(m.buffers[value.buffer].data), dtype=np.float32)[0])
        q = int(np.clip(np.round(real / out.quantization.scale[0]), I16_MIN, I16_MAX))
        value.type = s.TensorType.INT16
        value.quantization = copy.deepcopy(out.quantization)
        m.buffers[value.buffer].data = np.frombuffer(np.int16(q).tobytes(), dtype=np.uint8).tolist()

    return edit_model(model, edit)


@pytest.mark.parametrize("shape,pads,constant,rng", PAD_CONFIGS, ids=[f"{s}-{p}-{c}" for s, p, c, _ in PAD_CONFIGS])
def test_pad_16x8_matches_tflm(shape: Shape, pads: tuple[tuple[int, int], ...], constant: float | None, rng: Range) -> None:
    model = pad_model(shape, pads, constant, rng, **S16)
    if constant is not None:
        model = int16_constant_values(model)
    m = check(model, [shape], seed=sum(map(sum, pads)))
    assert kernels(m) == ["pycmsisnn_pad_s16"]
    y = m.graph.tensor(m.graph.outputs[0])
    assert y.quant is not None
    expected_value = 0 if constant is None else int(np.clip(np.round(constant / y.quant.scale), I16_MIN, I16_MAX))
    assert m.plan.calls[0].args["pad_value"] == expected_value


def test_padv2_with_the_converters_float_constant_is_refused() -> None:
    """The 16x8 converter gives PADV2 a float32 constant; TFLite Micro refuses
    it in Prepare, and so does the lowering, naming it."""
    shape, pads, constant, rng = PAD_CONFIGS[5]
    with pytest.raises(UnsupportedModelError, match=r"PADV2 x1: operator 0: constant_values '.*' is float32, needs int16"):
        load(pad_model(shape, pads, constant, rng, **S16))


# ------------------------------------------------------------------ TRANSPOSE


@pytest.mark.parametrize("shape,perm,rng", TRANSPOSE_CONFIGS, ids=[f"{s}-{p}" for s, p, _ in TRANSPOSE_CONFIGS])
def test_transpose_16x8_matches_tflm(shape: Shape, perm: tuple[int, ...], rng: Range) -> None:
    m = check(transpose_model(shape, perm, rng, **S16), [shape], seed=sum(perm))
    assert kernels(m) == ["pycmsisnn_transpose_s16"]


# -------------------------------------------------------------------- RESHAPE

RESHAPE_CONFIGS: list[tuple[str, Shape, Callable[[Any], Any]]] = [
    ("flatten", (1, 3, 4, 5), lambda t: tf().keras.layers.Flatten()(t)),
    ("reshape_rank3", (1, 3, 4, 5), lambda t: tf().keras.layers.Reshape((12, 5))(t)),
    ("expand_dims", (2, 7), lambda t: tf().keras.ops.expand_dims(t, 1)),
    ("squeeze", (1, 1, 6, 1), lambda t: tf().keras.ops.squeeze(t, axis=(1, 3))),
]


@pytest.mark.parametrize("name,shape,fn", RESHAPE_CONFIGS, ids=[c[0] for c in RESHAPE_CONFIGS])
def test_reshape_16x8_matches_tflm(name: str, shape: Shape, fn: Callable[[Any], Any]) -> None:
    model = build_model(f"s16-data-RESHAPE-{name}-{shape}", lambda i: fn(i[0]), [shape], seed=31, **S16)
    m = check(model, [shape], seed=3)
    assert kernels(m) == ["reshape_s16"]
    arena = plan_arena(m.plan)
    assert arena.aliases == {m.graph.outputs[0]: m.graph.inputs[0]}  # no copy in generated code


# ------------------------------------------------------------ float32 I/O

# Single-op 16x8 models with float inputs and outputs: QUANTIZE float32 ->
# int16 in front (one per input), DEQUANTIZE int16 -> float32 behind, with
# input scales from 3e-6 to 3e-3.
FLOAT_IO_CASES: list[tuple[str, Callable[[], bytes], list[Shape], list[Range], str]] = [
    ("mean", lambda: mean_model(*MEAN_CONFIGS[0][1:], **FLOAT_IO), [MEAN_CONFIGS[0][1]], [MEAN_CONFIGS[0][4]], "pycmsisnn_mean_s16"),
    ("mean_wide", lambda: mean_model((1, 4, 6, 9), (1, 3), True, (-100.0, 20.0), **FLOAT_IO), [(1, 4, 6, 9)], [(-100.0, 20.0)], "pycmsisnn_mean_s16"),
    ("slice", lambda: slice_model(*SLICE_CONFIGS[6], **FLOAT_IO), [SLICE_CONFIGS[6][1]], [SLICE_CONFIGS[6][3]], "pycmsisnn_strided_slice_s16"),
    ("slice_small", lambda: slice_model("small", (3, 10), SLICE_CONFIGS[9][2], (-0.1, 0.05), **FLOAT_IO), [(3, 10)], [(-0.1, 0.05)], "pycmsisnn_strided_slice_s16"),
    ("pad", lambda: pad_model(*PAD_CONFIGS[0], **FLOAT_IO), [PAD_CONFIGS[0][0]], [PAD_CONFIGS[0][3]], "pycmsisnn_pad_s16"),
    ("pad_large", lambda: pad_model((2, 4, 5), ((1, 0), (2, 1), (0, 2)), None, (-70.0, 90.0), **FLOAT_IO), [(2, 4, 5)], [(-70.0, 90.0)], "pycmsisnn_pad_s16"),
    ("transpose", lambda: transpose_model(*TRANSPOSE_CONFIGS[5], **FLOAT_IO), [TRANSPOSE_CONFIGS[5][0]], [TRANSPOSE_CONFIGS[5][2]], "pycmsisnn_transpose_s16"),
    ("concat", lambda: concat_model(*CONCAT_MIXED_RANGES[1], **FLOAT_IO), CONCAT_MIXED_RANGES[1][0], CONCAT_MIXED_RANGES[1][2], "concatenation_s16"),
    ("concat_batch", lambda: concat_model(*CONCAT_MIXED_RANGES[4], **FLOAT_IO), CONCAT_MIXED_RANGES[4][0], CONCAT_MIXED_RANGES[4][2], "concatenation_s16"),
    ("mean_rank2", lambda: mean_model(*MEAN_CONFIGS[16][1:], **FLOAT_IO), [MEAN_CONFIGS[16][1]], [MEAN_CONFIGS[16][4]], "pycmsisnn_mean_s16"),
    ("slice_shrink", lambda: slice_model(*SLICE_CONFIGS[4], **FLOAT_IO), [SLICE_CONFIGS[4][1]], [SLICE_CONFIGS[4][3]], "pycmsisnn_strided_slice_s16"),
    ("transpose_rank3", lambda: transpose_model(*TRANSPOSE_CONFIGS[1], **FLOAT_IO), [TRANSPOSE_CONFIGS[1][0]], [TRANSPOSE_CONFIGS[1][2]], "pycmsisnn_transpose_s16"),
    ("concat_channels", lambda: concat_model(*CONCAT_MIXED_RANGES[0], **FLOAT_IO), CONCAT_MIXED_RANGES[0][0], CONCAT_MIXED_RANGES[0][2], "concatenation_s16"),
    ("pad_rank2", lambda: pad_model(*PAD_CONFIGS[4], **FLOAT_IO), [PAD_CONFIGS[4][0]], [PAD_CONFIGS[4][3]], "pycmsisnn_pad_s16"),
    ("reshape", lambda: build_model("s16-data-RESHAPE-float-io", lambda i: tf().keras.layers.Reshape((12, 5))(i[0]), [(1, 3, 4, 5)], seed=32, input_range=(-0.2, 0.7), **FLOAT_IO),
     [(1, 3, 4, 5)], [(-0.2, 0.7)], "reshape_s16"),
]


@pytest.mark.parametrize("name,make,shapes,ranges,kernel", FLOAT_IO_CASES, ids=[c[0] for c in FLOAT_IO_CASES])
def test_float_io_16x8_matches_tflm(name: str, make: Callable[[], bytes], shapes: list[Shape], ranges: list[Range], kernel: str) -> None:
    m = check(make(), shapes, seed=len(name) + 40, ranges=ranges, samples=3)
    ks = kernels(m)
    assert ks[: len(shapes)] == ["pycmsisnn_quantize_f32_s16"] * len(shapes) and ks[-1] == "pycmsisnn_dequantize_s16", ks
    assert kernel in ks
    assert m.inputs[0].dtype == np.float32 and m.outputs[0].dtype == np.float32


# ----------------------------------------------- a 16x8 network, mixed models


def s16_network(inputs: list) -> object:
    """PAD, STRIDED_SLICE, MEAN, CONCATENATION (with a requantised input),
    TRANSPOSE and RESHAPE on int16 tensors; two outputs."""
    T, L = tf(), tf().keras.layers
    p = L.Lambda(lambda t: T.pad(t, [[0, 0], [1, 1], [0, 2], [0, 0]]))(inputs[0])  # (1, 8, 7, 4)
    s = L.Lambda(lambda t: t[:, ::2, 1:, :])(p)  # (1, 4, 6, 4)
    m = L.Lambda(lambda t: T.reduce_mean(t, axis=1, keepdims=True))(s)  # (1, 1, 6, 4)
    c = L.Concatenate(axis=1)([s, m])  # (1, 5, 6, 4)
    t = L.Lambda(lambda u: T.transpose(u, [0, 3, 1, 2]))(c)  # (1, 4, 5, 6)
    r = L.Reshape((20, 6))(t)
    return [r, L.Lambda(lambda u: T.reduce_mean(u, axis=[1, 2]))(p)]


NETWORK_SHAPE: Shape = (1, 6, 5, 4)
NETWORK_RANGE: Range = (-3.0, 2.0)
NETWORK_KERNELS = {"pycmsisnn_pad_s16", "pycmsisnn_strided_slice_s16", "pycmsisnn_mean_s16", "concatenation_s16",
                   "pycmsisnn_transpose_s16", "reshape_s16"}


def network_model(**scheme: bool) -> bytes:
    return build_model("s16-data-network-v1", s16_network, [NETWORK_SHAPE], seed=33, input_range=NETWORK_RANGE, **scheme)


def float_io_network() -> bytes:
    """The network with float32 I/O (QUANTIZE float32 -> int16, DEQUANTIZE)."""
    return network_model(**FLOAT_IO)


def wrap_int8(model: bytes, in_factor: float = 300.0, in_zp: int = 5, out_factor: float = 250.0, out_zp: int = -7) -> bytes:
    """``model`` (int16 I/O) as an int8 model with an int16 section: a new
    int8 input (scale ``in_factor`` x the int16 input's, zero point
    ``in_zp``) QUANTIZEd to the old input, and every old output QUANTIZEd to a
    new int8 output (scale ``out_factor`` x, zero point ``out_zp``). The new
    input takes the old one's name (the Keras input order)."""
    s = schema()

    def quant(scale: float, zp: int) -> Any:
        q = s.QuantizationParametersT()
        q.scale, q.zeroPoint = [float(np.float32(scale))], [zp]
        return q

    def new_tensor(m: Any, sg: Any, like: Any, name: str, scale: float, zp: int) -> int:
        t = s.TensorT()
        t.name, t.shape, t.type, t.quantization = name, list(like.shape), s.TensorType.INT8, quant(scale, zp)
        m.buffers.append(s.BufferT())
        t.buffer = len(m.buffers) - 1
        sg.tensors.append(t)
        return len(sg.tensors) - 1

    def quantize_op(m: Any, src: int, dst: int) -> Any:
        codes = [c.builtinCode for c in m.operatorCodes]
        if s.BuiltinOperator.QUANTIZE not in codes:
            code = s.OperatorCodeT()
            code.builtinCode = code.deprecatedBuiltinCode = s.BuiltinOperator.QUANTIZE
            code.version = 1
            m.operatorCodes.append(code)
            codes.append(code.builtinCode)
        op = s.OperatorT()
        op.opcodeIndex, op.inputs, op.outputs = codes.index(s.BuiltinOperator.QUANTIZE), [src], [dst]
        return op

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        old_in = sg.tensors[sg.inputs[0]]
        name = old_in.name.decode() if isinstance(old_in.name, bytes) else old_in.name
        old_in.name = name + "_int16"
        new_in = new_tensor(m, sg, old_in, name, old_in.quantization.scale[0] * in_factor, in_zp)
        front = [quantize_op(m, new_in, sg.inputs[0])]
        outs, back = [], []
        for k, o in enumerate(sg.outputs):
            t = sg.tensors[o]
            outs.append(new_tensor(m, sg, t, f"output_{k}_int8", t.quantization.scale[0] * out_factor, out_zp))
            back.append(quantize_op(m, o, outs[-1]))
        sg.operators = front + list(sg.operators) + back
        sg.inputs, sg.outputs = [new_in], outs

    return edit_model(model, edit)


def mixed_network() -> bytes:
    """The network inside an int8 model: int8 -> int16 and int16 -> int8 QUANTIZEs."""
    return wrap_int8(network_model(**S16))


def test_16x8_network_matches_tflm() -> None:
    m = check(network_model(**S16), [NETWORK_SHAPE], seed=50, samples=3)
    assert NETWORK_KERNELS <= set(kernels(m)), kernels(m)


def test_a_loaded_16x8_model_stays_exact_run_after_run() -> None:
    """One loaded model, several runs: after the first, calls are replayed
    from their bound C call (int16 RESHAPE's byte copy among them)."""
    data = network_model(**S16)
    m = load(data)
    rng = np.random.default_rng(54)
    for _ in range(4):
        x = random_int16(rng, NETWORK_SHAPE)
        got = m.run(x)
        for g, e in zip(got, run_tflm(data, [x])):
            np.testing.assert_array_equal(g, e)
    table = m._tables[0]
    assert table[kernels(m).index("reshape_s16")] is not None


def test_16x8_network_with_float_io_matches_tflm() -> None:
    m = check(float_io_network(), [NETWORK_SHAPE], seed=51, ranges=[NETWORK_RANGE], samples=3)
    assert NETWORK_KERNELS | {"pycmsisnn_quantize_f32_s16", "pycmsisnn_dequantize_s16"} <= set(kernels(m)), kernels(m)


def test_int8_model_with_an_int16_section_matches_tflm() -> None:
    model = mixed_network()
    m = load(model)
    assert [t.dtype for t in m.inputs + m.outputs] == [np.int8] * 3
    ks = kernels(m)
    assert ks[0] == "pycmsisnn_requantize_s8_s16" and ks[-2:] == ["pycmsisnn_requantize_s16_s8"] * 2, ks
    assert NETWORK_KERNELS <= set(ks)
    rng = np.random.default_rng(52)
    for _ in range(3):
        x = rng.integers(-128, 128, size=NETWORK_SHAPE, dtype=np.int8)
        run_both(model, [x])
    # The arena holds int8 and int16 tensors by their byte sizes.
    arena = plan_arena(m.plan)
    for i, p in arena.tensors.items():
        assert p.nbytes == m.graph.tensor(i).nbytes
    assert any(m.graph.tensor(i).dtype == np.int16 for i in arena.tensors)


@pytest.mark.parametrize("factors", [(1.0, 1.0, 0, 0), (1 / 3, 1 / 5, -20, 100), (4000.0, 7000.0, 127, -128)], ids=["same", "fine", "coarse"])
def test_mixed_border_scales_match_tflm(factors: tuple[float, float, int, int]) -> None:
    """int8 <-> int16 QUANTIZEs with multipliers below one, above one (left
    shifts) and exactly one, around a 16x8 TRANSPOSE."""
    in_f, out_f, in_zp, out_zp = factors
    shape, perm, rng = TRANSPOSE_CONFIGS[3]
    model = wrap_int8(transpose_model(shape, perm, rng, **S16), in_f, in_zp, out_f, out_zp)
    gen = np.random.default_rng(53)
    x = gen.integers(-128, 128, size=shape, dtype=np.int8)
    x.reshape(-1)[:2] = -128, 127
    m = run_both(model, [x])
    assert kernels(m) == ["pycmsisnn_requantize_s8_s16", "pycmsisnn_transpose_s16", "pycmsisnn_requantize_s16_s8"]


# ------------------------------------------- conversion kernels, exhaustively

ALL_INT16 = np.arange(I16_MIN, I16_MAX + 1, dtype=np.int16).reshape(1, 256, 256)
ALL_INT8 = np.arange(-128, 128, dtype=np.int8).reshape(1, 16, 16)
# (input scale, zero point) -> (output scale, zero point): ratios from 1/300 to
# 300, exactly one, and zero points at both ends of each type.
REQUANT_S16: list[tuple[tuple[float, int], tuple[float, int]]] = [
    ((3.05e-5, 0), (3.05e-5, 0)),
    ((3.05e-5, 0), (6.1e-5, 0)),
    ((1e-3, 0), (7.3e-6, 0)),
    ((2.2e-4, 0), (1.9e-4, 0)),
    ((5e-4, 17), (4.1e-3, -300)),
    ((1.0, -32768), (3.0, 32767)),
    ((0.01, 1000), (0.3, -5)),
]
REQUANT_S8_S16: list[tuple[tuple[float, int], tuple[float, int]]] = [
    ((0.02, 3), (3.05e-5, 0)),
    ((0.05, -128), (2e-6, 0)),
    ((0.1, 127), (0.1, 127)),
    ((0.003, -7), (0.9, -20000)),
    ((1.0, 0), (1 / 64, 5)),
]
REQUANT_S16_S8: list[tuple[tuple[float, int], tuple[float, int]]] = [
    ((3.05e-5, 0), (0.0078, 0)),
    ((3.05e-5, 0), (0.004, -128)),
    ((1e-4, 0), (0.05, 127)),
    ((0.2, -4000), (0.3, 9)),
    ((1e-6, 0), (1e-6, 0)),
]


def _exhaustive(model: bytes, x: np.ndarray, kernel: str) -> None:
    m = load(model)
    assert kernels(m) == [kernel]
    np.testing.assert_array_equal(m.run(x)[0], run_tflm(model, [x])[0])


@pytest.mark.parametrize("q_in,q_out", REQUANT_S16, ids=[f"{a}->{b}" for a, b in REQUANT_S16])
def test_quantize_int16_to_int16_every_value(q_in: tuple[float, int], q_out: tuple[float, int]) -> None:
    _exhaustive(handmade_model("QUANTIZE", ALL_INT16.shape, np.int16, np.int16, q_in, q_out), ALL_INT16, "pycmsisnn_requantize_s16")


@pytest.mark.parametrize("q_in,q_out", REQUANT_S8_S16, ids=[f"{a}->{b}" for a, b in REQUANT_S8_S16])
def test_quantize_int8_to_int16_every_value(q_in: tuple[float, int], q_out: tuple[float, int]) -> None:
    _exhaustive(handmade_model("QUANTIZE", ALL_INT8.shape, np.int8, np.int16, q_in, q_out), ALL_INT8, "pycmsisnn_requantize_s8_s16")


@pytest.mark.parametrize("q_in,q_out", REQUANT_S16_S8, ids=[f"{a}->{b}" for a, b in REQUANT_S16_S8])
def test_quantize_int16_to_int8_every_value(q_in: tuple[float, int], q_out: tuple[float, int]) -> None:
    _exhaustive(handmade_model("QUANTIZE", ALL_INT16.shape, np.int16, np.int8, q_in, q_out), ALL_INT16, "pycmsisnn_requantize_s16_s8")


@pytest.mark.parametrize("q", [(3.05e-5, 0), (0.37, -1234), (1e-9, 32767), (7.0, -32768)])
def test_dequantize_int16_every_value(q: tuple[float, int]) -> None:
    _exhaustive(handmade_model("DEQUANTIZE", ALL_INT16.shape, np.int16, np.float32, q, None), ALL_INT16, "pycmsisnn_dequantize_s16")


@pytest.mark.parametrize("q", [(3.05e-5, 0), (0.013, 77), (2.5e-7, -32768), (0.5, 32767)])
def test_quantize_float_to_int16_halves_and_random_values(q: tuple[float, int]) -> None:
    """Every step and exact half-step of the int16 grid (ties go away from
    zero), values just beside the halves, far outside the range (quotients up
    to 2e9), and random values."""
    scale, _ = q
    s = np.float32(scale)
    steps = np.arange(-40000, 40001, dtype=np.float32)
    halves = (steps + np.float32(0.5)) * s
    values = np.concatenate([
        steps * s, halves, np.nextafter(halves, np.float32(np.inf)), np.nextafter(halves, np.float32(-np.inf)),
        np.float32([2e9, -2e9, 7e4, -7e4, 0.0, -0.0]) * s,  # quotients beyond int32 are undefined in TFLite Micro
        np.random.default_rng(5).uniform(-40000 * scale, 40000 * scale, 20000).astype(np.float32),
    ]).astype(np.float32)
    x = values.reshape(1, -1)
    _exhaustive(handmade_model("QUANTIZE", x.shape, np.float32, np.int16, None, q), x, "pycmsisnn_quantize_f32_s16")


# ------------------------------------------------------------------ refusals


def _retype(model: bytes, tensor: Callable[[Any], int], type_name: str) -> bytes:
    def edit(m: Any) -> None:
        t = m.subgraphs[0].tensors[tensor(m.subgraphs[0])]
        t.type = getattr(schema().TensorType, type_name)

    return edit_model(model, edit)


def _refused(model: bytes, pattern: str) -> None:
    """``model`` is refused with a reason matching ``pattern``."""
    assert re.search(pattern, _reasons(model)), _reasons(model)


def _reasons(model: bytes) -> str:
    with pytest.raises(UnsupportedModelError) as info:
        load(model)
    return str(info.value)


def first_output(sg: Any) -> int:
    return int(sg.outputs[0])


def test_quantize_and_dequantize_refusals() -> None:
    q = handmade_model("QUANTIZE", (1, 8), np.int16, np.int16, (0.1, 0), (0.2, 0))
    assert "QUANTIZE x1: operator 0: output 'output' is int32, needs int8/int16" in _reasons(_retype(q, first_output, "INT32"))
    assert "QUANTIZE x1: operator 0: input 'input_0' is int32, needs float32/int8/int16" in _reasons(_retype(q, lambda sg: 0, "INT32"))
    huge = handmade_model("QUANTIZE", (1, 8), np.int16, np.int16, (100.0, 0), (0.001, 0))
    assert "requantising by 100000 shifts int16 inputs left by 17, out of 32 bits" in _reasons(huge)
    d = handmade_model("DEQUANTIZE", (1, 8), np.int16, np.float32, (0.1, 0), None)
    assert "DEQUANTIZE x1: operator 0: input 'input_0' is int32, needs int8/int16" in _reasons(_retype(d, lambda sg: 0, "INT32"))


def test_mixed_types_in_data_movement_are_refused() -> None:
    """A copy never changes type: int16 in, int8 out (or the reverse) is refused."""
    shape, perm, rng = TRANSPOSE_CONFIGS[0]
    model = transpose_model(shape, perm, rng, **S16)
    _refused(_retype(model, first_output, "INT8"), r"TRANSPOSE x1: operator 0: output '[^']+' is int8, needs int16")
    concat = concat_model(*CONCAT_CONFIGS[7], **S16)
    _refused(_retype(concat, first_output, "INT8"), r"CONCATENATION x1: operator \d: input 0 '[^']+' is int16, needs int8")
    name, shape, fn, rng = SLICE_CONFIGS[0]
    _refused(_retype(slice_model(name, shape, fn, rng, **S16), first_output, "INT8"), r"STRIDED_SLICE x1: operator 0: output '[^']+' is int8, needs int16")
    reshape = build_model("s16-data-RESHAPE-flatten-(1, 3, 4, 5)", lambda i: tf().keras.layers.Flatten()(i[0]), [(1, 3, 4, 5)], seed=31, **S16)
    _refused(_retype(reshape, first_output, "INT8"), r"RESHAPE x1: operator 0: output '[^']+' is int8, needs int16")


def test_mean_16x8_refusals() -> None:
    name, shape, axes, keep, rng = MEAN_CONFIGS[0]
    model = mean_model(shape, axes, keep, rng, **S16)
    _refused(_retype(model, first_output, "INT8"), r"MEAN x1: operator 0: output '[^']+' is int8, needs int16")
    big = build_model("s16-data-MEAN-too-many", lambda i: tf().keras.ops.mean(i[0], axis=(1, 2)), [(1, 200, 200, 1)], seed=34, **S16)
    assert "MEAN x1: operator 0: 40000 elements per mean overflow the int32 sum" in _reasons(big)


def test_keras_input_order_is_kept_by_the_wrap() -> None:
    """wrap_int8 keeps the Keras input name on the new int8 input."""
    m = load(mixed_network())
    assert keras_index(m.inputs[0]) == 0 and m.inputs[0].dtype == np.int8
