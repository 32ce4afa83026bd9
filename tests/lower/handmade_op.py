"""A flatbuffer holding one builtin operator with any tensors: the models the
converter will not make (int16 comparisons, arg-max and select, bool model
inputs, operators it keeps in float) written directly with the TFLite schema."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import flatbuffers
import numpy as np

from tests.support.model_view import schema

TENSOR_TYPES = {
    np.dtype(np.float32): 0, np.dtype(np.int32): 2, np.dtype(np.int64): 4, np.dtype(np.bool_): 6,
    np.dtype(np.int16): 7, np.dtype(np.int8): 9,
}


@dataclass(frozen=True)
class Spec:
    """One tensor: shape, element type, (scale, zero point) or None, constant data or None."""

    shape: tuple[int, ...]
    dtype: type
    quant: tuple[float, int] | None = None
    data: np.ndarray | None = None


def single_op_model(opname: str, inputs: Sequence[Spec], output: Spec, options: tuple[str, dict[str, Any]] | None = None) -> bytes:
    """The model ``output = opname(*inputs)``; inputs without data are model
    inputs named ``input_<i>`` in order."""
    s = schema()
    model = s.ModelT()
    model.version = 3
    model.description = f"pycmsisnn test: single {opname}"
    model.buffers = [s.BufferT()]
    specs = list(inputs) + [output]
    tensors = []
    for i, spec in enumerate(specs):
        t = s.TensorT()
        t.name = f"input_{i}" if i < len(inputs) else "output"
        t.shape, t.type = list(spec.shape), TENSOR_TYPES[np.dtype(spec.dtype)]
        buf = s.BufferT()
        if spec.data is not None:
            buf.data = np.frombuffer(np.ascontiguousarray(spec.data, dtype=spec.dtype).tobytes(), dtype=np.uint8).tolist()
        model.buffers.append(buf)
        t.buffer = len(model.buffers) - 1
        if spec.quant is not None:
            qp = s.QuantizationParametersT()
            qp.scale, qp.zeroPoint = [float(np.float32(spec.quant[0]))], [int(spec.quant[1])]
            t.quantization = qp
        tensors.append(t)
    sg = s.SubGraphT()
    sg.tensors = tensors
    sg.inputs = [i for i, spec in enumerate(inputs) if spec.data is None]
    sg.outputs = [len(inputs)]
    op = s.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, list(range(len(inputs))), [len(inputs)]
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
    code.version = 1
    model.operatorCodes, model.subgraphs = [code], [sg]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
