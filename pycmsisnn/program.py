"""A model's kernel calls as a replay program: the runtime's table.

A ``Program`` owns one buffer per activation tensor (the graph's inputs and
every call's outputs; a variable tensor lives in the run's ``ModelState``
instead) and, once its first run has recorded them, one step per C call:
the C function and its argument list with every pointer fixed, into those
buffers, the call's constants and its scratch. A run copies the inputs into
their buffers and calls the steps in order: no argument is validated, built
or looked up again (the wrappers validated them while recording), and the
outputs are copied out of the buffers.

The first run of a program goes through the kernel wrappers (``recording``,
see ``kernels._binding``), in order, storing each result in its buffer; a
wrapper whose C call could not be bound (it copied an input, called C more
than once, returns several arrays) stays a step that calls the wrapper on
views of the buffers.

A program for a batch of N samples (``batch=N``) holds N samples per tensor,
sample-major (``(N, *shape)``). A call that takes a batch
(``batching.batched_call``) is recorded once with the batch folded into its
views and replays as one C call; any other call is recorded on the first
sample and replays as N C calls, one per sample, each with its pointers into
that sample's buffers.

A program serves one run at a time (its buffers and scratch are written by
the run); ``runtime.Model`` keeps a pool of them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np

from ._lib import ffi
from .batching import batched_call
from .errors import ArgError, NoImplError, raise_for_status
from .kernels._binding import BoundCall, recording
from .lower import KernelCall, TensorArg

if TYPE_CHECKING:
    from .runtime import Model, ModelState

Step = tuple[Callable[..., Any], Sequence[Any], str]  # C function (or Python callable), its arguments, kernel name


def resolve(value: Any, values: Mapping[int, np.ndarray]) -> Any:
    """A call argument with its ``TensorArg``s replaced by their arrays."""
    if isinstance(value, TensorArg):
        arr = values[value.index]
        return arr.reshape(value.shape) if value.shape is not None else arr
    if isinstance(value, (list, tuple)) and any(isinstance(v, TensorArg) for v in value):
        return [resolve(v, values) for v in value]
    return value


def tensor_args(values: Any) -> list[TensorArg]:
    """The activation arguments of a call in argument order, those in a list
    or tuple included (LSTM's (hidden, cell) state, PACK's inputs)."""
    found: list[TensorArg] = []
    for v in values:
        items = v if isinstance(v, (list, tuple)) else [v]
        found.extend(a for a in items if isinstance(a, TensorArg))
    return found


def _dynamic(call: KernelCall, values: Mapping[int, np.ndarray]) -> list[tuple[int, np.ndarray]]:
    """The call's activation arguments: (tensor index, array as the wrapper gets it)."""
    return [(a.index, resolve(a, values)) for a in tensor_args(call.args.values())]


def _results(call: KernelCall, result: Any) -> list[np.ndarray]:
    if len(call.outputs) == 1:
        return [np.asarray(result)]
    return [np.asarray(r) for r in result]


