"""``pycmsisnn bench``: instructions per layer and per inference on an
emulated Cortex-M core, with the kernel each layer reaches, MACs per
instruction for the layers that multiply, the arena bytes in use during
each layer (from the build's arena plan), and flash and RAM.

Where the arena plan runs the first layers in bands of rows (a patch chain,
``pycmsisnn.patches``: under ``arena_limit`` or a core whose RAM the plan
exceeds), bench also builds and counts the same program without the chain,
and reports the chain's cost as measured: the instructions of both programs
and both arenas (``BenchReport.patch``). The chain's layers are counted in
its first layer, which runs them all."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .footprint import RamFigure
from .memory import plan_arena
from .runtime import load
from .samples import random_inputs


@dataclass
class LayerBench:
    layer: int
    opcode: str
    kernel: str
    instructions: int
    macs: int
    arena_live_bytes: int = 0  # bytes of the planned arena in use during this layer

    @property
    def macs_per_instruction(self) -> float | None:
        return self.macs / self.instructions if self.macs and self.instructions else None


@dataclass(frozen=True)
class PatchBench:
    """A patch chain's cost, measured: the program with it against the same program without it."""

    first: int  # layers first .. last
    last: int
    bands: int
    band_rows: int
    recomputed: float  # recomputed MACs as a fraction of the chain's
    arena_bytes: int
    arena_bytes_without: int
    instructions: int
    instructions_without: int

    @property
    def extra(self) -> float:
        """Extra instructions per inference as a fraction of the program without the chain."""
        return self.instructions / self.instructions_without - 1

    def describe(self) -> str:
        return (f"patches: layers {self.first}-{self.last} in {self.bands} bands of {self.band_rows} row(s) "
                f"({100 * self.recomputed:.1f} % of their MACs recomputed): arena {self.arena_bytes_without:,} -> {self.arena_bytes:,} B, "
                f"instructions {self.instructions_without:,} -> {self.instructions:,} ({100 * self.extra:+.1f} %, measured without and with)")


@dataclass
class BenchReport:
    model: str
    target: str
    instructions: int  # one inference (NAME_invoke)
    ram: RamFigure
    layers: list[LayerBench] = field(default_factory=list)
    flash_bytes: int = 0
    code_bytes: int = 0
    constants_bytes: int = 0
    source_digest: str = ""  # sha256 of the generated NAME.c the build compiled
    patch: PatchBench | None = None  # the first layers in bands of rows, if the plan has them

    @property
    def macs(self) -> int:
        return sum(r.macs for r in self.layers)

    @property
    def arena_bytes(self) -> int:
        return self.ram.arena_bytes

    @property
    def ram_bytes(self) -> int:
        return self.ram.total_bytes

    @property
    def stack_used(self) -> int | None:
        """Stack bytes measured under QEMU (None when the run did not measure it)."""
        return self.ram.stack_bytes if self.ram.measured else None

    def to_json(self) -> str:
        d = asdict(self)
        for row, layer in zip(d["layers"], self.layers):
            row["macs_per_instruction"] = layer.macs_per_instruction
        d |= {"macs": self.macs, "ram": self.ram.to_dict(), "ram_bytes": self.ram_bytes, "arena_bytes": self.arena_bytes,
              "stack_used": self.stack_used}
        if self.patch is not None:
            d["patch"] |= {"extra": self.patch.extra}
        return json.dumps(d, indent=2)

    def to_text(self) -> str:
        lines = [f"{self.model} on {self.target}: {self.instructions:,} instructions per inference, {self.macs:,} MACs"]
        lines.append(f"{'layer':>5}  {'operator':<18} {'kernel':<32} {'instructions':>13} {'MACs':>11} {'MACs/instr':>10}")
        for r in self.layers:
            mpi = f"{r.macs_per_instruction:.3f}" if r.macs_per_instruction else ""
            lines.append(f"{r.layer:>5}  {r.opcode:<18} {r.kernel:<32} {r.instructions:>13,} {r.macs:>11,} {mpi:>10}")
        lines.append(f"flash {self.flash_bytes:,} B (code {self.code_bytes:,}, constants {self.constants_bytes:,}); {self.ram.describe()}")
        if self.patch is not None:
            lines.append(self.patch.describe())
        return "\n".join(lines)


