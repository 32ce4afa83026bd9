"""``convert --legacy``: a model the legacy q7 API computes exactly, as a C
project calling the historical q7 functions.

``convert_legacy(model, out_dir, target, name)`` writes the same project as
``convert`` (``NAME.h`` with the same interface, ``NAME.c``, the kernel
library copy, ``Makefile``, ``CMakeLists.txt``, ``report.json``/``.txt``),
so ``pycmsisnn.targets`` builds and runs it unchanged, but every layer calls
the q7 API of CMSIS-NN before 2022 (declared in ``pycmsisnn_legacy_q7.h``):

* CONV_2D -> ``arm_convolve_HWC_q7_RGB`` (3 input channels), ``_fast``
  (input channels % 4 == 0, output channels % 2 == 0) or ``_basic``;
  DEPTHWISE_CONV_2D -> ``arm_depthwise_separable_conv_HWC_q7``;
  FULLY_CONNECTED -> ``arm_fully_connected_q7_opt`` (weights interleaved as
  it reads them) or ``arm_fully_connected_q7``. Biases are int8 with the
  ``bias_shift`` and ``out_shift`` that ``pycmsisnn.qmn.analysis`` derives;
  a fused ReLU is ``arm_relu_q7`` on the layer's output; ``bufferA`` /
  ``vec_buffer`` get their historical sizes in the arena (``bufferB`` is
  unused by every one of these kernels: NULL);
* MAX_POOL_2D -> ``arm_maxpool_q7_HWC`` (+ ``arm_relu_q7`` for a fused ReLU);
* RESHAPE, SQUEEZE, EXPAND_DIMS -> nothing (the output shares the input's
  buffer) or a copy (``arm_reshape_s8``) when the arena is planned linearly;
* RELU (input and output quantised alike, zero point 0) -> a copy and
  ``arm_relu_q7``.

Exactly expressible means what ``pycmsisnn qmn`` calls ``exact``: every
layer's tensors have power-of-two scales and zero point 0, its bias is an
int8 value shifted left, and the shifts go the ways the q7 API shifts. The
generated code then computes what ``pycmsisnn.qmn.LegacyRunner`` computes,
bit for bit; it can still differ from TensorFlow Lite by one step where an
accumulator falls on a rounding tie (the q7 API rounds half up once, TFLite
twice; ``pycmsisnn qmn`` counts those).

Anything else is refused before a file is written (``LegacyRefusal``), one
line per offending operator with the reason, and the advice: re-quantise
(``pycmsisnn qmn MODEL --requantize OUT.tflite``) or use the s8 API. Among
what is refused: AVERAGE_POOL_2D (``arm_avepool_q7_HWC`` truncates the
average, TFLite rounds it), SOFTMAX (``arm_softmax_q7`` is a base-2 softmax),
ADD and every operator without a q7 kernel, fused RELU6/RELU_N1_TO_1 clamps,
non-square images, kernels, strides or paddings (our library has no
``_nonsquare`` kernels), channel multipliers other than 1.

The arena is planned by ``pycmsisnn.memory.plan_arena`` like any plan: the
scratch sizes of the q7 kernels are registered in ``pycmsisnn.scratch.SIZERS``
when this module is imported.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .. import quant, scratch
from ..cores import DEFAULT_CORE, Feature, get_core
from ..ir import Graph, Operator, Tensor
from ..kernels.legacy_q7 import conv_q7_buffer_size, fc_q7_opt_weights
from ..lower import KernelCall, Plan, TensorArg
from ..memory import ArenaPlan, plan_arena
from ..params import Tile
from ..qmn.analysis import LAYER_OPS, LayerAnalysis, analyse_layer
from ..qmn.formats import QmnError
from ..tflite import read_model
from .cwriter import CodegenRefusal, Layer, Unit, c_identifier
from .kernels import reshape as emit_reshape_copy
from .project import LIBRARY_DIR, cmake_text, copied_files, makefile_text, project_library
from .report import ProjectReport, finish_report
from .source import header_text, source_text
from ..operator_options import ConvOptions, PoolOptions, activation_code, options_as

LEGACY_HEADER = "pycmsisnn_legacy_q7.h"
RESHAPE_OPS = ("RESHAPE", "SQUEEZE", "EXPAND_DIMS")
UINT16_MAX = 2**16 - 1
RELU_CHUNK = UINT16_MAX  # arm_relu_q7 takes a uint16_t size
FC_OPT, FC_PLAIN = "arm_fully_connected_q7_opt", "arm_fully_connected_q7"

REQUANTIZE_ADVICE = (
    "re-quantise the model to power-of-two scales with `pycmsisnn qmn MODEL --requantize OUT.tflite` "
    "(which reports what that costs in accuracy) and convert OUT.tflite with --legacy"
)
S8_ADVICE = (
    "convert without --legacy: the s8 API runs the model as it is, with parameters pycmsisnn derives "
    "exactly from its scales and zero points"
)
# Why operators without a q7 counterpart are refused, where more can be said.
NO_Q7_KERNEL: dict[str, str] = {
    "SOFTMAX": "arm_softmax_q7 is a base-2 softmax (2^x), not TFLite's e^x softmax",
    "AVERAGE_POOL_2D": "arm_avepool_q7_HWC truncates the average toward zero where TFLite rounds it to nearest",
    "ADD": "the q7 API has no addition kernel",
    "MUL": "the q7 API has no multiplication kernel",
    "CONCATENATION": "the q7 API has no concatenation kernel",
    "RELU6": "the q7 API has no clamp other than arm_relu_q7's at 0",
    "QUANTIZE": "the q7 API takes int8 tensors only (no float input, no re-quantisation)",
    "DEQUANTIZE": "the q7 API takes int8 tensors only (no float output)",
}


class LegacyRefusal(CodegenRefusal):
    """A model the legacy q7 API cannot compute exactly. ``problems``: one
    line per offending operator; ``remaining``: the operators a power-of-two
    re-quantisation would not fix (None when that was not tried). The
    message lists the problems and the advice."""

    def __init__(self, problems: Sequence[str], remaining: set[int] | None = None) -> None:
        self.problems = list(problems)
        self.remaining = remaining
        lines = [f"cannot generate legacy q7 C: {len(self.problems)} operator(s) have no exact q7 equivalent:"]
        lines += [f"  {p}" for p in self.problems]
        if remaining:
            what = [f"operator {i}" for i in sorted(remaining) if i >= 0] + (["its inputs or outputs"] if -1 in remaining else [])
            lines.append(f"Re-quantising to power-of-two scales would not make this model expressible ({', '.join(what)} stay as they are): {S8_ADVICE}.")
        else:
            lines += [f"To deploy it: {REQUANTIZE_ADVICE};", f"  or {S8_ADVICE}."]
        super().__init__("\n".join(lines))


# ------------------------------------------------------------- the legacy plan


def _tensor_input(graph: Graph, op: Operator, slot: int = 0) -> Tensor:
    return graph.tensor(op.inputs[slot])


def _int8_same_quant(graph: Graph, op: Operator) -> str | None:
    """Why the op's first input and output are not int8 with one quantisation, or None."""
    x, y = _tensor_input(graph, op), graph.tensor(op.outputs[0])
    if x.dtype != np.int8 or y.dtype != np.int8:
        return f"input {np.dtype(x.dtype).name}, output {np.dtype(y.dtype).name}: the q7 API takes int8 only"
    if x.quant != y.quant:
        return "input and output are quantised differently: the q7 kernel does not rescale"
    return None


