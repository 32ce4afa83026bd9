"""Make the bundled default model, pycmsisnn/data/default_model.tflite.

    pip install tensorflow-cpu==2.21.0 scikit-learn==1.9.1 && python tools/make_default_model.py

A small residual CNN trained on scikit-learn's bundled 8x8 handwritten digits
(1797 images, 10 classes; no download), converted with TFLite's full-integer
int8 converter (int8 input and output). Operators: CONV_2D, DEPTHWISE_CONV_2D,
ADD, MAX_POOL_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX.
Prints the float accuracy and the int8 accuracy measured through pycmsisnn's
host runtime on the held-out quarter of the data.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pycmsisnn" / "data" / "default_model.tflite"
SEED = 1234


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images.astype(np.float32) / 16.0)[..., None]  # 0..1, NHWC
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(SEED).permutation(len(x))
    split = len(x) * 3 // 4
    return x[order[:split]], y[order[:split]], x[order[split:]], y[order[split:]]


def build(batch_size: int | None):  # noqa: ANN201 - a keras Model
    import tensorflow as tf

    L = tf.keras.layers
    inp = tf.keras.Input((8, 8, 1), batch_size=batch_size, name="digit")
    a = L.Conv2D(16, 3, padding="same", activation="relu")(inp)
    b = L.DepthwiseConv2D(3, padding="same", activation="relu")(a)
    b = L.Conv2D(16, 1)(b)
    c = L.ReLU()(L.Add()([a, b]))
    c = L.MaxPooling2D(2)(c)
    c = L.Conv2D(32, 3, padding="same", activation="relu6")(c)
    c = L.AveragePooling2D(4)(c)
    c = L.Flatten()(c)
    out = L.Dense(10, activation="softmax")(c)
    return tf.keras.Model(inp, out)


def main() -> int:
    import tensorflow as tf

    tf.keras.utils.set_random_seed(SEED)
    x_train, y_train, x_test, y_test = data()
    trained = build(None)
    trained.compile(optimizer=tf.keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    trained.fit(x_train, y_train, epochs=30, batch_size=32, verbose=0)
    _, float_acc = trained.evaluate(x_test, y_test, verbose=0)
    model = build(1)  # the deployed model takes one image
    model.set_weights(trained.get_weights())

    def representative():
        for i in range(0, 300, 3):
            yield [x_train[i : i + 1]]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    OUT.write_bytes(bytes(conv.convert()))

    import pycmsisnn.runtime as rt

    m = rt.load(OUT)
    q = m.inputs[0].quant
    assert q is not None
    correct = 0
    for x, y in zip(x_test, y_test):
        xq = np.clip(np.round(x / q.scale) + q.zero_point, -128, 127).astype(np.int8)[None]
        out = m.run(xq)
        assert isinstance(out, list)
        correct += int(np.argmax(out[0]) == y)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    print(f"float accuracy {float_acc:.4f}; int8 accuracy through pycmsisnn {correct / len(y_test):.4f} on {len(y_test)} held-out digits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
