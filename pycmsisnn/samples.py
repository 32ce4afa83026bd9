"""The inputs ``verify`` runs: random samples, or the user's own arrays.

``Samples`` holds N samples as one array per model input, sample axis first,
already in the model's shapes and dtypes; with labels (one integer class per
sample) when the user gave them. ``random_samples`` draws them as verify always
has; ``load_samples`` reads ``--inputs`` (.npy for a one-input model, .npz with
one array per input, by input name or in order) and ``--labels`` (.npy of
shape (N,)). Float32 data for an int8 input is quantised with the input's
scale and zero point by the host kernel of TFLite's QUANTIZE
(``pycmsisnn_quantize_f32_s8``: float32 division, halves away from zero).

Every problem with the files is collected into one ``BadSamples`` whose
reasons each name the file, the array and what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ArgError
from .ir import Graph, Tensor

RANDOM = "random"


@dataclass(frozen=True)
class Samples:
    """N samples: ``arrays[i]`` is model input i with a leading sample axis."""

    arrays: tuple[np.ndarray, ...]
    origin: str = RANDOM  # "random", or the inputs file
    labels: np.ndarray | None = None  # shape (N,), class ids, or None

    def __len__(self) -> int:
        return int(self.arrays[0].shape[0]) if self.arrays else 0

    def inputs(self, k: int) -> list[np.ndarray]:
        """Sample ``k``: one array per model input, in the model's shape."""
        return [np.asarray(a[k]) for a in self.arrays]  # a scalar input stays a (0-d) array


class BadSamples(ArgError):
    """The inputs or labels files cannot be used; ``reasons`` says why, one per problem."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def random_inputs(graph: Graph, rng: np.random.Generator) -> list[np.ndarray]:
    """One random input per model input: full-range integers, random bools,
    or floats over the range the model's first QUANTIZE can represent."""
    out: list[np.ndarray] = []
    for i in graph.inputs:
        t = graph.tensor(i)
        if t.dtype == np.bool_:
            x = rng.integers(0, 2, size=t.shape).astype(np.bool_)
        elif np.issubdtype(t.dtype, np.integer):
            info = np.iinfo(t.dtype)
            x = rng.integers(info.min, info.max + 1, size=t.shape, dtype=t.dtype)
        else:
            lo, hi = _float_input_range(graph, i)
            x = rng.uniform(lo, hi, size=t.shape).astype(t.dtype)
        out.append(np.asarray(x, dtype=t.dtype))  # a scalar input (shape ()) stays an array
    return out


def _float_input_range(graph: Graph, index: int) -> tuple[float, float]:
    """The real range the first QUANTIZE of a float input maps onto its
    integer type (int8 or int16); [-2, 2) when it has none."""
    for op in graph.operators:
        if op.opcode == "QUANTIZE" and op.inputs and op.inputs[0] == index:
            y = graph.tensor(op.outputs[0])
            if y.quant is not None:
                info = np.iinfo(y.dtype)
                return (int(info.min) - y.quant.zero_point) * y.quant.scale, (int(info.max) - y.quant.zero_point) * y.quant.scale
    return -128 / 64, 127 / 64


def random_samples(graph: Graph, count: int, seed: int) -> Samples:
    """``count`` samples of ``random_inputs``, drawn in turn from one generator seeded ``seed``."""
    rng = np.random.default_rng(seed)
    drawn = [random_inputs(graph, rng) for _ in range(count)]
    return Samples(tuple(np.stack([d[i] for d in drawn]) for i in range(len(graph.inputs))))


# ------------------------------------------------------------ the user's files


def _read(path: Path, reasons: list[str]) -> dict[str, np.ndarray] | None:
    """The arrays of a .npy ({"": array}) or .npz file, or None with a reason."""
    if not path.is_file():
        reasons.append(f"{path}: no such file")
        return None
    try:
        data = np.load(path, allow_pickle=False)
        if isinstance(data, np.lib.npyio.NpzFile):
            with data:
                return {k: data[k] for k in data.files}
        return {"": np.asarray(data)}
    except (ValueError, OSError, EOFError) as exc:
        reasons.append(f"{path}: not a readable .npy or .npz file ({exc})")
        return None


def _match_inputs(path: Path, arrays: dict[str, np.ndarray], inputs: list[Tensor], reasons: list[str]) -> list[tuple[str, np.ndarray]]:
    """(array name, array) per model input: by input name, else in order."""
    names = [t.name for t in inputs]
    if "" in arrays:
        if len(inputs) == 1:
            return [("", arrays[""])]
        reasons.append(f"{path}: one array, the model has {len(inputs)} inputs {names}: give an .npz with one array per input")
        return []
    if all(n in arrays for n in names):
        extra = [k for k in arrays if k not in names]
        if extra:
            reasons.append(f"{path}: array(s) {extra} are none of the model's inputs {names}")
        return [(n, arrays[n]) for n in names]
    if len(arrays) == len(inputs):
        return list(arrays.items())
    reasons.append(f"{path}: arrays {list(arrays)}; the model's inputs are {names} (name them so, or give one array per input in order)")
    return []


