"""The error of a model file pycmsisnn cannot read or take."""
from __future__ import annotations

from ..errors import CmsisNNError


class ModelError(ValueError, CmsisNNError):
    """The model cannot be read or is of a kind pycmsisnn does not take."""

    refusal_status = "unsupported"
