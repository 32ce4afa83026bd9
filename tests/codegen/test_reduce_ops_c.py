"""Generated C of every ``pycmsisnn_reduce_ops.h`` kernel (and SUM through
the MEAN kernels), compiled on the host and compared with the host runtime
and TensorFlow Lite Micro: int32 indices, bool outputs (one byte each),
bool and int16 select inputs, constant operands (a constant bool condition
in the constant pool) and every cumulative-sum option."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from pycmsisnn.runtime import load
from pycmsisnn.samples import random_inputs

from ..lower.handmade_op import Spec, single_op_model
from ..lower.reduce_ops_models import handmade_arg, handmade_compare, handmade_cumsum, handmade_reduce, handmade_select
from ..support.tflm import run_tflm
from .host import build_host_model, output_specs

Q = (0.05, -3)
CONDITION = np.array([[True], [False], [True]])

# (id, model, the kernel it must reach, target)
CASES: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("arg_max", lambda: handmade_arg("ARG_MAX", np.int8, (2, 5, 3, 4), -3), "pycmsisnn_arg_max_s8", "cortex-m4"),
    ("arg_min", lambda: handmade_arg("ARG_MIN", np.int8, (7, 6), 0), "pycmsisnn_arg_min_s8", "cortex-m0"),
    ("reduce_max", lambda: handmade_reduce("REDUCE_MAX", np.int8, (2, 3, 4, 5), [0, -2], Q, Q), "pycmsisnn_reduce_max_s8", "cortex-m55"),
    ("reduce_min", lambda: handmade_reduce("REDUCE_MIN", np.int8, (3, 9), [1], Q, Q), "pycmsisnn_reduce_min_s8", "cortex-m4"),
    ("sum_s8", lambda: handmade_reduce("SUM", np.int8, (4, 9, 5), [0, 2], (0.08, 91), (0.29, -46)), "pycmsisnn_mean_s8", "cortex-m4"),
    ("sum_s16", lambda: handmade_reduce("SUM", np.int16, (4, 9, 5), [1], (5.5e-4, 0), (0.06, 0)), "pycmsisnn_mean_s16", "cortex-m7"),
    ("equal", lambda: handmade_compare("EQUAL", (3, 4), (3, 4), (0.05, -7), (0.05, 20), (3, 4)), "pycmsisnn_equal_s8", "cortex-m4"),
    ("not_equal", lambda: handmade_compare("NOT_EQUAL", (2, 3, 1), (4,), (0.02, 5), (0.05, -3), (2, 3, 4)), "pycmsisnn_not_equal_s8", "cortex-m0"),
    ("less", lambda: handmade_compare("LESS", (3, 1, 5), (4, 1), (0.03, 2), (0.07, -1), (3, 4, 5)), "pycmsisnn_less_s8", "cortex-m33"),
    ("less_equal", lambda: handmade_compare("LESS_EQUAL", (6, 7), (1, 7), (0.0517, 65), (0.0153, 115), (6, 7)), "pycmsisnn_less_equal_s8",
     "cortex-m4"),
    ("greater_constant", lambda: single_op_model("GREATER", [Spec((2, 3, 4), np.int8, (0.03, 1)),
                                                             Spec((4,), np.int8, (0.02, -2), np.array([-100, 0, 3, 90], np.int8))],
                                                 Spec((2, 3, 4), np.bool_)), "pycmsisnn_greater_s8", "cortex-m55"),
    ("greater_equal", lambda: handmade_compare("GREATER_EQUAL", (5,), (5,), (0.9, 0), (0.0031, -128), (5,)), "pycmsisnn_greater_equal_s8",
     "cortex-m4"),
    ("select_s8", lambda: handmade_select(np.int8, (3, 1), (1, 4), (3, 4), (3, 4), Q), "pycmsisnn_select_s8", "cortex-m4"),
    ("select_s16_constant_condition", lambda: single_op_model(
        "SELECT_V2", [Spec((3, 1), np.bool_, None, CONDITION), Spec((3, 4), np.int16, (1e-3, 0)), Spec((1, 4), np.int16, (1e-3, 0))],
        Spec((3, 4), np.int16, (1e-3, 0))), "pycmsisnn_select_s16", "cortex-m55"),
    ("cumsum", lambda: handmade_cumsum((3, 6, 4), 1, False, False, (0.02, -100), (0.2, 10)), "pycmsisnn_cumsum_s8", "cortex-m4"),
    ("cumsum_exclusive_reverse", lambda: handmade_cumsum((2, 3, 4, 5), -1, True, True, (0.07, 20), (0.5, -128)), "pycmsisnn_cumsum_s8",
     "cortex-m0"),
]


@pytest.mark.parametrize("name,make,kernel,target", CASES, ids=[c[0] for c in CASES])
def test_reduce_ops_in_c_are_exact(name: str, make: Callable[[], bytes], kernel: str, target: str, tmp_path: Path, host_kernels: Path) -> None:
    data = make()
    model = load(data)
    assert [c.kernel for c in model.plan.calls] == [kernel]
    host = build_host_model(model, tmp_path, host_kernels, target=target)
    rng = np.random.default_rng(len(name))
    for sample in range(2):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        for k, (c, e, r) in enumerate(zip(ours, expected, run_tflm(data, x))):
            assert c.dtype == e.dtype == r.dtype
            np.testing.assert_array_equal(c, e, err_msg=f"{name}: C vs host runtime, output {k}, sample {sample}")
            np.testing.assert_array_equal(c, r.reshape(c.shape), err_msg=f"{name}: C vs TFLite Micro, output {k}, sample {sample}")


def test_bool_ports_are_declared_bool(tmp_path: Path, host_kernels: Path) -> None:
    model = load(handmade_select(np.int8, (3, 1), (1, 4), (3, 4), (3, 4), Q))
    host = build_host_model(model, tmp_path, host_kernels)
    header = (host.project / "model.h").read_text()
    assert "#define model_INPUT0_TYPE bool" in header and "#define model_OUTPUT0_TYPE int8_t" in header