def _to_input(path: Path, key: str, a: np.ndarray, t: Tensor, reasons: list[str]) -> np.ndarray | None:
    """``a`` as samples of input ``t``: shape (N, *shape), or (N, *shape[1:])
    when the batch is 1; the model's dtype, or float32 quantised for int8."""
    where = f"{path}, array '{key}'" if key else str(path)
    shape = tuple(t.shape)
    if a.ndim >= 1 and tuple(a.shape[1:]) == shape:
        pass
    elif shape and shape[0] == 1 and a.ndim >= 1 and tuple(a.shape[1:]) == shape[1:]:
        a = a.reshape((a.shape[0], *shape))
    else:
        alt = f" or (N, {', '.join(map(str, shape[1:]))})" if shape and shape[0] == 1 else ""
        reasons.append(f"{where}: shape {tuple(a.shape)}; input '{t.name}' takes (N, {', '.join(map(str, shape))}){alt}")
        return None
    if a.shape[0] < 1:
        reasons.append(f"{where}: no samples (leading axis of length 0)")
        return None
    if a.dtype == t.dtype:
        return np.ascontiguousarray(a)
    if np.dtype(t.dtype) == np.int8 and a.dtype == np.float32 and t.quant is not None:
        return _quantize(a, t)
    accepted = np.dtype(t.dtype).name + (" or float32 (quantised with its scale and zero point)" if np.dtype(t.dtype) == np.int8 else "")
    reasons.append(f"{where}: dtype {a.dtype.name}; input '{t.name}' takes {accepted}")
    return None


def _quantize(a: np.ndarray, t: Tensor) -> np.ndarray:
    """Float32 samples to int8 as TFLite's QUANTIZE: the host kernel that runs that op."""
    from .kernels import lookup
    from .quant import affine_params

    assert t.quant is not None
    quantize = lookup("pycmsisnn_quantize_f32_s8")
    params = affine_params(t.quant.scale, t.quant.zero_point)
    return np.stack([quantize(input=np.ascontiguousarray(x), params=params).reshape(t.shape) for x in a])


def _labels(path: Path, graph: Graph, count: int | None, reasons: list[str]) -> np.ndarray | None:
    arrays = _read(path, reasons)
    if arrays is None:
        return None
    if "" not in arrays or len(arrays) != 1:
        reasons.append(f"{path}: labels must be one .npy array of shape (N,)")
        return None
    y = arrays[""]
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        reasons.append(f"{path}: labels of shape {tuple(y.shape)} and dtype {y.dtype.name}; expected integer class ids of shape (N,)")
        return None
    if count is not None and len(y) != count:
        reasons.append(f"{path}: {len(y)} labels for {count} input samples")
    if len(graph.outputs) != 1:
        reasons.append(f"{path}: labels need a model with one output; it has {len(graph.outputs)}")
        return None
    out = graph.tensor(graph.outputs[0])
    classes = int(out.shape[-1]) if out.shape else 1
    if out.size != classes:
        reasons.append(f"{path}: output '{out.name}' of shape {list(out.shape)} is not one score per class for one sample")
        return None
    bad = y[(y < 0) | (y >= classes)]
    if bad.size:
        reasons.append(f"{path}: label {int(bad[0])} is outside the model's {classes} classes (0..{classes - 1})")
    return y.astype(np.int64)


def load_samples(graph: Graph, inputs: Path, labels: Path | None = None) -> Samples:
    """The user's samples for ``graph``; raises ``BadSamples`` naming every problem."""
    reasons: list[str] = []
    model_inputs = [graph.tensor(i) for i in graph.inputs]
    arrays = _read(inputs, reasons)
    converted: list[np.ndarray] = []
    if arrays is not None:
        for (key, a), t in zip(_match_inputs(inputs, arrays, model_inputs, reasons), model_inputs):
            x = _to_input(inputs, key, a, t, reasons)
            if x is not None:
                converted.append(x)
    counts = {len(a) for a in converted}
    if len(counts) > 1:
        reasons.append(f"{inputs}: the arrays hold different numbers of samples {sorted(counts)}")
    count = counts.pop() if len(counts) == 1 else None
    y = _labels(labels, graph, count, reasons) if labels is not None else None
    if reasons:
        raise BadSamples(reasons)
    return Samples(tuple(converted), str(inputs), y)


def top1(output: np.ndarray) -> int:
    """The class a one-sample output scores highest (the first, on a tie)."""
    return int(np.argmax(np.asarray(output).reshape(-1)))
