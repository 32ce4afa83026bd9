"""Activation memory of a plan: tensor lifetimes, the peak of live bytes, and
the arena plan code generation reads.

A tensor lives from the call that produces it (model inputs: from the start,
-1) to the last call that reads it (model outputs: to the end, ``len(calls)``).
``peak_bytes`` is the largest sum of live activation bytes at any call plus
that call's host scratch: what an arena needs without in-place reuse.

``plan_arena`` places every activation tensor and every call's scratch (sized
for the target core, see ``pycmsisnn.scratch``) in one arena:

* in place where an op allows it: the output of RESHAPE / SQUEEZE /
  EXPAND_DIMS (``arm_reshape_s8``, ``reshape_s16``) always shares its input's buffer, so no
  copy is emitted; the elementwise kernels in ``IN_PLACE_KERNELS``, which read
  each element before writing the same element, write over an input of the
  same size whose buffer dies at that call;
* greedy by size, as TensorFlow Lite Micro's greedy planner: largest buffer
  first, each at the lowest aligned offset that overlaps no placed buffer
  alive at the same time (the same greedy placement is also tried in order
  of first use, of size x lifetime and a few more, and the smallest arena kept: on
  MobileNet-like chains first-use order reaches the live peak where
  largest-first does not);
* with each residual ADD fused into the convolution that produces one of its
  inputs (``pycmsisnn.fusion``): the convolution's output gets a band buffer
  of one output row instead of a whole tensor, and the sum is written over
  the ADD's other input; a stride-1 convolution whose output has its dying
  input's shape writes over it in chunks of rows, where that lowers the arena
  (the chunk buffers are the call's last scratch buffer, role "ring");
* where the plan exceeds the core's RAM or the caller's ``arena_limit``
  (``PYCMSISNN_ARENA_LIMIT``), with the network's first convolutions run in
  bands of rows (a patch chain, ``pycmsisnn.patches``), if that lowers the
  arena: the chain runs whole at its first call, its intermediate
  activations are two band buffers and its scratch one buffer, all in one
  buffer named "patch" at that call, and its output exists from that call
  on. Every chain length and band height is planned; of those that fit the
  limit the one recomputing the fewest MACs is kept, or, if none fits, the
  one with the lowest arena (``ArenaPlan.patch``);
* or linearly, one buffer after another without reuse (``strategy="linear"``
  or the environment variable ``PYCMSISNN_NO_MEMORY_PLANNER=1``), for debugging
  (no in-place reuse and no fusion either).

Buffers are aligned to 4 bytes, 16 on MVE cores.

Variable tensors (the persistent state of SVDF and LSTM) are not in the
arena: they keep their values from one invoke to the next, so no other
buffer may ever reuse their memory. ``plan_state`` lays them out one after
another in a separate state buffer (``ArenaPlan.state``, ``state_bytes``),
which code generation emits as ``NAME_state``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .lower import Plan, TensorArg
from .cores import HOST, alignment_of, get_core
from .footprint import arena_home
from .fusion import (InPlaceBand, ResidualFusion, every_band_wanted, fused_add_of, fused_conv_of, fusion_enabled, in_place_band_of,
                     in_place_bands, residual_fusions)
from .placement import Buffer, Placement, align, best_greedy, linear, live_peak
from .patches import PatchChain, band_scratch, candidates, env_arena_limit, forced, patches_mode
from .scratch import ScratchNeed, call_scratch

# Kernels whose output is a view of the input: they share one buffer, no copy.
ALIAS_KERNELS = frozenset({"arm_reshape_s8", "reshape_s16"})
# Kernels that read element i of every input before writing element i of the
# output (one pass, same element size): the output may overwrite a dying input.
# Arm's arm_elementwise_add_s8 / _mul_s8 (scalar, DSP and MVE paths) and our
# pycmsisnn_* element maps all work this way.
IN_PLACE_KERNELS: Mapping[str, tuple[str, ...]] = {
    "arm_elementwise_add_s8": ("input_1", "input_2"),
    "arm_elementwise_mul_s8": ("input_1", "input_2"),
    "pycmsisnn_relu_s8": ("input",),
    "pycmsisnn_leaky_relu_s8": ("input",),
    "pycmsisnn_logistic_s8": ("input",),
    "pycmsisnn_tanh_s8": ("input",),
    "pycmsisnn_hard_swish_s8": ("input",),
    "pycmsisnn_requantize_s8": ("input",),
    "pycmsisnn_requantize_s16": ("input",),
    "pycmsisnn_relu_s16": ("input",),
    "pycmsisnn_leaky_relu_s16": ("input",),
    "pycmsisnn_logistic_s16": ("input",),
    "pycmsisnn_tanh_s16": ("input",),
}
STRATEGIES = ("greedy", "linear")
NO_PLANNER_ENV = "PYCMSISNN_NO_MEMORY_PLANNER"


@dataclass(frozen=True)
class Lifetime:
    tensor: int
    nbytes: int
    first: int  # index of the producing call (-1: a model input)
    last: int  # index of the last reading call (len(calls): a model output)


def lifetimes(plan: Plan) -> list[Lifetime]:
    graph, calls = plan.graph, plan.calls
    first: dict[int, int] = {i: -1 for i in graph.inputs}
    last: dict[int, int] = {}
    for k, call in enumerate(calls):
        for i in call.tensor_inputs():
            last[i] = k
        for o in call.outputs:
            first.setdefault(o, k)
    for t in graph.tensors:  # state tensors live in the state buffer, never in the arena
        if t.is_variable and not t.is_constant:
            first.pop(t.index, None)
    for o in graph.outputs:
        last[o] = len(calls)
    return [Lifetime(t, graph.tensor(t).nbytes, f, last.get(t, f)) for t, f in sorted(first.items())]


def peak_bytes(plan: Plan) -> int:
    """Largest sum of live activation bytes plus scratch over the calls."""
    spans = lifetimes(plan)
    peak = sum(s.nbytes for s in spans if s.first < 0)
    for k, call in enumerate(plan.calls):
        live = sum(s.nbytes for s in spans if s.first <= k <= s.last)
        peak = max(peak, live + call.scratch_bytes)
    return peak


# ------------------------------------------------------------ arena planning


@dataclass(frozen=True)
class ArenaPlan:
    """Where every activation tensor and scratch buffer of a plan lives."""

    core: str
    strategy: str
    alignment: int
    tensors: Mapping[int, Placement]  # every activation tensor (sharing tensors have equal offsets)
    aliases: Mapping[int, int]  # tensor -> the earlier tensor whose buffer it reuses
    scratch: tuple[tuple[Placement, ...], ...]  # per call, one per ScratchNeed
    scratch_needs: tuple[tuple[ScratchNeed, ...], ...]  # per call
    arena_bytes: int  # the arena size: the end of the highest buffer
    peak_bytes: int  # the most bytes alive at once: no placement can need less
    buffers: tuple[Buffer, ...] = field(default=(), repr=False)
    placements: tuple[Placement, ...] = field(default=(), repr=False)  # one per buffer
    fusions: tuple[ResidualFusion, ...] = ()  # residual ADDs computed inside their convolution
    bands: tuple[InPlaceBand, ...] = ()  # convolutions written over their input
    patch: PatchChain | None = None  # the first layers, computed in bands of rows
    state: Mapping[int, Placement] = field(default_factory=dict)  # variable tensors in the state buffer
    state_bytes: int = 0  # the state buffer's size (0: a stateless model)

    def offset(self, tensor: int) -> int:
        return self.tensors[tensor].offset

    def layer_output(self, call: int, outputs: tuple[int, ...]) -> int:
        """The tensor that holds call ``call``'s result when it returns: its
        first output, or for a fused convolution the sum it wrote (its own
        output only ever exists a band at a time), or for every layer of a
        patch chain the chain's output."""
        fused = fused_conv_of(self.fusions, call)
        if self.patch is not None and call in self.patch.calls:
            return self.patch.output  # the chain ran whole at its first call
        return fused.sum if fused is not None else outputs[0]

    def live_bytes(self, call: int) -> int:
        """Bytes of the arena in use while call ``call`` runs: every buffer
        (tensor group or scratch, aligned size) alive at that call."""
        return sum(b.nbytes for b in self.buffers if b.first <= call <= b.last)


