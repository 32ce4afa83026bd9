"""int8 DIV, LOG_SOFTMAX and ADD_N (``pycmsisnn_math_ops.h``) as generated C
under QEMU on a Cortex-M4, compared exactly with the host runtime and
TensorFlow Lite Micro. DIV's random pairs include divisors at their zero point
and quotients whose rounding shift passes 31 bits, where our kernel computes
what TFLite Micro's x86-64 build does, in C whose behaviour is defined on
every core."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.verify import verify_target
from tests.support.handmade import Spec, model_of

SHAPE = (16, 1024)
MODELS = {
    "div": lambda: model_of("DIV", [Spec(SHAPE, np.int8, (0.03, 82)), Spec(SHAPE, np.int8, (0.7, 114))], Spec(SHAPE, np.int8, (0.0027, -65))),
    "log_softmax": lambda: model_of("LOG_SOFTMAX", [Spec((64, 256), np.int8, (0.05, 3))], Spec((64, 256), np.int8, (1 / 16, 127))),
    "add_n": lambda: model_of("ADD_N", [Spec(SHAPE, np.int8, (0.05, -100))] * 3, Spec(SHAPE, np.int8, (0.08, 7))),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_math_op_on_cortex_m4_is_exact(name: str) -> None:
    report = verify_target(MODELS[name](), "cortex-m4", samples=2, seed=1)
    assert report.first_mismatch is None
    assert report.exact_samples == 2
