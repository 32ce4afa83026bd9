"""Verification: the same inputs through TensorFlow Lite Micro and through our
host runtime, compared element for element, per output and per layer.

On a mismatch the report names the first layer whose output differs, the
element, both values, and the layer's derived kernel parameters.

The inputs are random (``samples`` of them, seeded) or the user's own
(``inputs=``, a ``pycmsisnn.samples.Samples``); with labels, the report also
gives the deployed model's top-1 accuracy.

The host runs a stateless model's samples in batches (``Model.run_batch``:
the same outputs as one ``run`` per sample, fewer calls).

A stateful model (variable tensors: SVDF, LSTM) takes the samples as one
sequence, in order: TFLM (one interpreter kept across the steps), the host
and the target all start from the reset state and carry their state from
step to step, and every step's outputs are compared.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .lower import KernelCall
from .progress import Progress
from .reference import TflmRunner
from .runtime import BATCH_SIZE, Model, RunResult, load
from .samples import RANDOM, Samples, random_inputs, random_samples, top1

__all__ = ["Accuracy", "VerifyReport", "random_inputs", "verify_host", "verify_target"]


@dataclass
class Mismatch:
    """The first differing element of a tensor."""

    tensor: str
    index: tuple[int, ...]
    ours: float
    reference: float
    count: int  # elements that differ in this tensor


@dataclass
class LayerMismatch:
    """The first layer whose output differs, with what it was lowered to."""

    op_index: int
    opcode: str
    kernel: str
    mismatch: Mismatch
    parameters: dict[str, str]


@dataclass(frozen=True)
class Accuracy:
    """Top-1 accuracy of the deployed model over the labelled samples."""

    top1: float
    samples: int


@dataclass
class VerifyReport:
    model: str
    target: str
    samples: int
    seed: int
    exact_samples: int  # samples where every output equals TFLM's (host, and target when there is one)
    outputs: list[dict[str, Any]] = field(default_factory=list)  # per output: name, exact samples
    first_mismatch: dict[str, Any] | None = None  # sample, output Mismatch, LayerMismatch, where ("host"/"target")
    host_exact_samples: int = 0
    target_exact_samples: int | None = None  # None on the host target
    target_info: dict[str, Any] | None = None  # flash and RAM (footprint.RamFigure) of the target build
    inputs: str = RANDOM  # "random", or the file the samples came from
    accuracy: Accuracy | None = None  # with labels: top-1 of the deployed outputs (target's on a core, else host's)

    @property
    def exact(self) -> bool:
        return self.exact_samples == self.samples

    def to_json(self) -> str:
        return json.dumps(asdict(self) | {"exact": self.exact}, indent=2, default=str)

    def to_text(self) -> str:
        """The report as ``pycmsisnn verify`` prints it."""
        name = self.model
        what = "random inputs" if self.inputs == "random" else f"samples of {self.inputs}"
        lines = []
        if self.target_exact_samples is None:
            lines.append(f"{name} on {self.target}: {self.exact_samples}/{self.samples} {what} bit-exact against TensorFlow Lite Micro")
        else:
            lines.append(
                f"{name}: TensorFlow Lite Micro == host == {self.target} on {self.exact_samples}/{self.samples} {what} "
                f"(host exact {self.host_exact_samples}, {self.target} exact {self.target_exact_samples})"
            )
            if self.target_info:
                info = self.target_info
                lines.append(f"  {self.target} build: flash {info['flash_bytes']:,} B, {info['ram']}")
        if self.accuracy is not None:
            acc = self.accuracy
            deployed = "host" if self.target_exact_samples is None else self.target
            agree = (("TensorFlow Lite Micro and host" if deployed == "host" else f"TensorFlow Lite Micro, host and {deployed}")
                     + " agree on every sample" if self.exact
                     else f"{deployed}'s predictions, which differ from TensorFlow Lite Micro's: see the mismatch")
            lines.append(f"  top-1 accuracy {acc.top1:.4f} ({round(acc.top1 * acc.samples)}/{acc.samples} labelled samples; {agree})")
        for o in self.outputs:
            lines.append(f"  output {o['name']}: {o['exact_samples']}/{self.samples} exact")
        m = self.first_mismatch
        if m:
            out = m["output"]
            lines.append(f"  first mismatch ({m.get('where', 'host')}): sample {m['sample']}, output {out['tensor']} element {tuple(out['index'])}: ours {out['ours']}, TFLite Micro {out['reference']} ({out['count']} elements differ)")
            layer = m["layer"]
            if layer:
                lm = layer["mismatch"]
                lines.append(f"  first differing layer: [{layer['op_index']}] {layer['opcode']} ({layer['kernel']}), tensor {lm['tensor']} element {tuple(lm['index'])}: ours {lm['ours']}, TFLite Micro {lm['reference']}")
                for k, v in layer["parameters"].items():
                    lines.append(f"      {k} = {v}")
        return "\n".join(lines)


def _first_diff(name: str, ours: np.ndarray, ref: np.ndarray) -> Mismatch | None:
    if ours.shape != ref.shape:
        ref = ref.reshape(ours.shape) if ref.size == ours.size else ref
    if ours.shape == ref.shape and np.array_equal(ours, ref):
        return None
    if ours.shape != ref.shape:
        return Mismatch(name, (), float("nan"), float("nan"), max(ours.size, ref.size))
    diff = np.argwhere(ours != ref)
    idx = tuple(int(v) for v in diff[0])
    return Mismatch(name, idx, ours[idx].item(), ref[idx].item(), int(len(diff)))


def _layer_parameters(call: KernelCall) -> dict[str, str]:
    params = {k: repr(v) for k, v in call.args.items() if not isinstance(v, np.ndarray) and type(v).__name__ != "TensorArg"}
    params["kernel"] = call.reached
    return params


def first_layer_mismatch(model: Model, result: RunResult, tflm: TflmRunner) -> LayerMismatch | None:
    """The first operator (in execution order) whose output differs from TFLM's."""
    for call in model.plan.calls:
        for index in call.outputs:
            t = model.graph.tensor(index)
            m = _first_diff(t.name, result.tensors[index], tflm.tensor(index))
            if m is not None:
                return LayerMismatch(call.op.index, call.op.opcode, call.reached, m, _layer_parameters(call))
    return None