class _Groups:
    """Union-find of tensors sharing one buffer; the root is the earliest tensor."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, t: int) -> int:
        while self.parent.get(t, t) != t:
            t = self.parent[t]
        return t

    def join(self, keep: int, other: int) -> None:
        self.parent[self.find(other)] = self.find(keep)


def _first_tensor_arg(value: object) -> TensorArg | None:
    return value if isinstance(value, TensorArg) else None


def _share_buffers(
    plan: Plan, spans: Mapping[int, Lifetime], fusions: tuple[ResidualFusion, ...], bands: tuple[InPlaceBand, ...]
) -> tuple[_Groups, dict[int, int]]:
    """Group tensors that share memory; returns the groups and, per tensor
    that reuses a buffer, the tensor it reuses."""
    graph = plan.graph
    groups = _Groups()
    aliases: dict[int, int] = {}
    members: dict[int, list[int]] = {t: [t] for t in spans}

    def group_last(t: int) -> int:
        return max(spans[m].last for m in members[groups.find(t)])

    def join(src: int, out: int) -> None:
        root_src, root_out = groups.find(src), groups.find(out)
        groups.join(src, out)
        members[groups.find(src)] = members[root_src] + members[root_out]
        aliases[out] = src

    for k, call in enumerate(plan.calls):
        if len(call.outputs) != 1:
            continue
        out = call.outputs[0]
        y = graph.tensor(out)
        fused = fused_add_of(fusions, k)
        if fused is not None:  # the sum is written over the skip tensor, band by band
            join(fused.skip, out)
            continue
        band = in_place_band_of(bands, k)
        if band is not None:  # the output is written over the input, chunk by chunk
            join(band.input, out)
            continue
        if call.kernel in ALIAS_KERNELS:
            x = _first_tensor_arg(call.args.get("input"))
            if x is not None and x.index in spans and not graph.tensor(x.index).is_constant and graph.tensor(x.index).nbytes == y.nbytes:
                join(x.index, out)
            continue
        for name in IN_PLACE_KERNELS.get(call.kernel, ()):
            x = _first_tensor_arg(call.args.get(name))
            if x is None or x.index not in spans or graph.tensor(x.index).is_constant:
                continue
            t = graph.tensor(x.index)
            if t.nbytes == y.nbytes and t.dtype == y.dtype and group_last(x.index) == k:
                join(x.index, out)
                break
    return groups, aliases


def _fused_spans(plan: Plan, fusions: tuple[ResidualFusion, ...], patch: PatchChain | None = None) -> dict[int, Lifetime]:
    """Lifetimes, a fused convolution's output shrunk to its band, alive
    during the convolution only; a patch chain's intermediates (band buffers)
    left out, and its output made at its first call, which runs the chain."""
    spans = {s.tensor: s for s in lifetimes(plan)}
    for f in fusions:
        spans[f.conv_output] = Lifetime(f.conv_output, f.band_bytes, f.conv, f.conv)
    if patch is not None:
        for t in patch.intermediates:
            spans.pop(t, None)
        out = spans[patch.output]
        spans[patch.output] = Lifetime(out.tensor, out.nbytes, patch.first, max(out.last, patch.first))
    return spans


@dataclass(frozen=True)
class _PatchArea:
    """The one buffer of a patch chain: band buffer 0, band buffer 1, then the chain's scratch."""

    slots: tuple[int, int]  # aligned bytes of the two band buffers
    scratch: int  # aligned bytes of the largest scratch of the chain's calls

    @property
    def nbytes(self) -> int:
        return sum(self.slots) + self.scratch


