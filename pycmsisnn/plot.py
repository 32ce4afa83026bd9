"""``pycmsisnn bench --plot FILE``: a figure of a bench report.

Top: instructions per layer, one bar per layer, coloured by the kernel variant
the layer reaches (legend). Bottom: the bytes of the planned arena in use
during each layer, with the arena size as a line.

matplotlib is the optional extra ``plot`` (``pip install 'pycmsisnn[plot]'``);
it is imported here only, with the Agg backend (no display needed).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CmsisNNError
from .bench import BenchReport

FORMATS = (".png", ".svg")
EXTRA_HINT = "pip install 'pycmsisnn[plot]'"


class PlotUnavailable(RuntimeError, CmsisNNError):
    """matplotlib is not installed, or the file type is not one we write."""


@dataclass(frozen=True)
class BenchPlot:
    """What was drawn: per layer its label, instructions, variant and arena
    bytes in use; the arena size; the bars found on each axes afterwards."""

    path: Path
    labels: tuple[str, ...]
    instructions: tuple[int, ...]
    variants: tuple[str, ...]
    arena_live_bytes: tuple[int, ...]
    arena_bytes: int
    instruction_bars: int  # bar patches on the instructions axes
    arena_bars: int  # bar patches on the arena axes
    legend: tuple[str, ...]  # the variants named in the legend, in order


def check_plot_file(path: Path) -> None:
    """Refuse, before any work, a file type we do not write or a missing matplotlib."""
    if path.suffix.lower() not in FORMATS:
        raise PlotUnavailable(f"{path}: --plot writes {' or '.join(FORMATS)} files")
    _pyplot()


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable(f"--plot needs matplotlib: {EXTRA_HINT}") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_bench(report: BenchReport, path: Path) -> BenchPlot:
    """Draw ``report`` into ``path`` (.png or .svg) and say what was drawn."""
    check_plot_file(path)
    plt = _pyplot()
    layers = report.layers
    labels = tuple(f"{r.layer} {r.opcode}" for r in layers)
    variants = tuple(r.kernel for r in layers)
    legend = tuple(dict.fromkeys(variants))  # first-use order
    cmap = plt.get_cmap("tab10" if len(legend) <= 10 else "tab20")
    colour = {v: cmap(i % cmap.N) for i, v in enumerate(legend)}
    x = list(range(len(layers)))

    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(max(8.0, 0.55 * len(layers) + 5), 7.5), constrained_layout=True)
    thousands = plt.FuncFormatter(lambda v, _: f"{v:,.0f}")
    try:
        top.bar(x, [r.instructions for r in layers], color=[colour[v] for v in variants])
        top.set_ylabel("instructions")
        top.yaxis.set_major_formatter(thousands)
        top.set_title(f"{report.model} on {report.target}: {report.instructions:,} instructions per inference")
        handles = [plt.Rectangle((0, 0), 1, 1, color=colour[v]) for v in legend]
        top.legend(handles, legend, fontsize="small", title="kernel variant", loc="upper left", bbox_to_anchor=(1.01, 1.0))

        live = [r.arena_live_bytes for r in layers]
        bottom.bar(x, live, color="slategray")
        bottom.axhline(report.arena_bytes, color="tab:red", linestyle="--", label=f"arena {report.arena_bytes:,} B")
        bottom.set_ylabel("arena bytes in use")
        bottom.yaxis.set_major_formatter(thousands)
        bottom.set_title("planned arena: bytes of live tensors and scratch during each layer")
        bottom.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
        bottom.set_xticks(x)
        bottom.set_xticklabels(labels, rotation=60, ha="right", fontsize="small")
        fig.savefig(path)
        return BenchPlot(
            path=path,
            labels=labels,
            instructions=tuple(r.instructions for r in layers),
            variants=variants,
            arena_live_bytes=tuple(live),
            arena_bytes=report.arena_bytes,
            instruction_bars=len(top.patches),
            arena_bars=len(bottom.patches),
            legend=tuple(t.get_text() for t in top.get_legend().get_texts()),
        )
    finally:
        plt.close(fig)
