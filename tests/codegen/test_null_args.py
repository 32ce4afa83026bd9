"""``NAME_invoke`` refuses NULL arguments: a NULL ``inputs`` or ``outputs``,
or a NULL element of either, returns ARM_CMSIS_NN_ARG_ERROR (-1) and writes
nothing; a valid call still returns the model's outputs. For the s8 projects
(a two-input, two-output model) and the legacy q7 projects, compiled and run
on the host (``null_args_main.c``)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from pycmsisnn.codegen import convert, convert_legacy
from pycmsisnn.qmn import LegacyRunner, requantize_power_of_two
from pycmsisnn.runtime import load
from pycmsisnn.tflite import read_model
from tests.codegen.host import MODEL_CFLAGS, gcc, run
from tests.qmn.models import legacy_model
from tests.support.tflite_build import build_model, random_bias_initializer, tf

HERE = Path(__file__).resolve().parent
NULL_MAIN_C = HERE / "null_args_main.c"
ARG_ERROR = -1


def _two_by_two(inputs: list) -> object:
    k = tf().keras.layers
    added = k.Add()([inputs[0], inputs[1]])
    conv = k.Conv2D(4, 3, padding="same", bias_initializer=random_bias_initializer())(inputs[0])
    return [added, conv]


def two_by_two_model() -> bytes:
    """Two int8 inputs (1, 4, 4, 3); outputs ADD(a, b) and CONV_2D 3x3 (3 -> 4) of a."""
    return build_model("codegen-null-args-2x2-v1", _two_by_two, [(1, 4, 4, 3), (1, 4, 4, 3)], seed=61, input_range=(-2.0, 2.0))


def _inputs(graph: object) -> list[np.ndarray]:
    """The inputs null_args_main.c makes: input k's byte i is (i*37 + k*11 + 5) mod 256."""
    out = []
    for k, index in enumerate(graph.inputs):  # type: ignore[attr-defined]
        t = graph.tensor(index)  # type: ignore[attr-defined]
        raw = ((np.arange(t.nbytes) * 37 + k * 11 + 5) & 0xFF).astype(np.uint8)
        out.append(raw.view(t.dtype).reshape(t.shape))
    return out


def _run_null_cases(project: Path, name: str, root: Path, kernels: Path, in_sizes: list[int], out_sizes: list[int]) -> tuple[dict[str, tuple[int, int]], list[bytes]]:
    defines = [f'-DMODEL_HEADER="{name}.h"', f"-DMODEL_INVOKE={name}_invoke",
               f"-DIN_SIZES={{{','.join(map(str, in_sizes))}}}", f"-DOUT_SIZES={{{','.join(map(str, out_sizes))}}}"]
    includes = ["-I", str(project), "-I", str(project / "cmsis_nn" / "Include")]
    obj, exe = root / f"{name}.o", root / "null_args"
    run([gcc(), *MODEL_CFLAGS, *includes, "-c", str(project / f"{name}.c"), "-o", str(obj)])
    run([gcc(), "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", *defines, *includes, str(NULL_MAIN_C), str(obj), str(kernels), "-lm", "-o", str(exe)])
    cases: dict[str, tuple[int, int]] = {}
    outputs: list[bytes] = []
    for line in run([str(exe)]).stdout.splitlines():
        words = line.split()
        if words[0].startswith("out") and words[0][3:].isdigit():
            outputs.append(bytes.fromhex(words[1]))
        else:
            cases[words[0]] = (int(words[1]), int(words[2]))
    return cases, outputs


def _check(cases: dict[str, tuple[int, int]], n_in: int, n_out: int) -> None:
    refused = ["inputs", "outputs"] + [f"input{k}" for k in range(n_in)] + [f"output{k}" for k in range(n_out)]
    assert sorted(cases) == sorted(refused + ["valid"])
    for case in refused:
        assert cases[case] == (ARG_ERROR, 1), f"{case} NULL: invoke returned {cases[case][0]}, outputs untouched {cases[case][1]}"
    assert cases["valid"] == (0, 0)


def test_s8_invoke_refuses_null_elements(tmp_path: Path, host_kernels: Path) -> None:
    data = two_by_two_model()
    model = load(data)
    assert len(model.inputs) == 2 and len(model.outputs) == 2
    project = tmp_path / "project"
    convert(model, project, target="cortex-m4", name="model", measure_size=False)
    cases, outputs = _run_null_cases(project, "model", tmp_path, host_kernels,
                                     [t.nbytes for t in model.inputs], [t.nbytes for t in model.outputs])
    _check(cases, 2, 2)
    expected = model.run(_inputs(model.graph))
    assert [o.tobytes() for o in expected] == outputs


def test_legacy_invoke_refuses_null_elements(tmp_path: Path, host_kernels: Path) -> None:
    data = requantize_power_of_two(legacy_model())
    graph = read_model(data)
    project = tmp_path / "project"
    convert_legacy(data, project, target="cortex-m4", name="q7model", measure_size=False)
    ins, outs = [graph.tensor(i) for i in graph.inputs], [graph.tensor(i) for i in graph.outputs]
    cases, outputs = _run_null_cases(project, "q7model", tmp_path, host_kernels, [t.nbytes for t in ins], [t.nbytes for t in outs])
    _check(cases, len(ins), len(outs))
    expected = LegacyRunner(graph).run(_inputs(graph))
    assert [np.asarray(o).tobytes() for o in expected] == outputs
