"""The reader on random byte edits and truncations of a valid model returns a
Graph or raises ``ModelError`` (a ``ValueError``), never anything else."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pycmsisnn.ir import Graph
from pycmsisnn.tflite import ModelError, read_model

from .bases import bundled
from .bytewise import structure_ranges

MODEL = bundled()
# Offsets in the flatbuffer's structure (outside the weights) are drawn as often as any offset.
STRUCTURE = [k for start, end in structure_ranges(MODEL) for k in range(start, end)]
offsets = st.one_of(st.integers(0, len(MODEL) - 1), st.sampled_from(STRUCTURE))
edits = st.lists(st.tuples(offsets, st.integers(0, 255)), min_size=1, max_size=8)


def _read(data: bytes, strict: bool) -> None:
    try:
        graph = read_model(data, strict=strict)
    except ModelError as exc:
        assert isinstance(exc, ValueError) and str(exc)
        return
    assert isinstance(graph, Graph)


@settings(max_examples=200, deadline=timedelta(seconds=2), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=edits, cut=st.one_of(st.none(), st.integers(0, len(MODEL))), strict=st.booleans())
def test_reader_returns_a_graph_or_raises_model_error(edits: list[tuple[int, int]], cut: int | None, strict: bool) -> None:
    data = bytearray(MODEL)
    for at, value in edits:
        data[at] = value
    _read(bytes(data[:cut] if cut is not None else data), strict)
