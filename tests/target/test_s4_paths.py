"""The DSP and MVE code paths of the int4-weight convolution, depthwise and
fully-connected kernels, on the cores that compile them: one hand-written
kernel call per case (tests/support/s4_layers.py: random full-range int8
input, int4 weights packed two per byte, random offsets, int32 bias,
per-channel requantisation), built with our library for Cortex-M4 and M33
(DSP) and M55 (MVE), run under QEMU with exactly the promised scratch
(guarded), and compared exactly with the host build of the same kernels (the
portable C, exact against TensorFlow Lite Micro in tests/kernels/test_s4.py).

The shapes hit every block and tail of those paths:
- convolution (Internal/arm_nn_s4_simd.h through arm_nn_conv_s4): rows of 64,
  21, 13, 40, 27, 36, 24, 54, 300 and 3 weights (DSP 8-entry groups with
  tails 0, 5, 5, 0, 3, 4, 0, 6, 4, 3; MVE 16-entry vectors with predicated
  tails 0, 5, 13, 8, 11, 4, 8, 6, 12, 3); odd row lengths (every other row
  starts mid-byte: the peeled first weight, DSP channel pairs c and c + 2
  and 1 to 3 lone channels); even and odd output-channel counts; pixel
  counts 15, 9, 12, 35, 10, 18, 8, 50 and 4 (DSP pair tail, MVE 4-pixel
  tails 1 to 3); columns read in place (1x1, interior 1xN pixels) and
  gathered (padding on every side, whole padded rows, dilation, several
  filter rows); stride 2; batch 2 (blocks crossing images); a clamp
  narrower than int8; left shifts (positive requantisation shifts);
- depthwise (arm_depthwise_conv_s4_opt: weights unpacked into the scratch,
  then the s8 blocks): 11, 16, 9, 7 and 5 channels (odd weight counts: the
  last byte's lone nibble), windows clipped on both sides and a kernel
  larger than the image, stride 2; and the generic kernel (ch_mult 2,
  dilation) through the wrapper;
- fully connected: depths 64, 37, 3, 50, 600 and 21 (odd: rows o and o + 2
  paired, the peel; 1 to 3 lone rows; even: MVE blocks of four rows with
  predicated tails of 2 and 8), 12, 11, 4, 6, 5 and 7 outputs, 2 and 3
  batches, a filter offset and a positive shift.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

from pycmsisnn import targets
from pycmsisnn.library_files import CSRC

from ..support.s4_layers import NAME, Layer, host_output, layer_data, write_project

CORES = ["cortex-m4", "cortex-m33", "cortex-m55"]

CASES = [
    Layer("conv-1x1-fast-c64-f12-px15", "arm_convolve_wrapper_s4", (3, 5, 64), 12),
    Layer("conv-1x1-fast-c21-f7-px9", "arm_convolve_1x1_s4_fast", (3, 3, 21), 7),
    Layer("conv-1x1-s2-c13-f6-batch2", "arm_convolve_wrapper_s4", (5, 6, 13), 6, stride=(2, 2), batches=2),
    Layer("conv-10x4-s2-c1-f9", "arm_convolve_wrapper_s4", (12, 7, 1), 9, (10, 4), (2, 2), (4, 1)),
    Layer("conv-3x3-same-c3-f5-px35-clamp", "arm_convolve_s4", (5, 7, 3), 5, (3, 3), pad=(1, 1), act=(-20, 90)),
    Layer("conv-3x3-dilated-c4-f3", "arm_convolve_wrapper_s4", (7, 6, 4), 3, (3, 3), pad=(2, 2), dilation=(2, 2)),
    Layer("conv-1x3-c8-f5-row", "arm_convolve_wrapper_s4", (1, 10, 8), 5, (1, 3), pad=(0, 1)),
    Layer("conv-3x3-even-c6-f4-batch2", "arm_convolve_even_s4", (4, 4, 6), 4, (3, 3), pad=(1, 1), batches=2),
    Layer("conv-1x1-c300-f5", "arm_convolve_1x1_s4_fast", (2, 2, 300), 5),
    Layer("conv-3x3-c3-f6-left-shift", "arm_convolve_wrapper_s4", (4, 4, 3), 6, (3, 3), pad=(1, 1), min_shift=1,
          x_range=2),
    Layer("conv-1x3-c1-f2-tiny", "arm_convolve_1_x_n_s4", (1, 6, 1), 2, (1, 3)),
    Layer("dw-3x3-c11-pad", "arm_depthwise_conv_wrapper_s4", (5, 6, 11), 11, (3, 3), pad=(1, 1)),
    Layer("dw-3x3-s2-c16", "arm_depthwise_conv_s4_opt", (7, 7, 16), 16, (3, 3), (2, 2), (1, 1)),
    Layer("dw-5x5-c9-kernel-over-image", "arm_depthwise_conv_wrapper_s4", (4, 4, 9), 9, (5, 5), pad=(2, 2),
          act=(-50, 60)),
    Layer("dw-3x3-c7-odd-weights", "arm_depthwise_conv_wrapper_s4", (5, 5, 7), 7, (3, 3), pad=(1, 1)),
    Layer("dw-2x3-c5-s1x2", "arm_depthwise_conv_wrapper_s4", (5, 7, 5), 5, (2, 3), (1, 2), (0, 1)),
    Layer("dw-3x3-mult2-c3", "arm_depthwise_conv_wrapper_s4", (5, 5, 3), 6, (3, 3), pad=(1, 1)),
    Layer("dw-3x3-dilated-c5", "arm_depthwise_conv_wrapper_s4", (7, 7, 5), 5, (3, 3), pad=(2, 2), dilation=(2, 2)),
    Layer("fc-d64-u12", "arm_fully_connected_s4", (1, 1, 64), 12),
    Layer("fc-d37-u11-b3", "arm_fully_connected_s4", (3, 1, 37), 11),
    Layer("fc-d3-u4", "arm_fully_connected_s4", (1, 1, 3), 4),
    Layer("fc-d50-u6-b2", "arm_fully_connected_s4", (2, 1, 50), 6),
    Layer("fc-d600-u5-filter-offset", "arm_fully_connected_s4", (1, 1, 600), 5, filter_offset=3),
    Layer("fc-d21-u7-left-shift", "arm_fully_connected_s4", (2, 1, 21), 7, min_shift=1, x_range=1,
          act=(-100, 100)),
]


@pytest.mark.parametrize("core", CORES)
@pytest.mark.parametrize("layer", CASES, ids=[c.name for c in CASES])
def test_s4_path_matches_host(layer: Layer, core: str) -> None:
    data = layer_data(layer, seed=len(layer.name))
    expected = host_output(layer, data)
    # the outputs spread over the clamp range: a wrong path cannot pass by saturating
    assert len(np.unique(expected)) > min(expected.size // 2, 8), f"{layer.name}: degenerate outputs"
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-s4paths-") as tmp:
        write_project(layer, data, Path(tmp))
        result = targets.run_project(Path(tmp), NAME, core, [data.x], cmsis_nn=CSRC, count_instructions=False)
    result.check()
    got = np.asarray(result.outputs[0]).reshape(expected.shape)
    diff = np.flatnonzero(got.reshape(-1) != expected.reshape(-1))
    assert diff.size == 0, f"{layer.name} on {core}: {diff.size} of {expected.size} differ, first {diff[:8].tolist()}"
