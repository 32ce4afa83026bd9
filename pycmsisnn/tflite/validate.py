"""Validation of a ``.tflite`` file's bytes before anything reads them, our
reader and TensorFlow Lite Micro's interpreter alike.

First the structure (``structure.check_structure``: every table, vector and
string inside the file), then what the schema leaves to the reader, in every
subgraph: every index in range (operator codes, tensors, buffers, subgraph
inputs and outputs, operator inputs and outputs), shapes positive and within
bounds (elements and bytes per tensor, activation bytes per model), constant
buffers exactly as large as their tensors, quantisation consistent (scales
finite and positive, zero points inside the tensor's type, one zero point per
scale, ``quantized_dimension`` inside the rank and per-channel counts equal to
that dimension). Options are checked where they are typed
(``pycmsisnn.operator_options``). Each error names the table, the index and
the field.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import tflite

from .structure import StructureError, check_structure

MAX_TENSOR_ELEMENTS = 1 << 28
MAX_TENSOR_BYTES = 256 << 20
MAX_ACTIVATION_BYTES = 1 << 30
MAX_RANK = 8
# Scales outside this range belong to no quantised model; beyond it the float32
# arithmetic of the parameter derivations (TFLite's as ours) overflows.
MIN_SCALE, MAX_SCALE = 1e-30, 1e30
# Bytes per element (0: not fixed, e.g. STRING; INT4 packs two elements a byte: ``tensor_bytes``).
TYPE_SIZES: dict[int, int] = {
    tflite.TensorType.FLOAT32: 4, tflite.TensorType.FLOAT16: 2, tflite.TensorType.INT32: 4, tflite.TensorType.UINT8: 1,
    tflite.TensorType.INT64: 8, tflite.TensorType.STRING: 0, tflite.TensorType.BOOL: 1, tflite.TensorType.INT16: 2,
    tflite.TensorType.COMPLEX64: 8, tflite.TensorType.INT8: 1, tflite.TensorType.FLOAT64: 8, tflite.TensorType.COMPLEX128: 16,
    tflite.TensorType.UINT64: 8, tflite.TensorType.RESOURCE: 0, tflite.TensorType.VARIANT: 0, tflite.TensorType.UINT32: 4,
    tflite.TensorType.UINT16: 2, tflite.TensorType.INT4: 0, tflite.TensorType.BFLOAT16: 2,
}
_ZERO_POINT_RANGES = {
    tflite.TensorType.INT8: (-128, 127), tflite.TensorType.UINT8: (0, 255), tflite.TensorType.INT16: (-32768, 32767),
    tflite.TensorType.INT4: (-8, 7), tflite.TensorType.UINT16: (0, 65535),
}


class ValidationError(StructureError):
    """A well-formed flatbuffer whose contents contradict the TFLite schema."""


def _ints(vector: Any) -> list[int]:
    return [int(v) for v in np.atleast_1d(vector)] if not isinstance(vector, int) else []


def _check_tensor(model: Any, data_len: int, where: str, t: Any, empty_ok: bool = False) -> tuple[int, bool]:
    """(bytes, is constant) of a tensor, after its checks. ``empty_ok``: an
    operator's intermediate, which the converter writes with shape [0] (an
    LSTM's gate scales; no data)."""
    ttype = int(t.Type())
    if ttype not in TYPE_SIZES:
        raise ValidationError(f"{where}.type", f"{ttype} is not a TFLite tensor type")
    shape = _ints(t.ShapeAsNumpy()) if t.ShapeLength() else []
    if len(shape) > MAX_RANK:
        raise ValidationError(f"{where}.shape", f"rank {len(shape)} is above {MAX_RANK}")
    if any(d < 1 for d in shape) and not (empty_ok and all(d >= 0 for d in shape)):
        raise ValidationError(f"{where}.shape", f"{shape} has a dimension below 1")
    elements = math.prod(shape)
    size = tensor_bytes(ttype, elements)
    if elements > MAX_TENSOR_ELEMENTS or size > MAX_TENSOR_BYTES:
        raise ValidationError(f"{where}.shape", f"{shape} holds {elements:,} elements, above the limit of "
                              f"{MAX_TENSOR_ELEMENTS:,} elements and {MAX_TENSOR_BYTES:,} bytes per tensor")
    if t.ShapeSignatureLength() and t.ShapeSignatureLength() != len(shape):
        raise ValidationError(f"{where}.shape_signature", f"has {t.ShapeSignatureLength()} dimensions, the shape {len(shape)}")
    buffer = int(t.Buffer())
    if buffer >= model.BuffersLength():
        raise ValidationError(f"{where}.buffer", f"index {buffer} is out of range ({model.BuffersLength()} buffers)")
    nbytes = _buffer_bytes(model, data_len, buffer, f"buffers[{buffer}]")
    if nbytes and size and nbytes != size:
        packing = " (int4: two values a byte)" if ttype == tflite.TensorType.INT4 else ""
        raise ValidationError(f"{where}.buffer", f"buffer {buffer} holds {nbytes} bytes, shape {shape} needs {size}{packing}")
    _check_quantization(where, t, ttype, shape)
    return size, nbytes > 0


