"""The DSP and MVE code paths of the int16 (16x8) convolution, depthwise and
fully-connected kernels, on the cores that compile them: one hand-written
kernel call per case (tests/support/s16_layers.py: random full-range int16
input and int8 weights, int64 bias, per-channel requantisation), built with
our library for Cortex-M4 and M33 (DSP) and M55 (MVE), run under QEMU and
compared exactly with the host build of the same kernels (the portable C,
exact against TensorFlow Lite Micro in tests/kernels/test_convolution_s16.py
and test_s16.py).

The shapes hit every block and tail of those paths:
- convolution: patches of 27, 36, 40, 19 and 540 entries (DSP word tails
  3, 0, 0 and 3; MVE vector tails 3, 4, 0, 3; 540 > 504: chunked sums), odd
  and even output-channel counts (DSP channel-pair tail), pixel counts 35,
  18, 9 and 5 (DSP pair tail, MVE 4-column tails 3, 2, 1), padding on every
  side (im2col zero fill, whole and partial rows), dilation, stride 2,
  batch 2 (blocks crossing images), an int32 bias, a clamp narrower than
  int16, and left shifts (positive requantisation shifts);
- depthwise (channel multiplier 1: the fast kernel): 11, 16, 9, 5 and 2
  channels (DSP 4-channel blocks and 1-3 leftovers, MVE 8-channel blocks and
  the predicated tail), windows clipped on both sides and a kernel larger
  than the image, stride 2, batch 2; 529 taps (beyond the 32-bit sums: the
  direct core), dilation and channel multiplier 2 (the generic kernel);
- fully connected: depths 37, 600, 8 and 3 (DSP word tails, MVE predicated
  tails, chunked sums), 11 and 5 outputs (4-channel blocks and leftovers),
  3 batches, and a positive shift (the general requantisation).
The quick requantisation (shifts in [-32, -2], biases that keep the sums in
int32: one high-word multiply and a rounding shift) takes most cases; the
"small-scale" ones (shifts below -17: SMMUL and a separate rounding shift on
DSP cores) too; the "big-bias" ones (biases up to 2^32: conv and depthwise
fall back for the whole layer, FC output by output) and the left shifts do
not.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import targets
from pycmsisnn.library_files import CSRC

from ..support.s16_layers import NAME, Layer, host_output, layer_data, write_project

CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]

CASES = [
    Layer("conv-3x3-same-c3-f5-px35-relu", "conv", (5, 7, 3), 5, (3, 3), pad=(1, 1), act=(0, 32767)),
    Layer("conv-1x1-c19-f7-batch2", "conv", (3, 3, 19), 7, batches=2),
    Layer("conv-10x4-s2-c1-f6", "conv", (9, 6, 1), 6, (10, 4), (2, 2), (4, 1)),
    Layer("conv-3x3-dilated-c4-f3", "conv", (7, 6, 4), 3, (3, 3), pad=(2, 2), dilation=(2, 2)),
    Layer("conv-3x3-c60-f3-chunked", "conv", (4, 4, 60), 3, (3, 3), pad=(1, 1)),
    Layer("conv-2x2-s2-c6-f2-clamp", "conv", (6, 6, 6), 2, (2, 2), (2, 2), act=(-3000, 4000)),
    Layer("conv-3x3-c5-f4-int32-bias", "conv", (4, 5, 5), 4, (3, 3), pad=(1, 1), bias32=True),
    Layer("conv-1x3-c4-f3-left-shift", "conv", (1, 5, 4), 3, (1, 3), pad=(0, 1), shift_offset=16, x_range=2),
    Layer("conv-3x3-c8-f5-px25-small-scale", "conv", (5, 5, 8), 5, (3, 3), pad=(1, 1), shift_offset=-8),
    Layer("conv-1x1-c12-f4-big-bias", "conv", (3, 4, 12), 4, shift_offset=-8, bias_range=1 << 32),
    Layer("dw-3x3-c11-pad", "dw", (5, 6, 11), 11, (3, 3), pad=(1, 1)),
    Layer("dw-3x3-s2-c16-batch2", "dw", (7, 7, 16), 16, (3, 3), (2, 2), (1, 1), batches=2),
    Layer("dw-5x5-c9-kernel-over-image", "dw", (4, 4, 9), 9, (5, 5), pad=(2, 2), act=(-2000, 3000)),
    Layer("dw-2x3-c5-s1x2", "dw", (5, 7, 5), 5, (2, 3), (1, 2), (0, 1)),
    Layer("dw-23x23-c2-long", "dw", (23, 23, 2), 2, (23, 23)),
    Layer("dw-3x3-dilated-c5", "dw", (7, 7, 5), 5, (3, 3), pad=(2, 2), dilation=(2, 2)),
    Layer("dw-3x3-mult2-c3", "dw", (5, 5, 3), 6, (3, 3), pad=(1, 1)),
    Layer("dw-3x3-c13-small-scale", "dw", (5, 5, 13), 13, (3, 3), pad=(1, 1), shift_offset=-8),
    Layer("dw-3x3-c7-big-bias", "dw", (4, 5, 7), 7, (3, 3), pad=(1, 1), shift_offset=-8, bias_range=1 << 32),
    Layer("dw-3x3-c10-left-shift", "dw", (4, 4, 10), 10, (3, 3), pad=(1, 1), shift_offset=16, x_range=2),
    Layer("fc-d37-u11-b3", "fc", (3, 1, 37), 11),
    Layer("fc-d600-u5-chunked", "fc", (1, 1, 600), 5),
    Layer("fc-d8-u4-shift-positive", "fc", (2, 1, 8), 4, shift_offset=14, x_range=4, act=(-20000, 20000)),
    Layer("fc-d3-u4", "fc", (1, 1, 3), 4),
    Layer("fc-d37-u10-big-bias", "fc", (2, 1, 37), 10, shift_offset=-8, bias_range=1 << 32),
]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("layer", CASES, ids=[c.name for c in CASES])
def test_s16_path_matches_host(layer: Layer, core: str) -> None:
    data = layer_data(layer, seed=len(layer.name))
    expected = host_output(layer, data)
    # the outputs spread over the clamp range: a wrong path cannot pass by saturating
    assert len(np.unique(expected)) > min(expected.size // 2, 8), f"{layer.name}: degenerate outputs"
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-s16paths-") as tmp:
        write_project(layer, data, Path(tmp))
        result = targets.run_project(Path(tmp), NAME, core, [data.x], cmsis_nn=CSRC, count_instructions=False)
    result.check()
    got = np.asarray(result.outputs[0]).reshape(expected.shape)
    diff = np.flatnonzero(got.reshape(-1) != expected.reshape(-1))
    assert diff.size == 0, f"{layer.name} on {core}: {diff.size} of {expected.size} differ, first {diff[:8].tolist()}"
