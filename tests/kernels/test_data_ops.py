"""The data-movement kernels (``pycmsisnn_data_ops.h``) against numpy on
their own, including what the lowering never asks of them (padding entries
of the remap, int16 pads), and their argument errors."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import data_ops as d

RNG = np.random.default_rng(7)


def _data(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    info = np.iinfo(dtype)
    return RNG.integers(info.min, info.max + 1, size=shape).astype(dtype)


@pytest.mark.parametrize("dtype,fn", [(np.int8, d.pycmsisnn_remap_s8), (np.int16, d.pycmsisnn_remap_s16)])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4), (2, 3, 4, 5)])
def test_remap_is_numpy_indexing_with_padding(dtype: type, fn: object, shape: tuple[int, ...]) -> None:
    x = _data(shape, dtype)
    maps = [RNG.integers(-1, n, size=RNG.integers(1, 7)).tolist() for n in shape]
    got = fn(x, maps, pad_value=-77)  # type: ignore[operator]
    expected = x[np.ix_(*[np.maximum(m, 0) for m in maps])].copy()
    mask = np.zeros(expected.shape, bool)
    for a, m in enumerate(maps):
        index = [np.newaxis] * len(maps)
        index[a] = slice(None)
        mask |= (np.array(m) < 0)[tuple(index)]
    expected[mask] = -77
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype,fn", [(np.int8, d.pycmsisnn_split_s8), (np.int16, d.pycmsisnn_split_s16)])
def test_split_is_numpy_split(dtype: type, fn: object) -> None:
    x = _data((2, 3, 10, 2, 3), dtype)
    for axis, sizes in ((2, [3, 1, 6]), (-1, [1, 2]), (0, [1, 1]), (4, [3])):
        pieces = fn(x, axis, sizes)  # type: ignore[operator]
        expected = np.split(x, np.cumsum(sizes)[:-1], axis=axis)
        assert len(pieces) == len(expected)
        for p, e in zip(pieces, expected):
            np.testing.assert_array_equal(p, e)


def test_gather_is_take_with_batch_dims() -> None:
    x = _data((2, 3, 5, 4), np.int8)
    idx = RNG.integers(0, 5, size=(2, 3, 6)).astype(np.int32)
    got = d.pycmsisnn_gather_s8(x, idx, axis=2, batch_dims=2)
    expected = np.stack([np.stack([np.take(x[b, o], idx[b, o], axis=0) for o in range(3)]) for b in range(2)])
    np.testing.assert_array_equal(got, expected)
    flat = RNG.integers(0, 4, size=(3, 2)).astype(np.int32)
    np.testing.assert_array_equal(d.pycmsisnn_gather_s8(x, flat, axis=-1), np.take(x, flat, axis=-1))


def test_block_rearrangements_invert_each_other() -> None:
    x = _data((2, 6, 4, 3), np.int8)
    np.testing.assert_array_equal(d.pycmsisnn_depth_to_space_s8(d.pycmsisnn_space_to_depth_s8(x, 2), 2), x)
    batched = d.pycmsisnn_space_to_batch_s8(x, (3, 2), ((0, 0), (0, 0)))
    assert batched.shape == (12, 2, 2, 3)
    np.testing.assert_array_equal(d.pycmsisnn_batch_to_space_s8(batched, (3, 2), ((0, 0), (0, 0))), x)
    padded = d.pycmsisnn_space_to_batch_s8(x, (2, 2), ((1, 1), (2, 2)), pad_value=9)
    back = d.pycmsisnn_batch_to_space_s8(padded, (2, 2), ((1, 1), (2, 2)))
    np.testing.assert_array_equal(back, x)
    assert (padded == 9).sum() >= 2 * (8 * 8 - 6 * 4) * 3


def test_bilinear_of_a_constant_image_is_that_constant() -> None:
    for value in (-128, -1, 0, 37, 127):
        x = np.full((1, 3, 4, 2), value, np.int8)
        for align, half in ((False, False), (True, False), (False, True)):
            np.testing.assert_array_equal(d.pycmsisnn_resize_bilinear_s8(x, (7, 5), align, half), np.full((1, 7, 5, 2), value))


def test_fill_writes_the_value() -> None:
    assert (d.pycmsisnn_fill_s8(_data((2, 3), np.int8), -5) == -5).all()


def test_argument_errors() -> None:
    x = _data((2, 5), np.int8)
    with pytest.raises(ArgError, match=r"pycmsisnn_remap_s8: maps\[1\]: index 5 is outside axis 1 of extent 5"):
        d.pycmsisnn_remap_s8(x, [[0], [5]])
    with pytest.raises(ArgError, match="pycmsisnn_split_s8: sizes: .* add up to axis 1's extent 5"):
        d.pycmsisnn_split_s8(x, 1, [2, 2])
    with pytest.raises(ArgError, match="pycmsisnn_gather_s8: indices: index 5 is outside axis 1 of extent 5"):
        d.pycmsisnn_gather_s8(x, np.array([5], np.int32), 1)
    with pytest.raises(ArgError, match="pycmsisnn_depth_to_space_s8: block_size: 2 \\* 2 does not divide"):
        d.pycmsisnn_depth_to_space_s8(_data((1, 2, 2, 6), np.int8), 2)
    with pytest.raises(ArgError, match="pycmsisnn_resize_bilinear_s8: half_pixel_centers: cannot be combined"):
        d.pycmsisnn_resize_bilinear_s8(_data((1, 2, 2, 1), np.int8), (4, 4), True, True)
    with pytest.raises(ArgError, match="pycmsisnn_space_to_batch_s8: paddings: padded extents 5 x 4"):
        d.pycmsisnn_space_to_batch_s8(_data((1, 4, 4, 1), np.int8), (2, 2), ((1, 0), (0, 0)))
