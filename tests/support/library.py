"""Which kernel library the extension under test was built with.

Most tests hold for either library (the CMSIS-NN API's contract). A few test
defensive checks of our own C kernels beyond that contract (arguments Arm's
kernels do not check, and crash or loop forever on): they call
``require_our_kernels`` and are skipped, with the reason shown, only when the
extension was built against Arm's library (never in CI, which builds ours).
"""
from __future__ import annotations

import pytest

from pycmsisnn.kernels import library_name


def require_our_kernels(why: str) -> None:
    """Skip the calling test, saying why, when Arm's kernels are built in."""
    if library_name() != "ours":
        pytest.skip(f"tests our kernels' own C argument checks ({why}); the extension is built with Arm's CMSIS-NN")