def _relu_clamp(op: Operator, y: Tensor) -> tuple[bool, str | None]:
    """(whether a fused activation is arm_relu_q7, why it is no q7 clamp)."""
    act = int(activation_code(op.options))
    if act == 0:
        return False, None
    if act not in (1, 2, 3) or y.quant is None:
        return False, f"fused activation {act} has no q7 counterpart"
    clamp = quant.activation_range(act, y.quant.scale, y.quant.zero_point)
    if (clamp.min, clamp.max) == (-128, 127):
        return False, None
    if (clamp.min, clamp.max) == (0, 127):
        return True, None
    name = quant.FusedActivation(act).name
    return False, f"fused {name} clamps the output to [{clamp.min}, {clamp.max}]: the q7 API clamps at 0 only (arm_relu_q7)"


def _layer_call(graph: Graph, op: Operator, fc_kernel: str) -> tuple[KernelCall | None, str | None]:
    a = analyse_layer(graph, op)
    why = list(a.reasons)
    if a.kernel is None and a.kernel_note:
        why.append(f"no q7 kernel fits: {a.kernel_note}")
    x = _tensor_input(graph, op)
    if x.is_constant:
        why.append("the input is a constant tensor")
    if why:
        return None, "; ".join(why)
    kernel = fc_kernel if op.opcode == "FULLY_CONNECTED" else str(a.kernel)
    notes = {"q7": a.formats() | {"activation": a.activation}}
    return KernelCall(op, kernel, {"input": TensorArg(x.index), "analysis": a}, tuple(op.outputs), notes=notes), None


