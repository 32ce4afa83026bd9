"""Generated C of 16x8 models (int16 activations) against the host runtime
and TensorFlow Lite Micro: the int16 data-movement network with float I/O
planned without reuse (so RESHAPE's byte copy is emitted, not aliased), an
int16 concatenation along channels (the innermost axis, counted in bytes)
with int16 I/O, and an int16 PADV2 with a non-zero constant. The interface
header declares each port's element type."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..kernels.tensor_ops_models import PAD_CONFIGS, concat_model, pad_model
from ..lower.test_s16_data import CONCAT_MIXED_RANGES, S16, float_io_network, int16_constant_values
from .host import build_host_model, output_specs

# (id, model, target, planning strategy, the C element type of input 0 and output 0, a kernel it must reach)
CASES: list[tuple[str, Callable[[], bytes], str, str | None, str, str]] = [
    ("network_float_io_linear", float_io_network, "cortex-m4", "linear", "float", "reshape_s16"),
    ("concat_channels", lambda: concat_model(*CONCAT_MIXED_RANGES[0], **S16), "cortex-m0", None, "int16_t", "concatenation_s16"),
    ("padv2", lambda: int16_constant_values(pad_model(*PAD_CONFIGS[6], **S16)), "cortex-m55", None, "int16_t", "pycmsisnn_pad_s16"),
]


@pytest.mark.parametrize("name,make,target,strategy,ctype,kernel", CASES, ids=[c[0] for c in CASES])
def test_16x8_model_in_c_is_exact(name: str, make: Callable[[], bytes], target: str, strategy: str | None, ctype: str, kernel: str,
                                  tmp_path: Path, host_kernels: Path) -> None:
    data = make()
    model = load(data)
    assert kernel in {c.kernel for c in model.plan.calls}
    host = build_host_model(model, tmp_path, host_kernels, target=target, strategy=strategy)
    header = (host.project / "model.h").read_text()
    assert f"#define model_INPUT0_TYPE {ctype}" in header and f"#define model_OUTPUT0_TYPE {ctype}" in header
    if strategy == "linear":
        assert "arm_reshape_s8((const int8_t *)(const void *)(" in (host.project / "model.c").read_text()
    tflm = TflmRunner(data)
    rng = np.random.default_rng(len(name))
    for sample in range(3):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        for k, (c, e, r) in enumerate(zip(ours, expected, tflm.run(x, len(expected)))):
            assert c.dtype == e.dtype
            np.testing.assert_array_equal(c, e, err_msg=f"{name}: C vs host runtime, output {k}, sample {sample}")
            np.testing.assert_array_equal(c, np.asarray(r).reshape(c.shape), err_msg=f"{name}: C vs TFLite Micro, output {k}, sample {sample}")
