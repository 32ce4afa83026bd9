"""Which files a build of the kernel library compiles: the one rule that the
generated project (its copy, ``Makefile``, ``CMakeLists.txt``), the Python
build path (``pycmsisnn.targets``) and the host extension's builder
(``pycmsisnn/_ffi/build.py``) all take their file lists from.

A build has a *library root* that provides the CMSIS-NN API (Arm's checkout,
or ours: ``pycmsisnn/csrc``) and *our library* that adds what the root lacks:

- the root's sources: every ``Source/<Family>/*.c`` but the float ones
  (``*_f16.c``, ``*_f32.c``, ``*_flt.c``: they need Arm's float16 types and
  float build options);
- our additions: the sources of every function declared in our
  ``pycmsisnn_*.h`` headers (the ``pycmsisnn_*`` operators and the legacy q7
  API) that the root has no file of;
- the headers to copy: our ``pycmsisnn_*.h`` headers the root lacks and every
  header they or the additions include, transitively, that is not found in
  the root's ``Include/`` (searched first, as the builds search it).

With our own library as the root, nothing is added: the root is everything.

Standard library only: the cffi builder imports this before the package is built.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CSRC = Path(__file__).resolve().parent / "csrc"
FLOAT_SOURCE = re.compile(r"_(f16|f32|flt)\.c\Z")
_QUOTED_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


class LibraryError(FileNotFoundError):
    """A library root that is not laid out as CMSIS-NN, or an include that resolves nowhere."""


@dataclass(frozen=True)
class LibraryFiles:
    """The files of one build: the root's sources plus our additions."""

    root: Path  # provides the CMSIS-NN API (Arm's checkout, or ours)
    ours: Path  # our library, where the additions come from
    sources: tuple[Path, ...]  # the root's integer sources
    our_sources: tuple[str, ...]  # additions, relative to ``ours`` ("Source/<Family>/x.c")
    our_headers: tuple[str, ...]  # headers the additions need that the root lacks, relative to ``ours``

    @property
    def include_dirs(self) -> tuple[Path, Path]:
        """The root's headers first, then ours (the additions' headers)."""
        return self.root / "Include", self.ours / "Include"

    @property
    def copied(self) -> tuple[str, ...]:
        """Our files a project copies, relative to ``ours``: headers, then sources."""
        return self.our_headers + self.our_sources

    def all_sources(self) -> list[Path]:
        """Every C file to compile: the root's, then our additions."""
        return list(self.sources) + [self.ours / rel for rel in self.our_sources]


def check_library(root: str | Path) -> Path:
    """``root`` (resolved) if it holds ``Include/arm_nnfunctions.h`` and ``Source/``."""
    path = Path(root).expanduser().resolve()
    if not (path / "Include" / "arm_nnfunctions.h").is_file() or not (path / "Source").is_dir():
        raise LibraryError(f"{path} is not a CMSIS-NN checkout: Include/arm_nnfunctions.h or Source/ is missing")
    return path


def integer_sources(root: Path) -> list[Path]:
    """The root's ``Source/<Family>/*.c`` without the float and fp16 kernels."""
    return sorted(p for p in (root / "Source").glob("*/*.c") if not FLOAT_SOURCE.search(p.name))


def ours_only_functions(ours: Path = CSRC) -> set[str]:
    """Functions declared in our ``pycmsisnn_*.h`` headers: our kernels of operators
    Arm's library lacks, and the legacy q7 API it no longer has."""
    text = "".join(_COMMENT.sub("", p.read_text()) for p in (ours / "Include").glob("pycmsisnn_*.h"))
    return set(re.findall(r"\b((?:arm|pycmsisnn)_\w+)\s*\(", text))


def library_files(root: str | Path, ours: str | Path = CSRC) -> LibraryFiles:
    """The files of a build against the library at ``root``, with our additions from ``ours``."""
    lib, own = check_library(root), Path(ours).resolve()
    sources = integer_sources(lib)
    present = {p.name for p in sources}
    wanted = ours_only_functions(own)
    additions = [p for p in sorted((own / "Source").glob("*/*.c")) if p.stem in wanted and p.name not in present]
    starts = [p for p in sorted((own / "Include").glob("pycmsisnn_*.h")) if not (lib / "Include" / p.name).is_file()]
    headers = _included_headers(lib, own, starts, additions)
    return LibraryFiles(
        root=lib,
        ours=own,
        sources=tuple(sources),
        our_sources=tuple(p.relative_to(own).as_posix() for p in additions),
        our_headers=tuple(sorted(p.relative_to(own).as_posix() for p in headers)),
    )


def _included_headers(lib: Path, ours: Path, headers: list[Path], sources: list[Path]) -> set[Path]:
    """``headers`` and every header of ours they or ``sources`` include, transitively,
    that ``lib``'s Include/ does not provide (searched first)."""
    found: set[Path] = set(headers)
    todo = list(headers) + list(sources)
    while todo:
        path = todo.pop()
        for name in _QUOTED_INCLUDE.findall(_COMMENT.sub("", path.read_text(errors="replace"))):
            if (lib / "Include" / name).is_file():
                continue
            ours_header = ours / "Include" / name
            if not ours_header.is_file():
                raise LibraryError(f'{path}: #include "{name}" is in neither {lib / "Include"} nor {ours / "Include"}')
            if ours_header not in found:
                found.add(ours_header)
                todo.append(ours_header)
    return found
