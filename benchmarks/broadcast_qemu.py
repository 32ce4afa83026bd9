"""Instructions of the int8 broadcasting kernels (arm_maximum_s8,
arm_minimum_s8, pycmsisnn_broadcast_{add,sub,mul}_s8) under QEMU: our
library now, our library before the DSP/MVE run loops (a git revision of
this repository) and, for maximum and minimum, Arm's CMSIS-NN (Arm has no
broadcast ADD/SUB/MUL kernel).

    python benchmarks/broadcast_qemu.py ARM_ROOT [--before REV] [--cores cortex-m4,cortex-m55] [--json]

Each library builds one hand-written project calling every layer once
(tests/support/broadcast_calls.py: random int8 data, TFLite's parameters for
typical scales); the outputs of all libraries must agree (the script fails
otherwise) and the table gives each call's instructions.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pycmsisnn.library_files import CSRC  # noqa: E402
from tests.support.broadcast_calls import Call, add_struct, call_data, mul_struct, project, run, split  # noqa: E402

ADD = add_struct((0.02, 0.03, 0.05), (3, -7, 2))
MUL = mul_struct((0.02, 0.03, 0.02 * 0.03 * 300.0), (3, -7, 2))
LAYERS: list[tuple[str, Call]] = [
    ("max 48x48x16, same shape", Call("max", (1, 48, 48, 16), (1, 48, 48, 16))),
    ("max 48x48x16, [1,1,1,16]", Call("max", (1, 48, 48, 16), (1, 1, 1, 16))),
    ("max 48x48x16, scalar", Call("max", (1, 48, 48, 16), (1, 1, 1, 1))),
    ("min 48x48x16, [1,48,48,1]", Call("min", (1, 48, 48, 16), (1, 48, 48, 1))),
    ("add 16x16x32, [1,1,1,32]", Call("add", (1, 16, 16, 32), (1, 1, 1, 32), ADD)),
    ("add 16x16x32, scalar", Call("add", (1, 16, 16, 32), (1, 1, 1, 1), ADD)),
    ("sub 16x16x32, [1,1,1,32]", Call("sub", (1, 16, 16, 32), (1, 1, 1, 32), ADD)),
    ("sub scalar - 16x16x32", Call("sub", (1, 1, 1, 1), (1, 16, 16, 32), ADD)),
    ("mul 16x16x32, [1,1,1,32]", Call("mul", (1, 16, 16, 32), (1, 1, 1, 32), MUL)),
    ("mul 16x16x32, scalar", Call("mul", (1, 16, 16, 32), (1, 1, 1, 1), MUL)),
    ("mul 16x16x32, [1,16,16,1]", Call("mul", (1, 16, 16, 32), (1, 16, 16, 1), MUL)),
]


def _counts(calls: list[Call], core: str, library: Path, data: list) -> tuple[list[int], list[np.ndarray]]:
    proj = project(calls, data)
    result = run(proj, core, library, count_instructions=True)
    assert result.instructions is not None
    return list(result.instructions.layers), split(proj, result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("arm_root", type=Path)
    parser.add_argument("--before", default="baf25e7", help="git revision of the library before (default baf25e7)")
    parser.add_argument("--cores", default="cortex-m4,cortex-m55")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    calls = [c for _, c in LAYERS]
    data = [call_data(c, rng) for c in calls]
    minmax = [i for i, c in enumerate(calls) if c.op in ("max", "min")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="pycmsisnn-before-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "pycmsisnn/csrc"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        before_root = Path(tmp) / "pycmsisnn" / "csrc"
        for core in args.cores.split(","):
            after, outs = _counts(calls, core, CSRC, data)
            before, outs_before = _counts(calls, core, before_root, data)
            arm, outs_arm = _counts([calls[i] for i in minmax], core, args.arm_root, [data[i] for i in minmax])
            for a, b in zip(outs, outs_before):
                assert np.array_equal(a, b), f"{core}: before and after differ"
            for k, i in enumerate(minmax):
                assert np.array_equal(outs[i], outs_arm[k]), f"{LAYERS[i][0]} on {core}: ours != Arm's"
            arm_of = dict(zip(minmax, arm))
            for i, (name, _) in enumerate(LAYERS):
                rows.append({"layer": name, "core": core, "before": before[i], "after": after[i],
                             "arm": arm_of.get(i)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| layer | core | before | after | after / before | Arm's | after / Arm's |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        arm = f"{r['arm']:,} | {r['after'] / r['arm']:.3f}" if r["arm"] else "— | —"
        print(f"| {r['layer']} | {r['core'].replace('cortex-', '').upper()} | {r['before']:,} | {r['after']:,} | "
              f"{r['after'] / r['before']:.3f} | {arm} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
