"""The data-movement operators of ``pycmsisnn_data_ops.h`` (and PACK and
SLICE, lowered to concatenation and strided slice) run whole through
``pycmsisnn.runtime`` against TensorFlow Lite Micro, group by group (see
``data_ops_models``), in int8 and, where TensorFlow Lite Micro runs them,
in 16x8."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pycmsisnn.ir import Graph, Operator, Quant, Tensor
from pycmsisnn.lower import RULES
from pycmsisnn.operator_options import typed_options
from pycmsisnn.runtime import load
from tests.kernels.tensor_ops_models import keras_index
from tests.support.tflm import run_tflm

from .data_ops_models import GROUPS, Group, model, random_data

# The kernel every operator reaches.
KERNELS = {
    "RESIZE_NEAREST_NEIGHBOR": "pycmsisnn_remap", "RESIZE_BILINEAR": "pycmsisnn_resize_bilinear", "SPLIT": "pycmsisnn_split",
    "SPLIT_V": "pycmsisnn_split", "UNPACK": "pycmsisnn_split", "PACK": "concatenation", "SLICE": "pycmsisnn_strided_slice",
    "GATHER": "pycmsisnn_gather", "GATHER_ND": "pycmsisnn_gather", "DEPTH_TO_SPACE": "pycmsisnn_depth_to_space",
    "SPACE_TO_DEPTH": "pycmsisnn_space_to_depth", "BATCH_TO_SPACE_ND": "pycmsisnn_batch_to_space",
    "SPACE_TO_BATCH_ND": "pycmsisnn_space_to_batch", "MIRROR_PAD": "pycmsisnn_remap", "BROADCAST_TO": "pycmsisnn_remap",
}


def test_at_least_200_configurations() -> None:
    assert sum(len(g.configs) for g in GROUPS) >= 200


@pytest.mark.parametrize("group", GROUPS, ids=[g.id for g in GROUPS])
def test_group_matches_tflm(group: Group) -> None:
    data = model(group)
    m = load(data)
    suffix = "s16" if group.int16 else "s8"
    reached = [(c.op.opcode, c.kernel) for c in m.plan.calls]
    mine = [k for code, k in reached if code == group.opcode]
    assert len(mine) >= len(group.configs), reached
    assert set(mine) == {f"{KERNELS[group.opcode]}_{suffix}"}, reached
    rng = np.random.default_rng(len(group.id) * 7 + len(group.configs))
    shapes = [shape for _, shape, _ in group.configs]
    for sample in range(2):
        xs = [random_data(rng, s, group.int16) for s in shapes]
        got = m.run([xs[keras_index(t)] for t in m.inputs])
        expected = run_tflm(data, xs)
        assert len(got) == len(expected) == len(m.outputs)
        for k, (g, e) in enumerate(zip(got, expected)):
            assert g.dtype == e.dtype and g.shape == e.shape, (k, g.shape, e.shape)
            np.testing.assert_array_equal(g, e, err_msg=f"{group.id}: output {k} ({m.outputs[k].name}), sample {sample}")


# ---------------------------------------------------------------- ZEROS_LIKE


def zeros_like_model() -> bytes:
    """A RESIZE_NEAREST_NEIGHBOR model edited into ZEROS_LIKE of its input
    (the converter folds ZEROS_LIKE of a tensor of known shape away)."""
    from tests.lower.data_ops_models import Group, resize
    from tests.support.flatbuffer_edit import edit_model
    from tests.support.model_view import schema

    S = schema()
    base = model(Group("zeros-like-base", "RESIZE_NEAREST_NEIGHBOR", (("x", (1, 4, 5, 3), resize("nearest", (8, 10), False, False)),)))

    def edit(mt: Any) -> None:
        sg = mt.subgraphs[0]
        op = sg.operators[0]
        code = S.OperatorCodeT()
        code.builtinCode = code.deprecatedBuiltinCode = S.BuiltinOperator.ZEROS_LIKE
        code.version = 1
        mt.operatorCodes.append(code)
        op.opcodeIndex = len(mt.operatorCodes) - 1
        op.inputs = [op.inputs[0]]
        op.builtinOptionsType, op.builtinOptions = 0, None
        y = sg.tensors[op.outputs[0]]
        y.shape = list(sg.tensors[op.inputs[0]].shape)
        y.quantization.zeroPoint = [5]  # TFLM writes raw zeros whatever the zero point

    return edit_model(base, edit)


def test_zeros_like_matches_tflm() -> None:
    data = zeros_like_model()
    m = load(data)
    assert [c.kernel for c in m.plan.calls] == ["pycmsisnn_fill_s8"]
    x = random_data(np.random.default_rng(5), (1, 4, 5, 3), False)
    got, expected = m.run(x)[0], run_tflm(data, [x])[0]
    np.testing.assert_array_equal(got, expected)
    assert not got.any() and got.shape == (1, 4, 5, 3)


# ------------------------------------------------------------------ refusals

I8, I16, I32 = np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.int32)
Q = (0.05, 3)


def t(index: int, shape: tuple[int, ...], dtype: Any = I8, q: tuple[float, int] | None = Q, data: Any = None) -> Tensor:
    quant = Quant((q[0],), (q[1],)) if q is not None else None
    arr = None if data is None else np.asarray(data, dtype=dtype)
    return Tensor(index, f"t{index}", shape, np.dtype(dtype), quant, arr)


def reason(tensors: list[Tensor], opcode: str, inputs: tuple[int, ...], options: dict | None = None, outputs: int = 1) -> str | None:
    outs = tuple(range(len(tensors) - outputs, len(tensors)))
    op = Operator(0, opcode, inputs, outs, typed_options(0, opcode, options or {}))
    g = Graph(tuple(tensors), (op,), (0,), outs)
    return RULES[opcode].check(g, op)


def const(index: int, values: Any) -> Tensor:
    arr = np.asarray(values, dtype=np.int32)
    return t(index, arr.shape, I32, None, arr)


def test_gather_refusals() -> None:
    ok = [t(0, (2, 5)), const(1, [4, 0]), t(2, (2, 2))]
    assert reason(ok, "GATHER", (0, 1), {"axis": 1}) is None
    assert reason([t(0, (2, 5)), t(1, (2,), I32, None), t(2, (2, 2))], "GATHER", (0, 1), {"axis": 1}) == "indices 't1' is not a constant tensor"
    assert reason([t(0, (2, 5)), const(1, [5, 0]), t(2, (2, 2))], "GATHER", (0, 1), {"axis": 1}) == "index 5 along axis 1 is outside [0, 5)"
    assert "is outside [0, 5)" in reason([t(0, (2, 5)), const(1, [-1]), t(2, (2, 1))], "GATHER", (0, 1), {"axis": 1})  # type: ignore[operator]
    assert "needs int8" in reason([t(0, (2, 5), I16), const(1, [1]), t(2, (2, 1), I16)], "GATHER", (0, 1), {"axis": 1})  # type: ignore[operator]
    assert "batch_dims 2" in reason([t(0, (2, 5)), const(1, [[1], [2]]), t(2, (2, 1))], "GATHER", (0, 1), {"axis": 1, "batch_dims": 2})  # type: ignore[operator]
    assert "axis 2 is outside" in reason(ok, "GATHER", (0, 1), {"axis": 2})  # type: ignore[operator]
    assert "quantised differently" in reason([t(0, (2, 5)), const(1, [4, 0]), t(2, (2, 2), q=(0.1, 3))], "GATHER", (0, 1), {"axis": 1})  # type: ignore[operator]
    assert reason([t(0, (2, 5)), t(1, (1, 2), I32, None), t(2, (1,))], "GATHER_ND", (0, 1)) == "indices 't1' is not a constant tensor"
    assert "index 7 along axis 1 is outside [0, 5)" in reason([t(0, (2, 5)), const(1, [[1, 7]]), t(2, (1,))], "GATHER_ND", (0, 1))  # type: ignore[operator]
    assert reason([t(0, (2, 5)), const(1, [[1, 4]]), t(2, (1,))], "GATHER_ND", (0, 1)) is None


def test_split_refusals() -> None:
    two = [t(2, (2, 3)), t(3, (2, 3))]
    assert reason([const(0, 1), t(1, (2, 6)), *two], "SPLIT", (0, 1), {"num_splits": 2}, outputs=2) is None
    assert reason([t(0, (), I32, None), t(1, (2, 6)), *two], "SPLIT", (0, 1), {"num_splits": 2}, outputs=2) == "axis 't0' is not a constant tensor"
    assert "axis 2 is outside" in reason([const(0, 2), t(1, (2, 6)), *two], "SPLIT", (0, 1), outputs=2)  # type: ignore[operator]
    assert "quantised differently" in reason([const(0, 1), t(1, (2, 6)), t(2, (2, 3)), t(3, (2, 3), q=(0.2, 0))], "SPLIT", (0, 1), outputs=2)  # type: ignore[operator]
    v = [t(0, (2, 6)), const(1, [2, 4]), const(2, 1), t(3, (2, 2)), t(4, (2, 4))]
    assert reason(v, "SPLIT_V", (0, 1, 2), outputs=2) is None
    assert "do not match" in reason([*v[:1], const(1, [3, 3]), *v[2:]], "SPLIT_V", (0, 1, 2), outputs=2)  # type: ignore[operator]
    assert reason([*v[:1], t(1, (2,), I32, None), *v[2:]], "SPLIT_V", (0, 1, 2), outputs=2) == "size_splits 't1' is not a constant tensor"
    u = [t(0, (2, 3)), t(1, (3,)), t(2, (3,))]
    assert reason(u, "UNPACK", (0,), {"axis": 0, "num": 2}, outputs=2) is None
    assert reason(u, "UNPACK", (0,), {"axis": 1, "num": 2}, outputs=2) == "2 outputs (num 2) for an axis of extent 3"
    assert "not a piece" in reason([t(0, (2, 3)), t(1, (3,)), t(2, (2,))], "UNPACK", (0,), {"axis": 0}, outputs=2)  # type: ignore[operator]


def test_slice_pack_refusals() -> None:
    assert reason([t(0, (4, 5)), const(1, [1, 0]), const(2, [2, -1]), t(3, (2, 5))], "SLICE", (0, 1, 2)) is None
    assert reason([t(0, (4, 5)), t(1, (2,), I32, None), const(2, [2, -1]), t(3, (2, 5))], "SLICE", (0, 1, 2)) == "begin 't1' is not a constant tensor"
    assert "not a non-empty range" in reason([t(0, (4, 5)), const(1, [3, 0]), const(2, [2, -1]), t(3, (2, 5))], "SLICE", (0, 1, 2))  # type: ignore[operator]
    assert "rank 5" in reason([t(0, (1, 2, 2, 2, 2)), const(1, [0] * 5), const(2, [1] * 5), t(3, (1, 1, 1, 1, 1))], "SLICE", (0, 1, 2))  # type: ignore[operator]
    assert reason([t(0, (2, 3)), t(1, (2, 3)), t(2, (2, 2, 3))], "PACK", (0, 1), {"axis": 1, "values_count": 2}) is None
    assert "quantised differently" in reason([t(0, (2, 3)), t(1, (2, 3), q=(0.5, 0)), t(2, (2, 2, 3))], "PACK", (0, 1), {"axis": 1})  # type: ignore[operator]


def test_resize_and_block_refusals() -> None:
    size = const(1, [8, 10])
    assert reason([t(0, (1, 4, 5, 3)), size, t(2, (1, 8, 10, 3))], "RESIZE_NEAREST_NEIGHBOR", (0, 1)) is None
    assert reason([t(0, (1, 4, 5, 3)), t(1, (2,), I32, None), t(2, (1, 8, 10, 3))], "RESIZE_NEAREST_NEIGHBOR", (0, 1)) == "size 't1' is not a constant tensor"
    assert "needs int8" in reason([t(0, (1, 4, 5, 3), I16), size, t(2, (1, 8, 10, 3), I16)], "RESIZE_BILINEAR", (0, 1))  # type: ignore[operator]
    assert "align_corners together" in reason([t(0, (1, 4, 5, 3)), size, t(2, (1, 8, 10, 3))], "RESIZE_BILINEAR", (0, 1),  # type: ignore[operator]
                                              {"align_corners": True, "half_pixel_centers": True})
    assert "rank 3" in reason([t(0, (4, 5, 3)), size, t(2, (8, 10, 3))], "RESIZE_NEAREST_NEIGHBOR", (0, 1))  # type: ignore[operator]
    assert "does not divide" in reason([t(0, (1, 2, 2, 6)), t(1, (1, 4, 4, 1))], "DEPTH_TO_SPACE", (0,), {"block_size": 2})  # type: ignore[operator]
    assert "needs int8" in reason([t(0, (1, 4, 4, 1), I16), t(1, (1, 2, 2, 4), I16)], "SPACE_TO_DEPTH", (0,), {"block_size": 2})  # type: ignore[operator]
    s2b = [t(0, (1, 4, 4, 1)), const(1, [2, 2]), const(2, [[1, 1], [0, 0]]), t(3, (4, 3, 2, 1))]
    assert "undefined" in reason(s2b, "SPACE_TO_BATCH_ND", (0, 1, 2))  # type: ignore[operator]
    b2s = [t(0, (4, 2, 2, 1)), t(1, (2,), I32, None), const(2, [[0, 0], [0, 0]]), t(3, (1, 4, 4, 1))]
    assert reason(b2s, "BATCH_TO_SPACE_ND", (0, 1, 2)) == "block_shape 't1' is not a constant tensor"


def test_expand_refusals() -> None:
    pads = const(1, [[1, 2], [0, 3]])
    assert reason([t(0, (3, 4)), pads, t(2, (6, 7))], "MIRROR_PAD", (0, 1), {"mode": 1}) is None
    assert "REFLECT padding [0, 3]" in reason([t(0, (3, 3)), pads, t(2, (6, 6))], "MIRROR_PAD", (0, 1), {"mode": 0})  # type: ignore[operator]
    assert "needs int8" in reason([t(0, (3, 4), I16), pads, t(2, (6, 7), I16)], "MIRROR_PAD", (0, 1), {"mode": 1})  # type: ignore[operator]
    assert reason([t(0, (3, 4)), t(1, (2, 2), I32, None), t(2, (6, 7))], "MIRROR_PAD", (0, 1)) == "paddings 't1' is not a constant tensor"
    assert reason([t(0, (3, 1)), const(1, [2, 3, 5]), t(2, (2, 3, 5))], "BROADCAST_TO", (0, 1)) is None
    assert "does not broadcast" in reason([t(0, (3, 2)), const(1, [3, 5]), t(2, (3, 5))], "BROADCAST_TO", (0, 1))  # type: ignore[operator]
    assert "at most 4" in reason([t(0, (3, 1)), const(1, [1, 1, 2, 3, 5]), t(2, (1, 1, 2, 3, 5))], "BROADCAST_TO", (0, 1))  # type: ignore[operator]
    assert reason([t(0, (3, 1)), t(1, (2,), I32, None), t(2, (3, 5))], "BROADCAST_TO", (0, 1)) == "shape 't1' is not a constant tensor"
    assert "needs int8" in reason([t(0, (3, 1), I16), t(1, (3, 1), I16)], "ZEROS_LIKE", (0,))  # type: ignore[operator]