def _samples(model: Model, count: int, seed: int, inputs: Samples | None) -> Samples:
    return inputs if inputs is not None else random_samples(model.graph, count, seed)


def _steps(count: int, desc: str, progress: Progress | None) -> Iterable[int]:
    return progress(range(count), count, desc) if progress is not None else range(count)


def _accuracy(samples: Samples, predictions: list[int]) -> Accuracy | None:
    if samples.labels is None:
        return None
    correct = int(np.sum(np.asarray(predictions) == samples.labels))
    return Accuracy(correct / len(predictions), len(predictions))


def _host_layer_mismatch(model: Model, data: bytes, steps: list[list[np.ndarray]]) -> LayerMismatch | None:
    """The first layer where the host differs from TFLM on the last of
    ``steps`` (a stateful model's sequence up to the differing step, both
    from the reset state; a stateless model's one input)."""
    state = model.new_state()
    with TflmRunner(data, preserve=True) as preserved:
        for k, x in enumerate(steps):
            result = model.run(x, intermediates=True, state=state)
            preserved.run(x, len(model.graph.outputs), reset=k == 0)
        assert isinstance(result, RunResult)
        return first_layer_mismatch(model, result, preserved)


def verify_host(source: str | Path | bytes, samples: int = 10, seed: int = 0, *,
                inputs: Samples | None = None, progress: Progress | None = None) -> VerifyReport:
    """Run ``samples`` random inputs (or the given ``inputs``) through TFLM
    and our host runtime; ``progress`` wraps the loop over samples."""
    data = Path(source).read_bytes() if not isinstance(source, (bytes, bytearray)) else bytes(source)
    model = load(data)
    graph = model.graph
    with TflmRunner(data) as tflm:
        name = str(source) if not isinstance(source, (bytes, bytearray)) else "<bytes>"
        batch = _samples(model, samples, seed, inputs)
        report = VerifyReport(name, "host", len(batch), seed, 0, inputs=batch.origin)
        per_output = [0] * len(graph.outputs)
        predictions: list[int] = []
        host = _HostRuns(model, batch)  # batched for a stateless model; a stateful model's samples are one sequence
        for s in _steps(len(batch), "verify on host", progress):
            x = batch.inputs(s)
            ours = host(s)
            ref = tflm.run(x, len(graph.outputs), reset=not model.stateful or s == 0)
            predictions.append(top1(ours[0]))
            diffs = [_first_diff(graph.tensor(i).name, o, r) for i, o, r in zip(graph.outputs, ours, ref)]
            for k, d in enumerate(diffs):
                per_output[k] += d is None
            if all(d is None for d in diffs):
                report.exact_samples += 1
                report.host_exact_samples += 1
            elif report.first_mismatch is None:
                layer = _host_layer_mismatch(model, data, _history(model, batch, s))
                first = next(d for d in diffs if d is not None)
                report.first_mismatch = {"sample": s, "where": "host", "output": asdict(first), "layer": asdict(layer) if layer else None}
    report.outputs = [{"name": graph.tensor(i).name, "exact_samples": n} for i, n in zip(graph.outputs, per_output)]
    report.accuracy = _accuracy(batch, predictions)
    return report


