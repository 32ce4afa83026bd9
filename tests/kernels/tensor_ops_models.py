"""Single-op int8 models (and their configurations) for MEAN, STRIDED_SLICE,
broadcast ADD/SUB/MUL, CONCATENATION, PAD, PADV2 and TRANSPOSE, shared by the
kernel tests (tests/kernels/test_tensor_ops.py) and the lowering tests
(tests/lower/). Models are built once and cached by ``build_model``; the
builders pass ``scheme`` keywords (``int16x8``, ``int8_io``) on to it, for the
16x8 versions of the same models (tests/lower/test_s16_data.py)."""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

from tests.support.model_view import TensorView
from tests.support.tflite_build import build_model, tf

Shape = tuple[int, ...]
Range = tuple[float, float]

# The three zero-point regimes: mid (zp ~ 0), low end (zp -128), high end (zp 127).
MID, LOW, HIGH = (-1.0, 1.0), (0.0, 3.0), (-3.0, 0.0)


def random_int8(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    """Uniform int8 data that always holds both extremes."""
    x = rng.integers(-128, 128, size=shape, dtype=np.int8)
    flat = x.reshape(-1)
    flat[0], flat[-1] = -128, 127
    return x


def keras_index(t: TensorView | Any) -> int:
    """Which Keras input (``input_<i>``) a model input tensor is."""
    m = re.search(r"input_(\d+)", t.name)
    assert m is not None, f"{t.name} is not a model input"
    return int(m.group(1))


def _lambda(fn: Callable[..., Any]) -> Callable[[list], object]:
    K = tf().keras
    return lambda inputs: K.layers.Lambda(fn)(inputs[0])


# ---------------------------------------------------------------------- MEAN

# (id, input shape, axes, keep_dims, input range)
MEAN_CONFIGS: list[tuple[str, Shape, tuple[int, ...], bool, Range]] = [
    ("gap_mid", (1, 5, 7, 3), (1, 2), False, MID),
    ("gap_low", (1, 5, 7, 3), (1, 2), False, LOW),
    ("gap_high", (1, 5, 7, 3), (1, 2), False, HIGH),
    ("gap_keep", (1, 4, 4, 8), (1, 2), True, MID),
    ("gap_keep_low", (2, 3, 5, 4), (1, 2), True, LOW),
    ("gap_1024", (1, 32, 32, 2), (1, 2), False, (-2.0, 5.0)),
    ("channels", (1, 5, 7, 3), (3,), False, MID),
    ("channels_keep_high", (1, 5, 7, 3), (-1,), True, HIGH),
    ("height_channels_keep", (1, 4, 6, 9), (1, 3), True, (-0.5, 2.0)),
    ("width", (1, 4, 6, 9), (2,), False, LOW),
    ("hwc", (1, 4, 6, 9), (1, 2, 3), False, MID),
    ("hwc_keep_high", (1, 3, 5, 7), (1, 2, 3), True, HIGH),
    ("rank3_axis1", (2, 9, 5), (1,), False, MID),
    ("rank3_axis2_keep", (2, 9, 5), (2,), True, LOW),
    ("rank3_both", (1, 7, 13), (1, 2), False, (-4.0, 1.0)),
    ("rank2_last", (3, 17), (-1,), False, HIGH),
    ("rank2_batch", (4, 6), (0,), True, MID),
    ("rank2_all_axes", (3, 17), (0, 1), False, LOW),
    ("rank4_all_axes_keep", (2, 3, 4, 5), (0, 1, 2, 3), True, HIGH),
]


def mean_model(shape: Shape, axes: tuple[int, ...], keep: bool, rng: Range, **scheme: bool) -> bytes:
    K = tf().keras
    spatial = len(shape) == 4 and sorted(a % 4 for a in axes) == [1, 2]
    if spatial:
        make: Callable[[list], object] = lambda i: K.layers.GlobalAveragePooling2D(keepdims=keep)(i[0])  # noqa: E731
    else:
        make = lambda i: K.ops.mean(i[0], axis=axes, keepdims=keep)  # noqa: E731
    return build_model(f"tensor-ops-MEAN-{shape}-{axes}-{keep}-{rng}", make, [shape], seed=21, input_range=rng, **scheme)


# ------------------------------------------------------------- STRIDED_SLICE

# (id, input shape, slicing function, input range)
SLICE_CONFIGS: list[tuple[str, Shape, Callable[[Any], Any], Range]] = [
    ("step2", (1, 7, 4), lambda t: t[:, 1:5:2], MID),
    ("reverse", (1, 5, 3), lambda t: t[:, ::-1], LOW),
    ("reverse_step2", (1, 6, 3), lambda t: t[:, 4:0:-2, ::-1], HIGH),
    ("shrink", (1, 5, 3), lambda t: t[:, 2], MID),
    ("shrink_negative_index", (1, 6, 7, 5), lambda t: t[:, 1, :, -2], MID),
    ("rank4_mixed", (1, 6, 7, 5), lambda t: t[:, 1:-1, ::2, 1:], LOW),
    ("rank4_negative_step3", (1, 8, 9, 4), lambda t: t[:, ::-3, 7:1:-2, ::-1], MID),
    ("begin_end_masks", (1, 6, 7, 5), lambda t: tf().strided_slice(t, [0, 2, 1, 4], [1, 5, 6, 1], [1, 1, 2, -1], begin_mask=0b0010, end_mask=0b0100), HIGH),
    ("out_of_range_clamped", (1, 6, 7, 5), lambda t: tf().strided_slice(t, [0, -20, 3, -100], [1, 100, -30, 100], [1, 2, -1, 3]), MID),
    ("rank2", (3, 10), lambda t: t[1:, 2:9:3], MID),
    ("rank2_reverse_batch", (3, 10), lambda t: t[::-1, -4:], LOW),
    ("batch_step", (4, 5, 6), lambda t: t[1::2, :, 5:0:-4], HIGH),
    ("ellipsis", (1, 4, 5), lambda t: t[..., 1:3], LOW),
    ("ellipsis_shrink", (2, 4, 5), lambda t: t[..., -1], HIGH),
]


def slice_model(name: str, shape: Shape, fn: Callable[[Any], Any], rng: Range, **scheme: bool) -> bytes:
    return build_model(f"tensor-ops-STRIDED_SLICE-{name}-{shape}-{rng}", _lambda(fn), [shape], seed=22, input_range=rng, **scheme)


# ---------------------------------------------------------- ADD / SUB / MUL

# (input_1 shape, input_2 shape): every broadcast pattern the kernels take.
BROADCAST_SHAPES: list[tuple[Shape, Shape]] = [
    ((1, 3, 5, 3), (1, 1, 5, 1)),
    ((2, 3, 5, 3), (1, 3, 1, 3)),
    ((1, 4, 1, 3), (1, 1, 6, 1)),
    ((1, 3, 5, 3), (1, 1, 1, 1)),
    ((1, 1, 1, 3), (2, 3, 5, 1)),
    ((1, 3, 5, 7), (1, 7)),
    ((1, 5, 7), (1, 1, 7)),
    ((3, 7), (3, 1)),
]
# (id, range 1, range 2, fused activation)
BINARY_QUANT: list[tuple[str, Range, Range, str]] = [
    ("mid", MID, (-0.5, 2.5), "none"),
    ("low_high", LOW, HIGH, "none"),
    ("high_low_relu", (-4.0, 1.0), (0.0, 6.0), "relu"),
    ("scale_1_to_32_relu6", (-0.25, 0.25), (-8.0, 8.0), "relu6"),
]
BINARY_KINDS = ("ADD", "SUB", "MUL")


def binary_cases() -> list[tuple[str, Shape, Shape, str, Range, Range, str]]:
    """Every kind on every broadcast pattern (quantisations cycled), and every
    quantisation on the first pattern."""
    cases = []
    for kind in BINARY_KINDS:
        for i, (s1, s2) in enumerate(BROADCAST_SHAPES):
            qname, r1, r2, act = BINARY_QUANT[i % len(BINARY_QUANT)]
            cases.append((kind, s1, s2, qname, r1, r2, act))
        s1, s2 = BROADCAST_SHAPES[0]
        for qname, r1, r2, act in BINARY_QUANT[1:]:
            cases.append((kind, s1, s2, qname, r1, r2, act))
    return cases


BINARY_CASES = binary_cases()


def binary_model(kind: str, s1: Shape, s2: Shape, r1: Range, r2: Range, act: str) -> bytes:
    T = tf()
    K = T.keras
    # tf ops in a Lambda: keras.ops.add on a (1, 1, n) and a (1, n, 1) input
    # builds a graph with a wrong output shape (a RESHAPE to (n,), no broadcast).
    fn = {"ADD": T.add, "SUB": T.subtract, "MUL": T.multiply}[kind]

    def make(inputs: list) -> object:
        y = K.layers.Lambda(lambda ts: fn(ts[0], ts[1]))(inputs)
        if act == "relu":
            y = K.layers.ReLU()(y)
        elif act == "relu6":
            y = K.layers.ReLU(max_value=6.0)(y)
        return y

    return build_model(f"tensor-ops-tf-{kind}-{s1}-{s2}-{r1}-{r2}-{act}", make, [s1, s2], seed=23, input_range=[r1, r2])


def constant_operand_model(kind: str, shape: Shape, const_shape: Shape, rng: Range) -> bytes:
    """``x <op> c`` with a constant ``c`` broadcast against ``x``."""
    values = np.linspace(-1.5, 2.0, int(np.prod(const_shape)), dtype=np.float32).reshape(const_shape)
    T = tf()
    fn = {"ADD": T.add, "SUB": T.subtract, "MUL": T.multiply}[kind]
    return build_model(
        f"tensor-ops-const-{kind}-{shape}-{const_shape}-{rng}",
        _lambda(lambda t: fn(t, T.constant(values))), [shape], seed=24, input_range=rng,
    )


# ------------------------------------------------------------- data movement

# (input shapes, axis, range)
CONCAT_CONFIGS: list[tuple[list[Shape], int, Range]] = [
    ([(1, 3, 4, 5), (1, 3, 4, 2)], -1, MID),
    ([(1, 3, 4, 1), (1, 3, 4, 3), (1, 3, 4, 2)], 3, LOW),
    ([(1, 3, 4, 5), (1, 3, 2, 5)], 2, HIGH),
    ([(1, 3, 4, 5), (1, 2, 4, 5)], 1, MID),
    ([(1, 3, 4, 5), (2, 3, 4, 5)], 0, (-2.0, 6.0)),
    ([(2, 3, 4), (2, 3, 2), (2, 3, 5)], 2, MID),
    ([(2, 3, 4), (2, 1, 4)], -2, LOW),
    ([(2, 3), (2, 5)], 1, HIGH),
]


def concat_model(shapes: list[Shape], axis: int, rng: Range | list[Range], **scheme: bool) -> bytes:
    K = tf().keras
    return build_model(
        f"tensor-ops-CONCATENATION-{shapes}-{axis}-{rng}",
        lambda i: K.layers.Concatenate(axis=axis)(i), shapes, seed=25, input_range=rng, **scheme,
    )


# (input shape, paddings, constant (None: PAD), range)
PAD_CONFIGS: list[tuple[Shape, tuple[tuple[int, int], ...], float | None, Range]] = [
    ((1, 3, 4, 5), ((0, 0), (1, 2), (0, 3), (0, 0)), None, MID),
    ((1, 3, 4, 5), ((0, 1), (2, 0), (0, 0), (1, 1)), None, LOW),
    ((1, 3, 4, 5), ((0, 0), (0, 0), (3, 1), (0, 0)), None, HIGH),
    ((2, 4, 5), ((1, 0), (2, 1), (0, 2)), None, (-3.0, 1.0)),
    ((2, 5), ((0, 2), (3, 0)), None, MID),
    ((1, 3, 4, 5), ((0, 0), (1, 1), (1, 1), (0, 0)), 0.5, MID),
    ((1, 3, 4, 5), ((0, 1), (0, 0), (2, 1), (1, 0)), -0.25, LOW),
    ((2, 3, 5), ((0, 0), (2, 2), (0, 1)), -1.5, HIGH),
    ((3, 4), ((1, 1), (0, 3)), 2.0, (-1.0, 3.0)),
]


def pad_model(shape: Shape, pads: tuple[tuple[int, int], ...], constant: float | None, rng: Range, **scheme: bool) -> bytes:
    K = tf().keras
    if constant is None:
        make: Callable[[list], object] = lambda i: K.ops.pad(i[0], pads)  # noqa: E731
    else:
        make = lambda i: K.ops.pad(i[0], pads, constant_values=constant)  # noqa: E731
    return build_model(f"tensor-ops-PAD-{shape}-{pads}-{constant}-{rng}", make, [shape], seed=26, input_range=rng, **scheme)


TRANSPOSE_CONFIGS: list[tuple[Shape, tuple[int, ...], Range]] = [
    ((3, 5), (1, 0), MID),
    ((2, 3, 5), (2, 0, 1), LOW),
    ((2, 3, 5), (0, 2, 1), HIGH),
    ((1, 3, 4, 5), (0, 3, 1, 2), MID),
    ((2, 3, 4, 5), (3, 2, 1, 0), LOW),
    ((2, 3, 4, 5), (1, 3, 0, 2), HIGH),
]


def transpose_model(shape: Shape, perm: tuple[int, ...], rng: Range, **scheme: bool) -> bytes:
    K = tf().keras
    return build_model(f"tensor-ops-TRANSPOSE-{shape}-{perm}-{rng}", lambda i: K.ops.transpose(i[0], perm), [shape], seed=27, input_range=rng, **scheme)

