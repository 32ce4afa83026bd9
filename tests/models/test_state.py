"""The persistent-state machinery on a model whose variable tensor feeds an
ADD (TFLite Micro reads it at its reset value: the zero point): the state is
held by the model (``ModelState``), not in the arena, reset and duplicated on
demand, and the generated C has its ``NAME_state`` buffer and ``NAME_reset``.
Sequences through state-updating operators are tested with SVDF."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.codegen import generate
from pycmsisnn.errors import ArgError
from pycmsisnn.memory import plan_arena
from pycmsisnn.runtime import ModelState, load
from tests.support.svdf_models import ModelBuilder
from tests.support.tflm import run_tflm


def _variable_add_model(zero_point: int = 3) -> bytes:
    b = ModelBuilder("pycmsisnn test: ADD of a variable tensor")
    x = b.tensor("input_0", (1, 8), np.int8, 0.1, zero_point)
    v = b.tensor("state", (1, 8), np.int8, 0.1, zero_point, variable=True)
    y = b.tensor("output", (1, 8), np.int8, 0.2, -1)
    b.op("ADD", [x, v], [y], ("AddOptions", {"fusedActivationFunction": 0}))
    return b.finish([x], [y])


def test_variable_tensor_state_is_tflms_reset_value() -> None:
    data = _variable_add_model()
    model = load(data)
    assert model.stateful and len(model.state) == 1
    (index, arr), = model.state.arrays.items()
    assert model.graph.tensor(index).is_variable
    assert arr.dtype == np.int8 and np.all(arr == 3)
    x = (np.arange(-4, 4, dtype=np.int8) * 20).reshape(1, 8)
    ours = model.run(x)
    assert np.array_equal(ours[0], run_tflm(data, [x])[0])


def test_new_state_reset_and_argument_checks() -> None:
    model = load(_variable_add_model())
    s = model.new_state()
    assert isinstance(s, ModelState) and s is not model.state
    (index, arr), = s.arrays.items()
    arr[...] = 50
    model.state.arrays[index][...] = 50
    x = np.zeros((1, 8), np.int8)
    a = model.run(x, state=s)[0]
    fresh = model.new_state()
    assert not np.array_equal(model.run(x, state=fresh)[0], a)  # the state is what the run reads
    model.reset()
    assert np.all(model.state.arrays[index] == 3)
    assert np.array_equal(model.run(x)[0], model.run(x, state=model.new_state())[0])
    copy = s.copy()
    assert np.array_equal(copy.arrays[index], s.arrays[index]) and copy.arrays[index] is not s.arrays[index]
    with pytest.raises(ArgError, match="ModelState"):
        model.run(x, state={})  # type: ignore[arg-type]
    other = load(_variable_add_model()).new_state()
    assert np.array_equal(model.run(x, state=other)[0], model.run(x, state=model.new_state())[0])


def test_stateless_model_has_no_state() -> None:
    b = ModelBuilder("stateless")
    x = b.tensor("input_0", (1, 8), np.int8, 0.1, 0)
    y = b.tensor("output", (1, 8), np.int8, 0.1, 0)
    b.op("ADD", [x, x], [y], ("AddOptions", {"fusedActivationFunction": 0}))
    model = load(b.finish([x], [y]))
    assert not model.stateful and len(model.state) == 0
    arena = plan_arena(model.plan, "cortex-m4")
    assert arena.state_bytes == 0 and not arena.state
    files, _, _, _ = generate(model.plan, "cortex-m4", "m")
    assert "STATE_SIZE" not in files["m.h"] and "m_state" not in files["m.c"]


def test_state_lives_outside_the_arena_in_generated_c() -> None:
    model = load(_variable_add_model())
    (index, _), = model.state.arrays.items()
    for core in ("cortex-m4", "cortex-m55"):
        arena = plan_arena(model.plan, core)
        assert index not in arena.tensors
        size = -(-8 // arena.alignment) * arena.alignment  # 8 bytes, aligned
        assert arena.state[index].offset == 0 and arena.state_bytes == size
        files, _, _, _ = generate(model.plan, core, "m")
        header, source = files["m.h"], files["m.c"]
        assert f"#define m_STATE_SIZE {size}" in header and "void m_reset(void);" in header
        assert "extern int8_t m_state[m_STATE_SIZE];" in header
        # initialised at definition to the zero point, reset copies it back
        assert "int8_t m_state[m_STATE_SIZE] __attribute__((aligned(16))) = {" in source
        assert "memcpy(m_state, m_state_initial, m_STATE_SIZE);" in source
        assert "m_state + 0" in source


def test_one_stateful_model_shared_by_threads_runs_one_step_at_a_time() -> None:
    """The default state is taken under a lock: concurrent runs of one model
    never interleave inside a step (each run sees the state whole)."""
    model = load(_variable_add_model())
    errors: list[BaseException] = []
    x = np.ones((1, 8), np.int8)
    expected = model.run(x, state=model.new_state())[0]

    def worker() -> None:
        try:
            for _ in range(200):
                assert np.array_equal(model.run(x)[0], expected)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert model._state_lock.acquire(blocking=False)
    model._state_lock.release()


def test_generated_state_compiles_and_matches_on_the_host(tmp_path: Path) -> None:
    from tests.codegen.host import build_kernel_library
    from tests.codegen.state_host import build_state_runner, run_sequence

    data = _variable_add_model()
    model = load(data)
    kernels = build_kernel_library(tmp_path / "k")
    exe = build_state_runner(model, tmp_path / "b", kernels)
    rng = np.random.default_rng(1)
    steps = [rng.integers(-128, 128, size=(1, 8)).astype(np.int8) for _ in range(3)]
    got = run_sequence(exe, steps, (1, 8), np.int8, tmp_path / "w", reset_at=1)
    for x, g in zip(steps, got):
        assert np.array_equal(g, run_tflm(data, [x])[0])
