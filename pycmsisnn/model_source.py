"""Where the command line gets a model from: a .tflite path, or ``default``
for the model bundled with the package. Shared by ``pycmsisnn.cli`` and its
``qmn`` subcommand (``pycmsisnn.qmn.cli``)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_MODEL = "default"
MODEL_HELP = "a .tflite file, or 'default' for the bundled model"


def model_bytes(name: str) -> bytes:
    """The model file's bytes; ``default`` is the bundled default model."""
    if name == DEFAULT_MODEL:
        return resources.files("pycmsisnn").joinpath("data", "default_model.tflite").read_bytes()
    path = Path(name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such model file")
    return path.read_bytes()