def bench(source: str | Path | bytes, target: str, seed: int = 0, *, cmsis_nn: str | Path | None = None,
          library: str | Path | None = None, arena_limit: int | None = None, patches: bool | None = None) -> BenchReport:
    """Build the model for ``target`` and count the instructions of one inference.

    ``cmsis_nn``: generate the C for Arm's CMSIS-NN checkout at that path and
    build against it; ``library``: build that C against another library root
    instead (see ``TargetModel``). ``arena_limit``, ``patches``: see
    ``pycmsisnn.memory.plan_arena``; with a patch chain the program without
    it is counted too."""
    from .target_model import TargetModel

    data = Path(source).read_bytes() if not isinstance(source, (bytes, bytearray)) else bytes(source)
    model = load(data)
    x = random_inputs(model.graph, np.random.default_rng(seed))
    name = str(source) if not isinstance(source, (bytes, bytearray)) else "<bytes>"
    with TargetModel(model.plan, target, cmsis_nn=cmsis_nn, library=library, arena_limit=arena_limit, patches=patches) as tm:
        result = tm.run(x, count_instructions=True)
        expected = model.run(x, state=model.new_state())  # a stateful model: one step from the reset state
        assert isinstance(expected, list)
        for got, want in zip(result.outputs, expected):
            if not np.array_equal(np.asarray(got).reshape(want.shape), want):
                raise AssertionError(f"{name} on {target}: the target's output differs from the host's; run verify")
        counts = result.instructions
        assert counts is not None
        sizes = tm.build.sizes
        rep = tm.report
        # the plan code generation placed the build's arena by
        arena = plan_arena(model.plan, target, library="official" if cmsis_nn is not None else "pycmsisnn",
                           arena_limit=arena_limit, patches=patches)
        if arena.arena_bytes != rep.arena_bytes:
            raise AssertionError(f"{name} on {target}: arena plan of {arena.arena_bytes} B, the build has {rep.arena_bytes} B")
        layers = [
            LayerBench(k, call.op.opcode, tm.variant(k), int(n), int(call.macs), arena.live_bytes(k))
            for k, (call, n) in enumerate(zip(model.plan.calls, counts.layers))
        ]
        if arena.patch is not None:  # the chain's first layer runs them all: its row carries their MACs
            chain = arena.patch
            for k in chain.calls:
                kernel = f"bands of layers {chain.first}-{chain.last}" if k == chain.first else f"(in layer {chain.first})"
                layers[k] = replace(layers[k], kernel=kernel, macs=chain.macs if k == chain.first else 0)
        info: dict[str, Any] = {
            "flash_bytes": sizes.flash if sizes else rep.flash_bytes,
            "code_bytes": sizes.code if sizes else rep.code_bytes,
            "constants_bytes": sizes.const if sizes else rep.constants_bytes,
        }
        report = BenchReport(name, target, int(counts.invoke), tm.ram(result), layers, **info)
        report.source_digest = hashlib.sha256(tm.source_text.encode()).hexdigest()
    if arena.patch is not None:
        chain = arena.patch
        with TargetModel(model.plan, target, cmsis_nn=cmsis_nn, library=library, arena_limit=arena_limit, patches=False) as plain:
            without = plain.run(x, count_instructions=True).instructions
            assert without is not None
            report.patch = PatchBench(chain.first, chain.last, len(chain.bands), chain.band_rows, chain.recomputed, arena.arena_bytes,
                                      plain.report.arena_bytes, report.instructions, int(without.invoke))
    return report
