"""Hand-built models of the operators of ``pycmsisnn_cast_logic.h`` (CAST,
REVERSE_V2, FILL with a run-time value, DYNAMIC_UPDATE_SLICE, LOGICAL_AND,
LOGICAL_OR, LOGICAL_NOT, REDUCE_ALL) and a few chains that feed them from
quantised operators: graphs of several operators written with the TFLite
schema (the converter folds or keeps in float most of these), with the inputs
each configuration needs (NaN and out-of-range floats, start indices outside
the operand), and a TensorFlow Lite Micro runner that keeps scalar inputs."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import flatbuffers
import numpy as np

from tests.support.model_view import schema

TYPES = {np.dtype(np.float32): 0, np.dtype(np.int32): 2, np.dtype(np.int64): 4, np.dtype(np.bool_): 6,
         np.dtype(np.int16): 7, np.dtype(np.int8): 9}
Q8, Q16 = (0.05, -3), (0.001, 0)


@dataclass(frozen=True)
class T:
    """One tensor: shape, dtype, (scale, zero point) or None, constant data or None."""

    shape: tuple[int, ...]
    dtype: type
    quant: tuple[float, int] | None = None
    data: np.ndarray | None = None


@dataclass
class Net:
    """Tensors and operators (opname, input indices, output indices, options);
    tensors without data that no operator writes are the model's inputs, in order."""

    tensors: list[T] = field(default_factory=list)
    ops: list[tuple[str, list[int], list[int], tuple[str, dict[str, Any]] | None]] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)

    def add(self, t: T) -> int:
        self.tensors.append(t)
        return len(self.tensors) - 1

    def op(self, name: str, inputs: Sequence[int], out: T, options: tuple[str, dict[str, Any]] | None = None) -> int:
        y = self.add(out)
        self.ops.append((name, list(inputs), [y], options))
        return y

    def inputs(self) -> list[int]:
        written = {o for _, _, outs, _ in self.ops for o in outs}
        return [i for i, t in enumerate(self.tensors) if t.data is None and i not in written]

    def build(self) -> bytes:
        s = schema()
        model = s.ModelT()
        model.version, model.description = 3, "pycmsisnn test: cast and logic"
        model.buffers = [s.BufferT()]
        tensors = []
        inputs = self.inputs()
        for i, spec in enumerate(self.tensors):
            t = s.TensorT()
            t.name = f"input_{inputs.index(i)}" if i in inputs else f"t{i}"
            t.shape, t.type = list(spec.shape), TYPES[np.dtype(spec.dtype)]
            buf = s.BufferT()
            if spec.data is not None:
                raw = np.ascontiguousarray(np.asarray(spec.data, dtype=spec.dtype).reshape(spec.shape)).tobytes()
                buf.data = list(raw) if raw else [0] * np.dtype(spec.dtype).itemsize
            model.buffers.append(buf)
            t.buffer = len(model.buffers) - 1
            if spec.quant is not None:
                qp = s.QuantizationParametersT()
                qp.scale, qp.zeroPoint = [float(np.float32(spec.quant[0]))], [int(spec.quant[1])]
                t.quantization = qp
            tensors.append(t)
        sg = s.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs = tensors, inputs, list(self.outputs or [self.ops[-1][2][0]])
        codes: list[str] = []
        sg.operators = []
        for name, ins, outs, options in self.ops:
            if name not in codes:
                codes.append(name)
            op = s.OperatorT()
            op.opcodeIndex, op.inputs, op.outputs = codes.index(name), ins, outs
            if options is not None:
                cls_name, fields = options
                opts = getattr(s, cls_name + "T")()
                for k, v in fields.items():
                    setattr(opts, k, v)
                op.builtinOptionsType = getattr(s.BuiltinOptions, cls_name)
                op.builtinOptions = opts
            sg.operators.append(op)
        model.operatorCodes = []
        for name in codes:
            code = s.OperatorCodeT()
            code.builtinCode = getattr(s.BuiltinOperator, name)
            code.deprecatedBuiltinCode = min(code.builtinCode, 127)
            code.version = 1
            model.operatorCodes.append(code)
        model.subgraphs = [sg]
        builder = flatbuffers.Builder(1024)
        builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def run_tflm_inputs(model: bytes, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """TensorFlow Lite Micro's outputs for ``inputs`` in model input order
    (scalars stay rank 0, which ``tests.support.tflm.run_tflm`` does not keep)."""
    from tflite_micro import runtime

    from tests.support.model_view import output_count

    interp = runtime.Interpreter.from_bytes(model, arena_size=1 << 20)
    for slot, x in enumerate(inputs):
        interp.set_input(np.asarray(x), slot)
    interp.invoke()
    return [np.array(interp.get_output(i)) for i in range(output_count(model))]


# ------------------------------------------------------------- sample inputs

SPECIAL_FLOATS = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5, -0.5, 0.99, -0.99, 127.5, 128.0, -128.0, -128.5, -129.0,
                           32767.5, 32768.0, -32768.9, -32769.0, 2.0 ** 31, -(2.0 ** 31), 3e9, -3e9, 1e-40], np.float32)


