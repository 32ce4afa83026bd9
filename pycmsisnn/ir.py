"""The graph a TFLite model is read into: tensors, quantisation, operators.

Frozen values, independent of the flatbuffer library: the reader
(``pycmsisnn.tflite``) builds them, lowering (``pycmsisnn.lower``) reads them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .operator_options import NoOptions, Options


@dataclass(frozen=True)
class Quant:
    """Affine quantisation of a tensor: real = scale * (q - zero_point).

    One scale and zero point, or one per slice along ``axis`` (per-channel)."""

    scales: tuple[float, ...]
    zero_points: tuple[int, ...]
    axis: int = 0

    @property
    def per_channel(self) -> bool:
        return len(self.scales) > 1

    @property
    def scale(self) -> float:
        """The single scale of a per-tensor quantisation."""
        return self.scales[0]

    @property
    def zero_point(self) -> int:
        return self.zero_points[0]


@dataclass(frozen=True, eq=False)
class Tensor:
    """A tensor of the model: its shape, type, quantisation, and data if constant."""

    index: int
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    quant: Quant | None
    data: np.ndarray | None = None
    is_variable: bool = False
    type_name: str = ""  # TFLite's name of the type, where numpy has none (e.g. "INT4", "STRING")

    @property
    def type_label(self) -> str:
        """The type as messages name it: "int8", "uint32", "int4"."""
        return self.type_name.lower() or np.dtype(self.dtype).name

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1

    @property
    def nbytes(self) -> int:
        return self.size * np.dtype(self.dtype).itemsize

    def describe(self) -> str:
        q = ""
        if self.quant is not None:
            q = f" scale={self.quant.scale:.6g} zp={self.quant.zero_point}"
            if self.quant.per_channel:
                q = f" per-channel({len(self.quant.scales)}, axis {self.quant.axis})"
        return f"{self.name} {self.type_label}{list(self.shape)}{q}"


@dataclass(frozen=True)
class Operator:
    """One operator in execution order. ``inputs`` hold tensor indices, -1 for
    an omitted optional input; ``options`` the builtin options by field name."""

    index: int
    opcode: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: Options = field(default_factory=NoOptions)


@dataclass(frozen=True, eq=False)
class Graph:
    """A model's single subgraph."""

    tensors: tuple[Tensor, ...]
    operators: tuple[Operator, ...]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    description: str = ""
    # Why the model as a whole cannot run (found while reading: several
    # subgraphs, dynamic shapes, legacy uint8, float only); lowering adds the
    # operators' reasons and refuses with all of them at once.
    refusals: tuple[str, ...] = ()

    def tensor(self, index: int) -> Tensor:
        return self.tensors[index]

    def op_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for op in self.operators:
            counts[op.opcode] = counts.get(op.opcode, 0) + 1
        return counts
