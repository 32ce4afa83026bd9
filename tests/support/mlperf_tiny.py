"""Networks with the MLPerf Tiny v1.x architectures, built by the test suite.

The suite does not depend on the four real reference files: it builds
networks with the same layers, shapes, options and quantisation schemes
(per-channel convolutions, per-tensor fully connected, int8 I/O) from seeded
weights and a seeded representative data set, through TensorFlow's converter,
once per run (cached by ``tests.support.tflite_build``). Each reaches the same
kernel variants as its real twin:

- ``ad01``: the anomaly-detection FC autoencoder 640-128x4-8-128x4-640;
- ``kws01``: DS-CNN keyword spotting on 49x10x1 MFCCs (12 classes);
- ``ic01``: ResNet-8 on 32x32x3 CIFAR-10 images (10 classes);
- ``vww01``: MobileNetV1 alpha 0.25 on 96x96x3 images (2 classes).

The real files are an extra set (``--models-dir``, see the root ``conftest.py``),
named by ``REAL_FILES``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .flatbuffer_edit import edit_model
from .model_view import schema
from .tflite_build import build_model, random_bias_initializer, tf

ARCHITECTURES = ("ad01", "kws01", "ic01", "vww01")
REAL_FILES = {
    "ad01": "mlperf_tiny_ad01_fc_autoencoder_int8.tflite",
    "kws01": "mlperf_tiny_kws01_dscnn_int8.tflite",
    "ic01": "mlperf_tiny_ic01_resnet8_int8.tflite",
    "vww01": "mlperf_tiny_vww01_mobilenetv1_025_int8.tflite",
}


@dataclass(frozen=True)
class MlperfModel:
    """One MLPerf Tiny network: ``built`` by the suite or the ``real`` file."""

    arch: str
    source: str  # "built" or "real"
    data: bytes

    @property
    def id(self) -> str:
        return f"{self.arch}-{self.source}"


def _layers() -> Any:
    return tf().keras.layers


# Layers are named explicitly: the converter's operator order follows the
# names where the graph leaves it free, and Keras' automatic names depend on
# what the process built before.
def _conv(x: Any, name: str, filters: int, kernel: int | tuple[int, int], stride: int = 1, relu: bool = True) -> Any:
    L = _layers()
    return L.Conv2D(filters, kernel, strides=stride, padding="same", activation="relu" if relu else None,
                    bias_initializer=random_bias_initializer(0.1), name=name)(x)


def _depthwise(x: Any, name: str, stride: int = 1) -> Any:
    L = _layers()
    return L.DepthwiseConv2D(3, strides=stride, padding="same", activation="relu",
                             bias_initializer=random_bias_initializer(0.1), name=name)(x)


def _classifier(x: Any, classes: int) -> Any:
    L = _layers()
    x = L.AveragePooling2D(pool_size=tuple(x.shape[1:3]), name="pool")(x)
    x = L.Flatten(name="flatten")(x)
    x = L.Dense(classes, bias_initializer=random_bias_initializer(0.1), name="classifier")(x)
    return L.Softmax(name="softmax")(x)


def _ad01(inputs: list) -> Any:
    L = _layers()
    x = inputs[0]
    for k, units in enumerate((128, 128, 128, 128, 8, 128, 128, 128, 128)):
        x = L.Dense(units, activation="relu", bias_initializer=random_bias_initializer(0.1), name=f"dense{k}")(x)
    return L.Dense(640, bias_initializer=random_bias_initializer(0.1), name="dense9")(x)


def _kws01(inputs: list) -> Any:
    x = _conv(inputs[0], "conv0", 64, (10, 4), stride=2)
    for k in range(1, 5):
        x = _depthwise(x, f"dw{k}")
        x = _conv(x, f"pw{k}", 64, 1)
    return _classifier(x, 12)


def _ic01(inputs: list) -> Any:
    L = _layers()
    x = _conv(inputs[0], "conv0", 16, 3)
    for k, (filters, stride) in enumerate(((16, 1), (32, 2), (64, 2)), start=1):
        y = _conv(x, f"stack{k}_a", filters, 3, stride)
        y = _conv(y, f"stack{k}_b", filters, 3, relu=False)
        shortcut = x if stride == 1 else _conv(x, f"stack{k}_shortcut", filters, 1, stride, relu=False)
        x = L.Activation("relu", name=f"stack{k}_relu")(L.Add(name=f"stack{k}_add")([shortcut, y]))
    return _classifier(x, 10)


def _vww01(inputs: list) -> Any:
    x = _conv(inputs[0], "conv0", 8, 3, stride=2)
    for k, (filters, stride) in enumerate(((16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (128, 1),
                                           (128, 1), (128, 1), (128, 1), (256, 2), (256, 1)), start=1):
        x = _depthwise(x, f"dw{k:02d}", stride)
        x = _conv(x, f"pw{k:02d}", filters, 1)
    return _classifier(x, 2)


# arch: (builder, input shape, representative input range), the ranges those of
# the real models' inputs (AD: log-mel energies, KWS: MFCCs, IC/VWW: pixels).
_ARCH: dict[str, tuple[Callable[[list], Any], tuple[int, ...], tuple[float, float]]] = {
    "ad01": (_ad01, (1, 640), (-35.0, 65.0)),
    "kws01": (_kws01, (1, 49, 10, 1), (-48.0, 100.0)),
    "ic01": (_ic01, (1, 32, 32, 3), (0.0, 255.0)),
    "vww01": (_vww01, (1, 96, 96, 3), (0.0, 1.0)),
}


def _reshape_before_classifier(model: Any) -> None:
    """Put a RESHAPE (N, 1, 1, C) -> (N, C) in front of a FULLY_CONNECTED that
    reads a 4-D tensor, as the real files have it (today's converter folds
    Flatten into the FULLY_CONNECTED)."""
    s = schema()
    graph = model.subgraphs[0]
    codes = [c.builtinCode for c in model.operatorCodes]
    for at, op in enumerate(graph.operators):
        source = graph.tensors[op.inputs[0]]
        if codes[op.opcodeIndex] != s.BuiltinOperator.FULLY_CONNECTED or len(source.shape) != 4:
            continue
        flat = [int(source.shape[0]), int(np.prod(source.shape[1:]))]
        if s.BuiltinOperator.RESHAPE not in codes:
            code = s.OperatorCodeT()
            code.builtinCode = code.deprecatedBuiltinCode = s.BuiltinOperator.RESHAPE
            code.version = 1
            model.operatorCodes.append(code)
            codes.append(s.BuiltinOperator.RESHAPE)
        shape_buffer = s.BufferT()
        shape_buffer.data = np.array(flat, np.int32).tobytes()
        model.buffers.append(shape_buffer)
        shape = s.TensorT()
        shape.name, shape.shape, shape.type, shape.buffer = b"flatten/shape", [2], s.TensorType.INT32, len(model.buffers) - 1
        out = s.TensorT()
        out.name, out.shape, out.type, out.quantization = b"flatten", flat, source.type, source.quantization
        empty = s.BufferT()
        model.buffers.append(empty)
        out.buffer = len(model.buffers) - 1
        graph.tensors += [shape, out]
        reshape = s.OperatorT()
        reshape.opcodeIndex = codes.index(s.BuiltinOperator.RESHAPE)
        reshape.inputs, reshape.outputs = [op.inputs[0], len(graph.tensors) - 2], [len(graph.tensors) - 1]
        op.inputs = [len(graph.tensors) - 1, *op.inputs[1:]]
        graph.operators.insert(at, reshape)
        return


# Quantisation schemes of the built networks: TFLite's int8, its 16x8 (int16
# activations, int8 weights) and int8 with int4 weights (tests/support/int4_weights.py).
SCHEMES = ("int8", "16x8", "int4")


def built(arch: str, scheme: str = "int8") -> bytes:
    """The suite's own network with the ``arch`` architecture (built once), in ``scheme``."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; known: {SCHEMES}")
    if scheme == "int4":
        from .int4_weights import as_int4_network

        return as_int4_network(built(arch))
    make, shape, input_range = _ARCH[arch]
    data = build_model(f"mlperf-tiny-{arch}-v3", make, [shape], seed=ARCHITECTURES.index(arch) + 1,
                       per_channel_dense=False, input_range=input_range, samples=8, int16x8=scheme == "16x8")
    return edit_model(data, _reshape_before_classifier)


def real(arch: str, models_dir: Path) -> bytes:
    """The real reference file of ``arch`` in the extra set ``models_dir``."""
    path = models_dir / REAL_FILES[arch]
    assert path.is_file(), f"{path} is missing from the extra model set"
    return path.read_bytes()