def _patch_area(patch: PatchChain, needs: tuple[tuple[ScratchNeed, ...], ...], alignment: int) -> _PatchArea:
    slots = [0, 0]
    for i, n in enumerate(patch.buffer_bytes):
        slots[patch.buffer_slot(i)] = max(slots[patch.buffer_slot(i)], align(n, alignment))
    scratch = max((sum(align(n.nbytes, alignment) for n in needs[k]) for k in patch.calls), default=0)
    return _PatchArea((slots[0], slots[1]), scratch)


def _buffers(
    plan: Plan, needs: tuple[tuple[ScratchNeed, ...], ...], alignment: int, in_place: bool, fusions: tuple[ResidualFusion, ...],
    bands: tuple[InPlaceBand, ...], patch: PatchChain | None = None,
) -> tuple[list[Buffer], dict[int, int], dict[int, Lifetime]]:
    """Tensor buffers, then each call's scratch in order (a patch chain's
    calls: one buffer at its first call, named "patch")."""
    spans = _fused_spans(plan, fusions, patch)
    if in_place:
        groups, aliases = _share_buffers(plan, spans, fusions, bands)
    else:
        groups, aliases = _Groups(), {}
    by_root: dict[int, list[int]] = {}
    for t in spans:
        by_root.setdefault(groups.find(t), []).append(t)
    buffers = [
        Buffer(
            name=f"tensor {root}",
            nbytes=align(max(spans[t].nbytes for t in ts), alignment),
            first=min(spans[t].first for t in ts),
            last=max(spans[t].last for t in ts),
            tensors=tuple(sorted(ts)),
        )
        for root, ts in sorted(by_root.items())
    ]
    for k, call_needs in enumerate(needs):
        if patch is not None and k in patch.calls:
            if k == patch.first:
                buffers.append(Buffer(name=f"patch {k}", nbytes=_patch_area(patch, needs, alignment).nbytes, first=k, last=k))
            continue
        for n in call_needs:
            buffers.append(Buffer(name=f"scratch {k} {n.role}", nbytes=align(n.nbytes, alignment), first=k, last=k))
    return buffers, aliases, spans


