"""Single int16 (16x8) convolution, depthwise or fully-connected kernel calls
as hand-written target projects (NAME.h / NAME.c calling the CMSIS-NN
function once), with their random data and the host's result for them.

Used by the QEMU tests of the DSP/MVE paths (tests/target/test_s16_paths.py)
and the per-kernel benchmark against Arm's library
(benchmarks/s16_kernels_qemu.py). The project follows the interface
pycmsisnn.targets reads (one int16 input, one int16 output, one layer), so
``targets.run_project(dir, NAME, core, [x], cmsis_nn=library)`` builds and
runs it with any kernel library.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pycmsisnn.kernels.convolution_s16 import arm_convolve_wrapper_s16, arm_depthwise_conv_wrapper_s16
from pycmsisnn.kernels.s16 import arm_fully_connected_s16
from pycmsisnn.params import Activation, ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant, Tile

NAME = "layer"
SCRATCH_BYTES = 64 * 1024


@dataclass(frozen=True)
class Layer:
    """One kernel call: ``kind`` "conv" (arm_convolve_wrapper_s16), "dw"
    (arm_depthwise_conv_wrapper_s16) or "fc" (arm_fully_connected_s16)."""

    name: str
    kind: str
    in_hwc: tuple[int, int, int]  # fc: (batches, 1, depth)
    out_c: int
    kernel: tuple[int, int] = (1, 1)  # (h, w)
    stride: tuple[int, int] = (1, 1)
    pad: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    batches: int = 1  # conv and dw
    act: tuple[int, int] = (-32768, 32767)
    bias32: bool = False  # conv: an int32 bias (32-bit accumulation and requantisation)
    shift_offset: int = 0  # added to every requantisation shift (> 0: left shifts)
    x_range: int = 32768  # inputs in [-x_range, x_range)
    bias_range: int = 0  # > 0: biases in [-bias_range, bias_range) instead of the default

    def out_hw(self) -> tuple[int, int]:
        if self.kind == "fc":
            return self.in_hwc[0], 1
        h, w, _ = self.in_hwc
        eff = [(k - 1) * d + 1 for k, d in zip(self.kernel, self.dilation)]
        return ((h + 2 * self.pad[0] - eff[0]) // self.stride[0] + 1,
                (w + 2 * self.pad[1] - eff[1]) // self.stride[1] + 1)

    def input_shape(self) -> tuple[int, ...]:
        h, w, c = self.in_hwc
        return (h, c) if self.kind == "fc" else (self.batches, h, w, c)

    def output_shape(self) -> tuple[int, ...]:
        oh, ow = self.out_hw()
        return (self.in_hwc[0], self.out_c) if self.kind == "fc" else (self.batches, oh, ow, self.out_c)


@dataclass(frozen=True)
class LayerData:
    """The constants and the input of one layer."""

    x: np.ndarray  # int16, input_shape
    weights: np.ndarray  # int8: conv [C_OUT, KH, KW, C_IN], dw [1, KH, KW, C_OUT], fc [C_OUT, depth]
    bias: np.ndarray  # int64 (int32 with bias32), [C_OUT]
    multiplier: np.ndarray  # int32, per channel (fc: one)
    shift: np.ndarray  # int32


def layer_data(layer: Layer, seed: int) -> LayerData:
    """Random full-range input and weights, a bias, and requantisation
    parameters that keep most outputs inside int16."""
    rng = np.random.default_rng(seed)
    _, _, c = layer.in_hwc
    oc = layer.out_c
    if layer.kind == "conv":
        weights = rng.integers(-128, 128, size=(oc, *layer.kernel, c))
    elif layer.kind == "dw":
        weights = rng.integers(-128, 128, size=(1, *layer.kernel, oc))
    else:
        weights = rng.integers(-128, 128, size=(oc, c))
    depth = weights.size // oc
    bias_range = layer.bias_range or min(1 << (12 if layer.bias32 else 20), layer.x_range * 32)
    bias = rng.integers(-bias_range, bias_range, size=oc).astype(np.int32 if layer.bias32 else np.int64)
    channels = 1 if layer.kind == "fc" else oc
    multiplier = rng.integers(1 << 30, (1 << 31) - 1, size=channels).astype(np.int32)
    # products ~2^21, their sum ~2^21 * sqrt(depth): outputs of a few thousand
    base = -int(np.log2(np.sqrt(depth))) - 10 + layer.shift_offset
    shift = (base + rng.integers(0, 2, size=channels)).astype(np.int32)
    x = rng.integers(-layer.x_range, layer.x_range, size=layer.input_shape()).astype(np.int16)
    return LayerData(x, weights.astype(np.int8), bias, multiplier, shift)


def _array(ctype: str, name: str, values: np.ndarray) -> str:
    body = ",".join(str(int(v)) for v in values.reshape(-1))
    return f"static const {ctype} {name}[{values.size}] = {{{body}}};\n"


def _dims(shape: tuple[int, ...]) -> str:
    return "{" + ", ".join(map(str, shape)) + "}"


def _header(layer: Layer) -> str:
    return header(layer.input_shape(), layer.output_shape())


def header(ins: tuple[int, ...], outs: tuple[int, ...]) -> str:
    """NAME.h of a one-layer project with one int16 input and one int16 output."""
    return (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        f"#define {NAME}_INPUT_COUNT 1\n#define {NAME}_OUTPUT_COUNT 1\n"
        f"#define {NAME}_INPUT0_SIZE {int(np.prod(ins)) * 2}\n#define {NAME}_INPUT0_DIMS {_dims(ins)}\n"
        f"#define {NAME}_INPUT0_TYPE int16_t\n"
        f"#define {NAME}_OUTPUT0_SIZE {int(np.prod(outs)) * 2}\n#define {NAME}_OUTPUT0_DIMS {_dims(outs)}\n"
        f"#define {NAME}_OUTPUT0_TYPE int16_t\n"
        f"#define {NAME}_ARENA_SIZE {SCRATCH_BYTES}\n#define {NAME}_LAYER_COUNT 1\n"
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )


def _call(layer: Layer) -> list[str]:
    """The body of NAME_invoke from the dims on: fills ctx.size, calls the kernel into s."""
    act = f"{{{layer.act[0]}, {layer.act[1]}}}"
    stride = f"{{{layer.stride[1]}, {layer.stride[0]}}}"
    pad = f"{{{layer.pad[1]}, {layer.pad[0]}}}"
    dil = f"{{{layer.dilation[1]}, {layer.dilation[0]}}}"
    c, oc = layer.in_hwc[2], layer.out_c
    kh, kw = layer.kernel
    if layer.kind == "conv":
        return [
            f"    const cmsis_nn_dims filter_dims = {{{oc}, {kh}, {kw}, {c}}};\n",
            f"    const cmsis_nn_conv_params p = {{0, 0, {stride}, {pad}, {dil}, {act}}};\n",
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n",
            f"    const cmsis_nn_bias_data b = {{bias, {int(layer.bias32)}}};\n",
            "    ctx.size = arm_convolve_wrapper_s16_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims);\n",
            "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
            "    const arm_cmsis_nn_status s = arm_convolve_wrapper_s16(&ctx, &p, &q, &input_dims, inputs[0], "
            "&filter_dims, weights, &bias_dims, &b, &output_dims, outputs[0]);\n",
        ]
    if layer.kind == "dw":
        return [
            f"    const cmsis_nn_dims filter_dims = {{1, {kh}, {kw}, {oc}}};\n",
            f"    const cmsis_nn_dw_conv_params p = {{0, 0, {oc // c}, {stride}, {pad}, {dil}, {act}}};\n",
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n",
            "    ctx.size = arm_depthwise_conv_wrapper_s16_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims);\n",
            "    if (ctx.size > (int32_t)sizeof(scratch)) return ARM_CMSIS_NN_ARG_ERROR;\n",
            "    const arm_cmsis_nn_status s = arm_depthwise_conv_wrapper_s16(&ctx, &p, &q, &input_dims, inputs[0], "
            "&filter_dims, weights, &bias_dims, bias, &output_dims, outputs[0]);\n",
        ]
    return [
        f"    const cmsis_nn_dims filter_dims = {{{c}, 1, 1, {oc}}};\n",
        f"    const cmsis_nn_fc_params p = {{0, 0, 0, {act}}};\n",
        "    const cmsis_nn_per_tensor_quant_params q = {multiplier[0], shift[0]};\n",
        "    ctx.size = arm_fully_connected_s16_get_buffer_size(&filter_dims);\n",
        "    const arm_cmsis_nn_status s = arm_fully_connected_s16(&ctx, &p, &q, &input_dims, inputs[0], "
        "&filter_dims, weights, &bias_dims, bias, &output_dims, outputs[0]);\n",
    ]


def write_project(layer: Layer, data: LayerData, directory: Path) -> None:
    """NAME.h and NAME.c of the layer in ``directory``."""
    h, w, c = layer.in_hwc
    oh, ow = layer.out_hw()
    fc = layer.kind == "fc"
    in_dims = (h, 1, 1, c) if fc else (layer.batches, h, w, c)
    out_dims = (h, 1, 1, layer.out_c) if fc else (layer.batches, oh, ow, layer.out_c)
    source = [
        "#include \"arm_nnfunctions.h\"\n", f"#include \"{NAME}.h\"\n",
        _array("int8_t", "weights", data.weights),
        _array("int32_t" if layer.bias32 else "int64_t", "bias", data.bias),
        _array("int32_t", "multiplier", data.multiplier), _array("int32_t", "shift", data.shift),
        f"static int16_t scratch[{SCRATCH_BYTES // 2}] __attribute__((aligned(16)));\n",
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        f"    const cmsis_nn_dims input_dims = {_dims(in_dims)};\n",
        f"    const cmsis_nn_dims output_dims = {_dims(out_dims)};\n",
        f"    const cmsis_nn_dims bias_dims = {{1, 1, 1, {layer.out_c}}};\n",
        "    cmsis_nn_context ctx = {scratch, 0};\n",
        *_call(layer),
        "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n",
    ]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{NAME}.h").write_text(_header(layer))
    (directory / f"{NAME}.c").write_text("".join(source))


def host_output(layer: Layer, data: LayerData) -> np.ndarray:
    """The layer through the host build of our kernels (the portable C, exact
    against TFLite Micro)."""
    act = Activation(*layer.act)
    stride = Tile(layer.stride[1], layer.stride[0])
    pad = Tile(layer.pad[1], layer.pad[0])
    dil = Tile(layer.dilation[1], layer.dilation[0])
    if layer.kind == "fc":
        return arm_fully_connected_s16(
            FcParams(0, 0, 0, act), PerTensorQuant(int(data.multiplier[0]), int(data.shift[0])),
            data.x, data.weights, data.bias,
        )
    quant = PerChannelQuant(tuple(int(v) for v in data.multiplier), tuple(int(v) for v in data.shift))
    if layer.kind == "conv":
        return arm_convolve_wrapper_s16(
            ConvParams(0, 0, stride, pad, dil, act), quant, data.x, data.weights, data.bias, layer.output_shape()
        )
    return arm_depthwise_conv_wrapper_s16(
        DwConvParams(0, 0, layer.out_c // layer.in_hwc[2], stride, pad, dil, act), quant,
        data.x, data.weights, data.bias, layer.output_shape(),
    )
