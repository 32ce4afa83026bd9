"""The arena planner: no buffer is overwritten while it is still needed
(checked by simulating every byte's owner through the calls), alignment,
greedy against the live peak and against the linear baseline, in-place reuse
only where it is safe, per-core scratch sizes, the switch to the baseline."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.ir import Graph, Operator, Quant, Tensor
from pycmsisnn.lower import KernelCall, Plan, TensorArg
from pycmsisnn.memory import IN_PLACE_KERNELS, ArenaPlan, lifetimes, plan_arena
from pycmsisnn.runtime import load
from pycmsisnn.scratch import call_scratch

from ..support import mlperf_tiny
from ..support.mlperf_tiny import MlperfModel
from .test_models import GENERATED, generated_model

CORES = ["host", "cortex-m0", "cortex-m4", "cortex-m55"]
# Arena bytes of the MLPerf Tiny networks for Cortex-M4 (greedy, in place):
# each is the live peak, so no placement can do better.
MLPERF_ARENA_M4 = {"ad01": 768, "kws01": 11840, "ic01": 33856, "vww01": 55296}


def simulate(plan: Plan, arena: ArenaPlan) -> None:
    """Replay the calls on a map of which tensor each arena byte holds:
    every tensor a call reads must still be intact, scratch must not clobber
    a live input, and the outputs must be intact at the end."""
    owner = np.full(arena.arena_bytes, -1, dtype=np.int64)
    graph = plan.graph
    holds: dict[int, int] = {}  # tensor -> the tensor whose bytes it is (aliases)

    def write(tensor: int) -> None:
        p = arena.tensors[tensor]
        assert p.offset % arena.alignment == 0, f"tensor {tensor} at {p.offset} is not aligned to {arena.alignment}"
        assert p.end <= arena.arena_bytes
        owner[p.offset : p.end] = tensor
        holds[tensor] = tensor

    def check(tensor: int, when: str) -> None:
        p = arena.tensors[tensor]
        expected = holds.get(tensor)
        assert expected is not None, f"tensor {tensor} read before it is written ({when})"
        assert (owner[p.offset : p.end] == expected).all(), f"tensor {tensor} was overwritten before {when}"

    for t in graph.inputs:
        write(t)
    fused_conv = {f.conv: f for f in arena.fusions}
    fused_add = {f.add for f in arena.fusions}
    for k, call in enumerate(plan.calls):
        if k in fused_add:
            continue  # done by its convolution's layer
        inputs = [i for i in call.tensor_inputs() if not graph.tensor(i).is_constant]
        fusion = fused_conv.get(k)
        if fusion is not None:  # the band loop reads the skip tensor too
            inputs.append(fusion.skip)
        for slot, p in enumerate(arena.scratch[k]):
            assert p.offset % arena.alignment == 0 and p.end <= arena.arena_bytes
            owner[p.offset : p.end] = -2 - k  # scratch is written while the call reads its inputs
        for i in inputs:
            check(i, f"call {k} ({call.kernel}) reads it")
        for o in call.outputs:
            source = arena.aliases.get(o)
            if call.kernel == "arm_reshape_s8" and source is not None:
                holds[o] = holds[source]  # a view: nothing is written
            else:
                write(o)
        if fusion is not None:
            check(fusion.skip, f"call {k} adds its band into it")  # the band buffer is clear of the skip tensor
            write(fusion.sum)
    for t in graph.outputs:
        check(t, "the outputs are copied out")


def _plans() -> list[tuple[str, Plan]]:
    plans = [(arch, load(mlperf_tiny.built(arch)).plan) for arch in mlperf_tiny.ARCHITECTURES]
    plans += [(f"{p}-{s}", load(generated_model(p, b, s)).plan) for p, b, s in GENERATED]
    return plans


@pytest.fixture(scope="module")
def plans() -> list[tuple[str, Plan]]:
    return _plans()


@pytest.mark.parametrize("strategy", ["greedy", "linear"])
def test_no_buffer_is_overwritten_while_needed(plans: list[tuple[str, Plan]], strategy: str) -> None:
    for name, plan in plans:
        for core in CORES:
            arena = plan_arena(plan, core, strategy=strategy)
            assert arena.alignment == (16 if core == "cortex-m55" else 4)
            simulate(plan, arena)


def test_greedy_reaches_the_live_peak_and_beats_linear(plans: list[tuple[str, Plan]]) -> None:
    for name, plan in plans:
        for core in CORES:
            greedy, linear = plan_arena(plan, core), plan_arena(plan, core, strategy="linear")
            assert greedy.peak_bytes <= greedy.arena_bytes <= linear.arena_bytes, name
            assert linear.aliases == {}
            assert greedy.arena_bytes == greedy.peak_bytes, f"{name} on {core}: arena {greedy.arena_bytes}, live peak {greedy.peak_bytes}"


def test_mlperf_arenas(mlperf: MlperfModel) -> None:
    plan = load(mlperf.data).plan
    assert plan_arena(plan, "cortex-m4").arena_bytes == plan_arena(plan, "cortex-m4").peak_bytes == MLPERF_ARENA_M4[mlperf.arch]


def test_host_scratch_is_the_lowering_scratch(plans: list[tuple[str, Plan]]) -> None:
    for name, plan in plans:
        for call in plan.calls:
            needs = call_scratch(plan.graph, call, "host")
            assert (needs[0].nbytes if needs else 0) == call.scratch_bytes, f"{name}: {call.kernel}"


def test_scratch_follows_the_core() -> None:
    plan = load(mlperf_tiny.built("kws01")).plan
    dw = next(c for c in plan.calls if c.kernel == "arm_depthwise_conv_wrapper_s8")
    cores = ("cortex-m3", "cortex-m4", "cortex-m55")
    arm = {core: call_scratch(plan.graph, dw, core, "official")[0].nbytes for core in cores}
    # Arm's library: portable none; DSP: the 3x3 kernel needs none; MVE: the _opt kernel's 4 * 124 * KH * KW.
    assert arm == {"cortex-m3": 0, "cortex-m4": 0, "cortex-m55": 4 * 124 * 9}
    # Ours never reads that buffer: built against our library the layer gets none.
    assert {core: call_scratch(plan.graph, dw, core)[0].nbytes for core in cores} == dict.fromkeys(cores, 0)
    conv = plan.calls[0]
    assert [n.nbytes for n in call_scratch(plan.graph, conv, "cortex-m4")] == [160]  # 2 columns of 40 int16
    assert [n.nbytes for n in call_scratch(plan.graph, conv, "cortex-m55")] == [4 * 48]  # 4 columns of 40, each rounded to 16


def test_environment_switches_to_the_linear_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = load(mlperf_tiny.built("kws01")).plan
    monkeypatch.setenv("PYCMSISNN_NO_MEMORY_PLANNER", "1")
    arena = plan_arena(plan, "cortex-m4")
    assert arena.strategy == "linear" and arena.arena_bytes == 72804 and arena.aliases == {}
    monkeypatch.setenv("PYCMSISNN_NO_MEMORY_PLANNER", "0")
    assert plan_arena(plan, "cortex-m4").arena_bytes == 11840


def test_unknown_strategy_and_core_are_refused() -> None:
    plan = load(mlperf_tiny.built("ad01")).plan
    with pytest.raises(ValueError, match="strategy 'best'"):
        plan_arena(plan, "cortex-m4", strategy="best")
    with pytest.raises(ValueError, match="unknown core 'cortex-m85'"):
        plan_arena(plan, "cortex-m85")


# ------------------------------------------------------------ in place


def _tensor(i: int, shape: tuple[int, ...] = (1, 4, 4, 8), dtype: Any = np.int8) -> Tensor:
    return Tensor(i, f"t{i}", shape, np.dtype(dtype), Quant((0.1,), (0,)))


def _call(k: int, kernel: str, inputs: dict[str, int], out: int) -> KernelCall:
    op = Operator(k, "OP", tuple(inputs.values()), (out,))
    return KernelCall(op=op, kernel=kernel, args={n: TensorArg(i) for n, i in inputs.items()}, outputs=(out,))


def _plan(n_tensors: int, calls: list[KernelCall], inputs: tuple[int, ...] = (0,), outputs: tuple[int, ...] | None = None) -> Plan:
    tensors = tuple(_tensor(i) for i in range(n_tensors))
    ops = tuple(c.op for c in calls)
    return Plan(Graph(tensors, ops, inputs, outputs or (calls[-1].outputs[0],)), tuple(calls))


def test_element_map_overwrites_a_dying_input() -> None:
    plan = _plan(3, [_call(0, "pycmsisnn_relu_s8", {"input": 0}, 1), _call(1, "pycmsisnn_tanh_s8", {"input": 1}, 2)])
    arena = plan_arena(plan, "cortex-m4")
    assert arena.aliases == {1: 0, 2: 1}
    assert arena.arena_bytes == 128 and len({p.offset for p in arena.tensors.values()}) == 1
    simulate(plan, arena)


def test_no_overwrite_of_an_input_read_later() -> None:
    # t1 = relu(t0); t2 = add(t1, t0): t0 is read again, so relu must not overwrite it;
    # the add may overwrite t1 (it dies there) but never t0 (a model output here).
    plan = _plan(3, [_call(0, "pycmsisnn_relu_s8", {"input": 0}, 1), _call(1, "arm_elementwise_add_s8", {"input_1": 0, "input_2": 1}, 2)],
                 outputs=(0, 2))
    arena = plan_arena(plan, "cortex-m4")
    assert arena.aliases == {2: 1}
    assert arena.offset(1) != arena.offset(0)
    simulate(plan, arena)


def test_no_overwrite_of_a_buffer_a_view_still_needs() -> None:
    # v = reshape(t0) shares t0's buffer; relu(t0) must not overwrite it while v is read later.
    calls = [_call(0, "arm_reshape_s8", {"input": 0}, 1), _call(1, "pycmsisnn_relu_s8", {"input": 0}, 2),
             _call(2, "arm_elementwise_add_s8", {"input_1": 1, "input_2": 2}, 3)]
    plan = _plan(4, calls)
    arena = plan_arena(plan, "cortex-m4")
    assert arena.aliases.get(1) == 0 and 2 not in arena.aliases
    assert arena.aliases.get(3) in (1, 2)
    simulate(plan, arena)


def test_views_share_even_when_the_input_lives_on() -> None:
    calls = [_call(0, "arm_reshape_s8", {"input": 0}, 1), _call(1, "arm_elementwise_mul_s8", {"input_1": 0, "input_2": 1}, 2)]
    plan = _plan(3, calls)
    arena = plan_arena(plan, "cortex-m4")
    # the mul reads both inputs (one buffer) element by element: it may overwrite them
    assert arena.aliases == {1: 0, 2: 0}
    assert arena.arena_bytes == 128
    simulate(plan, arena)


def test_only_listed_kernels_work_in_place() -> None:
    assert "arm_softmax_s8" not in IN_PLACE_KERNELS and "pycmsisnn_dequantize_s8" not in IN_PLACE_KERNELS
    plan = _plan(2, [_call(0, "arm_softmax_s8", {"input": 0}, 1)])
    assert plan_arena(plan, "cortex-m4").aliases == {}


def test_lifetimes_and_plan_agree_on_every_tensor(plans: list[tuple[str, Plan]]) -> None:
    for name, plan in plans[:6]:
        arena = plan_arena(plan, "cortex-m7")
        assert set(arena.tensors) == {s.tensor for s in lifetimes(plan)}, name