def sample(rng: np.random.Generator, t: T, role: str = "", bound: int = 0) -> np.ndarray:
    """Random data for input ``t``: full-range integers, random bools, floats
    mixing special values with values around every integer range; start
    indices (``role`` "start") in [-3, bound + 3]."""
    dt = np.dtype(t.dtype)
    if role == "start":
        return rng.integers(-3, bound + 4, size=t.shape).astype(dt)
    if dt == np.bool_:
        return rng.integers(0, 2, size=t.shape).astype(np.bool_)
    if dt == np.float32:
        scale = rng.choice([1.0, 200.0, 40000.0, 3e9], size=t.shape)
        x = (rng.uniform(-1.0, 1.0, size=t.shape) * scale).astype(np.float32)
        flat = x.reshape(-1)
        k = min(flat.size, SPECIAL_FLOATS.size)
        flat[rng.choice(flat.size, size=k, replace=False)] = rng.choice(SPECIAL_FLOATS, size=k, replace=False)
        return flat.reshape(t.shape)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max + 1, size=t.shape, dtype=dt)


# ------------------------------------------------------------ configurations


@dataclass(frozen=True)
class Config:
    """One model: an id, how to build it, the kernels its calls must reach (in
    order), and per model input the sampling role and bound."""

    id: str
    make: Callable[[], Net]
    kernels: tuple[str, ...]
    roles: tuple[tuple[str, int], ...] = ()


def _q(dt: type) -> tuple[float, int] | None:
    return Q8 if dt == np.int8 else Q16 if dt == np.int16 else None


def cast_net(src: type, dst: type, shape: tuple[int, ...], quantised: bool) -> Net:
    n = Net()
    x = n.add(T(shape, src, _q(src) if quantised else None))
    n.op("CAST", [x], T(shape, dst, _q(dst) if quantised else None))
    return n


def reverse_net(dt: type, shape: tuple[int, ...], axes: Sequence[int]) -> Net:
    n = Net()
    x = n.add(T(shape, dt, _q(dt)))
    a = n.add(T((len(axes),), np.int32, None, np.array(axes, np.int32)))
    n.op("REVERSE_V2", [x, a], T(shape, dt, _q(dt)))
    return n


def fill_net(dt: type, shape: tuple[int, ...], dims_type: type, value_quant: tuple[float, int] | None = None) -> Net:
    n = Net()
    d = n.add(T((len(shape),), dims_type, None, np.array(shape, dims_type)))
    v = n.add(T((), dt, value_quant or _q(dt)))
    n.op("FILL", [d, v], T(shape, dt, _q(dt)))
    return n


