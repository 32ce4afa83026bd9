"""Single int4-weight convolution, depthwise or fully-connected kernel calls
(int8 activations, packed int4 weights, int32 bias) as hand-written target
projects (NAME.h / NAME.c calling one CMSIS-NN function once), with their
random data and the host's result for them.

Used by the QEMU tests of the s4 DSP/MVE paths (tests/target/test_s4_paths.py).
The project follows the interface pycmsisnn.targets reads (one int8 input,
one int8 output, one layer), so ``targets.run_project(dir, NAME, core, [x],
cmsis_nn=library)`` builds and runs it with any kernel library. The call gets
exactly the scratch its buffer-size function promises: the bytes after it are
painted before the call and checked after (a kernel writing past its promise
makes the layer return ARM_CMSIS_NN_FAILURE).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pycmsisnn.kernels import s4
from pycmsisnn.params import Activation, ConvParams, DwConvParams, FcParams, PerChannelQuant, PerTensorQuant, Tile

NAME = "layer"
SCRATCH_BYTES = 64 * 1024
GUARD_BYTES = 64

# the C expression of each kernel's scratch size (dims and params in scope as the call names them)
_SIZE = {
    "arm_convolve_wrapper_s4": "arm_convolve_wrapper_s4_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims)",
    "arm_convolve_s4": "arm_convolve_s4_get_buffer_size(&input_dims, &filter_dims)",
    "arm_convolve_even_s4": "arm_convolve_s4_get_buffer_size(&input_dims, &filter_dims)",
    "arm_convolve_1x1_s4": "0",
    "arm_convolve_1x1_s4_fast": "arm_convolve_1x1_s4_fast_get_buffer_size(&input_dims)",
    "arm_convolve_1_x_n_s4": "arm_convolve_1_x_n_s4_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims)",
    "arm_depthwise_conv_wrapper_s4": (
        "arm_depthwise_conv_wrapper_s4_get_buffer_size(&p, &input_dims, &filter_dims, &output_dims)"
    ),
    "arm_depthwise_conv_s4_opt": "arm_depthwise_conv_s4_opt_get_buffer_size(&input_dims, &filter_dims)",
    "arm_depthwise_conv_s4": "0",
    "arm_fully_connected_s4": "0",
}


@dataclass(frozen=True)
class Layer:
    """One call of ``kernel`` (a conv, depthwise or FC s4 function of _SIZE)."""

    name: str
    kernel: str
    in_hwc: tuple[int, int, int]  # fc: (batches, 1, depth)
    out_c: int
    kernel_hw: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    pad: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    batches: int = 1  # conv and dw
    act: tuple[int, int] = (-128, 127)
    min_shift: int = -31  # the smallest requantisation shift allowed (1: left shifts only)
    filter_offset: int = 0  # fc
    x_range: int = 128  # inputs in [-x_range, x_range), input offset and bias scaled alike

    @property
    def kind(self) -> str:
        return "fc" if "fully" in self.kernel else "dw" if "depthwise" in self.kernel else "conv"

    def out_hw(self) -> tuple[int, int]:
        if self.kind == "fc":
            return self.in_hwc[0], 1
        h, w, _ = self.in_hwc
        eff = [(k - 1) * d + 1 for k, d in zip(self.kernel_hw, self.dilation)]
        return ((h + 2 * self.pad[0] - eff[0]) // self.stride[0] + 1,
                (w + 2 * self.pad[1] - eff[1]) // self.stride[1] + 1)

    def input_shape(self) -> tuple[int, ...]:
        h, w, c = self.in_hwc
        return (h, c) if self.kind == "fc" else (self.batches, h, w, c)

    def output_shape(self) -> tuple[int, ...]:
        oh, ow = self.out_hw()
        return (self.in_hwc[0], self.out_c) if self.kind == "fc" else (self.batches, oh, ow, self.out_c)

    def filter_shape(self) -> tuple[int, ...]:
        c, oc = self.in_hwc[2], self.out_c
        kh, kw = self.kernel_hw
        if self.kind == "conv":
            return (oc, kh, kw, c)
        if self.kind == "dw":
            return (1, kh, kw, oc)
        return (oc, c)


@dataclass(frozen=True)
class LayerData:
    """The constants and the input of one layer."""

    x: np.ndarray  # int8, input_shape
    packed: np.ndarray  # int8, the int4 weights of filter_shape packed two per byte
    bias: np.ndarray  # int32, [C_OUT]
    multiplier: np.ndarray  # int32, per channel (fc: one)
    shift: np.ndarray  # int32
    input_offset: int
    output_offset: int


def layer_data(layer: Layer, seed: int) -> LayerData:
    """Random full-range input and int4 weights, offsets, a bias, and
    requantisation shifts (one base, plus 0 or 1 per channel) chosen to
    spread the outputs over the clamp range most."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(-8, 8, size=layer.filter_shape()).astype(np.int8)
    oc = layer.out_c
    bias = rng.integers(-32 * layer.x_range, 32 * layer.x_range, size=oc).astype(np.int32)
    channels = 1 if layer.kind == "fc" else oc
    multiplier = rng.integers(1 << 30, (1 << 31) - 1, size=channels).astype(np.int32)
    step = rng.integers(0, 2, size=channels).astype(np.int32)
    x = rng.integers(-layer.x_range, layer.x_range, size=layer.input_shape()).astype(np.int8)
    input_offset = int(rng.integers(-min(layer.x_range, 127), layer.x_range + 1))
    output_offset = int(rng.integers(-32, 33))

    def with_base(base: int) -> LayerData:
        shift = (base + step).astype(np.int32)
        return LayerData(x, s4.pack_int4(weights), bias, multiplier, shift, input_offset, output_offset)

    return max((with_base(b) for b in range(max(-14, layer.min_shift), 4)), key=lambda d: len(np.unique(host_output(layer, d))))


