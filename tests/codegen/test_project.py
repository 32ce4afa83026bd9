"""The generated project as a whole: its files and interface, the Makefile and
CMakeLists.txt (built here for the host), the per-layer tensor table, the
``--cmsis-nn`` variant, the reports, the ``convert`` command and ``inspect``."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.cli import main
from pycmsisnn.codegen import convert
from pycmsisnn.codegen.project import CSRC
from pycmsisnn.library_files import library_files
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from .host import MAIN_C, build_host_model, gcc, output_specs, run
from ..support import mlperf_tiny
from ..support.arm_tree import arm_tree
from ..support.mlperf_tiny import MlperfModel
from .test_models import GENERATED, generated_model
PUBLIC_HEADERS = [CSRC / "Include" / "arm_nnfunctions.h", *sorted((CSRC / "Include").glob("pycmsisnn_*.h"))]


def _declared_functions() -> set[str]:
    text = " ".join(p.read_text() for p in PUBLIC_HEADERS)
    return set(re.findall(r"\b((?:arm|pycmsisnn)_\w+)\s*\(", text))


# KWS constants in flash on M4: weights, biases, multipliers and shifts (arrays
# with equal contents are emitted once: the built network has three shift
# arrays equal to others).
KWS_CONSTANTS = {"built": 28216, "real": 28984}


@pytest.mark.mlperf("kws01")
def test_files_and_interface(mlperf: MlperfModel, tmp_path: Path) -> None:
    graph = load(mlperf.data).graph
    (x,), (y,) = (graph.tensor(i).quant for i in graph.inputs), (graph.tensor(i).quant for i in graph.outputs)
    assert x is not None and y is not None
    report = convert(mlperf.data, tmp_path, target="cortex-m4", name="kws", measure_size=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CMakeLists.txt", "Makefile", "cmsis_nn", "kws.c", "kws.h", "report.json", "report.txt"]
    copied = sorted(p.relative_to(tmp_path / "cmsis_nn") for p in (tmp_path / "cmsis_nn").rglob("*") if p.is_file())
    ours = sorted(p.relative_to(CSRC) for p in CSRC.rglob("*") if p.suffix in (".c", ".h"))
    assert copied == ours and all((tmp_path / "cmsis_nn" / p).read_bytes() == (CSRC / p).read_bytes() for p in ours)
    header = (tmp_path / "kws.h").read_text()
    for line in [
        "#define kws_INPUT_COUNT 1", "#define kws_OUTPUT_COUNT 1", "#define kws_INPUT0_SIZE 490",
        "#define kws_INPUT0_DIMS {1, 49, 10, 1}", f"#define kws_INPUT0_SCALE {x.scale:.9g}f", f"#define kws_INPUT0_ZERO_POINT {x.zero_point}",
        "#define kws_INPUT0_TYPE int8_t", "#define kws_OUTPUT0_SIZE 12", "#define kws_OUTPUT0_DIMS {1, 12}",
        f"#define kws_OUTPUT0_SCALE {y.scale:.9g}f", f"#define kws_OUTPUT0_ZERO_POINT {y.zero_point}", "#define kws_OUTPUT0_TYPE int8_t",
        "#define kws_ARENA_SIZE 11840", "#define kws_LAYER_COUNT 13",
        "arm_cmsis_nn_status kws_invoke(const void *const inputs[], void *const outputs[]);",
        "extern const pycmsisnn_tensor_ref kws_layer_outputs[kws_LAYER_COUNT];",
    ]:
        assert line in header.splitlines(), line
    source = (tmp_path / "kws.c").read_text()
    assert "static int8_t kws_arena[kws_ARENA_SIZE] __attribute__((aligned(16)));" in source
    arrays = re.findall(r"^static const (\w+) (\w+)\[(\d+)\] (__attribute__\(\(aligned\(4\)\)\)) =", source, re.M)
    assert arrays and sum(int(n) * {"int8_t": 1, "int32_t": 4}[t] for t, _, n, _ in arrays) == report.constants_bytes == KWS_CONSTANTS[mlperf.source]
    # every layer: its status checked (the RESHAPE works in place: no code), then the marker
    assert [int(i) for i in re.findall(r"PYCMSISNN_LAYER_DONE\((\d+)\);", source)] == list(range(13))
    assert len(re.findall(r"status = kws_layer_\d+\(\);\n    if \(status != ARM_CMSIS_NN_SUCCESS\)", source)) == 12
    reshape = next(op for op in graph.operators if op.opcode == "RESHAPE")
    note = f"/* in place: tensor {reshape.outputs[0]} is tensor {reshape.inputs[0]}'s buffer, no copy */"
    assert "arm_reshape_s8(" not in source and note in source
    # only the CMSIS-NN API and our pycmsisnn_* kernels are called
    called = set(re.findall(r"\b((?:arm|pycmsisnn)_\w+)\(", source)) - {"pycmsisnn_layer_done"}  # the harness's marker
    assert called and called <= _declared_functions(), called - _declared_functions()
    assert json.loads((tmp_path / "report.json").read_text())["arena_bytes"] == 11840


def test_layer_table_gives_every_intermediate(tmp_path: Path, host_kernels: Path) -> None:
    for k, (label, data) in enumerate([("kws", mlperf_tiny.built("kws01")), ("v2-108", generated_model(*GENERATED[14]))]):
        model = load(data)
        host = build_host_model(model, tmp_path / label, host_kernels, target="cortex-m55", layer_table=True)
        x = random_inputs(model.graph, np.random.default_rng(k))
        _, layers = host.run(x, output_specs(model.plan), tmp_path / label / "run", layers=True)
        expected = model.run(x, intermediates=True)
        assert sorted(layers) == list(range(len(model.plan.calls)))
        for i, call in enumerate(model.plan.calls):
            want = expected.tensors[call.outputs[0]]  # type: ignore[union-attr]
            assert layers[i] == want.tobytes(), f"{label}: layer {i} ({call.op.opcode})"


def test_makefile_builds_for_the_host(tmp_path: Path) -> None:
    model = load(generated_model(*GENERATED[6]))
    project = tmp_path / "p"
    convert(model, project, target="cortex-m3", name="net", measure_size=False)
    run(["make", "-s", "-j2", "CC=gcc", "AR=ar", "CPU_FLAGS=", "EXTRA_CFLAGS=-Werror"], cwd=project)
    _run_library(model, project, project / "libnet.a", tmp_path)


def test_cmake_builds_for_the_host(tmp_path: Path) -> None:
    cmake = shutil.which("cmake")
    assert cmake, "cmake is needed to test the generated CMakeLists.txt"
    model = load(generated_model(*GENERATED[7]))
    project = tmp_path / "p"
    convert(model, project, target="cortex-m7", name="net", measure_size=False)
    run([cmake, "-S", str(project), "-B", str(tmp_path / "b"), "-DCMAKE_C_COMPILER=gcc", "-DPYCMSISNN_CPU_FLAGS="])
    run([cmake, "--build", str(tmp_path / "b"), "-j2"])
    _run_library(model, project, tmp_path / "b" / "libnet.a", tmp_path)


def _run_library(model: object, project: Path, library: Path, work: Path, include: Path | None = None) -> None:
    exe = work / "net_host"
    first = ["-I", str(include)] if include is not None else []
    run([gcc(), "-std=c11", "-O1", '-DMODEL_HEADER="net.h"', "-DMODEL_INVOKE=net_invoke", "-I", str(project), *first, "-I",
         str(project / "cmsis_nn" / "Include"), str(MAIN_C), str(library), "-lm", "-o", str(exe)])
    plan = model.plan  # type: ignore[attr-defined]
    x = random_inputs(plan.graph, np.random.default_rng(3))
    args = [str(exe), str(len(x))]
    for i, v in enumerate(x):
        (work / f"in{i}.bin").write_bytes(v.tobytes())
        args.append(str(work / f"in{i}.bin"))
    specs = output_specs(plan)
    args.append(str(len(specs)))
    for i, (shape, dtype) in enumerate(specs):
        args.append(f"{work / f'out{i}.bin'}:{int(np.prod(shape)) * dtype.itemsize}")
    run(args)
    for i, (want, (shape, dtype)) in enumerate(zip(model.run(x), specs)):  # type: ignore[attr-defined]
        np.testing.assert_array_equal(np.frombuffer((work / f"out{i}.bin").read_bytes(), dtype=dtype).reshape(shape), want)


def test_official_library_option(tmp_path: Path) -> None:
    """--cmsis-nn against a tree laid out as Arm's (our files, tests/support/arm_tree.py):
    the project copies our additions and every header of ours they include, and
    its Makefile (Arm's integer sources named one by one) builds warning-free."""
    official = arm_tree(tmp_path / "CMSIS-NN")
    model = load(generated_model(*GENERATED[6 + 8]))  # v2: LOGISTIC, MEAN, broadcast MUL (our kernels)
    assert {"pycmsisnn_broadcast_mul_s8", "pycmsisnn_logistic_s8"} <= {c.kernel for c in model.plan.calls}
    project = tmp_path / "p"
    report = convert(model, project, target="cortex-m4", name="net", cmsis_nn=official, measure_size=False)
    assert report.library == str(official.resolve())
    copied = sorted(p.relative_to(project / "cmsis_nn").as_posix() for p in (project / "cmsis_nn").rglob("*") if p.is_file())
    assert copied == sorted(library_files(official).copied)
    assert "Include/Internal/arm_nn_broadcast_s8.h" in copied and "Include/Internal/pycmsisnn_arith.h" in copied
    assert not any(Path(c).name.startswith("arm_nn") and Path(c).parent.name == "Include" for c in copied)  # Arm's headers stay Arm's
    makefile = (project / "Makefile").read_text()
    assert f"CMSIS_NN := {official.resolve().as_posix()}" in makefile
    assert "$(CMSIS_NN)/Source/BasicMathFunctions/arm_elementwise_add_s8.c" in makefile and "_f16" not in makefile
    run(["make", "-s", "-j2", "CC=gcc", "AR=ar", "CPU_FLAGS=", "EXTRA_CFLAGS=-Werror"], cwd=project)
    _run_library(model, project, project / "libnet.a", tmp_path, official / "Include")
    with pytest.raises(FileNotFoundError, match="not a CMSIS-NN checkout"):
        convert(model, tmp_path / "q", cmsis_nn=tmp_path / "nowhere", measure_size=False)


@pytest.mark.mlperf("kws01")
def test_reports(mlperf: MlperfModel, tmp_path: Path) -> None:
    report = convert(mlperf.data, tmp_path, target="cortex-m55", name="kws", measure_size=False)
    data = json.loads((tmp_path / "report.json").read_text())
    assert (data["arena_bytes"], data["peak_bytes"], data["linear_arena_bytes"], data["layers"]) == (11840, 11840, 72848, 13)
    assert data["flash_bytes"] == data["code_bytes"] + data["constants_bytes"] and data["ram_bytes"] == 11840 + data["stack_bytes"]
    assert data["measured"] is False and data["target"] == "cortex-m55"
    # MVE: the fully connected layer's kernel sums are constants (4 bytes per output)
    assert data["constants_bytes"] == KWS_CONSTANTS[mlperf.source] + 12 * 4 == report.constants_bytes
    text = (tmp_path / "report.txt").read_text()
    assert text.startswith("kws for cortex-m55: 13 layers")
    assert "RAM 12,864 B = arena 11,840 B + stack 1,024 B (stack a rough estimate, no cross toolchain)" in text.splitlines()
    assert data["ram"] == {"ram_bytes": 12864, "arena_bytes": 11840, "stack_bytes": 1024, "stack_source": "guess"}
    assert data["layer_table"][1]["scratch_bytes"] == 2 * 6 * 5 * 64  # no kernel scratch; the two chunks of 6 rows it writes its input over through


def test_convert_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "default", "-o", str(tmp_path / "p"), "--target", "cortex-m33", "--name", "net"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("net for cortex-m33: 9 layers") and (tmp_path / "p" / "net.c").is_file()
    assert main(["convert", "default", "-o", str(tmp_path / "q"), "--name", "bad-name"]) == 2
    assert "'bad-name' is not a valid C identifier" in capsys.readouterr().err and not (tmp_path / "q").exists()
    with pytest.raises(SystemExit):
        main(["convert", "default", "-o", str(tmp_path / "r"), "--target", "cortex-m85"])


@pytest.mark.mlperf("kws01")
def test_inspect_shows_the_planned_arena(mlperf: MlperfModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kws.tflite").write_bytes(mlperf.data)
    assert main(["inspect", str(tmp_path / "kws.tflite")]) == 0
    assert "planned arena (greedy, 9 tensor(s) in place): cortex-m3 11840 B, cortex-m4 11840 B, cortex-m55 11840 B" in capsys.readouterr().out


def test_converting_twice_replaces_the_project(tmp_path: Path) -> None:
    data = mlperf_tiny.built("kws01")
    convert(data, tmp_path, target="cortex-m4", name="kws", measure_size=False)
    (tmp_path / "cmsis_nn" / "Source" / "stale.c").write_text("#error stale\n")
    convert(data, tmp_path, target="cortex-m4", name="kws", measure_size=False)
    assert not (tmp_path / "cmsis_nn" / "Source" / "stale.c").exists()
