"""pycmsisnn: int8 TFLite models on CMSIS-NN kernels, exact against TensorFlow Lite Micro."""
from __future__ import annotations

__version__ = "0.1.0"
