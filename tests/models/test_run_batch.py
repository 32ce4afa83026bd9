"""``Model.run_batch``: N samples in one call, element for element what N
single runs give (batched kernel calls where the C API takes a batch, one call
per sample elsewhere); stateful models refused; safe from several threads."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from pycmsisnn import verify
from pycmsisnn.errors import ArgError
from pycmsisnn.runtime import Model, load
from pycmsisnn.samples import random_samples

from ..support import mlperf_tiny
from ..support.svdf_models import ModelBuilder
from ..support.tflite_build import build_model, tf
from .test_generated import BLOCKS_16X8, BLOCKS_V2, network


def _singles(data: bytes, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Each output of N single runs on a separately loaded model, stacked."""
    model = load(data)
    runs = [model.run([a[k] for a in arrays]) for k in range(len(arrays[0]))]
    return [np.stack([r[o] for r in runs]) for o in range(len(model.outputs))]


def _check(data: bytes, n: int, seed: int = 0, **kwargs: Any) -> Model:
    model = load(data)
    arrays = list(random_samples(model.graph, n, seed).arrays)
    expected = _singles(data, arrays)
    for _ in range(2):  # the first run records the batched program, the second replays it
        got = model.run_batch(arrays, **kwargs)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g.shape == e.shape and g.dtype == e.dtype
            np.testing.assert_array_equal(g, e)
    return model


@pytest.mark.parametrize("scheme", mlperf_tiny.SCHEMES)
@pytest.mark.parametrize("arch", mlperf_tiny.ARCHITECTURES)
def test_mlperf_tiny_batch_equals_single_runs(arch: str, scheme: str) -> None:
    model = _check(mlperf_tiny.built(arch, scheme), 7)
    program = model._batch_tables[7][0]
    if scheme == "int8":
        # every layer's C call recorded; the fully connected layers take the whole batch at once
        assert all(b is not None for b in program.bound), [c.kernel for c, b in zip(model.plan.calls, program.bound) if b is None]
        fc = [k for k, c in enumerate(model.plan.calls) if c.kernel == "arm_fully_connected_wrapper_s8"]
        assert fc and all(program.batched[k] for k in fc)
        assert program.steps is not None and len(program.steps) < 7 * len(model.plan.calls)


@pytest.mark.parametrize("arch", ["kws01", "ad01"])
def test_one_sample_and_groups(arch: str) -> None:
    data = mlperf_tiny.built(arch)
    _check(data, 1)
    _check(data, 7, seed=1, batch_size=3)  # groups of 3, 3 and 1


