"""The sanitizer job: the kernel library compiled with AddressSanitizer and
UndefinedBehaviorSanitizer (``PYCMSISNN_EXTRA_CFLAGS``) into a copy of the
package, then the kernel, model, lowering, Qm.n and binding tests run against
that copy in a subprocess. Any out-of-bounds access, use after free, overflow of a signed
int, misaligned or invalid shift in the C kernels stops that run and fails
this test. Needs gcc with libasan and libubsan (CI has them); takes a few
minutes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SANITIZE = "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g1"
# What runs sanitized: every kernel family against TFLite Micro, whole models
# (the MLPerf Tiny networks, generated networks, refusals), the lowering rules,
# the legacy q7 kernels and the binding: about 1700 tests, 2.5 minutes on 2 cores.
SUBSET = ["tests/kernels", "tests/models", "tests/lower", "tests/qmn", "tests/test_binding.py"]
# Imports the sanitized copy before pytest can put the checkout first on sys.path.
PREAMBLE = """
import sys
sys.path.insert(0, sys.argv[1])
import pycmsisnn._lib
print("sanitized _lib:", pycmsisnn._lib.__file__, flush=True)
import pytest
sys.exit(pytest.main(sys.argv[2:]))
"""


def gcc_file(name: str) -> Path:
    """A gcc runtime library's path (gcc answers the bare name when it has none)."""
    found = subprocess.run(["gcc", f"-print-file-name={name}"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(found)


@pytest.fixture(scope="module")
def sanitized_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of pycmsisnn whose ``_lib`` is built with ASan and UBSan; the
    directory to put on ``sys.path``."""
    if shutil.which("gcc") is None:
        pytest.fail("the sanitizer job needs gcc (tools/install-system-packages.sh installs it)")
    root = tmp_path_factory.mktemp("sanitized")
    shutil.copytree(ROOT / "pycmsisnn", root / "pycmsisnn", ignore=shutil.ignore_patterns("*.so", "__pycache__", "*.o"))
    build = ("import runpy; builder = runpy.run_path('pycmsisnn/_ffi/build.py')['ffibuilder']; "
             "print(builder.compile(tmpdir='.'))")
    env = {**os.environ, "PYCMSISNN_EXTRA_CFLAGS": SANITIZE}
    done = subprocess.run([sys.executable, "-c", build], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root


def test_sanitized_library_is_instrumented(sanitized_package: Path) -> None:
    (lib,) = (sanitized_package / "pycmsisnn").glob("_lib*.so")
    symbols = subprocess.run(["nm", "-D", str(lib)], capture_output=True, text=True, check=True).stdout
    assert "__asan_report_load1" in symbols  # AddressSanitizer checks every load
    assert "__ubsan_handle_" in symbols  # UndefinedBehaviorSanitizer handlers
    needed = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout
    assert "libasan" in needed and "libubsan" in needed


def sanitizer_env() -> dict[str, str]:
    """The environment of a Python process that loads the sanitized library."""
    libasan, libstdcxx = gcc_file("libasan.so"), gcc_file("libstdc++.so")
    assert libasan.is_file() and libstdcxx.is_file(), "gcc has no libasan.so / libstdc++.so"
    env = {
        **os.environ,
        # ASan's runtime first; libstdc++ too, or TensorFlow's C++ exceptions trip ASan.
        "LD_PRELOAD": f"{libasan} {libstdcxx}",
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",  # Python's own "leaks" are noise
        "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
    }
    env.pop("PYTHONPATH", None)
    return env


def test_an_overflow_in_a_kernel_is_caught(sanitized_package: Path) -> None:
    """The job can fail: arm_relu_q7 called past the end of its buffer (the
    raw cffi function, without the wrapper's checks) stops the process."""
    overflow = ("import sys; sys.path.insert(0, sys.argv[1]); from pycmsisnn._lib import ffi, lib; "
                "lib.arm_relu_q7(ffi.new('int8_t[4096]'), 4096 + 64); print('not caught')")
    done = subprocess.run([sys.executable, "-c", overflow, str(sanitized_package)], env=sanitizer_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -6 and "not caught" not in done.stdout  # abort_on_error: SIGABRT
    assert "ERROR: AddressSanitizer: heap-buffer-overflow" in done.stderr and "in arm_relu_q7" in done.stderr


def test_kernels_and_models_pass_under_asan_and_ubsan(sanitized_package: Path) -> None:
    env = sanitizer_env()
    done = subprocess.run(
        [sys.executable, "-c", PREAMBLE, str(sanitized_package), "-x", "-q", "-p", "no:cacheprovider", *SUBSET],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    report = done.stdout[-6000:] + done.stderr[-6000:]
    assert done.returncode == 0, report
    assert f"sanitized _lib: {sanitized_package / 'pycmsisnn'}" in done.stdout, report
    assert "ERROR: AddressSanitizer" not in done.stderr and "runtime error:" not in done.stderr, report
    summary = re.search(r"(\d+) passed", done.stdout)
    assert summary and int(summary.group(1)) > 1000 and " failed" not in done.stdout, report
