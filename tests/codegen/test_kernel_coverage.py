"""Generated C for the kernels the MLPerf models and the generated networks do
not reach: broadcasting SUB/ADD (with a constant operand), concatenation
along H and W, TRANSPOSE, MEAN over channels, two outputs, float32 I/O
(QUANTIZE/DEQUANTIZE), int8 -> int8 QUANTIZE, int16 softmax, BATCH_MATMUL, int4
weights (the s4 wrappers, with `test_s4`), a 16x8 network of data movement
with float I/O and the same network inside an int8 model (int8 <-> int16
QUANTIZE), and the 16x8 elementwise, pooling, softmax and activation kernels.
Every emitter in ``pycmsisnn.codegen.kernels.EMITTERS`` is exercised here, in
``test_models`` or (the 16x8 convolutions and matrices) in
``tests/lower/test_s16_conv_fc.py``."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.codegen.kernels import EMITTERS
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..kernels.test_activations_extra import handmade_model
from ..kernels.test_batch_matmul import BmmConfig
from ..kernels.test_batch_matmul import _model as bmm_model
from ..kernels.test_softmax import SoftmaxConfig
from ..kernels.test_softmax import _model as softmax_model
from ..kernels.test_s16 import _activation_model as activation_s16_model
from ..support.tflite_build import build_model, random_bias_initializer, tf
from .test_math_ops import math_ops_models
from .host import build_host_model, output_specs
from ..support import mlperf_tiny
from .test_models import GENERATED, generated_model
from .test_s4 import int4_network
from ..support.svdf_models import SvdfConfig, svdf_model
from ..lower.test_s16_conv_fc import codegen_models as s16_conv_fc_models
from ..lower.test_s16_data import float_io_network, mixed_network
from .test_reduce_ops_c import CASES as REDUCE_OPS_CASES
from .test_lstm import codegen_models as lstm_models
from .test_data_ops_c import data_ops_models
from .test_cast_logic_c import cast_logic_models


def _data_movement(inputs: list) -> object:
    K = tf().keras
    L = K.layers
    a, b = inputs  # (1, 4, 6, 3) and (1, 1, 6, 3)
    diff = L.Lambda(lambda t: t[0] - t[1])([a, b])
    summed = L.Lambda(lambda t: t[0] + t[1])([a, b])
    shifted = L.Lambda(lambda t: t + tf().constant([0.5, -0.25, 1.0]))(a)
    tall = L.Concatenate(axis=1)([diff, summed, shifted])  # (1, 12, 6, 3)
    wide = L.Concatenate(axis=2)([tall, tall])  # (1, 12, 12, 3)
    turned = L.Lambda(lambda t: K.ops.transpose(t, (0, 2, 1, 3)))(wide)
    pooled = L.Lambda(lambda t: tf().reduce_mean(t, axis=3, keepdims=False))(tall)
    return [turned, pooled]


def _float_io(inputs: list) -> object:
    L = tf().keras.layers
    x = L.Conv2D(4, 3, padding="same", bias_initializer=random_bias_initializer())(inputs[0])
    x = L.Activation("tanh")(x)
    x = L.Flatten()(x)
    return L.Dense(5, bias_initializer=random_bias_initializer())(x)


def _s16_elementwise(inputs: list) -> object:
    """16x8: broadcast and same-shape ADD/SUB/MUL (one with a constant), both
    poolings, softmax, RELU6, LEAKY_RELU, general-scale LOGISTIC and TANH."""
    L = tf().keras.layers
    a, b = inputs  # (1, 4, 6, 3) and (1, 1, 6, 3)
    diff = L.Lambda(lambda t: t[0] - t[1])([a, b])
    summed = L.Lambda(lambda t: t[0] + t[1])([a, b])
    prod = L.Lambda(lambda t: t[0] * t[1])([a, b])
    scaled = L.Lambda(lambda t: t * tf().constant([0.5, -1.25, 2.0]))(a)
    same_add = L.Add()([diff, summed])
    same_mul = L.Multiply()([summed, prod])
    same_sub = L.Subtract()([same_add, scaled])
    avg = L.AveragePooling2D(2, strides=1, padding="same")(same_sub)
    mx = L.MaxPooling2D(3, strides=2, padding="same")(same_mul)
    return [L.ReLU()(avg), L.ReLU(max_value=6.0)(diff), L.LeakyReLU(negative_slope=0.3)(prod),
            L.Activation("sigmoid")(summed), L.Activation("tanh")(same_add), L.Softmax()(mx)]


MODELS = {
    "data_movement": lambda: build_model("codegen-cover-data-movement-v1", _data_movement, [(1, 4, 6, 3), (1, 1, 6, 3)], seed=41, input_range=(-2.0, 2.0)),
    "float_io": lambda: build_model("codegen-cover-float-io-v1", _float_io, [(1, 6, 5, 3)], seed=42, int8_io=False),
    "requantize": lambda: handmade_model("QUANTIZE", (1, 16, 17), np.int8, np.int8, (0.0173, 61), (0.0291, -77)),
    "softmax_s16": lambda: softmax_model(SoftmaxConfig((3, 7), (-4.0, 4.0), int16_out=True)),
    "batch_matmul": lambda: bmm_model(BmmConfig((2, 3, 4), (2, 5, 4), adj_y=True)),
    "int4": int4_network,
    "s16_float_io": float_io_network,
    "s16_in_int8": mixed_network,
    "s16_elementwise": lambda: build_model("codegen-cover-s16-elementwise-v1", _s16_elementwise, [(1, 4, 6, 3), (1, 1, 6, 3)], seed=43,
                                           input_range=(-2.0, 2.0), int16x8=True),
    "s16_activation_pot": lambda: activation_s16_model("tanh", 2.0**-11),
    "svdf": lambda: svdf_model(SvdfConfig(batch=2, rank=2, memory=3, seed=4)),
    "svdf_s8": lambda: svdf_model(SvdfConfig(state_dtype=np.int8, memory=3, seed=6)),
}
KERNELS = {
    "data_movement": {"pycmsisnn_broadcast_sub_s8", "pycmsisnn_broadcast_add_s8", "concatenation_s8", "arm_transpose_s8", "pycmsisnn_mean_s8"},
    "float_io": {"pycmsisnn_quantize_f32_s8", "pycmsisnn_dequantize_s8", "pycmsisnn_tanh_s8"},
    "requantize": {"pycmsisnn_requantize_s8"},
    "softmax_s16": {"arm_softmax_s8_s16"},
    "batch_matmul": {"arm_batch_matmul_s8"},
    "int4": {"arm_convolve_wrapper_s4", "arm_depthwise_conv_wrapper_s4", "arm_fully_connected_s4"},
    "s16_float_io": {"pycmsisnn_quantize_f32_s16", "pycmsisnn_pad_s16", "pycmsisnn_strided_slice_s16", "pycmsisnn_mean_s16", "pycmsisnn_requantize_s16",
                     "concatenation_s16", "pycmsisnn_transpose_s16", "reshape_s16", "pycmsisnn_dequantize_s16"},
    "s16_in_int8": {"pycmsisnn_requantize_s8_s16", "pycmsisnn_requantize_s16_s8"},
    "s16_elementwise": {"pycmsisnn_broadcast_add_s16", "pycmsisnn_broadcast_sub_s16", "pycmsisnn_broadcast_mul_s16", "arm_elementwise_add_s16",
                        "arm_elementwise_mul_s16", "arm_avgpool_s16", "arm_max_pool_s16", "arm_softmax_s16", "pycmsisnn_relu_s16",
                        "pycmsisnn_leaky_relu_s16", "pycmsisnn_logistic_s16", "pycmsisnn_tanh_s16"},
    "s16_activation_pot": {"arm_nn_activation_s16"},
    "svdf": {"arm_svdf_state_s16_s8"},
    "svdf_s8": {"arm_svdf_s8"},
}


@pytest.mark.parametrize("key", list(MODELS))
def test_kernel_in_c_is_exact(key: str, tmp_path: Path, host_kernels: Path) -> None:
    data = MODELS[key]()
    model = load(data)
    assert KERNELS[key] <= {c.kernel for c in model.plan.calls}, {c.kernel for c in model.plan.calls}
    host = build_host_model(model, tmp_path, host_kernels, target="cortex-m55" if key == "batch_matmul" else "cortex-m33")
    tflm = TflmRunner(data) if key != "requantize" else None
    rng = np.random.default_rng(11)
    for sample in range(3):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x, state=model.new_state())  # each C run starts from the reset state
        assert isinstance(expected, list)
        for k, (c, e) in enumerate(zip(ours, expected)):
            np.testing.assert_array_equal(c, e, err_msg=f"{key}: output {k}, sample {sample}")
        if tflm is not None:
            for k, (c, r) in enumerate(zip(ours, tflm.run(x, len(expected)))):
                np.testing.assert_array_equal(c, np.asarray(r).reshape(c.shape), err_msg=f"{key} vs TFLite Micro: output {k}")


def test_every_emitter_is_exercised() -> None:
    """The models above plus those of test_models reach every emitter."""
    covered = {c.kernel for key in MODELS for c in load(MODELS[key]()).plan.calls}
    for arch in mlperf_tiny.ARCHITECTURES:
        covered |= {c.kernel for c in load(mlperf_tiny.built(arch)).plan.calls}
    for prefix, blocks, seed in GENERATED:
        covered |= {c.kernel for c in load(generated_model(prefix, blocks, seed)).plan.calls}
    for data in s16_conv_fc_models():  # the 16x8 conv, FC, batch matmul and transpose conv, in C there
        covered |= {c.kernel for c in load(data).plan.calls}
    for data in math_ops_models():  # pycmsisnn_math_ops.h, in C in test_math_ops
        covered |= {c.kernel for c in load(data).plan.calls}
    for _, make, _, _ in REDUCE_OPS_CASES:  # the reduction, comparison, select and cumsum kernels, in C there
        covered |= {c.kernel for c in load(make()).plan.calls}
    for data in lstm_models():  # the LSTM kernels, in C in test_lstm
        covered |= {c.kernel for c in load(data).plan.calls}
    for data in data_ops_models():  # the data-movement kernels, in C in test_data_ops_c
        covered |= {c.kernel for c in load(data).plan.calls}
    for data in cast_logic_models():  # the cast, logical and update kernels, in C in test_cast_logic_c
        covered |= {c.kernel for c in load(data).plan.calls}
    assert covered == set(EMITTERS), f"not exercised: {sorted(set(EMITTERS) - covered)}"


def test_every_kernel_the_lowering_names_has_an_emitter() -> None:
    """Kernel names written in the lowering rules (pycmsisnn/lower/*.py) and
    the emitters agree: a new lowering needs its emitter."""
    import re

    import pycmsisnn.lower

    lower_dir = Path(pycmsisnn.lower.__file__).parent
    named = set()
    for path in lower_dir.glob("*.py"):
        named |= set(re.findall(r"\"((?:arm|pycmsisnn)_[a-z0-9_]+|concatenation_s(?:8|16)|reshape_s16)\"", path.read_text()))
    assert named == set(EMITTERS), f"lowering without emitter: {sorted(named - set(EMITTERS))}; emitter without lowering: {sorted(set(EMITTERS) - named)}"
