"""The models the fuzzer mutates: the bundled default model and small
networks built by the suite (TensorFlow's converter, cached under
``PYCMSISNN_MODEL_CACHE``), so that nothing outside the checkout is needed."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

# How often each base is drawn: the small models most (their files are cheap
# to run and almost all structure), the 277 kB autoencoder least.
WEIGHTS = {"default": 4, "kws01": 3, "ad01": 1, "generated-v1-0": 2, "generated-v2-100": 2, "generated-v2-101": 2}


def bundled() -> bytes:
    return resources.files("pycmsisnn").joinpath("data", "default_model.tflite").read_bytes()


@lru_cache(maxsize=1)
def base_models() -> dict[str, bytes]:
    """Every base model by name (builds or loads the suite's networks: imports TensorFlow)."""
    from ..codegen.test_models import BLOCKS, BLOCKS_V2, generated_model
    from ..support import mlperf_tiny

    return {
        "default": bundled(),
        "kws01": mlperf_tiny.built("kws01"),
        "ad01": mlperf_tiny.built("ad01"),
        "generated-v1-0": generated_model("generated-network-v1", BLOCKS, 0),
        "generated-v2-100": generated_model("generated-network-v2", BLOCKS_V2, 100),
        "generated-v2-101": generated_model("generated-network-v2", BLOCKS_V2, 101),
    }
