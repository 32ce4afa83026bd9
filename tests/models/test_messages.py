"""Refusals a person and a script can act on: custom operators named with
their code, every reason at once, a JSON object on refusal, ``inspect`` on any
readable model, 0-based numbering, warnings against the board's memories."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pycmsisnn.cli import main
from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import load
from pycmsisnn.tflite import read_model

from ..support import mlperf_tiny
from ..support.flatbuffer_edit import edit_model
from ..support.model_view import schema
from .test_refusals import _small_model


def _custom_model(custom_code: str, scratch_type: str) -> bytes:
    """The small conv+dense model with its operators replaced by one custom
    operator, as Vela leaves an Ethos-U model (int8 I/O, uint8 command stream
    and scratch) or as the signal library's audio front end does (uint32)."""
    s = schema()

    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        code = s.OperatorCodeT()
        code.builtinCode = code.deprecatedBuiltinCode = s.BuiltinOperator.CUSTOM
        code.customCode = custom_code.encode()
        code.version = 1
        m.operatorCodes.append(code)
        stream = s.BufferT()
        stream.data = np.arange(64, dtype=np.uint8)
        m.buffers.append(stream)
        const = s.TensorT()
        const.name, const.shape, const.type, const.buffer = b"command_stream", [64], s.TensorType.UINT8, len(m.buffers) - 1
        m.buffers.append(s.BufferT())
        scratch = s.TensorT()
        scratch.name, scratch.shape = b"scratch", [128]
        scratch.type, scratch.buffer = getattr(s.TensorType, scratch_type), len(m.buffers) - 1
        sg.tensors += [const, scratch]
        op = s.OperatorT()
        op.opcodeIndex = len(m.operatorCodes) - 1
        op.inputs = [len(sg.tensors) - 2, len(sg.tensors) - 1, int(sg.inputs[0])]
        op.outputs = [int(sg.outputs[0])]
        sg.operators = [op]

    return edit_model(_small_model(), edit)


