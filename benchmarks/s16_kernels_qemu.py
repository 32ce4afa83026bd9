"""Instructions of our int16 (16x8) convolution, depthwise and fully-connected
kernels against Arm's CMSIS-NN, one layer at a time, under QEMU.

    python benchmarks/s16_kernels_qemu.py ARM_ROOT [--cores cortex-m4,cortex-m55] [--json]

Each layer is a hand-written project (NAME.h / NAME.c calling the wrapper
once, random int16 input and int8 weights, int64 bias, per-channel
requantisation), built against our library and against Arm's checkout
ARM_ROOT and run under QEMU with the counting plugin. Both libraries must
give the same output (the script fails otherwise); the table gives the
instructions of the kernel call with each and their ratio (ours / Arm's).
The layers are the shapes of a DS-CNN keyword-spotting network (the int16
version of MLPerf Tiny's KWS), of ResNet-8 (MLPerf Tiny's image
classification) and a few more.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pycmsisnn import targets  # noqa: E402
from pycmsisnn.library_files import CSRC  # noqa: E402

SCRATCH_BYTES = 64 * 1024
DONE = "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n"


@dataclass(frozen=True)
class Layer:
    """One kernel call: ``kind`` conv, dw or fc, and its shape."""

    name: str
    kind: str
    in_hwc: tuple[int, int, int]  # fc: (batches, 1, depth)
    out_c: int
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    pad: tuple[int, int] = (0, 0)  # (h, w)
    dilation: tuple[int, int] = (1, 1)

    def out_hw(self) -> tuple[int, int]:
        if self.kind == "fc":
            return self.in_hwc[0], 1
        h, w, _ = self.in_hwc
        eff = [(k - 1) * d + 1 for k, d in zip(self.kernel, self.dilation)]
        return ((h + 2 * self.pad[0] - eff[0]) // self.stride[0] + 1,
                (w + 2 * self.pad[1] - eff[1]) // self.stride[1] + 1)


LAYERS = [
    Layer("kws-conv1-10x4-s2", "conv", (49, 10, 1), 64, (10, 4), (2, 2), (4, 1)),
    Layer("kws-dw-3x3-c64", "dw", (25, 5, 64), 64, (3, 3), (1, 1), (1, 1)),
    Layer("kws-pw-1x1-c64", "conv", (25, 5, 64), 64),
    Layer("kws-fc-64-12", "fc", (1, 1, 64), 12),
    Layer("conv-3x3-c16-f16", "conv", (8, 8, 16), 16, (3, 3), (1, 1), (1, 1)),
    Layer("dw-3x3-s2-c32", "dw", (16, 16, 32), 32, (3, 3), (2, 2), (1, 1)),
    Layer("fc-640-64", "fc", (1, 1, 640), 64),
    # ResNet-8 (MLPerf Tiny image classification) in 16x8
    Layer("resnet-conv1-3x3-c3-f16", "conv", (32, 32, 3), 16, (3, 3), (1, 1), (1, 1)),
    Layer("resnet-3x3-s2-c16-f32", "conv", (32, 32, 16), 32, (3, 3), (2, 2), (0, 0)),
    Layer("resnet-1x1-s2-c16-f32", "conv", (32, 32, 16), 32, (1, 1), (2, 2)),
    Layer("resnet-3x3-c32-f32", "conv", (16, 16, 32), 32, (3, 3), (1, 1), (1, 1)),
    Layer("resnet-3x3-c64-f64", "conv", (8, 8, 64), 64, (3, 3), (1, 1), (1, 1)),
    Layer("resnet-fc-64-10", "fc", (1, 1, 64), 10),
]


def _array(ctype: str, name: str, values: np.ndarray) -> str:
    body = ",".join(str(int(v)) for v in values.reshape(-1))
    return f"static const {ctype} {name}[{values.size}] = {{{body}}};\n"


def _sources(layer: Layer, rng: np.random.Generator) -> tuple[str, str, np.ndarray]:
    """NAME.h, NAME.c and the input of one layer (NAME = "layer")."""
    h, w, c = layer.in_hwc
    oh, ow = layer.out_hw()
    oc = layer.out_c
    if layer.kind == "conv":
        weights = rng.integers(-128, 128, size=(oc, *layer.kernel, c))
    elif layer.kind == "dw":
        weights = rng.integers(-128, 128, size=(1, *layer.kernel, oc))
    else:
        weights = rng.integers(-128, 128, size=(oc, c))
    depth = weights.size // oc
    bias = rng.integers(-(1 << 20), 1 << 20, size=oc)
    channels = oc if layer.kind != "fc" else 1
    multiplier = rng.integers(1 << 30, (1 << 31) - 1, size=channels)
    # outputs of a few hundred: the products are ~2^21, their sum ~2^21 * sqrt(depth)
    shift = np.full(channels, -int(np.log2(np.sqrt(depth))) - 12) + rng.integers(0, 2, size=channels)
    x = rng.integers(-32768, 32768, size=(h, w, c)).astype(np.int16)
    out_shape = (oh, ow, oc) if layer.kind != "fc" else (h, oc)
    header = (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        "#define layer_INPUT_COUNT 1\n#define layer_OUTPUT_COUNT 1\n"
        f"#define layer_INPUT0_SIZE {x.size * 2}\n#define layer_INPUT0_DIMS {{{','.join(map(str, x.shape))}}}\n"
        "#define layer_INPUT0_TYPE int16_t\n"
        f"#define layer_OUTPUT0_SIZE {int(np.prod(out_shape)) * 2}\n"
        f"#define layer_OUTPUT0_DIMS {{{','.join(map(str, out_shape))}}}\n#define layer_OUTPUT0_TYPE int16_t\n"
        f"#define layer_ARENA_SIZE {SCRATCH_BYTES}\n#define layer_LAYER_COUNT 1\n"
        "arm_cmsis_nn_status layer_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )
    src = ["#include \"arm_nnfunctions.h\"\n#include \"layer.h\"\n",
           _array("int8_t", "weights", weights), _array("int64_t", "bias", bias),
           _array("int32_t", "multiplier", multiplier), _array("int32_t", "shift", shift),
           f"static int16_t scratch[{SCRATCH_BYTES // 2}] __attribute__((aligned(16)));\n",
           "arm_cmsis_nn_status layer_invoke(const void *const inputs[], void *const outputs[])\n{\n",
           f"    const cmsis_nn_dims input_dims = {{{h if layer.kind == 'fc' else 1}, {1 if layer.kind == 'fc' else h}, "
           f"{w}, {c}}};\n",
           f"    const cmsis_nn_dims output_dims = {{{h if layer.kind == 'fc' else 1}, {1 if layer.kind == 'fc' else oh}, "
           f"{1 if layer.kind == 'fc' else ow}, {oc}}};\n",
           "    const cmsis_nn_dims bias_dims = {1, 1, 1, " + str(oc) + "};\n",
           "    cmsis_nn_context ctx = {scratch, 0};\n"]
    if layer.kind == "conv":
        src += [
            f"    const cmsis_nn_dims filter_dims = {{{oc}, {layer.kernel[0]}, {layer.kernel[1]}, {c}}};\n",
            "    const cmsis_nn_conv_params p = {0, 0, "
            f"{{{layer.stride[1]}, {layer.stride[0]}}}, {{{layer.pad[1]}, {layer.pad[0]}}}, "
            f"{{{layer.dilation[1]}, {layer.dilation[0]}}}, {{-32768, 32767}}}};\n",
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n",
            "    const cmsis_nn_bias_data b = {bias, 0};\n",
            "    ctx.size = arm_convolve_wrapper_s16_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims);\n",
            "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
            "    const arm_cmsis_nn_status s = arm_convolve_wrapper_s16(&ctx, &p, &q, &input_dims, inputs[0], &filter_dims, weights, "
            "&bias_dims, &b, &output_dims, outputs[0]);\n" + DONE,
        ]
    elif layer.kind == "dw":
        src += [
            f"    const cmsis_nn_dims filter_dims = {{1, {layer.kernel[0]}, {layer.kernel[1]}, {oc}}};\n",
            "    const cmsis_nn_dw_conv_params p = {0, 0, " + str(oc // c) + ", "
            f"{{{layer.stride[1]}, {layer.stride[0]}}}, {{{layer.pad[1]}, {layer.pad[0]}}}, "
            f"{{{layer.dilation[1]}, {layer.dilation[0]}}}, {{-32768, 32767}}}};\n",
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n",
            "    ctx.size = arm_depthwise_conv_wrapper_s16_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims);\n",
            "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
            "    const arm_cmsis_nn_status s = arm_depthwise_conv_wrapper_s16(&ctx, &p, &q, &input_dims, inputs[0], &filter_dims, weights, "
            "&bias_dims, bias, &output_dims, outputs[0]);\n" + DONE,
        ]
    else:
        src += [
            f"    const cmsis_nn_dims filter_dims = {{{c}, 1, 1, {oc}}};\n",
            "    const cmsis_nn_fc_params p = {0, 0, 0, {-32768, 32767}};\n",
            "    const cmsis_nn_per_tensor_quant_params q = {multiplier[0], shift[0]};\n",
            "    ctx.size = arm_fully_connected_s16_get_buffer_size(&filter_dims);\n",
            "    const arm_cmsis_nn_status s = arm_fully_connected_s16(&ctx, &p, &q, &input_dims, inputs[0], &filter_dims, weights, "
            "&bias_dims, bias, &output_dims, outputs[0]);\n" + DONE,
        ]
    return header, "".join(src), x


def measure(layer: Layer, core: str, arm_root: Path, seed: int = 5, check: bool = True) -> dict[str, object]:
    """Our and Arm's instructions for one layer on one core (outputs must agree
    unless ``check`` is false)."""
    header, source, x = _sources(layer, np.random.default_rng(seed))
    counts: dict[str, int] = {}
    outputs = []
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-s16bench-") as tmp:
        project = Path(tmp)
        (project / "layer.h").write_text(header)
        (project / "layer.c").write_text(source)
        for library, root in (("ours", CSRC), ("arm", arm_root)):
            result = targets.run_project(project, "layer", core, [x], cmsis_nn=root)
            result.check()
            assert result.instructions is not None
            counts[library] = result.instructions.layers[0]
            outputs.append(result.outputs[0])
    if check and not np.array_equal(outputs[0], outputs[1]):
        diff = np.flatnonzero(outputs[0].reshape(-1) != outputs[1].reshape(-1))
        raise SystemExit(f"{layer.name} on {core}: ours != Arm's at {diff.size} elements, first {diff[:8].tolist()}")
    return {"layer": layer.name, "core": core, **counts, "ratio": counts["ours"] / counts["arm"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("arm_root", type=Path)
    parser.add_argument("--cores", default="cortex-m4,cortex-m55")
    parser.add_argument("--only", default="", help="substring of the layer names to run")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-check", action="store_true", help="count even when the outputs differ (experiments)")
    args = parser.parse_args()
    rows = [measure(layer, core, args.arm_root, check=not args.no_check) for layer in LAYERS if args.only in layer.name
            for core in args.cores.split(",")]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| layer | core | ours | Arm | ours / Arm |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['layer']} | {r['core']} | {r['ours']:,} | {r['arm']:,} | {r['ratio']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
