"""A ``.tflite`` flatbuffer (path or bytes) read into a ``pycmsisnn.ir.Graph``.

Uses the maintained ``tflite`` schema binding over ``flatbuffers``. What is
not a TFLite flatbuffer, or is truncated or corrupt, raises ``ModelError`` at
once. What is readable but of a kind the pipeline cannot take (several
subgraphs, dynamic shapes, a legacy uint8 or a float-only model) is recorded
in ``Graph.refusals``, so that lowering can refuse with every reason at once
(the operators' too) and ``inspect`` can still describe the model;
``read_model(strict=True)``, the default, raises them straight away.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import flatbuffers
import numpy as np
import tflite

from ..ir import INT4, Graph, Operator, Quant, Tensor
from ..operator_options import OptionsError, typed_options
from .errors import ModelError
from .options import read_options
from .validate import validate_model

FILE_IDENTIFIER = b"TFL3"
_TENSOR_TYPES: dict[int, Any] = {
    tflite.TensorType.FLOAT32: np.float32,
    tflite.TensorType.FLOAT16: np.float16,
    tflite.TensorType.INT32: np.int32,
    tflite.TensorType.UINT8: np.uint8,
    tflite.TensorType.INT64: np.int64,
    tflite.TensorType.BOOL: np.bool_,
    tflite.TensorType.INT16: np.int16,
    tflite.TensorType.INT8: np.int8,
    tflite.TensorType.FLOAT64: np.float64,
    tflite.TensorType.COMPLEX64: np.complex64,
    tflite.TensorType.COMPLEX128: np.complex128,
    tflite.TensorType.UINT64: np.uint64,
    tflite.TensorType.UINT32: np.uint32,
    tflite.TensorType.UINT16: np.uint16,
}
_TYPE_NAMES = {v: k for k, v in vars(tflite.TensorType).items() if not k.startswith("_")}
_OPCODE_NAMES: dict[int, str] = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}




def _load_bytes(source: str | Path | bytes | bytearray | memoryview) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    path = Path(source)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    return path.read_bytes()


def _check_flatbuffer(data: bytes) -> None:
    if len(data) < 8 or data[4:8] != FILE_IDENTIFIER:
        raise ModelError("not a TFLite model: the flatbuffer file identifier 'TFL3' is missing")
    root = int.from_bytes(data[0:4], "little")
    if root < 8 or root + 4 > len(data):
        raise ModelError("not a TFLite model, or a truncated one: the root table lies outside the file")


def _buffer_data(model: Any, data: bytes, index: int) -> bytes | None:
    if index <= 0 or index >= model.BuffersLength():
        return None
    buf = model.Buffers(index)
    offset, size = int(buf.Offset()), int(buf.Size())
    if offset > 1:  # large models keep buffers after the flatbuffer (validated to lie inside the file)
        return data[offset : offset + size]
    if buf.DataLength() == 0:
        return None
    return buf.DataAsNumpy().tobytes()


def _quant(t: Any) -> Quant | None:
    q = t.Quantization()
    if q is None or q.ScaleLength() == 0:
        return None
    scales = tuple(float(s) for s in q.ScaleAsNumpy())
    zps = tuple(int(z) for z in q.ZeroPointAsNumpy()) if q.ZeroPointLength() else (0,) * len(scales)
    return Quant(scales, zps, int(q.QuantizedDimension()))


def _tensor(model: Any, data: bytes, sg: Any, index: int, refusals: list[str]) -> Tensor:
    t = sg.Tensors(index)
    name = (t.Name() or b"").decode(errors="replace") or f"tensor_{index}"
    ttype = int(t.Type())
    # A type numpy cannot hold (STRING, INT4, ...) is kept by name with byte
    # storage: only operators pycmsisnn refuses take such tensors.
    known = ttype in _TENSOR_TYPES
    dtype = np.dtype(_TENSOR_TYPES[ttype] if known else np.uint8)
    type_name = "" if known else str(_TYPE_NAMES.get(ttype, f"TYPE_{ttype}"))
    shape = tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else ()
    if t.ShapeSignatureLength():
        sig = [int(d) for d in t.ShapeSignatureAsNumpy()]
        if any(d < 0 for d in sig[1:]):
            refusals.append(f"tensor {index} '{name}': dynamic shape {sig}; only a dynamic batch (treated as 1) is supported")
    raw = _buffer_data(model, data, int(t.Buffer()))
    arr = None
    if raw is not None and known:  # validated: exactly the tensor's bytes
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape)
        arr.setflags(write=False)
    if type_name == INT4:
        arr = _int4_data(raw, index, name, refusals)
    return Tensor(index, name, shape, dtype, _quant(t), arr, bool(t.IsVariable()), type_name)


def _int4_data(raw: bytes | None, index: int, name: str, refusals: list[str]) -> np.ndarray | None:
    """The packed bytes of a constant INT4 tensor (validated: ceil(elements / 2)
    of them), kept packed; a non-constant INT4 tensor is refused: TFLite's INT4
    holds weights only, no kernel reads or writes int4 activations."""
    if raw is None:
        refusals.append(f"tensor {index} '{name}': int4 tensors must be constant (int4 weights); int4 activations are not supported")
        return None
    arr = np.frombuffer(raw, dtype=np.uint8)
    arr.setflags(write=False)
    return arr


def _builtin_code(code: Any) -> int:
    """The operator code as TFLite reads it: the larger of ``builtin_code``
    and ``deprecated_builtin_code``. (The binding's ``BuiltinCode()`` returns
    the deprecated field whenever the new one is below 127, so the new field
    is read from its table slot.)"""
    slot = code._tab.Offset(10)  # builtin_code, field 3 of OperatorCode
    builtin = int(code._tab.Get(flatbuffers.number_types.Int32Flags, slot + code._tab.Pos)) if slot else 0
    return max(builtin, int(code.DeprecatedBuiltinCode()))


def _opcode(model: Any, op: Any) -> str:
    code = model.OperatorCodes(op.OpcodeIndex())
    builtin = _builtin_code(code)
    if builtin == tflite.BuiltinOperator.CUSTOM:
        return f"CUSTOM:{(code.CustomCode() or b'?').decode(errors='replace')}"
    return _OPCODE_NAMES.get(builtin, f"BUILTIN_{builtin}")


def _operator(model: Any, op: Any, index: int) -> Operator:
    opcode = _opcode(model, op)
    try:
        options = typed_options(index, opcode, read_options(op))
    except OptionsError as exc:
        raise ModelError(str(exc)) from None
    return Operator(
        index=index,
        opcode=opcode,
        inputs=tuple(int(x) for x in op.InputsAsNumpy()) if op.InputsLength() else (),
        outputs=tuple(int(x) for x in op.OutputsAsNumpy()) if op.OutputsLength() else (),
        options=options,
    )


def _kind_refusals(tensors: tuple[Tensor, ...], operators: tuple[Operator, ...]) -> list[str]:
    """Why the model is a legacy uint8 or a float-only one, if it is. Custom
    operators' tensors do not count (an Ethos-U command stream is uint8 bytes:
    its operator is refused for what it is)."""
    acts = [tensors[i] for op in operators if not op.opcode.startswith("CUSTOM:") for i in op.inputs + op.outputs if i >= 0]
    acts = [t for t in acts if not t.is_constant]
    if any(t.dtype == np.uint8 and not t.type_name for t in acts):
        return ["uint8 (legacy quantisation) model: pycmsisnn takes int8 models; re-convert with full-integer int8 quantisation"]
    everything = [tensors[i] for op in operators for i in op.inputs + op.outputs if i >= 0 and not tensors[i].is_constant]
    # Integer and bool models (logical operators, casts from or to float32) are not float ones.
    computed = [tensors[i] for op in operators if op.opcode != "CAST" for i in op.inputs + op.outputs if i >= 0 and not tensors[i].is_constant]
    if not any(t.dtype in (np.int8, np.int16) for t in everything) and any(t.dtype == np.float32 for t in computed):
        return [
            "float model: no int8 activations. pycmsisnn needs a full-integer int8 model "
            "(TFLiteConverter with optimizations=[Optimize.DEFAULT], a representative_dataset and "
            "target_spec.supported_ops=[TFLITE_BUILTINS_INT8])"
        ]
    return []


def read_model(source: str | Path | bytes | bytearray | memoryview, *, strict: bool = True) -> Graph:
    """The first subgraph of a TFLite model, as a ``Graph``. A readable model
    of a kind pycmsisnn cannot run raises ``ModelError`` naming every reason;
    with ``strict=False`` the reasons are left in ``Graph.refusals``."""
    data = _load_bytes(source)
    _check_flatbuffer(data)
    validate_model(data)
    refusals: list[str] = []
    try:
        model = tflite.Model.GetRootAs(data, 0)
        if model.SubgraphsLength() < 1:
            raise ModelError("the model has no subgraph")
        if model.SubgraphsLength() > 1:
            refusals.append(f"the model has {model.SubgraphsLength()} subgraphs; pycmsisnn supports exactly one (no control flow)")
        sg = model.Subgraphs(0)
        tensors = tuple(_tensor(model, data, sg, i, refusals) for i in range(sg.TensorsLength()))
        operators = tuple(_operator(model, sg.Operators(i), i) for i in range(sg.OperatorsLength()))
        inputs = tuple(int(x) for x in sg.InputsAsNumpy()) if sg.InputsLength() else ()
        outputs = tuple(int(x) for x in sg.OutputsAsNumpy()) if sg.OutputsLength() else ()
        desc = (model.Description() or b"").decode(errors="replace")
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - any accessor failure means a corrupt file
        raise ModelError(f"corrupt or truncated TFLite model ({type(exc).__name__}: {exc})") from exc
    if not inputs or not outputs:
        raise ModelError("the model has no inputs or no outputs")
    refusals += _kind_refusals(tensors, operators)
    if strict and refusals:
        raise ModelError("; ".join(refusals))
    return Graph(tensors, operators, inputs, outputs, desc, tuple(refusals))
