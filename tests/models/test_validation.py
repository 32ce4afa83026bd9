"""The validator that reads a model's bytes before anything else does (our
reader, TensorFlow Lite Micro's interpreter): each kind of corruption that
once crashed TFLite Micro or raised an uncaught exception is refused, with
the table, the index and the field named, and ``verify`` exits 2."""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.cli import main
from pycmsisnn.runtime import load
from pycmsisnn.tflite import ModelError, read_model
from pycmsisnn.tflite.structure import check_structure

from ..support.flatbuffer_edit import edit_model
from ..support.model_view import schema
from .test_refusals import _small_model


def _edited(edit: Callable[[Any], None]) -> bytes:
    return edit_model(_small_model(), edit)


def _conv(m: Any) -> Any:
    sg = m.subgraphs[0]
    return next(op for op in sg.operators if m.operatorCodes[op.opcodeIndex].builtinCode == schema().BuiltinOperator.CONV_2D)


def _buffer_out_of_range(m: Any) -> None:
    m.subgraphs[0].tensors[_conv(m).inputs[1]].buffer = 10_000


def _quantized_dimension(m: Any) -> None:
    m.subgraphs[0].tensors[_conv(m).inputs[1]].quantization.quantizedDimension = 7


def _input_out_of_range(m: Any) -> None:
    m.subgraphs[0].inputs = [999]


def _output_is_a_weight(m: Any) -> None:
    m.subgraphs[0].outputs = [int(_conv(m).inputs[1])]


def _pool_options_on_conv(m: Any) -> None:
    op = _conv(m)
    op.builtinOptionsType = schema().BuiltinOptions.Pool2DOptions
    op.builtinOptions = schema().Pool2DOptionsT()


def _stride_zero(m: Any) -> None:
    _conv(m).builtinOptions.strideW = 0


def _padding_seven(m: Any) -> None:
    _conv(m).builtinOptions.padding = 7


def _activation_nine(m: Any) -> None:
    _conv(m).builtinOptions.fusedActivationFunction = 9


def _huge_shape(m: Any) -> None:
    sg = m.subgraphs[0]
    sg.tensors[_conv(m).outputs[0]].shape = [1, 1 << 15, 1 << 15, 4]


def _zero_dimension(m: Any) -> None:
    sg = m.subgraphs[0]
    sg.tensors[sg.inputs[0]].shape = [1, 0, 6, 2]


def _nan_scale(m: Any) -> None:
    sg = m.subgraphs[0]
    sg.tensors[sg.inputs[0]].quantization.scale = [float("nan")]


def _zero_point_300(m: Any) -> None:
    sg = m.subgraphs[0]
    sg.tensors[sg.inputs[0]].quantization.zeroPoint = [300]


def _no_outputs(m: Any) -> None:
    _conv(m).outputs = []


def _opcode_out_of_range(m: Any) -> None:
    _conv(m).opcodeIndex = 40


def _short_weights(m: Any) -> None:
    w = m.subgraphs[0].tensors[_conv(m).inputs[1]]
    m.buffers[w.buffer].data = np.asarray(m.buffers[w.buffer].data)[:-4]


CASES = [
    (_buffer_out_of_range, r"subgraphs\[0\]\.tensors\[\d+\]\.buffer: index 10000 is out of range \(\d+ buffers\)"),
    (_quantized_dimension, r"subgraphs\[0\]\.tensors\[\d+\]\.quantization\.quantized_dimension: 7 is outside rank 4"),
    (_input_out_of_range, r"subgraphs\[0\]\.inputs: tensor index 999 is out of range"),
    (_output_is_a_weight, r"subgraphs\[0\]\.outputs: tensor \d+ is neither an input nor written by any operator"),
    (_pool_options_on_conv, r"operator 0 \(CONV_2D\): builtin_options is a Pool2DOptions table, the operator takes Conv2DOptions"),
    (_stride_zero, r"operator 0 \(CONV_2D\): Conv2DOptions\.stride_w is 0, must be in \[1, 65536\]"),
    (_padding_seven, r"operator 0 \(CONV_2D\): Conv2DOptions\.padding is 7, must be 0 \(SAME\) or 1 \(VALID\)"),
    (_activation_nine, r"Conv2DOptions\.fused_activation_function is 9, not a TFLite activation"),
    (_huge_shape, r"subgraphs\[0\]\.tensors\[\d+\]\.shape: \[1, 32768, 32768, 4\] holds 4,294,967,296 elements, above the limit"),
    (_zero_dimension, r"subgraphs\[0\]\.tensors\[\d+\]\.shape: \[1, 0, 6, 2\] has a dimension below 1"),
    (_nan_scale, r"subgraphs\[0\]\.tensors\[\d+\]\.quantization\.scale: nan is not a finite positive number"),
    (_zero_point_300, r"quantization\.zero_point: 300 lies outside the tensor type's \[-128, 127\]"),
    (_no_outputs, r"subgraphs\[0\]\.operators\[0\]\.outputs: the operator has no output"),
    (_opcode_out_of_range, r"subgraphs\[0\]\.operators\[0\]\.opcode_index: 40 is out of range \(3 operator codes\)"),
    (_short_weights, r"subgraphs\[0\]\.tensors\[\d+\]\.buffer: buffer \d+ holds 68 bytes, shape \[4, 3, 3, 2\] needs 72"),
]


@pytest.mark.parametrize("edit,message", CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_corruption_is_named(edit: Callable[[Any], None], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _edited(edit)
    with pytest.raises(ModelError, match=message):
        read_model(data, strict=False)
    with pytest.raises(ValueError, match=message):
        load(data)
    path = tmp_path / "bad.tflite"
    path.write_bytes(data)
    assert main(["verify", str(path), "--samples", "1"]) == 2  # refused before TFLite Micro sees it
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_sound_model_passes() -> None:
    read_model(_small_model())


def _root(data: bytes) -> int:
    return int(struct.unpack_from("<I", data, 0)[0])


def test_structure_is_checked_before_any_reader() -> None:
    data = bytearray(_small_model())
    root = _root(bytes(data))
    vtable = root - struct.unpack_from("<i", data, root)[0]
    subgraphs_at = root + struct.unpack_from("<H", data, vtable + 8)[0]  # Model.subgraphs, vtable slot 8
    vector = subgraphs_at + struct.unpack_from("<I", data, subgraphs_at)[0]
    struct.pack_into("<I", data, vector, 1 << 30)  # a vector "of 2^30 subgraphs"
    with pytest.raises(ModelError, match=r"corrupt model: model\.subgraphs: vector of 1073741824 elements runs past the end"):
        check_structure(bytes(data))
    struct.pack_into("<I", data, subgraphs_at, len(data) + 64)  # an offset past the end
    with pytest.raises(ModelError, match=r"corrupt model: model\.subgraphs: referenced object at byte \d+ \(\+4\) runs past the end"):
        read_model(bytes(data))


def test_every_truncation_is_refused_cleanly() -> None:
    data = _small_model()
    for cut in range(8, len(data), max(1, len(data) // 200)):
        with pytest.raises(ModelError):
            read_model(data[:cut])