class _HostRuns:
    """The host's outputs, sample by sample in order: a stateless model's from
    ``run_batch`` a group of samples at a time, a stateful model's from ``run``
    step by step (its samples are one sequence, from the reset state)."""

    def __init__(self, model: Model, samples: Samples, group: int = BATCH_SIZE) -> None:
        self.model, self.samples, self.group = model, samples, group
        self.state = model.new_state()
        self._start, self._outputs = 0, [np.empty((0,))]  # outputs of samples _start.. of the current group

    def __call__(self, s: int) -> list[np.ndarray]:
        if self.model.stateful:
            ours = self.model.run(self.samples.inputs(s), state=self.state)
            assert isinstance(ours, list)
            return ours
        if not self._start <= s < self._start + len(self._outputs[0]):
            self._start = s
            self._outputs = self.model.run_batch([a[s:s + self.group] for a in self.samples.arrays])
        return [o[s - self._start] for o in self._outputs]


def _history(model: Model, batch: Samples, s: int) -> list[list[np.ndarray]]:
    """The inputs that lead to step ``s``: all steps up to it for a stateful model, else its own."""
    return [batch.inputs(k) for k in range(s + 1)] if model.stateful else [batch.inputs(s)]


def _target_layer_mismatch(model: Model, core: str, steps: list[list[np.ndarray]],
                           cmsis_nn: str | Path | None = None, arena_limit: int | None = None) -> LayerMismatch | None:
    """Rebuild with per-layer dumps, run ``steps`` on the target (a stateful
    model's sequence, the state carried) and find the first layer of the
    last step whose output differs from the host's (which equals TFLM's)."""
    from .target_model import TargetModel

    state = model.new_state()
    with TargetModel(model.plan, core, dump_layers=True, cmsis_nn=cmsis_nn, arena_limit=arena_limit) as tm:
        target_state = tm.initial_state()
        for x in steps:
            host = model.run(x, intermediates=True, state=state)
            result = tm.run(x, state=target_state)
            target_state = result.state
    assert isinstance(host, RunResult)
    for dump in result.layers:
        call = model.plan.calls[dump.layer]
        ours = host.tensors[dump.tensor]
        got = np.frombuffer(dump.data, dtype=ours.dtype).reshape(ours.shape)
        m = _first_diff(model.graph.tensor(dump.tensor).name, got, ours)
        if m is not None:
            return LayerMismatch(call.op.index, call.op.opcode, call.reached, m, _layer_parameters(call))
    return None


