"""The DSP and MVE paths of the recurrent kernels (Internal/pycmsisnn_rnn_simd.h):
the LSTM's gate product arm_nn_vec_mat_mul_result_acc_s8_s16, its elementwise
products arm_elementwise_mul_s16_s8 / _mul_s16_batch_offset / _mul_acc_s16,
and the SVDF kernels arm_svdf_state_s16_s8 and arm_svdf_s8 (two steps each,
so the moved state is read again).

One hand-written program calls every case and writes every result (the
int16/int8 outputs and the SVDF states) into one int16 output; it is built
with our library for Cortex-M4 and M33 (DSP) and M55 (MVE), run under QEMU,
and compared exactly with the same program built for the host (the portable
C, exact against TensorFlow Lite Micro through the LSTM and SVDF tests).

The cases hit every block and tail of the paths: gate products with 1-64
columns (MVE: the one-register input of up to 16 columns and its predicated
last rows, vectors of 16 and a predicated tail; DSP: words of 4 and 1-3
leftovers) and 1-37 rows (blocks of 4 and 1-3 leftovers, MVE groups of 32),
two and three batches apart by batch_offset, with and without bias, right
shifts of 1-31, no shift and a left shift; elementwise lengths 1-35 (MVE groups
of 4 and a predicated tail) with batch offsets, output offsets, left and
right shifts and a narrowed clamp; SVDF memories 1-17 (MVE: vectors of 8 or 16
and predicated tails; DSP: pairs/words and the odd entry that pairs with the
new value), 1-64 filters of 1-64 inputs, ranks 1-5, two batches, input
offsets of -128..127 (0: the path without the offset term), no bias, narrowed
input and output clamps.
"""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import targets
from pycmsisnn.library_files import CSRC
from pycmsisnn.targets import toolchain

NAME = "layer"
CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]
SOURCES = [
    "LSTMFunctions/arm_nn_vec_mat_mul_result_acc_s8_s16.c",
    "BasicMathFunctions/arm_elementwise_mul_s16_s8.c",
    "BasicMathFunctions/arm_elementwise_mul_s16_batch_offset.c",
    "BasicMathFunctions/arm_elementwise_mul_acc_s16.c",
    "SVDFunctions/arm_svdf_s8.c",
    "SVDFunctions/arm_svdf_state_s16_s8.c",
]


@dataclass(frozen=True)
class Gate:
    cols: int
    rows: int
    shift: int
    batches: int = 1
    batch_offset: int = 1
    bias: bool = True


@dataclass(frozen=True)
class Ew:
    kind: str  # "s8" (mul_s16_s8), "bo" (mul_s16_batch_offset), "acc" (mul_acc_s16)
    n: int
    shift: int
    batches: int = 1
    batch_offset: int = 1
    offset: int = 0
    act: tuple[int, int] = (-32768, 32767)
    x_range: int = 32768


@dataclass(frozen=True)
class Svdf:
    state16: bool
    batches: int
    input_size: int
    filters: int
    rank: int
    memory: int
    input_offset: int
    bias: bool = True
    in_act: tuple[int, int] | None = None
    out_act: tuple[int, int] = (-128, 127)


