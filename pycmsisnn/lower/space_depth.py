"""DEPTH_TO_SPACE, SPACE_TO_DEPTH, BATCH_TO_SPACE_ND and SPACE_TO_BATCH_ND
(int8: TensorFlow Lite Micro runs none of them in int16) to
``pycmsisnn_depth_to_space_s8``, ``pycmsisnn_space_to_depth_s8``,
``pycmsisnn_batch_to_space_s8`` and ``pycmsisnn_space_to_batch_s8``.

The block operators take NHWC tensors; BATCH_TO_SPACE_ND and
SPACE_TO_BATCH_ND also take rank 3 (one spatial axis), seen as
``[N][S][1][C]`` with a block of width 1. Block shapes, crops and paddings
must be constant. SPACE_TO_BATCH_ND with padding is refused: TensorFlow
Lite Micro leaves the padded elements undefined (the same model on the same
input gives different values from run to run), so no result can match it;
the kernel itself pads with ``pad_value``.
"""
from __future__ import annotations

from ..ir import Graph, Operator, Tensor
from ..operator_options import BlockOptions, options_as
from .common import output, tensor
from .moves import S8, constant_ints, copy_reason
from .plan import KernelCall, TensorArg
from .registry import rule


def _check_block(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8, (4, 4))
    if reason:
        return reason
    b = options_as(op.options, BlockOptions).block_size
    if b < 1:
        return f"block_size {b} must be at least 1"
    n, h, w, c = x.shape
    if op.opcode == "DEPTH_TO_SPACE":
        if c % (b * b):
            return f"block_size {b}: {b * b} does not divide the input's {c} channels"
        expected = (n, h * b, w * b, c // (b * b))
    else:
        if h % b or w % b:
            return f"block_size {b} does not divide the input's height {h} and width {w}"
        expected = (n, h // b, w // b, c * b * b)
    if tuple(y.shape) != expected:
        return f"output shape {list(y.shape)} is not the expected {list(expected)}"
    return None


@rule("DEPTH_TO_SPACE", "SPACE_TO_DEPTH", check=_check_block)
def lower_depth_space(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    kernel = "pycmsisnn_depth_to_space_s8" if op.opcode == "DEPTH_TO_SPACE" else "pycmsisnn_space_to_depth_s8"
    return KernelCall(op=op, kernel=kernel, args={"input": TensorArg(x.index), "block_size": options_as(op.options, BlockOptions).block_size},
                      outputs=(y.index,))


# ------------------------------------------------------- batch <-> space


def _view(t: Tensor) -> tuple[int, int, int, int]:
    return tuple(t.shape) if len(t.shape) == 4 else (t.shape[0], t.shape[1], 1, t.shape[2])  # type: ignore[return-value]


def _space_batch(graph: Graph, op: Operator) -> tuple[tuple[int, int], tuple[tuple[int, int], tuple[int, int]], str | None]:
    """(block, crops or paddings) as 2-D values, or the reason they cannot be read."""
    x = tensor(graph, op, 0, "input")
    spatial = len(x.shape) - 2
    role = "crops" if op.opcode == "BATCH_TO_SPACE_ND" else "paddings"
    block, reason = constant_ints(graph, op, 1, "block_shape")
    if reason:
        return (1, 1), ((0, 0), (0, 0)), reason
    margins, reason = constant_ints(graph, op, 2, role)
    if reason:
        return (1, 1), ((0, 0), (0, 0)), reason
    assert block is not None and margins is not None
    if block.size != spatial or margins.size != 2 * spatial:
        return (1, 1), ((0, 0), (0, 0)), f"block_shape and {role} need {spatial} and {2 * spatial} values for a rank {len(x.shape)} input"
    b = block.reshape(-1).tolist() + [1] * (2 - spatial)
    m = margins.reshape(-1, 2).tolist() + [[0, 0]] * (2 - spatial)
    if min(b) < 1 or min(min(p) for p in m) < 0:
        return (1, 1), ((0, 0), (0, 0)), f"block_shape {block.reshape(-1).tolist()} must be positive and {role} {margins.tolist()} not negative"
    return (b[0], b[1]), ((m[0][0], m[0][1]), (m[1][0], m[1][1])), None


def _check_space_batch(graph: Graph, op: Operator) -> str | None:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    reason = copy_reason(x, [y], S8, (3, 4))
    if reason:
        return reason
    (bh, bw), ((t, b), (l, r)), reason = _space_batch(graph, op)
    if reason:
        return reason
    n, h, w, c = _view(x)
    if op.opcode == "BATCH_TO_SPACE_ND":
        if n % (bh * bw):
            return f"block {bh} x {bw} does not divide the input's batch {n}"
        expected = (n // (bh * bw), h * bh - t - b, w * bw - l - r, c)
        if expected[1] < 1 or expected[2] < 1:
            return f"crops {[[t, b], [l, r]]} leave nothing of {h * bh} x {w * bw}"
    else:
        if t or b or l or r:
            return (f"paddings {[[t, b], [l, r]][:len(x.shape) - 2]} are not supported: TensorFlow Lite Micro leaves "
                    "the padded elements undefined (they change from run to run)")
        if (h + t + b) % bh or (w + l + r) % bw:
            return f"padded extents {h + t + b} x {w + l + r} are not divisible by the block {bh} x {bw}"
        expected = (n * bh * bw, (h + t + b) // bh, (w + l + r) // bw, c)
    if _view(y) != expected or len(y.shape) != len(x.shape):
        return f"output shape {list(y.shape)} is not the expected {list(expected)}"
    return None


@rule("BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", check=_check_space_batch)
def lower_space_batch(graph: Graph, op: Operator) -> KernelCall:
    x, y = tensor(graph, op, 0, "input"), output(graph, op)
    block, margins, _ = _space_batch(graph, op)
    view = _view(x) if len(x.shape) == 3 else None
    if op.opcode == "BATCH_TO_SPACE_ND":
        args = {"input": TensorArg(x.index, view), "block": block, "crops": margins}
        kernel = "pycmsisnn_batch_to_space_s8"
    else:
        args = {"input": TensorArg(x.index, view), "block": block, "paddings": margins, "pad_value": 0}
        kernel = "pycmsisnn_space_to_batch_s8"
    return KernelCall(op=op, kernel=kernel, args=args, outputs=(y.index,))
