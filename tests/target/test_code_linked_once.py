"""Kernel code is linked once: a routine several kernels share lives in one
file, not as a static copy in every kernel file that includes its header.

Until issue 13 the depthwise channel blocks, the fully-connected row loops,
the recurrent kernels' MVE dot products and the s4 DSP 1x2 core were such
copies: a KWS program linked some of them two or three times (M4 code 32,092
B, Arm's 29,084). A program that takes every public function of our library,
built as the targets build it (-ffunction-sections, --gc-sections), must hold
no function twice."""
from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

import pytest

from pycmsisnn._ffi import build as ffi_build
from pycmsisnn.cores import get_core
from pycmsisnn.library_files import CSRC, library_files
from pycmsisnn.targets import build, toolchain


def public_functions(csrc: Path = CSRC) -> list[str]:
    """Functions our public headers declare that have a source file of their name."""
    declared = set(re.findall(r"\b((?:arm|pycmsisnn)_\w+)\s*\(", ffi_build.public_declarations()))
    return sorted(declared & {p.stem for p in (csrc / "Source").rglob("*.c")})


def program(functions: list[str], csrc: Path = CSRC) -> str:
    """C that keeps every one of ``functions`` in the link."""
    headers = sorted(p.name for p in (csrc / "Include").glob("*.h"))
    return "\n".join(
        [f'#include "{h}"' for h in headers]
        + ["void (*volatile const pycmsisnn_used[])(void) = {"]
        + [f"    (void (*)(void)){name}," for name in functions]
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


def linked_twice(core: str, out: Path, csrc: Path = CSRC) -> list[tuple[str, int, int]]:
    """(name, copies, bytes) of every function the program of all public functions holds more than once."""
    tools = toolchain.cross_tools()
    target = get_core(core)
    archive = build.kernel_library(library_files(csrc), target, tools, out)
    functions = public_functions(csrc)
    main = out / "main.c"
    main.write_text(program(functions, csrc))
    elf = out / "kernels.elf"
    subprocess.run(
        [str(tools.gcc), *target.cflags, *build.CFLAGS, f"-I{csrc / 'Include'}", str(main), str(archive),
         "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections", "-o", str(elf)],
        capture_output=True, text=True, check=True,
    )
    found = _functions(elf, tools.nm)
    names = {name for name, _ in found}
    assert set(functions) <= names, sorted(set(functions) - names)
    copies = collections.Counter(name for name, _ in found)
    return sorted((name, n, sum(size for f, size in found if f == name)) for name, n in copies.items() if n > 1)


def test_every_public_function_is_taken() -> None:
    functions = public_functions()
    assert len(functions) > 150
    assert {"arm_depthwise_conv_s8_opt", "arm_fully_connected_per_channel_s8", "arm_svdf_s8",
            "arm_lstm_unidirectional_s8", "arm_fully_connected_s4", "arm_convolve_s4"} <= set(functions)


@pytest.mark.parametrize("core", ["cortex-m4", "cortex-m55", "cortex-m0"])
def test_no_function_is_linked_twice(core: str, tmp_path: Path) -> None:
    twice = linked_twice(core, tmp_path)
    assert twice == [], f"{core}: functions linked more than once (name, copies, bytes): {twice}"
