"""Every refusal of the reader and of lowering, each on a real bad file."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.lower import RULES, UnsupportedModelError
from pycmsisnn.runtime import load
from pycmsisnn.tflite import ModelError, read_model

from ..support.flatbuffer_edit import edit_model
from ..support.model_view import ops, schema
from ..support.tflite_build import build_model, tf


def _small_model() -> bytes:
    def make(inp):  # noqa: ANN001, ANN202
        x = tf().keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inp[0])
        return tf().keras.layers.Dense(3)(tf().keras.layers.Flatten()(x))

    return build_model("refusal-base-conv-dense", make, [(1, 6, 6, 2)])


def test_random_bytes_are_not_a_model() -> None:
    junk = np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes()
    with pytest.raises(ModelError, match="not a TFLite model"):
        read_model(junk)


def test_truncated_model() -> None:
    data = _small_model()
    for cut in (6, 64, len(data) // 3, len(data) - 100):
        with pytest.raises(ModelError, match="truncated|corrupt|not a TFLite model"):
            read_model(data[:cut])


def test_missing_file(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ModelError, match="no such model file"):
        read_model(tmp_path / "absent.tflite")


def test_float_model_asks_for_full_integer_quantisation() -> None:
    t = tf()
    t.keras.utils.set_random_seed(0)
    inp = t.keras.Input((6, 6, 2), batch_size=1)
    model = t.keras.Model(inp, t.keras.layers.Conv2D(3, 3)(inp))
    data = bytes(t.lite.TFLiteConverter.from_keras_model(model).convert())
    with pytest.raises(ModelError, match="float model.*full-integer int8"):
        read_model(data)


def test_uint8_legacy_model() -> None:
    uint8 = schema().TensorType.UINT8

    def to_uint8(m) -> None:  # noqa: ANN001
        for t in m.subgraphs[0].tensors:
            if t.type == schema().TensorType.INT8 and m.buffers[t.buffer].data is None:
                t.type = uint8
                t.quantization.zeroPoint = [int(z) + 128 for z in t.quantization.zeroPoint]  # as uint8 models have them

    with pytest.raises(ModelError, match="uint8 .legacy"):
        read_model(edit_model(_small_model(), to_uint8))


def test_two_subgraphs() -> None:
    def add_subgraph(m) -> None:  # noqa: ANN001
        m.subgraphs.append(m.subgraphs[0])

    with pytest.raises(ModelError, match="2 subgraphs"):
        read_model(edit_model(_small_model(), add_subgraph))


def test_dynamic_shape() -> None:
    def dynamic(m) -> None:  # noqa: ANN001
        sg = m.subgraphs[0]
        t = sg.tensors[sg.inputs[0]]
        t.shapeSignature = [1, -1, -1, 2]

    with pytest.raises(ModelError, match="dynamic shape"):
        read_model(edit_model(_small_model(), dynamic))


def test_dynamic_batch_is_accepted() -> None:
    def dynamic_batch(m) -> None:  # noqa: ANN001
        sg = m.subgraphs[0]
        sg.tensors[sg.inputs[0]].shapeSignature = [-1, 6, 6, 2]

    graph = read_model(edit_model(_small_model(), dynamic_batch))
    assert graph.tensor(graph.inputs[0]).shape == (1, 6, 6, 2)


def test_every_unsupported_operator_is_listed_with_its_count() -> None:
    def make(inp):  # noqa: ANN001, ANN202
        L = tf().keras.layers
        x = L.UpSampling2D(2)(inp[0])
        x = L.Conv2D(4, 3, padding="same")(x)
        x = L.UpSampling2D(2)(x)
        return tf().keras.layers.Lambda(lambda t: tf().nn.space_to_depth(t, 2))(x)

    def retire(m: Any) -> None:  # operators that run (or may): made into operators none runs
        S = schema().BuiltinOperator
        for code in m.operatorCodes:
            new = {S.TILE: S.SKIP_GRAM, S.RESIZE_NEAREST_NEIGHBOR: S.SKIP_GRAM, S.SPACE_TO_DEPTH: S.LSH_PROJECTION}.get(max(code.builtinCode, code.deprecatedBuiltinCode))
            if new is not None:
                code.builtinCode = code.deprecatedBuiltinCode = new

    data = edit_model(build_model("refusal-unsupported-ops", make, [(1, 4, 4, 2)]), retire)
    counts: dict[str, int] = {}
    for op in ops(data):
        counts[op.name] = counts.get(op.name, 0) + 1
    missing = {name: n for name, n in counts.items() if name not in RULES}
    assert missing["LSH_PROJECTION"] == 1 and missing["SKIP_GRAM"] >= 2
    with pytest.raises(UnsupportedModelError) as err:
        load(data)
    text = str(err.value)
    for name, n in missing.items():
        assert f"{name} x{n}: operator " in text
    assert "CONV_2D" not in text
