"""Single-op int8 models built with TensorFlow's converter, cached per test run.

``build_model(key, make, input_shapes)`` calls ``make(inputs)`` on Keras
inputs (batch size fixed) to get the output tensor(s), converts the model to a
full-integer int8 TFLite flatbuffer with a seeded random representative data
set (``input_range``: one (low, high) for every input, or a list with one
per input), and returns the bytes. Models are cached in memory and on disk under
``PYCMSISNN_MODEL_CACHE`` (default: ``.pytest_cache/pycmsisnn-models``),
keyed by ``key`` and the TensorFlow version, so each is converted once per run.
The key must describe everything ``make`` does (the seed included).
``int16x8=True`` converts to TFLite's 16x8 scheme instead (int16 activations,
int8 weights, int64 biases; int16 I/O when ``int8_io``), under its own key.
Keras inputs are named ``input_<i>``; ``tests.support.tflm.run_tflm`` takes
inputs in that order whatever order the converter gave the model's inputs.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

_MEMORY: dict[str, bytes] = {}
ROOT = Path(__file__).resolve().parents[2]


def _cache_dir() -> Path:
    d = Path(os.environ.get("PYCMSISNN_MODEL_CACHE", ROOT / ".pytest_cache" / "pycmsisnn-models"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def tf():  # noqa: ANN201 - the tensorflow module, imported lazily (slow import)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow

    return tensorflow


def build_model(
    key: str,
    make: Callable[[list], object],
    input_shapes: Sequence[Sequence[int]],
    *,
    seed: int = 0,
    per_channel_dense: bool = True,
    int8_io: bool = True,
    input_range: tuple[float, float] | Sequence[tuple[float, float]] = (-1.0, 1.0),
    samples: int = 16,
    int16x8: bool = False,
) -> bytes:
    """The converted int8 model for ``key`` (converted once, then cached).

    ``int16x8``: TFLite's 16x8 scheme instead (int16 activations with zero
    point 0, int8 weights, int64 conv biases) with int16 inputs and outputs
    when ``int8_io``."""
    t = tf()
    full_key = f"{key}|seed={seed}|pc_dense={per_channel_dense}|int8_io={int8_io}|range={input_range}|tf={t.__version__}"
    if int16x8:  # only then, so that the int8 models keep their cache keys
        full_key += "|int16x8"
    digest = hashlib.sha256(full_key.encode()).hexdigest()[:24]
    if digest in _MEMORY:
        return _MEMORY[digest]
    path = _cache_dir() / f"{digest}.tflite"
    if path.exists():
        data = path.read_bytes()
        _MEMORY[digest] = data
        return data

    t.keras.utils.set_random_seed(seed)
    inputs = [t.keras.Input(shape=tuple(s[1:]), batch_size=s[0], name=f"input_{i}") for i, s in enumerate(input_shapes)]
    outputs = make(inputs)
    model = t.keras.Model(inputs, outputs)
    ranges = [tuple(input_range)] * len(input_shapes) if np.isscalar(input_range[0]) else [tuple(r) for r in input_range]  # type: ignore[index, arg-type]

    def representative():
        rng = np.random.default_rng(seed + 1)
        for _ in range(samples):
            yield {
                f"input_{i}": rng.uniform(r[0], r[1], size=tuple(s)).astype(np.float32)
                for i, (r, s) in enumerate(zip(ranges, input_shapes))
            }

    conv = t.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [t.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    if int16x8:
        conv.target_spec.supported_ops = [t.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    else:
        conv.target_spec.supported_ops = [t.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if int8_io:
        conv.inference_input_type = t.int16 if int16x8 else t.int8
        conv.inference_output_type = t.int16 if int16x8 else t.int8
    if not per_channel_dense:
        conv._experimental_disable_per_channel_quantization_for_dense_layers = True
    data = bytes(conv.convert())
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)
    _MEMORY[digest] = data
    return data


def random_bias_initializer(stddev: float = 0.5):  # noqa: ANN201
    """A seeded non-zero bias initialiser (biases must not be all zero in tests)."""
    return tf().keras.initializers.RandomNormal(stddev=stddev)
