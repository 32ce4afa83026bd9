"""Finding the tools of the target pipeline, and the cache directory.

Tools are looked up on ``PATH`` every time (nothing is remembered, so a
changed ``PATH`` is seen). A missing tool raises ``ToolchainError`` naming the
Debian package that provides it. ``PYCMSISNN_CACHE`` overrides the cache
directory (default ``$XDG_CACHE_HOME/pycmsisnn`` or ``~/.cache/pycmsisnn``),
which holds the compiled kernel libraries and the counting plugin.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolchainError

TOOL_TIMEOUT = 30.0  # seconds, for the quick queries below

_INSTALL = "apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"


@dataclass(frozen=True)
class CrossTools:
    """The arm-none-eabi tools a build uses."""

    gcc: Path
    ar: Path
    nm: Path
    size: Path


def _which(program: str, package: str, purpose: str) -> Path:
    found = shutil.which(program)
    if found is None:
        raise ToolchainError(
            f"{program} not found on PATH: it is needed to {purpose}; "
            f"install the Debian package {package} ({_INSTALL})"
        )
    return Path(found)


def cross_tools() -> CrossTools:
    """arm-none-eabi-gcc and its binutils, with newlib's nano.specs present."""
    gcc = _which("arm-none-eabi-gcc", "gcc-arm-none-eabi", "cross-compile for Cortex-M")
    tools = CrossTools(
        gcc=gcc,
        ar=_which("arm-none-eabi-ar", "binutils-arm-none-eabi", "archive the kernel library"),
        nm=_which("arm-none-eabi-nm", "binutils-arm-none-eabi", "find the marker functions"),
        size=_which("arm-none-eabi-size", "binutils-arm-none-eabi", "measure section sizes"),
    )
    specs = _query(gcc, "-print-file-name=nano.specs")
    if not Path(specs).is_absolute():
        raise ToolchainError(
            "arm-none-eabi-gcc has no newlib (nano.specs not found): "
            f"install the Debian package libnewlib-arm-none-eabi ({_INSTALL})"
        )
    return tools


def qemu_system_arm() -> Path:
    """qemu-system-arm (QEMU 7.2 or later: TCG plugins, the mps3-an547 board)."""
    return _which("qemu-system-arm", "qemu-system-arm", "emulate the Cortex-M boards")


def host_cc() -> Path:
    """The host C compiler that builds the counting plugin."""
    found = shutil.which("cc") or shutil.which("gcc")
    if found is None:
        raise ToolchainError("no host C compiler (cc or gcc) on PATH: it is needed to build the QEMU "
                             "instruction-counting plugin; install the Debian package gcc")
    return Path(found)


def compiler_identity(gcc: Path) -> str:
    """What identifies a compiler's output: its path and full version."""
    return f"{gcc} {_query(gcc, '-dumpfullversion')}"


def _query(tool: Path, flag: str) -> str:
    try:
        proc = subprocess.run([str(tool), flag], capture_output=True, text=True, timeout=TOOL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolchainError(f"{tool} {flag} failed: {exc}") from exc
    if proc.returncode != 0:
        raise ToolchainError(f"{tool} {flag} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def cache_dir() -> Path:
    """Where compiled kernel libraries and the plugin are kept (created on demand)."""
    env = os.environ.get("PYCMSISNN_CACHE")
    if env:
        root = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "pycmsisnn"
    root.mkdir(parents=True, exist_ok=True)
    return root
