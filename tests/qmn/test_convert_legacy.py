"""``convert --legacy``: power-of-two models as C projects calling the q7
kernels, built for the host with gcc and for Cortex-M4 under QEMU, against
``LegacyRunner`` bit for bit; and the refusal, per layer, of models the q7
API cannot compute exactly.

Two models, both TF-converted and re-quantised to power-of-two scales with
``pycmsisnn.qmn.requantize``: ``legacy_model`` (one layer per q7 kernel: RGB,
depthwise, fast, basic convolutions, max pool, reshape, fully connected) and
``extras`` (batch 2: a standalone RELU, a bias-less stride-2 convolution, a
padded 3x3 max pool, a fully connected layer with a fused ReLU).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import cli, targets
from pycmsisnn.codegen import LegacyRefusal, convert, convert_legacy
from pycmsisnn.codegen.legacy import FC_PLAIN
from pycmsisnn.kernels import legacy_q7
from pycmsisnn.qmn import LegacyRunner, analyse_layer, requantize_power_of_two
from pycmsisnn.qmn.measure import random_samples
from pycmsisnn.reference import TflmRunner
from pycmsisnn.tflite import read_model
from tests.codegen.host import MAIN_C, MODEL_CFLAGS, HostModel, build_kernel_library, gcc, run
from tests.qmn.models import legacy_model
from tests.support.tflite_build import build_model, random_bias_initializer, tf

SAMPLES = 4
LEGACY_SOURCES = {
    "ConvolutionFunctions/arm_convolve_HWC_q7_basic.c", "ConvolutionFunctions/arm_convolve_HWC_q7_fast.c",
    "ConvolutionFunctions/arm_convolve_HWC_q7_RGB.c", "ConvolutionFunctions/arm_depthwise_separable_conv_HWC_q7.c",
    "FullyConnectedFunctions/arm_fully_connected_q7.c", "FullyConnectedFunctions/arm_fully_connected_q7_opt.c",
    "PoolingFunctions/arm_maxpool_q7_HWC.c", "ActivationFunctions/arm_relu_q7.c",
}


def _extras_layers(inputs: list) -> object:
    k = tf().keras.layers
    x = k.ReLU()(inputs[0])
    x = k.Conv2D(4, 3, strides=2, padding="same", use_bias=False)(x)
    x = k.MaxPooling2D(3, strides=1, padding="same")(x)
    x = k.Flatten()(x)
    return k.Dense(6, activation="relu", bias_initializer=random_bias_initializer())(x)


def extras_model() -> bytes:
    """RELU -> CONV_2D 3x3 stride 2 (4 -> 4, no bias) -> MAX_POOL_2D 3x3 same
    -> RESHAPE -> FULLY_CONNECTED 64 -> 6 (ReLU), batch 2."""
    return build_model("qmn|legacy_convert_extras|v1", _extras_layers, [(2, 8, 8, 4)], seed=5, input_range=(-2.0, 2.0))


@pytest.fixture(scope="module")
def models() -> dict[str, bytes]:
    return {"cnn": requantize_power_of_two(legacy_model()), "extras": requantize_power_of_two(extras_model())}


@pytest.fixture(scope="module")
def kernels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kernel_library(tmp_path_factory.mktemp("legacy-kernels"))


def build_host(model: bytes, root: Path, kernels: Path, **convert_args: object) -> HostModel:
    """``convert_legacy`` into root/project, built for the host with the codegen tests' harness."""
    project, name = root / "project", "q7model"
    report = convert_legacy(model, project, name=name, measure_size=False, **convert_args)  # type: ignore[arg-type]
    defines = [f'-DMODEL_HEADER="{name}.h"', f"-DMODEL_INVOKE={name}_invoke", "-DPYCMSISNN_TENSOR_TABLE",
               f"-DLAYER_TABLE={name}_layer_outputs", "-DPYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)"]
    includes = ["-I", str(project), "-I", str(project / "cmsis_nn" / "Include")]
    obj = root / f"{name}.o"
    run([gcc(), *MODEL_CFLAGS, *defines, *includes, "-c", str(project / f"{name}.c"), "-o", str(obj)])
    exe = root / "q7_host"
    run([gcc(), "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", *defines, *includes, str(MAIN_C), str(obj), str(kernels), "-lm", "-o", str(exe)])
    return HostModel(project, name, exe, report)


