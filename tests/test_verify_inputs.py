"""``verify --inputs/--labels`` on the host: the user's samples (.npy, .npz,
float32 quantised as TFLite's QUANTIZE), top-1 accuracy, and bad files."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import cli
from pycmsisnn.model_source import model_bytes
from pycmsisnn.runtime import Model, load
from pycmsisnn.samples import BadSamples, load_samples

N = 12


@pytest.fixture(scope="module")
def model() -> Model:
    return load(model_bytes("default"))


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory, model: Model) -> tuple[Path, Path, np.ndarray]:
    """Random digit-shaped float32 inputs (N, 8, 8, 1) in [0, 1], and as labels
    the host model's own top-1 predictions."""
    root = tmp_path_factory.mktemp("digits")
    x = np.random.default_rng(7).uniform(0.0, 1.0, size=(N, 8, 8, 1)).astype(np.float32)
    samples = load_samples(model.graph, _save(root / "x.npy", x))
    predictions = np.array([int(np.argmax(model.run(samples.inputs(k))[0])) for k in range(N)])
    assert len(set(predictions.tolist())) > 1  # the random digits are not all one class
    return root / "x.npy", _save(root / "y.npy", predictions), predictions


def _save(path: Path, a: np.ndarray) -> Path:
    np.save(path, a)
    return path


def _quantized(x: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """TFLite's QUANTIZE written out: float32 division, halves away from zero, clamp."""
    q = np.float32(x) / np.float32(scale)
    r = np.sign(q) * np.floor(np.abs(q) + np.float32(0.5))
    return np.clip(r + zero_point, -128, 127).astype(np.int8)


def test_labels_from_the_models_predictions_give_accuracy_one(digits: tuple[Path, Path, np.ndarray], capsys: pytest.CaptureFixture[str]) -> None:
    x, y, _ = digits
    assert cli.main(["verify", "default", "--inputs", str(x), "--labels", str(y), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exact"] is True and report["samples"] == N and report["exact_samples"] == N
    assert report["inputs"] == str(x)
    assert report["accuracy"] == {"top1": 1.0, "samples": N}


def test_half_the_labels_wrong_give_accuracy_one_half(digits: tuple[Path, Path, np.ndarray], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    x, _, predictions = digits
    wrong = predictions.copy()
    wrong[: N // 2] = (wrong[: N // 2] + 1) % 10
    y = _save(tmp_path / "half.npy", wrong)
    assert cli.main(["verify", "default", "--inputs", str(x), "--labels", str(y), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == {"top1": 0.5, "samples": N}
    assert cli.main(["verify", "default", "--inputs", str(x), "--labels", str(y)]) == 0
    out = capsys.readouterr().out
    assert f"{N}/{N} samples of {x} bit-exact" in out
    assert f"top-1 accuracy 0.5000 ({N // 2}/{N} labelled samples; TensorFlow Lite Micro and host agree on every sample)" in out


def test_float32_inputs_are_quantised_as_tflite_does(model: Model, digits: tuple[Path, Path, np.ndarray]) -> None:
    x, _, _ = digits
    t = model.inputs[0]
    assert t.quant is not None
    floats = np.load(x)
    # exact halves of the scale must round away from zero
    floats[0, :4, 0, 0] = np.float32(t.quant.scale) * np.float32([0.5, 1.5, 2.5, 100.5])
    path = _save(x.with_name("halves.npy"), floats)
    got = load_samples(model.graph, path).arrays[0]
    assert got.dtype == np.int8 and got.shape == (N, 1, 8, 8, 1)
    want = _quantized(floats, t.quant.scale, t.quant.zero_point).reshape(N, 1, 8, 8, 1)
    assert np.array_equal(got, want)
    assert got[0, 0, :4, 0, 0].tolist() == [-127, -126, -125, -27]  # zero point -128 plus 1, 2, 3, 101


def test_npz_by_name_in_order_and_int8_with_the_batch_axis(model: Model, tmp_path: Path) -> None:
    t = model.inputs[0]
    q = np.random.default_rng(3).integers(-128, 128, size=(4, *t.shape), dtype=np.int8)
    np.savez(tmp_path / "named.npz", **{t.name: q})
    np.savez(tmp_path / "ordered.npz", q[:, 0])  # arr_0, without the batch axis
    for name in ("named.npz", "ordered.npz"):
        samples = load_samples(model.graph, tmp_path / name)
        assert len(samples) == 4 and np.array_equal(samples.arrays[0], q)
        assert samples.inputs(2)[0].shape == t.shape


@pytest.mark.parametrize(
    "inputs, labels, reason",
    [
        ("x.npy", "y.npy", None),  # the valid pair, for contrast
        ("missing.npy", None, "missing.npy: no such file"),
        ("wrong_shape.npy", None, "wrong_shape.npy: shape (5, 8, 7); input 'serving_default_digit:0' takes (N, 1, 8, 8, 1) or (N, 8, 8, 1)"),
        ("float64.npy", None, "float64.npy: dtype float64; input 'serving_default_digit:0' takes int8 or float32"),
        ("x.npy", "short.npy", f"short.npy: {N - 1} labels for {N} input samples"),
        ("x.npy", "outside.npy", "outside.npy: label 10 is outside the model's 10 classes (0..9)"),
        ("two.npz", None, "two.npz: arrays ['a', 'b']; the model's inputs are ['serving_default_digit:0']"),
    ],
)
def test_bad_files_exit_2_naming_file_array_and_reason(digits: tuple[Path, Path, np.ndarray], inputs: str, labels: str | None,
                                                       reason: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    x, y, predictions = digits
    root = x.parent
    _save(root / "wrong_shape.npy", np.zeros((5, 8, 7), np.float32))
    _save(root / "float64.npy", np.zeros((5, 8, 8, 1), np.float64))
    _save(root / "short.npy", predictions[:-1])
    _save(root / "outside.npy", np.where(np.arange(N) == 3, 10, predictions))
    np.savez(root / "two.npz", a=np.zeros((2, 8, 8, 1), np.float32), b=np.zeros((2, 8, 8, 1), np.float32))
    argv = ["verify", "default", "--inputs", str(root / inputs)] + (["--labels", str(root / labels)] if labels else [])
    code = cli.main(argv)
    err = capsys.readouterr().err
    if reason is None:
        assert code == 0 and err == ""
        return
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("pycmsisnn: ") and reason in err, err
    assert cli.main([*argv, "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "bad_input" and len(out["reasons"]) == 1 and reason in out["reasons"][0]


def test_every_problem_is_reported_at_once(model: Model, tmp_path: Path) -> None:
    with pytest.raises(BadSamples) as info:
        load_samples(model.graph, tmp_path / "nothing.npy", _save(tmp_path / "y.npy", np.zeros((3, 2), np.int64)))
    assert info.value.reasons == [f"{tmp_path / 'nothing.npy'}: no such file",
                                  f"{tmp_path / 'y.npy'}: labels of shape (3, 2) and dtype int64; expected integer class ids of shape (N,)"]


def test_labels_without_inputs_and_samples_with_inputs_are_refused(digits: tuple[Path, Path, np.ndarray], capsys: pytest.CaptureFixture[str]) -> None:
    x, y, _ = digits
    assert cli.main(["verify", "default", "--labels", str(y)]) == 2
    assert "--labels needs --inputs" in capsys.readouterr().err
    assert cli.main(["verify", "default", "--inputs", str(x), "--samples", "3"]) == 2
    assert "--samples counts random inputs" in capsys.readouterr().err
