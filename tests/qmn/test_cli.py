"""``pycmsisnn qmn``: text and JSON output, --requantize, --data, exit codes.
(The handler is ``pycmsisnn.qmn.cli``; its ``main`` builds the same parser
``pycmsisnn.cli`` will, through ``add_parser``.)"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.qmn import cli, requantize_power_of_two
from pycmsisnn.tflite import read_model
from tests.qmn.models import float_model, legacy_model


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["qmn", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def pow2_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("qmn") / "pow2.tflite"
    path.write_bytes(requantize_power_of_two(legacy_model()))
    return path


def test_parser_is_a_subcommand() -> None:
    parser = argparse.ArgumentParser(prog="pycmsisnn")
    sub = parser.add_subparsers(dest="command")
    cli.add_parser(sub)
    args = parser.parse_args(["qmn", "m.tflite", "--json", "--samples", "3", "--seed", "4", "--requantize", "o.tflite", "--data", "d.npy"])
    assert (args.command, args.model, args.json, args.samples, args.seed, args.requantize, args.data, args.rounding) == (
        "qmn", "m.tflite", True, 3, 4, Path("o.tflite"), Path("d.npy"), "cover")


def test_text_rows_of_an_exact_model(capsys: pytest.CaptureFixture[str], pow2_file: Path) -> None:
    code, out, _ = _run(capsys, str(pow2_file), "--samples", "2")
    assert code == 0
    lines = out.splitlines()
    header = lines[1].split()
    assert header == ["op", "layer", "input", "weights", "bias", "output", "bias_shift", "out_shift", "verdict"]
    rows = [line.split() for line in lines[2:] if line[:1].isdigit() and line.split()[1].isupper()]
    assert rows == [
        ["0", "CONV_2D", "Q2.5", "Q-2.9", "Q0.7", "Q2.5", "7", "9", "exact"],
        ["1", "DEPTHWISE_CONV_2D", "Q2.5", "Q-1.8", "Q0.7", "Q0.7", "6", "6", "exact"],
        ["2", "CONV_2D", "Q0.7", "Q0.7", "Q0.7", "Q1.6", "7", "8", "exact"],
        ["3", "CONV_2D", "Q1.6", "Q-2.9", "Q1.6", "Q1.6", "9", "9", "exact"],
        ["6", "FULLY_CONNECTED", "Q1.6", "Q-1.8", "Q0.7", "Q2.5", "7", "9", "exact"],
    ]
    assert "    exact; arm_convolve_HWC_q7_RGB + arm_relu_q7" in lines
    assert any(line.startswith("    q7 kernel vs TFLite Micro: ") and " of 2304 elements differ" in line for line in lines)
    assert "5 exact, 0 approximate, 0 not expressible" in lines


def test_json_of_the_default_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "default", "--json", "--samples", "2")
    assert code == 0
    report = json.loads(out)
    assert report["counts"] == {"exact": 0, "approximate": 4, "not expressible": 1}
    first = report["layers"][0]
    assert first["verdict"] == "approximate" and first["formats_after_conversion"]
    assert set(first["formats"]) == {"input", "weights", "bias", "output", "bias_shift", "out_shift"}
    assert first["conversion_error"]["elements"] == 2 * 8 * 8 * 16  # two samples of the 8x8x16 output
    assert "q7_vs_tflm" in first and first["q7_vs_tflm"]["max_abs_diff"] <= 1
    bad = report["layers"][3]
    assert bad["verdict"] == "not expressible" and bad["advice"].startswith("use the s8 API")
    (output,) = report["conversion"]["outputs"]
    assert set(output) == {"name", "elements", "max_abs_error", "mismatch_rate", "top1_agreement"}


def test_text_of_the_default_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "default", "--samples", "2")
    assert code == 0
    assert "* formats after the power-of-two conversion" in out
    assert "    not expressible: fused RELU6 clamps the output to [0, 96]" in out
    assert "    use the s8 API instead: pycmsisnn derives its multipliers and shifts exactly" in out
    assert "power-of-two model vs original on 2 random inputs:" in out
    assert "top-1 agreement" in out


def test_requantize_writes_the_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "legacy.tflite"
    code, out, _ = _run(capsys, "default", "--samples", "2", "--requantize", str(out_file))
    assert code == 0 and f"power-of-two model written to {out_file}" in out
    graph = read_model(out_file.read_bytes())
    assert all(t.quant.zero_points == (0,) for t in graph.tensors if t.quant is not None and t.dtype == np.int8
               and t.index != graph.outputs[0])


def test_data_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "x.npy"  # three real-valued inputs of the default model (1x8x8x1, range [0, 1])
    np.save(data, np.random.default_rng(0).uniform(0, 1, size=(3, 1, 8, 8, 1)).astype(np.float32))
    code, out, _ = _run(capsys, "default", "--samples", "1", "--data", str(data), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["conversion_data"]["samples"] == 3 and report["conversion_data"]["source"] == str(data)
    assert "conversion_error_data" in report["layers"][0]


@pytest.mark.parametrize(
    "argv,message",
    [
        (["/nonexistent/model.tflite"], "no such model file"),
        (["default", "--samples", "0"], "--samples must be at least 1"),
    ],
)
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "" and message in err


def test_float_model_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "float.tflite"
    path.write_bytes(float_model())
    code, _, err = _run(capsys, str(path))
    assert code == 2 and "float model" in err


def test_bad_data_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "bad.npy"
    np.save(data, np.zeros((5, 7), np.float32))
    code, _, err = _run(capsys, "default", "--data", str(data))
    assert code == 2 and "does not hold inputs" in err