def update_net(dt: type, shape: tuple[int, ...], update: tuple[int, ...], start: np.ndarray | None, start_type: type = np.int32,
               update_quant: tuple[float, int] | None = None) -> Net:
    n = Net()
    x = n.add(T(shape, dt, _q(dt)))
    u = n.add(T(update, dt, update_quant or _q(dt)))
    s = n.add(T((len(shape),), start_type, None, None if start is None else np.asarray(start, start_type)))
    n.op("DYNAMIC_UPDATE_SLICE", [x, u, s], T(shape, dt, _q(dt)))
    return n


def logical_net(opname: str, a: tuple[int, ...], b: tuple[int, ...], out: tuple[int, ...], constant_b: np.ndarray | None = None) -> Net:
    n = Net()
    x = n.add(T(a, np.bool_))
    y = n.add(T(b, np.bool_, None, constant_b))
    n.op(opname, [x, y], T(out, np.bool_))
    return n


def not_net(shape: tuple[int, ...]) -> Net:
    n = Net()
    x = n.add(T(shape, np.bool_))
    n.op("LOGICAL_NOT", [x], T(shape, np.bool_))
    return n


def reduce_all_net(shape: tuple[int, ...], axes: Sequence[int], keep: bool) -> Net:
    n = Net()
    x = n.add(T(shape, np.bool_))
    a = n.add(T((len(axes),), np.int32, None, np.array(axes, np.int32)))
    reduced = {ax % len(shape) for ax in axes}
    out = tuple(1 if i in reduced else d for i, d in enumerate(shape)) if keep else tuple(d for i, d in enumerate(shape) if i not in reduced)
    n.op("REDUCE_ALL", [x, a], T(out, np.bool_), ("ReducerOptions", {"keepDims": keep}))
    return n


def compare_chain() -> Net:
    """GREATER(int8, int8) -> LOGICAL_AND with a bool input -> LOGICAL_NOT ->
    CAST to int8 -> ADD-free int8 output, and REDUCE_ALL of the AND."""
    n = Net()
    a = n.add(T((2, 3, 4), np.int8, (0.05, 3)))
    b = n.add(T((4,), np.int8, (0.04, -7)))
    m = n.add(T((2, 1, 4), np.bool_))
    g = n.op("GREATER", [a, b], T((2, 3, 4), np.bool_))
    both = n.op("LOGICAL_AND", [g, m], T((2, 3, 4), np.bool_))
    inv = n.op("LOGICAL_NOT", [both], T((2, 3, 4), np.bool_))
    c = n.op("CAST", [inv], T((2, 3, 4), np.int8))
    axes = n.add(T((1,), np.int32, None, np.array([1], np.int32)))
    r = n.op("REDUCE_ALL", [both, axes], T((2, 4), np.bool_), ("ReducerOptions", {"keepDims": False}))
    n.outputs = [c, r]
    return n


def quantised_chain() -> Net:
    """int8 -> CAST int16 -> REVERSE_V2 -> DYNAMIC_UPDATE_SLICE with a run-time
    start -> CAST int32 -> CAST float32; and an int8 FILL from a cast value."""
    n = Net()
    x = n.add(T((3, 5), np.int8, Q8))
    w = n.op("CAST", [x], T((3, 5), np.int16, Q16))
    axes = n.add(T((1,), np.int32, None, np.array([1], np.int32)))
    r = n.op("REVERSE_V2", [w, axes], T((3, 5), np.int16, Q16))
    u = n.add(T((2, 2), np.int16, Q16))
    s = n.add(T((2,), np.int32))
    d = n.op("DYNAMIC_UPDATE_SLICE", [r, u, s], T((3, 5), np.int16, Q16))
    i = n.op("CAST", [d], T((3, 5), np.int32))
    f = n.op("CAST", [i], T((3, 5), np.float32))
    v = n.add(T((), np.int32))
    v8 = n.op("CAST", [v], T((), np.int8, Q8))
    dims = n.add(T((3,), np.int32, None, np.array([2, 1, 3], np.int32)))
    filled = n.op("FILL", [dims, v8], T((2, 1, 3), np.int8, Q8))
    n.outputs = [f, filled]
    return n


