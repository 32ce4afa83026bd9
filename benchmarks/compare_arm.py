"""Our kernels against Arm's CMSIS-NN, per layer, on the suite's MLPerf Tiny
networks in each quantisation scheme (int8, 16x8, int4 weights): the same
generated C built against each library and counted under QEMU
(``pycmsisnn.bench_compare``).

    python benchmarks/compare_arm.py ARM_ROOT [--scheme int8|16x8|int4 ...]
        [--arch kws01 ic01 ...] [--target cortex-m4 cortex-m55 ...] [--json]

Instruction counts are deterministic: no repeats are needed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.support

from pycmsisnn.bench_compare import compare_bench  # noqa: E402
from tests.support import mlperf_tiny  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("arm_root", type=Path, help="a checkout of Arm's CMSIS-NN")
    parser.add_argument("--scheme", nargs="+", default=["16x8", "int4"], choices=mlperf_tiny.SCHEMES)
    parser.add_argument("--arch", nargs="+", default=["kws01", "ic01"], choices=mlperf_tiny.ARCHITECTURES)
    parser.add_argument("--target", nargs="+", default=["cortex-m4", "cortex-m55"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reports = []
    for scheme in args.scheme:
        for arch in args.arch:
            data = mlperf_tiny.built(arch, scheme)
            for target in args.target:
                report = compare_bench(data, target, args.arm_root)
                reports.append({"scheme": scheme, "arch": arch, **report.to_dict()})
                if not args.json:
                    print(f"## {arch} ({scheme})\n")
                    print(report.to_text() + "\n", flush=True)
    if args.json:
        print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
