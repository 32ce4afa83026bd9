#!/usr/bin/env python3
"""Run Arm's CMSIS-NN integer unit tests against our kernel library or Arm's.

    tools/run-arm-unit-tests ARM_ROOT --target host|cortex-m4|cortex-m55
        [--library ours|arm] [--filter REGEX] [--jobs N] [--timeout S] [--keep DIR]

ARM_ROOT is a checkout of Arm's CMSIS-NN. Every integer test directory
``Tests/UnitTest/TestCases/test_arm_*/`` (not ``_f16``/``_f32``) is compiled
unmodified: its ``Unity/unity_test_<name>.c`` (which includes the test source
and, through it, the ``TestData`` headers), a runner generated here that calls
every ``void test_*(void)`` of that file, and our own Unity-compatible shim
(``tools/unity_shim``: Arm's build downloads Unity). It is linked against the
chosen kernel library: ``ours`` (``pycmsisnn/csrc``) or ``arm`` (ARM_ROOT's
``Include``/``Source``, without the float kernels), and run: on the host
(gcc), or on a Cortex-M core under QEMU with pycmsisnn's start-up code, linker
scripts and semihosting (``pycmsisnn/qemu_support``), the kernel library
compiled and cached by ``pycmsisnn.targets.build.kernel_library``.

Prints one line per directory, ``test_arm_<name>: N passed, M failed``
(followed by an indented reason when the directory did not compile or the
program did not finish: then every test it did not report passed counts as
failed), and a final ``N passed, M failed`` line. Exit status 0 when nothing
failed, 1 otherwise, 2 for bad arguments or a missing tool.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pycmsisnn.cores import CORES, Core  # noqa: E402
from pycmsisnn.library_files import LibraryFiles  # noqa: E402
from pycmsisnn.targets import build as target_build  # noqa: E402
from pycmsisnn.targets.errors import BuildError, ToolchainError  # noqa: E402
from pycmsisnn.targets.qemu import qemu_command, qemu_slot  # noqa: E402
from pycmsisnn.targets.toolchain import cache_dir, cross_tools, qemu_system_arm  # noqa: E402

SHIM = REPO / "tools" / "unity_shim"
OUR_LIBRARY = REPO / "pycmsisnn" / "csrc"
TEST_CASES = Path("Tests") / "UnitTest" / "TestCases"
HOST = "host"
LIBRARIES = ("ours", "arm")
HOST_CFLAGS = ("-O2", "-std=c99", "-Wall", "-Wextra", "-fno-strict-aliasing")
# The tests: as Arm's build treats them, a call to an undeclared function is an error.
TEST_CFLAGS = ("-O2", "-Werror=implicit-function-declaration", "-Wno-unused-parameter")
TARGET_STACK = 256 * 1024  # bytes: the tests keep their output arrays on the stack
COMPILE_TIMEOUT = 300.0  # seconds per compiler call
DEFAULT_TIMEOUT = 120.0  # seconds per test program

_TEST_FUNCTION = re.compile(r"^\s*void\s+(test_\w+)\s*\(\s*void\s*\)", re.M)
_RESULT_LINE = re.compile(r"^[^\n]*?:\d+:(test_\w+):(PASS|FAIL)\b", re.M)


@dataclass(frozen=True)
class TestDir:
    """One test directory of Arm's tree: its name, its Unity file and its test functions."""

    name: str
    unity_file: Path
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What one directory gave: the tests that passed, and why others did not run, if so."""

    directory: TestDir
    passed: frozenset[str]
    reason: str = ""

    @property
    def failed(self) -> int:
        return len(self.directory.tests) - len(self.passed)

    def lines(self) -> list[str]:
        out = [f"{self.directory.name}: {len(self.passed)} passed, {self.failed} failed"]
        if self.reason:
            out.append(f"    {self.reason}")
        return out


@dataclass(frozen=True)
class Library:
    """A kernel library to link: its include directory and something to link with."""

    include: Path
    link: tuple[Path, ...]


class ToolError(Exception):
    """Bad arguments or a missing tool: exit status 2."""


# ------------------------------------------------------------- discovery


def discover(arm_root: Path, pattern: str | None) -> list[TestDir]:
    """The integer test directories of ``arm_root`` whose name matches ``pattern``."""
    cases = arm_root / TEST_CASES
    if not cases.is_dir():
        raise ToolError(f"{arm_root}: no {TEST_CASES} directory (is it a CMSIS-NN checkout?)")
    regex = re.compile(pattern) if pattern else None
    found = []
    for d in sorted(cases.glob("test_arm_*")):
        if not d.is_dir() or re.search(r"_f(16|32)$", d.name):
            continue
        if regex is not None and not regex.search(d.name):
            continue
        unity = d / "Unity" / f"unity_{d.name}.c"
        tests = tuple(_TEST_FUNCTION.findall(unity.read_text(errors="replace"))) if unity.is_file() else ()
        found.append(TestDir(d.name, unity, tests))
    return found


def runner_source(directory: TestDir) -> str:
    """A Unity test runner: main() runs every test function of the directory's Unity file."""
    decls = "".join(f"void {t}(void);\n" for t in directory.tests)
    runs = "".join(f"    RUN_TEST({t});\n" for t in directory.tests)
    return (
        f"/* Generated by tools/run_arm_unit_tests.py for {directory.name}. */\n"
        '#include "unity.h"\n\n'
        f"{decls}\n"
        "int main(void)\n{\n"
        f'    UnityBegin("{directory.unity_file.name}");\n'
        f"{runs}"
        "    return UnityEnd();\n}\n"
    )


