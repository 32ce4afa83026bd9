"""Small convolution chains for the patch tests (``pycmsisnn.patches``):
strides 1 and 2, same and valid padding, 3x3, 5x5 and 1x1 filters,
depthwise (with a channel multiplier) and pointwise, odd heights, dilation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..support.tflite_build import build_model, random_bias_initializer, tf


def _conv(x: Any, filters: int, kernel: int | tuple[int, int], name: str, stride: int = 1, padding: str = "same",
          dilation: int = 1) -> Any:
    return tf().keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, dilation_rate=dilation, activation="relu",
                                    bias_initializer=random_bias_initializer(), name=name)(x)


def _dw(x: Any, kernel: int, name: str, stride: int = 1, padding: str = "same", dilation: int = 1, multiplier: int = 1) -> Any:
    return tf().keras.layers.DepthwiseConv2D(kernel, strides=stride, padding=padding, dilation_rate=dilation, depth_multiplier=multiplier,
                                             activation="relu", bias_initializer=random_bias_initializer(), name=name)(x)


def _head(x: Any) -> Any:
    L = tf().keras.layers
    return L.Dense(3, name="z_dense")(L.Flatten(name="y_flat")(L.MaxPooling2D(2, padding="same", name="x_pool")(x)))


def _mobilenet(inputs: list) -> Any:
    """As MobileNet's first layers: 3x3 stride 2, depthwise 3x3, pointwise, depthwise 3x3 stride 2, pointwise."""
    x = _conv(inputs[0], 8, 3, "a_stem", stride=2)
    x = _dw(x, 3, "b_dw")
    x = _conv(x, 16, 1, "c_pw")
    x = _dw(x, 3, "d_dw", stride=2)
    return _head(_conv(x, 8, 1, "e_pw"))


def _valid_dilated(inputs: list) -> Any:
    """5x5 valid, depthwise 5x5 dilated 2 with a channel multiplier, 3x3 valid stride 2, 1x1 stride 2."""
    x = _conv(inputs[0], 4, 5, "a_conv5", padding="valid")
    x = _dw(x, 5, "b_dw5", dilation=2, multiplier=2)
    x = _conv(x, 5, 3, "c_conv3", stride=2, padding="valid")
    x = _conv(x, 6, 1, "d_point", stride=2)
    return _head(x)


def _same_strided(inputs: list) -> Any:
    """Depthwise first (stride 2, 5x5 same), then a 3x3 dilated convolution and a 3x3 stride-2 same one."""
    x = _dw(inputs[0], 5, "a_dw5", stride=2, multiplier=3)
    x = _conv(x, 7, 3, "b_dil", dilation=2)
    x = _conv(x, 5, 3, "c_down", stride=2)
    return _head(x)


@dataclass(frozen=True)
class Net:
    key: str
    make: Callable[[list], Any]
    shape: tuple[int, ...]

    def model(self) -> bytes:
        return build_model(self.key, self.make, [self.shape], seed=4, input_range=(-2.0, 2.0))


MOBILENET = Net("patch-mobilenet-v2", _mobilenet, (1, 23, 15, 1))
VALID_DILATED = Net("patch-valid-dilated-v1", _valid_dilated, (1, 27, 13, 2))
SAME_STRIDED = Net("patch-same-strided-v1", _same_strided, (1, 21, 10, 2))
NETS = (MOBILENET, VALID_DILATED, SAME_STRIDED)
