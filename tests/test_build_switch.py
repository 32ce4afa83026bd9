"""The build switch: Arm's official CMSIS-NN (CMSIS_NN_ROOT or third_party/)
replaces our kernels, keeping our pycmsisnn_* kernels and our declarations."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pycmsisnn._ffi import build


def _fake_official(root: Path) -> Path:
    """A tree laid out like Arm's library (here: a copy of ours without what
    Arm's library does not have: the pycmsisnn_* kernels and the legacy q7 API)."""
    ours_only = shutil.ignore_patterns("pycmsisnn_*", *(f"{name}.c" for name in build.ours_only_functions()))
    shutil.copytree(build.OUR_INCLUDE, root / "Include", ignore=ours_only)
    shutil.copytree(build.OUR_SOURCE, root / "Source", ignore=ours_only)
    return root


def test_default_build_compiles_our_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CMSIS_NN_ROOT", raising=False)
    if build.official_root() is not None:
        pytest.fail("third_party/CMSIS-NN holds a library: this test wants the default tree")
    sources, includes = build.kernel_sources()
    assert all("pycmsisnn/csrc/Source" in s for s in sources)
    assert any(s.endswith("arm_convolve_s8.c") for s in sources)
    assert includes == [build._rel(build.OUR_INCLUDE)]


def test_cmsis_nn_root_selects_the_official_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    official = _fake_official(tmp_path / "CMSIS-NN")
    (official / "Source" / "SoftmaxFunctions" / "arm_softmax_f32.c").write_text("/* float: not built */\n")
    monkeypatch.setenv("CMSIS_NN_ROOT", str(official))
    sources, includes = build.kernel_sources()
    assert includes[0].endswith("CMSIS-NN/Include")
    resolved = [str(Path(s).resolve()) for s in sources]
    ours = {Path(s).stem for s in resolved if s.startswith(str(build.OUR_SOURCE))}
    assert resolved and all(s.startswith(str(official)) or s.startswith(str(build.OUR_SOURCE)) for s in resolved)
    assert ours == build.ours_only_functions() and "arm_convolve_HWC_q7_basic" in ours
    assert not any(s.endswith("_f32.c") for s in sources)


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
