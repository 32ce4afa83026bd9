"""int4-weight versions of int8 models, for the int4 benchmarks and tests:
every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED weight tensor requantised
to [-8, 7] (scales times 16, values divided by 16 and rounded) and stored as a
real TFLite INT4 tensor (two values per byte, TFLite's packing); each bias
follows the weights' scale (values divided by 16) so that it means the same.
The converter cannot emit such models; TensorFlow Lite Micro runs them."""
from __future__ import annotations

from typing import Any

import numpy as np

from pycmsisnn.kernels import s4

from .flatbuffer_edit import edit_model
from .model_view import schema

FACTOR = 16
WEIGHTED = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


def _requantise(m: Any, w_index: int, b_index: int) -> None:
    sg = m.subgraphs[0]
    t = sg.tensors[w_index]
    w8 = np.frombuffer(bytes(bytearray(m.buffers[t.buffer].data)), dtype=np.int8)
    w4 = np.clip(np.round(w8.astype(np.float64) / FACTOR), -8, 7).astype(np.int8)
    t.type = schema().TensorType.INT4
    t.quantization.scale = [float(s) * FACTOR for s in t.quantization.scale]
    m.buffers[t.buffer].data = s4.pack_int4(w4).view(np.uint8).copy()
    if b_index >= 0:
        bt = sg.tensors[b_index]
        bt.quantization.scale = [float(s) * FACTOR for s in bt.quantization.scale]
        b = np.frombuffer(bytes(bytearray(m.buffers[bt.buffer].data)), dtype=np.int32)
        m.buffers[bt.buffer].data = np.frombuffer(np.round(b / FACTOR).astype(np.int32).tobytes(), dtype=np.uint8).copy()


def as_int4_network(model: bytes) -> bytes:
    """``model`` with the weights of every convolution and fully-connected layer in int4."""
    s = schema()
    names = {v: k for k, v in vars(s.BuiltinOperator).items() if not k.startswith("_")}

    def edit(m: Any) -> None:
        codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in m.operatorCodes]
        done: set[int] = set()
        for op in m.subgraphs[0].operators:
            if names.get(codes[op.opcodeIndex]) in WEIGHTED and op.inputs[1] not in done:
                done.add(op.inputs[1])
                _requantise(m, op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else -1)

    return edit_model(model, edit)
