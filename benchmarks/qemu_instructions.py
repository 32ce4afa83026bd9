"""Instructions per inference of the MLPerf Tiny models on emulated Cortex-M4
and Cortex-M55 (exact counts from our QEMU plugin, generated C built with
arm-none-eabi-gcc -O2), and our planned RAM against TensorFlow Lite Micro's
arena for the same model.

    python benchmarks/qemu_instructions.py [--json]

Instruction counts are deterministic: no repeats are needed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pycmsisnn.bench import bench
from pycmsisnn.reference import tflm_arena_bytes

MODELS = Path(__file__).resolve().parents[2] / "shared" / "models"
NAMES = [
    "mlperf_tiny_ad01_fc_autoencoder_int8.tflite",
    "mlperf_tiny_kws01_dscnn_int8.tflite",
    "mlperf_tiny_ic01_resnet8_int8.tflite",
    "mlperf_tiny_vww01_mobilenetv1_025_int8.tflite",
]
CORES = ["cortex-m4", "cortex-m55"]


def main() -> int:
    rows = []
    for name in NAMES:
        data = (MODELS / name).read_bytes()
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
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))
        return 0
    print("| model | MACs | M4 instructions | M55 instructions | M4 flash | our RAM M4 (arena + stack) | TFLM arena total (head) | ours / TFLM |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ram = r["arena_cortex-m4"] + (r["stack_used_cortex-m4"] or 0)
        print(
            f"| {r['model'].replace('mlperf_tiny_', '').replace('_int8.tflite', '')} | {r['macs']:,} | {r['instructions_cortex-m4']:,} | "
            f"{r['instructions_cortex-m55']:,} | {r['flash_cortex-m4']:,} | {ram:,} ({r['arena_cortex-m4']:,} + {r['stack_used_cortex-m4']}) | "
            f"{r['tflm_arena_total']:,} ({r['tflm_arena_head']:,}) | {ram / r['tflm_arena_total']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
