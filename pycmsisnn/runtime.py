"""The host runtime: a lowered model executed through the kernel wrappers.

``load(path_or_bytes)`` reads and lowers a model; ``Model.run(inputs)`` runs
every kernel call in order on numpy arrays and returns the outputs (and, on
request, every tensor the run produced). Nothing persists between runs.

A model is safe to run from several threads at once. After a call's first
run its C call is replayed from a table of ``BoundCall``s, and a bound call
owns mutable memory (its scratch buffers), so a table serves one run at a
time: ``run`` takes a free table from the model's pool (or starts a new one,
which records itself on its first run) and puts it back when done. A single
thread keeps reusing one table; N concurrent runs use N tables. The kernels
run with the GIL released (cffi API mode), so runs in different threads
proceed in parallel.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .errors import ArgError
from .ir import Graph, Tensor
from .kernels import lookup
from .kernels._binding import BoundCall, recording
from .lower import Plan, TensorArg, lower
from .tflite import read_model


@dataclass(frozen=True)
class RunResult:
    """Outputs in model order, and (when asked) every tensor by index."""

    outputs: list[np.ndarray]
    tensors: dict[int, np.ndarray]


class Model:
    """A model lowered to CMSIS-NN kernel calls, runnable on the host."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.graph: Graph = plan.graph
        self._fns: list[Callable[..., Any]] = [lookup(c.kernel) for c in plan.calls]
        # Free tables of bound calls: per call, after its first run in that table
        # (validated by its wrapper), its C call replayed directly. A table is
        # used by one run at a time (see the module docstring); list.pop and
        # list.append are atomic, so no lock is needed.
        self._tables: list[list[BoundCall | None]] = []
        # Per call: its activation arguments (tensor, view shape) and its outputs (tensor, shape).
        self._dynamic = [[(a.index, a.shape) for a in c.args.values() if isinstance(a, TensorArg)] for c in plan.calls]
        self._out_shapes = [[(o, self.graph.tensor(o).shape) for o in c.outputs] for c in plan.calls]

    @property
    def inputs(self) -> list[Tensor]:
        return [self.graph.tensor(i) for i in self.graph.inputs]

    @property
    def outputs(self) -> list[Tensor]:
        return [self.graph.tensor(i) for i in self.graph.outputs]

    def _check_inputs(self, inputs: Any) -> dict[int, np.ndarray]:
        if isinstance(inputs, np.ndarray):
            inputs = [inputs]
        if isinstance(inputs, Mapping):
            by_name = {t.name: t for t in self.inputs}
            unknown = [k for k in inputs if k not in by_name]
            if unknown:
                raise ArgError(f"unknown input name(s) {unknown}; the model's inputs are {list(by_name)}")
            inputs = [inputs.get(t.name) for t in self.inputs]
        if not isinstance(inputs, Sequence) or len(inputs) != len(self.inputs):
            raise ArgError(f"the model takes {len(self.inputs)} input(s), got {len(inputs) if isinstance(inputs, Sequence) else type(inputs).__name__}")
        values: dict[int, np.ndarray] = {}
        for t, x in zip(self.inputs, inputs):
            if not isinstance(x, np.ndarray):
                raise ArgError(f"input '{t.name}': must be a numpy array, got {type(x).__name__}")
            if x.dtype != t.dtype:
                raise ArgError(f"input '{t.name}': dtype {x.dtype.name}, the model takes {np.dtype(t.dtype).name}")
            if x.size != t.size or (x.shape != t.shape and x.ndim == len(t.shape)):
                raise ArgError(f"input '{t.name}': shape {list(x.shape)}, the model takes {list(t.shape)}")
            values[t.index] = np.ascontiguousarray(x).reshape(t.shape)
        return values

    def _resolve(self, value: Any, values: Mapping[int, np.ndarray]) -> Any:
        if isinstance(value, TensorArg):
            arr = values[value.index]
            return arr.reshape(value.shape) if value.shape is not None else arr
        if isinstance(value, (list, tuple)) and any(isinstance(v, TensorArg) for v in value):
            return [self._resolve(v, values) for v in value]
        return value

    def _execute(self, k: int, values: dict[int, np.ndarray], table: list[BoundCall | None]) -> None:
        dynamic = [values[i] if shape is None else values[i].reshape(shape) for i, shape in self._dynamic[k]]
        bound = table[k]
        if bound is not None:
            result: Any = bound(*dynamic)
        else:
            call = self.plan.calls[k]
            with recording(dynamic) as rec:
                result = self._fns[k](**{name: self._resolve(v, values) for name, v in call.args.items()})
            table[k] = rec.bound
        outputs = self._out_shapes[k]
        if len(outputs) == 1:
            index, shape = outputs[0]
            values[index] = np.asarray(result).reshape(shape)
            return
        for (index, shape), arr in zip(outputs, result):
            values[index] = np.asarray(arr).reshape(shape)

    def run(self, inputs: Any, *, intermediates: bool = False) -> list[np.ndarray] | RunResult:
        """Run the model on ``inputs`` (an array, a list in model input order,
        or a dict by input name). Returns the outputs, or a ``RunResult`` with
        every tensor when ``intermediates`` is true."""
        values = self._check_inputs(inputs)
        try:
            table = self._tables.pop()
        except IndexError:
            table = [None] * len(self.plan.calls)
        try:
            for k in range(len(table)):
                self._execute(k, values, table)
        finally:
            self._tables.append(table)
        outputs = [values[i].copy() for i in self.graph.outputs]
        return RunResult(outputs, values) if intermediates else outputs


def load(source: str | Path | bytes) -> Model:
    """Read, check and lower a TFLite model; raises ``ModelError`` or
    ``UnsupportedModelError`` with the reasons when it cannot run."""
    return Model(lower(read_model(source, strict=False)))