# ------------------------------------------------------------- libraries


def library_root(library: str, arm_root: Path, work: Path) -> Path:
    """A root with Include/ and Source/ holding only the integer kernels of ``library``."""
    if library == "ours":
        return OUR_LIBRARY
    root = work / "arm-integer"
    if not root.is_dir():
        for src in sorted((arm_root / "Source").rglob("*.c")):
            if "_f32" in src.name or "_f16" in src.name:
                continue
            dest = root / "Source" / src.relative_to(arm_root / "Source")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.symlink_to(src)
        (root / "Include").symlink_to(arm_root / "Include")
    return root


def host_library(root: Path, work: Path, jobs: int) -> Library:
    """The library under ``root`` compiled with the host gcc and archived (objects cached by content)."""
    gcc, ar = _host_tool("gcc"), _host_tool("ar")
    include = root / "Include"
    common = hashlib.sha256(repr(HOST_CFLAGS).encode())
    for h in sorted(include.rglob("*.h")):
        common.update(str(h.relative_to(include)).encode() + b"\0" + h.read_bytes())
    cache = cache_dir() / "objects" / "unit-host"
    cache.mkdir(parents=True, exist_ok=True)
    todo, objects = [], []
    for src in sorted((root / "Source").rglob("*.c")):
        key = hashlib.sha256(common.digest() + src.name.encode() + src.read_bytes()).hexdigest()[:24]
        obj = cache / f"{src.stem}-{key}.o"
        objects.append(obj)
        if not obj.is_file():
            todo.append((src, obj))

    def compile_one(item: tuple[Path, Path]) -> None:
        src, obj = item
        tmp = obj.with_name(f"{obj.name}.{os.getpid()}.tmp")
        _check([gcc, *HOST_CFLAGS, f"-I{include}", "-c", str(src), "-o", str(tmp)], f"compiling {src.name}")
        os.replace(tmp, obj)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(compile_one, todo))
    archive = work / "kernels-host.a"
    archive.unlink(missing_ok=True)
    _check([ar, "rcs", str(archive), *map(str, objects)], "archiving the kernel library")
    return Library(include, (archive,))


def target_library(root: Path, core: Core, work: Path) -> Library:
    """The library under ``root`` compiled for ``core`` by the target pipeline's (cached) build."""
    # every C file of the root, nothing added (the root already holds what the tests link)
    files = LibraryFiles(root=root, ours=root, sources=tuple(sorted((root / "Source").rglob("*.c"))), our_sources=(), our_headers=())
    archive = target_build.kernel_library(files, core, cross_tools(), work)
    return Library(root / "Include", (archive,))


# ------------------------------------------------------------- one directory


def run_directory(directory: TestDir, target: str, library: Library, work: Path, timeout: float) -> Outcome:
    """Compile, link and run one test directory."""
    if not directory.tests:
        return Outcome(directory, frozenset(), f"no test functions found in {directory.unity_file}")
    out = work / directory.name
    out.mkdir(parents=True, exist_ok=True)
    runner = out / "runner.c"
    runner.write_text(runner_source(directory))
    sources = [directory.unity_file, runner, SHIM / "unity.c"]
    includes = [f"-I{SHIM}", f"-I{library.include}"]
    if target == HOST:
        program = out / f"{directory.name}"
        cmd = [_host_tool("gcc"), *TEST_CFLAGS, *includes, *map(str, sources), *map(str, library.link), "-o", str(program)]
    else:
        core = CORES[target]
        support = target_build.SUPPORT
        sources += [SHIM / "target_io.c"] + [support / s for s in target_build.HARNESS_SOURCES]
        program = out / f"{directory.name}-{core.short}.elf"
        cmd = [
            str(cross_tools().gcc), *core.cflags, *TEST_CFLAGS, *includes, f"-I{support}",
            *target_build.LDFLAGS, f"-T{support / 'ld' / core.linker_script}", f"-L{support / 'ld'}",
            f"-Wl,--defsym=__pycmsisnn_stack_size={TARGET_STACK}",
            *map(str, sources), *map(str, library.link), "-o", str(program),
        ]
    proc = _compile(cmd)
    if proc.returncode != 0:
        return Outcome(directory, frozenset(), f"does not compile: {_first_error(proc.stderr)}")
    code, console, why = _execute(program, target, out, timeout)
    passed = frozenset(n for n, r in _RESULT_LINE.findall(console) if r == "PASS" and n in directory.tests)
    reported = {n for n, _ in _RESULT_LINE.findall(console)}
    if why:
        return Outcome(directory, passed, why)
    missing = [t for t in directory.tests if t not in reported]
    if missing:
        return Outcome(directory, passed, f"exited with {code} before reporting {missing[0]}")
    return Outcome(directory, passed)


