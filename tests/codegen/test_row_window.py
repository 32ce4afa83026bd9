"""The band window has one formula in two forms: ``RowWindow.rows`` (the
patch planner) and ``RowWindow.c_lines`` (the fused and in-place band loops
of generated C). Compiled with the host gcc, the C gives the planner's rows
for every band of many layer shapes, bands and paddings."""
from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

from pycmsisnn.fusion import RowWindow

from .host import gcc, run

CASES = [
    RowWindow.of(in_h, stride, pad, filter_h, dilation)
    for in_h, stride, pad, filter_h, dilation in itertools.product((1, 5, 12), (1, 2, 3), (0, 1, 2), (1, 3, 5), (1, 2))
    if pad < filter_h
]
BANDS = (1, 2, 3, 7)


def _out_h(w: RowWindow) -> int:
    return max(1, (w.in_h + 2 * w.pad_top - w.reach) // w.stride + 1)


def _program() -> str:
    lines = [
        "#include <stdint.h>",
        "#include <stdio.h>",
        "struct padding { int32_t h; };",
        "struct params { struct padding padding; };",
        "struct dims { int32_t h; };",
    ]
    for k, w in enumerate(CASES):
        lines += [
            f"static void window_{k}(const int32_t out_h, const int32_t band)",
            "{",
            "    struct params band_params = {{0}};",
            "    struct dims input_dims = {0};",
            "    for (int32_t row = 0; row < out_h; row += band)",
            "    {",
            "    const int32_t rows = out_h - row < band ? out_h - row : band;",
            *w.c_lines("rows"),
            f'    printf("{k} %d %d %d %d %d\\n", (int)row, (int)rows, (int)first, (int)input_dims.h, (int)band_params.padding.h);',
            "    }",
            "}",
        ]
    lines += ["int main(void)", "{"]
    for k, w in enumerate(CASES):
        lines += [f"    window_{k}({_out_h(w)}, {band});" for band in BANDS]
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


def _expected() -> list[str]:
    out = []
    for k, w in enumerate(CASES):
        out_h = _out_h(w)
        for band in BANDS:
            for row in range(0, out_h, band):
                rows = min(band, out_h - row)
                first, n, pad = w.rows(row, row + rows)
                out.append(f"{k} {row} {rows} {first} {n} {pad}")
    return out


def test_c_lines_compute_the_planners_rows(tmp_path: Path) -> None:
    assert len(CASES) > 100
    src, exe = tmp_path / "windows.c", tmp_path / "windows"
    src.write_text(_program())
    run([gcc(), "-std=c99", "-Wall", "-Wextra", "-Werror", "-Wno-unused-variable", str(src), "-o", str(exe)])
    got = subprocess.run([str(exe)], capture_output=True, text=True, check=True, timeout=60).stdout.splitlines()
    assert got == _expected()


def test_rows_of_a_known_layer() -> None:
    """3x3, stride 2, top padding 1 over 10 rows: output rows 0..2 read input
    rows 0..5 with one row of padding above; the last output row (4) reads
    rows 7..9, the padding below left out."""
    w = RowWindow.of(10, 2, 1, 3, 1)
    assert w.rows(0, 3) == (0, 6, 1)
    assert w.rows(4, 5) == (7, 3, 0)
    assert RowWindow.of(10, 1, 0, 3, 2).reach == 5
