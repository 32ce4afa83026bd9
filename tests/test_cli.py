"""The command line: inspect, run, verify and their exit statuses."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import cli, kernels
from pycmsisnn.kernels._binding import recording
from pycmsisnn.runtime import load

MODELS = Path(__file__).resolve().parents[2] / "shared" / "models"
KWS = str(MODELS / "mlperf_tiny_kws01_dscnn_int8.tflite")


def test_verify_default_model_exact(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "default", "--samples", "3"]) == 0
    assert "3/3 random inputs bit-exact" in capsys.readouterr().out


def test_verify_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", KWS, "--samples", "2", "--seed", "4", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exact"] is True and report["exact_samples"] == 2 and report["seed"] == 4
    assert report["outputs"][0]["exact_samples"] == 2


def test_verify_mismatch_names_the_first_differing_layer(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
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
    assert cli.main(["verify", KWS, "--samples", "2", "--json"]) == 1
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


def test_inspect_shows_kernels_parameters_and_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", KWS]) == 0
    out = capsys.readouterr().out
    assert "[1] DEPTHWISE_CONV_2D -> arm_depthwise_conv_wrapper_s8 -> arm_depthwise_conv_3x3_s8" in out
    assert "input_offset=-83" in out and "PerChannelQuant(multiplier=" in out
    assert "peak live 16000 B" in out


def test_run_writes_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x = np.random.default_rng(1).integers(-128, 128, (1, 49, 10, 1), dtype=np.int8)
    np.save(tmp_path / "x.npy", x)
    assert cli.main(["run", KWS, "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), load(KWS).run(x)[0])
    assert "Identity: int8[1, 12]" in capsys.readouterr().out


def test_run_rejects_a_wrong_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    np.save(tmp_path / "x.npy", np.zeros((1, 49, 10, 1), np.float32))
    assert cli.main(["run", KWS, "--input", str(tmp_path / "x.npy")]) == 2
    assert "dtype float32, the model takes int8" in capsys.readouterr().err
