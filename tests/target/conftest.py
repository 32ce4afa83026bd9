"""Target tests: they need arm-none-eabi-gcc with newlib, qemu-system-arm and a
host C compiler, and FAIL (never skip) without them. Kernel libraries and the
plugin are cached in a per-session directory; fixture ELFs are built once per
(core, variant)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from pycmsisnn import targets
from pycmsisnn.targets import toolchain

from .fixture_model import KERNELS, NAME, PROJECT


@pytest.fixture(scope="session", autouse=True)
def target_tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    try:
        toolchain.cross_tools()
        toolchain.qemu_system_arm()
        toolchain.host_cc()
    except targets.ToolchainError as exc:
        pytest.fail(f"the target tests need the Cortex-M toolchain and QEMU (CI installs them): {exc}", pytrace=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYCMSISNN_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


class FixtureBuilds:
    """ELFs of the fixture project, built on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[tuple[str, tuple[str, ...], bool], targets.BuildResult] = {}

    def __call__(self, core: str, *defines: str, dump_layers: bool = False) -> targets.BuildResult:
        key = (core, defines, dump_layers)
        if key not in self.built:
            out = self.root / "-".join([core, *defines, "dump" if dump_layers else "plain"])
            self.built[key] = targets.build_project(
                PROJECT, NAME, core, out, cmsis_nn=KERNELS, defines=list(defines), dump_layers=dump_layers
            )
        return self.built[key]


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory, target_tools: None) -> FixtureBuilds:
    return FixtureBuilds(tmp_path_factory.mktemp("builds"))
