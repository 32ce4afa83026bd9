"""TensorFlow Lite Micro, the ground truth, behind one small adapter.

Needs the ``tflite-micro`` package (``pip install 'pycmsisnn[verify]'``).
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import CmsisNNError

ARENA_SIZE = 16 << 20


class ReferenceUnavailable(RuntimeError, CmsisNNError):
    """tflite-micro is not installed, or refused the model."""


def _runtime():  # noqa: ANN202 - the tflite_micro.runtime module
    try:
        from tflite_micro import runtime
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ReferenceUnavailable("TensorFlow Lite Micro is needed here: pip install 'pycmsisnn[verify]'") from exc
    return runtime


class TflmRunner:
    """One TFLM interpreter for a model, run as often as needed (reset between
    runs); with ``preserve`` every tensor can be read back after a run."""

    def __init__(self, model: bytes, *, preserve: bool = False, arena_size: int = ARENA_SIZE) -> None:
        rt = _runtime()
        config = rt.InterpreterConfig.kPreserveAllTensors if preserve else rt.InterpreterConfig.kAllocationRecording
        try:
            self._interp = rt.Interpreter.from_bytes(bytes(model), arena_size=arena_size, intrepreter_config=config)
        except Exception as exc:  # noqa: BLE001 - the binding raises plain RuntimeErrors
            raise ReferenceUnavailable(f"TensorFlow Lite Micro could not load the model: {exc}") from exc
        self.preserve = preserve

    def run(self, inputs: Sequence[np.ndarray], n_outputs: int) -> list[np.ndarray]:
        self._interp.reset()
        for i, x in enumerate(inputs):
            self._interp.set_input(np.ascontiguousarray(x), i)
        self._interp.invoke()
        return [np.array(self._interp.get_output(i)) for i in range(n_outputs)]

    def tensor(self, index: int) -> np.ndarray:
        """A tensor's data after ``run`` (needs ``preserve``)."""
        return np.array(self._interp.GetTensor(index, 0)["tensor_data"])


_ARENA_PROBE = """
import sys
import numpy as np
from tflite_micro import runtime as rt
interp = rt.Interpreter.from_bytes(open(sys.argv[1], "rb").read(), arena_size=int(sys.argv[2]),
                                   intrepreter_config=rt.InterpreterConfig.kAllocationRecording)
for i in range(int(sys.argv[3])):
    d = interp.get_input_details(i)
    interp.set_input(np.zeros(d["shape"], d["dtype"]), i)
interp.invoke()
interp.print_allocations()
"""


def tflm_arena_bytes(model: bytes, n_inputs: int = 1, arena_size: int = ARENA_SIZE, timeout: float = 120.0) -> tuple[int, int]:
    """(total, head) bytes of TFLM's arena for ``model``: its recording
    allocator's report after one invoke (the head holds activations and
    scratch, the tail persistent data). TFLM prints the report from C++, so
    it runs in a child process whose output is read back."""
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-tflm-") as tmp:
        path = Path(tmp) / "model.tflite"
        path.write_bytes(bytes(model))
        result = subprocess.run(
            [sys.executable, "-c", _ARENA_PROBE, str(path), str(arena_size), str(n_inputs)],
            capture_output=True, text=True, timeout=timeout,
        )
    printed = result.stdout + result.stderr
    total = re.search(r"Arena allocation total (\d+) bytes", printed)
    head = re.search(r"Arena allocation head (\d+) bytes", printed)
    if result.returncode != 0 or not total or not head:
        raise ReferenceUnavailable(f"TensorFlow Lite Micro gave no allocation report:\n{printed[-2000:]}")
    return int(total.group(1)), int(head.group(1))
