"""Residual ADDs fused into the convolution that produces one of their inputs.

In a residual block ``z = x + conv(y)`` three activations of the same size
are alive while the convolution runs: ``x``, the convolution's output and
(when the add reads it in place) nothing else, but ``x`` and the output are
both whole tensors. Fused, generated code computes the convolution one band
of output rows at a time into a small band buffer and adds each band into
``x`` at once, in place: the sum overwrites ``x`` row by row and the
convolution's output never exists whole. Each band is the same CMSIS-NN call
on a window of the input (the band's first input row and its top padding),
then ``arm_elementwise_add_s8`` on the band, so the results are those of the
two layers run one after the other, bit for bit.

A pair is fused when:

* call k is ``arm_convolve_wrapper_s8`` on one batch with a filter at least two
  rows tall (the general kernel, whatever the band: the 1x1 and 1xN kernels,
  which the wrapper picks by shape, are never in question), and its output is
  read only by call k + 1;
* call k + 1 is ``arm_elementwise_add_s8`` of that output and another
  activation ``x`` of the same size, which dies at the add (nothing reads it
  later), is no model input or output, and is not the convolution's input.

Memory planning (``pycmsisnn.memory``) gives the convolution's output a band
buffer instead of a tensor buffer and puts the sum over ``x``; code
generation emits the band loop in the convolution's layer and nothing in the
add's. The host runtime runs the layers unfused. ``PYCMSISNN_NO_FUSION=1``
(or ``plan_arena(..., fuse=False)``) switches fusion off.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .lower import Plan, TensorArg

NO_FUSION_ENV = "PYCMSISNN_NO_FUSION"
# Output rows per band: one row keeps the band buffer smallest; each band
# costs one more call of the two kernels (a few hundred instructions).
BAND_ROWS = 1


@dataclass(frozen=True)
class ResidualFusion:
    """A convolution (call ``conv``) whose output is added into ``skip`` by call ``add``."""

    conv: int
    add: int
    conv_output: int  # tensor: never whole, computed a band at a time
    skip: int  # tensor overwritten by the sum
    sum: int  # the add's output tensor (shares the skip tensor's buffer)
    band_rows: int
    band_bytes: int


def fusion_enabled() -> bool:
    return os.environ.get(NO_FUSION_ENV, "") in ("", "0")


def _tensor_arg(value: object) -> int | None:
    return value.index if isinstance(value, TensorArg) and value.shape is None else None


def _readers(plan: Plan) -> dict[int, list[int]]:
    readers: dict[int, list[int]] = {}
    for k, call in enumerate(plan.calls):
        for i in dict.fromkeys(call.tensor_inputs()):
            readers.setdefault(i, []).append(k)
    return readers


def _pair(plan: Plan, k: int, readers: dict[int, list[int]]) -> ResidualFusion | None:
    conv, add = plan.calls[k], plan.calls[k + 1]
    graph = plan.graph
    if conv.kernel != "arm_convolve_wrapper_s8" or add.kernel != "arm_elementwise_add_s8" or len(conv.outputs) != 1:
        return None
    y = conv.outputs[0]
    shape = tuple(graph.tensor(y).shape)
    filter_shape = tuple(conv.args["filter"].shape)
    if len(shape) != 4 or shape[0] != 1 or filter_shape[1] < 2 or y in graph.outputs or readers.get(y) != [k + 1]:
        return None
    a, b = _tensor_arg(add.args.get("input_1")), _tensor_arg(add.args.get("input_2"))
    if y not in (a, b) or a == b:
        return None
    x = b if a == y else a
    conv_input = _tensor_arg(conv.args.get("input"))
    if x is None or graph.tensor(x).is_constant or x == conv_input or x in graph.inputs or x in graph.outputs:
        return None
    if readers.get(x, [])[-1:] != [k + 1] or graph.tensor(x).nbytes != graph.tensor(y).nbytes:
        return None
    return ResidualFusion(k, k + 1, y, x, add.outputs[0], BAND_ROWS, BAND_ROWS * shape[2] * shape[3])


def residual_fusions(plan: Plan) -> tuple[ResidualFusion, ...]:
    """Every convolution + residual ADD pair of ``plan`` that can be fused."""
    readers = _readers(plan)
    found: list[ResidualFusion] = []
    k = 0
    while k + 1 < len(plan.calls):
        f = _pair(plan, k, readers)
        if f is not None:
            found.append(f)
            k += 2
        else:
            k += 1
    return tuple(found)


def fused_add_of(fusions: tuple[ResidualFusion, ...], call: int) -> ResidualFusion | None:
    return next((f for f in fusions if f.add == call), None)


def fused_conv_of(fusions: tuple[ResidualFusion, ...], call: int) -> ResidualFusion | None:
    return next((f for f in fusions if f.conv == call), None)

