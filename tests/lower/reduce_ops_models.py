"""The models of the reduction, comparison, selection and cumulative-sum
tests: converted single-op models (TensorFlow ops in a Keras Lambda, int8 and
16x8) and hand-made ones for what the converter will not make (int16
select, quantised CUMSUM, chosen scales and zero points, bool model inputs)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tests.lower.handmade_op import Spec, single_op_model
from tests.support.tflite_build import build_model, tf

Shape = tuple[int, ...]
Range = tuple[float, float]


def _lambda(fn: Callable[..., Any], many: bool = False) -> Callable[[list], object]:
    layers = tf().keras.layers
    return lambda inputs: layers.Lambda(fn)(inputs if many else inputs[0])


# ------------------------------------------------- converted: reductions

# (input shape, axis) of ARG_MAX / ARG_MIN; shapes include the batch
ARG_CONFIGS: list[tuple[Shape, int]] = [
    ((1, 9), -1), ((3, 7), 0), ((3, 7), 1), ((2, 3, 5), 1), ((2, 3, 5), -1), ((2, 3, 4, 5), 0),
    ((2, 3, 4, 5), -2), ((1, 4, 4, 6), 3), ((2, 5, 1, 3), 1),
]


def arg_model(opcode: str, shape: Shape, axis: int) -> bytes:
    t = tf()
    fn = t.math.argmax if opcode == "ARG_MAX" else t.math.argmin
    return build_model(f"reduce-ops-{opcode}-{shape}-{axis}", _lambda(lambda x: fn(x, axis=axis, output_type=t.int32)), [shape], seed=3)


# (input shape, axes, keep_dims, input range) of REDUCE_MAX / REDUCE_MIN / SUM
REDUCE_CONFIGS: list[tuple[Shape, tuple[int, ...], bool, Range]] = [
    ((1, 9), (1,), False, (-1.0, 1.0)),
    ((3, 7), (0,), True, (-2.0, 0.5)),
    ((2, 3, 5), (1,), False, (0.0, 3.0)),
    ((2, 3, 5), (-1, 0), True, (-1.0, 1.0)),
    ((1, 4, 5, 3), (1, 2), False, (-1.0, 1.0)),
    ((1, 4, 5, 3), (-1,), True, (-0.3, 2.0)),
    ((2, 3, 4, 5), (0, 2), False, (-1.0, 1.0)),
    ((2, 3, 4, 5), (0, 1, 2, 3), True, (-4.0, 4.0)),
    ((2, 3, 4, 5), (1, -1), False, (-1.0, 3.0)),
]


def reduce_model(opcode: str, shape: Shape, axes: tuple[int, ...], keep: bool, rng: Range, int16x8: bool = False) -> bytes:
    t = tf()
    fn = {"REDUCE_MAX": t.reduce_max, "REDUCE_MIN": t.reduce_min, "SUM": t.reduce_sum}[opcode]
    return build_model(f"reduce-ops-{opcode}-{shape}-{axes}-{keep}-{rng}", _lambda(lambda x: fn(x, axis=list(axes), keepdims=keep)),
                       [shape], seed=5, input_range=rng, int16x8=int16x8)


# ------------------------------------------------ converted: comparisons

COMPARE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "EQUAL": lambda a, b: tf().math.equal(a, b),
    "NOT_EQUAL": lambda a, b: tf().math.not_equal(a, b),
    "LESS": lambda a, b: tf().math.less(a, b),
    "LESS_EQUAL": lambda a, b: tf().math.less_equal(a, b),
    "GREATER": lambda a, b: tf().math.greater(a, b),
    "GREATER_EQUAL": lambda a, b: tf().math.greater_equal(a, b),
}
# (shape 1, shape 2, range 1, range 2): equal ranges give equal quantisation
COMPARE_CONFIGS: list[tuple[Shape, Shape, Range, Range]] = [
    ((2, 9), (2, 9), (-1.0, 1.0), (-1.0, 1.0)),
    ((1, 4, 6), (1, 1, 6), (-1.0, 1.0), (-3.0, 0.5)),
    ((1, 3, 4, 5), (1, 3, 1, 1), (0.0, 2.0), (-0.5, 0.7)),
]


def compare_model(opcode: str, s1: Shape, s2: Shape, r1: Range, r2: Range) -> bytes:
    fn = COMPARE_OPS[opcode]
    return build_model(f"reduce-ops-{opcode}-{s1}-{s2}-{r1}-{r2}", _lambda(lambda ab: fn(ab[0], ab[1]), many=True), [s1, s2],
                       seed=7, input_range=[r1, r2])


def compare_constant_model(opcode: str, shape: Shape, constant: float) -> bytes:
    """A comparison with a constant operand (a quantised constant tensor)."""
    fn = COMPARE_OPS[opcode]
    return build_model(f"reduce-ops-{opcode}-{shape}-const{constant}", _lambda(lambda x: fn(x, constant)), [shape], seed=9)


# ---------------------------------------------------------- converted: select

SELECT_CONFIGS: list[tuple[Shape, Shape]] = [((1, 4, 6), (1, 1, 6)), ((2, 3, 4, 5), (2, 1, 4, 1)), ((3, 8), (3, 1))]


def select_model(s1: Shape, s2: Shape) -> bytes:
    """where(x > y, x, y) of broadcast shapes: GREATER, then SELECT_V2."""
    t = tf()
    return build_model(f"reduce-ops-SELECT_V2-{s1}-{s2}", _lambda(lambda ab: t.where(ab[0] > ab[1], ab[0], ab[1]), many=True),
                       [s1, s2], seed=11)


# ----------------------------------------------------------------- hand-made


def axis_spec(values: list[int] | int) -> Spec:
    data = np.asarray(values, dtype=np.int32)
    return Spec(tuple(data.shape), np.int32, None, data)


def handmade_compare(opcode: str, s1: Shape, s2: Shape, q1: tuple[float, int], q2: tuple[float, int], out: Shape) -> bytes:
    return single_op_model(opcode, [Spec(s1, np.int8, q1), Spec(s2, np.int8, q2)], Spec(out, np.bool_))


def handmade_select(dtype: type, sc: Shape, s1: Shape, s2: Shape, out: Shape, q: tuple[float, int]) -> bytes:
    return single_op_model("SELECT_V2", [Spec(sc, np.bool_), Spec(s1, dtype, q), Spec(s2, dtype, q)], Spec(out, dtype, q))


def handmade_cumsum(shape: Shape, axis: int, exclusive: bool, reverse: bool, qi: tuple[float, int], qo: tuple[float, int]) -> bytes:
    return single_op_model("CUMSUM", [Spec(shape, np.int8, qi), Spec((), np.int32, None, np.array(axis, np.int32))], Spec(shape, np.int8, qo),
                           ("CumsumOptions", {"exclusive": exclusive, "reverse": reverse}))


def handmade_reduce(opcode: str, dtype: type, shape: Shape, axes: list[int], qi: tuple[float, int], qo: tuple[float, int]) -> bytes:
    reduced = {a % len(shape) for a in axes}
    out = tuple(d for i, d in enumerate(shape) if i not in reduced)
    return single_op_model(opcode, [Spec(shape, dtype, qi), axis_spec(axes)], Spec(out, dtype, qo), ("ReducerOptions", {"keepDims": False}))


def handmade_arg(opcode: str, dtype: type, shape: Shape, axis: int, out_dtype: type = np.int32) -> bytes:
    out = tuple(d for i, d in enumerate(shape) if i != axis % len(shape))
    options = ("ArgMaxOptions" if opcode == "ARG_MAX" else "ArgMinOptions", {"outputType": 2 if out_dtype == np.int32 else 4})
    return single_op_model(opcode, [Spec(shape, dtype, (0.05, 3)), axis_spec([axis])], Spec(out, out_dtype), options)
