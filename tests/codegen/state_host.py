"""A generated stateful model compiled for the host and run over a sequence of
steps in one process (``state_main.c``): the state lives in ``NAME_state``
between invokes, ``NAME_reset`` restarts it."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from pycmsisnn.codegen import convert

from .host import MODEL_CFLAGS, gcc, run

STATE_MAIN_C = Path(__file__).resolve().parent / "state_main.c"


def build_state_runner(plan_or_model: object, root: Path, kernels: Path, *, name: str = "model",
                       target: str = "cortex-m4") -> Path:
    """The executable of ``state_main.c`` for the generated project."""
    project = root / "project"
    convert(plan_or_model, project, target=target, name=name, measure_size=False)
    defines = [f'-DMODEL_HEADER="{name}.h"', f"-DMODEL_INVOKE={name}_invoke", f"-DMODEL_RESET={name}_reset",
               f"-DIN_SIZE={name}_INPUT0_SIZE", f"-DOUT_SIZE={name}_OUTPUT0_SIZE"]
    includes = ["-I", str(project), "-I", str(project / "cmsis_nn" / "Include")]
    obj = root / f"{name}.o"
    run([gcc(), *MODEL_CFLAGS, *includes, "-c", str(project / f"{name}.c"), "-o", str(obj)])
    exe = root / "state_runner"
    run([gcc(), "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", *defines, *includes, str(STATE_MAIN_C), str(obj),
         str(kernels), "-lm", "-o", str(exe)])
    return exe


def run_sequence(exe: Path, steps: Sequence[np.ndarray], out_shape: tuple[int, ...], out_dtype: type, work: Path,
                 reset_at: int = -1) -> list[np.ndarray]:
    """The outputs of every step, in order (``reset_at``: reset before that step)."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "in.bin").write_bytes(b"".join(np.ascontiguousarray(x).tobytes() for x in steps))
    run([str(exe), str(len(steps)), str(reset_at), str(work / "in.bin"), str(work / "out.bin")])
    data = np.frombuffer((work / "out.bin").read_bytes(), dtype=out_dtype)
    return list(data.reshape(len(steps), *out_shape))
