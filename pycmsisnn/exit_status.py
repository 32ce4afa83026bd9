"""Exit statuses of the command line, and what a command prints when it fails.

0 success (bit-exact for ``verify``), 1 a real mismatch, 2 bad or unsupported
input (a ``CmsisNNError`` such as ``ReferenceCrash``, or a ``ValueError`` or
``OSError``: one line with the reason), 3 an internal error (any other
exception: one line naming it and one saying what to report), 130 interrupted
(Ctrl-C). No traceback is printed. With ``--json`` the failure is also printed
on stdout as ``{"status": ..., "reasons": [...]}``.
"""
from __future__ import annotations

import json
import sys

from .errors import CmsisNNError, refusal

OK = 0
MISMATCH = 1
BAD_INPUT = 2
INTERNAL_ERROR = 3
INTERRUPTED = 130

REPORT_ADVICE = "please report this with the model file and the command at the project's issue tracker"


def is_refusal(exc: BaseException) -> bool:
    """True for errors caused by the input (exit 2), False for pycmsisnn's own faults."""
    return isinstance(exc, (CmsisNNError, ValueError, OSError))


def fail(exc: Exception, *, as_json: bool, prog: str = "pycmsisnn") -> int:
    """Print ``exc`` as a command's failure and return the exit status."""
    if is_refusal(exc):
        if as_json:
            print(json.dumps(refusal(exc), indent=2))
        print(f"{prog}: {exc}", file=sys.stderr)
        return BAD_INPUT
    what = f"{type(exc).__name__}: {exc}"
    if as_json:
        print(json.dumps({"status": "internal_error", "reasons": [what]}, indent=2))
    print(f"{prog}: internal error: {what}", file=sys.stderr)
    print(f"{prog}: {REPORT_ADVICE}", file=sys.stderr)
    return INTERNAL_ERROR
