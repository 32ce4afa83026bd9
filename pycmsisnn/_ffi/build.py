"""cffi (API mode) builder for ``pycmsisnn._lib``.

The declarations handed to cffi are read from the public headers of our
kernel library (``arm_nn_types.h``, ``arm_nnfunctions.h``, and the
``pycmsisnn_*.h`` headers of our kernels for operators CMSIS-NN lacks):
comments and preprocessor lines are dropped, leaving plain C declarations.

Which kernels are compiled:
  * by default, ours: every ``.c`` file under ``pycmsisnn/csrc/Source``;
  * when ``CMSIS_NN_ROOT`` names a checkout of Arm's CMSIS-NN, or one has been
    placed in ``third_party/CMSIS-NN``, the official sources and headers are
    compiled instead, together with our kernels of what the official library
    lacks (everything declared in our ``pycmsisnn_*.h`` headers: the
    ``pycmsisnn_*`` operators and the legacy q7 API). The declarations stay ours, so a signature
    that differs between the two libraries stops the build. Which files, is
    ``pycmsisnn.library_files``' rule (float and fp16 kernels left out), the
    one generated projects and target builds follow.

``PYCMSISNN_EXTRA_CFLAGS`` adds flags (split as a shell would) to every
compile and to the link, e.g. ``-fsanitize=address,undefined`` for the
sanitizer job (``tests/test_sanitizers.py``).
"""
from __future__ import annotations

import importlib.util
import os
import re
import shlex
import sys
from pathlib import Path
from types import ModuleType

from cffi import FFI


def _file_rule() -> ModuleType:
    """``pycmsisnn/library_files.py`` of this checkout, loaded from its file: cffi's
    setuptools hook runs this builder as a file, where ``import pycmsisnn`` may
    find another installed copy (or none)."""
    name = "_pycmsisnn_build_library_files"
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent.parent / "library_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


if __package__:  # imported as pycmsisnn._ffi.build
    from .. import library_files
else:
    library_files = _file_rule()

PACKAGE = Path(__file__).resolve().parent.parent
CSRC = PACKAGE / "csrc"
OUR_INCLUDE = CSRC / "Include"
OUR_SOURCE = CSRC / "Source"
THIRD_PARTY = PACKAGE.parent / "third_party" / "CMSIS-NN"
ARM_HEADERS = ("arm_nn_types.h", "arm_nnfunctions.h")


def public_headers() -> list[Path]:
    """Arm's two public headers, then ours for the operators CMSIS-NN lacks."""
    return [OUR_INCLUDE / n for n in ARM_HEADERS] + sorted(OUR_INCLUDE.glob("pycmsisnn_*.h"))

# -O2 as specified, with GCC's "cheap" vectorisation cost model (its -O2
# default, "very cheap", leaves the int8 dot products scalar: 10x slower).
COMPILE_ARGS = ["-O2", "-fvect-cost-model=cheap", "-std=c99", "-Wall", "-Wextra", "-fno-strict-aliasing"]
EXTRA_FLAGS_ENV = "PYCMSISNN_EXTRA_CFLAGS"


def extra_flags() -> list[str]:
    """The user's extra compile and link flags (``PYCMSISNN_EXTRA_CFLAGS``)."""
    return shlex.split(os.environ.get(EXTRA_FLAGS_ENV, ""))


def public_declarations() -> str:
    """The public headers reduced to what cffi's cdef accepts."""
    parts = []
    for path in public_headers():
        text = path.read_text()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        text = re.sub(r"#ifdef __cplusplus.*?#endif", "", text, flags=re.S)
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        parts.append(text)
    return "\n".join(parts)


def official_root() -> Path | None:
    """Arm's CMSIS-NN checkout to build instead of ours, if the user gave one."""
    env = os.environ.get("CMSIS_NN_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / "Include" / "arm_nnfunctions.h").is_file():
            raise RuntimeError(f"CMSIS_NN_ROOT={env} does not hold Include/arm_nnfunctions.h")
        return root
    if (THIRD_PARTY / "Include" / "arm_nnfunctions.h").is_file():
        return THIRD_PARTY
    return None


def _rel(path: Path) -> str:
    """Paths relative to the working directory: setuptools refuses absolute ones."""
    return os.path.relpath(path)


def ours_only_functions() -> set[str]:
    """Functions declared in our pycmsisnn_*.h headers: our kernels of operators
    Arm's library lacks, and the legacy q7 API it no longer has."""
    return library_files.ours_only_functions(OUR_INCLUDE.parent)


def kernel_sources() -> tuple[list[str], list[str]]:
    """(C sources, include directories) for the selected kernel library."""
    ours = sorted(OUR_SOURCE.rglob("*.c"))
    root = official_root()
    if root is None:
        return [_rel(p) for p in ours], [_rel(OUR_INCLUDE)]
    files = library_files.library_files(root, OUR_INCLUDE.parent)
    return [_rel(p) for p in files.all_sources()], [_rel(d) for d in files.include_dirs]


# Which library the extension was built with: lib.PYCMSISNN_OFFICIAL_LIBRARY is
# 1 for Arm's, 0 for ours (pycmsisnn.kernels.library_name() reads it).
LIBRARY_FLAG = "PYCMSISNN_OFFICIAL_LIBRARY"


def source_prelude(official: bool) -> str:
    """The C the bindings are compiled with: the library flag and the headers
    that declare every function of the cdef. Arm declares the depthwise
    ``_opt`` buffer sizes of other builds (``_dsp``, ``_mve``) in its support
    header rather than in ``arm_nnfunctions.h`` (ours has them public)."""
    headers = [p.name for p in public_headers()[1:]]
    if official:
        headers.insert(1, "arm_nnsupportfunctions.h")
    includes = "".join(f'#include "{name}"\n' for name in headers)
    return f"#define {LIBRARY_FLAG} {1 if official else 0}\n{includes}"


def make_builder() -> FFI:
    builder = FFI()
    builder.cdef(public_declarations() + f"\n#define {LIBRARY_FLAG} ...\n")
    sources, include_dirs = kernel_sources()
    builder.set_source(
        "pycmsisnn._lib",
        source_prelude(official_root() is not None),
        sources=sources,
        include_dirs=include_dirs,
        extra_compile_args=COMPILE_ARGS + extra_flags(),
        extra_link_args=extra_flags(),
    )
    return builder


ffibuilder = make_builder()

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
