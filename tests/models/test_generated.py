"""Random multi-operator networks (fixed seeds) converted with TFLite's int8
converter and run whole: our host runtime must equal TensorFlow Lite Micro."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..support.tflite_build import build_model, random_bias_initializer, tf

Block = Callable[[Any, np.random.Generator], Any]


def _ch(rng: np.random.Generator) -> int:
    return int(rng.choice([1, 3, 4, 5, 8, 12]))


def _act(rng: np.random.Generator) -> str | None:
    return [None, "relu", "relu6"][int(rng.integers(3))]


def conv(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    k = int(rng.choice([1, 2, 3, 5]))
    stride = int(rng.choice([1, 1, 2])) if min(x.shape[1:3]) >= 4 else 1
    dil = 2 if k == 3 and stride == 1 and rng.random() < 0.2 and min(x.shape[1:3]) >= 5 else 1
    pad = "same" if k > min(x.shape[1:3]) else str(rng.choice(["same", "valid"]))
    return L.Conv2D(_ch(rng), k, strides=stride, dilation_rate=dil, padding=pad, activation=_act(rng),
                    bias_initializer=random_bias_initializer())(x)


def depthwise(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    k = int(rng.choice([3, 3, 5]))
    stride = int(rng.choice([1, 2])) if min(x.shape[1:3]) >= 4 else 1
    return L.DepthwiseConv2D(k, strides=stride, padding="same", depth_multiplier=int(rng.choice([1, 1, 2])),
                             activation=_act(rng), bias_initializer=random_bias_initializer())(x)


def residual(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    y = L.Conv2D(x.shape[-1], 3, padding="same", activation="relu", bias_initializer=random_bias_initializer())(x)
    out = L.Add()([x, y])
    return L.ReLU()(out) if rng.random() < 0.5 else out


def multiply(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    y = L.Conv2D(x.shape[-1], 1, bias_initializer=random_bias_initializer())(x)
    return L.Multiply()([x, y])


def pool(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    if min(x.shape[1:3]) < 2:
        return x
    layer = L.MaxPooling2D if rng.random() < 0.5 else L.AveragePooling2D
    return layer(int(rng.choice([2, 3])) if min(x.shape[1:3]) >= 3 else 2, strides=int(rng.choice([1, 2])), padding=str(rng.choice(["same", "valid"])))(x)


def minmax(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    y = L.Conv2D(x.shape[-1], 1, bias_initializer=random_bias_initializer())(x)
    return (L.Maximum() if rng.random() < 0.5 else L.Minimum())([x, y])


def transpose_conv(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    return L.Conv2DTranspose(_ch(rng), int(rng.choice([2, 3])), strides=int(rng.choice([1, 2])), padding=str(rng.choice(["same", "valid"])),
                             bias_initializer=random_bias_initializer())(x)


def activation(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    kind = str(rng.choice(["sigmoid", "tanh", "hard_swish", "leaky", "relu6"]))
    if kind == "leaky":
        return L.LeakyReLU(negative_slope=float(rng.choice([0.1, 0.3])))(x)
    if kind == "relu6":
        return L.ReLU(max_value=6.0)(x)
    return L.Activation(kind)(x)


def concat_branches(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    a = L.Conv2D(_ch(rng), 1, activation="relu", bias_initializer=random_bias_initializer())(x)
    b = L.DepthwiseConv2D(3, padding="same", bias_initializer=random_bias_initializer())(x)
    return L.Concatenate(axis=-1)([a, b])


def pad(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    t, b, left, r = (int(v) for v in rng.integers(0, 3, 4))
    return L.ZeroPadding2D(((t, b), (left, r)))(x)


def squeeze_excite(x: Any, rng: np.random.Generator) -> Any:
    """Channel attention: MEAN over H, W, a 1x1 conv, sigmoid, broadcast MUL."""
    L = tf().keras.layers
    s = L.Lambda(lambda t: tf().reduce_mean(t, axis=[1, 2], keepdims=True))(x)
    s = L.Conv2D(x.shape[-1], 1, activation="sigmoid", bias_initializer=random_bias_initializer())(s)
    return L.Lambda(lambda ab: ab[0] * ab[1])([x, s])


def strided_slice(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    if min(x.shape[1:3]) < 4:
        return x
    return L.Lambda(lambda t: t[:, 1:, ::2, :])(x)


def activation_16x8(x: Any, rng: np.random.Generator) -> Any:
    """The activations TensorFlow Lite Micro runs in 16x8 (no HARD_SWISH)."""
    L = tf().keras.layers
    kind = str(rng.choice(["sigmoid", "tanh", "leaky", "relu6", "relu"]))
    if kind == "leaky":
        return L.LeakyReLU(negative_slope=float(rng.choice([0.1, 0.3])))(x)
    if kind.startswith("relu"):
        return L.ReLU(max_value=6.0 if kind == "relu6" else None)(x)
    return L.Activation(kind)(x)


BLOCKS: list[Block] = [conv, conv, depthwise, residual, multiply, pool, minmax, transpose_conv]
BLOCKS_V2: list[Block] = BLOCKS + [activation, activation, concat_branches, pad, squeeze_excite, strided_slice]
# 16x8 networks: every block of the v2 set whose operators TensorFlow Lite Micro runs in 16x8.
BLOCKS_16X8: list[Block] = [conv, conv, depthwise, residual, multiply, pool, transpose_conv, activation_16x8, activation_16x8,
                            concat_branches, pad, squeeze_excite, strided_slice]


def head(x: Any, rng: np.random.Generator) -> Any:
    L = tf().keras.layers
    kind = int(rng.integers(3))
    if kind == 0:
        x = L.AveragePooling2D(pool_size=x.shape[1:3])(x)
        x = L.Flatten()(x)
        return L.Dense(int(rng.integers(2, 11)), activation="softmax", bias_initializer=random_bias_initializer())(x)
    if kind == 1:
        x = L.Flatten()(x)
        return L.Dense(int(rng.integers(2, 20)), activation=_act(rng), bias_initializer=random_bias_initializer())(x)
    return x


def network(seed: int, blocks: list[Block] = BLOCKS) -> tuple[Callable[[list], Any], tuple[int, ...]]:
    rng0 = np.random.default_rng(seed)
    shape = (1, int(rng0.integers(5, 13)), int(rng0.integers(5, 13)), int(rng0.choice([1, 2, 3, 4])))
    n_blocks = int(rng0.integers(3, 7))
    block_ids = [int(rng0.integers(len(blocks))) for _ in range(n_blocks)]

    def make(inputs: list) -> Any:
        rng = np.random.default_rng(seed + 1000)
        x = inputs[0]
        for b in block_ids:
            x = blocks[b](x, rng)
            if max(x.shape[1:3]) > 24:  # keep models tiny after upsampling
                x = tf().keras.layers.MaxPooling2D(2)(x)
        return head(x, rng)

    return make, shape


SEEDS = list(range(32))
SEEDS_V2 = list(range(100, 124))
SEEDS_16X8 = list(range(200, 224))


def _check_exact(data: bytes, seed: int) -> None:
    model = load(data)
    tflm = TflmRunner(data)
    rng = np.random.default_rng(seed)
    for sample in range(3):
        x = random_inputs(model.graph, rng)
        ours = model.run(x)
        ref = tflm.run(x, len(model.outputs))
        for o, r in zip(ours, ref):
            np.testing.assert_array_equal(o, r, err_msg=f"seed {seed} sample {sample}: {model.graph.op_counts()}")


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_network_exact(seed: int) -> None:
    make, shape = network(seed)
    _check_exact(build_model(f"generated-network-v1-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0)), seed)


@pytest.mark.parametrize("seed", SEEDS_V2)
def test_generated_network_with_all_operators_exact(seed: int) -> None:
    """Adds activations, concatenation, padding, MEAN + broadcast MUL attention and slicing."""
    make, shape = network(seed, BLOCKS_V2)
    _check_exact(build_model(f"generated-network-v2-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0)), seed)


def generated_16x8_model(seed: int) -> bytes:
    """A generated network converted to TFLite's 16x8 scheme (int16 activations and I/O)."""
    make, shape = network(seed, BLOCKS_16X8)
    return build_model(f"generated-network-16x8-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0), int16x8=True)


@pytest.mark.parametrize("seed", SEEDS_16X8)
def test_generated_16x8_network_exact(seed: int) -> None:
    """int16 activations, int8 weights, int64 biases through every 16x8 operator."""
    data = generated_16x8_model(seed)
    _check_exact(data, seed)
