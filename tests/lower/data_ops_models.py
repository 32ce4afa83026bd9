"""Models of the data-movement operators of ``pycmsisnn_data_ops.h`` and the
lowerings that reuse other kernels (PACK, SLICE): configurations of each
operator, built several to a model (each on its own Keras input, each with
its own output) so that one TensorFlow conversion covers a group of
configurations. Models are cached by ``build_model``.

A configuration is ``(id, input shape, fn)``: ``fn`` maps the (float) Keras
tensor to the operator's output(s). A group is built in int8 or, with
``S16``, in TensorFlow Lite's 16x8 scheme with int16 I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from tests.support.tflite_build import build_model, tf

Shape = tuple[int, ...]
Config = tuple[str, Shape, Callable[[Any], Any]]
S16 = {"int16x8": True}


@dataclass(frozen=True)
class Group:
    """Configurations of one operator converted together."""

    name: str  # unique, part of the cache key
    opcode: str
    configs: tuple[Config, ...]
    int16: bool = False
    input_range: tuple[float, float] = (-1.0, 1.0)

    @property
    def id(self) -> str:
        return f"{self.name}-{'s16' if self.int16 else 's8'}"


def model(group: Group) -> bytes:
    K = tf().keras

    def make(inputs: list) -> list:
        outs: list = []
        for (_, _, fn), x in zip(group.configs, inputs):
            y = K.layers.Lambda(fn)(x)
            outs.extend(y if isinstance(y, (list, tuple)) else [y])
        return outs

    key = f"data-ops-{group.name}-" + ";".join(f"{cid}{shape}" for cid, shape, _ in group.configs)
    return build_model(key, make, [shape for _, shape, _ in group.configs], seed=31, input_range=group.input_range,
                       **(S16 if group.int16 else {}))


def random_data(rng: np.random.Generator, shape: Shape, int16: bool) -> np.ndarray:
    """Uniform data of the full range holding both extremes."""
    info = np.iinfo(np.int16 if int16 else np.int8)
    x = rng.integers(info.min, info.max + 1, size=shape).astype(info.dtype)
    flat = x.reshape(-1)
    flat[0], flat[-1] = info.min, info.max
    return x


# ------------------------------------------------------------- the configs


def _t():  # noqa: ANN202
    return tf()


def resize(kind: str, size: tuple[int, int], align: bool, half: bool) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        T = _t()
        f = T.compat.v1.image.resize_bilinear if kind == "bilinear" else T.compat.v1.image.resize_nearest_neighbor
        return f(x, size, align_corners=align, half_pixel_centers=half)

    return fn


RESIZE_SHAPES: list[tuple[Shape, tuple[int, int]]] = [
    ((1, 4, 5, 3), (8, 10)), ((2, 3, 3, 2), (7, 5)), ((1, 5, 7, 4), (3, 4)), ((1, 2, 9, 1), (11, 2)),
    ((1, 6, 4, 5), (6, 13)), ((2, 7, 7, 3), (3, 3)), ((1, 1, 3, 2), (4, 6)), ((1, 3, 5, 8), (16, 9)),
    ((1, 8, 8, 16), (16, 16)), ((1, 9, 6, 3), (4, 12)),
]
MODES = [(False, False), (True, False), (False, True)]


def resize_groups(kind: str, int16: bool, ranges: Sequence[tuple[float, float]]) -> list[Group]:
    opcode = "RESIZE_BILINEAR" if kind == "bilinear" else "RESIZE_NEAREST_NEIGHBOR"
    groups = []
    for (align, half), rng in zip(MODES, ranges):
        configs = tuple((f"{shape}->{size}", shape, resize(kind, size, align, half)) for shape, size in RESIZE_SHAPES)
        groups.append(Group(f"{kind}-align{int(align)}-half{int(half)}", opcode, configs, int16, rng))
    return groups


def _split(sizes: Any, axis: int) -> Callable[[Any], Any]:
    return lambda x: _t().split(x, sizes, axis=axis)


SPLIT_CONFIGS: list[Config] = [
    ("r1-2", (6,), _split(2, 0)),
    ("r2-axis1-3", (2, 9), _split(3, 1)),
    ("r2-axis-2", (4, 3), _split(2, -2)),
    ("r3-axis2", (2, 3, 8), _split(4, 2)),
    ("r3-axis-1", (2, 3, 5), _split(5, -1)),
    ("r4-axis1", (1, 6, 2, 3), _split(3, 1)),
    ("r4-axis2", (1, 4, 6, 3), _split(2, 2)),
    ("r4-axis3", (2, 2, 3, 6), _split(6, 3)),
    ("r4-axis0", (4, 2, 2, 2), _split(2, 0)),
    ("r4-axis-3", (1, 4, 3, 2), _split(4, -3)),
]
SPLIT_V_CONFIGS: list[Config] = [
    ("r1", (7,), _split([2, 5], 0)),
    ("r2-axis1", (3, 9), _split([1, 3, 5], 1)),
    ("r2-rest", (6, 4), _split([4, -1], 0)),
    ("r3-axis1", (2, 7, 3), _split([3, 1, 3], 1)),
    ("r3-axis-1", (2, 3, 7), _split([6, 1], -1)),
    ("r4-axis3", (1, 2, 3, 10), _split([2, 3, 5], 3)),
    ("r4-axis2-rest", (1, 3, 8, 2), _split([-1, 2, 1], 2)),
    ("r4-axis1", (2, 5, 2, 3), _split([4, 1], 1)),
]


def _unstack(axis: int) -> Callable[[Any], Any]:
    return lambda x: _t().unstack(x, axis=axis)


UNPACK_CONFIGS: list[Config] = [
    ("r2-axis0", (3, 5), _unstack(0)),
    ("r2-axis1", (2, 4), _unstack(1)),
    ("r3-axis1", (2, 3, 4), _unstack(1)),
    ("r3-axis-1", (2, 3, 2), _unstack(-1)),
    ("r4-axis2", (1, 2, 3, 4), _unstack(2)),
    ("r4-axis3", (2, 3, 2, 3), _unstack(3)),
    ("r4-axis0", (3, 2, 2, 2), _unstack(0)),
]


def _restack(unstack_axis: int, axis: int) -> Callable[[Any], Any]:
    """UNPACK, then PACK of the pieces in reverse order along ``axis``."""
    return lambda x: _t().stack(_t().unstack(x, axis=unstack_axis)[::-1], axis=axis)


PACK_CONFIGS: list[Config] = [
    ("r1-axis0", (2, 5), _restack(0, 0)),
    ("r1-axis1", (3, 4), _restack(0, 1)),
    ("r2-axis0", (2, 3, 4), _restack(1, 0)),
    ("r2-axis-1", (2, 3, 4), _restack(1, -1)),
    ("r2-axis1", (4, 3, 2), _restack(2, 1)),
    ("r3-axis2", (2, 3, 4, 2), _restack(3, 2)),
    ("r3-axis3", (2, 3, 4, 3), _restack(1, 3)),
    ("r4-axis1", (1, 2, 3, 2, 2), _restack(4, 1)),
]


def _slice(begin: list[int], size: list[int]) -> Callable[[Any], Any]:
    return lambda x: _t().slice(x, begin, size)


SLICE_CONFIGS: list[Config] = [
    ("r1", (9,), _slice([2], [5])),
    ("r1-rest", (9,), _slice([4], [-1])),
    ("r2", (4, 7), _slice([1, 2], [2, 4])),
    ("r2-rest", (4, 7), _slice([0, 3], [-1, -1])),
    ("r3", (3, 5, 6), _slice([1, 0, 2], [2, 5, 3])),
    ("r3-one", (3, 5, 6), _slice([2, 4, 5], [1, 1, 1])),
    ("r4", (2, 5, 6, 4), _slice([0, 1, 2, 1], [2, 3, 3, 2])),
    ("r4-batch", (3, 4, 4, 2), _slice([1, 0, 0, 0], [2, -1, -1, -1])),
    ("r4-channels", (1, 3, 3, 8), _slice([0, 0, 0, 3], [1, 3, 3, 4])),
    ("r4-rows", (1, 6, 5, 3), _slice([0, 2, 0, 0], [1, 3, 5, 3])),
]


def _gather(indices: Any, axis: int, batch_dims: int = 0) -> Callable[[Any], Any]:
    return lambda x: _t().gather(x, np.asarray(indices, dtype=np.int32), axis=axis, batch_dims=batch_dims)


GATHER_CONFIGS: list[Config] = [
    ("r1", (8,), _gather([3, 0, 7, 3], 0)),
    ("r1-scalar", (8,), _gather(5, 0)),
    ("r2-axis0", (5, 4), _gather([4, 1], 0)),
    ("r2-axis1", (3, 6), _gather([5, 0, 2, 2], 1)),
    ("r2-axis-1-2d", (3, 6), _gather([[1, 2], [0, 5], [3, 3]], -1)),
    ("r3-axis1", (2, 5, 4), _gather([3, 0, 1], 1)),
    ("r3-axis2", (2, 3, 7), _gather([6, 6, 0], 2)),
    ("r3-axis0", (4, 2, 3), _gather([[3], [0]], 0)),
    ("r4-axis1", (1, 6, 3, 2), _gather([5, 2, 0], 1)),
    ("r4-axis3", (1, 2, 3, 9), _gather([8, 1, 4, 4, 0], 3)),
    ("r4-axis-2", (2, 3, 5, 2), _gather([4, 4, 1], -2)),
    ("batch1-axis1", (3, 5, 2), _gather([[4, 0], [1, 1], [2, 3]], 1, 1)),
    ("batch1-axis2", (2, 3, 6), _gather([[5, 0, 1], [2, 2, 4]], 2, 1)),
    ("batch2-axis2", (2, 3, 5, 2), _gather(np.arange(12).reshape(2, 3, 2) % 5, 2, 2)),
    ("batch1-axis3", (2, 2, 3, 4), _gather([[3, 1], [0, 2]], 3, 1)),
    ("batch-neg", (3, 4, 2), _gather([[3], [0], [2]], 1, -1)),
]


def _gather_nd(indices: Any) -> Callable[[Any], Any]:
    return lambda x: _t().gather_nd(x, np.asarray(indices, dtype=np.int32))


GATHER_ND_CONFIGS: list[Config] = [
    ("r2-k2", (4, 5), _gather_nd([[0, 1], [3, 4], [2, 2]])),
    ("r2-k1", (4, 5), _gather_nd([[3], [0]])),
    ("r3-k1", (2, 5, 4), _gather_nd([[1], [0], [1]])),
    ("r3-k2", (2, 5, 4), _gather_nd([[0, 1], [1, 3]])),
    ("r3-k3", (2, 3, 4), _gather_nd([[1, 2, 3], [0, 0, 0], [1, 0, 2]])),
    ("r4-k2-2d", (2, 3, 4, 2), _gather_nd([[[0, 1], [1, 2]], [[1, 0], [0, 0]]])),
    ("r4-k3", (2, 3, 4, 2), _gather_nd([[1, 2, 3]])),
    ("r1-k1", (7,), _gather_nd([[6], [2], [0]])),
]


def _nn(name: str, *args: Any) -> Callable[[Any], Any]:
    return lambda x: getattr(_t().nn, name)(x, *args)


DEPTH_TO_SPACE_CONFIGS: list[Config] = [
    ("b2", (1, 2, 3, 8), _nn("depth_to_space", 2)),
    ("b2-c4", (2, 3, 2, 4), _nn("depth_to_space", 2)),
    ("b3", (1, 2, 2, 18), _nn("depth_to_space", 3)),
    ("b2-batch3", (3, 1, 2, 4), _nn("depth_to_space", 2)),
    ("b4", (1, 1, 2, 32), _nn("depth_to_space", 4)),
    ("b2-c12", (1, 3, 3, 12), _nn("depth_to_space", 2)),
]
SPACE_TO_DEPTH_CONFIGS: list[Config] = [
    ("b2", (1, 4, 6, 2), _nn("space_to_depth", 2)),
    ("b2-batch", (2, 2, 4, 3), _nn("space_to_depth", 2)),
    ("b3", (1, 6, 3, 2), _nn("space_to_depth", 3)),
    ("b3-c3", (1, 3, 6, 3), _nn("space_to_depth", 3)),
    ("b4", (1, 4, 8, 1), _nn("space_to_depth", 4)),
    ("b2-c5", (1, 6, 6, 5), _nn("space_to_depth", 2)),
]


def _b2s(block: list[int], crops: list[list[int]]) -> Callable[[Any], Any]:
    return lambda x: _t().batch_to_space(x, block, crops)


def _s2b(block: list[int], paddings: list[list[int]]) -> Callable[[Any], Any]:
    return lambda x: _t().space_to_batch(x, block, paddings)


BATCH_TO_SPACE_CONFIGS: list[Config] = [
    ("2x2", (4, 2, 3, 2), _b2s([2, 2], [[0, 0], [0, 0]])),
    ("2x2-crops", (4, 2, 3, 2), _b2s([2, 2], [[0, 1], [1, 0]])),
    ("3x2-batch2", (12, 2, 2, 3), _b2s([3, 2], [[1, 1], [0, 1]])),
    ("1x3", (6, 3, 2, 1), _b2s([1, 3], [[0, 0], [2, 1]])),
    ("2x1", (2, 4, 3, 4), _b2s([2, 1], [[1, 0], [0, 0]])),
    ("rank3", (4, 5, 3), _b2s([2], [[0, 2]])),
    ("rank3-b4", (8, 3, 2), _b2s([4], [[1, 1]])),
    ("4x4", (16, 2, 2, 1), _b2s([4, 4], [[0, 3], [2, 2]])),
]
SPACE_TO_BATCH_CONFIGS: list[Config] = [  # no padding: TFLM leaves padded elements undefined
    ("2x2", (1, 4, 6, 2), _s2b([2, 2], [[0, 0], [0, 0]])),
    ("2x3", (1, 4, 6, 2), _s2b([2, 3], [[0, 0], [0, 0]])),
    ("3x2-batch2", (2, 6, 4, 3), _s2b([3, 2], [[0, 0], [0, 0]])),
    ("1x3", (1, 3, 6, 1), _s2b([1, 3], [[0, 0], [0, 0]])),
    ("2x1", (2, 4, 3, 4), _s2b([2, 1], [[0, 0], [0, 0]])),
    ("rank3", (2, 6, 3), _s2b([2], [[0, 0]])),
    ("rank3-b4", (1, 8, 2), _s2b([4], [[0, 0]])),
    ("4x4", (1, 8, 4, 1), _s2b([4, 4], [[0, 0], [0, 0]])),
]


def _mirror(pads: list[list[int]], mode: str) -> Callable[[Any], Any]:
    return lambda x: _t().pad(x, pads, mode=mode)


MIRROR_PAD_CONFIGS: list[Config] = [
    ("r1-reflect", (6,), _mirror([[2, 3]], "REFLECT")),
    ("r1-symmetric", (6,), _mirror([[3, 6]], "SYMMETRIC")),
    ("r2-reflect", (3, 5), _mirror([[1, 2], [4, 0]], "REFLECT")),
    ("r2-symmetric", (3, 5), _mirror([[3, 0], [2, 5]], "SYMMETRIC")),
    ("r3-reflect", (2, 4, 3), _mirror([[0, 1], [3, 3], [1, 2]], "REFLECT")),
    ("r3-symmetric", (2, 4, 3), _mirror([[1, 1], [0, 4], [3, 0]], "SYMMETRIC")),
    ("r4-reflect-hw", (1, 4, 5, 2), _mirror([[0, 0], [1, 2], [2, 1], [0, 0]], "REFLECT")),
    ("r4-symmetric-hw", (1, 4, 5, 2), _mirror([[0, 0], [2, 2], [1, 3], [0, 0]], "SYMMETRIC")),
    ("r4-reflect-all", (2, 3, 3, 3), _mirror([[1, 0], [2, 1], [0, 2], [1, 1]], "REFLECT")),
    ("r4-symmetric-all", (2, 3, 3, 3), _mirror([[0, 2], [3, 3], [1, 0], [2, 1]], "SYMMETRIC")),
    ("r4-reflect-c", (1, 2, 2, 6), _mirror([[0, 0], [0, 0], [0, 0], [5, 4]], "REFLECT")),
    ("r4-symmetric-c", (1, 2, 2, 3), _mirror([[0, 0], [0, 0], [1, 0], [3, 3]], "SYMMETRIC")),
]


def _broadcast(shape: list[int]) -> Callable[[Any], Any]:
    return lambda x: _t().broadcast_to(x, shape)


BROADCAST_TO_CONFIGS: list[Config] = [
    ("r1-r1", (1,), _broadcast([6])),
    ("r1-r3", (4,), _broadcast([2, 3, 4])),
    ("r2-r2", (3, 1), _broadcast([3, 5])),
    ("r2-r4", (1, 5), _broadcast([2, 3, 4, 5])),
    ("r3-r3", (1, 4, 1), _broadcast([3, 4, 2])),
    ("r4-hw", (1, 1, 1, 3), _broadcast([1, 4, 5, 3])),
    ("r4-batch-c", (1, 2, 3, 1), _broadcast([3, 2, 3, 4])),
    ("r4-hw-c", (2, 1, 3, 1), _broadcast([2, 4, 3, 5])),
]

MID, WIDE, SHIFTED = (-1.0, 1.0), (-6.0, 2.0), (0.0, 4.0)

GROUPS: list[Group] = [
    *resize_groups("nearest", False, [MID, WIDE, SHIFTED]),
    *resize_groups("nearest", True, [MID, WIDE, SHIFTED]),
    *resize_groups("bilinear", False, [MID, WIDE, SHIFTED]),
    Group("split", "SPLIT", tuple(SPLIT_CONFIGS)),
    Group("split", "SPLIT", tuple(SPLIT_CONFIGS), True, WIDE),
    Group("split-v", "SPLIT_V", tuple(SPLIT_V_CONFIGS), False, SHIFTED),
    Group("split-v", "SPLIT_V", tuple(SPLIT_V_CONFIGS), True),
    Group("unpack", "UNPACK", tuple(UNPACK_CONFIGS)),
    Group("unpack", "UNPACK", tuple(UNPACK_CONFIGS), True, SHIFTED),
    Group("pack", "PACK", tuple(PACK_CONFIGS), False, WIDE),
    Group("pack", "PACK", tuple(PACK_CONFIGS), True),
    Group("slice", "SLICE", tuple(SLICE_CONFIGS)),
    Group("slice", "SLICE", tuple(SLICE_CONFIGS), True, WIDE),
    Group("gather", "GATHER", tuple(GATHER_CONFIGS), False, SHIFTED),
    Group("gather-nd", "GATHER_ND", tuple(GATHER_ND_CONFIGS), False, WIDE),
    Group("depth-to-space", "DEPTH_TO_SPACE", tuple(DEPTH_TO_SPACE_CONFIGS)),
    Group("space-to-depth", "SPACE_TO_DEPTH", tuple(SPACE_TO_DEPTH_CONFIGS), False, SHIFTED),
    Group("batch-to-space", "BATCH_TO_SPACE_ND", tuple(BATCH_TO_SPACE_CONFIGS), False, WIDE),
    Group("space-to-batch", "SPACE_TO_BATCH_ND", tuple(SPACE_TO_BATCH_CONFIGS), False, SHIFTED),
    Group("mirror-pad", "MIRROR_PAD", tuple(MIRROR_PAD_CONFIGS)),
    Group("broadcast-to", "BROADCAST_TO", tuple(BROADCAST_TO_CONFIGS), False, SHIFTED),
    Group("broadcast-to", "BROADCAST_TO", tuple(BROADCAST_TO_CONFIGS), True),
]
