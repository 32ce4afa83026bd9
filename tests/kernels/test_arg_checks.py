"""Arguments are judged before anything is copied or computed.

A huge array (2^31 elements and more, made with ``as_strided`` over a few
bytes, so nothing is allocated) that a wrapper must refuse is refused from
its metadata, at once and without copying it: before, non-contiguous arrays
were copied (gigabytes) before the size checks. And every scalar argument of
every wrapper, when of the wrong type, gives an ``ArgError`` naming the
kernel, the argument and the reason, never a TypeError from deeper down.
"""
from __future__ import annotations

import importlib
import inspect
import time
import tracemalloc
from typing import Any, Callable

import numpy as np
import pytest

from pycmsisnn.errors import ArgError
from pycmsisnn.kernels import FAMILIES, activation, elementwise, fully_connected, legacy_q7, softmax
from pycmsisnn.params import Activation, BmmParams, FcParams, PerTensorQuant, SoftmaxParams
from pycmsisnn.quant import add_params

BIG = 2**31
QUICK_S = 0.5
LITTLE_MEMORY = 1 << 20  # bytes a refusal may allocate


def huge(shape: tuple[int, ...]) -> np.ndarray:
    """An int8 array of ``shape`` (gigabytes) over 64 bytes: every stride 0, so not contiguous."""
    base = np.arange(64, dtype=np.int8)
    arr = np.lib.stride_tricks.as_strided(base, shape=shape, strides=(0,) * len(shape), writeable=False)
    assert not arr.flags.c_contiguous and arr.size > 2**30
    return arr


def _fc_too_big_then_bad_bias() -> Any:
    # every size matches up to the bias, which has the wrong length: the
    # 2^31-byte matrix must not be copied before the bias is looked at
    n, rows = 32768, 65535
    return legacy_q7.arm_fully_connected_q7(np.zeros(n, np.int8), huge((rows * n,)), n, rows, 0, 7, np.zeros(3, np.int8))


def _bmm_transposed_then_bad_depth() -> Any:
    # lhs transposed (adj_x) would be copied; its depth 2048 does not match rhs's 8
    p = BmmParams(adj_x=True, adj_y=True, fc_params=FcParams(0, 0, 0, Activation(-128, 127)))
    return fully_connected.arm_batch_matmul_s8(p, PerTensorQuant(1 << 30, -1), huge((1024, 2048, 1024)), np.zeros((1, 4, 8), np.int8))


