"""Pooling kernels against TFLite Micro (and a numpy reference).

Each configuration converts a one-layer Keras AveragePooling2D or
MaxPooling2D (optionally followed by a ReLU the converter fuses) to an int8
TFLite model, runs it in TFLite Micro, and runs the same layer through
``arm_avgpool_s8`` / ``arm_max_pool_s8`` with the window, stride, padding and
clamp derived from the model by ``pycmsisnn.quant``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pycmsisnn import quant
from pycmsisnn.kernels import pooling as pl
from pycmsisnn.kernels._base import c_pool_params, context, dims, lib, ptr
from pycmsisnn.params import Activation, PoolParams, Tile
from tests.support.library import require_our_kernels
from tests.support.model_view import OpView, single_op
from tests.support.tflite_build import build_model, tf
from tests.support.tflm import run_tflm

ZP_LOW = (0.0, 4.0)  # input zero point -128
ZP_HIGH = (-4.0, 0.0)  # input zero point 127
ZP_MID = (-1.0, 3.0)
SYM = (-1.0, 1.0)
WIDE = (-4.0, 8.0)  # ReLU6 clamps inside the int8 range

OPS = {"avg": "AVERAGE_POOL_2D", "max": "MAX_POOL_2D"}


@dataclass(frozen=True)
class Case:
    op: str  # "avg" or "max"
    shape: tuple[int, int, int, int]
    pool: tuple[int, int]  # (h, w)
    stride: tuple[int, int]  # (h, w)
    padding: str
    act: str | None = None  # None, "relu", "relu6"
    input_range: tuple[float, float] = SYM
    seed: int = 0

    @property
    def key(self) -> str:
        geometry = f"in{self.shape}|p{self.pool}|s{self.stride}|{self.padding}"
        return f"pool|{self.op}|{geometry}|act={self.act}|range={self.input_range}"

    def __str__(self) -> str:
        n, h, w, c = self.shape
        return (
            f"{self.op}-{n}x{h}x{w}x{c}-p{self.pool[0]}x{self.pool[1]}-s{self.stride[0]}{self.stride[1]}-{self.padding}"
            f"-{self.act}-r{self.input_range[0]:g}_{self.input_range[1]:g}"
        )


GEOMETRIES: list[tuple[tuple[int, int, int, int], tuple[int, int], tuple[int, int], str]] = [
    ((1, 4, 4, 3), (2, 2), (2, 2), "valid"),
    ((1, 5, 5, 3), (2, 2), (2, 2), "same"),  # last row/column window holds one input
    ((1, 5, 6, 5), (3, 3), (1, 1), "same"),  # corners average 4 inputs, edges 6
    ((1, 6, 5, 7), (3, 3), (2, 2), "same"),
    ((1, 7, 7, 1), (3, 3), (2, 2), "valid"),
    ((2, 4, 6, 3), (2, 2), (2, 2), "same"),
    ((2, 5, 5, 5), (3, 3), (1, 1), "same"),
    ((1, 5, 7, 3), (1, 3), (1, 1), "same"),
    ((1, 6, 5, 6), (1, 3), (1, 2), "valid"),
    ((1, 5, 4, 3), (3, 1), (2, 1), "same"),
    ((1, 6, 6, 2), (2, 2), (1, 1), "same"),  # padding only after the input
    ((1, 6, 6, 9), (2, 2), (1, 1), "valid"),
    ((1, 4, 4, 3), (4, 4), (1, 1), "valid"),  # global pooling
    ((1, 5, 5, 3), (2, 3), (2, 1), "same"),
    ((2, 3, 5, 5), (3, 3), (2, 2), "same"),
    ((1, 7, 4, 6), (3, 3), (2, 1), "same"),
    ((2, 6, 7, 1), (1, 3), (2, 2), "same"),
]


def _cases() -> list[Case]:
    ranges = [SYM, ZP_LOW, ZP_HIGH, ZP_MID]
    out: list[Case] = []
    for op in ("avg", "max"):
        for i, (shape, pool, stride, padding) in enumerate(GEOMETRIES):
            out.append(Case(op, shape, pool, stride, padding, input_range=ranges[i % 4]))
        # Fused ReLU (clamp at the zero point) and ReLU6 (clamp at both ends).
        out += [
            Case(op, (1, 5, 5, 3), (2, 2), (1, 1), "same", act="relu", input_range=SYM),
            Case(op, (2, 5, 6, 5), (3, 3), (2, 2), "same", act="relu", input_range=ZP_MID),
            Case(op, (1, 6, 6, 3), (3, 3), (1, 1), "same", act="relu6", input_range=WIDE),
            Case(op, (1, 5, 4, 7), (2, 2), (2, 2), "valid", act="relu6", input_range=WIDE),
        ]
    return out


CASES = _cases()


def _make(case: Case) -> Callable[[list[Any]], Any]:
    def make(inputs: list[Any]) -> Any:
        layers = tf().keras.layers
        cls = layers.AveragePooling2D if case.op == "avg" else layers.MaxPooling2D
        y = cls(pool_size=case.pool, strides=case.stride, padding=case.padding)(inputs[0])
        if case.act == "relu":
            y = layers.ReLU()(y)
        elif case.act == "relu6":
            y = layers.ReLU(max_value=6.0)(y)
        return y

    return make


def derive(op: OpView) -> tuple[PoolParams, tuple[int, int], tuple[int, ...]]:
    """(pool params, window (h, w), output shape) of the converted pooling op."""
    inp, out, o = op.inputs[0], op.outputs[0], op.options
    assert inp is not None
    window = (o.filterHeight, o.filterWidth)
    stride = Tile(o.strideW, o.strideH)
    pad, _offsets, (oh, ow) = quant.conv_padding(o.padding, inp.shape[1:3], window, stride)
    assert (oh, ow) == tuple(out.shape[1:3])
    # Pooling keeps the input's scale and zero point; the clamp is the output's.
    assert (inp.scale, inp.zero_point) == (out.scale, out.zero_point)
    act = quant.activation_range(o.fusedActivationFunction, out.scale, out.zero_point)
    return PoolParams(stride=stride, padding=pad, activation=act), window, tuple(out.shape)


def _input(case: Case) -> np.ndarray:
    return np.random.default_rng(2000 + case.seed).integers(-128, 128, size=case.shape, dtype=np.int8)


KERNELS = {"avg": pl.arm_avgpool_s8, "max": pl.arm_max_pool_s8}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_matches_tflm(case: Case) -> None:
    model = build_model(case.key, _make(case), [case.shape], seed=case.seed, input_range=case.input_range)
    params, window, out_shape = derive(single_op(model, OPS[case.op]))
    x = _input(case)
    expected = run_tflm(model, [x])[0]
    got = KERNELS[case.op](params, x, window, out_shape)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(reference(case.op, params, x, window, out_shape), expected)


def test_sweep_covers_the_brief() -> None:
    assert len(CASES) >= 30
    assert {c.op for c in CASES} == {"avg", "max"}
    assert {c.pool for c in CASES} >= {(2, 2), (3, 3), (1, 3)}
    assert {c.stride for c in CASES} >= {(1, 1), (2, 2)}
    assert {c.padding for c in CASES} == {"same", "valid"}
    assert {c.shape[0] for c in CASES} == {1, 2}
    assert any(c.shape[3] % 4 for c in CASES)
    assert {ZP_LOW, ZP_HIGH} <= {c.input_range for c in CASES}


def test_fused_activations_clamp() -> None:
    """The ReLU/ReLU6 cases really fuse, and ReLU6 clamps inside int8."""
    for case in (c for c in CASES if c.act):
        model = build_model(case.key, _make(case), [case.shape], seed=case.seed, input_range=case.input_range)
        params, _, _ = derive(single_op(model, OPS[case.op]))
        assert params.activation.min > -128
        if case.act == "relu6":
            assert params.activation.max < 127


def test_zero_points_reach_both_ends() -> None:
    for rng, zp in ((ZP_LOW, -128), (ZP_HIGH, 127)):
        case = next(c for c in CASES if c.input_range == rng)
        model = build_model(case.key, _make(case), [case.shape], seed=case.seed, input_range=case.input_range)
        assert single_op(model, OPS[case.op]).inputs[0].zero_point == zp  # type: ignore[union-attr]


# ------------------------------------------------------------ numpy reference


def reference(
    op: str, p: PoolParams, x: np.ndarray, window: tuple[int, int], output_shape: tuple[int, ...]
) -> np.ndarray:
    """Pooling written from its definition: windows clipped to the input,
    averages rounded half away from zero, then the clamp."""
    n, in_h, in_w, c = x.shape
    _, oh, ow, _ = output_shape
    out = np.zeros((n, oh, ow, c), dtype=np.int64)
    for oy in range(oh):
        for ox in range(ow):
            y0, x0 = oy * p.stride.h - p.padding.h, ox * p.stride.w - p.padding.w
            rows = slice(max(y0, 0), max(min(y0 + window[0], in_h), 0))
            cols = slice(max(x0, 0), max(min(x0 + window[1], in_w), 0))
            patch = x[:, rows, cols, :]
            patch = patch.astype(np.int64).reshape(n, -1, c)
            if op == "max":
                out[:, oy, ox, :] = patch.max(axis=1, initial=-128)
            else:
                count = patch.shape[1]
                total = patch.sum(axis=1)
                q = (np.abs(total) + count // 2) // count  # |sum| / count rounded half up
                out[:, oy, ox, :] = np.sign(total) * q
    return np.clip(out, p.activation.min, p.activation.max).astype(np.int8)


@pytest.mark.parametrize("op", ["avg", "max"])
@pytest.mark.parametrize(
    "shape,window,params,out_hw",
    [
        ((1, 5, 5, 3), (3, 3), PoolParams(Tile(1, 1), Tile(1, 1), Activation(-20, 30)), (5, 5)),
        ((2, 4, 7, 5), (2, 3), PoolParams(Tile(3, 2), Tile(1, 0), Activation(-128, 0)), (2, 3)),
        ((1, 1, 1, 4), (3, 3), PoolParams(Tile(1, 1), Tile(1, 1), Activation(5, 5)), (1, 1)),
        ((1, 6, 6, 2), (5, 5), PoolParams(Tile(2, 2), Tile(2, 2), Activation(-100, 100)), (3, 3)),
        ((1, 3, 8, 3), (1, 8), PoolParams(Tile(1, 1), Tile(0, 0)), (3, 1)),
    ],
)
def test_against_numpy_reference(
    op: str, shape: tuple[int, int, int, int], window: tuple[int, int], params: PoolParams, out_hw: tuple[int, int]
) -> None:
    x = np.random.default_rng(11).integers(-128, 128, size=shape, dtype=np.int8)
    out_shape = (shape[0], *out_hw, shape[3])
    want = reference(op, params, x, window, out_shape)
    np.testing.assert_array_equal(KERNELS[op](params, x, window, out_shape), want)


def test_average_rounds_half_away_from_zero() -> None:
    x = np.array([1, 2, -1, -2, 3, 4, -3, -4], dtype=np.int8).reshape(1, 4, 2, 1)
    # Windows of two: (1+2)/2 = 1.5 -> 2, (-1-2)/2 = -1.5 -> -2, 3.5 -> 4, -3.5 -> -4.
    got = pl.arm_avgpool_s8(PoolParams(Tile(2, 1)), x, (1, 2), (1, 4, 1, 1))
    np.testing.assert_array_equal(got.ravel(), [2, -2, 4, -4])


# ---------------------------------------------------------------- buffer sizes


@pytest.mark.parametrize("width,ch", [(1, 1), (5, 3), (7, 13), (100, 64)])
def test_buffer_sizes(width: int, ch: int) -> None:
    assert pl.arm_avgpool_s8_get_buffer_size(width, ch) == 0  # portable build
    assert pl.arm_avgpool_s8_get_buffer_size_dsp(width, ch) == 4 * ch
    assert pl.arm_avgpool_s8_get_buffer_size_mve(width, ch) == 0


@pytest.mark.parametrize(
    "fn",
    [pl.arm_avgpool_s8_get_buffer_size, pl.arm_avgpool_s8_get_buffer_size_dsp, pl.arm_avgpool_s8_get_buffer_size_mve],
)
def test_buffer_size_validation(fn: Callable[..., int]) -> None:
    with pytest.raises(ValueError, match="dim_dst_width"):
        fn(0, 3)
    with pytest.raises(ValueError, match="ch_src"):
        fn(3, 2.0)


# --------------------------------------------------------------- validation


def _good() -> dict[str, Any]:
    return {
        "pool_params": PoolParams(Tile(2, 2), Tile(0, 0), Activation(-100, 100)),
        "input": np.random.default_rng(5).integers(-128, 128, size=(2, 5, 5, 3), dtype=np.int8),
        "filter_hw": (2, 2),
        "output_shape": (2, 3, 3, 3),
    }


def _params(**kw: Any) -> PoolParams:
    return replace(_good()["pool_params"], **kw)


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("input dtype", {"input": np.zeros((2, 5, 5, 3), np.uint8)}, "input"),
    ("input ndim", {"input": np.zeros((5, 5, 3), np.int8)}, "input"),
    ("input not an array", {"input": 3}, "input"),
    ("input empty", {"input": np.zeros((2, 0, 5, 3), np.int8)}, "input"),
    ("window type", {"filter_hw": 2}, "filter_hw"),
    ("window length", {"filter_hw": (2, 2, 1)}, "filter_hw"),
    ("window zero", {"filter_hw": (0, 2)}, r"filter_hw\[0\]"),
    ("window float", {"filter_hw": (2, 2.0)}, r"filter_hw\[1\]"),
    ("output batch", {"output_shape": (1, 3, 3, 3)}, r"output_shape\[0\]"),
    ("output channels", {"output_shape": (2, 3, 3, 4)}, r"output_shape\[3\]"),
    ("output height", {"output_shape": (2, 4, 3, 3)}, r"output_shape\[1\]"),
    ("output width", {"output_shape": (2, 3, 1, 3)}, r"output_shape\[2\]"),
    ("output rank", {"output_shape": (3, 3, 3)}, "output_shape"),
    ("params type", {"pool_params": Tile(1, 1)}, "pool_params"),
    ("stride zero", {"pool_params": _params(stride=Tile(2, 0))}, r"stride\.h"),
    ("padding negative", {"pool_params": _params(padding=Tile(-1, 0))}, r"padding\.w"),
    ("padding too big", {"pool_params": _params(padding=Tile(0, 2))}, r"padding\.h"),
    ("activation order", {"pool_params": _params(activation=Activation(5, 4))}, "activation"),
    ("activation range", {"pool_params": _params(activation=Activation(0, 128))}, r"activation\.max"),
    ("activation type", {"pool_params": _params(activation=(0, 1))}, "activation"),
]


@pytest.mark.parametrize("fn", [pl.arm_avgpool_s8, pl.arm_max_pool_s8], ids=lambda f: f.__name__)
@pytest.mark.parametrize("what,change,name", BAD, ids=[b[0] for b in BAD])
def test_rejects_bad_arguments(fn: Callable[..., Any], what: str, change: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name) as err:
        fn(**{**_good(), **change})
    assert fn.__name__ in str(err.value)


def test_good_arguments_pass() -> None:
    for fn in (pl.arm_avgpool_s8, pl.arm_max_pool_s8):
        assert fn(**_good()).shape == (2, 3, 3, 3)


def _c_pool(
    name: str, p: PoolParams, i: tuple[int, ...], window: tuple[int, int], o: tuple[int, ...]
) -> tuple[int, np.ndarray]:
    """Call a C pooling kernel directly, without the Python checks."""
    x = np.ones(i, np.int8)
    out = np.full(o, 77, np.int8)
    ctx, _buf = context(0)
    fn = getattr(lib, name)
    status = fn(ctx, c_pool_params(p), dims(i), ptr(x, "int8_t"), dims((1, *window, 1)), dims(o), ptr(out, "int8_t"))
    return int(status), out


def test_c_avgpool_refuses_windows_in_the_padding() -> None:
    """A window wholly in the padding has no average: ARG_ERROR, nothing written."""
    require_our_kernels("an average pooling window wholly in the padding")
    p = PoolParams(Tile(1, 1), Tile(3, 0))
    status, out = _c_pool("arm_avgpool_s8", p, (1, 4, 4, 2), (2, 2), (1, 3, 7, 2))
    assert status == -1 and np.all(out == 77)
    status, out = _c_pool("arm_avgpool_s8", PoolParams(Tile(2, 2)), (1, 4, 4, 2), (2, 2), (1, 3, 3, 2))
    assert status == -1 and np.all(out == 77)  # last window starts at 4, past the input


def test_c_max_pool_of_an_empty_window_is_the_clamped_minimum() -> None:
    require_our_kernels("a max pooling window wholly in the padding (Arm's gives the clamp's maximum)")
    # Max pooling of an empty window gives the clamped int8 minimum, as TFLite Micro does.
    clamp = PoolParams(Tile(2, 2), activation=Activation(-50, 50))
    status, out = _c_pool("arm_max_pool_s8", clamp, (1, 4, 4, 2), (2, 2), (1, 3, 3, 2))
    assert status == 0 and out[0, 2, 2, 0] == -50 and out[0, 0, 0, 0] == 1


# ------------------------------------------------------- random layers (numpy)


@st.composite
def _layers(draw: st.DrawFn) -> tuple[PoolParams, np.ndarray, tuple[int, int], tuple[int, ...]]:
    """(params, input, window, output shape) of a random valid pooling layer."""
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 6))
    in_h, in_w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, kh - 1)), draw(st.integers(0, kw - 1))
    outs = []
    for in_size, k, s, pad in ((in_h, kh, sh, ph), (in_w, kw, sw, pw)):
        lo = max((in_size + 2 * pad - k) // s + 1, 1)
        hi = (in_size + 2 * pad + 1 - k) // s + 1
        assume(lo <= hi)
        o = draw(st.integers(lo, hi))
        assume((o - 1) * s - pad <= in_size - 1)
        outs.append(o)
    a = draw(st.integers(-128, 127))
    b = draw(st.integers(a, 127))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-128, 128, size=(n, in_h, in_w, c), dtype=np.int8)
    return PoolParams(Tile(sw, sh), Tile(pw, ph), Activation(a, b)), x, (kh, kw), (n, outs[0], outs[1], c)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_layers())
def test_random_layers_match_numpy_reference(layer: tuple[Any, ...]) -> None:
    p, x, window, out_shape = layer
    for op, fn in KERNELS.items():
        np.testing.assert_array_equal(fn(p, x, window, out_shape), reference(op, p, x, window, out_shape))


@pytest.mark.parametrize("name", ["arm_avgpool_s8", "arm_max_pool_s8"])
@pytest.mark.parametrize("batch", [0, -3])
def test_c_pooling_without_a_batch_is_arg_error(name: str, batch: int) -> None:
    """A batch below 1 is ARM_CMSIS_NN_ARG_ERROR and nothing is written (Arm's unit
    tests avgpooling_param_fail / maxpooling_param_fail ask this of both kernels)."""
    x = np.ones((1, 4, 4, 2), np.int8)
    out = np.full((1, 2, 2, 2), 77, np.int8)
    ctx, _buf = context(64)
    status = getattr(lib, name)(
        ctx, c_pool_params(PoolParams(Tile(2, 2))), dims((batch, 4, 4, 2)), ptr(x, "int8_t"),
        dims((1, 2, 2, 1)), dims((batch, 2, 2, 2)), ptr(out, "int8_t"),
    )
    assert status == -1
    assert np.all(out == 77)
