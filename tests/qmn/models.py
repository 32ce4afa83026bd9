"""Models of the Qm.n tests, built once with TensorFlow's converter and cached
(tests.support.tflite_build)."""
from __future__ import annotations

import hashlib

from tests.support.tflite_build import _cache_dir, build_model, random_bias_initializer, tf

SHAPE = (1, 12, 12, 3)


def _layers(inputs: list) -> object:
    k = tf().keras.layers
    x = k.Conv2D(8, 3, padding="same", activation="relu", bias_initializer=random_bias_initializer())(inputs[0])
    x = k.DepthwiseConv2D(3, strides=2, padding="same", activation="relu", bias_initializer=random_bias_initializer())(x)
    x = k.Conv2D(6, 1, bias_initializer=random_bias_initializer())(x)
    x = k.Conv2D(5, 3, padding="valid", bias_initializer=random_bias_initializer())(x)
    x = k.MaxPooling2D(2)(x)
    x = k.Flatten()(x)
    return k.Dense(10, bias_initializer=random_bias_initializer())(x)


def legacy_model() -> bytes:
    """CONV_2D 3x3 (RGB input, ReLU) -> DEPTHWISE_CONV_2D 3x3 stride 2 (ReLU) ->
    CONV_2D 1x1 (8 -> 6 channels) -> CONV_2D 3x3 valid (6 -> 5) -> MAX_POOL_2D
    -> RESHAPE -> FULLY_CONNECTED 20 -> 10: one layer for each q7 kernel. int8,
    per-channel weights, as TF's converter makes it."""
    return build_model("qmn|legacy_model|v1", _layers, [SHAPE], seed=7, input_range=(-2.0, 2.0))


def float_model() -> bytes:
    """A float32 model of two layers (no quantisation at all)."""
    key = f"qmn|float_model|v1|tf={tf().__version__}"
    path = _cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.tflite"
    if path.exists():
        return path.read_bytes()
    t = tf()
    t.keras.utils.set_random_seed(3)
    inp = t.keras.Input(shape=(4, 4, 2), batch_size=1)
    x = t.keras.layers.Conv2D(2, 3)(inp)
    out = t.keras.layers.Dense(3)(t.keras.layers.Flatten()(x))
    data = bytes(t.lite.TFLiteConverter.from_keras_model(t.keras.Model(inp, out)).convert())
    path.write_bytes(data)
    return data
