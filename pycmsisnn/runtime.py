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

A model is safe to run from several threads at once. A run takes a
``program.Program`` (a table: one buffer per activation tensor and, after its
first run recorded them through the kernel wrappers, every C call with its
arguments fixed, pointers into those buffers) from the model's pool, or starts
a new one, and puts it back when done. A program owns mutable memory (its
buffers and scratch), so it serves one run at a time: a single thread keeps
reusing one; N concurrent runs use N. The kernels run with the GIL released
(cffi API mode), so runs in different threads proceed in parallel.

Batches. ``Model.run_batch(inputs)`` takes N independent samples (each input
with a leading axis of N) and returns each output with a leading axis of N,
element for element what N calls of ``run`` give. A kernel whose C API takes
a batch (NHWC ``n``, fully-connected rows, softmax rows, elementwise size:
``batching.batched_call``) is called once for the whole batch, any other once
per sample, by a program of that batch size (pooled like the single ones).
Samples go in groups of at most ``batch_size`` (default ``BATCH_SIZE``, fewer
when one sample's tensors are large), shared by up to ``workers`` threads
(default: the CPU count; each group on its own program, in parallel since the
kernels release the GIL; the outputs are put back in sample order). A
stateful model is refused: its samples are steps of one sequence.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .errors import ArgError
from .ir import Graph, Tensor
from .kernels import lookup
from .lower import Plan, lower
from .program import Program
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
        self.state = ModelState(self.graph)  # the model's own state (empty for a stateless model)
        self._state_lock = threading.Lock()
        self._inputs = [self.graph.tensor(i) for i in self.graph.inputs]
        self._outputs = [self.graph.tensor(i) for i in self.graph.outputs]
        # Per input: (tensor, name, dtype, shape, size), for checking run after run.
        self._in_specs = [(t, t.name, np.dtype(t.dtype), tuple(t.shape), t.size) for t in self._inputs]
        # Free programs (tables of bound calls with their buffers, see
        # ``program.Program``), for single runs and per batch size. A program
        # is used by one run at a time (see the module docstring); list.pop and
        # list.append are atomic, so no lock is needed.
        self._tables: list[Program] = []
        self._batch_tables: dict[int, list[Program]] = {}

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
        return list(self._inputs)

    @property
    def outputs(self) -> list[Tensor]:
        return list(self._outputs)

    def _input_list(self, inputs: Any) -> Sequence[Any]:
        """``inputs`` (an array, a list in model input order or a dict by
        input name) as one entry per model input."""
        if isinstance(inputs, np.ndarray):
            inputs = [inputs]
        elif isinstance(inputs, (list, tuple)):
            pass
        elif isinstance(inputs, Mapping):
            by_name = {t.name: t for t in self._inputs}
            unknown = [k for k in inputs if k not in by_name]
            if unknown:
                raise ArgError(f"unknown input name(s) {unknown}; the model's inputs are {list(by_name)}")
            inputs = [inputs.get(t.name) for t in self._inputs]
        if not isinstance(inputs, Sequence) or len(inputs) != len(self._inputs):
            raise ArgError(f"the model takes {len(self._inputs)} input(s), got {len(inputs) if isinstance(inputs, Sequence) else type(inputs).__name__}")
        return inputs

    def _check_inputs(self, inputs: Any) -> list[np.ndarray]:
        """One array per model input, each of its tensor's shape."""
        values: list[np.ndarray] = []
        for (t, name, dtype, shape, size), x in zip(self._in_specs, self._input_list(inputs)):
            if not isinstance(x, np.ndarray):
                raise ArgError(f"input '{name}': must be a numpy array, got {type(x).__name__}")
            if x.dtype != dtype:
                raise ArgError(f"input '{name}': dtype {x.dtype.name}, the model takes {dtype.name}")
            if x.shape != shape:
                if x.size != size or x.ndim == len(shape):
                    raise ArgError(f"input '{name}': shape {list(x.shape)}, the model takes {list(shape)}")
                x = x.reshape(shape)
            values.append(x)
        return values

    def _check_batch(self, inputs: Any) -> tuple[list[np.ndarray], int]:
        """One array per model input, each of shape (N, *its tensor's shape), and N.
        An input whose tensor has batch 1 may also come as (N, *shape[1:])."""
        values: list[np.ndarray] = []
        count: int | None = None
        for (t, name, dtype, shape, size), x in zip(self._in_specs, self._input_list(inputs)):
            if not isinstance(x, np.ndarray):
                raise ArgError(f"input '{name}': must be a numpy array, got {type(x).__name__}")
            if x.dtype != dtype:
                raise ArgError(f"input '{name}': dtype {x.dtype.name}, the model takes {dtype.name}")
            n = x.shape[0] if x.ndim >= 1 else -1
            if n < 0 or (x.shape[1:] != shape and not (shape[:1] == (1,) and x.shape[1:] == shape[1:])):
                alt = f" or (N, {', '.join(map(str, shape[1:]))})" if shape[:1] == (1,) else ""
                raise ArgError(f"input '{name}': shape {list(x.shape)}, run_batch takes (N, {', '.join(map(str, shape))}){alt}: a leading sample axis")
            if count is not None and n != count:
                raise ArgError(f"input '{name}': {n} samples, the first input has {count}")
            count = n
            values.append(x.reshape((n, *shape)))
        return values, count or 0

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
        if not self.state.arrays:
            return self._run(values, intermediates, None)
        with self._state_lock:
            return self._run(values, intermediates, self.state)

    def _run(self, values: list[np.ndarray], intermediates: bool, state: ModelState | None) -> list[np.ndarray] | RunResult:
        # The kernels write the state arrays themselves (replayed calls too:
        # the program points them at ``state``'s arrays).
        tables = self._tables
        try:
            program = tables.pop()
        except IndexError:
            program = Program(self)
        program.run(values, state)  # a program whose first run failed is dropped
        try:
            got = program.values
            outputs = [got[i].copy() for i in self.graph.outputs]
            if not intermediates:
                return outputs
            return RunResult(outputs, {i: a.copy() for i, a in got.items()})
        finally:
            tables.append(program)

    def run_batch(self, inputs: Any, *, batch_size: int | None = None, workers: int | None = None) -> list[np.ndarray]:
        """Run N independent samples: ``inputs`` as for ``run`` (an array, a
        list in model input order or a dict by input name), each array with a
        leading sample axis of the same length N. Returns the outputs in model
        order, each with a leading axis of N: element for element, sample k is
        ``run`` of sample k. Kernels whose C API takes a batch run each layer
        once for up to ``batch_size`` samples (default: 64, fewer when one
        sample's tensors are large); the others once per sample. A stateful
        model is refused: its samples are steps of one sequence (``run`` them
        in order).

        ``workers`` threads (default: the CPUs this process may run on,
        ``default_workers()``) share the samples in contiguous groups, each
        group on its own program, when every worker gets at least
        ``MIN_SAMPLES_PER_WORKER`` samples (the kernels run with the GIL
        released, so the groups run in parallel); ``workers=1`` runs them all
        in the calling thread. The results do not depend on it."""
        if self.state.arrays:
            raise ArgError(
                "run_batch: the model has variable tensors (state that persists from run to run), so its samples "
                "are steps of one sequence, not independent: run them in order with run(x) (or run(x, state=s))"
            )
        if workers is None:
            workers = default_workers()
        elif isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ArgError(f"run_batch: workers must be a positive integer, got {workers!r}")
        xs, n = self._check_batch(inputs)
        chunk = self._chunk(n, batch_size)
        threads = max(1, min(workers, n // MIN_SAMPLES_PER_WORKER))
        if threads > 1:
            # Contiguous groups of at most `chunk` samples, at least one per thread.
            per = min(chunk, -(-n // threads))
        else:
            per = chunk
        groups = [(start, min(per, n - start)) for start in range(0, n, per)]
        if threads > 1 and len(groups) > 1:
            results = list(_executor(threads).map(lambda g: self._run_chunk([x[g[0]:g[0] + g[1]] for x in xs], g[1]), groups))
        else:
            results = [self._run_chunk([x[start:start + m] for x in xs], m) for start, m in groups]
        if not results:  # no samples
            return [np.empty((0, *t.shape), dtype=t.dtype) for t in self._outputs]
        outputs = [np.empty((n, *g.shape[1:]), dtype=g.dtype) for g in results[0]]
        for (start, m), got in zip(groups, results):
            for out, g in zip(outputs, got):
                out[start:start + m] = g
        return outputs

    def _chunk(self, n: int, batch_size: int | None) -> int:
        if batch_size is not None:
            if not isinstance(batch_size, int) or batch_size < 1:
                raise ArgError(f"run_batch: batch_size must be a positive integer, got {batch_size!r}")
            return batch_size
        per_sample = sum(t.nbytes for t in self._inputs) + sum(
            self.graph.tensor(o).size * np.dtype(self.graph.tensor(o).dtype).itemsize for c in self.plan.calls for o in c.outputs)
        return max(1, min(BATCH_SIZE, BATCH_BYTES // max(per_sample, 1), max(n, 1)))

    def _run_chunk(self, xs: list[np.ndarray], n: int) -> list[np.ndarray]:
        if n == 1:  # the single-run program: one sample needs no batched copy
            got = self._run([x[0] for x in xs], False, None)
            assert isinstance(got, list)
            return [g[np.newaxis] for g in got]
        pool = self._batch_tables.setdefault(n, [])
        try:
            program = pool.pop()
        except IndexError:
            if len(self._batch_tables) > MAX_BATCH_SIZES:  # keep the programs of a few batch sizes
                for size in [s for s in list(self._batch_tables) if s != n][: len(self._batch_tables) - MAX_BATCH_SIZES]:
                    self._batch_tables.pop(size, None)
            program = Program(self, n)
        program.run(xs, None)
        try:
            return [program.values[i].copy() for i in self.graph.outputs]
        finally:
            self._batch_tables.setdefault(n, []).append(program)


BATCH_SIZE = 64  # samples per kernel call in run_batch, at most
BATCH_BYTES = 64 << 20  # and at most this much activation memory per batched program
MAX_BATCH_SIZES = 4  # batch sizes whose programs a model keeps
MIN_SAMPLES_PER_WORKER = 8  # run_batch splits a batch over threads only above this many samples per thread


def default_workers() -> int:
    """run_batch's default number of threads: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_EXECUTOR: tuple[ThreadPoolExecutor, int] | None = None  # the pool and its number of threads
_EXECUTOR_LOCK = threading.Lock()


def _executor(threads: int) -> ThreadPoolExecutor:
    """A process-wide pool of at least ``threads`` worker threads (made on
    first use, replaced by a larger one when a call asks for more; the old
    one finishes what it was given)."""
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None or _EXECUTOR[1] < threads:
            old, _EXECUTOR = _EXECUTOR, (ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pycmsisnn-batch"), threads)
            if old is not None:
                old[0].shutdown(wait=False)
        return _EXECUTOR[0]


def load(source: str | Path | bytes) -> Model:
    """Read, check and lower a TFLite model; raises ``ModelError`` or
    ``UnsupportedModelError`` with the reasons when it cannot run."""
    return Model(lower(read_model(source, strict=False)))
