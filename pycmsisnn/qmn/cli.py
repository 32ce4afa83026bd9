"""``pycmsisnn qmn MODEL``: the legacy q7 (Qm.n) formats, shifts and verdict
of every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED layer.

``pycmsisnn.cli`` wires it in as a subcommand: ``add_parser(subparsers)``
adds it, ``run(args)`` executes it and returns the exit status
(``pycmsisnn.exit_status``: 0 when the report was made, 2 on a bad model or
input, the reason on stderr, 3 on an internal error). It reads
models through ``pycmsisnn.model_source``, not through ``pycmsisnn.cli``, so
the dependency runs one way.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ..exit_status import INTERRUPTED, fail
from ..model_source import MODEL_HELP, model_bytes
from .formats import QmnError
from .report import S8_ADVICE, TIES, LayerReport, QmnReport, build_report
from .requantize import ROUNDINGS


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``qmn`` subcommand to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "qmn",
        help="legacy q7 API: Qm.n formats, bias_shift and out_shift per layer",
        description="For each CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED layer: the Qm.n formats and the "
        "bias_shift/out_shift of the legacy q7 CMSIS-NN API, and whether the layer is exact, approximate (after a "
        "power-of-two re-quantisation, with the measured error) or not expressible.",
    )
    p.add_argument("model", help=MODEL_HELP)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--data", type=Path, help=".npy file of inputs (int8 as quantised, float as real values) to measure on too")
    p.add_argument("--samples", type=int, default=10, help="random inputs to measure on (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rounding", choices=ROUNDINGS, default="cover",
                   help="power-of-two choice for activations: cover the range (default) or nearest")
    p.add_argument("--requantize", type=Path, metavar="OUT.tflite",
                   help="write the power-of-two model for legacy deployment and report the accuracy change")
    return p


def _pct(x: float) -> str:
    return f"{100.0 * x:.1f}%"


def _cell(v: Any) -> str:
    return "-" if v is None else str(v)


def _detail(r: LayerReport) -> list[str]:
    a = r.shown
    lines = []
    kernel = a.kernel or f"no q7 kernel ({a.kernel_note})"
    if a.activation == "RELU":
        kernel += " + arm_relu_q7"
    if r.verdict == "exact":
        lines.append(f"exact; {kernel}")
    elif r.verdict == "approximate":
        e = r.error
        err = "" if e is None else f": max abs error {e.max_abs_error:.4g}, {_pct(e.mismatch_rate)} of elements off the original grid"
        if r.data_error is not None:
            err += f" ({r.data_error.max_abs_error:.4g}, {_pct(r.data_error.mismatch_rate)} on the data)"
        lines.append(f"approximate after power-of-two conversion{err}; {kernel}")
        lines.append("as the model stands: " + "; ".join(r.original.reasons))
    else:
        lines.append("not expressible: " + "; ".join(r.blockers))
        lines.append(S8_ADVICE)
    d = r.differences
    if d is not None:
        lines.append(f"q7 kernel vs TFLite Micro: {d.differ} of {d.elements} elements differ"
                     + (f" (by at most {d.max_abs_diff}; {TIES})" if d.differ else ""))
    return lines


def format_report(report: QmnReport) -> str:
    """The report as text: one row per layer, details indented below it."""
    out = [f"{report.model}: {len(report.layers)} layers; {report.samples} random inputs (seed {report.seed}); "
           f"power-of-two rounding '{report.rounding}'"]
    header = ("op", "layer", "input", "weights", "bias", "output", "bias_shift", "out_shift", "verdict")
    rows = []
    for r in report.layers:
        a, f = r.shown, r.shown.formats()
        mark = "*" if a is not r.original else ""
        rows.append((str(a.op_index), a.opcode, *(_cell(f[k]) + mark for k in ("input", "weights", "bias", "output")),
                     _cell(f["bias_shift"]), _cell(f["out_shift"]), r.verdict))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    out.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for r, row in zip(report.layers, rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        out.extend(" " * 4 + line for line in _detail(r))
    if any(r.shown is not r.original for r in report.layers):
        out.append("* formats after the power-of-two conversion")
    c = report.counts()
    out.append(f"{c['exact']} exact, {c['approximate']} approximate, {c['not expressible']} not expressible")
    if report.conversion_refused:
        out.append(f"power-of-two conversion refused: {report.conversion_refused}")
    for conv in (report.conversion, report.data_conversion):
        if conv is None:
            continue
        src = f"{conv.samples} random inputs" if conv.source == "random" else f"{conv.samples} inputs from {conv.source}"
        out.append(f"power-of-two model vs original on {src}:")
        for o in conv.outputs:
            top1 = "" if not o.top1_total else f", top-1 agreement {_pct((o.top1_agree or 0) / o.top1_total)}"
            out.append(f"    output {o.name}: max abs error {o.max_abs_error:.4g} (real units), mismatch rate {_pct(o.mismatch_rate)}{top1}")
    if report.requantized:
        out.append(f"power-of-two model written to {report.requantized}")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Execute ``pycmsisnn qmn``; 0 on success, 2 on a bad model or input, 3 on an internal error."""
    try:
        if args.samples < 1:
            raise QmnError("--samples must be at least 1")
        data = None
        if args.data is not None:
            data = np.load(args.data, allow_pickle=False)
        report = build_report(
            model_bytes(args.model), args.model, samples=args.samples, seed=args.seed, data=data,
            data_name=str(args.data), rounding=args.rounding, requantize_to=args.requantize,
        )
        text = report.to_json() if args.json else format_report(report)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an exit status (KeyboardInterrupt passes)
        return fail(exc, as_json=args.json, prog="pycmsisnn qmn")
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m pycmsisnn.qmn.cli``); ``pycmsisnn qmn`` is the usual one."""
    parser = argparse.ArgumentParser(prog="pycmsisnn")
    add_parser(parser.add_subparsers(dest="command", required=True))
    try:
        return run(parser.parse_args(argv))
    except KeyboardInterrupt:
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