def _pool_call(graph: Graph, op: Operator) -> tuple[KernelCall | None, str | None]:
    if op.opcode != "MAX_POOL_2D":
        return None, NO_Q7_KERNEL["AVERAGE_POOL_2D"]
    x, y = _tensor_input(graph, op), graph.tensor(op.outputs[0])
    why = [r for r in (_int8_same_quant(graph, op),) if r]
    if x.is_constant:
        why.append("the input is a constant tensor")
    relu, act_reason = _relu_clamp(op, y)
    if act_reason:
        why.append(act_reason)
    if len(x.shape) != 4:
        return None, "; ".join(why + [f"input {list(x.shape)} is not 4-D"])
    _, h, w, c = x.shape
    p = options_as(op.options, PoolOptions)
    kh, kw = p.filter_height, p.filter_width
    stride = Tile(p.stride_w, p.stride_h)
    pad, _, (oh, ow) = quant.conv_padding(p.padding, (h, w), (kh, kw), stride)
    if h != w:
        why.append(f"non-square input {h}x{w} (arm_maxpool_q7_HWC takes square images)")
    if kh != kw:
        why.append(f"non-square window {kh}x{kw}")
    if stride.h != stride.w:
        why.append(f"strides differ ({stride.h}, {stride.w})")
    if h == w and kh == kw and stride.h == stride.w and pad.h != pad.w:
        why.append(f"padding differs ({pad.h}, {pad.w})")
    if max(h, w, c, kh, kw, oh, ow) > UINT16_MAX:
        why.append("a dimension does not fit uint16_t")
    if tuple(y.shape[1:3]) != (oh, ow):
        why.append(f"output {list(y.shape)} is not the {oh}x{ow} TFLite computes")
    if why:
        return None, "; ".join(why)
    args = {"input": TensorArg(x.index), "dim_kernel": kh, "padding": pad.h, "stride": stride.h, "relu": relu}
    return KernelCall(op, "arm_maxpool_q7_HWC", args, tuple(op.outputs)), None


def _relu_call(graph: Graph, op: Operator) -> tuple[KernelCall | None, str | None]:
    x = _tensor_input(graph, op)
    why = _int8_same_quant(graph, op)
    if why is None and x.quant is not None and any(z != 0 for z in x.quant.zero_points):
        why = f"zero point {x.quant.zero_point}: arm_relu_q7 clamps at the stored 0, TFLite at the zero point"
    if why is None and x.is_constant:
        why = "the input is a constant tensor"
    if why:
        return None, why
    return KernelCall(op, "arm_relu_q7", {"input": TensorArg(x.index)}, tuple(op.outputs)), None


def _reshape_call(graph: Graph, op: Operator) -> tuple[KernelCall | None, str | None]:
    why = _int8_same_quant(graph, op)
    if why:
        return None, why
    x = _tensor_input(graph, op)
    # Named as the s8 reshape so that the planner lets the output share the input's buffer.
    return KernelCall(op, "arm_reshape_s8", {"input": TensorArg(x.index)}, tuple(op.outputs)), None


def _describe(op: Operator) -> str:
    return f"operator {op.index} ({op.opcode})"


