"""Fixtures of the code generation tests: the host kernel library, built once."""
from __future__ import annotations

from pathlib import Path

import pytest

from .host import build_kernel_library


@pytest.fixture(scope="session")
def host_kernels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kernel library compiled for the host with gcc (libkernels.a)."""
    return build_kernel_library(tmp_path_factory.mktemp("kernels"))
