"""The graph a TFLite model is read into: tensors, quantisation, operators.

Frozen values, independent of the flatbuffer library: the reader
(``pycmsisnn.tflite``) builds them, lowering (``pycmsisnn.lower``) reads them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .operator_options import NoOptions, Options


INT4 = "INT4"  # Tensor.type_name of TFLite's packed 4-bit integers


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
    # A constant INT4 tensor keeps ``dtype`` uint8 (byte storage: no int8 rule
    # takes it by mistake) and ``data`` its packed bytes as in the file, 1-D,
    # two values a byte, low nibble first (``packed_int4``, ``int4_values``).

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
        if self.is_int4:
            return (self.size + 1) // 2
        return self.size * np.dtype(self.dtype).itemsize

    @property
    def is_int4(self) -> bool:
        """TFLite's INT4: two values a byte."""
        return self.type_name == INT4

    @property
    def packed_int4(self) -> np.ndarray:
        """The packed bytes of a constant INT4 tensor as the s4 kernels take
        them: 1-D int8, ``ceil(size / 2)`` bytes."""
        if not self.is_int4 or self.data is None:
            raise ValueError(f"tensor {self.index} '{self.name}' is not a constant int4 tensor")
        return self.data.view(np.int8)

    def int4_values(self) -> np.ndarray:
        """The values of a constant INT4 tensor, unpacked to int8 in its shape."""
        from .kernels.s4 import unpack_int4

        return unpack_int4(self.packed_int4, self.size).reshape(self.shape)

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


@dataclass(frozen=True)
class FoldedOperator:
    """An operator evaluated at load time (``pycmsisnn.fold``): its outputs,
    tensor indices, are now constants of the graph."""

    index: int
    opcode: str
    outputs: tuple[int, ...]


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
    # Operators constant folding evaluated and removed, in model order; the
    # operators left keep their indices in the file.
    folded: tuple[FoldedOperator, ...] = ()

    def tensor(self, index: int) -> Tensor:
        return self.tensors[index]

    def op_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for op in self.operators:
            counts[op.opcode] = counts.get(op.opcode, 0) + 1
        return counts