class Program:
    """One table of a model: buffers and replay steps, for one sample
    (``batch=None``) or for ``batch`` samples at once."""

    def __init__(self, model: "Model", batch: int | None = None) -> None:
        self.model = model
        self.batch = batch
        self._lead: tuple[int, ...] = () if batch is None else (batch,)
        self._state_ids = frozenset(model.state.arrays)
        # Buffers of the graph inputs now; a call's outputs get theirs when the
        # call is recorded (the wrapper's result decides the dtype).
        self.values: dict[int, np.ndarray] = {}
        self._inputs: list[np.ndarray] = []
        for t in model.inputs:
            buf = np.empty(self._lead + tuple(t.shape), dtype=t.dtype)
            self.values[t.index] = buf
            self._inputs.append(buf)
        self.steps: list[Step] | None = None  # set once the first run has recorded every call
        self.bound: list[BoundCall | None] = [None] * len(model.plan.calls)  # per call, its recorded C call
        self.batched: list[bool] = [False] * len(model.plan.calls)  # per call: one C call for the whole batch
        # Arguments that point into a state array: (argument list, position, C type, view shape, tensor).
        self._state_slots: list[tuple[list[Any], int, Any, tuple[int, ...], int]] = []
        # Struct fields that point into a state array (LSTM's context): (struct, field, view shape, tensor),
        # and the buffers they were last pointed at (kept alive).
        self._state_fields: list[tuple[Any, str, tuple[int, ...], int]] = []
        self._field_buffers: list[Any] = []
        self._state: dict[int, np.ndarray] | None = None

    # list-like access to the recorded calls (one entry per call: its BoundCall or None)
    def __getitem__(self, k: int) -> BoundCall | None:
        return self.bound[k]

    def __len__(self) -> int:
        return len(self.bound)

    # ------------------------------------------------------------------ run

    def run(self, inputs: Sequence[np.ndarray], state: "ModelState | None" = None) -> None:
        """Run on ``inputs`` (one array per model input, each of its buffer's
        shape); the results are left in ``values``."""
        for buf, x in zip(self._inputs, inputs):
            np.copyto(buf, x)
        if self._state_ids:
            assert state is not None
            self._use_state(state)
        steps = self.steps
        if steps is None:
            self._record()
            return
        for fn, args, kernel in steps:
            status = fn(*args)
            if status:
                raise_for_status(kernel, int(status))

    def _use_state(self, state: "ModelState") -> None:
        arrays = state.arrays
        cached = self._state
        if cached is not None and all(arrays[i] is a for i, a in cached.items()):
            return
        for i, a in arrays.items():
            if not a.flags.c_contiguous:
                raise ArgError(f"state array of tensor {i} must be C-contiguous")
            self.values[i] = a
        for args, pos, ctype, shape, i in self._state_slots:
            args[pos] = ffi.from_buffer(ctype, arrays[i].reshape(shape))
        self._field_buffers = []
        for struct, name, shape, i in self._state_fields:
            self._field_buffers.append(ffi.from_buffer(arrays[i].reshape(shape)))
            setattr(struct, name, self._field_buffers[-1])
        self._state = dict(arrays)

    # ------------------------------------------------------------ recording

    def _record(self) -> None:
        steps: list[Step] = []
        for k in range(len(self.bound)):
            self._record_call(k, steps)
        self.steps = steps

    def _output_buffers(self, call: KernelCall, results: list[np.ndarray], per_sample: bool) -> None:
        """Allocate the buffers of ``call``'s outputs after their first result."""
        for o, r in zip(call.outputs, results):
            if o in self.values:
                continue
            t = self.model.graph.tensor(o)
            lead = self._lead
            expect = t.size * (1 if per_sample or not lead else lead[0])
            if r.size != expect:
                raise ArgError(f"{call.kernel}: output {t.name} has {r.size} elements, the model expects {expect}")
            self.values[o] = np.empty(lead + tuple(t.shape), dtype=r.dtype)

    @staticmethod
    def _store(dst: np.ndarray, result: np.ndarray, kernel: str) -> None:
        if result.size != dst.size:
            raise ArgError(f"{kernel}: result of {result.size} elements for a tensor of {dst.size}")
        np.copyto(dst, result.reshape(dst.shape), casting="no")

    def _bind(self, bound: BoundCall, dynamic: list[tuple[int, np.ndarray]], out: np.ndarray) -> list[Any] | None:
        """The bound call's arguments with every pointer into the buffers
        (None when its output cannot be the tensor's buffer)."""
        if bound.out_dtype != out.dtype or int(np.prod(bound.out_shape)) != out.size:
            return None
        if bound.field_slots and self.batch is not None:
            return None  # a struct shared by the samples' calls cannot point into each sample
        args = list(bound.args)
        for pos, k, ctype, _shape, _dtype in bound.slots:
            args[pos] = ffi.from_buffer(ctype, dynamic[k][1])
        for struct, name, k, _shape, _dtype in bound.field_slots:
            self._field_buffers.append(ffi.from_buffer(dynamic[k][1]))
            setattr(struct, name, self._field_buffers[-1])
        args[bound.out_pos] = ffi.from_buffer(bound.out_ctype, out)
        return args

    def _wrapper_samples(self, k: int, call: KernelCall, samples: range) -> None:
        """Call the wrapper once per sample of ``samples`` on that sample's buffers."""
        fn, values = self.model._fns[k], self.values
        inputs = call.tensor_inputs()
        for s in samples:
            sample = {i: values[i][s] for i in inputs}
            results = _results(call, fn(**{name: resolve(v, sample) for name, v in call.args.items()}))
            for o, r in zip(call.outputs, results):
                self._store(values[o][s], r, call.kernel)

    def _wrapper_step(self, k: int, call: KernelCall, samples: int | None) -> Step:
        """A step that calls the wrapper (a call that could not be bound):
        on the whole buffers (``samples`` None), or once per sample."""
        fn, values = self.model._fns[k], self.values

        def run_wrapper() -> None:
            if samples is not None:
                self._wrapper_samples(k, call, range(samples))
                return
            results = _results(call, fn(**{name: resolve(v, values) for name, v in call.args.items()}))
            for o, r in zip(call.outputs, results):
                self._store(values[o], r, call.kernel)

        return (run_wrapper, (), call.kernel)

    def _record_one(self, k: int, call: KernelCall, values: Mapping[int, np.ndarray],
                    per_sample: bool) -> tuple[BoundCall | None, list[tuple[int, np.ndarray]]]:
        """Call the wrapper of ``call`` on ``values`` while recording; store its
        results (in sample 0 when ``per_sample``)."""
        dynamic = _dynamic(call, values)
        with recording([a for _, a in dynamic]) as rec:
            result = self.model._fns[k](**{name: resolve(v, values) for name, v in call.args.items()})
        results = _results(call, result)
        self._output_buffers(call, results, per_sample)
        for o, r in zip(call.outputs, results):
            self._store(self.values[o][0] if per_sample else self.values[o], r, call.kernel)
        return rec.bound, dynamic

    def _record_call(self, k: int, steps: list[Step]) -> None:
        call = self.model.plan.calls[k]
        n = self.batch
        if n is None:
            self._record_whole(k, call, steps)
            return
        batched = batched_call(call, self.model.graph, n)
        if batched is not None:
            try:
                self._record_whole(k, batched, steps)
                self.batched[k] = True
                return
            except (ArgError, NoImplError):
                pass  # the wrapper does not take this batch: one call per sample
        self._record_per_sample(k, call, n, steps)

    def _record_whole(self, k: int, call: KernelCall, steps: list[Step]) -> None:
        bound, dynamic = self._record_one(k, call, self.values, per_sample=False)
        args = None
        if bound is not None and len(call.outputs) == 1:
            out = self.values[call.outputs[0]]
            args = self._bind(bound, dynamic, out)
        if bound is None or args is None:
            steps.append(self._wrapper_step(k, call, None))
            return
        self.bound[k] = bound
        steps.append((bound.fn, args, bound.kernel))
        for pos, kk, ctype, shape, _dtype in bound.slots:
            index = dynamic[kk][0]
            if index in self._state_ids:
                self._state_slots.append((args, pos, ctype, shape, index))
        for struct, name, kk, shape, _dtype in bound.field_slots:
            index = dynamic[kk][0]
            if index in self._state_ids:
                self._state_fields.append((struct, name, shape, index))

    def _record_per_sample(self, k: int, call: KernelCall, n: int, steps: list[Step]) -> None:
        inputs = call.tensor_inputs()
        first = {i: self.values[i][0] for i in inputs}
        bound, _ = self._record_one(k, call, first, per_sample=True)
        per_sample: list[list[Any]] = []
        if bound is not None and len(call.outputs) == 1:
            out = self.values[call.outputs[0]]
            for s in range(n):
                args = self._bind(bound, _dynamic(call, {i: self.values[i][s] for i in inputs}), out[s])
                if args is None:
                    per_sample = []
                    break
                per_sample.append(args)
        if bound is None or not per_sample:
            steps.append(self._wrapper_step(k, call, n))
            self._wrapper_samples(k, call, range(1, n))  # the rest of this first run
            return
        self.bound[k] = bound
        for s, args in enumerate(per_sample):
            steps.append((bound.fn, args, bound.kernel))
            if s > 0:  # sample 0 ran through the wrapper
                status = bound.fn(*args)
                if status:
                    raise_for_status(bound.kernel, int(status))
