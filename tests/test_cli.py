"""The command line: inspect, run, verify and their exit statuses."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from pycmsisnn import cli, kernels
from pycmsisnn.kernels._binding import recording
from pycmsisnn.runtime import load

from .support import mlperf_tiny


@pytest.fixture(scope="module")
def kws_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The suite's DS-CNN keyword-spotting network, as a file."""
    path = tmp_path_factory.mktemp("models") / "kws.tflite"
    path.write_bytes(mlperf_tiny.built("kws01"))
    return str(path)


def test_verify_default_model_exact(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "default", "--samples", "3"]) == 0
    assert "3/3 random inputs bit-exact" in capsys.readouterr().out


def test_verify_json(kws_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", kws_file, "--samples", "2", "--seed", "4", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exact"] is True and report["exact_samples"] == 2 and report["seed"] == 4
    assert report["outputs"][0]["exact_samples"] == 2


def test_verify_mismatch_names_the_first_differing_layer(kws_file: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = kernels.lookup

    def broken_lookup(name: str):  # noqa: ANN202
        fn = real(name)
        if name != "arm_depthwise_conv_wrapper_s8":
            return fn

        def corrupted(**kwargs):  # noqa: ANN003, ANN202
            with recording([]):  # leave nothing bound: every run goes through this function
                y = fn(**kwargs)
            return y ^ np.int8(0x40)  # every element off by 64

        return corrupted

    monkeypatch.setattr("pycmsisnn.runtime.lookup", broken_lookup)
    assert cli.main(["verify", kws_file, "--samples", "2", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    layer = report["first_mismatch"]["layer"]
    assert report["exact_samples"] == 0
    assert layer["op_index"] == 1 and layer["opcode"] == "DEPTHWISE_CONV_2D"
    assert layer["kernel"] == "arm_depthwise_conv_3x3_s8"
    assert layer["mismatch"]["count"] == 25 * 5 * 64 and layer["mismatch"]["index"] == [0, 0, 0, 0]
    assert abs(layer["mismatch"]["ours"] - layer["mismatch"]["reference"]) == 64
    assert "dw_conv_params" in layer["parameters"]


def test_verify_bad_model_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\x00" * 100)
    assert cli.main(["verify", str(bad)]) == 2
    assert "not a TFLite model" in capsys.readouterr().err
    assert cli.main(["verify", str(tmp_path / "missing.tflite")]) == 2


def test_inspect_shows_kernels_parameters_and_memory(kws_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", kws_file, "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "[1] DEPTHWISE_CONV_2D -> arm_depthwise_conv_wrapper_s8 -> arm_depthwise_conv_3x3_s8" in out
    zero_point = load(kws_file).graph.tensor(load(kws_file).graph.inputs[0]).quant.zero_point
    assert f"input_offset={-zero_point}" in out and "PerChannelQuant(multiplier=" in out
    assert "peak live 16000 B" in out


def test_run_writes_the_output(kws_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x = np.random.default_rng(1).integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
    np.save(tmp_path / "x.npy", x)
    assert cli.main(["run", kws_file, "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), load(kws_file).run(x)[0])
    assert "StatefulPartitionedCall_1:0: int8[1, 12] [" in capsys.readouterr().out


def test_run_rejects_a_wrong_input(kws_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    np.save(tmp_path / "x.npy", np.zeros((1, 49, 10, 1), np.float32))
    assert cli.main(["run", kws_file, "--input", str(tmp_path / "x.npy")]) == 2
    assert "dtype float32, the model takes int8" in capsys.readouterr().err


def _raise(exc: BaseException) -> Callable[..., None]:
    """A stand-in for any function: raises ``exc``."""
    def stand_in(*args: object, **kwargs: object) -> None:
        raise exc
    return stand_in


INTERNAL = ("pycmsisnn: internal error: ZeroDivisionError: division by zero\n"
            "pycmsisnn: please report this with the model file and the command at the project's issue tracker\n")


def test_internal_error_exits_3_without_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from pycmsisnn import verify

    monkeypatch.setattr(verify, "verify_host", _raise(ZeroDivisionError("division by zero")))
    assert cli.main(["verify", "default", "--samples", "1"]) == 3
    captured = capsys.readouterr()
    assert captured.err == INTERNAL and captured.out == ""


def test_internal_error_as_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from pycmsisnn import inspect_model

    monkeypatch.setattr(inspect_model, "inspect_graph", _raise(ZeroDivisionError("division by zero")))
    assert cli.main(["inspect", "default", "--json"]) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"status": "internal_error", "reasons": ["ZeroDivisionError: division by zero"]}
    assert captured.err == INTERNAL


def test_qmn_internal_error_exits_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from pycmsisnn.qmn import cli as qmn_cli

    monkeypatch.setattr(qmn_cli, "build_report", _raise(KeyError("layers")))
    assert cli.main(["qmn", "default", "--json"]) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"status": "internal_error", "reasons": ["KeyError: 'layers'"]}
    assert captured.err.startswith("pycmsisnn qmn: internal error: KeyError: 'layers'\n")
    monkeypatch.setattr(qmn_cli, "build_report", _raise(ValueError("no such layer")))
    assert cli.main(["qmn", "default"]) == 2
    assert capsys.readouterr().err == "pycmsisnn qmn: no such layer\n"


def test_interrupt_exits_130_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from pycmsisnn import verify
    from pycmsisnn.qmn import cli as qmn_cli

    monkeypatch.setattr(verify, "verify_host", _raise(KeyboardInterrupt()))
    assert cli.main(["verify", "default", "--json"]) == 130
    monkeypatch.setattr(qmn_cli, "build_report", _raise(KeyboardInterrupt()))
    assert cli.main(["qmn", "default"]) == 130
    assert qmn_cli.main(["qmn", "default"]) == 130
    assert capsys.readouterr() == ("", "")
