"""The host-versus-target regression suite: generated C built for emulated
Cortex-M cores and run under QEMU must equal the host runtime and TensorFlow
Lite Micro exactly (verify_target compares all three on every output).

The MLPerf Tiny models on M4 and M55, the bundled default model on all six
cores, and generated networks spread over the cores. Needs the Arm cross
compiler, newlib and QEMU: these tests fail (never skip) without them.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from pycmsisnn.bench import bench
from pycmsisnn.cores import CORES as KNOWN_CORES
from pycmsisnn.model_source import model_bytes
from pycmsisnn.targets import toolchain
from pycmsisnn.verify import verify_target

from ..models.test_generated import BLOCKS_V2, SEEDS, SEEDS_V2, network
from ..support import mlperf_tiny
from ..support.mlperf_tiny import MlperfModel
from ..support.tflite_build import build_model

CORES = list(KNOWN_CORES)


@pytest.fixture(scope="module", autouse=True)
def tools(tmp_path_factory: pytest.TempPathFactory) -> None:
    try:
        toolchain.cross_tools()
        toolchain.qemu_system_arm()
    except Exception as exc:  # noqa: BLE001 - any missing tool fails the suite with its message
        pytest.fail(f"the target regression suite needs the Cortex-M toolchain and QEMU (CI installs them): {exc}", pytrace=False)


def _exact_on(data: bytes, cores: list[str], samples: int) -> None:
    """verify_target on each core, two QEMU jobs at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda core: verify_target(data, core, samples=samples, seed=7), cores))
    for core, rep in zip(cores, reports):
        assert rep.exact_samples == samples, f"{core}: {rep.to_json()}"
        assert rep.target_exact_samples == samples and rep.host_exact_samples == samples


def test_mlperf_model_on_m4_and_m55(mlperf: MlperfModel) -> None:
    _exact_on(mlperf.data, ["cortex-m4", "cortex-m55"], samples=3)


def test_default_model_on_all_six_cores() -> None:
    _exact_on(model_bytes("default"), CORES, samples=2)


GENERATED = [(seed, None) for seed in SEEDS[:6]] + [(seed, "v2") for seed in SEEDS_V2[:6]]


@pytest.mark.parametrize("index", range(len(GENERATED)))
def test_generated_network_on_a_core(index: int) -> None:
    seed, version = GENERATED[index]
    core = CORES[index % len(CORES)]
    if version is None:
        make, shape = network(seed)
        data = build_model(f"generated-network-v1-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0))
    else:
        make, shape = network(seed, BLOCKS_V2)
        data = build_model(f"generated-network-v2-{seed}", make, [shape], seed=seed, input_range=(-2.0, 3.0))
    _exact_on(data, [core], samples=2)


def test_bench_counts_every_layer_and_is_repeatable() -> None:
    data = mlperf_tiny.built("kws01")
    first, second = bench(data, "cortex-m4"), bench(data, "cortex-m4")
    assert first.instructions == second.instructions > 1_000_000
    assert [r.instructions for r in first.layers] == [r.instructions for r in second.layers]
    assert len(first.layers) == 13 and sum(r.instructions for r in first.layers) <= first.instructions
    kinds = {r.kernel for r in first.layers}
    assert {"arm_convolve_s8", "arm_depthwise_conv_3x3_s8", "arm_convolve_1x1_s8_fast", "arm_fully_connected_s8"} <= kinds
    conv = [r for r in first.layers if r.kernel == "arm_convolve_1x1_s8_fast"]
    assert conv and all(0 < (r.macs_per_instruction or 0) < 2 for r in conv)
    assert first.flash_bytes > 24_000 and first.arena_bytes == 16_000
