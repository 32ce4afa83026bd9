"""The ``--cmsis-nn`` switch on Cortex-M, guarded in CI (which cannot fetch Arm's
library) with a tree laid out as Arm's, made of our files
(``tests/support/arm_tree.py``: Arm's header names only, ``arm_*`` sources
only, float sources that do not compile):

- ``convert --cmsis-nn TREE``: the project's Makefile builds for Cortex-M4,
  the Makefile, CMakeLists.txt and the Python build path name the same files,
  and the project runs exactly under QEMU;
- ``verify_target(..., cmsis_nn=TREE)`` is exact on one core;
- ``bench --compare-cmsis-nn TREE``: both sides are our code, so every
  layer's count is the same on both sides.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import cli, targets
from pycmsisnn.bench_compare import CompareReport, LayerComparison, compare_bench
from pycmsisnn.codegen import convert
from pycmsisnn.library_files import CSRC, library_files
from pycmsisnn.runtime import load
from pycmsisnn.samples import random_inputs
from pycmsisnn.verify import verify_target
from tests.codegen.test_models import GENERATED, generated_model
from tests.support.arm_tree import arm_tree

CORE = "cortex-m4"
# v2 network: LOGISTIC, MEAN and a broadcast MUL (pycmsisnn_* kernels, whose
# broadcast header Arm's tree lacks) beside Arm's convolutions and pooling.
MODEL = GENERATED[6 + 8]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return arm_tree(tmp_path_factory.mktemp("arm") / "CMSIS-NN").resolve()


@pytest.fixture(scope="module")
def model_data() -> bytes:
    return generated_model(*MODEL)


def _make_sources(project: Path) -> list[Path]:
    out = subprocess.run(["make", "-s", "sources"], cwd=project, capture_output=True, text=True, timeout=60, check=True).stdout
    return [(project / s).resolve() for s in out.split()]


def _cmake_sources(project: Path, tree: Path | None) -> list[Path]:
    text = (project / "CMakeLists.txt").read_text()
    block = re.search(r"set\(KERNEL_SOURCES\n(.*?)\n\)", text, re.S)
    assert block, "CMakeLists.txt lists KERNEL_SOURCES"
    root = str(tree) if tree is not None else str(project / "cmsis_nn")
    paths = [p.strip().strip('"') for p in block.group(1).splitlines()]
    return [project / "net.c"] + [
        Path(p.replace("${CMSIS_NN_ROOT}", root).replace("${CMAKE_CURRENT_SOURCE_DIR}", str(project))).resolve() for p in paths
    ]


@pytest.mark.parametrize("arm", [True, False], ids=["arm-tree", "ours"])
def test_project_and_python_build_name_the_same_files(arm: bool, tree: Path, model_data: bytes, tmp_path: Path) -> None:
    project = tmp_path / "p"
    convert(model_data, project, target=CORE, name="net", cmsis_nn=tree if arm else None, measure_size=False)
    python_path = [p.resolve() for p in targets.build_sources(project, "net", tree if arm else None)]
    assert _make_sources(project) == python_path
    assert _cmake_sources(project, tree if arm else None) == python_path
    names = {p.name for p in python_path}
    if arm:
        files = library_files(tree)
        assert python_path[1:] == [*files.sources, *(project / "cmsis_nn" / r for r in files.our_sources)]
        assert {"arm_convolve_s8.c", "pycmsisnn_broadcast_mul_s8.c"} <= names
        assert not names & {"arm_elementwise_add_f16.c", "arm_softmax_f32.c", "arm_nntables_flt.c"}
        # without the argument, the Python path finds the checkout in the project's report.json
        assert targets.build_sources(project, "net") == targets.build_sources(project, "net", tree)
    else:
        assert len(python_path) == 1 + len(list((CSRC / "Source").glob("*/*.c")))


def test_converted_project_builds_with_its_makefile_and_runs_exactly(tree: Path, model_data: bytes, tmp_path: Path) -> None:
    project = tmp_path / "p"
    convert(model_data, project, target=CORE, name="net", cmsis_nn=tree, measure_size=False)
    subprocess.run(["make", "-s", "-j2", "EXTRA_CFLAGS=-Werror"], cwd=project, capture_output=True, text=True, timeout=600, check=True)
    objects = {p.name for p in (project / "build").glob("*.o")}
    assert {"net.o", "arm_convolve_s8.o", "pycmsisnn_broadcast_mul_s8.o"} <= objects and "arm_elementwise_add_f16.o" not in objects
    model = load(model_data)
    x = random_inputs(model.graph, np.random.default_rng(5))
    result = targets.run_project(project, "net", CORE, x)  # Arm's tree from report.json, as the Makefile names it
    result.check()
    for got, want in zip(result.outputs, model.run(x)):
        np.testing.assert_array_equal(np.asarray(got).reshape(want.shape), want)


def test_verify_target_against_the_tree_is_exact(tree: Path, model_data: bytes) -> None:
    report = verify_target(model_data, CORE, samples=2, cmsis_nn=tree)
    assert (report.exact, report.exact_samples, report.target_exact_samples) == (True, 2, 2)


def test_cli_verify_check_and_bench_take_cmsis_nn(tree: Path, model_data: bytes, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.tflite"
    path.write_bytes(model_data)
    assert cli.main(["verify", str(path), "--target", CORE, "--samples", "1", "--cmsis-nn", str(tree), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["target_exact_samples"] == 1
    assert cli.main(["verify", str(path), "--cmsis-nn", str(tree)]) == 2
    assert "--cmsis-nn needs a Cortex-M --target" in capsys.readouterr().err
    assert cli.main(["verify", str(path), "--target", CORE, "--cmsis-nn", str(tmp_path)]) == 2
    assert "is not a CMSIS-NN checkout" in capsys.readouterr().err


def test_bench_compare_on_the_tree_counts_the_same_on_both_sides(tree: Path, model_data: bytes,
                                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = compare_bench(model_data, CORE, tree)
    assert isinstance(report, CompareReport) and all(isinstance(r, LayerComparison) for r in report.layers)
    model = load(model_data)
    assert [r.opcode for r in report.layers] == [c.op.opcode for c in model.plan.calls]
    assert all(r.ours == r.arm > 0 and r.ratio == 1.0 for r in report.layers)
    assert report.ours.instructions == report.arm.instructions > sum(r.ours for r in report.layers) * 0.9
    assert report.ratio == 1.0 and report.arm.library == str(tree) and report.ours.library == "pycmsisnn"
    assert report.ours.ram.arena_bytes == report.arm.ram.arena_bytes > 0
    # the CLI: JSON of the same record, and the text table
    path = tmp_path / "m.tflite"
    path.write_bytes(model_data)
    assert cli.main(["bench", str(path), "--target", CORE, "--compare-cmsis-nn", str(tree), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == str(path) and data["ratio"] == 1.0
    assert [(r["ours"], r["arm"], r["ratio"]) for r in data["layers"]] == [(r.ours, r.arm, 1.0) for r in report.layers]
    assert data["ours"]["instructions"] == data["arm"]["instructions"] == report.ours.instructions
    assert cli.main(["bench", str(path), "--target", CORE, "--compare-cmsis-nn", str(tree)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[1].split()[-3:] == ["ours", "Arm", "ours/Arm"] and text[-3].startswith("total (one inference)")
    assert text[-3].split()[-1] == "1.000" and text[-2].startswith("ours: flash") and text[-1].startswith("Arm : flash")
    assert cli.main(["bench", str(path), "--target", CORE, "--compare-cmsis-nn", str(tree), "--plot", str(tmp_path / "x.png")]) == 2


def _row_broadcast_minimum() -> bytes:
    from tests.support.tflite_build import build_model, tf

    def make(inputs: list) -> object:
        return tf().keras.layers.Lambda(lambda t: tf().minimum(t[0], t[1]))(inputs)

    return build_model("arm-contract-minimum-rows-v1", make, [(1, 4, 5, 1), (1, 4, 1, 1)], seed=3)


def test_layers_arms_library_computes_wrongly_are_refused_for_it(tree: Path, tmp_path: Path) -> None:
    """Measured on Arm's commit 99f736a6: arm_minimum_s8 with an input of NHWC
    dims (1, 4, 1, 1) broadcast over width 5 gives wrong outputs. A project
    for Arm's library refuses the layer; ours computes it exactly."""
    from pycmsisnn.codegen import CodegenRefusal

    data = _row_broadcast_minimum()
    assert {c.kernel for c in load(data).plan.calls} >= {"arm_minimum_s8"}
    with pytest.raises(CodegenRefusal, match=r"Arm's library cannot run these layers exactly .*MINIMUM\): input_2 of shape \[1, 4, 1, 1\] broadcast over width 5"):
        convert(data, tmp_path / "arm", target=CORE, name="net", cmsis_nn=tree, measure_size=False)
    convert(data, tmp_path / "ours", target=CORE, name="net", measure_size=False)
    rep = verify_target(data, CORE, samples=2)
    assert rep.exact_samples == 2