def reference(model: bytes, x: np.ndarray) -> dict[int, np.ndarray]:
    """Every tensor of the model through the q7 kernels: ``LegacyRunner.run_layer``
    for the layers, ``arm_maxpool_q7_HWC`` and max(x, 0) for the rest."""
    graph = read_model(model)
    runner = LegacyRunner(graph)
    values = {graph.inputs[0]: x}
    for op in graph.operators:
        v, y = values[op.inputs[0]], graph.tensor(op.outputs[0])
        if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            out = runner.run_layer(op.index, v)
        elif op.opcode == "MAX_POOL_2D":
            k, s = op.options.filter_height, op.options.stride_h
            assert op.options.padding == 1 or s == 1, "the reference handles VALID, or SAME at stride 1"
            pad = (k - 1) // 2 if op.options.padding == 0 else 0
            out = np.stack([legacy_q7.arm_maxpool_q7_HWC(img, v.shape[1], v.shape[3], k, pad, s, y.shape[1]) for img in v])
        elif op.opcode == "RELU":
            out = np.maximum(v, 0)
        else:
            assert op.opcode == "RESHAPE"
            out = v
        values[op.outputs[0]] = np.asarray(out).reshape(y.shape)
    return values


@pytest.mark.parametrize("which", ["cnn", "extras"])
def test_host_build_equals_legacy_runner(which: str, models: dict[str, bytes], kernels: Path, tmp_path: Path) -> None:
    model = models[which]
    graph = read_model(model)
    host = build_host(model, tmp_path, kernels)
    out = graph.tensor(graph.outputs[0])
    for k, (x,) in enumerate(random_samples(graph, SAMPLES, seed=21)):
        (got,), layers = host.run([x], [(out.shape, np.int8)], tmp_path / f"run{k}", layers=True)
        values = reference(model, x)
        np.testing.assert_array_equal(got, values[graph.outputs[0]])
        for i, op in enumerate(graph.operators):
            np.testing.assert_array_equal(np.frombuffer(layers[i], dtype=np.int8), values[op.outputs[0]].reshape(-1), err_msg=f"layer {i} {op.opcode}")
        if which == "cnn":
            np.testing.assert_array_equal(got, LegacyRunner(graph).run([x])[0])  # the runner's own chain agrees


def test_kernels_reached(models: dict[str, bytes], tmp_path: Path) -> None:
    report = convert_legacy(models["cnn"], tmp_path / "cnn", name="cnn", measure_size=False)
    assert [row["kernel"] for row in report.layer_table] == [
        "arm_convolve_HWC_q7_RGB", "arm_depthwise_separable_conv_HWC_q7", "arm_convolve_HWC_q7_fast",
        "arm_convolve_HWC_q7_basic", "arm_maxpool_q7_HWC", "arm_reshape_s8", "arm_fully_connected_q7_opt",
    ]
    assert report.kernels == sorted([
        "arm_convolve_HWC_q7_RGB", "arm_depthwise_separable_conv_HWC_q7", "arm_convolve_HWC_q7_fast",
        "arm_convolve_HWC_q7_basic", "arm_maxpool_q7_HWC", "arm_fully_connected_q7_opt", "arm_relu_q7",
    ])  # the reshape shares its input's buffer: nothing called
    graph = read_model(models["cnn"])
    shifts = [(r["bias_shift"], r["out_shift"]) for r in report.q7_layers]
    assert shifts == [(analyse_layer(graph, graph.operators[r["op_index"]]).bias_shift, analyse_layer(graph, graph.operators[r["op_index"]]).out_shift) for r in report.q7_layers]
    assert shifts == [(7, 9), (6, 6), (7, 8), (9, 9), (7, 9)]
    source = (tmp_path / "cnn" / "cnn.c").read_text()
    assert '#include "pycmsisnn_legacy_q7.h"' in source
    assert "arm_relu_q7(cnn_arena + " in source and "_s8(" not in source.replace("arm_reshape_s8", "")
    # the FC weights in the interleaved order of arm_fully_connected_q7_opt
    w = graph.tensor(graph.operators[6].inputs[1]).data
    body = re.search(r"static const int8_t cnn_l6_weights\[200\][^{]*\{([^}]*)\}", source)
    assert body is not None
    np.testing.assert_array_equal(np.array([int(v) for v in body.group(1).replace("\n", " ").split(",")], dtype=np.int8), legacy_q7.fc_q7_opt_weights(w))
    # the copy of the kernel library holds the q7 sources and header
    lib = tmp_path / "cnn" / "cmsis_nn"
    assert (lib / "Include" / "pycmsisnn_legacy_q7.h").is_file()
    assert {f"{p.parent.name}/{p.name}" for p in (lib / "Source").rglob("*.c")} >= LEGACY_SOURCES