def _array(ctype: str, name: str, values: np.ndarray) -> str:
    body = ",".join(str(int(v)) for v in values.reshape(-1))
    return f"static const {ctype} {name}[{values.size}] = {{{body}}};\n"


def _dims(shape: tuple[int, ...]) -> str:
    return "{" + ", ".join(map(str, shape)) + "}"


def _header(layer: Layer) -> str:
    ins, outs = layer.input_shape(), layer.output_shape()
    return (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        f"#define {NAME}_INPUT_COUNT 1\n#define {NAME}_OUTPUT_COUNT 1\n"
        f"#define {NAME}_INPUT0_SIZE {int(np.prod(ins))}\n#define {NAME}_INPUT0_DIMS {_dims(ins)}\n"
        f"#define {NAME}_INPUT0_TYPE int8_t\n"
        f"#define {NAME}_OUTPUT0_SIZE {int(np.prod(outs))}\n#define {NAME}_OUTPUT0_DIMS {_dims(outs)}\n"
        f"#define {NAME}_OUTPUT0_TYPE int8_t\n"
        f"#define {NAME}_ARENA_SIZE {SCRATCH_BYTES}\n#define {NAME}_LAYER_COUNT 1\n"
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )


def _params(layer: Layer, data: LayerData) -> str:
    act = f"{{{layer.act[0]}, {layer.act[1]}}}"
    stride = f"{{{layer.stride[1]}, {layer.stride[0]}}}"
    pad = f"{{{layer.pad[1]}, {layer.pad[0]}}}"
    dil = f"{{{layer.dilation[1]}, {layer.dilation[0]}}}"
    offsets = f"{data.input_offset}, {data.output_offset}"
    if layer.kind == "conv":
        return (
            f"    const cmsis_nn_conv_params p = {{{offsets}, {stride}, {pad}, {dil}, {act}}};\n"
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n"
        )
    if layer.kind == "dw":
        mult = layer.out_c // layer.in_hwc[2]
        return (
            f"    const cmsis_nn_dw_conv_params p = {{{offsets}, {mult}, {stride}, {pad}, {dil}, {act}}};\n"
            "    const cmsis_nn_per_channel_quant_params q = {(int32_t *)multiplier, (int32_t *)shift};\n"
        )
    return (
        f"    const cmsis_nn_fc_params p = {{{data.input_offset}, {layer.filter_offset}, {data.output_offset}, {act}}};\n"
        "    const cmsis_nn_per_tensor_quant_params q = {multiplier[0], shift[0]};\n"
    )


