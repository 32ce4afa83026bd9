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

from ..models.test_generated import BLOCKS_V2, SEEDS, SEEDS_16X8, SEEDS_V2, generated_16x8_model, network
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


@pytest.mark.mlperf("kws01")
def test_kws_on_the_micro_bit(mlperf: MlperfModel) -> None:
    """KWS in the Cortex-M0 micro:bit's 16 KiB of SRAM, harness included: its
    convolutions write over their inputs through rings of rows."""
    _exact_on(mlperf.data, ["cortex-m0"], samples=2)


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


@pytest.mark.parametrize("index", range(len(CORES)))
def test_generated_16x8_network_on_a_core(index: int) -> None:
    """A 16x8 network (int16 activations) on each of the six cores."""
    _exact_on(generated_16x8_model(SEEDS_16X8[index]), [CORES[index]], samples=2)


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
    assert first.flash_bytes > 24_000 and first.arena_bytes == 11840  # its convolutions write over their inputs


def _large_arena_model() -> bytes:
    """A 2.1 MB arena: more than the Cortex-M55 board's 2 MiB SRAM."""
    from ..support.tflite_build import tf

    def make(inputs: list) -> object:
        L = tf().keras.layers
        x = L.Conv2D(40, 3, padding="same", activation="relu")(inputs[0])  # 224 x 224 x 40: 2,007,040 B
        x = L.MaxPooling2D(4)(x)
        x = L.GlobalAveragePooling2D()(x)
        return L.Dense(4)(x)

    return build_model("large-arena-v1", make, [(1, 224, 224, 3)], seed=5)


def test_an_arena_too_large_for_sram_runs_from_the_boards_large_memory(tmp_path) -> None:  # noqa: ANN001
    from pycmsisnn.codegen import convert
    from pycmsisnn.inspect_model import inspect_graph
    from pycmsisnn.tflite import read_model

    data = _large_arena_model()
    info = inspect_graph(read_model(data), "cortex-m55")
    assert info.arena is not None and info.arena.arena_bytes > 2 * 1024 * 1024
    assert any("placed in the board's DDR_BULK" in w for w in info.warnings), info.warnings
    convert(data, tmp_path, target="cortex-m55", name="big", measure_size=False)
    assert 'section(".bss.pycmsisnn_bulk")' in (tmp_path / "big.c").read_text()
    convert(data, tmp_path / "m4", target="cortex-m4", name="big", measure_size=False)  # 4 MiB of SRAM: no section
    assert "pycmsisnn_bulk" not in (tmp_path / "m4" / "big.c").read_text()
    _exact_on(data, ["cortex-m55"], samples=1)
