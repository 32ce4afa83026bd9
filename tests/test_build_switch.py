"""The build switch: Arm's official CMSIS-NN (CMSIS_NN_ROOT or third_party/)
replaces our kernels, keeping our pycmsisnn_* kernels and our declarations."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pycmsisnn import library_files
from pycmsisnn._ffi import build

from .support.arm_tree import arm_tree


def _fake_official(root: Path) -> Path:
    """A tree laid out like Arm's library, made of our files (tests/support/arm_tree.py)."""
    return arm_tree(root)


def test_default_build_compiles_our_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CMSIS_NN_ROOT", raising=False)
    if build.official_root() is not None:
        pytest.fail("third_party/CMSIS-NN holds a library: this test wants the default tree")
    sources, includes = build.kernel_sources()
    assert all("pycmsisnn/csrc/Source" in s for s in sources)
    assert any(s.endswith("arm_convolve_s8.c") for s in sources)
    assert includes == [build._rel(build.OUR_INCLUDE)]


def test_cmsis_nn_root_selects_the_official_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    official = _fake_official(tmp_path / "CMSIS-NN").resolve()
    monkeypatch.setenv("CMSIS_NN_ROOT", str(official))
    sources, includes = build.kernel_sources()
    assert [str(Path(i).resolve()) for i in includes] == [str(official / "Include"), str(build.OUR_INCLUDE)]
    resolved = [Path(s).resolve() for s in sources]
    # the same files as the rule generated projects and target builds follow
    assert resolved == library_files.library_files(official, build.CSRC).all_sources()
    theirs = {p.name for p in resolved if p.is_relative_to(official)}
    ours = {p.stem for p in resolved if p.is_relative_to(build.OUR_SOURCE)}
    assert theirs == {p.name for p in (official / "Source").glob("*/arm_*.c")} - {
        "arm_elementwise_add_f16.c", "arm_softmax_f32.c", "arm_nntables_flt.c"}
    assert "arm_convolve_s8.c" in theirs and "arm_elementwise_add_f16.c" not in theirs
    assert ours == build.ours_only_functions() and "arm_convolve_HWC_q7_basic" in ours
    assert len(resolved) == len(theirs) + len(ours)


def test_cmsis_nn_root_must_hold_the_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMSIS_NN_ROOT", str(tmp_path))
    with pytest.raises(RuntimeError, match="does not hold Include/arm_nnfunctions.h"):
        build.kernel_sources()


def test_official_tree_builds_with_our_declarations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full cffi build against a tree in the official layout links."""
    official = _fake_official(tmp_path / "CMSIS-NN")
    monkeypatch.setenv("CMSIS_NN_ROOT", str(official))
    # Our own sources from a copy inside tmp_path too: distutils writes each
    # object file at the source's path relative to the build directory.
    shutil.copytree(build.CSRC, tmp_path / "ours")
    monkeypatch.setattr(build, "OUR_INCLUDE", tmp_path / "ours" / "Include")
    monkeypatch.setattr(build, "OUR_SOURCE", tmp_path / "ours" / "Source")
    monkeypatch.chdir(tmp_path)
    builder = build.make_builder()
    out = builder.compile(tmpdir=str(tmp_path))
    assert Path(out).is_file()
    generated = (tmp_path / "pycmsisnn" / "_lib.c").read_text()
    assert "#define PYCMSISNN_OFFICIAL_LIBRARY 1\n" in generated
    assert '#include "arm_nnsupportfunctions.h"' in generated


def test_source_prelude_names_the_library_and_declares_every_binding() -> None:
    """The flag pycmsisnn.kernels.library_name() reads, and for Arm's library its
    support header, where Arm declares arm_depthwise_conv_s8_opt_get_buffer_size_dsp/_mve
    (our arm_nnfunctions.h declares them; Arm's does not)."""
    ours, arm = build.source_prelude(False), build.source_prelude(True)
    assert ours.splitlines()[:2] == ["#define PYCMSISNN_OFFICIAL_LIBRARY 0", '#include "arm_nnfunctions.h"']
    assert "arm_nnsupportfunctions.h" not in ours
    assert arm.splitlines()[:3] == [
        "#define PYCMSISNN_OFFICIAL_LIBRARY 1", '#include "arm_nnfunctions.h"', '#include "arm_nnsupportfunctions.h"',
    ]
    assert "arm_depthwise_conv_s8_opt_get_buffer_size_mve" in build.public_declarations()


def test_library_name_reports_the_built_library() -> None:
    from pycmsisnn._lib import lib
    from pycmsisnn.kernels import library_name

    assert library_name() == ("arm" if lib.PYCMSISNN_OFFICIAL_LIBRARY == 1 else "ours")
    assert lib.PYCMSISNN_OFFICIAL_LIBRARY in (0, 1)
