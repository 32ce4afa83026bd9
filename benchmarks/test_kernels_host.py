"""Host timings of MLPerf Tiny-sized layers through the kernel wrappers, and
the Python overhead of a trivial kernel call.

    python -m pytest benchmarks --benchmark-only --benchmark-columns=min,median,mean,rounds

Layer shapes are taken from the MLPerf Tiny reference models: the KWS DS-CNN
(25x5x64 activations, 3x3 depthwise, 1x1 pointwise), the VWW MobileNetV1
(a 3x3 stride-2 conv on 48x48x8) and the anomaly-detection autoencoder
(640 -> 128 fully connected).
"""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.kernels import activation, convolution, depthwise, fully_connected
from pycmsisnn.params import Activation, ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant, Tile

RNG = np.random.default_rng(0)


def _i8(*shape: int) -> np.ndarray:
    return RNG.integers(-128, 128, size=shape, dtype=np.int8)


def _pc(channels: int) -> PerChannelQuant:
    return PerChannelQuant(tuple(int(m) for m in RNG.integers(2**30, 2**31 - 1, channels)), (-8,) * channels)


@pytest.mark.parametrize(
    "name, in_shape, filt, stride, pad",
    [
        ("kws_pointwise_1x1", (1, 25, 5, 64), (64, 1, 1, 64), 1, 0),
        ("vww_conv3x3_s2", (1, 48, 48, 8), (16, 3, 3, 8), 2, 1),
    ],
)
def test_conv(benchmark, name: str, in_shape: tuple, filt: tuple, stride: int, pad: int) -> None:  # noqa: ANN001
    x, w, b = _i8(*in_shape), _i8(*filt), RNG.integers(-1000, 1000, filt[0], dtype=np.int32)
    p = ConvParams(input_offset=5, output_offset=-3, stride=Tile(stride, stride), padding=Tile(pad, pad), activation=Activation(-128, 127))
    oh = (in_shape[1] + 2 * pad - filt[1]) // stride + 1
    ow = (in_shape[2] + 2 * pad - filt[2]) // stride + 1
    out_shape = (1, oh, ow, filt[0])
    y = benchmark(convolution.arm_convolve_wrapper_s8, p, _pc(filt[0]), x, w, b, out_shape)
    assert y.shape == out_shape


def test_depthwise_kws_3x3(benchmark) -> None:  # noqa: ANN001
    x, w, b = _i8(1, 25, 5, 64), _i8(1, 3, 3, 64), RNG.integers(-1000, 1000, 64, dtype=np.int32)
    p = DwConvParams(input_offset=5, output_offset=-3, ch_mult=1, padding=Tile(1, 1))
    y = benchmark(depthwise.arm_depthwise_conv_wrapper_s8, p, _pc(64), x, w, b, (1, 25, 5, 64))
    assert y.shape == (1, 25, 5, 64)


def test_fully_connected_ad_640x128(benchmark) -> None:  # noqa: ANN001
    x, w, b = _i8(1, 640), _i8(128, 640), RNG.integers(-1000, 1000, 128, dtype=np.int32)
    p = FcParams(input_offset=-89, filter_offset=0, output_offset=96)
    y = benchmark(fully_connected.arm_fully_connected_s8, p, PerTensorQuant(1 << 30, -9), x, w, b)
    assert y.shape == (1, 128)


def test_call_overhead_relu_16(benchmark) -> None:  # noqa: ANN001
    x = _i8(16)
    y = benchmark(activation.arm_relu_q7, x)
    assert (y >= 0).all()
