"""What lowering hands on: one ``KernelCall`` per operator, in order.

A call names the kernel wrapper (``pycmsisnn.kernels``; the C function of the
same name) and its keyword arguments, every parameter already derived. An
argument that is an activation tensor is a ``TensorArg``; constants (weights,
biases) are numpy arrays; parameter structs are ``pycmsisnn.params`` values.
The host runtime calls the wrapper with these; code generation emits the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..ir import Graph, Operator


@dataclass(frozen=True)
class TensorArg:
    """An activation tensor of the graph, by index; ``shape`` views it with
    another shape of the same size (e.g. the 2-D input of a fully connected)."""

    index: int
    shape: tuple[int, ...] | None = None


@dataclass(frozen=True, eq=False)
class KernelCall:
    """One operator lowered to one kernel call."""

    op: Operator
    kernel: str  # the wrapper / C function called
    args: Mapping[str, Any]
    outputs: tuple[int, ...]
    variant: str = ""  # the C function a dispatching wrapper reaches ("" = kernel itself)
    scratch_bytes: int = 0  # host build scratch
    macs: int = 0
    notes: Mapping[str, Any] = field(default_factory=dict)  # derived values worth showing (inspect)

    @property
    def reached(self) -> str:
        return self.variant or self.kernel

    def tensor_inputs(self) -> list[int]:
        found: list[int] = []
        for v in self.args.values():
            items = v if isinstance(v, (list, tuple)) else [v]
            found.extend(a.index for a in items if isinstance(a, TensorArg))
        return found


@dataclass(frozen=True, eq=False)
class Plan:
    """The lowered model: its graph and one call per operator, in order."""

    graph: Graph
    calls: tuple[KernelCall, ...]
