"""Hand-written target projects of int8 broadcasting kernel calls:
arm_maximum_s8, arm_minimum_s8 and pycmsisnn_broadcast_{add,sub,mul}_s8,
several calls in one project, with their random data and the host's result.

Used by the QEMU tests of the DSP/MVE run loops
(tests/target/test_broadcast_paths.py) and by the instruction benchmark
(benchmarks/broadcast_qemu.py). A project has one int8 input (every call's
two inputs, concatenated) and one int8 output (every call's output,
concatenated), and marks PYCMSISNN_LAYER_DONE(i) after call i, so
``targets.run_project(dir, NAME, core, [blob])`` returns every output and the
instructions of every call.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from pycmsisnn import targets
from pycmsisnn._lib import ffi, lib
from pycmsisnn.params import Activation
from pycmsisnn.quant import add_params, mul_params

NAME = "layer"
OPS = ("max", "min", "add", "sub", "mul")
Shape = tuple[int, int, int, int]
INT32_MIN = -(1 << 31)


@dataclass(frozen=True)
class Call:
    """One kernel call: ``op`` one of OPS, the two input shapes (NHWC, each
    dimension the output's or 1) and, for add/sub (12 values) and mul (7),
    the parameter struct's fields in declaration order, the clamp last."""

    op: str
    in1: Shape
    in2: Shape
    params: tuple[int, ...] = ()

    @property
    def out(self) -> Shape:
        return tuple(max(a, b) for a, b in zip(self.in1, self.in2))  # type: ignore[return-value]


def add_struct(scales: Sequence[float], zero_points: Sequence[int], act: tuple[int, int] = (-128, 127)) -> tuple[int, ...]:
    """pycmsisnn_add_params of TFLite's int8 ADD (also used for SUB) for
    (input 1, input 2, output) scales and zero points."""
    p = add_params(scales[0], zero_points[0], scales[1], zero_points[1], scales[2], zero_points[2], Activation(*act))
    return (p.input_1_offset, p.input_1_mult, p.input_1_shift, p.input_2_offset, p.input_2_mult, p.input_2_shift,
            p.left_shift, p.out_offset, p.out_mult, p.out_shift, p.out_activation_min, p.out_activation_max)


def mul_struct(scales: Sequence[float], zero_points: Sequence[int], act: tuple[int, int] = (-128, 127)) -> tuple[int, ...]:
    """pycmsisnn_mul_params of TFLite's int8 MUL."""
    p = mul_params(scales[0], zero_points[0], scales[1], zero_points[1], scales[2], zero_points[2], Activation(*act))
    return (p.input_1_offset, p.input_2_offset, p.out_offset, p.out_mult, p.out_shift,
            p.out_activation_min, p.out_activation_max)


def call_data(call: Call, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random int8 inputs, the int8 ends among the first values (a single
    value, a broadcast scalar, stays within [-60, 60] so that maximum and
    minimum against it keep a spread)."""
    x1 = rng.integers(-128, 128, size=call.in1).astype(np.int8)
    x2 = rng.integers(-128, 128, size=call.in2).astype(np.int8)
    for x, ends in ((x1, (-128, 127, 127)), (x2, (127, -128, 127))):
        flat = x.reshape(-1)
        if flat.size == 1:
            flat[0] = rng.integers(-60, 61)
        else:
            k = min(flat.size, 3)
            flat[:k] = ends[:k]
    return x1, x2


def _dims(shape: Sequence[int]) -> str:
    return "{" + ", ".join(map(str, shape)) + "}"


def _c_int(v: int) -> str:
    return "(int32_t)0x80000000" if v == INT32_MIN else str(v)


def _struct(call: Call) -> str:
    p = [_c_int(v) for v in call.params]
    if call.op in ("add", "sub"):
        return "{" + ", ".join(p[:10]) + ", {" + p[10] + ", " + p[11] + "}}"
    return "{" + ", ".join(p[:5]) + ", {" + p[5] + ", " + p[6] + "}}"


def host(call: Call, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The host build's output (the portable C, exact against TFLite Micro)."""
    out = np.empty(call.out, dtype=np.int8)
    d1, d2, do = (ffi.new("cmsis_nn_dims *", dict(zip("nhwc", s))) for s in (call.in1, call.in2, call.out))
    a, b, o = (ffi.from_buffer("int8_t[]", v) for v in (x1, x2, out))
    if call.op in ("max", "min"):
        fn = lib.arm_maximum_s8 if call.op == "max" else lib.arm_minimum_s8
        status = fn(ffi.NULL, a, d1, b, d2, o, do)
    elif call.op in ("add", "sub"):
        v = call.params
        p = ffi.new("pycmsisnn_add_params *", {
            "input_1_offset": v[0], "input_1_mult": v[1], "input_1_shift": v[2], "input_2_offset": v[3],
            "input_2_mult": v[4], "input_2_shift": v[5], "left_shift": v[6], "output_offset": v[7],
            "output_mult": v[8], "output_shift": v[9], "activation": {"min": v[10], "max": v[11]}})
        fn = lib.pycmsisnn_broadcast_add_s8 if call.op == "add" else lib.pycmsisnn_broadcast_sub_s8
        status = fn(p, d1, a, d2, b, do, o)
    else:
        v = call.params
        p = ffi.new("pycmsisnn_mul_params *", {
            "input_1_offset": v[0], "input_2_offset": v[1], "output_offset": v[2], "output_mult": v[3],
            "output_shift": v[4], "activation": {"min": v[5], "max": v[6]}})
        status = lib.pycmsisnn_broadcast_mul_s8(p, d1, a, d2, b, do, o)
    assert status == 0, f"{call}: status {status}"
    return out


def _statement(call: Call, i: int, off1: int, off2: int, off_out: int) -> str:
    in1, in2, out = f"in + {off1}", f"in + {off2}", f"out + {off_out}"
    lines = [
        "    {\n",
        f"        const cmsis_nn_dims d1 = {_dims(call.in1)};\n",
        f"        const cmsis_nn_dims d2 = {_dims(call.in2)};\n",
        f"        const cmsis_nn_dims dout = {_dims(call.out)};\n",
    ]
    if call.op in ("max", "min"):
        fn = "arm_maximum_s8" if call.op == "max" else "arm_minimum_s8"
        lines.append(f"        s = {fn}(NULL, {in1}, &d1, {in2}, &d2, {out}, &dout);\n")
    else:
        ptype = "pycmsisnn_mul_params" if call.op == "mul" else "pycmsisnn_add_params"
        lines.append(f"        static const {ptype} p = {_struct(call)};\n")
        lines.append(f"        s = pycmsisnn_broadcast_{call.op}_s8(&p, &d1, {in1}, &d2, {in2}, &dout, {out});\n")
    lines += [f"        PYCMSISNN_LAYER_DONE({i});\n", "        if (s != ARM_CMSIS_NN_SUCCESS) return s;\n", "    }\n"]
    return "".join(lines)


@dataclass(frozen=True)
class Project:
    """NAME.h, NAME.c, the input blob and where each call's output lies."""

    header: str
    source: str
    blob: np.ndarray
    outputs: tuple[tuple[int, int], ...]  # (offset, size) in the output blob


def project(calls: Sequence[Call], data: Sequence[tuple[np.ndarray, np.ndarray]]) -> Project:
    """One project calling every kernel of ``calls`` in turn on ``data``."""
    chunks: list[np.ndarray] = []
    body: list[str] = []
    outputs: list[tuple[int, int]] = []
    pos = 0
    out_pos = 0
    for i, (call, (x1, x2)) in enumerate(zip(calls, data)):
        off1, off2 = pos, pos + x1.size
        pos += x1.size + x2.size
        chunks += [x1.reshape(-1), x2.reshape(-1)]
        size = int(np.prod(call.out))
        body.append(_statement(call, i, off1, off2, out_pos))
        outputs.append((out_pos, size))
        out_pos += size
    blob = np.concatenate(chunks).astype(np.int8)
    header = (
        "#ifndef LAYER_H\n#define LAYER_H\n#include \"arm_nn_types.h\"\n"
        f"#define {NAME}_INPUT_COUNT 1\n#define {NAME}_OUTPUT_COUNT 1\n"
        f"#define {NAME}_INPUT0_SIZE {blob.size}\n#define {NAME}_INPUT0_DIMS {{{blob.size}}}\n"
        f"#define {NAME}_INPUT0_TYPE int8_t\n"
        f"#define {NAME}_OUTPUT0_SIZE {out_pos}\n#define {NAME}_OUTPUT0_DIMS {{{out_pos}}}\n"
        f"#define {NAME}_OUTPUT0_TYPE int8_t\n"
        f"#define {NAME}_ARENA_SIZE 16\n#define {NAME}_LAYER_COUNT {len(calls)}\n"
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[]);\n#endif\n"
    )
    source = "".join([
        "#include <stddef.h>\n#include \"arm_nnfunctions.h\"\n#include \"pycmsisnn_tensor_ops.h\"\n",
        f"#include \"{NAME}.h\"\n",
        f"arm_cmsis_nn_status {NAME}_invoke(const void *const inputs[], void *const outputs[])\n{{\n",
        "    const int8_t *in = (const int8_t *)inputs[0];\n    int8_t *out = (int8_t *)outputs[0];\n",
        "    arm_cmsis_nn_status s = ARM_CMSIS_NN_SUCCESS;\n",
        *body,
        "    return s;\n}\n",
    ])
    return Project(header, source, blob, tuple(outputs))


def run(proj: Project, core: str, library: Path, count_instructions: bool = False) -> targets.TargetResult:
    """Build ``proj`` against ``library`` (a kernel library root) and run it under QEMU."""
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-bcast-") as tmp:
        d = Path(tmp)
        (d / f"{NAME}.h").write_text(proj.header)
        (d / f"{NAME}.c").write_text(proj.source)
        result = targets.run_project(d, NAME, core, [proj.blob], cmsis_nn=library,
                                     count_instructions=count_instructions)
    result.check()
    return result


def split(proj: Project, result: targets.TargetResult) -> list[np.ndarray]:
    """Every call's output from a run."""
    flat = np.asarray(result.outputs[0]).reshape(-1)
    return [flat[o:o + n] for o, n in proj.outputs]
