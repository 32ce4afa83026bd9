"""The SVDF kernel wrappers: the state is updated in place (and the bound
replay writes the same array), bias may be omitted, and bad arguments are
refused by name before any C runs. Exactness against TFLite Micro is in
tests/lower/test_svdf.py; here a numpy statement of the same steps checks the
no-bias path (TFLite Micro itself crashes on an SVDF without bias)."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.kernels._binding import recording
from pycmsisnn.kernels.svdf import arm_svdf_s8, arm_svdf_s8_get_buffer_size, arm_svdf_s8_get_buffer_size_dsp, arm_svdf_s8_get_buffer_size_mve, arm_svdf_state_s16_s8
from pycmsisnn.params import Activation, PerTensorQuant, SvdfParams, SvdfQuant
from pycmsisnn.quant import quantize_multiplier


def _requantize(acc: np.ndarray, q: PerTensorQuant) -> np.ndarray:
    """TFLite's MultiplyByQuantizedMultiplier (double rounding) on int64 values."""
    left, right = max(q.shift, 0), max(-q.shift, 0)
    x = acc.astype(np.int64) * (1 << left)
    x = np.clip(x, -(2**31), 2**31 - 1)
    prod = x * q.multiplier
    high = (prod + (1 << 30)) >> 31  # rounding doubling high multiply (no saturation case here)
    if right == 0:
        return high
    mask = (1 << right) - 1
    rem = high & mask
    threshold = (mask >> 1) + (high < 0)
    return (high >> right) + (rem > threshold)


def _numpy_step(p: SvdfParams, q: SvdfQuant, x, state, wf, wt, bias):  # noqa: ANN001, ANN202
    batches = x.shape[0]
    filters, memory = wt.shape
    s = state.reshape(batches, filters, memory).astype(np.int64)
    s = np.concatenate([s[:, :, 1:], np.zeros((batches, filters, 1), np.int64)], axis=2)
    feat = (x.astype(np.int64) - p.input_offset) @ wf.astype(np.int64).T
    s[:, :, -1] = np.clip(_requantize(feat, q.input), p.input_activation.min, p.input_activation.max)
    per_filter = (s * wt.astype(np.int64)[None]).sum(axis=2)
    units = filters // p.rank
    acc = per_filter.reshape(batches, units, p.rank).sum(axis=2) + (0 if bias is None else bias)
    y = np.clip(_requantize(acc, q.output) + p.output_offset, p.output_activation.min, p.output_activation.max)
    return y.astype(np.int8), s.reshape(state.shape).astype(state.dtype)


def _case(state_dtype: type, seed: int = 0):  # noqa: ANN202
    rng = np.random.default_rng(seed)
    batches, input_size, units, rank, memory = 2, 9, 3, 2, 4
    filters = units * rank
    lim = 3000 if state_dtype == np.int16 else 100
    p = SvdfParams(rank, input_offset=-5, output_offset=3,
                   input_activation=Activation(-32768, 32767) if state_dtype == np.int16 else Activation(-128, 127))
    q = SvdfQuant(PerTensorQuant(*quantize_multiplier(0.02 if state_dtype == np.int16 else 0.0005)),
                  PerTensorQuant(*quantize_multiplier(2e-5 if state_dtype == np.int16 else 0.01)))
    x = rng.integers(-128, 128, size=(batches, input_size)).astype(np.int8)
    wf = rng.integers(-127, 128, size=(filters, input_size)).astype(np.int8)
    wt = rng.integers(-lim, lim, size=(filters, memory)).astype(state_dtype)
    state = rng.integers(-lim, lim, size=(batches, filters * memory)).astype(state_dtype)
    return p, q, x, state, wf, wt


@pytest.mark.parametrize("state_dtype", [np.int16, np.int8])
@pytest.mark.parametrize("with_bias", [True, False])
def test_step_updates_the_state_in_place(state_dtype: type, with_bias: bool) -> None:
    p, q, x, state, wf, wt = _case(state_dtype)
    bias = np.arange(-3, 0, dtype=np.int32) * 400 if with_bias else None
    fn = arm_svdf_state_s16_s8 if state_dtype == np.int16 else arm_svdf_s8
    for _ in range(3):
        want_y, want_state = _numpy_step(p, q, x, state, wf, wt, bias)
        before = state.copy()
        y = fn(p, q, x, state, wf, wt, bias)
        assert not np.array_equal(state, before)
        np.testing.assert_array_equal(state, want_state)
        np.testing.assert_array_equal(y, want_y)
        assert len(set(y.ravel().tolist())) > 2


def test_bound_replay_writes_the_given_state() -> None:
    p, q, x, state, wf, wt = _case(np.int16, seed=3)
    twin = state.copy()
    with recording([x, state]) as rec:
        first = arm_svdf_state_s16_s8(p, q, x, state, wf, wt)
    assert rec.bound is not None
    other = twin.copy()
    replayed = rec.bound(x, other)  # replay on another state array: that array advances
    np.testing.assert_array_equal(replayed, first)
    arm_svdf_state_s16_s8(p, q, x, twin, wf, wt)
    np.testing.assert_array_equal(other, twin)


def test_bad_arguments_are_refused_by_name() -> None:
    p, q, x, state, wf, wt = _case(np.int16)
    with pytest.raises(ArgError, match="state: must have dtype int16"):
        arm_svdf_state_s16_s8(p, q, x, state.astype(np.int8), wf, wt)
    with pytest.raises(ArgError, match="state: shape"):
        arm_svdf_state_s16_s8(p, q, x, state[:, :-1].copy(), wf, wt)
    with pytest.raises(ArgError, match="C-contiguous and writeable"):
        arm_svdf_state_s16_s8(p, q, x, np.asfortranarray(np.tile(state, (2, 1)))[:2], wf, wt)
    with pytest.raises(ArgError, match="rank"):
        arm_svdf_state_s16_s8(SvdfParams(4, -5, 3), q, x, state, wf, wt)
    with pytest.raises(ArgError, match="weights_feature"):
        arm_svdf_state_s16_s8(p, q, x, state, wf[:, :-1].copy(), wt)
    with pytest.raises(ArgError, match="bias"):
        arm_svdf_state_s16_s8(p, q, x, state, wf, wt, np.zeros(5, np.int32))
    with pytest.raises(ArgError, match="input_offset"):
        arm_svdf_state_s16_s8(SvdfParams(2, 300, 3), q, x, state, wf, wt)
    with pytest.raises(ArgError, match="weights_time: must have dtype int8"):
        arm_svdf_s8(p, q, x, state.astype(np.int8), wf, wt)


def test_buffer_sizes() -> None:
    assert arm_svdf_s8_get_buffer_size((6, 9)) == 0
    assert arm_svdf_s8_get_buffer_size_dsp((6, 9)) == 0
    assert arm_svdf_s8_get_buffer_size_mve((6, 9)) == 24
    with pytest.raises(ArgError):
        arm_svdf_s8_get_buffer_size((6,))
