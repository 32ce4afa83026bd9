"""Make the example models bundled in pycmsisnn/data (needs TensorFlow).

    python tools/make_examples.py

conv_example.tflite: one int8 CONV_2D layer shaped like the first layer of a
keyword-spotting DS-CNN (49x10 MFCC input, 10x4 filter, stride 2, SAME, ReLU),
random weights and biases from a fixed seed, converted with TFLite's
full-integer int8 converter.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "pycmsisnn" / "data"


def conv_example() -> bytes:
    import tensorflow as tf

    tf.keras.utils.set_random_seed(7)
    inp = tf.keras.Input(shape=(49, 10, 1), batch_size=1, name="mfcc")
    out = tf.keras.layers.Conv2D(
        16, (10, 4), strides=2, padding="same", activation="relu",
        bias_initializer=tf.keras.initializers.RandomNormal(stddev=0.5),
    )(inp)
    model = tf.keras.Model(inp, out)

    def representative():
        rng = np.random.default_rng(8)
        for _ in range(32):
            yield [rng.normal(0.0, 2.0, size=(1, 49, 10, 1)).astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return bytes(conv.convert())


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "conv_example.tflite").write_bytes(conv_example())
    print(f"wrote {DATA / 'conv_example.tflite'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