def tensor_bytes(ttype: int, elements: int) -> int:
    """Bytes a tensor of ``elements`` values of TFLite type ``ttype`` takes
    (0 when not fixed): INT4 packs two a byte, the last half byte of an odd
    count unused."""
    if ttype == tflite.TensorType.INT4:
        return (elements + 1) // 2
    return elements * TYPE_SIZES[ttype]


def _buffer_bytes(model: Any, data_len: int, index: int, where: str) -> int:
    if index == 0:
        return 0
    buf = model.Buffers(index)
    offset, size = int(buf.Offset()), int(buf.Size())
    if offset > 1:
        if offset + size > data_len:
            raise ValidationError(f"{where}.offset", f"bytes {offset}..{offset + size} lie past the end of the file ({data_len} bytes)")
        return size
    return int(buf.DataLength())


def _check_quantization(where: str, t: Any, ttype: int, shape: list[int]) -> None:
    q = t.Quantization()
    if q is None or q.ScaleLength() == 0:
        return
    scales = [float(s) for s in np.atleast_1d(q.ScaleAsNumpy())]
    bad = next((s for s in scales if not (math.isfinite(s) and s > 0)), None)
    if bad is not None:
        raise ValidationError(f"{where}.quantization.scale", f"{bad} is not a finite positive number")
    bad = next((s for s in scales if not MIN_SCALE <= s <= MAX_SCALE), None)
    if bad is not None:
        raise ValidationError(f"{where}.quantization.scale", f"{bad:g} lies outside [{MIN_SCALE:g}, {MAX_SCALE:g}]")
    zps = _ints(q.ZeroPointAsNumpy()) if q.ZeroPointLength() else []
    if len(zps) != len(scales):  # TFLite Micro reads one zero point per scale
        raise ValidationError(f"{where}.quantization.zero_point", f"{len(zps)} zero points for {len(scales)} scales")
    low, high = _ZERO_POINT_RANGES.get(ttype, (-(1 << 31), (1 << 31) - 1))
    out = next((z for z in zps if not low <= z <= high), None)
    if out is not None:
        raise ValidationError(f"{where}.quantization.zero_point", f"{out} lies outside the tensor type's [{low}, {high}]")
    axis = int(q.QuantizedDimension())
    if len(scales) > 1:
        if not 0 <= axis < len(shape):
            raise ValidationError(f"{where}.quantization.quantized_dimension", f"{axis} is outside rank {len(shape)}")
        if shape[axis] != len(scales):
            raise ValidationError(f"{where}.quantization.scale", f"{len(scales)} scales for dimension {axis} of size {shape[axis]}")
    elif axis < 0 or (shape and axis >= len(shape)):
        raise ValidationError(f"{where}.quantization.quantized_dimension", f"{axis} is outside rank {len(shape)}")


def _check_indices(where: str, values: list[int], n_tensors: int, optional: bool) -> None:
    low = -1 if optional else 0
    bad = next((v for v in values if not low <= v < n_tensors), None)
    if bad is not None:
        raise ValidationError(where, f"tensor index {bad} is out of range ({n_tensors} tensors)")


