"""C for the layers ``pycmsisnn.fusion`` computes a band of output rows at a time.

A fused residual ADD: the convolution's layer runs a loop over bands of
output rows: the same ``arm_convolve_wrapper_s8`` call on the input window of
the band (its first input row, and the top padding left above it), into the
band buffer, then ``arm_elementwise_add_s8`` of the band and the skip
tensor's rows, written over those rows. The ADD's own layer is empty.

A convolution over its own input: the same call per chunk of output rows
into a chunk buffer, each chunk copied over the input once no later chunk
reads it.
"""
from __future__ import annotations

from ..fusion import IN_PLACE_BAND_KERNELS, InPlaceBand, ResidualFusion, RowWindow
from ..lower import KernelCall, TensorArg
from ..params import AddParams, ConvParams, DwConvParams
from .cwriter import Layer, c_int
from .kernels import NNFUNCTIONS, ConvArguments, conv_arguments, depthwise_arguments


def _window(call: KernelCall, in_h: int, stride_h: int, pad_h: int, dilation_h: int) -> RowWindow:
    """The row window of ``call`` (a convolution or depthwise convolution)."""
    return RowWindow.of(in_h, stride_h, pad_h, int(call.args["filter"].shape[1]), dilation_h)


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
        *_window(layer.call, in_h, conv.stride.h, conv.padding.h, conv.dilation.h).c_lines("rows"),
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


def band_call_arguments(layer: Layer, what: str) -> tuple[ConvArguments, str]:
    """The C arguments of ``layer``'s convolution or depthwise convolution,
    called on windows of rows (``what`` names the use in a refusal), and the C
    type of its parameter struct, which each call copies to set its padding."""
    layer.unit.includes.add(NNFUNCTIONS)
    call = layer.call
    params = call.args[IN_PLACE_BAND_KERNELS[call.kernel]]
    if not isinstance(params, (ConvParams, DwConvParams)) or not isinstance(call.args["input"], TensorArg):
        raise layer.refuse(f"{what} needs its parameter struct and an activation input")
    args = conv_arguments(layer, call) if call.kernel == "arm_convolve_wrapper_s8" else depthwise_arguments(layer, call)
    return args, "cmsis_nn_conv_params" if isinstance(params, ConvParams) else "cmsis_nn_dw_conv_params"


def in_place_conv(layer: Layer, band: InPlaceBand) -> None:
    """A convolution or depthwise convolution written over its own input, ``band.band_rows`` output rows at a time."""
    args, ctype = band_call_arguments(layer, "an in-place convolution")
    call = layer.call
    a = call.args
    _, in_h, in_w, in_c = layer.shape(a["input"])
    _, out_h, out_w, out_c = (int(d) for d in a["output_shape"])
    ring, _ = layer.scratch(len(layer.arena.scratch[layer.index]) - 1)
    data, row, rows = layer.arena_pointer(band.input), band.row_bytes, band.band_rows
    chunk = f"{ring} + (chunk % 2) * {rows * row}" if band.pad_top else ring
    conv_args = [
        args.ctx, "&band_params", args.quant, "&input_dims", f"{data} + first * {in_w * in_c}",
        args.filter_dims, args.filter, args.bias_dims, args.bias, "&output_dims", chunk,
    ]
    last = (out_h - 1) // rows
    if band.pad_top:
        note = (f"/* Chunks of {rows} output rows, alternately in two buffers: once chunk j is computed, chunk j - 1 goes over"
                f" its input rows (no later chunk reads them: {rows} >= the top padding {band.pad_top}). */")
        flush = ["    if (chunk > 0)", "    {",
                 f"        memcpy({data} + (row - {rows}) * {row}, {ring} + ((chunk - 1) % 2) * {rows * row}, {rows * row});", "    }"]
        tail = [f"memcpy({data} + {last * rows * row}, {ring} + {(last % 2) * rows * row}, {(out_h - last * rows) * row});"]
    else:
        note = f"/* Chunks of {rows} output rows, each copied over its input rows at once (no top padding: no later chunk reads them). */"
        flush = [f"    memcpy({data} + row * {row}, {ring}, (size_t)output_dims.h * {row});"]
        tail = []
    layer.lines += [
        f"{ctype} band_params = {args.params.lstrip('&')};",
        f"cmsis_nn_dims input_dims = {{.n = 1, .h = {in_h}, .w = {in_w}, .c = {in_c}}};",
        f"cmsis_nn_dims output_dims = {{.n = 1, .h = {rows}, .w = {out_w}, .c = {out_c}}};",
        note,
        f"for (int32_t row = 0, chunk = 0; row < {out_h}; row += {rows}, chunk++)",
        "{",
        f"    output_dims.h = {out_h} - row < {rows} ? {out_h} - row : {rows};",
        *_window(call, in_h, 1, band.pad_top, a[IN_PLACE_BAND_KERNELS[call.kernel]].dilation.h).c_lines("output_dims.h"),
        f"    const arm_cmsis_nn_status status = {call.kernel}({', '.join(conv_args)});",
        "    if (status != ARM_CMSIS_NN_SUCCESS)",
        "    {",
        "        return status;",
        "    }",
        *flush,
        "}",
        *tail,
        "return ARM_CMSIS_NN_SUCCESS;",
    ]
