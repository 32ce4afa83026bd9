"""Patch-based execution of a network's first layers: a chain of convolutions
computed in bands of output rows, so that its large intermediate activations
never exist whole.

A chain is calls ``first`` .. ``last`` of the plan, each
``arm_convolve_wrapper_s8`` or ``arm_depthwise_conv_wrapper_s8`` on one
batch (any stride, padding and dilation; no 1xN filter, whose band of one
row the wrapper would send to another kernel), each reading the previous
one's output, which nothing else reads and which is no model output. It
starts at the network's first call. Generated code computes the last
layer's output in bands of ``band_rows`` full-width rows: full-width row
bands are contiguous in NHWC, so every layer's input window is a row range
of a buffer, passed as a pointer, with no copy. Working backwards from the
band, each layer gets the output rows the next one reads (output row r of a
layer with stride s, top padding p, filter height k and dilation d reads
input rows r * s - p .. r * s - p + (k - 1) * d), which overlap from one band
to the next: the overlap is recomputed. Each layer's call is the layer's own
CMSIS-NN call on its window: ``padding.h`` is the top padding left above the
window (the real top padding in the first band, 0 at an interior cut) and
``input_dims.h`` the window's rows. The kernels read rows at or beyond
``input_dims.h`` as padding, so the window ends exactly where the band's
rows end: at an interior cut no row is missing, and only at the real bottom
do the rows beyond the input count as padding, as in the whole layer. Each
intermediate band lives in a band buffer (two of them, in turn: layer i
reads one and writes the other), sized for the band that needs the most
rows; the chain's scratch is one buffer, the largest of its layers'.

The memory planner (``pycmsisnn.memory.plan_arena``) tries chains only where
the plan does not fit (the core's RAM or the caller's ``arena_limit``), and
keeps one only when it lowers the arena. It plans every chain length (up to
``MAX_CHAIN``) and band height (``BAND_CHOICES``) and takes, of those that
fit, the one recomputing the fewest MACs (then the fewest bands); where none
fits, the lowest arena (then the fewest MACs). The cost in instructions is
measured by ``pycmsisnn bench``, which counts the program with and without
the chain under QEMU; the codegen report gives the recomputed MACs.
``PYCMSISNN_NO_PATCHES=1`` (or
``PYCMSISNN_NO_FUSION=1``, or ``plan_arena(..., patches=False)``) switches it
off; ``PYCMSISNN_PATCHES=all`` takes the best chain whether or not it lowers
the arena, ``PYCMSISNN_PATCHES=LxR`` the chain of L layers in bands of R rows
(tests). The host runtime runs every layer whole.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

from .fusion import IN_PLACE_BAND_KERNELS, RowWindow
from .ir import Graph
from .lower import KernelCall, Plan, TensorArg
from .scratch import KERNELS_WITHOUT_SCRATCH, ScratchNeed, call_scratch

NO_PATCHES_ENV = "PYCMSISNN_NO_PATCHES"
PATCHES_ENV = "PYCMSISNN_PATCHES"
ARENA_LIMIT_ENV = "PYCMSISNN_ARENA_LIMIT"
PATCH_KERNELS = IN_PLACE_BAND_KERNELS  # the kernels that take a window of rows, and their parameter argument
MAX_CHAIN = 8  # layers
BAND_CHOICES = (1, 2, 3, 4, 6, 8, 12, 16)  # output rows of the chain's last layer per band
ROW_LIMIT = 32767  # rows fit the int16_t band table of generated code


@dataclass(frozen=True)
class Geometry:
    """What the rows of one chain layer depend on."""

    in_h: int
    out_h: int
    stride: int
    pad_top: int
    filter_h: int
    dilation: int
    in_row_bytes: int
    out_row_bytes: int

    @property
    def window(self) -> RowWindow:
        return RowWindow.of(self.in_h, self.stride, self.pad_top, self.filter_h, self.dilation)


@dataclass(frozen=True)
class Window:
    """One layer's call in one band: its input rows from ``in_first`` (of the
    chain input for the first layer, else of the previous band buffer, where
    it is 0), the top padding above them, and its output rows from
    ``out_first`` (of the chain output for the last layer, else 0 of its
    band buffer)."""

    in_first: int
    in_rows: int
    pad_top: int
    out_first: int
    out_rows: int


@dataclass(frozen=True)
class PatchChain:
    """Calls ``first`` .. ``last`` computed together in bands of ``band_rows`` output rows."""

    first: int
    last: int
    band_rows: int
    input: int  # tensor read whole
    output: int  # tensor written band by band
    intermediates: tuple[int, ...]  # outputs of first .. last - 1: band buffers only
    bands: tuple[tuple[Window, ...], ...]  # per band, one window per layer
    buffer_bytes: tuple[int, ...]  # per intermediate: the largest band it holds
    macs: int  # the chain's MACs, each layer whole
    patched_macs: int  # its MACs in bands, the overlap recomputed

    @property
    def calls(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def layers(self) -> int:
        return self.last - self.first + 1

    @property
    def recomputed(self) -> float:
        """Recomputed MACs as a fraction of the chain's."""
        return self.patched_macs / self.macs - 1 if self.macs else 0.0

    def buffer_slot(self, index: int) -> int:
        """Which of the two band buffers intermediate ``index`` lives in."""
        return index % 2

    def describe(self) -> str:
        return (f"layers {self.first}-{self.last} in {len(self.bands)} bands of {self.band_rows} output row(s), "
                f"recomputing {100 * self.recomputed:.1f} % of their MACs ({self.patched_macs - self.macs:,})")


