"""TensorFlow Lite Micro, the ground truth: run a model on given inputs."""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .model_view import input_names, output_count

ARENA_SIZE = 8 << 20


def run_tflm(model: bytes, inputs: Sequence[np.ndarray], arena_size: int = ARENA_SIZE) -> list[np.ndarray]:
    """All outputs of ``model`` for ``inputs``, as copies.

    ``inputs`` are in the order of the Keras inputs (``input_0``, ``input_1``,
    ... as named by ``build_model``); other models take them in model order.
    """
    from tflite_micro import runtime

    interp = runtime.Interpreter.from_bytes(model, arena_size=arena_size)
    for slot, keras_index in enumerate(keras_order(input_names(model))):
        interp.set_input(np.ascontiguousarray(inputs[keras_index]), slot)
    interp.invoke()
    return [np.array(interp.get_output(i)) for i in range(output_count(model))]


def keras_order(names: Sequence[str]) -> list[int]:
    """For each model input slot, the index of the Keras input it holds."""
    found = [re.search(r"input_(\d+)", n) for n in names]
    if all(found) and sorted(int(m.group(1)) for m in found) == list(range(len(names))):  # type: ignore[union-attr]
        return [int(m.group(1)) for m in found]  # type: ignore[union-attr]
    return list(range(len(names)))
