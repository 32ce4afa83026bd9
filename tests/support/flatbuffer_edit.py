"""Rewrite a converted model through the TFLite schema's object API, to make
models the converter will not produce (legacy uint8, two subgraphs, dynamic
shapes, int16 outputs, ...)."""
from __future__ import annotations

from typing import Any, Callable

import flatbuffers

from .model_view import schema


def edit_model(model_bytes: bytes, edit: Callable[[Any], None]) -> bytes:
    """``edit(model)`` mutates the schema's ModelT in place; returns the repacked bytes."""
    s = schema()
    model = s.ModelT.InitFromPackedBuf(model_bytes, 0)
    edit(model)
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
