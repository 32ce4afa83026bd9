"""The ``pycmsisnn`` command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CmsisNNError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pycmsisnn", description="int8 TFLite models on CMSIS-NN kernels, exact against TFLite Micro")
    sub = p.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run a CONV_2D layer of a bundled model through our kernels and TFLite Micro")
    demo.add_argument("model", nargs="?", type=Path, help="a .tflite holding one CONV_2D (default: the bundled example)")
    demo.add_argument("--samples", type=int, default=5)
    demo.add_argument("--seed", type=int, default=0)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from . import demo

            return demo.main(args.model, args.samples, args.seed)
    except (CmsisNNError, ValueError, OSError) as exc:
        print(f"pycmsisnn: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
