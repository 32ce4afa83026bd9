"""Instructions per inference of the MLPerf Tiny models on emulated Cortex-M4
and Cortex-M55 (exact counts from our QEMU plugin, generated C built with
arm-none-eabi-gcc -O2), and our planned RAM against TensorFlow Lite Micro's
arena for the same model.

    python benchmarks/qemu_instructions.py [--json] [--models-dir DIR]

The suite's own MLPerf Tiny networks (tests/support/mlperf_tiny.py), or the
real reference files in DIR.

Instruction counts are deterministic: no repeats are needed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.support

from pycmsisnn.bench import bench  # noqa: E402
from pycmsisnn.reference import tflm_arena_bytes  # noqa: E402
from tests.support import mlperf_tiny  # noqa: E402

CORES = ["cortex-m4", "cortex-m55"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--models-dir", type=Path, help="the real MLPerf Tiny files (default: the suite's own networks)")
    args = parser.parse_args()
    rows = []
    for name in mlperf_tiny.ARCHITECTURES:
        data = mlperf_tiny.real(name, args.models_dir) if args.models_dir else mlperf_tiny.built(name)
        reports = {core: bench(data, core) for core in CORES}
        total, head = tflm_arena_bytes(data)
        m4 = reports["cortex-m4"]
        rows.append({
            "model": name,
            "macs": m4.macs,
            **{f"instructions_{c}": r.instructions for c, r in reports.items()},
            **{f"arena_{c}": r.arena_bytes for c, r in reports.items()},
            "stack_used_cortex-m4": m4.stack_used,
            "flash_cortex-m4": m4.flash_bytes,
            "tflm_arena_total": total,
            "tflm_arena_head": head,
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| model | MACs | M4 instructions | M55 instructions | M4 flash | our RAM M4 (arena + stack) | TFLM arena total (head) | ours / TFLM |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ram = r["arena_cortex-m4"] + (r["stack_used_cortex-m4"] or 0)
        print(
            f"| {r['model']} | {r['macs']:,} | {r['instructions_cortex-m4']:,} | "
            f"{r['instructions_cortex-m55']:,} | {r['flash_cortex-m4']:,} | {ram:,} ({r['arena_cortex-m4']:,} + {r['stack_used_cortex-m4']}) | "
            f"{r['tflm_arena_total']:,} ({r['tflm_arena_head']:,}) | {ram / r['tflm_arena_total']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
