"""The int4-weight network of ``tests/codegen/test_s4.py`` (the three s4
wrappers: generic and 1x1 convolutions, the optimised depthwise, fully
connected) as generated C cross-compiled for Cortex-M0, M4 and M55 and run
under QEMU: equal to the host run and to TensorFlow Lite Micro on every
sample. (The s4 kernels have one portable path; the cores check the build.)"""
from __future__ import annotations

import pytest

from pycmsisnn.verify import verify_target

from ..codegen.test_s4 import int4_network

SAMPLES = 2


@pytest.mark.parametrize("core", ["cortex-m0", "cortex-m4", "cortex-m55"])
def test_int4_network_is_exact_on_the_core(core: str) -> None:
    report = verify_target(int4_network(), core, samples=SAMPLES, seed=3)
    assert report.first_mismatch is None, report.first_mismatch
    assert (report.exact_samples, report.host_exact_samples, report.target_exact_samples) == (SAMPLES, SAMPLES, SAMPLES)
