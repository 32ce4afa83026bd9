"""Generated projects compiled and run on the host with the system gcc.

The kernel library (the same files every project copies) is compiled once
per test session into a static library; each project's ``NAME.c`` is compiled
with ``-std=c99 -Wall -Wextra -Werror`` and linked with ``host_main.c``, a
fixture that reads input files, calls ``NAME_invoke`` and writes the outputs
(and, on request, every layer's output through ``PYCMSISNN_LAYER_DONE``).
"""
from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from pycmsisnn.codegen import ProjectReport, convert
from pycmsisnn.codegen.project import CSRC
from pycmsisnn.lower import Plan

HERE = Path(__file__).resolve().parent
MAIN_C = HERE / "host_main.c"
TIMEOUT_S = 120
MODEL_CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-fno-strict-aliasing"]
KERNEL_CFLAGS = ["-std=c99", "-O2", "-fno-strict-aliasing"]


def gcc() -> str:
    path = shutil.which("gcc")
    assert path, "the host C compiler gcc is needed for the code generation tests"
    return path


def run(cmd: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` under a timeout; fail the test with its output if it fails."""
    result = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def build_kernel_library(root: Path, library: Path = CSRC) -> Path:
    """``libkernels.a`` of every kernel source under ``library``, built in ``root``."""
    objs = root / "objs"
    objs.mkdir(parents=True, exist_ok=True)
    sources = sorted((library / "Source").rglob("*.c"))

    def compile_one(src: Path) -> Path:
        obj = objs / (src.stem + ".o")
        run([gcc(), *KERNEL_CFLAGS, "-I", str(library / "Include"), "-c", str(src), "-o", str(obj)])
        return obj

    with ThreadPoolExecutor(max_workers=2) as pool:
        objects = list(pool.map(compile_one, sources))
    lib = root / "libkernels.a"
    run(["ar", "rcs", str(lib), *map(str, objects)])
    return lib


@dataclass
class HostModel:
    """A generated project built into a host executable."""

    project: Path
    name: str
    exe: Path
    report: ProjectReport

    def run(self, inputs: Sequence[np.ndarray], outputs: Sequence[tuple[tuple[int, ...], np.dtype]], work: Path,
            layers: bool = False) -> tuple[list[np.ndarray], dict[int, bytes]]:
        """The outputs for ``inputs`` (and, with ``layers``, each layer's output bytes)."""
        work.mkdir(parents=True, exist_ok=True)
        args = [str(self.exe), str(len(inputs))]
        for i, x in enumerate(inputs):
            path = work / f"in{i}.bin"
            path.write_bytes(np.ascontiguousarray(x).tobytes())
            args.append(str(path))
        args.append(str(len(outputs)))
        for i, (shape, dtype) in enumerate(outputs):
            args.append(f"{work / f'out{i}.bin'}:{int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize}")
        layer_dir = work / "layers"
        if layers:
            layer_dir.mkdir(exist_ok=True)
            args.append(str(layer_dir))
        run(args)
        outs = [np.frombuffer((work / f"out{i}.bin").read_bytes(), dtype=dtype).reshape(shape) for i, (shape, dtype) in enumerate(outputs)]
        dumped = {int(p.stem.split("_")[1]): p.read_bytes() for p in layer_dir.glob("layer_*.bin")} if layers else {}
        return outs, dumped


def build_host_model(plan_or_model: object, root: Path, kernels: Path, *, name: str = "model", target: str = "cortex-m4",
                     layer_table: bool = False, **convert_args: object) -> HostModel:
    """Generate the project for ``target`` into ``root/project`` and build it for the host."""
    project = root / "project"
    report = convert(plan_or_model, project, target=target, name=name, measure_size=False, **convert_args)  # type: ignore[arg-type]
    defines = [f'-DMODEL_HEADER="{name}.h"', f"-DMODEL_INVOKE={name}_invoke"]
    if layer_table:
        defines += ["-DPYCMSISNN_TENSOR_TABLE", f"-DLAYER_TABLE={name}_layer_outputs", "-DPYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)"]
    includes = ["-I", str(project), "-I", str(project / "cmsis_nn" / "Include")]
    obj = root / f"{name}.o"
    run([gcc(), *MODEL_CFLAGS, *defines, *includes, "-c", str(project / f"{name}.c"), "-o", str(obj)])
    exe = root / "model_host"
    run([gcc(), "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", *defines, *includes, str(MAIN_C), str(obj), str(kernels), "-lm", "-o", str(exe)])
    return HostModel(project, name, exe, report)


def output_specs(plan: Plan) -> list[tuple[tuple[int, ...], np.dtype]]:
    g = plan.graph
    return [(tuple(g.tensor(i).shape), np.dtype(g.tensor(i).dtype)) for i in g.outputs]
