"""Instructions of our int8 convolutions (arm_convolve_wrapper_s8) against
Arm's CMSIS-NN, one layer at a time, under QEMU: the convolution layers of
the MLPerf Tiny models.

    python benchmarks/s8_conv_qemu.py ARM_ROOT [--cores cortex-m4,cortex-m55] [--only NAME] [--json]

Each layer is a hand-written project (NAME.h / NAME.c calling the wrapper
once with random int8 input and weights, int32 bias and per-channel
requantisation), built against our library and against Arm's checkout
ARM_ROOT and run under QEMU with the counting plugin. Both libraries must
give the same output (the script fails otherwise); the table gives the
instructions of the kernel call with each and their ratio (ours / Arm's).
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

SCRATCH_BYTES = 16 * 1024
DONE = "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n"


@dataclass(frozen=True)
class Layer:
    """One arm_convolve_wrapper_s8 call."""

    name: str
    in_hwc: tuple[int, int, int]
    out_c: int
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    pad: tuple[int, int] = (0, 0)  # (h, w)
    input_offset: int = 128
    act: tuple[int, int] = (-128, 127)

    def out_hw(self) -> tuple[int, int]:
        h, w, _ = self.in_hwc
        return ((h + 2 * self.pad[0] - self.kernel[0]) // self.stride[0] + 1,
                (w + 2 * self.pad[1] - self.kernel[1]) // self.stride[1] + 1)


LAYERS = [
    Layer("ic-l0-3x3-c3-f16", (32, 32, 3), 16, (3, 3), (1, 1), (1, 1)),
    Layer("ic-l1-3x3-c16-f16", (32, 32, 16), 16, (3, 3), (1, 1), (1, 1)),
    Layer("ic-l4-3x3-s2-c16-f32", (32, 32, 16), 32, (3, 3), (2, 2), (0, 0)),
    Layer("ic-l5-3x3-c32-f32", (16, 16, 32), 32, (3, 3), (1, 1), (1, 1)),
    Layer("ic-l6-1x1-s2-c16-f32", (32, 32, 16), 32, (1, 1), (2, 2)),
    Layer("ic-l8-3x3-s2-c32-f64", (16, 16, 32), 64, (3, 3), (2, 2), (0, 0)),
    Layer("ic-l9-3x3-c64-f64", (8, 8, 64), 64, (3, 3), (1, 1), (1, 1)),
    Layer("ic-l10-1x1-s2-c32-f64", (16, 16, 32), 64, (1, 1), (2, 2)),
    Layer("vww-l0-3x3-s2-c3-f8", (96, 96, 3), 8, (3, 3), (2, 2), (0, 0), -1),
    Layer("vww-l2-1x1-c8-f16", (48, 48, 8), 16),
    Layer("vww-l4-1x1-c16-f32", (24, 24, 16), 32),
    Layer("vww-l6-1x1-c32-f32", (24, 24, 32), 32),
    Layer("vww-l8-1x1-c32-f64", (12, 12, 32), 64),
    Layer("vww-l10-1x1-c64-f64", (12, 12, 64), 64),
    Layer("vww-l12-1x1-c64-f128", (6, 6, 64), 128),
    Layer("vww-l14-1x1-c128-f128", (6, 6, 128), 128),
    Layer("vww-l24-1x1-c128-f256", (3, 3, 128), 256),
    Layer("vww-l26-1x1-c256-f256", (3, 3, 256), 256),
    Layer("kws-l0-10x4-s2-c1-f64", (49, 10, 1), 64, (10, 4), (2, 2), (4, 1), 83),
    Layer("kws-l2-1x1-c64-f64", (25, 5, 64), 64),
    # odd shapes (tails, odd channel counts) for the paths
    Layer("odd-3x3-c5-f7", (9, 7, 5), 7, (3, 3), (1, 1), (1, 1), -3, (-100, 90)),
    Layer("odd-1x1-c19-f13", (5, 7, 19), 13, input_offset=-128),
    Layer("odd-1x1-c40-f9", (3, 3, 40), 9, input_offset=17),
]


def _array(ctype: str, name: str, values: np.ndarray) -> str:
    body = ",".join(str(int(v)) for v in values.reshape(-1))
    return f"static const {ctype} {name}[{values.size}] = {{{body}}};\n"


def _sources(layer: Layer, rng: np.random.Generator) -> tuple[str, str, np.ndarray]:
    """NAME.h, NAME.c and the input of one layer (NAME = "layer")."""
    h, w, c = layer.in_hwc
    oh, ow = layer.out_hw()
    oc = layer.out_c
    weights = rng.integers(-127, 128, size=(oc, *layer.kernel, c))
    depth = weights.size // oc
    bias = rng.integers(-(1 << 14), 1 << 14, size=oc)
    multiplier = rng.integers(1 << 30, (1 << 31) - 1, size=oc)
    # sums of ~2^14 * sqrt(depth): outputs of a few tens, both signs of shift
    shift = np.full(oc, -int(np.log2(np.sqrt(depth))) - 9) + rng.integers(-1, 2, size=oc)
    x = rng.integers(-128, 128, size=(h, w, c)).astype(np.int8)
    out_shape = (oh, ow, oc)
    header = (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        "#define layer_INPUT_COUNT 1\n#define layer_OUTPUT_COUNT 1\n"
        f"#define layer_INPUT0_SIZE {x.size}\n#define layer_INPUT0_DIMS {{{','.join(map(str, x.shape))}}}\n"
        "#define layer_INPUT0_TYPE int8_t\n"
        f"#define layer_OUTPUT0_SIZE {int(np.prod(out_shape))}\n"
        f"#define layer_OUTPUT0_DIMS {{{','.join(map(str, out_shape))}}}\n#define layer_OUTPUT0_TYPE int8_t\n"
        f"#define layer_ARENA_SIZE {SCRATCH_BYTES}\n#define layer_LAYER_COUNT 1\n"
        "arm_cmsis_nn_status layer_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )
    src = ["#include \"arm_nnfunctions.h\"\n#include \"layer.h\"\n",
           _array("int8_t", "weights", weights), _array("int32_t", "bias", bias),
           _array("int32_t", "multiplier", multiplier), _array("int32_t", "shift", shift),
           f"static int8_t scratch[{SCRATCH_BYTES}] __attribute__((aligned(16)));\n",
           "arm_cmsis_nn_status layer_invoke(const void *const inputs[], void *const outputs[])\n{\n",
           f"    const cmsis_nn_dims input_dims = {{1, {h}, {w}, {c}}};\n",
           f"    const cmsis_nn_dims output_dims = {{1, {oh}, {ow}, {oc}}};\n",
           "    const cmsis_nn_dims bias_dims = {1, 1, 1, " + str(oc) + "};\n",
           "    cmsis_nn_context ctx = {scratch, 0};\n",
           f"    const cmsis_nn_dims filter_dims = {{{oc}, {layer.kernel[0]}, {layer.kernel[1]}, {c}}};\n",
           f"    const cmsis_nn_conv_params p = {{{layer.input_offset}, -7, "
           f"{{{layer.stride[1]}, {layer.stride[0]}}}, {{{layer.pad[1]}, {layer.pad[0]}}}, "
           f"{{1, 1}}, {{{layer.act[0]}, {layer.act[1]}}}}};\n",
           "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n",
           "    ctx.size = arm_convolve_wrapper_s8_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims);\n",
           "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
           "    const arm_cmsis_nn_status s = arm_convolve_wrapper_s8(&ctx, &p, &q, &input_dims, inputs[0], &filter_dims, "
           "weights, &bias_dims, bias, &output_dims, outputs[0]);\n" + DONE]
    return header, "".join(src), x


def measure(layer: Layer, core: str, arm_root: Path | None, seed: int = 5, check: bool = True) -> dict[str, object]:
    """Our (and Arm's, unless arm_root is None) instructions for one layer on
    one core (outputs must agree unless ``check`` is false)."""
    header, source, x = _sources(layer, np.random.default_rng(seed))
    counts: dict[str, int] = {}
    outputs = []
    libraries: list[tuple[str, Path]] = [("ours", CSRC)]
    if arm_root is not None:
        libraries.append(("arm", arm_root))
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-s8bench-") as tmp:
        project = Path(tmp)
        (project / "layer.h").write_text(header)
        (project / "layer.c").write_text(source)
        for library, root in libraries:
            result = targets.run_project(project, "layer", core, [x], cmsis_nn=root)
            result.check()
            assert result.instructions is not None
            counts[library] = result.instructions.layers[0]
            outputs.append(result.outputs[0])
    if check and len(outputs) == 2 and not np.array_equal(outputs[0], outputs[1]):
        diff = np.flatnonzero(outputs[0].reshape(-1) != outputs[1].reshape(-1))
        raise SystemExit(f"{layer.name} on {core}: ours != Arm's at {diff.size} elements, first {diff[:8].tolist()}")
    ratio = counts["ours"] / counts["arm"] if "arm" in counts else None
    return {"layer": layer.name, "core": core, **counts, "ratio": ratio}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("arm_root", type=Path, help="Arm's CMSIS-NN checkout, or 'none' to count ours only")
    parser.add_argument("--cores", default="cortex-m4,cortex-m55")
    parser.add_argument("--only", default="", help="substring of the layer names to run")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-check", action="store_true", help="count even when the outputs differ (experiments)")
    args = parser.parse_args()
    arm_root = None if str(args.arm_root) == "none" else args.arm_root
    rows = [measure(layer, core, arm_root, check=not args.no_check) for layer in LAYERS if args.only in layer.name
            for core in args.cores.split(",")]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| layer | core | ours | Arm | ours / Arm |")
    print("|---|---|---|---|---|")
    for r in rows:
        arm = f"{r['arm']:,}" if "arm" in r else "-"
        ratio = f"{r['ratio']:.3f}" if r["ratio"] is not None else "-"
        print(f"| {r['layer']} | {r['core']} | {r['ours']:,} | {arm} | {ratio} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
