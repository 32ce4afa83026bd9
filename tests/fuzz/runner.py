"""Runs mutated model files through the command line in worker subprocesses
(``tests.fuzz.worker``), each taking a batch of (file, command) jobs, two
workers at a time. A worker that dies (a signal, or an exit of its own) or
stays longer than ``timeout`` seconds on one job is killed if need be; that
job is recorded as crashed or hung, with the first line of its stderr, and a
fresh worker takes the rest of the batch."""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .mutations import Mutation

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("inspect", "verify", "convert")
STARTUP_S = 30.0  # extra time for the first job of a worker (imports)
GOOD_EXITS = (0, 1, 2)


@dataclass
class Outcome:
    file: str
    command: str
    exit: int | None  # None: the worker died or hung on this job
    signal: int | None = None
    hung: bool = False
    traceback: bool = False
    exception: str | None = None
    where: str | None = None
    stderr: str = ""
    seconds: float = 0.0
    family: str = ""
    description: str = ""

    @property
    def bad(self) -> bool:
        return self.hung or self.signal is not None or self.traceback or self.exit not in GOOD_EXITS

    @property
    def kind(self) -> str:
        """hang, crash, traceback, exit N (bad) or ok N."""
        if self.hung:
            return "hang"
        if self.signal is not None or self.exit is None:
            return "crash"
        if self.traceback:
            return "traceback"
        return f"{'ok' if self.exit in GOOD_EXITS else 'exit'} {self.exit}"

    def brief(self) -> str:
        what = {"hang": f"hung at {self.where or '?'}", "crash": f"crashed ({signal_name(self.signal) if self.signal else f'exit {self.exit}'}) at {self.where or '?'}",
                "traceback": f"traceback {self.exception or ''} at {self.where or '?'}"}.get(self.kind, f"exit {self.exit}")
        said = "" if self.kind == "traceback" else f" | stderr: {self.stderr[:160]}"
        return f"[{self.family}] {self.description} | {self.command}: {what}{said}"


def signal_name(number: int | None) -> str:
    try:
        return signal.Signals(number or 0).name
    except ValueError:
        return f"signal {number}"


@dataclass(frozen=True)
class Options:
    workers: int = 2
    timeout: float = 30.0  # seconds per job
    batch_files: int = 40
    memory_mb: int = 4096
    measure: bool = False  # convert builds the project with the cross compiler


Job = tuple[str, str]  # (file, command)


class _Tail:
    """The complete lines a worker has written so far to its results file."""

    def __init__(self, path: Path) -> None:
        self.path, self.pos, self.partial = path, 0, ""
        self.lines: list[str] = []

    def read(self) -> int:
        if self.path.exists():
            with self.path.open() as f:
                f.seek(self.pos)
                chunk = f.read()
                self.pos = f.tell()
            parts = (self.partial + chunk).split("\n")
            self.partial = parts.pop()
            self.lines += [p for p in parts if p.strip()]
        return len(self.lines)


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _first_line(text: str) -> str:
    return next((ln.strip()[:300] for ln in text.splitlines() if ln.strip()), "")


_FRAME = re.compile(r'File "[^"]*pycmsisnn/([^"]+)", line (\d+) in (\S+)')


def _fault_frame(text: str) -> str | None:
    """The innermost pycmsisnn frame of a faulthandler dump (most recent call first)."""
    found = _FRAME.search(text)
    return f"{found.group(1)}:{found.group(2)} in {found.group(3)}" if found else None