def plan_state(plan: Plan, alignment: int) -> tuple[dict[int, Placement], int]:
    """The state buffer: every variable tensor of the graph, in index order,
    each at an aligned offset; returns the placements and the buffer's size."""
    placed: dict[int, Placement] = {}
    offset = 0
    for t in plan.graph.tensors:
        if t.is_variable and not t.is_constant:
            placed[t.index] = Placement(offset, t.nbytes)
            offset = align(offset + t.nbytes, alignment)
    return placed, offset


def default_strategy() -> str:
    """"linear" when ``PYCMSISNN_NO_MEMORY_PLANNER`` is set to a true value, else "greedy"."""
    return "linear" if os.environ.get(NO_PLANNER_ENV, "") not in ("", "0") else "greedy"


def plan_arena(plan: Plan, core: str = HOST, *, strategy: str | None = None, library: str = "pycmsisnn", fuse: bool | None = None,
               arena_limit: int | None = None, patches: bool | None = None) -> ArenaPlan:
    """Place the activations and scratch of ``plan`` for ``core`` in one arena.

    ``strategy`` is "greedy" (with in-place reuse) or "linear" (no reuse, no
    in-place); None takes ``default_strategy()``. ``library`` ("pycmsisnn" or
    "official") selects whose scratch requirements apply. ``fuse`` fuses
    residual ADDs into their convolutions and writes convolutions over their
    inputs where that lowers the arena (greedy only; None: unless
    ``PYCMSISNN_NO_FUSION`` is set). ``arena_limit``: the arena bytes the
    caller can give (None: ``PYCMSISNN_ARENA_LIMIT`` if set, else no limit
    but the core's RAM). Where the plan exceeds the limit or the core's RAM,
    ``patches`` (None: unless ``PYCMSISNN_NO_PATCHES`` is set) runs the
    network's first convolutions in bands of rows (``pycmsisnn.patches``) if
    that lowers the arena."""
    strategy = strategy or default_strategy()
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown memory planning strategy '{strategy}'; known: {', '.join(STRATEGIES)}")
    if arena_limit is None:
        arena_limit = env_arena_limit()
    alignment = alignment_of(core)
    needs = tuple(call_scratch(plan.graph, c, core, library) for c in plan.calls)
    fuse = fusion_enabled() if fuse is None else fuse
    if not (fuse and strategy == "greedy"):
        return _place(plan, core, strategy, alignment, needs, (), ())
    fusions = residual_fusions(plan)

    def too_big(a: ArenaPlan) -> bool:
        if arena_limit is not None and a.arena_bytes > arena_limit:
            return True
        return core != HOST and arena_home(plan, a.arena_bytes, get_core(core)) is not get_core(core).ram

    def fitted(patch: PatchChain | None) -> ArenaPlan:
        fs = tuple(f for f in fusions if patch is None or f.conv not in patch.calls)
        best = _banded(plan, core, strategy, alignment, needs, fs, small=False, patch=patch, library=library)
        if too_big(best):  # the core's RAM or the limit cannot hold the arena with large chunks: the smallest ones
            best = min((best, _banded(plan, core, strategy, alignment, needs, fs, small=True, patch=patch, library=library)),
                       key=lambda a: a.arena_bytes)
        return best

    best = fitted(None)
    mode = patches_mode() if patches is None else ("auto" if patches else "off")
    if mode == "off" or (mode == "auto" and not too_big(best)):
        return best
    if mode not in ("auto", "all"):
        chain = forced(plan, mode)
        return fitted(chain) if chain is not None else best
    tried = [fitted(c) for c in candidates(plan)]
    if not tried:
        return best
    return _choose(tried, best, mode == "all", too_big)


def _choose(tried: list[ArenaPlan], best: ArenaPlan, force: bool, too_big: Callable[[ArenaPlan], bool]) -> ArenaPlan:
    """Of the plans with a patch chain, the cheapest (fewest MACs in bands,
    then fewest bands) of those that fit, else the lowest arena; kept when it
    lowers the arena of ``best`` (or ``force``)."""
    def cost(a: ArenaPlan) -> tuple[int, int]:
        return (a.patch.patched_macs, len(a.patch.bands)) if a.patch is not None else (0, 0)

    fitting = [a for a in tried if not too_big(a)]
    patched = min(fitting, key=lambda a: (cost(a), a.arena_bytes)) if fitting else min(tried, key=lambda a: (a.arena_bytes, cost(a)))
    return patched if force or patched.arena_bytes < best.arena_bytes else best


