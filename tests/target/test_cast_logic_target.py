"""The cast kernel as generated C cross-compiled for Cortex-M4 (FPU) and M0
(soft float), run under QEMU: float32 -> int8, int16, int32 and bool casts on
NaN, infinities and out-of-range values (the core's own float conversions
must not leak through), int32 -> float32 rounding and int32 -> int8 wrapping;
each output equals the host and TensorFlow Lite Micro. (The other
cast/logic kernels run in C on the host in tests/codegen/test_cast_logic_c.py.)"""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.runtime import load
from pycmsisnn.target_model import TargetModel
from tests.lower.cast_logic_models import SPECIAL_FLOATS, Net, T, run_tflm_inputs


def float_casts() -> Net:
    n = Net()
    x = n.add(T((SPECIAL_FLOATS.size,), np.float32))
    n.outputs = [n.op("CAST", [x], T((SPECIAL_FLOATS.size,), dt)) for dt in (np.int8, np.int16, np.int32, np.bool_)]
    i = n.add(T((4,), np.int32))
    n.outputs += [n.op("CAST", [i], T((4,), np.float32)), n.op("CAST", [i], T((4,), np.int8))]
    return n


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m0"])
def test_float_casts_are_exact_on_the_core(core: str) -> None:
    ints = np.array([2**31 - 1, -(2**31), 16777217, -129], np.int32)
    cases = [(float_casts(), [[SPECIAL_FLOATS, ints], [SPECIAL_FLOATS[::-1].copy(), ints[::-1].copy()]])]
    for net, samples in cases:
        data = net.build()
        model = load(data)
        with TargetModel(model.plan, core) as tm:
            for xs in samples:
                got = tm.run(xs).outputs
                expected = run_tflm_inputs(data, xs)
                host = model.run(xs)
                assert len(got) == len(expected) == len(host)
                for k, (g, e, h) in enumerate(zip(got, expected, host)):
                    np.testing.assert_array_equal(np.asarray(g).reshape(e.shape), e, err_msg=f"{core}: output {k}")
                    np.testing.assert_array_equal(h, e, err_msg=f"host: output {k}")