def legacy_problems(graph: Graph, fc_kernel: str = FC_OPT) -> tuple[list[KernelCall], list[tuple[int, str]]]:
    """The q7 calls of ``graph`` and, per operator the q7 API cannot compute
    exactly, (operator index, reason)."""
    calls: list[KernelCall] = []
    problems: list[tuple[int, str]] = []
    for t in (graph.tensor(i) for i in list(graph.inputs) + list(graph.outputs)):
        if t.dtype != np.int8:
            problems.append((-1, f"model {'input' if t.index in graph.inputs else 'output'} '{t.name}' is {np.dtype(t.dtype).name}: the q7 API takes int8 only"))
    for op in graph.operators:
        if op.opcode in LAYER_OPS:
            call, why = _layer_call(graph, op, fc_kernel)
        elif op.opcode in ("MAX_POOL_2D", "AVERAGE_POOL_2D"):
            call, why = _pool_call(graph, op)
        elif op.opcode in RESHAPE_OPS:
            call, why = _reshape_call(graph, op)
        elif op.opcode == "RELU":
            call, why = _relu_call(graph, op)
        else:
            call, why = None, NO_Q7_KERNEL.get(op.opcode, "no q7 kernel computes it")
        if call is not None:
            calls.append(call)
        else:
            problems.append((op.index, str(why)))
    if not graph.operators:
        problems.append((-1, "the model has no operators"))
    return calls, problems


def _graph_and_bytes(source: Any) -> tuple[Graph, bytes | None]:
    if isinstance(source, Graph):
        return source, None
    if isinstance(source, Plan):
        return source.graph, None
    plan = getattr(source, "plan", None)
    if isinstance(plan, Plan):
        return plan.graph, None
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
        return read_model(data), data
    if isinstance(source, (bytes, bytearray)):
        return read_model(bytes(source)), bytes(source)
    raise TypeError(f"expected a Graph, a Plan, a Model, a .tflite path or bytes, got {type(source).__name__}")


def legacy_plan(source: Any, *, fc_kernel: str = FC_OPT) -> Plan:
    """The plan of q7 kernel calls of a model (a .tflite path or bytes, a
    Graph, a Plan or a Model), one call per operator; ``LegacyRefusal``
    listing every operator the q7 API cannot compute exactly."""
    if fc_kernel not in (FC_OPT, FC_PLAIN):
        raise ValueError(f"fc_kernel must be {FC_OPT} or {FC_PLAIN}, got {fc_kernel!r}")
    graph, data = _graph_and_bytes(source)
    calls, problems = legacy_problems(graph, fc_kernel)
    if problems:
        after = _requantised_remaining(data, fc_kernel) if any(i >= 0 for i, _ in problems) else None
        lines = []
        for index, why in problems:
            head = _describe(graph.operators[index]) if index >= 0 else "model"
            note = ""
            if after is not None and index >= 0:
                if index not in after:
                    note = " [re-quantisation fixes this]"
                elif after[index] == why:
                    note = " [stays after re-quantisation]"
                else:
                    note = f" [after re-quantisation: {after[index]}]"
            lines.append(f"{head}: {why}{note}")
        raise LegacyRefusal(lines, None if after is None else set(after))
    return Plan(graph, tuple(calls))


def _requantised_remaining(data: bytes | None, fc_kernel: str) -> dict[int, str] | None:
    """The operators still refused once the model is re-quantised to
    power-of-two scales, with the reason then (None when that cannot be tried)."""
    if data is None:
        return None
    try:
        from ..qmn.requantize import requantize_power_of_two

        _, problems = legacy_problems(read_model(requantize_power_of_two(data)), fc_kernel)
    except (QmnError, ImportError, ValueError):
        return None
    return dict(problems)


# ------------------------------------------------------ scratch of the q7 kernels


