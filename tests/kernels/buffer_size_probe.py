"""A C program that prints every ``*_get_buffer_size*`` function of the
CMSIS-NN API on a set of layer shapes, one line per call. Built against
Arm's CMSIS-NN (99f736a6) on the host, its output is the fixture
``fixtures/arm_buffer_sizes.txt``: the sizes code written for Arm's
library allocates, which ours must give too (generated code sized for one
library must run with the other)."""
from __future__ import annotations

import re
from pathlib import Path

# (input n, h, w, c), (filter n, h, w, c), (output n, h, w, c), stride, padding, dilation
SHAPES = [
    ((1, 8, 8, 3), (4, 3, 3, 3), (1, 8, 8, 4), 1, 1, 1),
    ((1, 1, 20, 5), (7, 1, 3, 5), (1, 1, 18, 7), 1, 0, 1),
    ((1, 10, 10, 16), (16, 1, 1, 16), (1, 10, 10, 16), 1, 0, 1),
    ((2, 9, 7, 6), (5, 5, 5, 6), (2, 5, 4, 5), 2, 2, 1),
    ((1, 12, 12, 8), (1, 3, 3, 8), (1, 12, 12, 8), 1, 1, 1),
    ((1, 25, 5, 64), (1, 3, 3, 64), (1, 25, 5, 64), 1, 1, 1),
    ((1, 9, 9, 4), (1, 3, 3, 8), (1, 9, 9, 8), 1, 1, 2),
    ((1, 16, 16, 33), (1, 5, 5, 33), (1, 8, 8, 33), 2, 2, 1),
]
POOL_SHAPES = [(1, 1), (5, 8), (16, 64), (3, 33)]
ARGS = {
    "const cmsis_nn_conv_params *conv_params": "&cp", "const cmsis_nn_dw_conv_params *dw_conv_params": "&dp",
    "const cmsis_nn_transpose_conv_params *transpose_conv_params": "&tp", "const cmsis_nn_dims *input_dims": "&in",
    "const cmsis_nn_dims *filter_dims": "&f", "const cmsis_nn_dims *output_dims": "&o", "const cmsis_nn_dims *out_dims": "&o",
}


def _dims(d: tuple[int, ...]) -> str:
    return "{" + ", ".join(str(v) for v in d) + "}"


def probe_source(header: Path) -> str:
    """The program's C source, calling every size function ``header`` declares."""
    decls = [(m.group(1), " ".join(m.group(2).split())) for m in re.finditer(r"int32_t\s+(arm_\w*get_buffer_size\w*)\s*\(([^)]*)\)", header.read_text())]
    lines = ["#include <stdio.h>", '#include "arm_nnfunctions.h"', "int main(void)", "{"]
    for name, args in decls:
        if args.startswith("const int dim_dst_width"):
            lines += [f'    printf("{name} {w} {c}: %d\\n", (int){name}({w}, {c}));' for w, c in POOL_SHAPES]
            continue
        for i, (ind, fd, od, st, pd, dl) in enumerate(SHAPES):
            if "dw_conv" in args or "depthwise" in name:
                fd = (1, fd[1], fd[2], od[3])
            mult = od[3] // ind[3] if od[3] % ind[3] == 0 else 1
            call = ", ".join(ARGS[a.strip()] for a in args.split(","))
            lines += [
                "    {",
                f"        cmsis_nn_dims in = {_dims(ind)}, f = {_dims(fd)}, o = {_dims(od)};",
                f"        cmsis_nn_conv_params cp = {{0}}; cp.stride.w = cp.stride.h = {st}; cp.padding.w = cp.padding.h = {pd};",
                f"        cp.dilation.w = cp.dilation.h = {dl}; cp.activation.min = -128; cp.activation.max = 127;",
                f"        cmsis_nn_dw_conv_params dp = {{0}}; dp.ch_mult = {mult}; dp.stride.w = dp.stride.h = {st};",
                f"        dp.padding.w = dp.padding.h = {pd}; dp.dilation.w = dp.dilation.h = {dl}; dp.activation.min = -128; dp.activation.max = 127;",
                f"        cmsis_nn_transpose_conv_params tp = {{0}}; tp.stride.w = tp.stride.h = {st}; tp.padding.w = tp.padding.h = {pd};",
                "        tp.dilation.w = tp.dilation.h = 1; tp.activation.min = -128; tp.activation.max = 127;",
                "        (void)in; (void)f; (void)o; (void)cp; (void)dp; (void)tp;",
                f'        printf("{name} shape{i}: %d\\n", (int){name}({call}));',
                "    }",
            ]
    return "\n".join(lines + ["    return 0;", "}", ""])
