"""The fixture project on every core: outputs equal the host kernels', layer
by layer; instruction counts repeat exactly and add up."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn import targets

from .fixture_model import LAYER_TENSORS, host_layers, host_outputs, sample

CORES = list(targets.CORES)


@pytest.mark.parametrize("core", CORES)
def test_outputs_equal_host_and_counts_repeat(core: str, fixture_build) -> None:
    build = fixture_build(core)
    inputs = sample(0)
    first = targets.run_build(build, inputs).check()
    second = targets.run_build(build, inputs).check()

    assert first.exit_code == 0
    for got, want in zip(first.outputs, host_outputs(inputs)):
        assert got.dtype == np.int8 and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    assert first.instructions is not None
    assert second.instructions == first.instructions  # identical, run after run
    counts = first.instructions
    assert len(counts.layers) == 3
    assert all(n > 0 for n in counts.layers) and counts.epilogue > 0
    assert sum(counts.layers) + counts.epilogue == counts.invoke
    assert counts.total > counts.invoke
    assert first.stack_size == build.core.default_stack_bytes
    assert 0 < first.stack_used == second.stack_used < first.stack_size - 256


@pytest.mark.parametrize("core", ["cortex-m0", "cortex-m4", "cortex-m55"])
def test_more_samples_equal_host(core: str, fixture_build) -> None:
    build = fixture_build(core)
    for seed in (1, 2):
        inputs = sample(seed)
        result = targets.run_build(build, inputs, count_instructions=False).check()
        assert result.instructions is None
        for got, want in zip(result.outputs, host_outputs(inputs)):
            np.testing.assert_array_equal(got, want)


def test_counts_do_not_depend_on_the_run_but_on_the_work(fixture_build) -> None:
    """The relu and copy layer does the same work for any input: same count;
    the whole invoke of another input differs only where the kernels branch."""
    build = fixture_build("cortex-m3")
    a = targets.run_build(build, sample(0)).check().instructions
    b = targets.run_build(build, sample(1)).check().instructions
    assert a is not None and b is not None
    assert a.layers[2] == b.layers[2]  # fully connected: no data-dependent branches
    assert a.epilogue == b.epilogue


@pytest.mark.parametrize("core", ["cortex-m0", "cortex-m7", "cortex-m55"])
def test_layer_dumps_equal_host_layers(core: str, fixture_build) -> None:
    build = fixture_build(core, dump_layers=True)
    inputs = sample(3)
    result = targets.run_build(build, inputs).check()
    assert [d.layer for d in result.layers] == [0, 1, 2]
    assert tuple(d.tensor for d in result.layers) == LAYER_TENSORS
    for dump, want in zip(result.layers, host_layers(inputs)):
        np.testing.assert_array_equal(dump.as_array(np.int8, want.shape), want)
    for got, want in zip(result.outputs, host_outputs(inputs)):
        np.testing.assert_array_equal(got, want)


def test_run_project_builds_and_runs_in_one_call() -> None:
    from .fixture_model import KERNELS, NAME, PROJECT

    inputs = sample(4)
    result = targets.run_project(PROJECT, NAME, "m33", inputs, cmsis_nn=KERNELS, timeout=30)
    assert result.status is targets.RunStatus.OK and result.message == "cortex-m33: ok"
    for got, want in zip(result.outputs, host_outputs(inputs)):
        np.testing.assert_array_equal(got, want)
    sizes = result.sizes
    assert sizes is not None
    assert sizes.const >= 16 * 128 + 16 * 4  # the weights and bias
    assert sizes.bss >= 320 and sizes.stack == 65536
    assert sizes.flash == sizes.code + sizes.const + sizes.data
    assert sizes.ram == sizes.data + sizes.bss + sizes.stack


@pytest.mark.parametrize("core", [c for c in CORES if c != "cortex-m0"])
def test_two_mib_of_constants_and_a_512_kib_buffer_fit(core: str, fixture_build) -> None:
    build = fixture_build(core, "FIXTURE_BIG")
    assert build.sizes.const >= 2 << 20 and build.sizes.bss >= 512 << 10
    inputs = sample(5)
    result = targets.run_build(build, inputs, count_instructions=False).check()
    for got, want in zip(result.outputs, host_outputs(inputs)):
        np.testing.assert_array_equal(got, want)