def patches_mode() -> str:
    """"off", "auto", "all" or "LxR" from the environment."""
    if os.environ.get(NO_PATCHES_ENV, "") not in ("", "0"):
        return "off"
    return os.environ.get(PATCHES_ENV, "") or "auto"


def env_arena_limit() -> int | None:
    value = os.environ.get(ARENA_LIMIT_ENV, "")
    return int(value) if value else None


def _tensor(value: object) -> int | None:
    return value.index if isinstance(value, TensorArg) and value.shape is None else None


def geometry(graph: Graph, call: KernelCall) -> Geometry | None:
    """The rows of a patchable call, or None."""
    name = PATCH_KERNELS.get(call.kernel)
    x = _tensor(call.args.get("input")) if name else None
    if name is None or x is None or len(call.outputs) != 1:
        return None
    p = call.args[name]
    xs, ys = tuple(graph.tensor(x).shape), tuple(int(d) for d in call.args["output_shape"])
    fs = tuple(call.args["filter"].shape)
    if len(xs) != 4 or len(ys) != 4 or xs[0] != 1 or tuple(graph.tensor(call.outputs[0]).shape) != ys or p.padding.h < 0:
        return None
    if call.kernel == "arm_convolve_wrapper_s8" and fs[1] == 1 and fs[2] != 1:
        return None  # a band of one row would reach arm_convolve_1_x_n_s8
    if max(xs[1], ys[1]) > ROW_LIMIT or graph.tensor(x).is_constant:
        return None
    return Geometry(int(xs[1]), int(ys[1]), int(p.stride.h), int(p.padding.h), int(fs[1]), int(p.dilation.h),
                    int(xs[2] * xs[3]), int(ys[2] * ys[3]))


def chain_calls(plan: Plan) -> list[int]:
    """The calls a chain from the first call may take, in order (at most ``MAX_CHAIN``)."""
    graph, calls = plan.graph, plan.calls
    readers: dict[int, list[int]] = {}
    for k, call in enumerate(calls):
        for i in dict.fromkeys(call.tensor_inputs()):
            readers.setdefault(i, []).append(k)
    taken: list[int] = []
    for k, call in enumerate(calls[:MAX_CHAIN]):
        if geometry(graph, call) is None:
            break
        if taken:
            prev = calls[taken[-1]].outputs[0]
            if _tensor(call.args.get("input")) != prev or readers.get(prev) != [k] or prev in graph.outputs:
                break
        taken.append(k)
    return taken


