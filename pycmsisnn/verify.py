"""Verification: the same inputs through TensorFlow Lite Micro and through our
host runtime, compared element for element, per output and per layer.

On a mismatch the report names the first layer whose output differs, the
element, both values, and the layer's derived kernel parameters.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .ir import Graph
from .reference import TflmRunner
from .runtime import Model, RunResult, load


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

    @property
    def exact(self) -> bool:
        return self.exact_samples == self.samples

    def to_json(self) -> str:
        return json.dumps(asdict(self) | {"exact": self.exact}, indent=2, default=str)


def random_inputs(graph: Graph, rng: np.random.Generator) -> list[np.ndarray]:
    """One random input per model input: full-range integers, or floats over
    the range the model's first QUANTIZE can represent."""
    out = []
    for i in graph.inputs:
        t = graph.tensor(i)
        if np.issubdtype(t.dtype, np.integer):
            info = np.iinfo(t.dtype)
            out.append(rng.integers(info.min, info.max + 1, size=t.shape, dtype=t.dtype))
        else:
            scale, zp = _float_input_range(graph, i)
            lo, hi = (-128 - zp) * scale, (127 - zp) * scale
            out.append(rng.uniform(lo, hi, size=t.shape).astype(t.dtype))
    return out


def _float_input_range(graph: Graph, index: int) -> tuple[float, int]:
    for op in graph.operators:
        if op.opcode == "QUANTIZE" and op.inputs and op.inputs[0] == index:
            q = graph.tensor(op.outputs[0]).quant
            if q is not None:
                return q.scale, q.zero_point
    return 1.0 / 64, 0


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


def _layer_parameters(model: Model, op_index: int) -> dict[str, str]:
    call = model.plan.calls[op_index]
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
                return LayerMismatch(call.op.index, call.op.opcode, call.reached, m, _layer_parameters(model, call.op.index))
    return None


def verify_host(source: str | Path | bytes, samples: int = 10, seed: int = 0) -> VerifyReport:
    """Run ``samples`` random inputs through TFLM and our host runtime."""
    data = Path(source).read_bytes() if not isinstance(source, (bytes, bytearray)) else bytes(source)
    model = load(data)
    graph = model.graph
    tflm = TflmRunner(data)
    name = str(source) if not isinstance(source, (bytes, bytearray)) else "<bytes>"
    report = VerifyReport(name, "host", samples, seed, 0)
    per_output = [0] * len(graph.outputs)
    rng = np.random.default_rng(seed)
    for s in range(samples):
        x = random_inputs(graph, rng)
        ours = model.run(x)
        assert isinstance(ours, list)
        ref = tflm.run(x, len(graph.outputs))
        diffs = [_first_diff(graph.tensor(i).name, o, r) for i, o, r in zip(graph.outputs, ours, ref)]
        for k, d in enumerate(diffs):
            per_output[k] += d is None
        if all(d is None for d in diffs):
            report.exact_samples += 1
            report.host_exact_samples += 1
        elif report.first_mismatch is None:
            result = model.run(x, intermediates=True)
            assert isinstance(result, RunResult)
            preserved = TflmRunner(data, preserve=True)
            preserved.run(x, len(graph.outputs))
            layer = first_layer_mismatch(model, result, preserved)
            first = next(d for d in diffs if d is not None)
            report.first_mismatch = {"sample": s, "where": "host", "output": asdict(first), "layer": asdict(layer) if layer else None}
    report.outputs = [{"name": graph.tensor(i).name, "exact_samples": n} for i, n in zip(graph.outputs, per_output)]
    return report


def _target_layer_mismatch(model: Model, core: str, x: list[np.ndarray]) -> LayerMismatch | None:
    """Rebuild with per-layer dumps, run ``x`` on the target and find the first
    layer whose output differs from the host's (which equals TFLM's)."""
    from .target_model import TargetModel

    host = model.run(x, intermediates=True)
    assert isinstance(host, RunResult)
    with TargetModel(model.plan, core, dump_layers=True) as tm:
        result = tm.run(x)
    for dump in result.layers:
        call = model.plan.calls[dump.layer]
        ours = host.tensors[dump.tensor]
        got = np.frombuffer(dump.data, dtype=ours.dtype).reshape(ours.shape)
        m = _first_diff(model.graph.tensor(dump.tensor).name, got, ours)
        if m is not None:
            return LayerMismatch(call.op.index, call.op.opcode, call.reached, m, _layer_parameters(model, call.op.index))
    return None


def verify_target(source: str | Path | bytes, target: str, samples: int = 5, seed: int = 0) -> VerifyReport:
    """TFLM, host and a Cortex-M core (generated C under QEMU) on ``samples``
    random inputs: every output compared exactly, three ways."""
    from .target_model import TargetModel

    data = Path(source).read_bytes() if not isinstance(source, (bytes, bytearray)) else bytes(source)
    model = load(data)
    graph = model.graph
    tflm = TflmRunner(data)
    name = str(source) if not isinstance(source, (bytes, bytearray)) else "<bytes>"
    report = VerifyReport(name, target, samples, seed, 0, target_exact_samples=0)
    per_output = [0] * len(graph.outputs)
    rng = np.random.default_rng(seed)
    with TargetModel(model.plan, target) as tm:
        ram = tm.report.ram
        for s in range(samples):
            x = random_inputs(graph, rng)
            ours = model.run(x)
            assert isinstance(ours, list)
            ref = tflm.run(x, len(graph.outputs))
            run = tm.run(x)
            tgt, ram = list(run.outputs), tm.ram(run)
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
                result = model.run(x, intermediates=True)
                assert isinstance(result, RunResult)
                preserved = TflmRunner(data, preserve=True)
                preserved.run(x, len(graph.outputs))
                layer = first_layer_mismatch(model, result, preserved)
                first = next(d for d in host_diffs if d is not None)
                where = "host"
            else:
                layer = _target_layer_mismatch(model, target, x)
                first = next(d for d in tgt_diffs if d is not None)
                where = "target"
            report.first_mismatch = {"sample": s, "where": where, "output": asdict(first), "layer": asdict(layer) if layer else None}
        report.target_info = {"flash_bytes": tm.build.sizes.flash if tm.build.sizes else tm.report.flash_bytes,
                              **ram.to_dict(), "ram": ram.describe()}
    report.outputs = [{"name": graph.tensor(i).name, "exact_samples": n} for i, n in zip(graph.outputs, per_output)]
    return report