GATES = [
    Gate(1, 1, -8), Gate(3, 5, -10), Gate(10, 32, -12), Gate(16, 7, -11, bias=False), Gate(17, 6, -12, 2, 3),
    Gate(33, 37, -13), Gate(40, 4, 2, 2, 1), Gate(7, 9, 0), Gate(64, 3, -14, bias=False), Gate(20, 13, -31, 3, 2),
    Gate(5, 2, -1), Gate(32, 32, -13), Gate(2, 11, -9), Gate(48, 5, -15, 2, 2),
]
EWS = [
    Ew("s8", 1, -22, offset=3), Ew("s8", 5, -20, 2, 3, -7), Ew("s8", 33, -23), Ew("s8", 32, 1, offset=-128, x_range=200),
    Ew("s8", 7, -31, 3, 1, 100),
    Ew("bo", 1, -15), Ew("bo", 6, -15, 2, 2), Ew("bo", 35, -14, offset=5), Ew("bo", 13, 1, x_range=150),
    Ew("bo", 32, -15),
    Ew("acc", 1, -15), Ew("acc", 9, -15), Ew("acc", 33, -13, act=(-1000, 2000)), Ew("acc", 12, 0, x_range=180),
    Ew("acc", 32, -15),
]
SVDFS = [
    Svdf(True, 1, 40, 64, 1, 8, -10), Svdf(True, 1, 64, 64, 2, 4, 5), Svdf(True, 2, 5, 6, 3, 3, 0, bias=False),
    Svdf(True, 1, 17, 3, 1, 1, 127), Svdf(True, 2, 3, 7, 1, 9, -128, in_act=(-3000, 5000)),
    Svdf(True, 1, 33, 5, 5, 17, -1, bias=False, out_act=(-20, 90)), Svdf(True, 1, 1, 1, 1, 2, 3),
    Svdf(True, 1, 16, 8, 2, 16, 0),
    Svdf(False, 1, 40, 64, 1, 8, -10), Svdf(False, 2, 5, 6, 3, 3, 0, bias=False), Svdf(False, 1, 17, 3, 1, 1, 127),
    Svdf(False, 2, 3, 7, 1, 17, -128, in_act=(-50, 60)), Svdf(False, 1, 33, 5, 5, 20, -1, bias=False),
    Svdf(False, 1, 1, 1, 1, 2, 3), Svdf(False, 1, 24, 4, 2, 16, 9, out_act=(-20, 90)),
]


def _arr(ctype: str, name: str, values: np.ndarray) -> str:
    body = ",".join(str(int(v)) for v in np.asarray(values).reshape(-1)) or "0"
    return f"static const {ctype} {name}[{max(np.asarray(values).size, 1)}] = {{{body}}};\n"


