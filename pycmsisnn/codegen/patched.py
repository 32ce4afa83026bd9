"""C for a patch chain (``pycmsisnn.patches``): the network's first
convolutions computed in bands of output rows.

Each layer of the chain becomes a band function ``NAME_band_K(input,
in_rows, pad_top, output, out_rows)``: the layer's own CMSIS-NN call, its
structs as always, on a window of ``in_rows`` input rows with ``pad_top``
rows of top padding above it, writing ``out_rows`` output rows. The chain's
first layer runs the chain: per band, one row of a constant int16_t table
(the first input row, the first output row, and per layer its input rows,
top padding and output rows, computed by the planner) and one call of each
band function, from the chain's input through the two band buffers into the
rows of the chain's output. The other layers of the chain are empty.
"""
from __future__ import annotations

import numpy as np

from ..patches import PatchChain
from .cwriter import Layer
from .fused import band_call_arguments


def band_function(layer: Layer) -> None:
    """Append ``NAME_band_K`` of ``layer`` (a chain layer) to the unit's definitions."""
    args, ctype = band_call_arguments(layer, "a patched convolution")
    call, unit = layer.call, layer.unit
    a = call.args
    _, _, in_w, in_c = layer.shape(a["input"])
    _, _, out_w, out_c = (int(d) for d in a["output_shape"])
    call_args = [args.ctx, "&band_params", args.quant, "&input_dims", "input", args.filter_dims, args.filter, args.bias_dims,
                 args.bias, "&output_dims", "output"]
    body = layer.lines + [
        f"{ctype} band_params = {args.params.lstrip('&')};",
        f"const cmsis_nn_dims input_dims = {{.n = 1, .h = in_rows, .w = {in_w}, .c = {in_c}}};",
        f"const cmsis_nn_dims output_dims = {{.n = 1, .h = out_rows, .w = {out_w}, .c = {out_c}}};",
        "band_params.padding.h = pad_top;",
        f"return {call.kernel}({', '.join(call_args)});",
    ]
    unit.definitions += [
        "",
        f"/* Layer {layer.index} ({call.op.opcode}) on a band: in_rows input rows, pad_top rows of padding above them. */",
        f"static arm_cmsis_nn_status {unit.name}_band_{layer.index}(const int8_t *input, int32_t in_rows, int32_t pad_top, "
        "int8_t *output, int32_t out_rows)",
        "{",
        *(f"    {line}" for line in body),
        "}",
    ]


def band_table(chain: PatchChain) -> np.ndarray:
    """Per band: first input row, first output row, then per layer input rows, top padding, output rows."""
    rows = [[band[0].in_first, band[-1].out_first, *(v for w in band for v in (w.in_rows, w.pad_top, w.out_rows))]
            for band in chain.bands]
    return np.asarray(rows, dtype=np.int16)


def patch_driver(layer: Layer, chain: PatchChain) -> None:
    """The chain's first layer: every band through every layer of the chain."""
    g = layer.graph
    table = band_table(chain)
    symbol = layer.constant(table, "bands")
    width = table.shape[1]
    _, _, in_w, in_c = (int(d) for d in g.tensor(chain.input).shape)
    _, _, out_w, out_c = (int(d) for d in g.tensor(chain.output).shape)
    buffers = [layer.arena_pointer(t) for t in chain.intermediates]
    sources = [f"{layer.arena_pointer(chain.input)} + t[0] * {in_w * in_c}", *buffers]
    targets = [*buffers, f"{layer.arena_pointer(chain.output)} + t[1] * {out_w * out_c}"]
    lines = [
        f"/* Layers {chain.first}-{chain.last} in {len(chain.bands)} bands of {chain.band_rows} output row(s) of layer {chain.last};"
        f" each layer's input rows recomputed per band ({100 * chain.recomputed:.1f} % more MACs). */",
        f"for (int32_t band = 0; band < {len(chain.bands)}; band++)",
        "{",
        f"    const int16_t *const t = {symbol} + band * {width};",
        "    arm_cmsis_nn_status status;",
    ]
    for i, k in enumerate(chain.calls):
        col = 2 + 3 * i
        lines += [
            f"    status = {layer.unit.name}_band_{k}({sources[i]}, t[{col}], t[{col + 1}], {targets[i]}, t[{col + 2}]);",
            "    if (status != ARM_CMSIS_NN_SUCCESS)",
            "    {",
            "        return status;",
            "    }",
        ]
    layer.lines += lines + ["}", "return ARM_CMSIS_NN_SUCCESS;"]


def patched_layer(layer: Layer, chain: PatchChain) -> None:
    """A chain layer after the first: nothing to run."""
    layer.lines.append(f"/* computed by layer {chain.first}, band by band, with layers {chain.first}-{chain.last} */")