def _execute(program: Path, target: str, cwd: Path, timeout: float) -> tuple[int, str, str]:
    """Run a test program: (exit code, console, reason it did not finish normally or "")."""
    if target == HOST:
        cmd = [str(program)]
    else:
        cmd = qemu_command(qemu_system_arm(), CORES[target].machine, program)
    try:
        if target == HOST:
            proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        else:
            with qemu_slot():
                proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return -1, _text(exc.stdout), f"no exit after {timeout:g} s"
    console = _text(proc.stdout)
    (cwd / "console.txt").write_text(console)
    if proc.returncode < 0:
        return proc.returncode, console, f"killed by signal {-proc.returncode}"
    fault = re.search(r"^PYCMSISNN-(FAULT|STACK-OVERFLOW)[^\n]*", console, re.M)
    if fault:
        pc = re.search(r"^PYCMSISNN-FAULT pc=(\S+)", console, re.M)
        return proc.returncode, console, f"{fault.group(0)}{' at pc ' + pc.group(1) if pc else ''}"
    return proc.returncode, console, ""


def _first_error(stderr: str) -> str:
    for line in stderr.splitlines():
        if re.search(r"\berror\b", line):
            return re.sub(r"^\S*?/TestCases/", "", line.strip())  # paths from TestCases/
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[0] if lines else "no compiler message"


# ------------------------------------------------------------- helpers


def _host_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolError(f"{name} not found on PATH: install the Debian package gcc (or binutils)")
    return found


def _compile(cmd: Sequence[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(list(cmd), capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(list(cmd), 1, "", f"error: no result after {COMPILE_TIMEOUT:g} s")


def _check(cmd: Sequence[str], what: str) -> None:
    proc = _compile(cmd)
    if proc.returncode != 0:
        raise BuildError(f"{what} failed:\n{proc.stderr.strip()}")


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


# ------------------------------------------------------------- main


def run(arm_root: Path, target: str, library: str, pattern: str | None, jobs: int, timeout: float, work: Path) -> list[Outcome]:
    """Every selected directory's outcome, in directory order; prints as it goes."""
    directories = discover(arm_root, pattern)
    root = library_root(library, arm_root, work)
    lib = host_library(root, work, jobs) if target == HOST else target_library(root, CORES[target], work)
    outcomes = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_directory, d, target, lib, work, timeout) for d in directories]
        for f in futures:
            outcome = f.result()
            outcomes.append(outcome)
            print("\n".join(outcome.lines()), flush=True)
    passed = sum(len(o.passed) for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    print(f"{passed} passed, {failed} failed", flush=True)
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run-arm-unit-tests", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("arm_root", type=Path, help="a checkout of Arm's CMSIS-NN")
    parser.add_argument("--target", required=True, help=f"{HOST} or a core: {', '.join(CORES)}")
    parser.add_argument("--library", choices=LIBRARIES, default="ours", help="kernel library to test (default ours)")
    parser.add_argument("--filter", dest="pattern", help="only directories whose name matches this regular expression")
    parser.add_argument("--jobs", type=int, default=2, help="directories built and run at once (default 2)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per test program (default 120)")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    try:
        if args.target != HOST and args.target not in CORES:
            raise ToolError(f"--target {args.target}: must be {HOST} or one of {', '.join(CORES)}")
        if args.jobs < 1 or not args.timeout > 0:
            raise ToolError("--jobs must be at least 1 and --timeout positive")
        if args.library == "arm" and not (args.arm_root / "Source").is_dir():
            raise ToolError(f"{args.arm_root}: no Source/ directory to build --library arm from")
        if args.target != HOST:
            cross_tools()
            qemu_system_arm()
        if args.pattern:
            re.compile(args.pattern)
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            outcomes = run(args.arm_root, args.target, args.library, args.pattern, args.jobs, args.timeout, args.keep)
        else:
            with tempfile.TemporaryDirectory(prefix="pycmsisnn-unit-") as tmp:
                outcomes = run(args.arm_root, args.target, args.library, args.pattern, args.jobs, args.timeout, Path(tmp))
    except (ToolError, ToolchainError, re.error) as exc:
        print(f"run-arm-unit-tests: {exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"run-arm-unit-tests: the kernel library does not build: {exc}", file=sys.stderr)
        return 2
    return 0 if all(o.failed == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
