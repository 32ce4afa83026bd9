"""Generated projects with the cross toolchain (arm-none-eabi-gcc, QEMU):
the Makefile builds warning-free for Cortex-M4 and M55, the report measures
the build, and the default model runs bit-exactly under QEMU on all six cores.
These tests need gcc-arm-none-eabi, libnewlib-arm-none-eabi and
qemu-system-arm; without them they fail saying so."""
from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.codegen import convert
from pycmsisnn.cores import CORES as KNOWN_CORES
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..support import mlperf_tiny

TOOLS = ("arm-none-eabi-gcc", "arm-none-eabi-ar", "arm-none-eabi-size", "make")
CORES = list(KNOWN_CORES)


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    assert not missing, f"{', '.join(missing)} missing: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"


@pytest.mark.parametrize("target", ["cortex-m4", "cortex-m55"])
def test_makefile_cross_builds_without_warnings(target: str, tmp_path: Path) -> None:
    _require(*TOOLS)
    model = mlperf_tiny.built("vww01")
    report = convert(model, tmp_path, target=target, name="vww", measure_size=True)
    result = subprocess.run(["make", "-j2"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stderr[-4000:]
    assert (tmp_path / "libvww.a").is_file()
    assert report.measured and report.constants_bytes < report.flash_bytes and 0 < report.code_bytes < 64 * 1024
    assert 0 < report.stack_bytes < 4096 and report.ram_bytes == report.arena_bytes + report.stack_bytes == 55296 + report.stack_bytes


@pytest.mark.parametrize("target", CORES)
def test_default_model_runs_exactly_under_qemu(target: str, tmp_path: Path) -> None:
    _require(*TOOLS, "qemu-system-arm")
    from pycmsisnn import targets

    data = resources.files("pycmsisnn").joinpath("data", "default_model.tflite").read_bytes()
    model = load(data)
    convert(model, tmp_path / "p", target=target, name="net", measure_size=False)
    rng = np.random.default_rng(5)
    x = random_inputs(model.graph, rng)
    result = targets.run_project(tmp_path / "p", "net", target, x, timeout=120, dump_layers=True)
    result.check()
    for ours, want in zip(result.outputs, model.run(x)):
        np.testing.assert_array_equal(ours.reshape(want.shape), want)
    expected = model.run(x, intermediates=True)
    assert len(result.layers) == len(model.plan.calls)
    for dump, call in zip(result.layers, model.plan.calls):
        want = expected.tensors[call.outputs[0]]  # type: ignore[union-attr]
        assert (dump.layer, dump.tensor) == (call.op.index, call.outputs[0])
        np.testing.assert_array_equal(dump.as_array(want.dtype, want.shape), want, err_msg=f"layer {call.op.index}")