def _conv_scratch(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[scratch.ScratchNeed, ...]:
    """bufferA of the q7 convolutions: 2 * ch_im_in * k * k q15_t entries (historical size)."""
    x, w = graph.tensor(call.op.inputs[0]), graph.tensor(call.op.inputs[1])
    return (scratch.ScratchNeed("bufferA", 2 * conv_q7_buffer_size(int(x.shape[3]), int(w.shape[1]))),)


def _fc_scratch(graph: Graph, call: KernelCall, feature: Feature, library: str) -> tuple[scratch.ScratchNeed, ...]:
    """vec_buffer of the q7 fully connected kernels: dim_vec q15_t entries."""
    return (scratch.ScratchNeed("vec_buffer", 2 * int(graph.tensor(call.op.inputs[1]).shape[1])),)


CONV_KERNELS = ("arm_convolve_HWC_q7_basic", "arm_convolve_HWC_q7_fast", "arm_convolve_HWC_q7_RGB", "arm_depthwise_separable_conv_HWC_q7")
for _kernel in CONV_KERNELS:
    scratch.SIZERS.setdefault(_kernel, _conv_scratch)
for _kernel in (FC_OPT, FC_PLAIN):
    scratch.SIZERS.setdefault(_kernel, _fc_scratch)


# ---------------------------------------------------------------- emitters


def _checked(call: str) -> list[str]:
    """A q7 call returning arm_status, its failure mapped to the s8 API's status."""
    return [f"if ({call} != ARM_MATH_SUCCESS)", "{", "    return ARM_CMSIS_NN_ARG_ERROR;", "}"]


def _per_image(layer: Layer, batches: int, in_step: int, out_step: int, body: Any) -> None:
    """``body(input, output)`` once, or in a loop over the batch (the q7
    kernels take one image or vector)."""
    x, y = layer.input(layer.call.args["input"], "input"), layer.output()
    if batches == 1:
        layer.lines += body(x, y)
        return
    layer.lines += [f"for (uint32_t n = 0; n < {batches}u; n++)", "{"]
    layer.lines += [f"    {line}" for line in body(f"{x} + n * {in_step}u", f"{y} + n * {out_step}u")]
    layer.lines.append("}")


def _relu(layer: Layer, size: int) -> None:
    """arm_relu_q7 over the layer's output, in pieces of at most 65535 (its size is a uint16_t)."""
    y = layer.output()
    for start in range(0, size, RELU_CHUNK):
        layer.lines.append(f"arm_relu_q7({y if start == 0 else f'{y} + {start}'}, {min(RELU_CHUNK, size - start)}u);")


def _formats_comment(a: LayerAnalysis) -> str:
    return (
        f"/* q7: input {a.input_format}, weights {a.weight_format}, bias {a.bias_format or 'none (zeros)'}, "
        f"output {a.output_format}; bias_shift {a.bias_shift}, out_shift {a.out_shift}"
        + (", then arm_relu_q7" if a.activation == "RELU" else "") + " */"
    )


def _bias(layer: Layer, a: LayerAnalysis, channels: int) -> str:
    values = a.q7_bias.values if a.q7_bias is not None else np.zeros(channels, dtype=np.int8)
    if values.shape != (channels,):
        raise layer.refuse(f"the q7 bias has {values.size} values for {channels} output channels")
    return layer.constant(values.astype(np.int8), "bias")


def emit_conv(layer: Layer, call: KernelCall) -> None:
    g, op, a = layer.graph, call.op, call.args["analysis"]
    x, w, y = g.tensor(op.inputs[0]), g.tensor(op.inputs[1]), g.tensor(op.outputs[0])
    assert w.data is not None and a.bias_shift is not None and a.out_shift is not None
    n, h, _, c = (int(d) for d in x.shape)
    oh, oc, k = int(y.shape[1]), int(y.shape[3]), int(w.shape[1])
    o = options_as(op.options, ConvOptions)
    stride = o.stride_h
    pad, _, _ = quant.conv_padding(o.padding, (h, h), (k, k), Tile(stride, stride))
    weights = w.data.reshape(k, k, c) if op.opcode == "DEPTHWISE_CONV_2D" else w.data
    wt, bias = layer.constant(np.asarray(weights, dtype=np.int8), "weights"), _bias(layer, a, oc)
    buffer_a, _ = layer.scratch(0)
    layer.lines.append(_formats_comment(a))
    _per_image(layer, n, h * h * c, oh * oh * oc, lambda xp, yp: _checked(
        f"{call.kernel}({xp}, {h}, {c}, {wt}, {oc}, {k}, {pad.h}, {stride}, {bias}, {a.bias_shift}, {a.out_shift}, "
        f"{yp}, {oh}, (q15_t *)(void *)({buffer_a}), NULL)"
    ))
    if a.activation == "RELU":
        _relu(layer, y.size)
    layer.succeeds()


def emit_fc(layer: Layer, call: KernelCall) -> None:
    g, op, a = layer.graph, call.op, call.args["analysis"]
    x, w, y = g.tensor(op.inputs[0]), g.tensor(op.inputs[1]), g.tensor(op.outputs[0])
    assert w.data is not None and a.bias_shift is not None and a.out_shift is not None
    rows, depth = (int(d) for d in w.shape)
    weights = fc_q7_opt_weights(w.data) if call.kernel == FC_OPT else w.data
    order = "interleaved for arm_fully_connected_q7_opt" if call.kernel == FC_OPT else "row-major"
    pm = layer.constant(np.asarray(weights, dtype=np.int8), "weights")
    bias = _bias(layer, a, rows)
    vec_buffer, _ = layer.scratch(0)
    layer.lines.append(_formats_comment(a))
    layer.lines.append(f"/* weights: {rows} rows of {depth}, {order} */")
    _per_image(layer, x.size // depth, depth, rows, lambda xp, yp: _checked(
        f"{call.kernel}({xp}, {pm}, {depth}, {rows}, {a.bias_shift}, {a.out_shift}, {bias}, {yp}, (q15_t *)(void *)({vec_buffer}))"
    ))
    if a.activation == "RELU":
        _relu(layer, y.size)
    layer.succeeds()