def _banded(
    plan: Plan, core: str, strategy: str, alignment: int, needs: tuple[tuple[ScratchNeed, ...], ...],
    fusions: tuple[ResidualFusion, ...], small: bool, patch: PatchChain | None = None, library: str = "pycmsisnn",
) -> ArenaPlan:
    """The plan with the in-place bands that lower its arena (and ``patch``)."""
    if patch is not None:
        chain_needs = band_scratch(plan, patch, core, library)
        needs = tuple(chain_needs[k - patch.first] if k in patch.calls else n for k, n in enumerate(needs))
    candidates = tuple(b for b in in_place_bands(plan, fusions, small) if patch is None or b.call not in patch.calls)
    without = _place(plan, core, strategy, alignment, needs, fusions, (), patch)
    if not candidates:
        return without
    # A band costs instructions (one kernel call per chunk): keep those of the
    # layers whose live bytes without bands exceed the arena with all of them.
    every = _place(plan, core, strategy, alignment, needs, fusions, candidates, patch)
    if every_band_wanted():
        return every
    kept = tuple(b for b in candidates if without.live_bytes(b.call) > every.arena_bytes)
    chosen = _place(plan, core, strategy, alignment, needs, fusions, kept, patch)
    return min((chosen, every, without), key=lambda a: (a.arena_bytes, len(a.bands)))


def _place(
    plan: Plan, core: str, strategy: str, alignment: int, needs: tuple[tuple[ScratchNeed, ...], ...],
    fusions: tuple[ResidualFusion, ...], bands: tuple[InPlaceBand, ...], patch: PatchChain | None = None,
) -> ArenaPlan:
    needs = tuple(n + ((ScratchNeed("ring", band.ring_bytes),) if (band := in_place_band_of(bands, k)) else ()) for k, n in enumerate(needs))
    buffers, aliases, spans = _buffers(plan, needs, alignment, in_place=strategy == "greedy", fusions=fusions, bands=bands, patch=patch)
    placements = best_greedy(buffers, alignment) if strategy == "greedy" else linear(buffers, alignment)
    tensors: dict[int, Placement] = {}
    scratch: list[list[Placement]] = [[] for _ in plan.calls]
    for b, p in zip(buffers, placements):
        for t in b.tensors:
            tensors[t] = Placement(p.offset, spans[t].nbytes)
    n_tensor_buffers = sum(1 for b in buffers if b.tensors)
    i = n_tensor_buffers
    for k, call_needs in enumerate(needs):
        if patch is not None and k in patch.calls:
            if k == patch.first:
                _place_patch(patch, needs, alignment, placements[i].offset, tensors, scratch)
                i += 1
            continue
        for n in call_needs:
            scratch[k].append(Placement(placements[i].offset, n.nbytes))
            i += 1
    arena = max((p.end for p in placements), default=0)
    state, state_bytes = plan_state(plan, alignment)
    return ArenaPlan(
        core=core,
        strategy=strategy,
        alignment=alignment,
        tensors=tensors,
        aliases=aliases,
        scratch=tuple(tuple(s) for s in scratch),
        scratch_needs=needs,
        arena_bytes=align(max(arena, 1), alignment),
        peak_bytes=live_peak(buffers),
        buffers=tuple(buffers),
        placements=tuple(placements),
        fusions=fusions,
        bands=bands,
        state=state,
        state_bytes=state_bytes,
        patch=patch,
    )


def _place_patch(patch: PatchChain, needs: tuple[tuple[ScratchNeed, ...], ...], alignment: int, offset: int,
                 tensors: dict[int, Placement], scratch: list[list[Placement]]) -> None:
    """The band buffers and the shared scratch of a patch chain inside its buffer at ``offset``."""
    area = _patch_area(patch, needs, alignment)
    for i, t in enumerate(patch.intermediates):
        tensors[t] = Placement(offset + (area.slots[0] if patch.buffer_slot(i) else 0), patch.buffer_bytes[i])
    base = offset + sum(area.slots)
    for k in patch.calls:
        at = base
        for n in needs[k]:
            scratch[k].append(Placement(at, n.nbytes))
            at += align(n.nbytes, alignment)
