"""The DSP and MVE run loops of the int8 broadcasting kernels
(arm_maximum_s8, arm_minimum_s8, pycmsisnn_broadcast_{add,sub,mul}_s8) on
the cores that compile them: hand-written projects of many kernel calls
(tests/support/broadcast_calls.py) built with our library for Cortex-M4 and
M33 (DSP) and M55 (MVE), run under QEMU and compared exactly with the host
build of the same kernels (the portable C, exact against TensorFlow Lite
Micro in tests/kernels and tests/lower), called through cffi.

The calls hit every run kind and every block and tail of the loops:
- run lengths 1 to 35 and 1003 (MVE min/max: groups of 16 and a predicated
  tail of 1-15; MVE add/sub/mul: groups of 4 and a tail of 1-3; DSP: words
  of 4 and 1-3 leftovers);
- both inputs contiguous over the run (same shapes: one run; a [1,1,1,C]
  operand: a run per pixel, the operand restarting; a mixed broadcast over
  N, H and W), one input a repeated value over the run (a [1,1,1,1] scalar:
  one run; a [1,H,W,1] operand: a run per pixel; a [N,1,1,1] one), each in
  both operand orders, with the outer dimensions merged into rows of runs
  or walked one by one;
- zero points at both ends (offsets 128 and -127), fused ReLU / ReLU6
  clamps and narrowed ones, ADD/SUB input shifts of 0 and deep right shifts,
  output shifts close to -30, 0 and positive (the DSP portable fallback, the
  MVE left-shift loop), MUL output shifts of both signs, and multipliers of
  INT32_MIN (the portable fallback of every path).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from pycmsisnn.library_files import CSRC

from ..support.broadcast_calls import INT32_MIN, OPS, Call, add_struct, call_data, host, mul_struct, project, run, split

CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]
LENGTHS = tuple(range(1, 36)) + (1003,)

# (input 1 scale, input 2 scale, output scale)
ADD_SCALES = (
    (0.02, 0.03, 0.05),  # the usual: every shift negative
    (2.0**-6, 2.0**-6, 2.0**-5),  # exact: the output rounds ties
    (0.02, 0.03, 0.06 / (2.0**20 * 0.75)),  # output shift 0
    (0.02, 0.02, 0.04),  # equal input scales: input shifts 0
    (0.05, 0.05 / 3000.0, 0.05),  # input 2 shifted far right
    (0.02, 0.03, 40.0),  # output shift -29
    (0.0005, 0.03, 0.01),
)
MUL_SCALES = (
    (0.02, 0.03, 0.02 * 0.03 * 300.0),  # shift -8
    (0.02, 0.03, 0.02 * 0.03 / 5.0),  # shift +3
    (0.02, 0.03, 0.02 * 0.03 / 0.75),  # shift 0
    (0.05, 0.04, 0.05 * 0.04 * 60.0),  # shift -5
    (0.1, 0.1, 0.1 * 0.1 * 2000.0),  # shift -10
    (2.0**-4, 2.0**-4, 2.0**-2),  # exact multiplier 2^-6: ties
)
# (input 1, input 2, output) zero points
ZERO_POINTS = ((-128, 127, 0), (60, -60, 3), (5, -7, 2), (127, -128, -128), (0, 5, 127), (-3, 9, 0))
ACTS = ("none", "none", "relu", "relu6", "narrow")


def _act(kind: str, scale: float, zero_point: int) -> tuple[int, int]:
    if kind == "relu":
        return zero_point, 127
    if kind == "relu6":
        return zero_point, min(127, zero_point + int(round(6.0 / scale)))
    if kind == "narrow":
        return -20, 35
    return -128, 127


def _params(op: str, i: int) -> tuple[int, ...]:
    """The i-th parameter set of op (raw ones outside TFLite's ranges every 11th)."""
    if op in ("max", "min"):
        return ()
    table = ADD_SCALES if op in ("add", "sub") else MUL_SCALES
    scales = table[i % len(table)]
    zps = ZERO_POINTS[(i + i // len(table)) % len(ZERO_POINTS)]
    act = _act(ACTS[(i + i // 30) % len(ACTS)], scales[2], zps[2])
    if op == "mul":
        p = mul_struct(scales, zps, act)
        if i % 11 == 10:  # a multiplier of INT32_MIN: the portable loop everywhere
            p = p[:3] + (INT32_MIN, -14) + p[5:]
        return p
    p = add_struct(scales, zps, act)
    if i % 11 == 5:  # a positive output shift: the DSP portable fallback, MVE's left shift
        p = p[:8] + (1 << 30, 1) + p[10:]
    if i % 11 == 10:  # a multiplier of INT32_MIN
        p = p[:1] + (INT32_MIN,) + p[2:]
    return p


def _patterns(n: int) -> list[tuple[tuple[int, int, int, int], tuple[int, int, int, int]]]:
    """Input shapes whose runs are n long, of every kind, both orders."""
    same = ((1, 1, 1, n), (1, 1, 1, n))
    chan = ((1, 3, 2, n), (1, 1, 1, n))
    pixel = ((1, 2, 2, n), (1, 2, 2, 1))
    scalar = ((1, 1, 1, n), (1, 1, 1, 1))
    mixed = ((2, 1, 3, n), (1, 2, 1, n))  # rows of 3 runs inside two outer loops
    gap = ((2, 3, 1, n), (2, 1, 1, 1))  # W of 1 between the run and the rows
    return [same, chan, chan[::-1], pixel, pixel[::-1], scalar, scalar[::-1], mixed, gap]


def _calls(op: str) -> list[Call]:
    calls = []
    for n in LENGTHS:
        for a, b in _patterns(n):
            calls.append(Call(op, a, b, _params(op, len(calls))))
    return calls


@pytest.mark.parametrize("op", OPS)
def test_broadcast_runs_match_host_on_dsp_and_mve_cores(op: str) -> None:
    calls = _calls(op)
    rng = np.random.default_rng(OPS.index(op) + 21)
    data = [call_data(c, rng) for c in calls]
    expected = [host(c, *d).reshape(-1) for c, d in zip(calls, data)]
    # many outputs spread over their range (others saturate on purpose): a wrong
    # loop cannot pass everywhere by saturating
    spread = [np.unique(e).size for e, c in zip(expected, calls) if c.out[3] >= 16]
    assert sum(s > 8 for s in spread) >= (0.25 if op == "mul" else 0.35) * len(spread), spread
    proj = project(calls, data)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda core: run(proj, core, CSRC), CORES))
    for core, result in zip(CORES, results):
        for call, got, want in zip(calls, split(proj, result), expected):
            diff = np.flatnonzero(got != want)
            assert diff.size == 0, f"{call} on {core}: {diff.size} of {want.size} differ, first {diff[:8].tolist()}"


def test_parameters_reach_every_case() -> None:
    """The parameter sets really have the shifts, offsets and clamps the
    docstring promises."""
    add = [c.params for c in _calls("add")]
    mul = [c.params for c in _calls("mul")]
    assert any(p[2] == 0 and p[5] == 0 for p in add)
    assert min(p[5] for p in add) <= -10
    assert {p[9] for p in add} >= {0, 1} and min(p[9] for p in add) <= -28
    assert {p[4] > 0 for p in mul} == {True, False} and any(p[4] == 0 for p in mul) and min(p[4] for p in mul) <= -10
    assert any(p[1] == INT32_MIN for p in add) and any(p[3] == INT32_MIN for p in mul)
    for params, first, lo, hi in ((add, 0, 10, 11), (mul, 0, 5, 6)):
        assert {p[first] for p in params} >= {128, -127}
        assert any(p[lo] > -128 for p in params) and any(p[hi] < 127 for p in params)
        assert any(p[lo] == -128 and p[hi] == 127 for p in params)