def _write(tmp_path: Path, data: bytes, name: str = "model.tflite") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_ethos_u_model_is_refused_for_its_custom_operator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _custom_model("ethos-u", "UINT8")
    with pytest.raises(UnsupportedModelError) as err:
        load(data)
    assert err.value.reasons == [
        "CUSTOM:ethos-u x1: operator 0: custom operator 'ethos-u' has no kernel in pycmsisnn (an Ethos-U NPU command "
        "stream: the model was compiled by Vela; give pycmsisnn the model from before Vela)"
    ]
    capsys.readouterr()  # what building the model printed (TensorFlow's converter, on a cold cache)
    assert main(["verify", _write(tmp_path, data), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"status": "unsupported", "reasons": err.value.reasons}
    assert "uint8" not in captured.err


def test_signal_front_end_is_refused_for_its_operator_not_its_types() -> None:
    with pytest.raises(UnsupportedModelError) as err:
        load(_custom_model("SignalWindow", "UINT32"))
    assert len(err.value.reasons) == 1 and "custom operator 'SignalWindow'" in err.value.reasons[0]
    assert "signal-library" in err.value.reasons[0] and "UINT32" not in str(err.value)


def test_a_dynamic_shape_and_the_unsupported_operators_are_listed_together() -> None:
    def edit(m: Any) -> None:
        sg = m.subgraphs[0]
        sg.tensors[sg.inputs[0]].shapeSignature = [1, -1, 6, 2]
        code = m.operatorCodes[sg.operators[0].opcodeIndex]
        code.builtinCode = code.deprecatedBuiltinCode = schema().BuiltinOperator.LSH_PROJECTION

    data = edit_model(_small_model(), edit)
    with pytest.raises(UnsupportedModelError) as err:
        load(data)
    assert len(err.value.reasons) == 2
    assert err.value.reasons[0].startswith("tensor ") and "dynamic shape [1, -1, 6, 2]" in err.value.reasons[0]
    assert err.value.reasons[1].startswith("LSH_PROJECTION x1: operator 0: no kernel for this operator")
    assert read_model(data, strict=False).refusals == (err.value.reasons[0],)


def test_every_json_command_prints_an_object_on_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path, b"\x00" * 64, "bad.tflite")
    for argv in (["verify", bad, "--json"], ["bench", bad, "--target", "cortex-m4", "--json"], ["qmn", bad, "--json"]):
        assert main(argv) == 2, argv
        out = json.loads(capsys.readouterr().out)
        assert out["status"] == "unsupported" and "not a TFLite model" in out["reasons"][0], argv
    assert main(["verify", str(tmp_path / "absent.tflite"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out) == {"status": "bad_input", "reasons": [f"{tmp_path / 'absent.tflite'}: no such model file"]}


def test_inspect_describes_an_unsupported_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _custom_model("ethos-u", "UINT8"))
    capsys.readouterr()  # what building the model printed
    assert main(["inspect", path]) == 0
    out = capsys.readouterr().out
    assert "    0  CUSTOM:ethos-u         unsupported: custom operator 'ethos-u' has no kernel in pycmsisnn" in out
    assert "command_stream uint8[64]" not in out  # tensors only with --verbose
    assert "not runnable (1 reason(s)):" in out
    assert main(["inspect", path, "--verbose"]) == 0
    assert "      in  command_stream uint8[64]" in capsys.readouterr().out
    assert main(["inspect", path, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"] == "unsupported" and info["layers"][0]["kernel"] is None and info["arena_bytes"] is None


def test_inspect_table_of_a_runnable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, mlperf_tiny.built("kws01"))
    capsys.readouterr()  # what building the model printed
    assert main(["inspect", path, "--target", "cortex-m55", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"] == "ok" and info["arena_bytes"] == 11840 and len(info["layers"]) == 13
    dw = info["layers"][1]
    assert (dw["kernel"], dw["output_shape"], dw["scratch_bytes"]) == ("arm_depthwise_conv_3x3_s8", [1, 25, 5, 64], 2 * 6 * 5 * 64)  # two chunks of 6 rows it writes over its input through
    assert dw["macs"] == 25 * 5 * 64 * 9 and dw["arena_offset"] is not None
    assert info["ram"]["arena_bytes"] == 11840 and info["ram"]["stack_source"] == "guess"
    assert main(["inspect", path]) == 0
    out = capsys.readouterr().out.splitlines()
    row = next(line for line in out if line.startswith("    1  DEPTHWISE_CONV_2D"))
    assert row.split()[2:5] == ["arm_depthwise_conv_3x3_s8", "[1,", "25,"]
    assert "RAM 12,864 B = arena 11,840 B + stack 1,024 B (stack a rough estimate, no cross toolchain)" in "\n".join(out)


def test_inspect_warns_when_the_plan_exceeds_the_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, mlperf_tiny.built("ic01"))
    capsys.readouterr()  # what building the model printed
    assert main(["inspect", path, "--target", "cortex-m0"]) == 0
    out = capsys.readouterr().out
    assert "warning: RAM: 34,880 B exceed cortex-m0's 16,384 B (SRAM)" in out
    assert main(["inspect", path, "--target", "cortex-m4"]) == 0
    assert "warning:" not in capsys.readouterr().out
    # KWS fits the micro:bit since its convolutions write over their inputs.
    assert main(["inspect", _write(tmp_path, mlperf_tiny.built("kws01")), "--target", "cortex-m0"]) == 0
    assert "warning:" not in capsys.readouterr().out


def test_operands_are_numbered_from_0() -> None:
    def make(inp: list) -> Any:
        from ..support.tflite_build import tf

        return tf().keras.layers.Add()([inp[0], inp[1]])

    from ..support.tflite_build import build_model

    data = build_model("messages-add-int16-v1", make, [(1, 4, 4, 3), (1, 4, 4, 3)])

    def retype(m: Any) -> None:
        sg = m.subgraphs[0]
        sg.tensors[sg.operators[0].inputs[1]].type = schema().TensorType.INT16

    with pytest.raises(UnsupportedModelError, match=r"ADD x1: operator 0: input 1 '[^']+' is int16, needs int8"):
        load(edit_model(data, retype))
