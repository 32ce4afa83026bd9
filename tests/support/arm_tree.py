"""A stand-in for Arm's CMSIS-NN checkout, made from OUR files, for CI (which
cannot fetch Arm's repository) to guard the ``--cmsis-nn`` / ``CMSIS_NN_ROOT``
switch.

``arm_tree(dest)`` lays out, as Arm's repository does:

- ``Include/``: only Arm's header names: the four public headers ours mirror
  (``arm_nnfunctions.h``, ``arm_nn_types.h``, ``arm_nn_math_types.h``,
  ``arm_nnsupportfunctions.h``) and ``Include/Internal/arm_nn_compiler.h``.
  None of our internal headers (``Internal/arm_nn_broadcast_s8.h``,
  ``Internal/pycmsisnn_arith.h``, ...) is there, as none is in Arm's tree:
  wherever one of our files includes one, its text is written in place.
- ``Source/<Family>/``: our ``arm_*`` sources only, without the legacy q7
  API (Arm's library dropped it) and without any ``pycmsisnn_*`` file;
- float sources that do not compile without Arm's float16 types, as Arm's
  tree has: ``Source/BasicMathFunctions/arm_elementwise_add_f16.c`` (uses
  ``float16_t``), ``Source/SoftmaxFunctions/arm_softmax_f32.c`` and
  ``Source/NNSupportFunctions/arm_nntables_flt.c``; a build that compiles
  them fails.

A build against this tree therefore needs exactly what a build against Arm's
needs from us: our additions and every header of ours they include.
"""
from __future__ import annotations

import re
from pathlib import Path

from pycmsisnn.library_files import CSRC, ours_only_functions

PUBLIC_HEADERS = ("arm_nnfunctions.h", "arm_nn_types.h", "arm_nn_math_types.h", "arm_nnsupportfunctions.h")
COMPILER_HEADER = "Internal/arm_nn_compiler.h"
FLOAT_SOURCES = {
    "BasicMathFunctions/arm_elementwise_add_f16.c": (
        '#include "arm_nnfunctions.h"\n'
        "/* fixture: float16_t comes from Arm's fp16 types; without them this does not compile */\n"
        "void arm_elementwise_add_f16(const float16_t *a, const float16_t *b, float16_t *out, int n)\n"
        "{\n    for (int i = 0; i < n; i++) { out[i] = a[i] + b[i]; }\n}\n"
    ),
    "SoftmaxFunctions/arm_softmax_f32.c": "#error fixture: float kernels are not built\n",
    "NNSupportFunctions/arm_nntables_flt.c": "#error fixture: float tables are not built\n",
}
_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"[^\n]*$', re.M)


def _inline(path: Path, seen: set[str]) -> str:
    """``path``'s text with every include of a header that is not one of Arm's
    names replaced by that header's text (once per file)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in PUBLIC_HEADERS or name == COMPILER_HEADER:
            return match.group(0)
        if name in seen:
            return f"/* fixture: {name} inlined above */"
        seen.add(name)
        return f"/* fixture: {name} inlined */\n" + _inline(CSRC / "Include" / name, seen)

    return _INCLUDE.sub(replace, path.read_text())


def arm_tree(dest: Path) -> Path:
    """Write the stand-in tree into ``dest`` (created) and return it."""
    include = dest / "Include"
    (include / "Internal").mkdir(parents=True)
    for name in PUBLIC_HEADERS:
        (include / name).write_text(_inline(CSRC / "Include" / name, set()))
    (include / COMPILER_HEADER).write_text(
        "/* fixture: Arm's tree has this header; pycmsisnn's sources do not use it */\n"
        "#ifndef FIXTURE_ARM_NN_COMPILER_H\n#define FIXTURE_ARM_NN_COMPILER_H\n#endif\n"
    )
    legacy = ours_only_functions(CSRC)
    for src in sorted((CSRC / "Source").glob("*/arm_*.c")):
        if src.stem in legacy:
            continue
        out = dest / "Source" / src.parent.name / src.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_inline(src, set()))
    for rel, text in FLOAT_SOURCES.items():
        (dest / "Source" / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / "Source" / rel).write_text(text)
    return dest
