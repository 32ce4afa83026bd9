"""The QEMU instruction-counting plugin, built on demand with the host compiler.

The source is ``qemu_support/plugin/icount.c``; the shared library is kept
in the cache directory under a name carrying the source's hash, built into a
temporary file and renamed into place (so two processes may race safely).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from .errors import ToolchainError
from .toolchain import cache_dir, host_cc

SOURCE = Path(__file__).resolve().parent.parent / "qemu_support" / "plugin" / "icount.c"
FLAGS = ("-O2", "-shared", "-fPIC", "-fvisibility=hidden", "-std=c99", "-Wall", "-Wextra")
BUILD_TIMEOUT = 120.0


def plugin_path() -> Path:
    """The built plugin (``.so``), building it first if needed."""
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source + repr(FLAGS).encode()).hexdigest()[:16]
    target = cache_dir() / f"libpycmsisnn_icount-{digest}.so"
    if target.is_file():
        return target
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    cmd = [str(host_cc()), *FLAGS, str(SOURCE), "-o", str(partial)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ToolchainError(f"building the counting plugin took over {BUILD_TIMEOUT:.0f} s: {' '.join(cmd)}") from None
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ToolchainError(f"building the counting plugin failed:\n{proc.stderr.strip()}\ncommand: {' '.join(cmd)}")
    os.replace(partial, target)
    return target
