"""Hand-built single-operator flatbuffers with any number of inputs, constant
or not, of any dtype and per-tensor quantisation: models the converter does not
make (chosen scales and zero points, int16 with any operator, constant operands)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import flatbuffers
import numpy as np

from .model_view import schema

Quant = tuple[float, int]

_TYPES = {np.dtype(np.float32): 0, np.dtype(np.int32): 2, np.dtype(np.int64): 4, np.dtype(np.int16): 7, np.dtype(np.int8): 9,
          np.dtype(np.bool_): 6}


@dataclass(frozen=True)
class Spec:
    """One tensor: shape, dtype, optional (scale, zero point), optional constant data."""

    shape: tuple[int, ...]
    dtype: type
    quant: Quant | None = None
    data: np.ndarray | None = None


def model_of(opname: str, inputs: Sequence[Spec], output: Spec, options: tuple[str, dict[str, Any]] | None = None,
             version: int = 1) -> bytes:
    """A flatbuffer holding one builtin ``opname`` from ``inputs`` to ``output``.
    Non-constant inputs become the model's inputs, named input_0, input_1, ...
    in order. ``options`` = (options class name, fields)."""
    s = schema()
    model = s.ModelT()
    model.version = 3
    model.description = f"pycmsisnn test: single {opname}"
    model.buffers = [s.BufferT()]
    tensors = []
    graph_inputs = []

    def add(name: str, spec: Spec) -> int:
        t = s.TensorT()
        t.name, t.shape, t.type = name, list(spec.shape), _TYPES[np.dtype(spec.dtype)]
        buf = s.BufferT()
        if spec.data is not None:
            buf.data = np.ascontiguousarray(np.asarray(spec.data, dtype=spec.dtype).reshape(spec.shape)).view(np.uint8).ravel().tolist()
        model.buffers.append(buf)
        t.buffer = len(model.buffers) - 1
        if spec.quant is not None:
            qp = s.QuantizationParametersT()
            qp.scale, qp.zeroPoint = [float(np.float32(spec.quant[0]))], [int(spec.quant[1])]
            t.quantization = qp
        tensors.append(t)
        return len(tensors) - 1

    op_inputs = []
    free = 0
    for i, spec in enumerate(inputs):
        if spec.data is None:
            idx = add(f"input_{free}", spec)
            free += 1
            graph_inputs.append(idx)
        else:
            idx = add(f"const_{i}", spec)
        op_inputs.append(idx)
    out = add("output", output)
    sg = s.SubGraphT()
    sg.tensors, sg.inputs, sg.outputs = tensors, graph_inputs, [out]
    op = s.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, op_inputs, [out]
    if options is not None:
        cls_name, fields = options
        opts = getattr(s, cls_name + "T")()
        for k, v in fields.items():
            setattr(opts, k, v)
        op.builtinOptionsType = getattr(s.BuiltinOptions, cls_name)
        op.builtinOptions = opts
    sg.operators = [op]
    code = s.OperatorCodeT()
    code.builtinCode = getattr(s.BuiltinOperator, opname)
    code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    code.version = version
    model.operatorCodes, model.subgraphs = [code], [sg]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