def emit_maxpool(layer: Layer, call: KernelCall) -> None:
    g, op, args = layer.graph, call.op, call.args
    x, y = g.tensor(op.inputs[0]), g.tensor(op.outputs[0])
    n, h, _, c = (int(d) for d in x.shape)
    oh = int(y.shape[1])
    _per_image(layer, n, h * h * c, oh * oh * c, lambda xp, yp: [
        f"arm_maxpool_q7_HWC({xp}, {h}, {c}, {args['dim_kernel']}, {args['padding']}, {args['stride']}, {oh}, NULL, {yp});"
    ])
    if args["relu"]:
        _relu(layer, y.size)
    layer.succeeds()


def emit_relu(layer: Layer, call: KernelCall) -> None:
    size = layer.size(call.args["input"])
    x, y = layer.input(call.args["input"], "input"), layer.output()
    if x != y:
        layer.calls("arm_reshape_s8", [x, y, f"{size}u"])
    _relu(layer, size)
    layer.succeeds()


EMITTERS = {
    **{k: emit_conv for k in CONV_KERNELS},
    FC_OPT: emit_fc,
    FC_PLAIN: emit_fc,
    "arm_maxpool_q7_HWC": emit_maxpool,
    "arm_relu_q7": emit_relu,
    "arm_reshape_s8": emit_reshape_copy,
}


def called_functions(plan: Plan, arena: ArenaPlan) -> list[str]:
    """The C functions the layers of a legacy plan call."""
    found: set[str] = set()
    for call in plan.calls:
        a = call.args.get("analysis")
        if call.kernel == "arm_reshape_s8":
            if arena.aliases.get(call.outputs[0]) is None:
                found.add("arm_reshape_s8")
            continue
        found.add(call.kernel)
        if (a is not None and a.activation == "RELU") or call.args.get("relu"):
            found.add("arm_relu_q7")
        if call.kernel == "arm_relu_q7" and arena.offset(call.outputs[0]) != arena.offset(call.args["input"].index):
            found.add("arm_reshape_s8")
    return sorted(found)


def emit_layers(name: str, plan: Plan, arena: ArenaPlan, feature: Feature) -> tuple[Unit, list[Layer]]:
    """Every layer of a legacy plan written as C."""
    unit = Unit(name, feature)
    unit.includes.add(LEGACY_HEADER)
    layers = []
    for k, call in enumerate(plan.calls):
        layer = Layer(unit, plan.graph, arena, k, call)
        EMITTERS[call.kernel](layer, call)
        layers.append(layer)
    return unit, layers


# ---------------------------------------------------------------- the project


@dataclass
class LegacyProjectReport(ProjectReport):
    """A ``ProjectReport`` with, per q7 layer, its formats and shifts."""

    q7_layers: list[dict[str, Any]] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [super().to_text().rstrip("\n"), "q7 layers (legacy API; rounding ties may differ from TFLite by one step: q7 rounds half up once, TFLite twice):"]
        for row in self.q7_layers:
            lines.append(
                f"  [{row['layer']}] {row['kernel']}: input {row['input']}, weights {row['weights']}, "
                f"bias {row['bias'] or 'none'}, output {row['output']}; bias_shift {row['bias_shift']}, "
                f"out_shift {row['out_shift']}" + (", arm_relu_q7" if row["activation"] == "RELU" else "")
            )
        return "\n".join(lines) + "\n"