def test_variants_on_the_host(models: dict[str, bytes], kernels: Path, tmp_path: Path) -> None:
    """The plain fully connected kernel (row-major weights) and a linear arena
    (reshape and relu copies) give the same outputs."""
    model = models["extras"]
    graph = read_model(model)
    out = graph.tensor(graph.outputs[0])
    plain = build_host(model, tmp_path / "plain", kernels, fc_kernel=FC_PLAIN)
    linear = build_host(model, tmp_path / "linear", kernels, strategy="linear")
    assert "arm_fully_connected_q7(" in (plain.project / "q7model.c").read_text()
    assert "arm_reshape_s8(q7model_arena" in (linear.project / "q7model.c").read_text()
    for k, (x,) in enumerate(random_samples(graph, 2, seed=3)):
        want = reference(model, x)[graph.outputs[0]]
        for host in (plain, linear):
            (got,), _ = host.run([x], [(out.shape, np.int8)], tmp_path / f"{host.project.parent.name}{k}")
            np.testing.assert_array_equal(got, want)


def test_standalone_relu_is_tflite_exact(models: dict[str, bytes]) -> None:
    """A RELU with one quantisation in and out, zero point 0, is max(x, 0) in TFLite Micro too."""
    model = models["extras"]
    graph = read_model(model)
    tflm = TflmRunner(model, preserve=True)
    relu = graph.operators[0]
    assert relu.opcode == "RELU"
    for sample in random_samples(graph, 2, seed=8):
        tflm.run(sample, 1)
        np.testing.assert_array_equal(tflm.tensor(relu.outputs[0]), np.maximum(sample[0], 0))


@pytest.mark.parametrize("which", ["cnn", "extras"])
def test_cortex_m4_under_qemu_equals_legacy_runner(which: str, models: dict[str, bytes], tmp_path: Path) -> None:
    model = models[which]
    graph = read_model(model)
    report = convert_legacy(model, tmp_path / "project", target="cortex-m4", name="q7m4", measure_size=False)
    (x,) = random_samples(graph, 1, seed=13)[0]
    result = targets.run_project(tmp_path / "project", "q7m4", "cortex-m4", [x])
    result.check()
    np.testing.assert_array_equal(np.asarray(result.outputs[0]).reshape(-1), reference(model, x)[graph.outputs[0]].reshape(-1))
    assert result.instructions is not None and len(result.instructions.layers) == report.layers == len(graph.operators)


def test_generated_source_is_warning_free_c99(models: dict[str, bytes], tmp_path: Path) -> None:
    for which, model in models.items():
        project = tmp_path / which
        convert_legacy(model, project, name="q7c", measure_size=False)
        includes = ["-I", str(project), "-I", str(project / "cmsis_nn" / "Include")]
        flags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-c", str(project / "q7c.c")]
        run([gcc(), *flags, *includes, "-o", str(tmp_path / f"{which}.o")])
        cross = shutil.which("arm-none-eabi-gcc")
        assert cross, "arm-none-eabi-gcc is needed (tools/install-system-packages.sh)"
        run([cross, "-mcpu=cortex-m4", "-mthumb", "-O2", *flags, *includes, "-o", str(tmp_path / f"{which}-m4.o")])


def test_interface_is_that_of_the_s8_project(models: dict[str, bytes], tmp_path: Path) -> None:
    convert(models["cnn"], tmp_path / "s8", name="m", measure_size=False)
    convert_legacy(models["cnn"], tmp_path / "q7", name="m", measure_size=False)

    def macros(path: Path) -> dict[str, str]:
        return dict(re.findall(r"^#define (m_\w+) (.*)$", path.read_text(), re.M))

    s8, q7 = macros(tmp_path / "s8" / "m.h"), macros(tmp_path / "q7" / "m.h")
    assert s8.keys() == q7.keys()
    assert {k: v for k, v in s8.items() if k != "m_ARENA_SIZE"} == {k: v for k, v in q7.items() if k != "m_ARENA_SIZE"}
    info = targets.read_project(tmp_path / "q7", "m")
    assert (info.layer_count, info.arena_size) == (7, int(q7["m_ARENA_SIZE"]))
    header = (tmp_path / "q7" / "m.h").read_text()
    assert "arm_cmsis_nn_status m_invoke(const void *const inputs[], void *const outputs[]);" in header
    assert "extern const pycmsisnn_tensor_ref m_layer_outputs[m_LAYER_COUNT];" in header


# ------------------------------------------------------------------ refusals