def _program(seed: int) -> tuple[str, int]:
    """layer.c calling every case, and the int16 entries it writes."""
    rng = np.random.default_rng(seed)
    head = ["#include <string.h>\n#include \"arm_nnfunctions.h\"\n#include \"arm_nnsupportfunctions.h\"\n",
            f"#include \"{NAME}.h\"\n",
            "static void put16(int16_t *out, int *k, const int16_t *v, int n) { for (int i = 0; i < n; i++) out[(*k)++] = v[i]; }\n",
            "static void put8(int16_t *out, int *k, const int8_t *v, int n) { for (int i = 0; i < n; i++) out[(*k)++] = v[i]; }\n"]
    body = [f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
            "    int16_t *out = outputs[0]; int k = 0; arm_cmsis_nn_status s = ARM_CMSIS_NN_SUCCESS;\n    (void)inputs;\n"]
    total = 0
    for i, g in enumerate(GATES):
        lhs_len = ((g.batches - 1) * g.batch_offset + 1) * g.cols
        head += [_arr("int8_t", f"g{i}_x", rng.integers(-128, 128, lhs_len)),
                 _arr("int8_t", f"g{i}_w", rng.integers(-128, 128, g.rows * g.cols)),
                 _arr("int32_t", f"g{i}_b", rng.integers(-40000, 40000, g.rows)) if g.bias else "",
                 _arr("int16_t", f"g{i}_d0", rng.integers(-32768, 32768, g.batches * g.rows)),
                 f"static int16_t g{i}_d[{g.batches * g.rows}];\n"]
        mult = int(rng.integers(1 << 30, 1 << 31)) if g.shift <= 0 else 1 << 22
        body.append(f"    memcpy(g{i}_d, g{i}_d0, sizeof(g{i}_d));\n"
                    f"    s |= arm_nn_vec_mat_mul_result_acc_s8_s16(g{i}_x, g{i}_w, {f'g{i}_b' if g.bias else 'NULL'}, g{i}_d, "
                    f"{mult}, {g.shift}, {g.cols}, {g.rows}, {g.batches}, {g.batch_offset});\n"
                    f"    PYCMSISNN_LAYER_DONE(0);\n    put16(out, &k, g{i}_d, {g.batches * g.rows});\n")
        total += g.batches * g.rows
    for i, e in enumerate(EWS):
        size = e.n * e.batches
        out_len = size if e.kind == "acc" else ((e.batches - 1) * e.batch_offset + 1) * e.n
        head += [_arr("int16_t", f"e{i}_a", rng.integers(-e.x_range, e.x_range, size)),
                 _arr("int16_t", f"e{i}_c", rng.integers(-e.x_range, e.x_range, size)),
                 _arr("int16_t", f"e{i}_o0", rng.integers(-32768, 32768, out_len)) if e.kind != "s8" else ""]
        mult = int(rng.integers(1 << 30, 1 << 31))
        if e.kind == "s8":
            head.append(f"static int8_t e{i}_o[{out_len}];\n")
            body.append(f"    memset(e{i}_o, 0, sizeof(e{i}_o));\n"
                        f"    s |= arm_elementwise_mul_s16_s8(e{i}_a, e{i}_c, e{i}_o, {e.offset}, {mult}, {e.shift}, {e.n}, "
                        f"{e.batches}, {e.batch_offset});\n    put8(out, &k, e{i}_o, {out_len});\n")
        else:
            head.append(f"static int16_t e{i}_o[{out_len}];\n")
            body.append(f"    memcpy(e{i}_o, e{i}_o0, sizeof(e{i}_o));\n")
            if e.kind == "bo":
                body.append(f"    s |= arm_elementwise_mul_s16_batch_offset(e{i}_a, e{i}_c, e{i}_o, {e.offset}, {mult}, "
                            f"{e.shift}, {e.n}, {e.batches}, {e.batch_offset});\n")
            else:
                body.append(f"    s |= arm_elementwise_mul_acc_s16(e{i}_a, e{i}_c, 0, 0, e{i}_o, 0, {mult}, {e.shift}, "
                            f"{e.act[0]}, {e.act[1]}, {e.n});\n")
            body.append(f"    put16(out, &k, e{i}_o, {out_len});\n")
        total += out_len
    for i, c in enumerate(SVDFS):
        st = "int16_t" if c.state16 else "int8_t"
        units = c.filters // c.rank
        smax = 32768 if c.state16 else 128
        in_act = c.in_act or (-smax, smax - 1)
        state_len = c.batches * c.filters * c.memory
        head += [_arr("int8_t", f"s{i}_x", rng.integers(-128, 128, (2, c.batches * c.input_size))),
                 _arr("int8_t", f"s{i}_wf", rng.integers(-128, 128, c.filters * c.input_size)),
                 _arr(st, f"s{i}_wt", rng.integers(-smax, smax, c.filters * c.memory)),
                 _arr("int32_t", f"s{i}_b", rng.integers(-(1 << 20), 1 << 20, units)) if c.bias else "",
                 _arr(st, f"s{i}_st0", rng.integers(-smax, smax, state_len)),
                 f"static {st} s{i}_st[{state_len}]; static int8_t s{i}_o[{c.batches * units}];\n"
                 f"static int32_t s{i}_sa[{c.batches * c.filters}]; static int32_t s{i}_sb[{c.batches * units}];\n"]
        feature_shift = -int(np.log2(max(c.input_size, 1))) - (0 if c.state16 else 8) - 6
        out_shift = -int(np.log2(c.memory * c.rank + 1)) - (20 if c.state16 else 6)
        call = (f"arm_svdf_state_s16_s8(&ic, &oc, &p, &qi, &qo, &ind, s{i}_x + t * {c.batches * c.input_size}, &sd, s{i}_st, &wfd, "
                f"s{i}_wf, &wtd, s{i}_wt, &bd, {f's{i}_b' if c.bias else 'NULL'}, &od, s{i}_o)" if c.state16 else
                f"arm_svdf_s8(&ctx, &ic, &oc, &p, &qi, &qo, &ind, s{i}_x + t * {c.batches * c.input_size}, &sd, s{i}_st, &wfd, "
                f"s{i}_wf, &wtd, s{i}_wt, &bd, {f's{i}_b' if c.bias else 'NULL'}, &od, s{i}_o)")
        body.append(
            f"    memcpy(s{i}_st, s{i}_st0, sizeof(s{i}_st));\n"
            f"    for (int t = 0; t < 2; t++) {{\n"
            f"        cmsis_nn_context ctx = {{NULL, 0}}, ic = {{s{i}_sa, sizeof(s{i}_sa)}}, oc = {{s{i}_sb, sizeof(s{i}_sb)}};\n"
            f"        const cmsis_nn_svdf_params p = {{{c.rank}, {c.input_offset}, 0, {{{in_act[0]}, {in_act[1]}}}, "
            f"{{{c.out_act[0]}, {c.out_act[1]}}}}};\n"
            f"        const cmsis_nn_per_tensor_quant_params qi = {{{int(rng.integers(1 << 30, 1 << 31))}, {feature_shift}}};\n"
            f"        const cmsis_nn_per_tensor_quant_params qo = {{{int(rng.integers(1 << 30, 1 << 31))}, {out_shift}}};\n"
            f"        const cmsis_nn_dims ind = {{{c.batches}, {c.input_size}, 1, 1}}, sd = {{{c.batches}, {c.filters}, "
            f"{c.memory}, 1}}, wfd = {{{c.filters}, {c.input_size}, 1, 1}}, wtd = {{{c.filters}, {c.memory}, 1, 1}}, "
            f"bd = {{{units}, 1, 1, 1}}, od = {{{c.batches}, {units}, 1, 1}};\n"
            f"        (void)ctx;\n        s |= {call};\n"
            f"        put8(out, &k, s{i}_o, {c.batches * units});\n    }}\n"
            f"    {'put16' if c.state16 else 'put8'}(out, &k, s{i}_st, {state_len});\n")
        total += 2 * c.batches * units + state_len
    body.append("    out[k++] = (int16_t)s;\n    return ARM_CMSIS_NN_SUCCESS;\n}\n")
    total += 1
    return "".join(head + body), total


