"""The DSP (Cortex-M4, M33) and MVE-core (Cortex-M55) builds of
arm_softmax_s16 against the host build (the portable C, exact against
TensorFlow Lite Micro in tests/kernels/test_s16.py), called through cffi on
the host and from one hand-written project per core under QEMU.

One project holds every case, one kernel call each: row lengths 1-33 (the
DSP pairwise maximum: no pair, odd and even tails) and 257 and 1000, several
rows per call, (mult, shift) from input scales giving right shifts (-3, -7), none (0)
and left shifts (1, 7), TFLite Micro's two tables, and rows of extreme
values: the int16 ends mixed, all equal, one hot, and a maximum at the end of
an odd row (the scalar tail of the maximum).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import quant, targets
from pycmsisnn._lib import ffi, lib
from pycmsisnn.library_files import CSRC

from ..support.s16_layers import NAME, _array, header

CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]


@dataclass(frozen=True)
class Case:
    rows: int
    row_size: int
    scale: float
    kind: str = "random"  # random, ends, equal, onehot, max-last


def _cases() -> list[Case]:
    scales = (1e-5, 8 / 32768, 1e-6, 0.01, 1e-4)
    cases = [Case(1 + n % 3, n, scales[n % 5]) for n in range(1, 34)]
    cases += [Case(2, 257, 8 / 32768), Case(1, 1000, 1e-4)]
    cases += [Case(3, 7, 8 / 32768, "ends"), Case(2, 16, 1e-5, "ends"), Case(2, 9, 0.01, "equal"),
              Case(2, 12, 8 / 32768, "onehot"), Case(3, 11, 1e-4, "max-last"), Case(2, 33, 0.01, "ends")]
    return cases


CASES = _cases()


def _data(case: Case, rng: np.random.Generator) -> np.ndarray:
    shape = (case.rows, case.row_size)
    if case.kind == "ends":
        return rng.choice(np.array([-32768, -32767, 32767, 32766, 0], dtype=np.int16), size=shape)
    if case.kind == "equal":
        return np.full(shape, -32768, np.int16)
    if case.kind == "onehot":
        x = np.full(shape, -32768, np.int16)
        x[:, rng.integers(0, case.row_size, size=case.rows)] = 32767
        return x
    x = rng.integers(-32768, 32768, size=shape).astype(np.int16)
    if case.kind == "max-last":
        x[:, -1] = 32767
    return x


def _host(case: Case, x: np.ndarray, mult: int, shift: int, luts: object) -> np.ndarray:
    out = np.empty_like(x)
    s = lib.arm_softmax_s16(ffi.from_buffer("int16_t[]", x), case.rows, case.row_size, mult, shift, luts,
                            ffi.from_buffer("int16_t[]", out))
    assert s == 0
    return out


@pytest.fixture(scope="module")
def suite() -> tuple[np.ndarray, np.ndarray, str]:
    rng = np.random.default_rng(16)
    exp_lut, one_lut = quant.softmax_s16_luts()
    keep = (ffi.from_buffer("int16_t[]", exp_lut), ffi.from_buffer("int16_t[]", one_lut))
    luts = ffi.new("cmsis_nn_softmax_lut_s16 *", {"exp_lut": keep[0], "one_by_one_lut": keep[1]})
    xs, expected, calls, offset, shifts = [], [], [], 0, set()
    for case in CASES:
        q = quant.softmax_s16_params(case.scale)
        shifts.add(q.shift)
        x = _data(case, rng)
        xs.append(x.reshape(-1))
        expected.append(_host(case, x, q.multiplier, q.shift, luts).reshape(-1))
        calls.append(f"    s |= arm_softmax_s16(in + {offset}, {case.rows}, {case.row_size}, {q.multiplier}, "
                     f"{q.shift}, &luts, out + {offset});\n")
        offset += x.size
    assert {-3, -7, 0, 1, 7} <= shifts, shifts  # both shift directions are exercised
    source = "".join([
        "#include \"arm_nnfunctions.h\"\n", f"#include \"{NAME}.h\"\n",
        _array("int16_t", "exp_lut", exp_lut), _array("int16_t", "one_lut", one_lut),
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        "    const cmsis_nn_softmax_lut_s16 luts = {exp_lut, one_lut};\n",
        "    const int16_t *in = inputs[0];\n    int16_t *out = outputs[0];\n    int s = 0;\n",
        *calls,
        "    PYCMSISNN_LAYER_DONE(0);\n    return s ? ARM_CMSIS_NN_ARG_ERROR : ARM_CMSIS_NN_SUCCESS;\n}\n",
    ])
    return np.concatenate(xs), np.concatenate(expected), source


def test_host_outputs_are_not_degenerate(suite: tuple[np.ndarray, np.ndarray, str]) -> None:
    _, expected, _ = suite
    assert expected.min() >= 0 and expected.max() == 32767
    assert len(np.unique(expected)) > 500


@pytest.mark.parametrize("core", CORES)
def test_softmax_s16_path_matches_host(core: str, suite: tuple[np.ndarray, np.ndarray, str]) -> None:
    x, expected, source = suite
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-sm16-") as tmp:
        d = Path(tmp)
        (d / f"{NAME}.h").write_text(header((x.size,), (x.size,)))
        (d / f"{NAME}.c").write_text(source)
        result = targets.run_project(d, NAME, core, [x], cmsis_nn=CSRC, count_instructions=False)
    result.check()
    got = np.asarray(result.outputs[0]).reshape(-1)
    diff = np.flatnonzero(got != expected)
    starts = np.cumsum([0] + [c.rows * c.row_size for c in CASES])
    bad = sorted({str(CASES[int(np.searchsorted(starts, i, side="right")) - 1]) for i in diff[:20]})
    assert diff.size == 0, f"{core}: {diff.size} of {expected.size} differ, in {bad}"