REFUSALS: dict[str, tuple[Callable[[], Any], str]] = {
    "add": (lambda: elementwise.arm_elementwise_add_s8(huge((BIG,)), huge((BIG,)), add_params(0.1, 0, 0.1, 0, 0.2, 0)),
            "arm_elementwise_add_s8: input_1: 2147483648 elements do not fit the int32 block_size"),
    "relu_q7": (lambda: activation.arm_relu_q7(huge((BIG,))),
                "arm_relu_q7: data: 2147483648 elements do not fit the uint16_t size"),
    "softmax_bad_params": (lambda: softmax.arm_softmax_s8(huge((BIG - 1,)), SoftmaxParams(0, 0, 0)),
                           "arm_softmax_s8: params.mult: 0 is outside"),
    "softmax_q7": (lambda: legacy_q7.arm_softmax_q7(huge((BIG,))),
                   "arm_softmax_q7: vec_in: 2147483648 elements do not fit the uint16_t dim_vec"),
    "fc_q7_bias": (_fc_too_big_then_bad_bias, "arm_fully_connected_q7: bias: has 3 elements"),
    "bmm_depth": (_bmm_transposed_then_bad_depth, "arm_batch_matmul_s8: rhs: accumulation depth 8"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_huge_strided_array_is_refused_quickly_without_a_copy(case: str) -> None:
    call, message = REFUSALS[case]
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(ArgError) as info:
            call()
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(info.value).startswith(message), str(info.value)
    assert peak < LITTLE_MEMORY, f"{case}: {peak} bytes allocated before the refusal"
    assert elapsed < QUICK_S, f"{case}: refused after {elapsed:.2f} s"


def test_a_strided_array_is_copied_once_checked_and_computed_right() -> None:
    """The copy still happens when the call is valid: a non-contiguous input gives
    what its contiguous copy gives."""
    x = np.arange(-60, 60, dtype=np.int8).reshape(8, 15)[:, ::2]
    assert not x.flags.c_contiguous
    np.testing.assert_array_equal(activation.arm_relu_q7(x), np.maximum(x, 0))
    p = add_params(0.1, 0, 0.1, 0, 0.2, 0)
    np.testing.assert_array_equal(elementwise.arm_elementwise_add_s8(x, x.T.copy().T, p),
                                  elementwise.arm_elementwise_add_s8(x.copy(), x.copy(), p))


def test_conv_q7_buffer_size_checks_its_arguments() -> None:
    assert legacy_q7.conv_q7_buffer_size(4, 3) == 2 * 4 * 3 * 3
    with pytest.raises(ArgError, match=r"^conv_q7_buffer_size: ch_im_in: must be an integer, got NoneType$"):
        legacy_q7.conv_q7_buffer_size(ch_im_in=None, dim_kernel=3)  # type: ignore[arg-type]
    with pytest.raises(ArgError, match=r"^conv_q7_buffer_size: dim_kernel: 0 is outside \[1, 65535\]$"):
        legacy_q7.conv_q7_buffer_size(4, 0)


_IMG = np.arange(8 * 8 * 4, dtype=np.int64).astype(np.int8).reshape(8, 8, 4)
# A valid call of each legacy q7 wrapper: each scalar in turn is then made wrong.
LEGACY_CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "arm_convolve_HWC_q7_basic": (legacy_q7.arm_convolve_HWC_q7_basic, dict(
        Im_in=_IMG, dim_im_in=8, ch_im_in=4, wt=np.ones((2, 3, 3, 4), np.int8), ch_im_out=2, dim_kernel=3, padding=1,
        stride=1, bias=np.ones(2, np.int8), bias_shift=0, out_shift=7, dim_im_out=8)),
    "arm_depthwise_separable_conv_HWC_q7": (legacy_q7.arm_depthwise_separable_conv_HWC_q7, dict(
        Im_in=_IMG, dim_im_in=8, ch_im_in=4, wt=np.ones((3, 3, 4), np.int8), ch_im_out=4, dim_kernel=3, padding=1,
        stride=1, bias=np.ones(4, np.int8), bias_shift=0, out_shift=7, dim_im_out=8)),
    "arm_fully_connected_q7": (legacy_q7.arm_fully_connected_q7, dict(
        pV=np.ones(8, np.int8), pM=np.ones((3, 8), np.int8), dim_vec=8, num_of_rows=3, bias_shift=0, out_shift=7,
        bias=np.ones(3, np.int8))),
    "arm_maxpool_q7_HWC": (legacy_q7.arm_maxpool_q7_HWC, dict(
        Im_in=_IMG, dim_im_in=8, ch_im_in=4, dim_kernel=2, padding=0, stride=2, dim_im_out=4)),
    "arm_avepool_q7_HWC": (legacy_q7.arm_avepool_q7_HWC, dict(
        Im_in=_IMG, dim_im_in=8, ch_im_in=4, dim_kernel=2, padding=0, stride=2, dim_im_out=4)),
    "arm_softmax_q7": (legacy_q7.arm_softmax_q7, dict(vec_in=np.arange(10, dtype=np.int8), dim_vec=10)),
    "conv_q7_buffer_size": (legacy_q7.conv_q7_buffer_size, dict(ch_im_in=4, dim_kernel=3)),
}


@pytest.mark.parametrize("kernel", list(LEGACY_CALLS))
def test_each_legacy_scalar_argument_is_checked(kernel: str) -> None:
    fn, args = LEGACY_CALLS[kernel]
    fn(**args)  # the valid call
    scalars = [name for name, v in args.items() if isinstance(v, int)]
    assert scalars
    optional = {p.name for p in inspect.signature(fn).parameters.values() if p.default is None}
    for name in scalars:
        for bad, reason in ((None, "must be an integer, got NoneType"), ("3", "must be an integer, got str"),
                            (1.5, "must be an integer, got float"), (2**40, "is outside")):
            if bad is None and name in optional:
                continue  # None means the default there (arm_softmax_q7's dim_vec: the vector's size)
            with pytest.raises(ArgError) as info:
                fn(**{**args, name: bad})
            assert str(info.value).startswith(f"{kernel}: {name}: ") and reason in str(info.value), str(info.value)


def _public_functions() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for family in FAMILIES:
        module = importlib.import_module(f"pycmsisnn.kernels.{family}")
        for name, fn in vars(module).items():
            # broadcast_shape is a helper that reports under its caller's kernel name
            if (inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_")
                    and name != "broadcast_shape"):
                found.append((name, fn))
    return found


PUBLIC = _public_functions()


@pytest.mark.parametrize("name,fn", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_wrapper_refuses_wrong_types_with_an_arg_error(name: str, fn: Callable[..., Any]) -> None:
    """Called with a wrong-typed value for every argument, a wrapper answers
    with an ArgError (a ValueError) naming itself and the first argument it
    checks, never a TypeError or AttributeError."""
    params = [p.name for p in inspect.signature(fn).parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
    for bad in (None, "x", 1.5, object()):
        with pytest.raises(ArgError) as info:
            fn(*[bad] * len(params))
        kernel, argument, reason = (str(info.value).split(": ", 2) + ["", ""])[:3]
        assert kernel == name, str(info.value)
        assert argument.split("[")[0].split(".")[0].split(" ")[0] in params, str(info.value)
        assert reason, str(info.value)
