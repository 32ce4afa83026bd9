"""The "fixture" project (fixtures/fixture) computed on the host with the
kernel wrappers: what every core must produce, layer by layer."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from pycmsisnn.kernels.activation import arm_relu_q7
from pycmsisnn.kernels.elementwise import arm_elementwise_add_s8
from pycmsisnn.kernels.fully_connected import arm_fully_connected_s8
from pycmsisnn.params import Activation, AddParams, FcParams, PerTensorQuant

PROJECT = Path(__file__).resolve().parent / "fixtures" / "fixture"
NAME = "fixture"
KERNELS = Path(__file__).resolve().parents[2] / "pycmsisnn" / "csrc"
LAYER_TENSORS = (2, 3, 5)  # the TFLite tensor indices fixture.c's table names

# The parameters fixture.c passes, as the host wrappers take them.
ADD = AddParams(3, 1073741824, -1, -7, 1518500250, -1, 20, -4, 1431655765, -19, -128, 127)
FC = FcParams(-5, 0, -10, Activation(-128, 127))
FC_QUANT = PerTensorQuant(1288490189, -6)


def fc_weights() -> tuple[np.ndarray, np.ndarray]:
    """filter[o][d] = (o*37 + d*11 + 5) % 251 - 125 and bias[o] = (o*1237) % 4001 - 2000."""
    o, d = np.arange(16)[:, None], np.arange(128)[None, :]
    weights = ((o * 37 + d * 11 + 5) % 251 - 125).astype(np.int8)
    bias = (np.arange(16) * 1237 % 4001 - 2000).astype(np.int32)
    return weights, bias


def sample(seed: int) -> list[np.ndarray]:
    """Two int8 [1, 4, 4, 8] inputs: a fixed pattern for seed 0, random otherwise."""
    if seed == 0:
        x0 = (np.arange(128) * 29 + 3) % 256 - 128
        x1 = (np.arange(128) * 53 + 100) % 256 - 128
        return [x0.astype(np.int8).reshape(1, 4, 4, 8), x1.astype(np.int8).reshape(1, 4, 4, 8)]
    rng = np.random.default_rng(seed)
    return [rng.integers(-128, 128, (1, 4, 4, 8), dtype=np.int8) for _ in range(2)]


def host_layers(inputs: list[np.ndarray]) -> list[np.ndarray]:
    """The outputs of layers 0 (add), 1 (relu) and 2 (fully connected)."""
    added = arm_elementwise_add_s8(inputs[0], inputs[1], ADD)
    relu = arm_relu_q7(added)
    weights, bias = fc_weights()
    fc = arm_fully_connected_s8(FC, FC_QUANT, relu.reshape(1, 128), weights, bias)
    return [added, relu, fc]


def host_outputs(inputs: list[np.ndarray]) -> list[np.ndarray]:
    """output0 = layer 2 as [1, 16], output1 = layer 1 as [1, 4, 4, 8]."""
    _, relu, fc = host_layers(inputs)
    return [fc.reshape(1, 16), relu.reshape(1, 4, 4, 8)]