def _check_subgraph(model: Any, data_len: int, k: int) -> None:
    sg = model.Subgraphs(k)
    where = f"subgraphs[{k}]"
    n = sg.TensorsLength()
    activation_bytes = 0
    intermediates = {i for j in range(sg.OperatorsLength()) if sg.Operators(j).IntermediatesLength()
                     for i in _ints(sg.Operators(j).IntermediatesAsNumpy())}
    for i in range(n):
        nbytes, constant = _check_tensor(model, data_len, f"{where}.tensors[{i}]", sg.Tensors(i), i in intermediates)
        activation_bytes += 0 if constant else nbytes
    if activation_bytes > MAX_ACTIVATION_BYTES:
        raise ValidationError(f"{where}.tensors", f"{activation_bytes:,} bytes of activations, above the limit of {MAX_ACTIVATION_BYTES:,}")
    inputs = _ints(sg.InputsAsNumpy()) if sg.InputsLength() else []
    outputs = _ints(sg.OutputsAsNumpy()) if sg.OutputsLength() else []
    _check_indices(f"{where}.inputs", inputs, n, False)
    _check_indices(f"{where}.outputs", outputs, n, False)
    fixed = [_buffer_bytes(model, data_len, int(sg.Tensors(i).Buffer()), "") > 0 or bool(sg.Tensors(i).IsVariable())
             for i in range(n)]  # constants and variables: nothing writes them before they are read
    for i in inputs:
        if fixed[i]:
            raise ValidationError(f"{where}.inputs", f"tensor {i} is a constant, not an input")
    produced = set(inputs)
    for j in range(sg.OperatorsLength()):
        op = sg.Operators(j)
        at = f"{where}.operators[{j}]"
        code = int(op.OpcodeIndex())
        if code >= model.OperatorCodesLength():
            raise ValidationError(f"{at}.opcode_index", f"{code} is out of range ({model.OperatorCodesLength()} operator codes)")
        op_inputs = _ints(op.InputsAsNumpy()) if op.InputsLength() else []
        _check_indices(f"{at}.inputs", op_inputs, n, True)
        custom = int(model.OperatorCodes(code).DeprecatedBuiltinCode()) == tflite.BuiltinOperator.CUSTOM  # may read scratch
        unwritten = next((i for i in op_inputs if i >= 0 and not fixed[i] and i not in produced), None)
        if unwritten is not None and not custom:
            raise ValidationError(f"{at}.inputs", f"tensor {unwritten} is read before any operator writes it (and is no model input)")
        op_outputs = _ints(op.OutputsAsNumpy()) if op.OutputsLength() else []
        if not op_outputs:
            raise ValidationError(f"{at}.outputs", "the operator has no output")
        _check_indices(f"{at}.outputs", op_outputs, n, False)
        rewritten = next((o for o in op_outputs if o in inputs or fixed[o]), None)
        if rewritten is not None:
            raise ValidationError(f"{at}.outputs", f"tensor {rewritten} is a model input or a constant, and no operator may write it")
        produced.update(op_outputs)
        if op.IntermediatesLength():
            _check_indices(f"{at}.intermediates", _ints(op.IntermediatesAsNumpy()), n, False)
    missing = next((o for o in outputs if o not in produced), None)
    if missing is not None:
        raise ValidationError(f"{where}.outputs", f"tensor {missing} is neither an input nor written by any operator")


def validate_model(data: bytes) -> None:
    """Raise ``StructureError`` (a ValueError) naming the table, index and
    field of the first thing wrong with ``data``; return when the model's
    structure and contents are sound enough for any reader."""
    check_structure(data)
    model = tflite.Model.GetRootAs(data, 0)
    for k in range(model.OperatorCodesLength()):
        version = int(model.OperatorCodes(k).Version())
        if version < 0:
            raise ValidationError(f"operator_codes[{k}].version", f"{version} is negative")
    for k in range(model.SubgraphsLength()):
        _check_subgraph(model, len(data), k)
    for k in range(model.MetadataLength()):
        buffer = int(model.Metadata(k).Buffer())
        if buffer >= model.BuffersLength():
            raise ValidationError(f"metadata[{k}].buffer", f"index {buffer} is out of range ({model.BuffersLength()} buffers)")
