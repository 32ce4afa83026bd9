"""One Python function per CMSIS-NN function, numpy arrays in and out.

Each wrapper validates every argument before any C runs (``ArgError``, a
``ValueError``, naming the kernel, the argument and the reason), sizes and
allocates scratch with the kernel's own buffer-size function, and turns a
non-success status into an exception. Family modules:
``convolution``, ``convolution_s16`` (int16 16x8 conv and depthwise), ``conv_fc_s16``
(our int16 transpose conv and per-channel fully connected), ``depthwise``,
``transpose_conv``, ``fully_connected``, ``pooling``, ``softmax``, ``elementwise``,
``activation``, ``data_movement``, ``s16`` (the int16 16x8 kernels other than
convolution), ``s4`` (int4 weights packed two per byte, with ``pack_int4``), ``s16_ops``
(our int16 kernels of operators CMSIS-NN lacks), ``data_ops`` (our data-movement
kernels: resizes, split, gather, space/depth/batch rearrangements), ``cast_logic``
(CAST, REVERSE_V2, run-time FILL, DYNAMIC_UPDATE_SLICE, logical operators, REDUCE_ALL).
``lookup(name)`` finds a wrapper by its C function name; ``library_name()``
says which kernel library the extension was built with.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

FAMILIES = (
    "convolution",
    "convolution_s16",
    "conv_fc_s16",
    "depthwise",
    "transpose_conv",
    "fully_connected",
    "pooling",
    "softmax",
    "elementwise",
    "activation",
    "data_movement",
    "tensor_ops",
    "reduce_ops",
    "activations_extra",
    "legacy_q7",
    "s16",
    "s4",
    "s16_ops",
    "math_ops",
    "svdf",
    "lstm",
    "data_ops",
    "cast_logic",
)


def lookup(name: str) -> Callable[..., Any]:
    """The wrapper of the kernel called ``name`` (e.g. "arm_convolve_wrapper_s8")."""
    for family in FAMILIES:
        module = importlib.import_module(f"{__name__}.{family}")
        fn = getattr(module, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    raise KeyError(f"no kernel wrapper named {name}")


def library_name() -> str:
    """The kernel library compiled into the extension: "ours" (pycmsisnn/csrc)
    or "arm" (Arm's CMSIS-NN, built with ``CMSIS_NN_ROOT`` or third_party/CMSIS-NN)."""
    from .._lib import lib

    return "arm" if lib.PYCMSISNN_OFFICIAL_LIBRARY else "ours"
