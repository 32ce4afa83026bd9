"""Progress bars for long commands (``verify`` over many samples, ``check``
across cores), drawn with rich on stderr.

The library never prints: its long loops take an optional ``Progress``
callable (``progress`` below, partly applied) that wraps the iterable they
walk. The command line turns the bar on only when stderr is a terminal and
the output is not JSON.
"""
from __future__ import annotations

import sys
from typing import Callable, Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")

# What a library loop accepts: wrap (items, total, description) -> the same items.
Progress = Callable[[Iterable[int], int, str], Iterable[int]]


def wanted(stream: TextIO | None = None, *, json_output: bool = False) -> bool:
    """A bar is drawn on a terminal only, and never beside JSON output."""
    stream = stream or sys.stderr
    return not json_output and bool(getattr(stream, "isatty", lambda: False)())


def progress(items: Iterable[T], total: int, desc: str, enabled: bool | None = None, stream: TextIO | None = None) -> Iterator[T]:
    """Yield ``items``, drawing a bar of ``total`` steps on ``stream`` (stderr)
    when ``enabled`` (None: when ``stream`` is a terminal). The bar is removed
    when the loop ends, so that what the command prints after stays clean."""
    stream = stream or sys.stderr
    if enabled is None:
        enabled = wanted(stream)
    if not enabled:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

    console = Console(file=stream, force_terminal=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Bar(*columns, console=console, transient=True, redirect_stdout=False, redirect_stderr=False) as bar:
        task = bar.add_task(desc, total=total)
        for item in items:
            yield item
            bar.advance(task)
        bar.refresh()


def bar(enabled: bool, stream: TextIO | None = None) -> Progress | None:
    """A ``Progress`` for the library's loops, or None when no bar is wanted."""
    if not enabled:
        return None

    def wrap(items: Iterable[int], total: int, desc: str) -> Iterable[int]:
        return progress(items, total, desc, True, stream)

    return wrap