def write_project(layer: Layer, data: LayerData, directory: Path) -> None:
    """NAME.h and NAME.c of the layer in ``directory``."""
    h, w, c = layer.in_hwc
    oh, ow = layer.out_hw()
    fc = layer.kind == "fc"
    kh, kw = layer.kernel_hw
    in_dims = (h, 1, 1, c) if fc else (layer.batches, h, w, c)
    out_dims = (h, 1, 1, layer.out_c) if fc else (layer.batches, oh, ow, layer.out_c)
    # filter_dims.c left at 0 for conv and dw: the kernels must not read it (Arm's tests leave it unset)
    filt = {"conv": (layer.out_c, kh, kw, 0), "dw": (1, kh, kw, 0), "fc": (c, 1, 1, layer.out_c)}[layer.kind]
    source = [
        "#include <string.h>\n#include \"arm_nnfunctions.h\"\n", f"#include \"{NAME}.h\"\n",
        _array("int8_t", "weights", data.packed),
        _array("int32_t", "bias", data.bias),
        _array("int32_t", "multiplier", data.multiplier), _array("int32_t", "shift", data.shift),
        f"static int8_t scratch[{SCRATCH_BYTES}] __attribute__((aligned(16)));\n",
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        f"    const cmsis_nn_dims input_dims = {_dims(in_dims)};\n",
        f"    const cmsis_nn_dims output_dims = {_dims(out_dims)};\n",
        f"    const cmsis_nn_dims filter_dims = {_dims(filt)};\n",
        f"    const cmsis_nn_dims bias_dims = {{1, 1, 1, {layer.out_c}}};\n",
        _params(layer, data),
        f"    const int32_t size = {_SIZE[layer.kernel]};\n",
        f"    if (size < 0 || size > {SCRATCH_BYTES - GUARD_BYTES}) return ARM_CMSIS_NN_ARG_ERROR;\n",
        f"    memset(scratch + size, 0x5A, {GUARD_BYTES});\n",
        "    const cmsis_nn_context ctx = {scratch, size};\n",
        f"    arm_cmsis_nn_status s = {layer.kernel}(&ctx, &p, &q, &input_dims, inputs[0], "
        "&filter_dims, weights, &bias_dims, bias, &output_dims, outputs[0]);\n",
        f"    for (int32_t i = 0; i < {GUARD_BYTES}; i++) if (scratch[size + i] != 0x5A) s = ARM_CMSIS_NN_FAILURE;\n",
        "    PYCMSISNN_LAYER_DONE(0);\n    return s;\n}\n",
    ]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{NAME}.h").write_text(_header(layer))
    (directory / f"{NAME}.c").write_text("".join(source))


def host_output(layer: Layer, data: LayerData) -> np.ndarray:
    """The layer through the host build of our kernels (the portable C, exact
    against TFLite Micro)."""
    act = Activation(*layer.act)
    fn = getattr(s4, layer.kernel)
    if layer.kind == "fc":
        params = FcParams(data.input_offset, layer.filter_offset, data.output_offset, act)
        quant = PerTensorQuant(int(data.multiplier[0]), int(data.shift[0]))
        return fn(params, quant, data.x, data.packed, layer.filter_shape(), data.bias)
    stride = Tile(layer.stride[1], layer.stride[0])
    pad = Tile(layer.pad[1], layer.pad[0])
    dil = Tile(layer.dilation[1], layer.dilation[0])
    quant_c = PerChannelQuant(tuple(int(v) for v in data.multiplier), tuple(int(v) for v in data.shift))
    if layer.kind == "conv":
        conv = ConvParams(data.input_offset, data.output_offset, stride, pad, dil, act)
        return fn(conv, quant_c, data.x, data.packed, layer.filter_shape(), data.bias, layer.output_shape())
    dw = DwConvParams(data.input_offset, data.output_offset, layer.out_c // layer.in_hwc[2], stride, pad, dil, act)
    return fn(dw, quant_c, data.x, data.packed, layer.filter_shape(), data.bias, layer.output_shape())