_CAST_TYPES = (np.int8, np.int16, np.int32, np.float32, np.bool_)
_CAST_SHAPES = ((4, 6), (2, 3, 5), (37,), (1, 2, 3, 2, 2), ())


def _cast_configs() -> list[Config]:
    out = []
    k = 0
    for src in _CAST_TYPES:
        for dst in _CAST_TYPES:
            if src == dst:
                continue
            for quantised in (True, False):
                shape = _CAST_SHAPES[k % len(_CAST_SHAPES)]
                k += 1
                out.append(Config(f"cast-{np.dtype(src).name}-{np.dtype(dst).name}-{'q' if quantised else 'raw'}-{len(shape)}d",
                                  lambda s=src, d=dst, sh=shape, q=quantised: cast_net(s, d, sh, q), ("pycmsisnn_cast",)))
    return out


_REVERSE = [((7,), [0]), ((4, 5), [0]), ((4, 5), [-1]), ((4, 5), [0, 1]), ((2, 3, 4), [1]), ((2, 3, 4), [1, 2]),
            ((2, 3, 4, 5), [0, 1, 2]), ((2, 3, 4, 5), [3]), ((2, 1, 3, 2, 4), [2, 3]), ((2, 2, 2, 2, 2, 3), [-2])]


def _reverse_configs() -> list[Config]:
    out = []
    for k, (shape, axes) in enumerate(_REVERSE):
        for dt, suffix in ((np.int8, "s8"), (np.int16, "s16")):
            if (k + (dt == np.int16)) % 2 and k > 3:
                continue
            out.append(Config(f"reverse-{suffix}-{'x'.join(map(str, shape))}-axes{'_'.join(map(str, axes))}",
                              lambda d=dt, s=shape, a=axes: reverse_net(d, s, a), (f"pycmsisnn_reverse_{suffix}",)))
    return out


def _fill_configs() -> list[Config]:
    cases = [(np.int8, (2, 3, 2), np.int32, None), (np.int8, (5,), np.int64, None), (np.int8, (1, 2, 1, 2, 1, 2), np.int32, None),
             (np.int8, (3, 4), np.int32, (0.5, 7)), (np.int32, (4, 3), np.int32, None), (np.int32, (2, 2, 2), np.int64, None)]
    return [Config(f"fill-{np.dtype(dt).name}-{'x'.join(map(str, shape))}-dims{np.dtype(d).name}{'-requant' if q else ''}",
                   lambda dt=dt, s=shape, d=d, q=q: fill_net(dt, s, d, q), (f"pycmsisnn_fill_scalar_{'s8' if dt == np.int8 else 's32'}",))
            for dt, shape, d, q in cases]


def _update_configs() -> list[Config]:
    cases: list[tuple[type, tuple[int, ...], tuple[int, ...], Any, type, Any]] = [
        (np.int8, (4, 5), (2, 2), None, np.int32, None), (np.int16, (4, 5), (2, 2), None, np.int32, None),
        (np.int8, (9,), (4,), None, np.int32, None), (np.int8, (3, 4, 5), (3, 2, 5), None, np.int32, None),
        (np.int16, (2, 3, 4, 5), (1, 2, 2, 3), None, np.int32, None), (np.int8, (2, 2, 3, 2, 3), (1, 2, 1, 2, 2), None, np.int32, None),
        (np.int8, (2, 2, 2, 2, 2, 2), (1, 1, 2, 1, 2, 1), None, np.int32, None), (np.int8, (4, 5), (4, 5), None, np.int32, None),
        (np.int8, (4, 5), (2, 3), np.array([1, 1]), np.int32, None), (np.int16, (4, 5), (2, 3), np.array([-4, 9]), np.int32, None),
        (np.int8, (4, 5, 3), (2, 1, 3), np.array([3, 2**40, 1]), np.int64, None),
        (np.int8, (4, 5), (2, 2), None, np.int32, (0.3, 11)),
    ]
    out = []
    for k, (dt, shape, update, start, st, uq) in enumerate(cases):
        suffix = "s8" if dt == np.int8 else "s16"
        kind = "runtime" if start is None else f"const{np.dtype(st).name}"
        roles = (("", 0), ("", 0), ("start", max(shape))) if start is None else ()
        out.append(Config(f"update-slice-{suffix}-{k}-{'x'.join(map(str, shape))}-{kind}{'-requant' if uq else ''}",
                          lambda dt=dt, s=shape, u=update, a=start, t=st, q=uq: update_net(dt, s, u, a, t, q),
                          (f"pycmsisnn_dynamic_update_slice_{suffix}",), roles))
    return out


