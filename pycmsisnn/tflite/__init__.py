"""Reading .tflite flatbuffers into ``pycmsisnn.ir.Graph`` (see ``reader``)."""
from .reader import ModelError, read_model

__all__ = ["ModelError", "read_model"]