def band_plan(plan: Plan, layers: int, band_rows: int) -> PatchChain | None:
    """The chain of the first ``layers`` calls in bands of ``band_rows`` rows, or None."""
    calls = chain_calls(plan)
    if layers < 2 or layers > len(calls):
        return None
    graph = plan.graph
    geo = [geometry(graph, plan.calls[k]) for k in calls[:layers]]
    assert all(g is not None for g in geo)
    gs: list[Geometry] = [g for g in geo if g is not None]
    out_h = gs[-1].out_h
    if band_rows < 1 or band_rows >= out_h:
        return None
    bands = []
    largest = [0] * (layers - 1)
    patched = [0] * layers
    for first in range(0, out_h, band_rows):
        rows = min(band_rows, out_h - first)
        windows: list[Window] = []
        lo, n = first, rows  # output rows of layer i (absolute)
        for i in range(layers - 1, -1, -1):
            in_first, in_rows, pad = gs[i].window.rows(lo, lo + n)
            out_first = lo if i == layers - 1 else 0
            windows.append(Window(in_first if i == 0 else 0, in_rows, pad, out_first, n))
            patched[i] += n
            if i > 0:
                largest[i - 1] = max(largest[i - 1], in_rows)
                lo, n = in_first, in_rows
        bands.append(tuple(reversed(windows)))
    first_call = calls[0]
    per_row = [plan.calls[k].macs / g.out_h for k, g in zip(calls, gs)]
    return PatchChain(
        first=first_call, last=calls[layers - 1], band_rows=band_rows,
        input=int(_tensor(plan.calls[first_call].args["input"]) or 0), output=plan.calls[calls[layers - 1]].outputs[0],
        intermediates=tuple(plan.calls[k].outputs[0] for k in calls[:layers - 1]), bands=tuple(bands),
        buffer_bytes=tuple(r * g.out_row_bytes for r, g in zip(largest, gs)),
        macs=sum(plan.calls[k].macs for k in calls[:layers]),
        patched_macs=int(round(sum(n * m for n, m in zip(patched, per_row)))),
    )


def candidates(plan: Plan) -> list[PatchChain]:
    """Every chain length and band height worth planning."""
    n = len(chain_calls(plan))
    found = (band_plan(plan, layers, rows) for layers in range(2, n + 1) for rows in BAND_CHOICES)
    return [c for c in found if c is not None]


def forced(plan: Plan, mode: str) -> PatchChain | None:
    """The chain ``mode`` "LxR" names, or None."""
    layers, _, rows = mode.partition("x")
    if not (layers.isdigit() and rows.isdigit()):
        raise ValueError(f"{PATCHES_ENV}={mode}: expected 'all' or LAYERSxROWS such as 3x2")
    return band_plan(plan, int(layers), int(rows))


def band_scratch(plan: Plan, chain: PatchChain, core: str, library: str) -> tuple[tuple[ScratchNeed, ...], ...]:
    """Per chain call, its scratch on ``core``: the most any of its band calls needs."""
    graph = plan.graph
    needs: list[tuple[ScratchNeed, ...]] = []
    for i, k in enumerate(chain.calls):
        call = plan.calls[k]
        whole = call_scratch(graph, call, core, library)
        if not whole or (library == "pycmsisnn" and call.reached in KERNELS_WITHOUT_SCRATCH):
            needs.append(whole)
            continue
        name = PATCH_KERNELS[call.kernel]
        p = call.args[name]
        x = tuple(graph.tensor(call.args["input"].index).shape)
        y = tuple(int(d) for d in call.args["output_shape"])
        most = max(n.nbytes for n in whole)
        for w in {(w.in_rows, w.pad_top, w.out_rows) for band in chain.bands for w in (band[i],)}:
            params = replace(p, padding=replace(p.padding, h=w[1]))
            args = dict(call.args) | {name: params, "input": TensorArg(call.args["input"].index, (1, w[0], x[2], x[3])),
                                      "output_shape": (1, w[2], y[2], y[3])}
            band_call = replace(call, args=args)
            most = max(most, *(n.nbytes for n in call_scratch(graph, band_call, core, library)))
        needs.append(tuple(ScratchNeed(n.role, most) for n in whole))
    return tuple(needs)


def chain_of(chain: PatchChain | None, call: int) -> PatchChain | None:
    return chain if chain is not None and call in chain.calls else None


__all__ = [
    "ARENA_LIMIT_ENV", "NO_PATCHES_ENV", "PATCHES_ENV", "PatchChain", "Window", "band_plan", "band_scratch", "candidates",
    "chain_calls", "chain_of", "env_arena_limit", "forced", "patches_mode",
]
