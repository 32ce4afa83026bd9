"""LSTM models for the tests, converted by TensorFlow's converter to a fused
UNIDIRECTIONAL_SEQUENCE_LSTM (int8, or 16x8), cached like ``build_model``.

Keras 3 (TensorFlow >= 2.16) converts ``keras.layers.LSTM`` to a WHILE loop
of small operators, not to the fused operator: the converter fuses a function
marked as Keras 2's LSTM implementation (the ``api_implements`` attribute
"lstm_<id>", with ``time_major`` and ``go_backwards``, arguments input,
initial h, initial c, kernel, recurrent kernel, bias and five results). So
the model takes the weights of a real ``keras.layers.LSTM`` (Keras's gate
order i, f, c, o) and computes the layer in such a function; the builder
checks that its float result equals the Keras layer's before converting.

``lstm_model(...)`` gives one LSTM (optionally followed by a Dense layer and
a softmax, the keyword-spotting shape) for an input of shape
[batch, time, features] (or [time, batch, features] when ``time_major``).
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Any

import numpy as np

from .tflite_build import _MEMORY, _cache_dir, tf


def _lstm_function(time_major: bool) -> Any:
    t = tf()
    attributes = {"api_implements": f"lstm_{uuid.uuid4()}", "api_preferred_device": "CPU",
                  "time_major": time_major, "go_backwards": False}

    def standard_lstm(inputs, init_h, init_c, kernel, recurrent_kernel, bias):  # noqa: ANN001, ANN202
        x = inputs if time_major else t.transpose(inputs, [1, 0, 2])
        h, c, outs = init_h, init_c, []
        for step in range(x.shape[0]):
            z = t.matmul(x[step], kernel) + t.matmul(h, recurrent_kernel) + bias
            zi, zf, zc, zo = t.split(z, 4, axis=1)
            c = t.sigmoid(zf) * c + t.sigmoid(zi) * t.tanh(zc)
            h = t.sigmoid(zo) * t.tanh(c)
            outs.append(h)
        outputs = t.stack(outs)
        if not time_major:
            outputs = t.transpose(outputs, [1, 0, 2])
        return outs[-1], outputs, h, c, t.constant(0.0)

    return t.function(standard_lstm, experimental_attributes=attributes, autograph=False)


def lstm_model(batch: int, steps: int, features: int, units: int, *, time_major: bool = False,
               return_sequences: bool = True, int16x8: bool = False, dense: int = 0, seed: int = 0,
               input_range: tuple[float, float] = (-1.0, 1.0), samples: int = 16,
               bias_stddev: float = 0.0) -> bytes:
    """The converted model (cached): input [batch, steps, features]
    ([steps, batch, features] when time_major) -> LSTM(units) -> (Dense(dense)
    -> softmax when dense > 0). ``bias_stddev`` > 0 draws the LSTM's bias
    instead of Keras's (zeros, forget gate ones)."""
    t = tf()
    key = (f"lstm|b={batch}|t={steps}|f={features}|u={units}|tm={time_major}|rs={return_sequences}|i16={int16x8}"
           f"|dense={dense}|seed={seed}|range={input_range}|n={samples}|bias={bias_stddev}|tf={t.__version__}")
    digest = "lstm-" + hashlib.sha256(key.encode()).hexdigest()[:24]
    if digest in _MEMORY:
        return _MEMORY[digest]
    path = _cache_dir() / f"{digest}.tflite"
    if path.exists():
        _MEMORY[digest] = path.read_bytes()
        return _MEMORY[digest]

    t.keras.utils.set_random_seed(seed)
    layer = t.keras.layers.LSTM(units, return_sequences=return_sequences, unroll=False)
    layer.build((batch, steps, features))
    kernel, recurrent, bias = (np.array(w) for w in layer.get_weights())
    if bias_stddev > 0:
        bias = np.random.default_rng(seed + 7).normal(0.0, bias_stddev, bias.shape).astype(np.float32)
        layer.set_weights([kernel, recurrent, bias])
    head = None
    if dense:
        layer_d = t.keras.layers.Dense(dense, bias_initializer=t.keras.initializers.RandomNormal(stddev=0.3))
        layer_d.build((batch, units))
        hw, hb = (t.constant(np.array(w)) for w in layer_d.get_weights())

        def head(y):  # noqa: ANN001, ANN202 - the Dense layer on constants (a SavedModel tracks no Keras 3 variable)
            return t.matmul(y, hw) + hb
    shape = (steps, batch, features) if time_major else (batch, steps, features)
    fn = _lstm_function(time_major)
    kc, rc, bc = t.constant(kernel), t.constant(recurrent), t.constant(bias)

    @t.function(input_signature=[t.TensorSpec(shape, t.float32, name="input_0")])
    def model(x):  # noqa: ANN001, ANN202
        zeros = t.zeros((batch, units))
        last, outputs, _, _, _ = fn(x, zeros, zeros, kc, rc, bc)
        y = outputs if return_sequences else last
        if head is not None:
            y = t.nn.softmax(head(y))
        return y

    # the function is Keras's LSTM: same float result
    probe = np.random.default_rng(seed + 3).uniform(*input_range, size=shape).astype(np.float32)
    keras_in = probe if not time_major else np.transpose(probe, (1, 0, 2))
    want = np.array(layer(keras_in))
    if time_major and return_sequences:
        want = np.transpose(want, (1, 0, 2))
    if head is not None:
        want = np.array(t.nn.softmax(head(want)))
    np.testing.assert_allclose(np.array(model(probe)), want, rtol=1e-4, atol=1e-5)

    def representative():  # noqa: ANN202
        rng = np.random.default_rng(seed + 1)
        for _ in range(samples):
            yield [rng.uniform(input_range[0], input_range[1], size=shape).astype(np.float32)]

    module = t.Module()
    module.f = model
    saved = _cache_dir() / f"{digest}.savedmodel{uuid.uuid4().hex[:8]}"
    t.saved_model.save(module, str(saved), signatures=model.get_concrete_function())
    try:
        conv = t.lite.TFLiteConverter.from_saved_model(str(saved))
        conv.optimizations = [t.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        if int16x8:
            conv.experimental_new_quantizer = False  # the MLIR quantizer refuses a 16x8 LSTM
        if int16x8:
            conv.target_spec.supported_ops = [t.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
        else:
            conv.target_spec.supported_ops = [t.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = t.int16 if int16x8 else t.int8
        conv.inference_output_type = t.int16 if int16x8 else t.int8
        data = bytes(conv.convert())
    finally:
        import shutil

        shutil.rmtree(saved, ignore_errors=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    _MEMORY[digest] = data
    return data


def to_16x8(model_bytes: bytes) -> bytes:
    """The int8 single-LSTM model ``model_bytes`` in TFLite's 16x8 scheme.

    TensorFlow's converter refuses to quantise an LSTM to 16x8 ("not yet
    supported"), so the model is rewritten: every int8 activation (input,
    output, hidden state, the hidden-scale intermediate) becomes int16 with
    zero point 0 and the scale whose int16 grid spans the same real range,
    the int32 biases become int64 ones on the new input scale (the same real
    values); weights and the int16 cell state are kept. TFLite Micro runs it
    (its 16x8 LSTM kernel), which is the ground truth the tests compare with."""
    from .flatbuffer_edit import edit_model
    from .model_view import schema

    s = schema()
    int8, int16, int32, int64 = s.TensorType.INT8, s.TensorType.INT16, s.TensorType.INT32, s.TensorType.INT64

    def edit(model: Any) -> None:
        sg = model.subgraphs[0]
        op = sg.operators[0]
        weights = {int(i) for i in op.inputs[1:9] if i >= 0}
        old_in = sg.tensors[op.inputs[0]].quantization
        in_scale8, in_zp8 = float(old_in.scale[0]), int(old_in.zeroPoint[0])
        new_scales: dict[int, float] = {}
        for i, t in enumerate(sg.tensors):
            if t.type != int8 or i in weights or t.quantization is None or t.quantization.scale is None:
                continue
            s8, zp = float(t.quantization.scale[0]), int(t.quantization.zeroPoint[0])
            s16 = s8 * max(128 + zp, 127 - zp) / 32767.0
            t.type = int16
            t.quantization.scale = [s16]
            t.quantization.zeroPoint = [0]
            new_scales[i] = s16
            buf = model.buffers[t.buffer]
            if t.buffer and buf.data is not None and len(buf.data):
                buf.data = np.zeros(len(buf.data) // 1, np.int16).view(np.uint8)
        in_scale16 = new_scales[int(op.inputs[0])]
        done: set[int] = set()  # the converter shares one buffer between equal biases
        for slot in (12, 13, 14, 15):
            t = sg.tensors[op.inputs[slot]]
            if t.type == int64:
                continue
            assert t.type == int32
            t.type = int64
            t.quantization.scale = [float(sc) * in_scale16 / in_scale8 for sc in t.quantization.scale]
            t.quantization.zeroPoint = [0 for _ in t.quantization.zeroPoint]
            if t.buffer in done:
                continue
            done.add(t.buffer)
            buf = model.buffers[t.buffer]
            old = np.frombuffer(bytes(bytearray(buf.data)), dtype=np.int32).astype(np.float64)
            new = np.round(old * (in_scale8 / in_scale16)).astype(np.int64)
            buf.data = new.view(np.uint8)
        del in_zp8

    return edit_model(model_bytes, edit)
