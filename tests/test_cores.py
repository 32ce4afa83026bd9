"""pycmsisnn.cores is the one record of each core: the command line, code
generation, scratch sizing and the planner read it; the host is a pseudo-core."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pycmsisnn import cli, codegen, cores
from pycmsisnn.errors import ArgError


def test_host_is_portable_and_every_core_has_one_record() -> None:
    assert cores.feature_of(cores.HOST) is cores.Feature.SCALAR and cores.alignment_of(cores.HOST) == 4
    for name, core in cores.CORES.items():
        assert cores.get_core(core.short) is core and core.name == name
        assert cores.feature_of(name) is core.feature
        assert core.alignment == cores.alignment_of(name) == (16 if core.feature is cores.Feature.MVE else 4)
        assert f"-mcpu={name}" in core.cflags
    assert cli.TARGETS == (cores.HOST, *cores.CORES) and codegen.TARGETS == tuple(cores.CORES)


@pytest.mark.parametrize("call,message", [
    (lambda: cores.get_core("m85"), "unknown core 'm85'"),
    (lambda: cores.get_core("host", noun="target"), "unknown target 'host'"),
    (lambda: cores.feature_of("cortex-m85"), r"unknown core 'cortex-m85'.*, or 'host'"),
])
def test_unknown_cores_are_arg_errors(call: object, message: str) -> None:
    with pytest.raises(ArgError, match=message):
        call()  # type: ignore[operator]


def test_qmn_cli_does_not_import_the_main_cli() -> None:
    code = "import sys, pycmsisnn.qmn.cli; sys.exit('pycmsisnn.cli' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
