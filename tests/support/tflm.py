"""TensorFlow Lite Micro, the ground truth: run a model on given inputs."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .model_view import output_count

ARENA_SIZE = 8 << 20


def run_tflm(model: bytes, inputs: Sequence[np.ndarray], arena_size: int = ARENA_SIZE) -> list[np.ndarray]:
    """All outputs of ``model`` for ``inputs`` (in model input order), as copies."""
    from tflite_micro import runtime

    interp = runtime.Interpreter.from_bytes(model, arena_size=arena_size)
    for i, x in enumerate(inputs):
        interp.set_input(np.ascontiguousarray(x), i)
    interp.invoke()
    return [np.array(interp.get_output(i)) for i in range(output_count(model))]
