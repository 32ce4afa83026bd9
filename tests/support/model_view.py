"""A read-only view of a converted single-op model (flatbuffer, via the TFLite
schema binding shipped with tflite-micro): its operator, options and tensors."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_DTYPES = {0: np.float32, 2: np.int32, 3: np.uint8, 4: np.int64, 7: np.int16, 9: np.int8}


def schema():  # noqa: ANN201
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated

    return schema_py_generated


@dataclass
class TensorView:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: type
    scales: np.ndarray  # float32, one per channel (or one)
    zero_points: np.ndarray  # int64
    axis: int
    data: np.ndarray | None  # constant data, or None for activations

    @property
    def scale(self) -> float:
        return float(self.scales[0])

    @property
    def zero_point(self) -> int:
        return int(self.zero_points[0])


@dataclass
class OpView:
    name: str  # builtin operator name, e.g. "CONV_2D"
    options: Any  # the schema's *OptionsT object, or None
    inputs: list[TensorView | None]
    outputs: list[TensorView]


_OP_NAMES: dict[int, str] = {}


def _op_name(code: int) -> str:
    if not _OP_NAMES:
        for k, v in vars(schema().BuiltinOperator).items():
            if not k.startswith("_"):
                _OP_NAMES[v] = k
    return _OP_NAMES[code]


def _tensor(model: Any, sg: Any, idx: int) -> TensorView | None:
    if idx < 0:
        return None
    t = sg.tensors[idx]
    dtype = _DTYPES[t.type]
    shape = tuple(int(d) for d in (t.shape if t.shape is not None else []))
    q = t.quantization
    scales = np.asarray(q.scale if q is not None and q.scale is not None else [0.0], dtype=np.float32)
    zps = np.asarray(q.zeroPoint if q is not None and q.zeroPoint is not None else [0], dtype=np.int64)
    axis = int(q.quantizedDimension) if q is not None else 0
    buf = model.buffers[t.buffer]
    data = None
    if buf is not None and buf.data is not None and len(buf.data) > 0:
        data = np.frombuffer(bytes(bytearray(buf.data)), dtype=dtype).reshape(shape)
    name = t.name.decode() if isinstance(t.name, bytes) else str(t.name)
    return TensorView(idx, name, shape, dtype, scales, zps, axis, data)


def ops(model_bytes: bytes) -> list[OpView]:
    """Every operator of subgraph 0, in execution order."""
    s = schema()
    model = s.ModelT.InitFromPackedBuf(model_bytes, 0)
    sg = model.subgraphs[0]
    out = []
    for op in sg.operators:
        code = model.operatorCodes[op.opcodeIndex]
        builtin = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
        out.append(
            OpView(
                name=_op_name(builtin),
                options=op.builtinOptions,
                inputs=[_tensor(model, sg, int(i)) for i in op.inputs],
                outputs=[_tensor(model, sg, int(i)) for i in op.outputs],
            )
        )
    return out


def single_op(model_bytes: bytes, name: str) -> OpView:
    """The one operator called ``name`` (QUANTIZE/DEQUANTIZE around it ignored)."""
    found = [o for o in ops(model_bytes) if o.name == name]
    others = [o.name for o in ops(model_bytes) if o.name not in (name, "QUANTIZE", "DEQUANTIZE")]
    if len(found) != 1 or others:
        raise AssertionError(f"expected one {name}, model has {[o.name for o in ops(model_bytes)]}")
    return found[0]


def output_count(model_bytes: bytes) -> int:
    """How many outputs subgraph 0 has."""
    model = schema().ModelT.InitFromPackedBuf(model_bytes, 0)
    return len(model.subgraphs[0].outputs)


def input_names(model_bytes: bytes) -> list[str]:
    """Names of subgraph 0's input tensors, in model order."""
    sg = schema().ModelT.InitFromPackedBuf(model_bytes, 0).subgraphs[0]
    return [sg.tensors[i].name.decode() for i in sg.inputs]
