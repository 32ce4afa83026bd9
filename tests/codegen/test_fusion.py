"""Layers computed a band of rows at a time (``pycmsisnn.fusion``).

Residual ADDs fused into their convolution: the generated C, built for the
host, equals the host runtime (which runs the two layers unfused) and
TensorFlow Lite Micro; the arena shrinks by the convolution's output less one
band; the fusion can be switched off. The networks cover what the band loop
depends on: top and bottom padding (same and valid), strides, dilation, 5x5
filters, odd widths and channel counts, the convolution's output as either
operand of the ADD, a fused ReLU on the sum, and both the M4 (DSP im2col) and
M55 (MVE) builds' scratch.

Convolutions written over their input through a ring of rows: depthwise
3x3 (the 3x3 kernel) and 5x5 dilated (the generic one), with a channel count
that is not a multiple of 4 or 16, 1x1 convolutions, a 3x3 convolution and a
7x1 one (pad top 3: a ring of 4 rows), exact the same way."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.fusion import IN_PLACE_ENV, NO_FUSION_ENV, in_place_bands
from pycmsisnn.memory import plan_arena
from pycmsisnn.reference import TflmRunner
from pycmsisnn.runtime import load
from pycmsisnn.verify import random_inputs

from ..support.tflite_build import build_model, random_bias_initializer, tf
from .host import build_host_model, output_specs


def _conv(x: Any, filters: int, kernel: int, *, name: str, stride: int = 1, padding: str = "same", dilation: int = 1, relu: bool = True) -> Any:
    return tf().keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, dilation_rate=dilation, activation="relu" if relu else None,
                                    bias_initializer=random_bias_initializer(), name=name)(x)


def _same_padding(inputs: list) -> Any:
    x = _conv(inputs[0], 6, 3, name="a_stem")
    y = _conv(_conv(x, 7, 3, name="b_mid"), 6, 3, name="c_last", relu=False)
    return tf().keras.layers.Add(name="d_add")([x, y])


def _valid_strided(inputs: list) -> Any:
    """Skip branch 5x5 valid, main branch 3x3 stride 2 then 3x3 valid with dilation."""
    skip = _conv(inputs[0], 5, 5, name="a_skip", padding="valid", stride=2)  # 13 -> 5
    y = _conv(inputs[0], 4, 3, name="b_down", padding="valid")  # 13 -> 11
    y = _conv(y, 5, 3, name="c_dilated", padding="valid", dilation=3, stride=1)  # 11 -> 5
    return tf().keras.layers.Add(name="d_add")([y, skip])


def _relu_after(inputs: list) -> Any:
    L = tf().keras.layers
    x = _conv(inputs[0], 3, 1, name="a_point")
    y = _conv(_conv(x, 8, 3, name="b_mid", stride=1), 3, 5, name="c_wide", relu=False)
    return L.ReLU(name="e_relu")(L.Add(name="d_add")([y, x]))


@dataclass(frozen=True)
class Net:
    key: str
    make: Callable[[list], Any]
    shape: tuple[int, ...]


NETS = [
    Net("fusion-same-v1", _same_padding, (1, 9, 7, 3)),
    Net("fusion-valid-strided-v1", _valid_strided, (1, 13, 13, 2)),
    Net("fusion-relu-v1", _relu_after, (1, 6, 11, 5)),
]


def _model(net: Net) -> bytes:
    return build_model(net.key, net.make, [net.shape], seed=3, input_range=(-2.0, 2.0))


@pytest.mark.parametrize("target", ["cortex-m4", "cortex-m55"])
@pytest.mark.parametrize("net", NETS, ids=[n.key for n in NETS])
def test_fused_residual_in_c_is_exact(net: Net, target: str, tmp_path: Path, host_kernels: Path) -> None:
    data = _model(net)
    model = load(data)
    fused, unfused = plan_arena(model.plan, target), plan_arena(model.plan, target, fuse=False)
    assert len(fused.fusions) == 1, f"{net.key}: the ADD is not fused ({[c.kernel for c in model.plan.calls]})"
    f = fused.fusions[0]
    conv_out = model.graph.tensor(f.conv_output)
    assert f.band_bytes == conv_out.shape[2] * conv_out.shape[3] and f.add == f.conv + 1
    assert fused.arena_bytes <= unfused.arena_bytes and fused.live_bytes(f.conv) < unfused.live_bytes(f.conv)
    host = build_host_model(model, tmp_path, host_kernels, target=target, layer_table=True)
    text = (host.project / "model.c").read_text()
    assert "for (int32_t row = 0;" in text and f"computed by layer {f.conv}" in text
    ref = TflmRunner(data)
    rng = np.random.default_rng(11)
    for sample in range(4):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        np.testing.assert_array_equal(ours[0], expected[0], err_msg=f"generated C vs host runtime, sample {sample}")
        np.testing.assert_array_equal(ours[0], ref.run(x, 1)[0].reshape(ours[0].shape), err_msg=f"generated C vs TFLM, sample {sample}")


def test_fusion_can_be_switched_off(tmp_path: Path, host_kernels: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _model(NETS[0])
    model = load(data)
    monkeypatch.setenv(NO_FUSION_ENV, "1")
    assert plan_arena(model.plan, "cortex-m4").fusions == ()
    host = build_host_model(model, tmp_path, host_kernels)
    text = (host.project / "model.c").read_text()
    assert "for (int32_t row" not in text and text.count("return arm_elementwise_add_s8(") == 1
    x = random_inputs(model.graph, np.random.default_rng(2))
    ours, _ = host.run(x, output_specs(model.plan), tmp_path / "s")
    expected = model.run(x)
    assert isinstance(expected, list)
    np.testing.assert_array_equal(ours[0], expected[0])


def _adds_its_own_input(inputs: list) -> Any:
    x = _conv(inputs[0], 4, 1, name="a_point")
    return tf().keras.layers.Add(name="c_add")([x, _conv(x, 4, 3, name="b_conv", relu=False)])


def test_no_fusion_where_the_skip_tensor_is_still_needed() -> None:
    """A residual block that adds the convolution's own input (as the
    generated networks' do): the band loop would overwrite rows that later
    bands still read, so it is left unfused."""
    plan = load(build_model("fusion-refused-own-input-v1", _adds_its_own_input, [(1, 6, 6, 4)], seed=1)).plan
    assert [c.kernel for c in plan.calls][-2:] == ["arm_convolve_wrapper_s8", "arm_elementwise_add_s8"]
    assert plan_arena(plan, "cortex-m4").fusions == ()


def _in_place_chain(inputs: list) -> Any:
    L = tf().keras.layers
    x = _conv(inputs[0], 6, 1, name="a_point")
    x = L.DepthwiseConv2D(3, padding="same", activation="relu", bias_initializer=random_bias_initializer(), name="b_dw3")(x)
    x = _conv(x, 6, 1, name="c_point")
    x = L.DepthwiseConv2D(5, padding="same", dilation_rate=2, bias_initializer=random_bias_initializer(), name="d_dw5")(x)
    x = _conv(x, 6, 3, name="e_conv3")
    x = _conv(x, 6, (7, 1), name="f_tall")
    return L.Flatten(name="g_flat")(x)


IN_PLACE = Net("in-place-chain-v1", _in_place_chain, (1, 9, 7, 3))


@pytest.mark.parametrize("target,small", [("cortex-m4", False), ("cortex-m55", False), ("cortex-m0", True)])
def test_convolutions_over_their_input_in_c_are_exact(target: str, small: bool, tmp_path: Path, host_kernels: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every band the chain allows (PYCMSISNN_IN_PLACE=all), in chunks of
    half the rows (M4, M55) or the fewest rows (as on a RAM-starved core)."""
    data = _model(IN_PLACE)
    model = load(data)
    monkeypatch.setenv(IN_PLACE_ENV, "all")
    bands = in_place_bands(model.plan, (), small=small)
    arena = plan_arena(model.plan, target)
    if small:  # the micro:bit's RAM holds this tiny chain with large chunks: build the smallest ones as it would for a large one
        monkeypatch.setattr("pycmsisnn.memory.in_place_bands", lambda plan, fusions, small=False: bands)
        arena = plan_arena(model.plan, target)
    kinds = [model.plan.calls[b.call].kernel for b in arena.bands]
    assert kinds.count("arm_depthwise_conv_wrapper_s8") == 2 and kinds.count("arm_convolve_wrapper_s8") == 3, kinds
    # pad top: 1x1 0, 3x3 1 (twice), 7x1 3, 5x5 with dilation 2 pads 4; chunks of at least the top padding
    assert sorted(b.pad_top for b in arena.bands) == [0, 1, 1, 3, 4]
    assert all(b.band_rows >= max(b.pad_top, 1) for b in arena.bands)
    assert [b.band_rows for b in arena.bands] == [b.band_rows for b in bands]
    assert arena.arena_bytes < plan_arena(model.plan, target, fuse=False).arena_bytes
    host = build_host_model(model, tmp_path, host_kernels, target=target, layer_table=True)
    assert (host.project / "model.c").read_text().count("for (int32_t row = 0, chunk = 0;") == len(arena.bands)
    ref = TflmRunner(data)
    rng = np.random.default_rng(5)
    for sample in range(3):
        x = random_inputs(model.graph, rng)
        ours, _ = host.run(x, output_specs(model.plan), tmp_path / f"s{sample}")
        expected = model.run(x)
        assert isinstance(expected, list)
        np.testing.assert_array_equal(ours[0], expected[0], err_msg=f"generated C vs host runtime, sample {sample}")
        np.testing.assert_array_equal(ours[0], ref.run(x, 1)[0].reshape(ours[0].shape), err_msg=f"generated C vs TFLM, sample {sample}")