def _header(total: int) -> str:
    return (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        f"#define {NAME}_INPUT_COUNT 1\n#define {NAME}_OUTPUT_COUNT 1\n"
        f"#define {NAME}_INPUT0_SIZE 2\n#define {NAME}_INPUT0_DIMS {{1}}\n#define {NAME}_INPUT0_TYPE int16_t\n"
        f"#define {NAME}_OUTPUT0_SIZE {2 * total}\n#define {NAME}_OUTPUT0_DIMS {{{total}}}\n"
        f"#define {NAME}_OUTPUT0_TYPE int16_t\n#define {NAME}_ARENA_SIZE 16\n#define {NAME}_LAYER_COUNT 1\n"
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )


HOST_MAIN = """#include <stdio.h>
#include "layer.h"
static int16_t out[layer_OUTPUT0_SIZE / 2];
int main(void)
{
    const int16_t in[1] = {0};
    const void *ins[1] = {in};
    void *outs[1] = {out};
    layer_invoke(ins, outs);
    fwrite(out, 1, sizeof(out), stdout);
    return 0;
}
"""


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, np.ndarray]:
    """The project directory, its output length and the host's output."""
    d = tmp_path_factory.mktemp("rnn-paths")
    source, total = _program(seed=13)
    (d / f"{NAME}.c").write_text(source)
    (d / f"{NAME}.h").write_text(_header(total))
    (d / "main.c").write_text(HOST_MAIN)
    exe = d / "host"
    cmd = [str(toolchain.host_cc()), "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-fno-strict-aliasing",
           "-DPYCMSISNN_LAYER_DONE(i)=((void)0)", "-I", str(CSRC / "Include"), "-I", str(d),
           str(d / "main.c"), str(d / f"{NAME}.c"), *[str(CSRC / "Source" / s) for s in SOURCES],
           "-o", str(exe)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    host = np.frombuffer(subprocess.run([str(exe)], check=True, capture_output=True, timeout=60).stdout, dtype=np.int16)
    assert host.size == total and host[-1] == 0, "the host program failed"
    # the outputs spread over their ranges: a wrong path cannot pass by saturating
    assert len(np.unique(host)) > total // 3
    return d, total, host


@pytest.mark.parametrize("core", CORES)
def test_rnn_paths_match_host(program: tuple[Path, int, np.ndarray], core: str) -> None:
    project, total, host = program
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-rnn-") as tmp:
        work = Path(tmp) / "p"
        work.mkdir()
        for f in (f"{NAME}.c", f"{NAME}.h"):
            (work / f).write_text((project / f).read_text())
        result = targets.run_project(work, NAME, core, [np.zeros(1, np.int16)], cmsis_nn=CSRC, count_instructions=False)
    result.check()
    got = np.asarray(result.outputs[0]).reshape(-1)
    diff = np.flatnonzero(got != host)
    assert diff.size == 0, f"{core}: {diff.size} of {total} differ, first at {diff[:8].tolist()}"
