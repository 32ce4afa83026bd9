"""Kernel code is linked once: a routine several kernels share lives in one
file, not as a static copy in every kernel file that includes its header.

Until issue 13 the depthwise channel blocks, the fully-connected row loops
and the recurrent kernels' MVE dot products were such copies: a KWS program
linked them two or three times (M4 code 32,092 B, Arm's 29,084). A program
that takes every s8 convolution, depthwise, fully-connected and batch-matmul
kernel and the LSTM and SVDF kernels from our library, built as the targets
build it (-ffunction-sections, --gc-sections), must hold no function twice."""
from __future__ import annotations

import collections
import subprocess
from pathlib import Path

import pytest

from pycmsisnn.cores import get_core
from pycmsisnn.library_files import CSRC, library_files
from pycmsisnn.targets import build, toolchain

KERNELS = (
    "arm_convolve_wrapper_s8",
    "arm_convolve_s8",
    "arm_convolve_1x1_s8",
    "arm_convolve_1x1_s8_fast",
    "arm_convolve_1_x_n_s8",
    "arm_depthwise_conv_wrapper_s8",
    "arm_depthwise_conv_s8",
    "arm_depthwise_conv_s8_opt",
    "arm_depthwise_conv_3x3_s8",
    "arm_fully_connected_wrapper_s8",
    "arm_fully_connected_s8",
    "arm_fully_connected_per_channel_s8",
    "arm_batch_matmul_s8",
    "arm_vector_sum_s8",
    "arm_lstm_unidirectional_s8",
    "arm_lstm_unidirectional_s16",
    "arm_svdf_s8",
    "arm_svdf_state_s16_s8",
)

PROGRAM = "\n".join(
    ['#include "arm_nnfunctions.h"', "void (*volatile const pycmsisnn_used[])(void) = {"]
    + [f"    (void (*)(void)){name}," for name in KERNELS]
    + ["};", "int main(void) { return pycmsisnn_used[0] == 0; }", ""]
)


def _functions(elf: Path, nm: Path) -> list[tuple[str, int]]:
    """(name, size) of every function in the ELF."""
    out = subprocess.run([str(nm), "-S", str(elf)], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in ("t", "T"):
            found.append((fields[3], int(fields[1], 16)))
    return found


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55", "cortex-m0"])
def test_no_function_is_linked_twice(core: str, tmp_path: Path) -> None:
    tools = toolchain.cross_tools()
    target = get_core(core)
    archive = build.kernel_library(library_files(CSRC), target, tools, tmp_path)
    main = tmp_path / "main.c"
    main.write_text(PROGRAM)
    elf = tmp_path / "kernels.elf"
    subprocess.run(
        [str(tools.gcc), *target.cflags, *build.CFLAGS, f"-I{CSRC / 'Include'}", str(main), str(archive),
         "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections", "-o", str(elf)],
        capture_output=True, text=True, check=True,
    )
    functions = _functions(elf, tools.nm)
    names = {name for name, _ in functions}
    assert set(KERNELS) <= names, sorted(set(KERNELS) - names)
    copies = collections.Counter(name for name, _ in functions)
    twice = sorted((name, n, sum(size for f, size in functions if f == name)) for name, n in copies.items() if n > 1)
    assert twice == [], f"{core}: functions linked more than once (name, copies, bytes): {twice}"
