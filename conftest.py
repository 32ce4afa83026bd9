"""The suite is self-contained: the MLPerf Tiny networks it needs are built by
``tests.support.mlperf_tiny``. Real model files are an extra set, passed by
``--models-dir=DIR`` (with "=": pytest would take a bare path for a test path) or
``PYCMSISNN_MODELS=DIR`` (CI passes the MLPerf Tiny
reference files):

- a test taking the ``mlperf`` fixture runs on each built network and, with
  the extra set, on each real MLPerf Tiny file too (``@pytest.mark.mlperf(
  "kws01", ...)`` narrows the architectures);
- a test taking ``extra_model`` runs on every ``.tflite`` in the extra set,
  and is deselected without one.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import mlperf_tiny


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--models-dir",
        default=os.environ.get("PYCMSISNN_MODELS") or None,
        help="an extra set of real .tflite files (default: $PYCMSISNN_MODELS); "
        "the MLPerf Tiny reference files there are checked beside the suite's own networks",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mlperf(*archs): the MLPerf Tiny architectures a test takes (default: all)")


def models_dir(config: pytest.Config) -> Path | None:
    """The extra model set, checked to exist when given."""
    given = config.getoption("--models-dir")
    if not given:
        return None
    path = Path(given).resolve()
    if not path.is_dir():
        raise pytest.UsageError(f"--models-dir / PYCMSISNN_MODELS: {path} is not a directory")
    return path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    extra = models_dir(metafunc.config)
    if "mlperf" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("mlperf")
        archs = marker.args if marker else mlperf_tiny.ARCHITECTURES
        sources = ["built", "real"] if extra else ["built"]
        params = [(a, s) for a in archs for s in sources]
        metafunc.parametrize("mlperf", params, ids=[f"{a}-{s}" for a, s in params], indirect=True)
    if "extra_model" in metafunc.fixturenames:
        files = sorted(extra.glob("*.tflite")) if extra else []
        metafunc.parametrize("extra_model", files or [None], ids=[f.name for f in files] or ["none"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without an extra set, the tests over its files are deselected (not skipped)."""
    if models_dir(config) is not None:
        return
    keep, drop = [], []
    for item in items:
        (drop if "extra_model" in getattr(item, "fixturenames", ()) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def _extra_dir(request: pytest.FixtureRequest) -> Path | None:
    return models_dir(request.config)


@pytest.fixture
def mlperf(request: pytest.FixtureRequest, _extra_dir: Path | None) -> mlperf_tiny.MlperfModel:
    """One MLPerf Tiny network: the suite's own build, or the real file."""
    arch, source = request.param
    if source == "built":
        return mlperf_tiny.MlperfModel(arch, source, mlperf_tiny.built(arch))
    assert _extra_dir is not None
    return mlperf_tiny.MlperfModel(arch, source, mlperf_tiny.real(arch, _extra_dir))
