"""CAST, REVERSE_V2, FILL (run-time value), DYNAMIC_UPDATE_SLICE, LOGICAL_AND,
LOGICAL_OR, LOGICAL_NOT and REDUCE_ALL run whole through ``pycmsisnn.runtime``
against TensorFlow Lite Micro, one hand-built model per configuration (see
``cast_logic_models``), and every refusal with its reason."""
from __future__ import annotations

import numpy as np
import pytest

from pycmsisnn.lower import UnsupportedModelError
from pycmsisnn.runtime import load

from .cast_logic_models import CONFIGS, Config, Net, T, fill_net, inputs_for, logical_net, reverse_net, run_tflm_inputs, update_net


def test_at_least_80_configurations() -> None:
    assert len(CONFIGS) >= 80
    assert len({c.id for c in CONFIGS}) == len(CONFIGS)


@pytest.mark.parametrize("config", CONFIGS, ids=[c.id for c in CONFIGS])
def test_matches_tflm(config: Config) -> None:
    net = config.make()
    data = net.build()
    m = load(data)
    assert tuple(c.kernel for c in m.plan.calls) == config.kernels
    rng = np.random.default_rng(len(config.id) * 31 + len(CONFIGS))
    for sample in range(3):
        xs = inputs_for(config, net, rng)
        got = m.run(xs)
        expected = run_tflm_inputs(data, xs)
        assert len(got) == len(expected)
        for k, (g, e) in enumerate(zip(got, expected)):
            assert g.dtype == e.dtype and g.shape == e.shape, (k, g.dtype, g.shape, e.dtype, e.shape)
            np.testing.assert_array_equal(g, e, err_msg=f"{config.id}: output {k}, sample {sample}, inputs {xs}")


def test_float_to_integer_cast_truncates_and_saturates() -> None:
    """The values the cast kernel must get right, asserted directly."""
    from tests.lower.cast_logic_models import cast_net

    x = np.array([np.nan, 127.9, 128.0, -128.9, -129.0, -0.7, 1e9, -np.inf], np.float32)
    data = cast_net(np.float32, np.int8, x.shape, False).build()
    got = load(data).run([x])[0]
    assert got.tolist() == [0, 127, 127, -128, -128, 0, 127, -128]
    np.testing.assert_array_equal(got, run_tflm_inputs(data, [x])[0])


def _refused(net: Net, pattern: str) -> None:
    with pytest.raises(UnsupportedModelError, match=pattern):
        load(net.build())


def _single(opname: str, inputs: list[T], out: T, options: tuple[str, dict[str, object]] | None = None) -> Net:
    n = Net()
    ids = [n.add(t) for t in inputs]
    n.op(opname, ids, out, options)
    return n


def test_refusals_name_the_reason() -> None:
    q = (0.05, 0)
    _refused(_single("CAST", [T((3,), np.int8, q)], T((3,), np.int64)), r"output 't1' is int64; TensorFlow Lite Micro casts int8/int16/int32/float32/bool")
    _refused(_single("CAST", [T((3,), np.int64)], T((3,), np.int8, q)), r"input 'input_0' is int64")
    _refused(_single("CAST", [T((3,), np.int8, q)], T((3,), np.int8, q)), r"both int8: nothing to convert")
    _refused(reverse_net(np.int8, (2, 3, 4), [0, 2]), r"axes \[0, 2\] are not contiguous")
    n = Net()
    x, a = n.add(T((2, 3), np.int8, q)), n.add(T((1,), np.int32))
    n.op("REVERSE_V2", [x, a], T((2, 3), np.int8, q))
    _refused(n, r"axis 'input_1' is computed at run time; pycmsisnn needs it constant")
    _refused(_single("REVERSE_V2", [T((2, 3), np.int8, q), T((1,), np.int64, None, np.array([1], np.int64))], T((2, 3), np.int8, q)),
             r"axis 't1' is int64; needs int32")
    _refused(_single("REVERSE_V2", [T((2, 3), np.bool_), T((1,), np.int32, None, np.array([1], np.int32))], T((2, 3), np.bool_)),
             r"input 'input_0' is bool; pycmsisnn reverses int8/int16")
    _refused(fill_net(np.int16, (2, 3), np.int32), r"value 'input_0' is int16; TensorFlow Lite Micro fills float32, int8 and int32 only")
    _refused(update_net(np.int8, (4, 5), (2, 2), None, np.int64), r"int64 computed at run time; pycmsisnn takes int32")
    _refused(update_net(np.bool_, (4, 5), (2, 2), None), r"operand 'input_0' is bool; TensorFlow Lite Micro updates")
    n = Net()
    x, u, s = n.add(T((4, 5), np.int8, q)), n.add(T((2,), np.int8, q)), n.add(T((2,), np.int32))
    n.op("DYNAMIC_UPDATE_SLICE", [x, u, s], T((4, 5), np.int8, q))
    _refused(n, r"update 'input_1' has rank 1, the operand 2")
    _refused(logical_net("LOGICAL_AND", (2, 1, 2, 1, 3), (2, 1, 2, 1), (2, 2, 2, 2, 3)), r"rank 5 is above 4")
    _refused(logical_net("LOGICAL_OR", (3, 4), (2, 4), (3, 4)), r"do not broadcast")
    _refused(_single("LOGICAL_AND", [T((3,), np.int8, q), T((3,), np.bool_)], T((3,), np.bool_)), r"input 0 'input_0' is int8; logical operators take bool")
    _refused(_single("REDUCE_ALL", [T((2, 3), np.bool_), T((1,), np.int32)], T((2,), np.bool_)), r"axis 'input_1' is computed at run time")
    _refused(_single("REDUCE_ALL", [T((1, 2, 1, 2, 3), np.bool_), T((1,), np.int32, None, np.array([1], np.int32))], T((1, 1, 2, 3), np.bool_)),
             r"input rank 5 is not supported")