def test_refusal_lists_every_layer_with_its_qmn_reasons(tmp_path: Path) -> None:
    model = legacy_model()  # as TF converted it: per-channel weights, zero points, scales not powers of two
    graph = read_model(model)
    out = tmp_path / "never"
    with pytest.raises(LegacyRefusal) as info:
        convert_legacy(model, out, measure_size=False)
    assert not out.exists()
    problems = info.value.problems
    layers = [op for op in graph.operators if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")]
    assert len(problems) == len(layers) == 5
    for line, op in zip(problems, layers):
        reasons = analyse_layer(graph, op).reasons
        assert reasons
        assert line == f"operator {op.index} ({op.opcode}): {'; '.join(reasons)} [re-quantisation fixes this]"
    text = str(info.value)
    assert "pycmsisnn qmn MODEL --requantize OUT.tflite" in text and "without --legacy" in text
    assert info.value.remaining == set()


def test_refusal_of_what_requantisation_cannot_fix(tmp_path: Path) -> None:
    """The default model: ADD, RELU6, AVERAGE_POOL_2D and SOFTMAX have no exact
    q7 equivalent, before or after re-quantisation."""
    data = cli.model_bytes("default")
    with pytest.raises(LegacyRefusal) as info:
        convert_legacy(requantize_power_of_two(data), tmp_path / "a", measure_size=False)
    assert info.value.problems == [f"{line} [stays after re-quantisation]" for line in [
        "operator 3 (ADD): the q7 API has no addition kernel",
        "operator 5 (CONV_2D): fused RELU6 clamps the output to [0, 96]: the q7 API has no such clamp (arm_relu_q7 clamps at 0 only)",
        "operator 6 (AVERAGE_POOL_2D): arm_avepool_q7_HWC truncates the average toward zero where TFLite rounds it to nearest",
        "operator 8 (SOFTMAX): arm_softmax_q7 is a base-2 softmax (2^x), not TFLite's e^x softmax",
    ]]
    with pytest.raises(LegacyRefusal) as original:
        convert_legacy(data, tmp_path / "b", measure_size=False)
    assert original.value.remaining == {3, 5, 6, 8}
    lines = original.value.problems
    assert [line.split(":")[0] for line in lines] == [f"operator {i} ({c})" for i, c in [
        (0, "CONV_2D"), (1, "DEPTHWISE_CONV_2D"), (2, "CONV_2D"), (3, "ADD"), (5, "CONV_2D"), (6, "AVERAGE_POOL_2D"),
        (7, "FULLY_CONNECTED"), (8, "SOFTMAX")]]
    assert lines[4].endswith("[after re-quantisation: fused RELU6 clamps the output to [0, 96]: the q7 API has no such clamp (arm_relu_q7 clamps at 0 only)]")
    assert lines[3].endswith("[stays after re-quantisation]") and lines[0].endswith("[re-quantisation fixes this]")
    assert "would not make this model expressible (operator 3, operator 5, operator 6, operator 8 stay as they are)" in str(original.value)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_refusal_of_a_relu_that_rescales(tmp_path: Path) -> None:
    with pytest.raises(LegacyRefusal) as info:
        convert_legacy(extras_model(), tmp_path / "x", measure_size=False)
    assert info.value.problems[0].startswith(
        "operator 0 (RELU): input and output are quantised differently: the q7 kernel does not rescale [re-quantisation fixes this]")


def test_cli(models: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original, pow2 = tmp_path / "original.tflite", tmp_path / "pow2.tflite"
    original.write_bytes(legacy_model())
    pow2.write_bytes(models["cnn"])
    assert cli.main(["convert", str(original), "-o", str(tmp_path / "refused"), "--legacy"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("pycmsisnn: cannot generate legacy q7 C: 5 operator(s) have no exact q7 equivalent:")
    assert "operator 0 (CONV_2D): input (tensor 0) scale" in err and "--requantize OUT.tflite" in err
    assert not (tmp_path / "refused").exists()
    assert cli.main(["convert", str(pow2), "-o", str(tmp_path / "p"), "--legacy", "--cmsis-nn", str(tmp_path)]) == 2
    assert "dropped the q7 API" in capsys.readouterr().err and not (tmp_path / "p").exists()
    assert cli.main(["convert", str(pow2), "-o", str(tmp_path / "ok"), "--legacy", "--name", "net", "--target", "cortex-m3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("net for cortex-m3: 7 layers, kernels from pycmsisnn (legacy q7 API)")
    assert "[0] arm_convolve_HWC_q7_RGB: input Q2.5, weights Q-2.9, bias Q0.7, output Q2.5; bias_shift 7, out_shift 9, arm_relu_q7" in out
    assert (tmp_path / "ok" / "net.c").is_file() and (tmp_path / "ok" / "report.json").is_file()


def test_cross_build_with_the_project_makefile(models: dict[str, bytes], tmp_path: Path) -> None:
    """The project's own Makefile builds the library for the core (q7 sources included)."""
    convert_legacy(models["extras"], tmp_path, target="cortex-m4", name="mk", measure_size=False)
    assert shutil.which("make") and shutil.which("arm-none-eabi-gcc"), "make and arm-none-eabi-gcc are needed"
    subprocess.run(["make", "-s", "-j2", "EXTRA_CFLAGS=-Werror"], cwd=tmp_path, check=True, capture_output=True, timeout=300)
    assert (tmp_path / "libmk.a").is_file()
