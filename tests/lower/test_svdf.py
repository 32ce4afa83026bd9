"""SVDF lowered and run on the host, exact against TensorFlow Lite Micro over
sequences of steps (the activation state carried by the model, TFLM's
interpreter kept across the steps, both from the reset state): int16 state
(arm_svdf_state_s16_s8, the converter's) and int8 state (arm_svdf_s8), over
rank, batch, memory, units, input size and the fused activation (which
TFLM's integer SVDF ignores); plus the refusals, reset, independent states
and the stateful KWS-style network."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import verify_host
from tests.support.svdf_models import SvdfConfig, kws_model, svdf_model

STEPS = 5

# 2 state types x 3 ranks x 2 batches x 2 memories x 2 shapes x 2 activations = 96 configurations
SHAPES = [(8, 4), (19, 3)]  # (input size, units)
CONFIGS = [
    SvdfConfig(batch=b, input_size=i, units=u, rank=r, memory=m, state_dtype=sd, activation=act, input_zp=zp,
               seed=k)
    for k, (sd, r, b, m, (i, u), act, zp) in enumerate(
        (sd, r, b, m, shape, act, zp)
        for (sd, r, b, m, shape, act), zp in zip(
            itertools.product((np.int16, np.int8), (1, 2, 3), (1, 2), (1, 5), SHAPES, ("NONE", "RELU")),
            itertools.cycle((-3, 0, 17, -128, 127)),
        )
    )
]


def _sequence(cfg: SvdfConfig, steps: int = STEPS) -> list[np.ndarray]:
    rng = np.random.default_rng(cfg.seed + 100)
    return [rng.integers(-128, 128, size=(cfg.batch, cfg.input_size)).astype(np.int8) for _ in range(steps)]


def _label(cfg: SvdfConfig) -> str:
    return (f"{np.dtype(cfg.state_dtype).name}-r{cfg.rank}-b{cfg.batch}-m{cfg.memory}-i{cfg.input_size}-u{cfg.units}"
            f"-{cfg.activation.lower()}-zp{cfg.input_zp}")


@pytest.mark.parametrize("cfg", CONFIGS, ids=_label)
def test_svdf_sequence_is_exact(cfg: SvdfConfig) -> None:
    data = svdf_model(cfg)
    model = load(data)
    call = model.plan.calls[0]
    assert call.kernel == ("arm_svdf_state_s16_s8" if np.dtype(cfg.state_dtype) == np.int16 else "arm_svdf_s8")
    outs = []
    with TflmRunner(data) as tflm:
        for k, x in enumerate(_sequence(cfg)):
            ours = model.run(x)[0]
            ref = tflm.run([x], 1, reset=k == 0)[0]
            assert np.array_equal(ours, ref), f"step {k}: ours {ours.ravel()[:8]}, TFLM {ref.ravel()[:8]}"
            outs.append(ours)
    # real values: not all saturated, and the state matters (steps differ)
    assert len({o.tobytes() for o in outs}) > 1
    assert any(np.any((o > -128) & (o < 127)) for o in outs)


def test_state_carries_resets_and_streams_are_independent() -> None:
    cfg = SvdfConfig(batch=2, rank=2, memory=4, seed=5)
    model = load(svdf_model(cfg))
    xs = _sequence(cfg, 4)
    first = [model.run(x)[0] for x in xs]
    again = [model.run(x)[0] for x in xs]  # the state went on: not the same as from reset
    assert any(not np.array_equal(a, b) for a, b in zip(first, again))
    model.reset()
    assert all(np.array_equal(a, model.run(x)[0]) for a, x in zip(first, xs))
    s1, s2 = model.new_state(), model.new_state()
    for a, x in zip(first, xs):  # two interleaved streams, each exact
        assert np.array_equal(model.run(x, state=s1)[0], a)
        assert np.array_equal(model.run(x, state=s2)[0], a)
    (state,) = s1.arrays.values()
    assert state.dtype == np.int16 and state.shape == (2, cfg.filters * cfg.memory) and np.any(state != 0)


def test_svdf_keyword_spotting_network_is_exact_step_by_step() -> None:
    data = kws_model()
    model = load(data)
    assert [c.kernel for c in model.plan.calls] == ["arm_svdf_state_s16_s8", "arm_svdf_state_s16_s8",
                                                    "arm_fully_connected_wrapper_s8", "arm_softmax_s8"]
    report = verify_host(data, samples=8, seed=3)
    assert report.exact and report.samples == 8


def _refused(cfg: SvdfConfig, edit) -> str:  # noqa: ANN001
    from tests.support import svdf_models

    b = svdf_models.ModelBuilder("refusal")
    x = b.tensor("input_0", (1, 8), np.int8, 0.05, 0)
    ins = edit(b, x)
    y = b.tensor("output", (1, 4), np.int8, 0.1, 0)
    b.op("SVDF", ins, [y], ("SVDFOptions", {"rank": 1}))
    with pytest.raises(UnsupportedModelError) as exc:
        load(b.finish([x], [y]))
    return str(exc.value)


def test_refusals_name_the_tensor() -> None:
    def inputs(state_dtype: type = np.int16, time_dtype: type = np.int16, variable: bool = True, state_zp: int = 0):  # noqa: ANN202
        def edit(b, x):  # noqa: ANN001, ANN202
            wf = b.tensor("wf", (4, 8), np.int8, 0.01, 0, np.ones((4, 8), np.int8))
            wt = b.tensor("wt", (4, 2), time_dtype, 0.01, 0, np.ones((4, 2), time_dtype))
            s = b.tensor("state", (1, 8), state_dtype, 0.01, state_zp, variable=variable)
            return [x, wf, wt, -1, s]
        return edit

    assert "weights_time 'wt' is int8, needs int16" in _refused(SvdfConfig(), inputs(time_dtype=np.int8))
    assert "activation_state 'state' has zero point 5" in _refused(SvdfConfig(), inputs(state_zp=5))
    assert "activation_state 'state' is int32" in _refused(SvdfConfig(), inputs(state_dtype=np.int32, time_dtype=np.int32))
