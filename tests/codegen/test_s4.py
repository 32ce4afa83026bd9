"""Generated C of int4-weight models (the s4 wrappers), compiled for the host
``-Wall -Wextra -Werror``: equal to the host run and to TensorFlow Lite Micro,
one model per s4 kernel variant and a multi-layer int4 network, with the
weights in flash still packed."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pycmsisnn.codegen import generate
from pycmsisnn.kernels import s4
from pycmsisnn.runtime import Model, load
from tests.kernels import test_depthwise as dw_cases
from tests.kernels import test_s4 as s4_cases
from tests.lower.test_s4_models import CONV, DW, _dw_variant, _odd_fc, conv_model, dw_model, fc_model
from tests.support.flatbuffer_edit import edit_model
from tests.support.model_view import ops
from tests.support.tflite_build import build_model, random_bias_initializer, tf
from tests.support.tflm import run_tflm

from .host import build_host_model, output_specs


def _pick_conv(variant: str, even: bool | None = None) -> Any:
    return next(c for c in CONV if s4_cases._expected_conv_variant(c) == variant
                and (even is None or (c.kernel[0] * c.kernel[1] * c.shape[3] % 2 == 0) == even))


def _codegen_cases() -> dict[str, tuple[Any, str, str]]:
    """One model per s4 kernel the wrappers reach (the generic conv with
    byte-aligned rows and with rows starting mid-byte): (model maker, core,
    kernel reached)."""
    return {
        "conv_1x1_fast": (lambda: conv_model(_pick_conv("arm_convolve_1x1_s4_fast")), "cortex-m0", "arm_convolve_1x1_s4_fast"),
        "conv_1x1": (lambda: conv_model(_pick_conv("arm_convolve_1x1_s4")), "cortex-m4", "arm_convolve_1x1_s4"),
        "conv_1xn": (lambda: conv_model(_pick_conv("arm_convolve_1_x_n_s4")), "cortex-m55", "arm_convolve_1_x_n_s4"),
        "conv_even": (lambda: conv_model(_pick_conv("arm_convolve_s4", even=True)), "cortex-m7", "arm_convolve_s4"),
        "conv_odd": (lambda: conv_model(_pick_conv("arm_convolve_s4", even=False)), "cortex-m33", "arm_convolve_s4"),
        "dw_opt": (lambda: dw_model(next(c for c in DW if _dw_variant(c) == "arm_depthwise_conv_s4_opt")), "cortex-m4",
                   "arm_depthwise_conv_s4_opt"),
        "dw_generic": (lambda: dw_model(next(c for c in DW if _dw_variant(c) == "arm_depthwise_conv_s4")), "cortex-m55",
                       "arm_depthwise_conv_s4"),
        "fc": (lambda: fc_model(_odd_fc()), "cortex-m55", "arm_fully_connected_s4"),
    }


CODEGEN = _codegen_cases()


def _c_matches(model: bytes, samples: list[np.ndarray], root: Path, kernels: Path, target: str) -> Model:
    """Generated C equals the host run and TFLite Micro on every sample."""
    m = load(model)
    host = build_host_model(m, root, kernels, target=target)
    for k, x in enumerate(samples):
        (c_out,), _ = host.run([x], output_specs(m.plan), root / f"s{k}")
        ours = m.run(x)
        assert isinstance(ours, list)
        np.testing.assert_array_equal(c_out, ours[0], err_msg=f"generated C vs host run, sample {k}")
        np.testing.assert_array_equal(c_out, run_tflm(model, [x])[0].reshape(c_out.shape), err_msg=f"generated C vs TFLite Micro, sample {k}")
    return m


@pytest.mark.parametrize("key", list(CODEGEN))
def test_generated_c_matches(key: str, tmp_path: Path, host_kernels: Path) -> None:
    make, target, reached = CODEGEN[key]
    model, weights, x = make()
    rng = np.random.default_rng(len(key))
    samples = [x, rng.integers(-128, 128, size=x.shape, dtype=np.int8)]
    m = _c_matches(model, samples, tmp_path, host_kernels, target)
    assert m.plan.calls[0].reached == reached
    _assert_packed_array((tmp_path / "project" / "model.c").read_text(), s4.pack_int4(weights))


def _assert_packed_array(source: str, packed: np.ndarray) -> None:
    """The generated C holds the filter as its packed bytes: an int8 array of
    ceil(n / 2) values, those of ``pack_int4``."""
    arrays = re.findall(r"static const int8_t (\w+_filter\w*)\[(\d+)\][^=]*= \{([^}]*)\};", source)
    assert len(arrays) == 1, [a[:2] for a in arrays]
    _, count, body = arrays[0]
    assert int(count) == packed.size
    np.testing.assert_array_equal(np.array([int(v) for v in body.replace("\n", " ").split(",")], dtype=np.int8), packed)


def test_flash_holds_the_weights_packed() -> None:
    """The constants the generated C counts hold the weights packed: a fully
    connected layer's are its packed weights and its bias, nothing else; a
    depthwise layer's are those of the same layer with int8 weights less
    exactly the half bytes packing saves."""
    model, weights, _ = fc_model(_odd_fc())
    bias = load(model).plan.calls[0].args["bias"]
    assert weights.size % 2 == 1 and bias is not None
    _, _, constants, _ = generate(load(model).plan, "cortex-m4", "model")
    assert constants == (weights.size + 1) // 2 + bias.nbytes
    case = next(c for c in DW if c.kernel[0] * c.kernel[1] * c.shape[3] * c.mult % 2 == 1)
    base = build_model(case.key, dw_cases._make(case), [case.shape], seed=case.seed, input_range=case.input_range)
    int8_model, weights = s4_cases._int4_weights(base, "DEPTHWISE_CONV_2D", s4_cases._seed(case.key))
    int4_model = s4_cases._as_int4_model(int8_model, "DEPTHWISE_CONV_2D")
    _, _, int8_bytes, _ = generate(load(int8_model).plan, "cortex-m7", "model")
    _, _, int4_bytes, _ = generate(load(int4_model).plan, "cortex-m7", "model")
    assert int8_bytes - int4_bytes == weights.size - (weights.size + 1) // 2


# ------------------------------------------------------- a whole network

NETWORK_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


def _network(inputs: list) -> Any:
    L = tf().keras.layers
    x = L.Conv2D(6, 3, padding="same", activation="relu", bias_initializer=random_bias_initializer())(inputs[0])
    x = L.DepthwiseConv2D(3, padding="same", bias_initializer=random_bias_initializer())(x)
    x = L.Conv2D(5, 1, activation="relu6", bias_initializer=random_bias_initializer())(x)
    x = L.Conv2D(4, (1, 3), strides=(1, 2), padding="valid", bias_initializer=random_bias_initializer())(x)
    x = L.Flatten()(x)
    return L.Dense(7, bias_initializer=random_bias_initializer())(x)


def int4_network() -> bytes:
    """A small network (conv 3x3, depthwise 3x3, conv 1x1, conv 1x3, dense:
    ``arm_convolve_s4``, ``_opt`` depthwise, ``arm_convolve_1x1_s4_fast``,
    ``arm_convolve_s4`` with an odd row, ``arm_fully_connected_s4``), every
    weight tensor int4."""
    base = build_model("s4-network-v1", _network, [(1, 6, 6, 3)], seed=71, per_channel_dense=False, input_range=(-1.0, 1.0))
    layers = [op for op in ops(base) if op.name in NETWORK_OPS]

    def edit(m: Any) -> None:
        for k, op in enumerate(layers):
            w, b = op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else None
            assert w is not None
            weights = s4_cases.random_int4(w.shape, 900 + k)
            s4_cases.rewrite_weights(m, w.index, None if b is None else b.index, weights)
            s4_cases.make_int4(m, w.index, weights)

    return edit_model(base, edit)


def test_int4_network_runs_whole(tmp_path: Path, host_kernels: Path) -> None:
    model = int4_network()
    m = load(model)
    assert [c.reached for c in m.plan.calls if c.kernel.endswith("_s4")] == [
        "arm_convolve_s4", "arm_depthwise_conv_s4_opt", "arm_convolve_1x1_s4_fast", "arm_convolve_s4", "arm_fully_connected_s4"]
    rng = np.random.default_rng(72)
    samples = [rng.integers(-128, 128, size=(1, 6, 6, 3), dtype=np.int8) for _ in range(3)]
    for x in samples:
        expected = run_tflm(model, [x])[0]
        s4_cases._spread(expected)
        got = m.run(x)
        assert isinstance(got, list)
        np.testing.assert_array_equal(got[0], expected)
    _c_matches(model, samples, tmp_path, host_kernels, "cortex-m4")