def verify_target(source: str | Path | bytes, target: str, samples: int = 5, seed: int = 0, *,
                  inputs: Samples | None = None, progress: Progress | None = None,
                  cmsis_nn: str | Path | None = None, arena_limit: int | None = None) -> VerifyReport:
    """TFLM, host and a Cortex-M core (generated C under QEMU) on ``samples``
    random inputs (or the given ``inputs``): every output compared exactly,
    three ways; ``progress`` wraps the loop over samples. ``cmsis_nn``: build
    the target against Arm's CMSIS-NN checkout at that path instead of ours.
    ``arena_limit``: the arena bytes the generated C may take (see
    ``pycmsisnn.memory.plan_arena``)."""
    from .target_model import TargetModel

    data = Path(source).read_bytes() if not isinstance(source, (bytes, bytearray)) else bytes(source)
    model = load(data)
    graph = model.graph
    with TflmRunner(data) as tflm:
        name = str(source) if not isinstance(source, (bytes, bytearray)) else "<bytes>"
        batch = _samples(model, samples, seed, inputs)
        report = VerifyReport(name, target, len(batch), seed, 0, target_exact_samples=0, inputs=batch.origin)
        per_output = [0] * len(graph.outputs)
        predictions: list[int] = []
        with TargetModel(model.plan, target, cmsis_nn=cmsis_nn, arena_limit=arena_limit) as tm:
            ram = tm.report.ram
            host, target_state = _HostRuns(model, batch), tm.initial_state()  # a stateful model's samples are one sequence
            for s in _steps(len(batch), f"verify on {target}", progress):
                x = batch.inputs(s)
                ours = host(s)
                ref = tflm.run(x, len(graph.outputs), reset=not model.stateful or s == 0)
                run = tm.run(x, state=target_state)
                target_state = run.state
                tgt, ram = list(run.outputs), tm.ram(run)
                predictions.append(top1(tgt[0]))
                host_diffs = [_first_diff(graph.tensor(i).name, o, r) for i, o, r in zip(graph.outputs, ours, ref)]
                tgt_diffs = [_first_diff(graph.tensor(i).name, t.reshape(r.shape), r) for i, t, r in zip(graph.outputs, tgt, ref)]
                for k, (h, t) in enumerate(zip(host_diffs, tgt_diffs)):
                    per_output[k] += h is None and t is None
                host_ok, tgt_ok = all(d is None for d in host_diffs), all(d is None for d in tgt_diffs)
                report.host_exact_samples += host_ok
                report.target_exact_samples = (report.target_exact_samples or 0) + tgt_ok
                report.exact_samples += host_ok and tgt_ok
                if (host_ok and tgt_ok) or report.first_mismatch is not None:
                    continue
                if not host_ok:
                    layer = _host_layer_mismatch(model, data, _history(model, batch, s))
                    first = next(d for d in host_diffs if d is not None)
                    where = "host"
                else:
                    layer = _target_layer_mismatch(model, target, _history(model, batch, s), cmsis_nn, arena_limit)
                    first = next(d for d in tgt_diffs if d is not None)
                    where = "target"
                report.first_mismatch = {"sample": s, "where": where, "output": asdict(first), "layer": asdict(layer) if layer else None}
            report.target_info = {"flash_bytes": tm.build.sizes.flash if tm.build.sizes else tm.report.flash_bytes,
                                  **ram.to_dict(), "ram": ram.describe()}
    report.outputs = [{"name": graph.tensor(i).name, "exact_samples": n} for i, n in zip(graph.outputs, per_output)]
    report.accuracy = _accuracy(batch, predictions)
    return report
