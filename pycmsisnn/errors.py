"""Exceptions of pycmsisnn.

Every error is a ``CmsisNNError`` and also the builtin exception a Python user
expects: bad arguments are ``ValueError`` (``ArgError``), a missing kernel
variant is ``NotImplementedError`` (``NoImplError``), a kernel's own failure is
``RuntimeError`` (``KernelFailure``). The first three mirror the status codes
of ``arm_cmsis_nn_status`` (-1, -2, -3).
"""
from __future__ import annotations


class CmsisNNError(Exception):
    """Base class of every error raised by pycmsisnn."""

    # What a command's JSON says on this error: "unsupported" for a model
    # pycmsisnn cannot take (ModelError), "bad_input" for anything else.
    refusal_status = "bad_input"


class ArgError(ValueError, CmsisNNError):
    """An argument is wrong (Python validation, or ARM_CMSIS_NN_ARG_ERROR)."""


class NoImplError(NotImplementedError, CmsisNNError):
    """No kernel implements this case (ARM_CMSIS_NN_NO_IMPL_ERROR)."""


class KernelFailure(RuntimeError, CmsisNNError):
    """A kernel reported a logical failure (ARM_CMSIS_NN_FAILURE)."""


STATUS_ERRORS: dict[int, type[CmsisNNError]] = {-1: ArgError, -2: NoImplError, -3: KernelFailure}
STATUS_NAMES: dict[int, str] = {
    0: "ARM_CMSIS_NN_SUCCESS",
    -1: "ARM_CMSIS_NN_ARG_ERROR",
    -2: "ARM_CMSIS_NN_NO_IMPL_ERROR",
    -3: "ARM_CMSIS_NN_FAILURE",
}


def raise_for_status(kernel: str, status: int) -> None:
    """Turn a non-success ``arm_cmsis_nn_status`` into the matching exception."""
    if status == 0:
        return
    name = STATUS_NAMES.get(status, f"unknown status {status}")
    raise STATUS_ERRORS.get(status, KernelFailure)(f"{kernel} returned {name}")


def refusal(exc: BaseException) -> dict[str, object]:
    """The JSON object a command prints when it refuses: its status and every
    reason (``exc.reasons`` when the error lists several)."""
    reasons = list(getattr(exc, "reasons", None) or [str(exc)])
    return {"status": getattr(exc, "refusal_status", "bad_input"), "reasons": reasons}
