"""pycmsisnn: int8 TFLite models on CMSIS-NN kernels, exact against TensorFlow Lite Micro.

The entry points, imported on first use:

- ``load(path_or_bytes) -> Model``: read and lower a model; ``Model.run(inputs)`` on the host.
- ``verify_host(model, samples, seed)`` / ``verify_target(model, "cortex-m4", ...)``:
  compare with TensorFlow Lite Micro (and the generated C under QEMU).
- ``convert(model, out_dir, target="cortex-m4", name="model")``: a standalone C project.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": ("runtime", "load"),
    "Model": ("runtime", "Model"),
    "verify_host": ("verify", "verify_host"),
    "verify_target": ("verify", "verify_target"),
    "convert": ("codegen", "convert"),
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        module, attr = _EXPORTS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_EXPORTS)
