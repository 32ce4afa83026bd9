"""The wheel carries the kernel sources and headers (code generation copies
them into projects), the example model, and a compiled extension."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_kernel_sources_and_extension(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (wheel,) = tmp_path.glob("pycmsisnn-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pycmsisnn" / "csrc").rglob("*.[ch]"))
    assert sources and set(sources) <= names, sorted(set(sources) - names)[:5]
    assert "pycmsisnn/data/default_model.tflite" in names
    support = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pycmsisnn" / "qemu_support").rglob("*") if p.is_file())
    assert support and set(support) <= names, sorted(set(support) - names)[:5]
    for package in ("lower", "tflite", "kernels", "qmn", "targets"):
        assert f"pycmsisnn/{package}/__init__.py" in names
    assert any(n.startswith("pycmsisnn/_lib") and n.endswith(".so") for n in names)
    assert "pycmsisnn/_ffi/build.py" in names
