"""Errors of the target pipeline (cross-compile, QEMU run).

All are ``CmsisNNError``s. A missing tool is a ``ToolchainError`` naming the
Debian package that provides it; a project that does not follow the
generated-code interface is a ``ProjectError`` (also a ``ValueError``); a
failed compile or link is a ``BuildError`` carrying the compiler's message.
A run that ends badly is not an exception: it is a ``TargetResult`` whose
``status`` says how (``TargetResult.check()`` raises ``TargetRunError``).
"""
from __future__ import annotations

from ..errors import CmsisNNError


class TargetError(CmsisNNError):
    """Base class of the target pipeline's errors."""


class ToolchainError(TargetError, FileNotFoundError):
    """A tool (cross compiler, QEMU, host compiler) is missing or unusable."""


class ProjectError(TargetError, ValueError):
    """A project directory does not follow the generated-code interface."""


class BuildError(TargetError):
    """Compiling or linking a project for a core failed."""


class TargetRunError(TargetError, RuntimeError):
    """A target run did not end with success (raised by ``TargetResult.check``)."""