@pytest.mark.parametrize("seed", [0, 3, 5, 9])
def test_generated_networks(seed: int) -> None:
    make, shape = network(seed)
    _check(build_model(f"generated-network-v1-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0)), 7, seed)


@pytest.mark.parametrize("seed", [100, 101, 104, 107])
def test_generated_networks_with_all_operators(seed: int) -> None:
    """Concatenation, padding, MEAN, broadcast MUL, slicing: calls that run once per sample."""
    make, shape = network(seed, BLOCKS_V2)
    _check(build_model(f"generated-network-v2-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0)), 7, seed)


@pytest.mark.parametrize("seed", [200, 203])
def test_generated_16x8_networks(seed: int) -> None:
    make, shape = network(seed, BLOCKS_16X8)
    data = build_model(f"generated-network-16x8-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0), int16x8=True)
    _check(data, 7, seed)


def _two_in_two_out() -> bytes:
    def make(inputs: list) -> Any:
        L = tf().keras.layers
        a, b = inputs
        s = L.Add()([a, b])
        y = L.Conv2D(4, 3, padding="same", activation="relu")(s)
        z = L.Dense(5)(L.Flatten()(L.MaxPooling2D(2)(a)))
        return [L.Softmax()(z), y]

    return build_model("run-batch-two-inputs-two-outputs", make, [(1, 6, 6, 3), (1, 6, 6, 3)], seed=7)


def test_several_inputs_and_outputs() -> None:
    data = _two_in_two_out()
    model = _check(data, 7)
    assert len(model.inputs) == 2 and len(model.outputs) == 2
    arrays = list(random_samples(model.graph, 4, 2).arrays)
    by_name = model.run_batch({t.name: a for t, a in zip(model.inputs, arrays)})
    for g, e in zip(by_name, _singles(data, arrays)):
        np.testing.assert_array_equal(g, e)


def test_input_checks_and_empty_batch() -> None:
    data = _two_in_two_out()
    model = load(data)
    a, b = random_samples(model.graph, 3, 0).arrays
    with pytest.raises(ArgError, match="samples, the first input has 3"):
        model.run_batch([a, b[:2]])
    with pytest.raises(ArgError, match="leading sample axis"):
        model.run_batch([a[0, 0], b[0, 0]])
    with pytest.raises(ArgError, match="dtype"):
        model.run_batch([a.astype(np.int16), b])
    with pytest.raises(ArgError, match="batch_size"):
        model.run_batch([a, b], batch_size=0)
    empty = model.run_batch([a[:0], b[:0]])
    assert [e.shape for e in empty] == [(0, *t.shape) for t in model.outputs]
    # the batch of a model whose input has batch 1 may leave that axis out
    flat = model.run_batch([a.reshape(3, 6, 6, 3), b.reshape(3, 6, 6, 3)])
    for f, g in zip(flat, model.run_batch([a, b])):
        np.testing.assert_array_equal(f, g)


def test_stateful_model_is_refused() -> None:
    b = ModelBuilder("pycmsisnn test: ADD of a variable tensor")
    x = b.tensor("input_0", (1, 8), np.int8, 0.1, 3)
    v = b.tensor("state", (1, 8), np.int8, 0.1, 3, variable=True)
    y = b.tensor("output", (1, 8), np.int8, 0.2, -1)
    b.op("ADD", [x, v], [y], ("AddOptions", {"fusedActivationFunction": 0}))
    model = load(b.finish([x], [y]))
    with pytest.raises(ArgError, match="variable tensors .* run them in order"):
        model.run_batch(np.zeros((3, 1, 8), np.int8))
    assert np.all(model.state.arrays[v] == 3)  # nothing ran


def test_threads_share_one_model() -> None:
    data = mlperf_tiny.built("kws01")
    model = load(data)
    sets = [list(random_samples(model.graph, 5, seed).arrays) for seed in range(4)]
    expected = [_singles(data, arrays)[0] for arrays in sets]
    errors: list[BaseException] = []
    wrong: list[tuple[int, int]] = []

    def work(t: int) -> None:
        try:
            for r in range(3):
                k = (t + r) % len(sets)
                if t == 3:  # single runs next to the batches
                    got = np.stack([model.run([a[s] for a in sets[k]])[0] for s in range(5)])
                else:
                    got = model.run_batch(sets[k])[0]
                if not np.array_equal(got, expected[k]):
                    wrong.append((t, r))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and not wrong, (errors, wrong)
    assert 1 <= len(model._batch_tables[5]) <= 3


def test_verify_runs_the_host_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = Model.run_batch

    def counted(self: Model, inputs: Any, **kwargs: Any) -> list[np.ndarray]:
        calls.append(len(inputs[0]))
        return real(self, inputs, **kwargs)

    monkeypatch.setattr(Model, "run_batch", counted)
    report = verify.verify_host(mlperf_tiny.built("ad01"), samples=7, seed=3)
    assert report.exact and report.exact_samples == 7
    assert calls == [7]


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("rows,cols,depth", [(9, 7, 37), (8, 2, 640), (5, 1, 3), (4, 11, 128)])
def test_fully_connected_rows_of_a_batch_equal_one_row_at_a_time(rows: int, cols: int, depth: int, per_channel: bool) -> None:
    """The portable s8 fully connected takes four rows against two weight rows
    at a time when there are four or more (a batch): each row's outputs must
    equal that row alone."""
    from pycmsisnn.kernels.fully_connected import arm_fully_connected_wrapper_s8
    from pycmsisnn.params import Activation, FcParams, PerChannelQuant, PerTensorQuant

    rng = np.random.default_rng(rows * 1000 + cols + depth)
    x = rng.integers(-128, 128, (rows, depth), dtype=np.int8)
    w = rng.integers(-128, 128, (cols, depth), dtype=np.int8)
    for bias in (rng.integers(-5000, 5000, cols, dtype=np.int32), None):
        for fc in (FcParams(128, 0, -3, Activation(-100, 120)), FcParams(-7, 5, 11)):
            q: PerTensorQuant | PerChannelQuant = (
                PerChannelQuant(tuple(int(m) for m in rng.integers(1 << 30, 1 << 31, cols)), tuple(int(s) for s in rng.integers(-12, -6, cols)))
                if per_channel else PerTensorQuant(1 << 30, -9)
            )
            whole = arm_fully_connected_wrapper_s8(fc, q, x, w, bias)
            for r in range(rows):
                np.testing.assert_array_equal(whole[r], arm_fully_connected_wrapper_s8(fc, q, x[r:r + 1], w, bias)[0])
