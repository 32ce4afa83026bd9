"""The host runtime: a lowered model executed through the kernel wrappers.

``load(path_or_bytes)`` reads and lowers a model; ``Model.run(inputs)`` runs
every kernel call in order on numpy arrays and returns the outputs (and, on
request, every tensor the run produced).

Persistent state. TFLite's variable tensors (``Tensor.is_variable``: SVDF's
activation state, LSTM's output and cell state) live across invokes: the
kernel that reads one updates it in place, and the next run sees the new
values, as in TensorFlow Lite Micro. A ``ModelState`` holds them (one array
per variable tensor, by tensor index), starting from TFLM's initial values:
zero (its zero point for an int8 tensor; TFLM ignores the tensor's buffer
data, and so do we). ``Model.run(inputs)`` uses and advances the model's own
state, under a lock, so one stateful model shared by threads runs one step at
a time (the order of the steps is the order the threads take the lock);
``Model.run(inputs, state=s)`` advances ``s`` instead, for independent
streams (``s = model.new_state()``; concurrent runs on distinct states proceed
in parallel; one state must not be run from two threads at once), and
``Model.reset()`` puts the model's own state back to its initial values.
Models without variable tensors have no state: nothing persists between
their runs and they run lock-free.

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

import threading
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


def initial_state_value(tensor: Tensor) -> np.ndarray:
    """The value a variable tensor starts from (and is reset to): TFLM's,
    zero, the zero point for int8."""
    fill = tensor.quant.zero_point if tensor.quant is not None and np.dtype(tensor.dtype) == np.int8 else 0
    return np.full(tensor.shape, fill, dtype=tensor.dtype)


def state_tensors(graph: Graph) -> list[Tensor]:
    """The variable (state) tensors of a graph, in index order."""
    return [t for t in graph.tensors if t.is_variable and not t.is_constant]


class ModelState:
    """The persistent tensors of one stream through a model: one array per
    variable tensor (``arrays[index]``), updated in place by each run."""

    def __init__(self, graph: Graph) -> None:
        self._tensors = state_tensors(graph)
        self.arrays: dict[int, np.ndarray] = {t.index: initial_state_value(t) for t in self._tensors}

    def reset(self) -> None:
        """Back to the initial values (in place: the arrays stay the same objects)."""
        for t in self._tensors:
            self.arrays[t.index][...] = initial_state_value(t)

    def copy(self) -> "ModelState":
        """An independent state with the same values."""
        other = object.__new__(ModelState)
        other._tensors = self._tensors
        other.arrays = {i: a.copy() for i, a in self.arrays.items()}
        return other

    def __len__(self) -> int:
        return len(self.arrays)


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
        # (An argument may be a list or tuple of them: LSTM's (hidden, cell) state, PACK's inputs.)
        self._dynamic = [[(a.index, a.shape) for a in _tensor_args(c.args.values())] for c in plan.calls]
        self._out_shapes = [[(o, self.graph.tensor(o).shape) for o in c.outputs] for c in plan.calls]
        self.state = ModelState(self.graph)  # the model's own state (empty for a stateless model)
        self._state_lock = threading.Lock()

    @property
    def stateful(self) -> bool:
        """True when the model has variable tensors that persist across runs."""
        return len(self.state) > 0

    def new_state(self) -> ModelState:
        """A fresh state (initial values) for an independent stream: ``run(x, state=s)``."""
        return ModelState(self.graph)

    def reset(self) -> None:
        """Put the model's own state back to its initial values."""
        with self._state_lock:
            self.state.reset()

    reset_state = reset

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

    def run(self, inputs: Any, *, intermediates: bool = False, state: ModelState | None = None) -> list[np.ndarray] | RunResult:
        """Run the model on ``inputs`` (an array, a list in model input order,
        or a dict by input name). Returns the outputs, or a ``RunResult`` with
        every tensor when ``intermediates`` is true (variable tensors as they
        are after the run). A stateful model advances ``state`` (from
        ``new_state()``), or its own state when None (under a lock)."""
        values = self._check_inputs(inputs)
        if state is not None:
            if not isinstance(state, ModelState) or set(state.arrays) != set(self.state.arrays):
                raise ArgError("state must be a ModelState of this model (from Model.new_state())")
            return self._run(values, intermediates, state)
        if not self.stateful:
            return self._run(values, intermediates, self.state)
        with self._state_lock:
            return self._run(values, intermediates, self.state)

    def _run(self, values: dict[int, np.ndarray], intermediates: bool, state: ModelState) -> list[np.ndarray] | RunResult:
        # The kernels write the state arrays themselves (bound calls too: their
        # dynamic pointers are taken from ``values`` on every replay).
        values.update(state.arrays)
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
        if not intermediates:
            return outputs
        for i in state.arrays:
            values[i] = values[i].copy()
        return RunResult(outputs, values)


def _tensor_args(values: Any) -> list[TensorArg]:
    """The activation arguments of a call in argument order, those in a list or tuple included."""
    found: list[TensorArg] = []
    for v in values:
        items = v if isinstance(v, (list, tuple)) else [v]
        found.extend(a for a in items if isinstance(a, TensorArg))
    return found


def load(source: str | Path | bytes) -> Model:
    """Read, check and lower a TFLite model; raises ``ModelError`` or
    ``UnsupportedModelError`` with the reasons when it cannot run."""
    return Model(lower(read_model(source, strict=False)))