def _worker(jobs: Sequence[Job], jobs_path: Path, results: Path, opts: Options) -> tuple[list[Outcome], Outcome | None]:
    """One worker on ``jobs``: the outcomes it wrote, and the job it died or hung on."""
    jobs_path.write_text(json.dumps([{"file": f, "command": c} for f, c in jobs]))
    cmd = [sys.executable, "-m", "tests.fuzz.worker", str(jobs_path), str(results), "--memory-mb", str(opts.memory_mb)]
    cmd += ["--measure"] if opts.measure else []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), TF_CPP_MIN_LOG_LEVEL="3")
    log = results.with_name(results.name + ".log").open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    tail, last, hung = _Tail(results), time.monotonic(), False
    try:
        while proc.poll() is None:
            before = len(tail.lines)
            if tail.read() > before:
                last = time.monotonic()
            if time.monotonic() - last > opts.timeout + (STARTUP_S if not tail.lines else 0):
                os.kill(proc.pid, signal.SIGUSR1)  # the worker dumps its stack to the job's .err file
                time.sleep(0.5)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                hung = True
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    tail.read()
    done = [Outcome(**json.loads(line)) for line in tail.lines]
    if len(done) >= len(jobs):
        return done, None
    file, command = jobs[len(done)]
    rc = proc.returncode
    err = _read(results.with_name(results.name + ".err"))
    if hung:
        return done, Outcome(file, command, None, hung=True, stderr=_first_line(err), where=_fault_frame(err), seconds=opts.timeout)
    return done, Outcome(file, command, None if rc < 0 else rc, signal=-rc if rc < 0 else None, stderr=_first_line(err), where=_fault_frame(err))


def _batch(jobs: Sequence[Job], work: Path, name: str, opts: Options) -> list[Outcome]:
    outcomes: list[Outcome] = []
    attempt = 0
    while jobs:
        done, failed = _worker(jobs, work / f"{name}-{attempt}.json", work / f"{name}-{attempt}.jsonl", opts)
        outcomes += done
        if failed is None:
            break
        outcomes.append(failed)
        jobs = jobs[len(done) + 1 :]
        attempt += 1
    return outcomes


def run_jobs(jobs: Sequence[Job], work: Path, opts: Options = Options(), progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Every job's outcome, in the order of ``jobs`` (a file's commands kept together in one batch)."""
    work.mkdir(parents=True, exist_ok=True)
    files = list(dict.fromkeys(f for f, _ in jobs))
    by_file: dict[str, list[Job]] = {f: [] for f in files}
    for job in jobs:
        by_file[job[0]].append(job)
    todo: queue.Queue[tuple[int, list[Job]]] = queue.Queue()
    for k in range(0, len(files), opts.batch_files):
        todo.put((k, [j for f in files[k : k + opts.batch_files] for j in by_file[f]]))
    results: list[Outcome] = []
    lock = threading.Lock()

    def serve() -> None:
        while True:
            try:
                k, batch = todo.get_nowait()
            except queue.Empty:
                return
            got = _batch(batch, work, f"batch{k:06d}", opts)
            with lock:
                results.extend(got)
                if progress is not None:
                    progress(len(results), len(jobs))

    threads = [threading.Thread(target=serve, daemon=True) for _ in range(max(1, opts.workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    order = {job: i for i, job in enumerate(jobs)}
    return sorted(results, key=lambda o: order.get((o.file, o.command), len(order)))


def run_mutations(mutations: Iterable[Mutation], work: Path, commands: Sequence[str] = COMMANDS, opts: Options = Options(),
                  progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Writes each mutated file into ``work`` and runs ``commands`` on it."""
    work.mkdir(parents=True, exist_ok=True)
    known: dict[str, Mutation] = {}
    jobs: list[Job] = []
    for i, m in enumerate(mutations):
        path = work / f"m{i:06d}.tflite"
        path.write_bytes(m.data)
        known[str(path)] = m
        jobs += [(str(path), c) for c in commands]
    outcomes = run_jobs(jobs, work / "workers", opts, progress)
    for o in outcomes:
        m = known[o.file]
        o.family, o.description = m.family, m.description
    return outcomes


def to_json(outcomes: Iterable[Outcome]) -> list[dict[str, object]]:
    return [asdict(o) for o in outcomes]
