"""Layers computed a band of output rows at a time, to keep activations out
of the arena: residual ADDs fused into their convolution, and convolutions
written over their own input.

Residual ADDs fused into the convolution that produces one of their inputs.

In a residual block ``z = x + conv(y)`` three activations are alive while
the convolution runs: ``x``, the convolution's input ``y`` and its output,
the last two of ``x``'s size. Fused, generated code computes the convolution one band
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
add's.

Convolutions over their own input (``InPlaceBand``). A stride-1 convolution
or depthwise convolution whose output has its input's shape, and whose input
dies with it, writes its output over its input, in chunks of ``band_rows``
output rows (at least ``pad_top``) computed alternately into two chunk
buffers: once chunk j is computed, chunk j - 1 is copied over its input rows,
which nothing reads any more (output row r reads input rows from r - pad_top
on, whatever the filter's height and dilation, and chunk j + 1 starts at
(j + 1) * band_rows - pad_top >= j * band_rows). Without top padding each
chunk is copied at once, through one buffer. The last chunk is copied at the
end. Each chunk is one kernel call, whose per-call work (kernel sums,
set-up) is what this costs; chunks take up to half the tensor's size, or
the fewest rows where the core's RAM cannot hold that. The planner keeps a
band only where the layer's live bytes without it exceed the arena with all
of them: where it lowers the peak (``PYCMSISNN_IN_PLACE=all`` keeps every
one, for tests). Depthwise-separable networks (KWS) then hold one activation
and a few rows instead of two activations.

Patch chains (``pycmsisnn.patches``) go one step further where the plan
still does not fit (the core's RAM, or the caller's ``arena_limit``): the
network's first convolutions run together in bands of output rows of the
last one, each band recomputing the input rows it shares with the next, so
that their intermediate activations only ever exist a band at a time. The
planner keeps a chain only where it lowers the arena; the layers of a chain
are neither fused nor written in place.

The host runtime runs every layer whole. ``PYCMSISNN_NO_FUSION=1`` (or
``plan_arena(..., fuse=False)``) switches all three off;
``PYCMSISNN_NO_PATCHES=1`` (``plan_arena(..., patches=False)``) the patch
chains alone.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .lower import Plan, TensorArg

NO_FUSION_ENV = "PYCMSISNN_NO_FUSION"
# "all": every possible in-place band, whether or not it lowers the arena (tests, debugging).
IN_PLACE_ENV = "PYCMSISNN_IN_PLACE"
# Output rows per band: one row keeps the band buffer smallest; each band
# costs one more call of the two kernels (a few hundred instructions).
BAND_ROWS = 1


@dataclass(frozen=True)
class RowWindow:
    """The input rows that output rows of a convolution or depthwise
    convolution read: the one formula of every band, evaluated by the planner
    (``rows``: patch chains) and written into generated C (``c_lines``: the
    fused and in-place band loops), so that no kernel reads or computes past
    a band (Arm's 1x1 kernels take their pixel count from the input's
    dimensions)."""

    in_h: int
    stride: int
    pad_top: int
    reach: int  # input rows under the dilated filter: (filter_h - 1) * dilation + 1

    @classmethod
    def of(cls, in_h: int, stride: int, pad_top: int, filter_h: int, dilation: int) -> RowWindow:
        return cls(in_h, stride, pad_top, (filter_h - 1) * dilation + 1)

    def rows(self, first: int, end: int) -> tuple[int, int, int]:
        """(first input row, input rows, top padding left above them) read by
        output rows ``first`` .. ``end - 1``: from the first output row's top
        to the last one's top plus the filter's reach, within the input."""
        top = first * self.stride - self.pad_top
        bottom = (end - 1) * self.stride - self.pad_top + self.reach
        lo, hi = max(top, 0), min(bottom, self.in_h)
        return lo, hi - lo, lo - top

    def c_lines(self, rows: str) -> list[str]:
        """``rows`` in C, for the ``rows`` (a C expression) output rows from
        the C variable ``row``: ``first`` is the first input row, and
        ``band_params.padding.h`` and ``input_dims.h`` are set to the top
        padding and the input rows."""
        return [
            f"    const int32_t top = row * {self.stride} - {self.pad_top};",
            "    const int32_t first = top < 0 ? 0 : top;",
            f"    const int32_t end = ({rows} - 1 + row) * {self.stride} - {self.pad_top} + {self.reach};",
            "    band_params.padding.h = first - top;",
            f"    input_dims.h = (end < {self.in_h} ? end : {self.in_h}) - first;",
        ]


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


@dataclass(frozen=True)
class InPlaceBand:
    """Call ``call`` writes its output ``output`` over its input ``input`` through a ring of output rows."""

    call: int
    input: int
    output: int
    pad_top: int
    row_bytes: int
    band_rows: int  # output rows per kernel call (>= pad_top)

    @property
    def ring_rows(self) -> int:
        """Rows of the chunk buffers: one chunk without top padding, two with."""
        return self.band_rows * (2 if self.pad_top else 1)

    @property
    def ring_bytes(self) -> int:
        return self.ring_rows * self.row_bytes


IN_PLACE_BAND_KERNELS = {"arm_convolve_wrapper_s8": "conv_params", "arm_depthwise_conv_wrapper_s8": "dw_conv_params"}


def every_band_wanted() -> bool:
    return os.environ.get(IN_PLACE_ENV, "") == "all"


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



def _in_place(plan: Plan, k: int, readers: dict[int, list[int]], small: bool) -> InPlaceBand | None:
    call, graph = plan.calls[k], plan.graph
    params_name = IN_PLACE_BAND_KERNELS.get(call.kernel)
    x = _tensor_arg(call.args.get("input"))
    if params_name is None or x is None or len(call.outputs) != 1:
        return None
    y = call.outputs[0]
    xt, yt = graph.tensor(x), graph.tensor(y)
    p = call.args[params_name]
    if len(xt.shape) != 4 or tuple(xt.shape) != tuple(yt.shape) or xt.shape[0] != 1 or xt.is_constant:
        return None
    if (p.stride.h, p.stride.w) != (1, 1) or p.padding.h < 0 or x in graph.inputs or x in graph.outputs or readers.get(x) != [k]:
        return None
    pad_top, rows, row_bytes = int(p.padding.h), int(xt.shape[1]), int(xt.shape[2] * xt.shape[3])
    per_chunk = 2 if pad_top else 1
    band_rows = min(rows, max(1, pad_top, 1 if small else (rows // 2) // per_chunk))
    return InPlaceBand(k, x, y, pad_top, row_bytes, band_rows)


def in_place_bands(plan: Plan, fusions: tuple[ResidualFusion, ...], small: bool = False) -> tuple[InPlaceBand, ...]:
    """Every convolution of ``plan`` (not already fused with an ADD) that can
    write over its input, in chunks of up to half its rows (``small``: the
    fewest rows, for RAM that cannot hold more)."""
    taken = {f.conv for f in fusions}
    readers = _readers(plan)
    found = (_in_place(plan, k, readers, small) for k in range(len(plan.calls)) if k not in taken)
    return tuple(b for b in found if b is not None)


def in_place_band_of(bands: tuple[InPlaceBand, ...], call: int) -> InPlaceBand | None:
    return next((b for b in bands if b.call == call), None)
