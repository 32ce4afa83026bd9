"""Constant folding (``pycmsisnn.fold``): shape arithmetic of models converted
with a dynamic batch evaluated at load time, exact against TensorFlow Lite
Micro; the folded graph's operators; refusals of what stays dynamic or what
TFLM itself refuses, by reason; ``PYCMSISNN_NO_FOLDING``; and each evaluator
against TFLM running the same operator on int32 / bool tensors."""
from __future__ import annotations

import hashlib
import inspect
import os
from typing import Any, Callable, Sequence

import numpy as np
import pytest

from pycmsisnn import runtime
from pycmsisnn.fold import FOLDERS, NO_FOLDING_ENV
from pycmsisnn.ir import Operator, Tensor
from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.operator_options import AxisCountOptions, GatherOptions, ConcatenationOptions, FusedOptions, NoOptions, StridedSliceOptions
from tests.support.tflite_build import _MEMORY, _cache_dir, tf
from tests.support.tflm import run_tflm


def dynamic_batch_model(key: str, fn: Callable[[Any], Any], shape: Sequence[int], *, keras: bool = False) -> bytes:
    """``fn`` converted to a full-integer int8 model with the batch left
    dynamic (``None``), so the converter keeps the shape arithmetic. Cached
    like ``build_model``."""
    t = tf()
    full = f"fold|{key}|{inspect.getsource(fn)}|{list(shape)}|keras={keras}|tf={t.__version__}"
    digest = hashlib.sha256(full.encode()).hexdigest()[:24]
    path = _cache_dir() / f"{digest}.tflite"
    if digest in _MEMORY:
        return _MEMORY[digest]
    if path.exists():
        _MEMORY[digest] = path.read_bytes()
        return _MEMORY[digest]
    t.keras.utils.set_random_seed(0)
    if keras:
        inp = t.keras.Input(shape=tuple(shape), name="input_0")
        conv = t.lite.TFLiteConverter.from_keras_model(t.keras.Model(inp, fn(inp)))
    else:
        concrete = t.function(fn).get_concrete_function(t.TensorSpec([None, *shape], t.float32))
        conv = t.lite.TFLiteConverter.from_concrete_functions([concrete])

    def representative():  # noqa: ANN202
        rng = np.random.default_rng(1)
        for _ in range(8):
            yield [rng.uniform(-1, 1, size=(1, *shape)).astype(np.float32)]

    conv.optimizations = [t.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [t.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = conv.inference_output_type = t.int8
    data = bytes(conv.convert())
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)
    _MEMORY[digest] = data
    return data


# ------------------------------------------------------------ the models

def _reshape_batch(x):  # noqa: ANN001, ANN202 - what Keras' Reshape does with a dynamic batch
    return tf().nn.relu(tf().reshape(x, tf().stack([tf().shape(x)[0], 4, 4])))


def _reshape_unstack(x):  # noqa: ANN001, ANN202
    a, b, c = tf().unstack(tf().shape(x))
    return tf().nn.relu(tf().reshape(x, [a, b * c]))


def _reshape_concat(x):  # noqa: ANN001, ANN202
    t = tf()
    return t.reshape(x, t.concat([t.shape(x)[:1], [2, 8]], axis=0)) + t.constant(np.linspace(-1, 1, 8, dtype=np.float32))


def _reshape_mul(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.stack([s[0] * 2, 8]))


def _reshape_maximum(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.stack([t.maximum(s[0], 1), 2, t.minimum(s[1], 64) // 2]))


def _reshape_sub(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.nn.relu(t.reshape(x, t.stack([s[0] - 0 * s[1], 12, 2])))


def _reshape_split(x):  # noqa: ANN001, ANN202
    t = tf()
    b, h, w = t.split(t.shape(x), 3)
    return t.reshape(x, t.concat([b, [15]], axis=0))


def _reshape_slice(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.concat([s[0:1], [s[1] * s[2]]], axis=0))


def _reshape_reversed(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.stack([s[-3], s[-1], s[-2]]))


def _reshape_strided(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.concat([s[::2], s[1:2]], axis=0))


def _reshape_expand(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    return t.reshape(x, t.concat([t.expand_dims(s[0], 0), [4, 4]], axis=0))


def _reshape_cast(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    positive = t.cast(t.cast(s[0] > 0, t.int32) * s[0], t.int32)
    return t.reshape(x, t.stack([positive, 16]))


def _reshape_where(x):  # noqa: ANN001, ANN202
    t = tf()
    s = t.shape(x)
    same = t.cast(t.logical_and(t.equal(s[0], 1), t.logical_not(t.less(s[0], 0))), t.int32)
    return t.reshape(x, t.stack([s[0] * same, 8, 2]))


def _two_reshapes(x):  # noqa: ANN001, ANN202
    t = tf()
    y = t.reshape(x, t.stack([t.shape(x)[0], 4, 4]))
    return t.reshape(t.nn.relu(y), t.stack([t.shape(y)[0], 16])) - t.constant(np.linspace(-1, 1, 16, dtype=np.float32))


def _keras_reshape(inp):  # noqa: ANN001, ANN202
    k = tf().keras.layers
    return k.Reshape((4, 4))(k.Dense(16)(inp))


def _keras_autoencoder(inp):  # noqa: ANN001, ANN202
    k = tf().keras.layers
    h = k.Dense(8, activation="relu")(k.Flatten()(inp))
    y = k.Reshape((4, 4))(k.Dense(16)(h))
    return k.Flatten()(k.Conv1D(2, 3, padding="same")(y))


def _keras_conv_autoencoder(inp):  # noqa: ANN001, ANN202
    k = tf().keras.layers
    h = k.Conv2D(4, 3, padding="same", activation="relu")(inp)
    z = k.Dense(12, activation="relu")(k.Flatten()(h))
    y = k.Reshape((2, 2, 3))(k.Dense(12)(z))
    return k.Conv2DTranspose(2, 3, strides=2, padding="same")(y)


# name: (function, input shape without batch, Keras model?, the operators the folded graph keeps)
RUNNABLE: dict[str, tuple[Callable[[Any], Any], tuple[int, ...], bool, list[str]]] = {
    "reshape_batch": (_reshape_batch, (16,), False, ["RESHAPE", "RELU"]),
    "reshape_unstack": (_reshape_unstack, (4, 6), False, ["RESHAPE", "RELU"]),
    "reshape_concat": (_reshape_concat, (16,), False, ["RESHAPE", "ADD"]),
    "reshape_maximum": (_reshape_maximum, (16,), False, ["RESHAPE"]),
    "reshape_sub": (_reshape_sub, (24,), False, ["RESHAPE", "RELU"]),
    "reshape_split": (_reshape_split, (3, 5), False, ["RESHAPE"]),
    "reshape_slice": (_reshape_slice, (2, 6), False, ["RESHAPE"]),
    "reshape_reversed": (_reshape_reversed, (3, 4), False, ["RESHAPE"]),
    "reshape_strided": (_reshape_strided, (3, 4), False, ["RESHAPE"]),
    "reshape_expand": (_reshape_expand, (16,), False, ["RESHAPE"]),
    "reshape_cast": (_reshape_cast, (16,), False, ["RESHAPE"]),
    "reshape_where": (_reshape_where, (16,), False, ["RESHAPE"]),
    "two_reshapes": (_two_reshapes, (16,), False, ["RESHAPE", "RELU", "RESHAPE", "SUB"]),
    "keras_reshape": (_keras_reshape, (8,), True, ["FULLY_CONNECTED", "RESHAPE"]),
    "keras_autoencoder": (_keras_autoencoder, (4, 4), True, None),  # type: ignore[dict-item]
    "keras_conv_autoencoder": (_keras_conv_autoencoder, (4, 4, 1), True, None),  # type: ignore[dict-item]
}


def _model(name: str) -> bytes:
    fn, shape, keras, _ = RUNNABLE[name]
    return dynamic_batch_model(name, fn, shape, keras=keras)


def _inputs(model: runtime.Model, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(-128, 128, size=t.shape, dtype=np.int8) for t in model.inputs]


@pytest.mark.parametrize("name", sorted(RUNNABLE))
def test_folded_model_is_exact_against_tflm(name: str) -> None:
    data = _model(name)
    model = runtime.load(data)
    kept = RUNNABLE[name][3]
    assert model.graph.folded, "nothing was folded: the converter left no shape arithmetic"
    assert {f.opcode for f in model.graph.folded} & {"SHAPE"}
    if kept is not None:
        assert sorted(op.opcode for op in model.graph.operators) == sorted(kept)
    left = {op.opcode for op in model.graph.operators}
    assert not left & {"SHAPE", "PACK", "UNPACK", "STRIDED_SLICE", "CONCATENATION", "SPLIT", "CAST"} or name.startswith("keras")
    for seed in range(3):
        x = _inputs(model, seed)
        ours, ref = model.run(x), run_tflm(data, x)
        assert len(ours) == len(ref)
        for a, b in zip(ours, ref):
            np.testing.assert_array_equal(a, b.reshape(a.shape))


def test_folded_operators_and_their_constants() -> None:
    model = runtime.load(_model("reshape_batch"))
    g = model.graph
    assert [f.opcode for f in g.folded] == ["SHAPE", "STRIDED_SLICE", "PACK"]
    pack = g.folded[-1]
    np.testing.assert_array_equal(g.tensor(pack.outputs[0]).data, [1, 4, 4])
    # the folded operators keep their indices in the file; the kept ones too
    assert sorted([f.index for f in g.folded] + [op.index for op in g.operators]) == list(range(len(g.folded) + len(g.operators)))


def test_inspect_reports_folded_operators() -> None:
    from pycmsisnn.inspect_model import describe, inspect_graph
    from pycmsisnn.tflite import read_model

    graph = read_model(_model("reshape_unstack"), strict=False)
    text = describe(graph)
    assert "folded at load time: 'Shape' int32[3] = [1, 4, 6]" in text
    assert "4 more folded at load time" in text
    rows = inspect_graph(graph).to_dict()["layers"]
    assert [r["opcode"] for r in rows if r["folded"]] == ["SHAPE", "UNPACK", "MUL", "PACK"]


def test_no_folding_switch_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _model("reshape_batch")
    monkeypatch.setenv(NO_FOLDING_ENV, "1")
    with pytest.raises(UnsupportedModelError) as info:
        runtime.load(data)
    reasons = "\n".join(info.value.reasons)
    assert "SHAPE x1: operator 0: shape arithmetic, evaluated at load time, but constant folding is switched off" in reasons
    assert "PACK x1" in reasons
    monkeypatch.setenv(NO_FOLDING_ENV, "0")
    assert runtime.load(data).graph.folded


# ------------------------------------------------------------ refusals


def _fill(x):  # noqa: ANN001, ANN202
    t = tf()
    return x + t.fill(t.stack([t.shape(x)[0], 8]), 0.5)


def _broadcast(x):  # noqa: ANN001, ANN202
    t = tf()
    return t.broadcast_to(x, t.stack([t.shape(x)[0], 4, 8]))


def _gather_shape(x):  # noqa: ANN001, ANN202
    t = tf()
    return t.reshape(x, t.stack([t.gather(t.shape(x), 0), 4, 4]))


def _data_shape(x):  # noqa: ANN001, ANN202
    t = tf()
    n = t.argmax(x, axis=1, output_type=t.int32)[0]
    return t.reshape(x, t.stack([t.shape(x)[0], t.minimum(n, 0) + 16]))


REFUSED = {
    # TFLM needs FILL's dims constant in the model: it refuses this model too
    "fill": (_fill, (8,), "FILL x1: operator 1: its dims input 'Shape' is computed by operator 0 (SHAPE); "
             "TensorFlow Lite Micro needs it constant in the model"),
    "broadcast": (_broadcast, (8,), "BROADCAST_TO x1: operator 3: its shape input 'stack' is computed by operator 2 (PACK)"),
    # TFLM runs GATHER on int8/int16 params, not int32
    "gather_shape": (_gather_shape, (16,), "TensorFlow Lite Micro runs GATHER on int8/int16 data only"),
    # the converter wrote the output shape for batch 1: [1, 8], not [2, 8]
    "reshape_mul": (_reshape_mul, (16,), "RESHAPE x1: operator 4: input has 16 elements, output 8"),
    # the shape depends on the input's values
    "data_shape": (_data_shape, (16,), "depends on input data: input"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_by_reason(name: str) -> None:
    fn, shape, reason = REFUSED[name]
    data = dynamic_batch_model(name, fn, shape)
    with pytest.raises(UnsupportedModelError) as info:
        runtime.load(data)
    assert reason in str(info.value), str(info.value)
    if name in ("fill", "broadcast", "gather_shape", "reshape_mul"):  # TFLM refuses them as well
        with pytest.raises(RuntimeError):
            run_tflm(data, [np.zeros((1, *shape), np.int8)])


def test_data_dependent_shape_names_the_operator() -> None:
    data = dynamic_batch_model("data_shape", *REFUSED["data_shape"][:2])
    with pytest.raises(UnsupportedModelError) as info:
        runtime.load(data)
    text = str(info.value)
    assert "ARG_MAX" in text and "depends on input data: input" in text and "is computed at run time by operator" in text


# ------------------------------------------------------------ evaluators against TFLM

def _tflm_single(opcode: str, ins: list[np.ndarray], const: dict[int, np.ndarray], outs: list[tuple[list[int], Any]],
                 options: tuple[str, dict[str, Any]] | None = None) -> list[np.ndarray]:
    """TFLM running one ``opcode`` on ``ins`` (constant where ``const``)."""
    import flatbuffers
    from tflite_micro.python.tflite_micro import runtime as tflm

    fb = tflm.schema_fb
    types = {np.dtype(np.int32): fb.TensorType.INT32, np.dtype(np.bool_): fb.TensorType.BOOL, np.dtype(np.int8): fb.TensorType.INT8}
    m = fb.ModelT()
    m.version = 3
    code = fb.OperatorCodeT()
    code.builtinCode = getattr(fb.BuiltinOperator, opcode)
    code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    code.version = 1
    m.operatorCodes = [code]
    m.buffers = [fb.BufferT()]
    tensors = []
    for k, arr in enumerate(ins):
        t = fb.TensorT()
        t.shape, t.type, t.name, t.buffer = list(arr.shape), types[arr.dtype], f"in{k}".encode(), 0
        if k in const:
            buf = fb.BufferT()
            buf.data = list(np.ascontiguousarray(arr).view(np.uint8).reshape(-1))
            m.buffers.append(buf)
            t.buffer = len(m.buffers) - 1
        tensors.append(t)
    for k, (shape, dtype) in enumerate(outs):
        t = fb.TensorT()
        t.shape, t.type, t.name, t.buffer = shape, types[np.dtype(dtype)], f"out{k}".encode(), 0
        tensors.append(t)
    sg = fb.SubGraphT()
    sg.tensors = tensors
    sg.inputs = [k for k in range(len(ins)) if k not in const]
    sg.outputs = list(range(len(ins), len(ins) + len(outs)))
    op = fb.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, list(range(len(ins))), sg.outputs
    if options is not None:
        table, fields = options
        obj = getattr(fb, table + "T")()
        for k, v in fields.items():
            setattr(obj, k, v)
        op.builtinOptionsType, op.builtinOptions = getattr(fb.BuiltinOptions, table), obj
    sg.operators = [op]
    m.subgraphs = [sg]
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    interp = tflm.Interpreter.from_bytes(bytes(b.Output()))
    for slot, k in enumerate(sg.inputs):
        interp.set_input(ins[k], slot)
    interp.invoke()
    return [np.array(interp.get_output(k)) for k in range(len(outs))]


def _ours(opcode: str, ins: list[np.ndarray], outs: list[tuple[list[int], Any]], options: Any) -> list[np.ndarray]:
    tensors = [Tensor(k, f"in{k}", a.shape, a.dtype, None, a) for k, a in enumerate(ins)]
    op = Operator(0, opcode, tuple(range(len(ins))), tuple(range(len(ins), len(ins) + len(outs))), options)
    results = FOLDERS[opcode].evaluate(op, [a for a in ins], tensors)
    return [np.asarray(r).astype(dtype).reshape(shape) for r, (shape, dtype) in zip(results, outs)]


_a = np.array([[7, -7, 3], [9, 0, -2]], np.int32)
_b = np.array([[2, 2, -2], [4, 0, 5]], np.int32)
I32 = np.int32
EVALUATORS: dict[str, tuple[str, list[np.ndarray], dict[int, np.ndarray], list[tuple[list[int], Any]], Any, Any]] = {
    "add_relu": ("ADD", [_a, _b], {}, [([2, 3], I32)], ("AddOptions", {"fusedActivationFunction": 1}), FusedOptions(1)),
    "sub_relu6": ("SUB", [_a, _b], {}, [([2, 3], I32)], ("SubOptions", {"fusedActivationFunction": 3}), FusedOptions(3)),
    "mul_relu": ("MUL", [_a, _b], {}, [([2, 3], I32)], ("MulOptions", {"fusedActivationFunction": 1}), FusedOptions(1)),
    "sub_broadcast": ("SUB", [_a, _b[:1]], {}, [([2, 3], I32)], None, FusedOptions()),
    "mul": ("MUL", [_a, _b], {}, [([2, 3], I32)], None, FusedOptions()),
    "maximum": ("MAXIMUM", [_a, _b], {}, [([2, 3], I32)], None, NoOptions()),
    "minimum": ("MINIMUM", [_a, _b], {}, [([2, 3], I32)], None, NoOptions()),
    "squared_difference": ("SQUARED_DIFFERENCE", [_a, _b], {}, [([2, 3], I32)], None, NoOptions()),
    "less": ("LESS", [_a, _b], {}, [([2, 3], np.bool_)], None, NoOptions()),
    "not_equal_bool": ("NOT_EQUAL", [_a > 0, _b > 0], {}, [([2, 3], np.bool_)], None, NoOptions()),
    "logical_or": ("LOGICAL_OR", [_a > 0, _b > 0], {}, [([2, 3], np.bool_)], None, NoOptions()),
    "cast_bool": ("CAST", [_a], {}, [([2, 3], np.bool_)], None, NoOptions()),
    "cast_int8": ("CAST", [_a.astype(np.int8)], {}, [([2, 3], I32)], None, NoOptions()),
    "pack_axis1": ("PACK", [_a, _b], {}, [([2, 2, 3], I32)], ("PackOptions", {"valuesCount": 2, "axis": 1}), AxisCountOptions(1, 2)),
    "unpack_axis1": ("UNPACK", [_a], {}, [([2], I32)] * 3, ("UnpackOptions", {"num": 3, "axis": 1}), AxisCountOptions(1, 3)),
    "concatenation": ("CONCATENATION", [_a, _b], {}, [([2, 6], I32)], ("ConcatenationOptions", {"axis": -1}), ConcatenationOptions(-1)),
    "strided_slice_masks": ("STRIDED_SLICE", [_a, np.array([1, -1], I32), np.array([0, -4], I32), np.array([1, -1], I32)],
                            {1: 0, 2: 0, 3: 0}, [([2, 3], I32)], ("StridedSliceOptions", {"beginMask": 1, "endMask": 1}),
                            StridedSliceOptions(1, 1)),
    "strided_slice_shrink": ("STRIDED_SLICE", [_a, np.array([1, 1], I32), np.array([2, 3], I32), np.array([1, 1], I32)],
                             {1: 0, 2: 0, 3: 0}, [([2], I32)], ("StridedSliceOptions", {"shrinkAxisMask": 1}),
                             StridedSliceOptions(shrink_axis_mask=1)),
    "slice": ("SLICE", [_a, np.array([0, 1], I32), np.array([-1, 2], I32)], {}, [([2, 2], I32)], None, NoOptions()),
    "split_v": ("SPLIT_V", [_a, np.array([1, -1], I32), np.array(1, I32)], {2: 0}, [([2, 1], I32), ([2, 2], I32)],
                ("SplitVOptions", {"numSplits": 2}), NoOptions()),
    "split": ("SPLIT", [np.array(0, I32), _a], {0: 0}, [([1, 3], I32)] * 2, ("SplitOptions", {"numSplits": 2}), NoOptions()),
    "transpose_int8": ("TRANSPOSE", [_a.astype(np.int8), np.array([1, 0], I32)], {1: 0}, [([3, 2], np.int8)], None, NoOptions()),
    "reverse": ("REVERSE_V2", [_a, np.array([1], I32)], {}, [([2, 3], I32)], None, NoOptions()),
    "expand_dims_int8": ("EXPAND_DIMS", [_a.astype(np.int8), np.array([0], I32)], {1: 0}, [([1, 2, 3], np.int8)], None, NoOptions()),
    "broadcast_to": ("BROADCAST_TO", [_a[:1], np.array([2, 2, 3], I32)], {1: 0}, [([2, 2, 3], I32)], None, NoOptions()),
    "reshape": ("RESHAPE", [_a, np.array([3, 2], I32)], {1: 0}, [([3, 2], I32)], None, NoOptions()),
    "zeros_like": ("ZEROS_LIKE", [_a], {}, [([2, 3], I32)], None, NoOptions()),
    "broadcast_args": ("BROADCAST_ARGS", [np.array([2, 1, 3], I32), np.array([4, 1], I32)], {}, [([3], I32)], None, NoOptions()),
    "fill": ("FILL", [np.array([2, 2], I32), np.array(-3, I32)], {0: 0}, [([2, 2], I32)], None, NoOptions()),
    "gather_int8": ("GATHER", [_a.astype(np.int8), np.array([2, 0, 0], I32)], {}, [([2, 3], np.int8)],
                    ("GatherOptions", {"axis": 1}), GatherOptions(1, 0)),
    "gather_nd_int8": ("GATHER_ND", [_a.astype(np.int8), np.array([[1, 2], [0, 0]], I32)], {}, [([2], np.int8)], None, NoOptions()),
}


@pytest.mark.parametrize("name", sorted(EVALUATORS))
def test_evaluator_matches_tflm(name: str) -> None:
    opcode, ins, const, outs, tflm_options, options = EVALUATORS[name]
    ref = _tflm_single(opcode, ins, const, outs, tflm_options)
    ours = _ours(opcode, ins, outs, options)
    for a, b in zip(ours, ref):
        np.testing.assert_array_equal(a, b.reshape(a.shape))


def test_overflow_is_not_folded() -> None:
    big = np.array([1 << 20], np.int32)
    from pycmsisnn.fold import FoldError

    with pytest.raises(FoldError, match="overflows int32"):
        _ours("MUL", [big, big], [([1], I32)], FusedOptions())
