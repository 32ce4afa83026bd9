"""C for a residual ADD fused into its convolution (``pycmsisnn.fusion``).

The convolution's layer runs a loop over bands of output rows: the same
``arm_convolve_wrapper_s8`` call on the input window of the band (its first
input row, and the top padding left above it), into the band buffer, then
``arm_elementwise_add_s8`` of the band and the skip tensor's rows, written
over those rows. The ADD's own layer is empty.
"""
from __future__ import annotations

from ..fusion import ResidualFusion
from ..lower import KernelCall, TensorArg
from ..params import AddParams, ConvParams
from .cwriter import Layer, c_int
from .kernels import NNFUNCTIONS, conv_arguments


def fused_add(layer: Layer, fusion: ResidualFusion) -> None:
    """The ADD's layer: nothing to run, its sum was written by the convolution's layer."""
    layer.lines.append(f"/* computed by layer {fusion.conv}: the convolution adds each band of its output into tensor {fusion.skip} */")


def fused_conv_add(layer: Layer, add: KernelCall, fusion: ResidualFusion) -> None:
    """The convolution's layer: bands of ``fusion.band_rows`` output rows, each convolved then added."""
    layer.unit.includes.add(NNFUNCTIONS)
    a, p = layer.call.args, add.args["params"]
    if not isinstance(p, AddParams) or not isinstance(a["conv_params"], ConvParams) or not isinstance(a["input"], TensorArg):
        raise layer.refuse("a fused convolution needs ConvParams, an AddParams and an activation input")
    args = conv_arguments(layer, layer.call)
    _, in_h, in_w, in_c = layer.shape(a["input"])
    _, out_h, out_w, out_c = (int(d) for d in a["output_shape"])
    conv: ConvParams = a["conv_params"]
    band, skip, source = layer.arena_pointer(fusion.conv_output), layer.arena_pointer(fusion.skip), layer.arena_pointer(a["input"].index)
    row = out_w * out_c

    def operand(name: str) -> str:
        value = add.args[name]
        return band if isinstance(value, TensorArg) and value.index == fusion.conv_output else f"{skip} + row * {row}"

    add_args = [
        operand("input_1"), operand("input_2"),
        *(c_int(v) for v in (p.input_1_offset, p.input_1_mult, p.input_1_shift, p.input_2_offset, p.input_2_mult, p.input_2_shift, p.left_shift)),
        f"{skip} + row * {row}", *(c_int(v) for v in (p.out_offset, p.out_mult, p.out_shift, p.out_activation_min, p.out_activation_max)),
        f"rows * {row}",
    ]
    conv_args = [
        args.ctx, "&band_params", args.quant, "&input_dims", f"{source} + first * {in_w * in_c}",
        args.filter_dims, args.filter, args.bias_dims, args.bias, "&output_dims", band,
    ]
    layer.lines += [
        f"cmsis_nn_conv_params band_params = {args.params.lstrip('&')};",
        f"cmsis_nn_dims input_dims = {{.n = 1, .h = {in_h}, .w = {in_w}, .c = {in_c}}};",
        f"cmsis_nn_dims output_dims = {{.n = 1, .h = {fusion.band_rows}, .w = {out_w}, .c = {out_c}}};",
        f"for (int32_t row = 0; row < {out_h}; row += {fusion.band_rows})",
        "{",
        f"    const int32_t rows = {out_h} - row < {fusion.band_rows} ? {out_h} - row : {fusion.band_rows};",
        f"    const int32_t top = row * {conv.stride.h} - {conv.padding.h};",
        "    const int32_t first = top < 0 ? 0 : top;",
        "    band_params.padding.h = first - top;",
        f"    input_dims.h = {in_h} - first;",
        "    output_dims.h = rows;",
        f"    arm_cmsis_nn_status status = arm_convolve_wrapper_s8({', '.join(conv_args)});",
        "    if (status != ARM_CMSIS_NN_SUCCESS)",
        "    {",
        "        return status;",
        "    }",
        f"    status = arm_elementwise_add_s8({', '.join(add_args)});",
        "    if (status != ARM_CMSIS_NN_SUCCESS)",
        "    {",
        "        return status;",
        "    }",
        "}",
        "return ARM_CMSIS_NN_SUCCESS;",
    ]