def _layer_table(plan: Plan, arena: ArenaPlan) -> list[dict[str, Any]]:
    return [
        {
            "layer": k, "opcode": call.op.opcode, "kernel": call.kernel, "host_variant": call.kernel, "tensor": call.outputs[0],
            "output_offset": arena.offset(call.outputs[0]), "output_bytes": plan.graph.tensor(call.outputs[0]).nbytes,
            "scratch_bytes": sum(p.nbytes for p in arena.scratch[k]),
        }
        for k, call in enumerate(plan.calls)
    ]


def _q7_table(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for k, call in enumerate(plan.calls):
        a = call.args.get("analysis")
        if isinstance(a, LayerAnalysis):
            rows.append({"layer": k, "op_index": call.op.index, "kernel": call.kernel, **a.formats(), "activation": a.activation})
    return rows


def generate_legacy(plan: Plan, target: str, name: str, *, strategy: str | None = None) -> tuple[dict[str, str], ArenaPlan, int]:
    """The text files of the project of a legacy plan, its arena plan and its constant bytes (nothing written)."""
    c_identifier(name)
    cpu = get_core(target, noun="target")
    target = cpu.name
    arena = plan_arena(plan, target, strategy=strategy, patches=False)  # the q7 emitters know no patch chain
    unit, layers = emit_layers(name, plan, arena, cpu.feature)
    files = {
        f"{name}.h": header_text(name, plan, arena, target),
        f"{name}.c": source_text(name, plan, arena, target, unit, layers),
        "Makefile": makefile_text(name, cpu, project_library(None)),
        "CMakeLists.txt": cmake_text(name, cpu, project_library(None)),
    }
    return files, arena, unit.constant_bytes


def convert_legacy(
    source: Any,
    out_dir: str | Path,
    target: str = DEFAULT_CORE,
    name: str = "model",
    *,
    cmsis_nn: str | Path | None = None,
    strategy: str | None = None,
    measure_size: bool | None = None,
    fc_kernel: str = FC_OPT,
) -> LegacyProjectReport:
    """Write the C project of a model calling the legacy q7 kernels into ``out_dir``.

    ``source``: a .tflite path or bytes, a Graph, a Plan or a Model. Raises
    ``LegacyRefusal`` (nothing written) when an operator has no exact q7
    equivalent. ``cmsis_nn`` is refused: Arm's current CMSIS-NN has no q7
    API, the project builds against the copy of pycmsisnn's kernels.
    ``strategy`` and ``measure_size`` as for ``convert``; ``fc_kernel``
    ``arm_fully_connected_q7_opt`` (default) or ``arm_fully_connected_q7``.
    """
    if cmsis_nn is not None:
        raise CodegenRefusal(
            "--legacy cannot build against Arm's CMSIS-NN: it dropped the q7 API in 2022; "
            "the project uses the copy of pycmsisnn's q7 kernels (leave out --cmsis-nn)"
        )
    c_identifier(name)
    cpu = get_core(target, noun="target")
    target = cpu.name
    plan = legacy_plan(source, fc_kernel=fc_kernel)
    files, arena, constants = generate_legacy(plan, target, name, strategy=strategy)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / LIBRARY_DIR).exists():
        shutil.rmtree(out / LIBRARY_DIR)
    for src, rel in copied_files(project_library(None)):
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for rel, text in files.items():
        (out / rel).write_text(text)
    kernels = called_functions(plan, arena)
    report = LegacyProjectReport(
        name=name,
        target=target,
        out_dir=str(out),
        library="pycmsisnn (legacy q7 API)",
        layers=len(plan.calls),
        arena_bytes=arena.arena_bytes,
        peak_bytes=arena.peak_bytes,
        linear_arena_bytes=plan_arena(plan, target, strategy="linear").arena_bytes,
        in_place_tensors=len(arena.aliases),
        constants_bytes=constants,
        code_bytes=0,
        stack_bytes=0,
        measured=False,
        files=sorted(list(files) + [LIBRARY_DIR + "/", "report.json", "report.txt"]),
        kernels=kernels,
        layer_table=_layer_table(plan, arena),
        q7_layers=_q7_table(plan),
    )
    return finish_report(report, out, cpu, measure_size)


__all__ = [
    "FC_OPT", "FC_PLAIN", "LegacyProjectReport", "LegacyRefusal", "convert_legacy", "generate_legacy",
    "legacy_plan", "legacy_problems",
]
