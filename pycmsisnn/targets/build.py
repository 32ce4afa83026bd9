"""Cross-compiling a generated project and the QEMU harness into an ELF.

``build_project`` compiles NAME.c, the harness (``pycmsisnn/qemu_support``)
and the kernel library for one core with ``arm-none-eabi-gcc -O2``, links
them with the board's linker script (own start-up code, newlib-nano for
memcpy/memset, ``--gc-sections``), and reports the section sizes
(``arm-none-eabi-size -A``) and the marker addresses (``arm-none-eabi-nm``).

The kernel library's files come from ``pycmsisnn.library_files``, the rule
the generated Makefile and CMakeLists.txt were written from: the project's
``cmsis_nn`` copy, or a library root given as ``cmsis_nn=`` (Arm's checkout:
its integer sources, with our additions from the project's copy). It is
compiled once per core and file content (objects cached in
toolchain.cache_dir) and archived, so the link takes only what is called.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..cores import Core, get_core
from ..library_files import CSRC, LibraryError, LibraryFiles, library_files
from .errors import BuildError, ProjectError
from .project import ProjectInfo, read_project
from .toolchain import CrossTools, cache_dir, compiler_identity, cross_tools

SUPPORT = Path(__file__).resolve().parent.parent / "qemu_support"
COMPILE_TIMEOUT = 300.0  # seconds per compiler or linker call
CFLAGS = ("-O2", "-std=c99", "-Wall", "-Wextra", "-ffunction-sections", "-fdata-sections", "-fno-strict-aliasing")
LDFLAGS = ("-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections")
MARKERS = ("pycmsisnn_invoke_start", "pycmsisnn_invoke_end", "pycmsisnn_layer_done")
HARNESS_SOURCES = ("startup.c", "semihost.c")
LIBRARY_DIR = "cmsis_nn"  # a generated project's copy of the kernel library


@dataclass(frozen=True)
class SectionSizes:
    """Bytes per output section of the ELF, and the totals that matter."""

    sections: Mapping[str, int]

    def _sum(self, *names: str) -> int:
        return sum(self.sections.get(n, 0) for n in names)

    @property
    def code(self) -> int:
        return self._sum(".vectors", ".text", ".ARM.extab", ".ARM.exidx")

    @property
    def const(self) -> int:
        return self._sum(".rodata")

    @property
    def data(self) -> int:
        return self._sum(".data")

    @property
    def bss(self) -> int:
        return self._sum(".bss")

    @property
    def stack(self) -> int:
        return self._sum(".stack")

    @property
    def flash(self) -> int:
        """Code, constants and the .data load image."""
        return self.code + self.const + self.data

    @property
    def ram(self) -> int:
        """.data, .bss (arena, I/O buffers) and the reserved stack."""
        return self.data + self.bss + self.stack


@dataclass(frozen=True)
class BuildResult:
    """An ELF built for one core from one project."""

    elf: Path
    core: Core
    project: ProjectInfo
    sizes: SectionSizes
    markers: Mapping[str, int]  # marker function -> address
    dump_layers: bool


def build_project(
    project_dir: str | Path,
    name: str,
    core: str | Core,
    out_dir: str | Path,
    *,
    cmsis_nn: str | Path | None = None,
    dump_layers: bool = False,
    defines: Mapping[str, str | int | None] | Sequence[str] = (),
    stack_size: int | None = None,
) -> BuildResult:
    """Build ``project_dir`` (NAME.h, NAME.c) for ``core`` into ``out_dir``.

    ``cmsis_nn``: the kernel library root (``Include/`` and ``Source/``:
    Arm's checkout, or ours), with our additions from the project's copy;
    default the project's ``cmsis_nn`` copy (or, for a project converted
    for Arm's library, the checkout its report.json names). ``dump_layers``
    compiles with ``PYCMSISNN_TENSOR_TABLE`` (each layer's output is written
    out). ``defines`` are extra preprocessor definitions for NAME.c;
    ``stack_size`` overrides the board's default stack bytes.
    """
    target = core if isinstance(core, Core) else get_core(core)
    info = read_project(project_dir, name)
    files = kernel_files(info, cmsis_nn)
    tools = cross_tools()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if stack_size is not None and (not isinstance(stack_size, int) or stack_size < 1024 or stack_size % 8):
        raise ProjectError(f"stack_size {stack_size!r}: must be a multiple of 8, at least 1024 bytes")

    includes = [f"-I{info.directory}"] + [f"-I{d}" for d in _include_dirs(files)] + [f"-I{SUPPORT}"]
    model_defines = [
        f"-DPYCMSISNN_MODEL={info.name}",
        f'-DPYCMSISNN_MODEL_HEADER="{info.name}.h"',
        f"-DPYCMSISNN_MODEL_MACROS={info.macro_prefix}",
    ] + (["-DPYCMSISNN_TENSOR_TABLE"] if dump_layers else [])
    model_flags = model_defines + ["-include", "pycmsisnn_target.h", "-DPYCMSISNN_LAYER_DONE(i)=pycmsisnn_layer_done(i)"]
    jobs = [
        (info.source, out / f"{info.name}.o", model_flags + _define_flags(defines)),
        (SUPPORT / "harness.c", out / "harness.o", model_defines),
    ] + [(SUPPORT / s, out / s.replace(".c", ".o"), []) for s in HARNESS_SOURCES]
    base = [str(tools.gcc), *target.cflags, *CFLAGS, *includes]
    _run_all([[*base, *extra, "-c", str(src), "-o", str(obj)] for src, obj, extra in jobs])
    libraries = [kernel_library(files, target, tools, out)]

    elf = out / f"{info.name}-{target.short}.elf"
    link = [
        str(tools.gcc), *target.cflags, *LDFLAGS,
        f"-T{SUPPORT / 'ld' / target.linker_script}", f"-L{SUPPORT / 'ld'}",
        f"-Wl,-Map={out / (elf.stem + '.map')}",
        *[str(obj) for _, obj, _ in jobs], *[str(lib) for lib in libraries], "-o", str(elf),
    ]
    if stack_size is not None:
        link.insert(len(target.cflags) + 1, f"-Wl,--defsym=__pycmsisnn_stack_size={stack_size}")
    _run(link, what=f"linking {info.name} for {target.name} ({target.machine})")
    return BuildResult(elf, target, info, section_sizes(elf, tools), marker_addresses(elf, tools), dump_layers)


def kernel_files(info: ProjectInfo, cmsis_nn: str | Path | None = None) -> LibraryFiles:
    """The kernel library files a build of the project compiles (see ``build_project``)."""
    copy = info.directory / LIBRARY_DIR
    root = Path(cmsis_nn) if cmsis_nn is not None else copy
    if cmsis_nn is None and not (copy / "Include" / "arm_nnfunctions.h").is_file():
        root = _reported_library(info) or copy  # a copy of our additions only: converted for Arm's library
    if not (root / "Include").is_dir() or not (root / "Source").is_dir():
        raise ProjectError(
            f"kernel library {root}: needs Include/ and Source/ (a project's cmsis_nn copy, "
            "or pass cmsis_nn= the library root)"
        )
    try:
        return library_files(root, copy if (copy / "Include").is_dir() else CSRC)
    except LibraryError as exc:
        raise ProjectError(str(exc)) from None


def build_sources(project_dir: str | Path, name: str, cmsis_nn: str | Path | None = None) -> list[Path]:
    """Every C file of the model and its kernels that ``build_project`` compiles
    (the harness aside): NAME.c, then the library's sources."""
    info = read_project(project_dir, name)
    return [info.source] + kernel_files(info, cmsis_nn).all_sources()


def _reported_library(info: ProjectInfo) -> Path | None:
    """Arm's checkout a project was converted for, from its report.json."""
    try:
        library = json.loads((info.directory / "report.json").read_text()).get("library")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(library) if isinstance(library, str) and library != "pycmsisnn" else None


def _include_dirs(files: LibraryFiles) -> list[Path]:
    return list(dict.fromkeys(files.include_dirs))


def _define_flags(defines: Mapping[str, str | int | None] | Sequence[str]) -> list[str]:
    if isinstance(defines, Mapping):
        return [f"-D{k}" if v is None else f"-D{k}={v}" for k, v in defines.items()]
    return [f"-D{d}" for d in defines]


def kernel_library(files: LibraryFiles, core: Core, tools: CrossTools, out_dir: Path) -> Path:
    """The library's files compiled for ``core`` and archived in ``out_dir``.
    Objects are cached per source file, keyed by its text, every header of
    the include directories, the flags and the compiler, so projects holding
    different subsets of one library share them."""
    sources = files.all_sources()
    if not sources:
        raise ProjectError(f"kernel library {files.root}: no .c files under Source/")
    includes = _include_dirs(files)
    common = hashlib.sha256(compiler_identity(tools.gcc).encode() + repr((core.cflags, CFLAGS)).encode())
    for k, directory in enumerate(includes):
        for path in sorted(directory.rglob("*.h")):
            common.update(f"{k}:{path.relative_to(directory)}".encode() + b"\0" + path.read_bytes() + b"\0")
    cache = cache_dir() / "objects" / core.short
    cache.mkdir(parents=True, exist_ok=True)
    objects, missing = [], []
    for src in sources:
        key = hashlib.sha256(common.digest() + src.name.encode() + b"\0" + src.read_bytes()).hexdigest()[:24]
        obj = cache / f"{src.stem}-{key}.o"
        objects.append(obj)
        if not obj.is_file():
            missing.append((src, obj))
    base = [str(tools.gcc), *core.cflags, *CFLAGS, *[f"-I{d}" for d in includes]]
    partial = {obj: obj.with_name(f"{obj.name}.{os.getpid()}.tmp") for _, obj in missing}
    try:
        _run_all([[*base, "-c", str(src), "-o", str(partial[obj])] for src, obj in missing])
        for final, tmp in partial.items():
            os.replace(tmp, final)  # atomic: a concurrent build sees the whole object or none
    finally:
        for tmp in partial.values():
            tmp.unlink(missing_ok=True)
    tag = hashlib.sha256(f"{files.root.resolve()}\0{files.ours.resolve()}".encode()).hexdigest()[:8]
    archive = out_dir / f"kernels-{tag}.a"
    archive.unlink(missing_ok=True)
    _run([str(tools.ar), "rcs", str(archive), *map(str, objects)], what="archiving the kernel library")
    return archive


def section_sizes(elf: Path, tools: CrossTools) -> SectionSizes:
    """Section sizes from ``arm-none-eabi-size -A -d``."""
    text = _run([str(tools.size), "-A", "-d", str(elf)], what="measuring sections")
    sections: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            sections[parts[0]] = int(parts[1])
    return SectionSizes(sections)


def marker_addresses(elf: Path, tools: CrossTools) -> dict[str, int]:
    """Addresses of the harness's marker functions (Thumb bit cleared)."""
    text = _run([str(tools.nm), str(elf)], what="listing symbols")
    found = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in MARKERS:
            found[parts[2]] = int(parts[0], 16) & ~1
    missing = [m for m in MARKERS if m not in found]
    if missing:
        raise BuildError(f"{elf.name}: marker functions {missing} not found")
    return found


def symbol_at(elf: Path, address: int) -> str | None:
    """The function of ``elf`` whose code holds ``address`` ("name+0xoffset"), if any."""
    text = _run([str(cross_tools().nm), "-S", "--defined-only", str(elf)], what="listing symbols")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            start, size = int(parts[0], 16) & ~1, int(parts[1], 16)
            if start <= address < start + size:
                return f"{parts[3]}+0x{address - start:x}"
    return None


def _run(cmd: list[str], *, what: str) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{what}: no result after {COMPILE_TIMEOUT:.0f} s: {' '.join(cmd)}") from None
    if proc.returncode != 0:
        raise BuildError(f"{what} failed:\n{_explain(proc.stderr)}\ncommand: {' '.join(cmd)}")
    return proc.stdout


def _explain(stderr: str) -> str:
    """The compiler's message, with a plain statement first when a region overflowed."""
    overflow = re.search(r"region [`']?(\w+)'? overflowed by (\d+) bytes", stderr)
    note = f"the program does not fit: memory region {overflow.group(1)} is {overflow.group(2)} bytes short\n" if overflow else ""
    return note + stderr.strip()


def _run_all(commands: list[list[str]]) -> None:
    """Compile in parallel (one job per CPU); the first failure is raised."""
    src_of = {id(c): c[c.index("-c") + 1] for c in commands}
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        futures = [pool.submit(_run, c, what=f"compiling {Path(src_of[id(c)]).name}") for c in commands]
        for f in futures:
            f.result()
