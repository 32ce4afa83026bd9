"""Bad input to the target API gets a clear error before anything runs;
missing tools name their Debian package; our C is warning-free."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import targets
from pycmsisnn.errors import ArgError
from pycmsisnn.targets import build as target_build
from pycmsisnn.targets import plugin, toolchain

from .fixture_model import KERNELS, NAME, PROJECT, sample


def test_cores_and_aliases() -> None:
    assert [c.short for c in targets.CORES.values()] == ["m0", "m3", "m4", "m7", "m33", "m55"]
    assert [c.machine for c in targets.CORES.values()] == [
        "microbit", "mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547",
    ]
    assert [c.feature.value for c in targets.CORES.values()] == ["scalar", "scalar", "dsp", "dsp", "dsp", "mve"]
    assert targets.get_core("M7") is targets.get_core("cortex-m7") is targets.get_core("m7")
    with pytest.raises(ArgError, match="unknown core 'm85'"):
        targets.get_core("m85")
    for core in targets.CORES.values():  # 2 MiB of weights and a 512 KiB arena fit all but the micro:bit
        fits = core.const.size >= 2 * 2**20 and core.ram.size >= 512 * 1024 + 2**16
        assert fits == (core.name != "cortex-m0")


def test_reads_the_fixture_header() -> None:
    info = targets.read_project(PROJECT, NAME)
    assert [(s.size, s.dims, s.dtype.name, s.zero_point) for s in info.inputs] == [
        (128, (1, 4, 4, 8), "int8", -3), (128, (1, 4, 4, 8), "int8", 7),
    ]
    assert [(s.size, s.dims) for s in info.outputs] == [(16, (1, 16)), (128, (1, 4, 4, 8))]
    assert (info.arena_size, info.layer_count, info.macro_prefix) == (320, 3, "fixture")


def _broken_project(tmp_path: Path, old: str, new: str) -> Path:
    project = tmp_path / "broken"
    shutil.copytree(PROJECT, project)
    header = project / "fixture.h"
    header.write_text(header.read_text().replace(old, new))
    return project


def test_header_errors_name_the_macro(tmp_path: Path) -> None:
    project = _broken_project(tmp_path, "#define fixture_ARENA_SIZE 320", "")
    with pytest.raises(targets.ProjectError, match="fixture_ARENA_SIZE is missing"):
        targets.read_project(project, NAME)
    project = _broken_project(tmp_path / "2", "#define fixture_OUTPUT0_SIZE 16", "#define fixture_OUTPUT0_SIZE 17")
    with pytest.raises(targets.ProjectError, match=r"fixture_OUTPUT0_SIZE = '17': differs from dims \(1, 16\)"):
        targets.read_project(project, NAME)
    with pytest.raises(targets.ProjectError, match="not a C identifier"):
        targets.read_project(PROJECT, "fix-ture")
    with pytest.raises(targets.ProjectError, match="model.h not found"):
        targets.read_project(PROJECT, "model")


def test_missing_kernel_library_is_named(tmp_path: Path) -> None:
    with pytest.raises(targets.ProjectError, match="cmsis_nn: needs Include/ and Source/"):
        targets.build_project(PROJECT, NAME, "m4", tmp_path)


def test_bad_inputs_are_refused(fixture_build) -> None:
    build = fixture_build("cortex-m4")
    x0, x1 = sample(0)
    with pytest.raises(ArgError, match="takes 2 input"):
        targets.run_build(build, [x0])
    with pytest.raises(ArgError, match="input 1 has dtype int16, the model takes int8"):
        targets.run_build(build, [x0, x1.astype(np.int16)])
    with pytest.raises(ArgError, match="input 0 has 64 elements"):
        targets.run_build(build, [x0.ravel()[:64], x1])
    with pytest.raises(ArgError, match="timeout"):
        targets.run_build(build, [x0, x1], timeout=0)


def test_a_model_too_big_for_the_board_is_explained(tmp_path: Path) -> None:
    with pytest.raises(targets.BuildError, match="does not fit: memory region SRAM"):
        targets.build_project(PROJECT, NAME, "m0", tmp_path, cmsis_nn=KERNELS, stack_size=32 * 1024)


def _path_with(tmp_path: Path, programs: list[str]) -> str:
    """A PATH directory holding links to only ``programs``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in programs:
        found = shutil.which(program)
        assert found, program
        (bin_dir / program).symlink_to(found)
    return str(bin_dir)


def test_missing_cross_compiler_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _path_with(tmp_path, ["qemu-system-arm"]))
    with pytest.raises(targets.ToolchainError, match="arm-none-eabi-gcc not found.*Debian package gcc-arm-none-eabi"):
        targets.run_project(PROJECT, NAME, "m4", sample(0), cmsis_nn=KERNELS)


def test_missing_qemu_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_build) -> None:
    build = fixture_build("cortex-m4")
    tools = ["arm-none-eabi-gcc", "arm-none-eabi-ar", "arm-none-eabi-nm", "arm-none-eabi-size", "gcc"]
    monkeypatch.setenv("PATH", _path_with(tmp_path, tools))
    with pytest.raises(targets.ToolchainError, match="qemu-system-arm not found.*Debian package qemu-system-arm"):
        targets.run_build(build, sample(0))


SUPPORT = target_build.SUPPORT


@pytest.mark.parametrize("core", list(targets.CORES))
def test_harness_and_fixture_compile_warning_free(core: str) -> None:
    c = targets.get_core(core)
    gcc = str(toolchain.cross_tools().gcc)
    base = [gcc, *c.cflags, *target_build.CFLAGS, "-Werror", "-fsyntax-only", f"-I{KERNELS / 'Include'}",
            f"-I{PROJECT}", f"-I{SUPPORT}", "-DPYCMSISNN_MODEL=fixture", '-DPYCMSISNN_MODEL_HEADER="fixture.h"']
    for extra in ([], ["-DPYCMSISNN_TENSOR_TABLE"]):
        files = [SUPPORT / "harness.c", SUPPORT / "startup.c", SUPPORT / "semihost.c"]
        proc = subprocess.run([*base, *extra, *map(str, files)], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        model = [*base, *extra, "-include", "pycmsisnn_target.h", "-DPYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)"]
        proc = subprocess.run([*model, str(PROJECT / "fixture.c")], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr


def test_plugin_compiles_warning_free(tmp_path: Path) -> None:
    cmd = [str(toolchain.host_cc()), *plugin.FLAGS, "-Werror", str(plugin.SOURCE), "-o", str(tmp_path / "p.so")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert plugin.plugin_path().is_file()
    assert os.environ["PYCMSISNN_CACHE"] in str(plugin.plugin_path())