def _logical_configs() -> list[Config]:
    cases = [((3, 4), (3, 4), (3, 4), None), ((2, 1, 3), (4, 1), (2, 4, 3), None), ((5,), (), (5,), None),
             ((1, 2, 3, 4), (2, 1, 4), (1, 2, 3, 4), None), ((2, 3), (3,), (2, 3), np.array([True, False, True]))]
    out = []
    for opname, kernel in (("LOGICAL_AND", "pycmsisnn_logical_and"), ("LOGICAL_OR", "pycmsisnn_logical_or")):
        for k, (a, b, y, const) in enumerate(cases):
            out.append(Config(f"{opname.lower()}-{k}-{'x'.join(map(str, a))}-{'x'.join(map(str, b)) or 'scalar'}{'-const' if const is not None else ''}",
                              lambda o=opname, a=a, b=b, y=y, c=const: logical_net(o, a, b, y, c), (kernel,)))
    for shape in ((7,), (2, 3, 4), (1, 2, 2, 2, 3)):
        out.append(Config(f"logical-not-{'x'.join(map(str, shape))}", lambda s=shape: not_net(s), ("pycmsisnn_logical_not",)))
    return out


def _reduce_all_configs() -> list[Config]:
    cases = [((2, 3), [0], False), ((2, 3), [1], True), ((2, 3), [0, 1], False), ((3, 4, 5), [-1], False), ((3, 4, 5), [0, 2], True),
             ((2, 3, 4, 5), [1, 2], False), ((2, 3, 4, 5), [0, 1, 2, 3], True), ((6,), [0], True)]
    return [Config(f"reduce-all-{'x'.join(map(str, s))}-axes{'_'.join(map(str, a))}-{'keep' if k else 'drop'}",
                   lambda s=s, a=a, k=k: reduce_all_net(s, a, k), ("pycmsisnn_reduce_all",)) for s, a, k in cases]


CONFIGS: list[Config] = (
    _cast_configs() + _reverse_configs() + _fill_configs() + _update_configs() + _logical_configs() + _reduce_all_configs()
    + [Config("chain-compare-logic-cast", compare_chain,
              ("pycmsisnn_greater_s8", "pycmsisnn_logical_and", "pycmsisnn_logical_not", "pycmsisnn_cast", "pycmsisnn_reduce_all")),
       Config("chain-quantised", quantised_chain,
              ("pycmsisnn_cast", "pycmsisnn_reverse_s16", "pycmsisnn_dynamic_update_slice_s16", "pycmsisnn_cast", "pycmsisnn_cast",
               "pycmsisnn_cast", "pycmsisnn_fill_scalar_s8"), (("", 0), ("", 0), ("start", 5), ("", 0)))]
)


def inputs_for(config: Config, net: Net, rng: np.random.Generator) -> list[np.ndarray]:
    """One sample per model input, in model input order."""
    ins = net.inputs()
    roles = config.roles or tuple(("", 0) for _ in ins)
    return [sample(rng, net.tensors[i], role, bound) for i, (role, bound) in zip(ins, roles)]
