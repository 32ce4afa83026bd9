"""The ``pycmsisnn`` command line: inspect, run and verify models.

Exit statuses (``pycmsisnn.exit_status``), the same for every command: 0
success (``verify``, ``check``: bit-exact), 1 a mismatch, 2 unsupported model
or bad input, TensorFlow Lite Micro's crash included (the reasons on stderr;
with ``--json`` also on stdout as ``{"status": "unsupported" | "bad_input",
"reasons": [...]}``), 3 an internal error of pycmsisnn (named on stderr with
what to report; ``{"status": "internal_error", ...}`` with ``--json``), 130
interrupted. Never a traceback. ``inspect`` describes every readable model.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from .cores import CORES, DEFAULT_CORE, HOST
from .exit_status import INTERRUPTED, fail
from .model_source import MODEL_HELP, model_bytes

TARGETS = (HOST, *CORES)
ARENA_LIMIT_HELP = ("the arena bytes the generated C may take: beyond them the planner runs the first convolutions in bands "
                    "of rows where that lowers the arena (default: $PYCMSISNN_ARENA_LIMIT, else the core's RAM)")


def _bytes(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive number of bytes")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pycmsisnn", description="int8 TFLite models on CMSIS-NN kernels, exact against TensorFlow Lite Micro")
    sub = p.add_subparsers(dest="command", required=True)
    model_help = MODEL_HELP
    ins = sub.add_parser("inspect", help="layers, kernels, shapes, MACs, memory of any readable model (unsupported layers with their reasons)")
    ins.add_argument("model", help=model_help)
    ins.add_argument("--target", default=DEFAULT_CORE, choices=list(CORES), help=f"the core whose kernels and memory to show (default: {DEFAULT_CORE})")
    ins.add_argument("--verbose", action="store_true", help="every tensor and derived kernel parameter of each layer")
    ins.add_argument("--json", action="store_true", help="print the description as JSON")
    run = sub.add_parser("run", help="run the model on the host on one input")
    run.add_argument("model", help=model_help)
    run.add_argument("--input", required=True, type=Path, help=".npy file (or .npz with one array per model input)")
    run.add_argument("--output", type=Path, help=".npy file for the output (.npz when the model has several)")
    ver = sub.add_parser("verify", help="compare with TensorFlow Lite Micro on random inputs or your own")
    ver.add_argument("model", help=model_help)
    ver.add_argument("--target", default=HOST, choices=TARGETS)
    ver.add_argument("--samples", type=int, help="random inputs to run (default 10)")
    ver.add_argument("--seed", type=int, default=0)
    ver.add_argument("--inputs", type=Path, metavar="FILE",
                     help=".npy (N, *input shape) or .npz (one such array per input, by name or in order) "
                     "instead of random inputs; float32 for an int8 input is quantised as TFLite does")
    ver.add_argument("--labels", type=Path, metavar="FILE", help=".npy of N integer class ids: report top-1 accuracy")
    ver.add_argument("--json", action="store_true", help="print the report as JSON")
    ver.add_argument("--cmsis-nn", type=Path, metavar="PATH", help="build the target against Arm's CMSIS-NN checkout at PATH instead of our kernels")
    ver.add_argument("--arena-limit", type=_bytes, metavar="BYTES", help=ARENA_LIMIT_HELP)
    from .qmn import cli as qmn_cli

    qmn_cli.add_parser(sub)
    chk = sub.add_parser("check", help="end to end: host verify, then convert, build, run and count on each target")
    chk.add_argument("model", help=model_help)
    chk.add_argument("--targets", default="cortex-m55,cortex-m4", help="comma-separated cores (default: cortex-m55,cortex-m4)")
    chk.add_argument("--samples", type=int, default=5)
    chk.add_argument("--seed", type=int, default=0)
    chk.add_argument("--cmsis-nn", type=Path, metavar="PATH", help="build the target against Arm's CMSIS-NN checkout at PATH instead of our kernels")
    chk.add_argument("--arena-limit", type=_bytes, metavar="BYTES", help=ARENA_LIMIT_HELP)
    ben = sub.add_parser("bench", help="instructions per layer and per inference on an emulated Cortex-M core")
    ben.add_argument("model", help=model_help)
    ben.add_argument("--target", required=True, choices=list(CORES))
    ben.add_argument("--seed", type=int, default=0)
    ben.add_argument("--json", action="store_true", help="print the report as JSON")
    ben.add_argument("--arena-limit", type=_bytes, metavar="BYTES",
                     help=ARENA_LIMIT_HELP + "; with a patch chain the program without it is counted too")
    ben.add_argument("--plot", type=Path, metavar="FILE",
                     help="also draw instructions per layer and arena use to FILE (.png or .svg; needs pycmsisnn[plot])")
    lib = ben.add_mutually_exclusive_group()
    lib.add_argument("--cmsis-nn", type=Path, metavar="PATH", help="build against Arm's CMSIS-NN checkout at PATH instead of our kernels")
    lib.add_argument("--compare-cmsis-nn", type=Path, metavar="PATH",
                     help="our kernels and Arm's (checkout at PATH) on the same generated C: instructions per layer side by side, flash, RAM")
    con = sub.add_parser("convert", help="generate a standalone C project (kernel calls, static arena) for a Cortex-M core")
    con.add_argument("model", help=model_help)
    con.add_argument("-o", "--output", required=True, type=Path, help="project directory to write")
    con.add_argument("--target", default=DEFAULT_CORE, choices=list(CORES))
    con.add_argument("--name", default="model", help="C name of the model: NAME.h, NAME.c, NAME_invoke (default: model)")
    con.add_argument("--cmsis-nn", type=Path, help="build against Arm's CMSIS-NN checkout at PATH instead of a copy of ours")
    con.add_argument("--arena-limit", type=_bytes, metavar="BYTES", help=ARENA_LIMIT_HELP)
    con.add_argument("--legacy", action="store_true",
                     help="call the legacy q7 (Qm.n) functions instead of the s8 API; refused, with the reasons, "
                     "unless every layer is exactly expressible (see pycmsisnn qmn)")
    return p


def _inspect(args: argparse.Namespace) -> int:
    from .inspect_model import describe, inspect_graph
    from .tflite import read_model

    graph = read_model(model_bytes(args.model), strict=False)
    if args.json:
        print(json.dumps(inspect_graph(graph, args.target).to_dict(), indent=2))
    else:
        print(describe(graph, args.target, verbose=args.verbose))
    return 0


def _load_inputs(path: Path) -> list[np.ndarray]:
    data = np.load(path, allow_pickle=False)
    if isinstance(data, np.lib.npyio.NpzFile):
        return [data[k] for k in data.files]
    return [data]


def _run(args: argparse.Namespace) -> int:
    from .runtime import load

    model = load(model_bytes(args.model))
    outputs = model.run(_load_inputs(args.input))
    assert isinstance(outputs, list)
    for t, y in zip(model.outputs, outputs):
        print(f"{t.name}: {y.dtype.name}{list(y.shape)} {np.array2string(y.ravel()[:16], separator=' ')}{' ...' if y.size > 16 else ''}")
    if args.output:
        if len(outputs) == 1:
            np.save(args.output, outputs[0])
        else:
            np.savez(args.output, *outputs)
    return 0


def _bad_input(reasons: list[str], as_json: bool) -> int:
    """Exit 2 for unusable input files: the reasons on stderr, or as JSON on stdout."""
    if as_json:
        print(json.dumps({"status": "bad_input", "reasons": reasons}, indent=2))
    else:
        print(f"pycmsisnn: {'; '.join(reasons)}", file=sys.stderr)
    return 2


def _verify(args: argparse.Namespace) -> int:
    from .progress import bar, wanted
    from .samples import BadSamples, Samples, load_samples
    from .verify import verify_host

    if args.samples is not None and args.samples < 1:
        return _bad_input(["--samples must be at least 1"], args.json)
    if args.inputs is not None and args.samples is not None:
        return _bad_input(["--samples counts random inputs; with --inputs every sample of the file runs"], args.json)
    if args.labels is not None and args.inputs is None:
        return _bad_input(["--labels needs --inputs"], args.json)
    name = args.model
    data = model_bytes(name)
    inputs: Samples | None = None
    if args.inputs is not None:
        from .tflite import read_model

        try:
            inputs = load_samples(read_model(data), args.inputs, args.labels)
        except BadSamples as exc:
            return _bad_input(exc.reasons, args.json)
    samples = args.samples or 10
    progress = bar(wanted(json_output=args.json))
    if args.target == HOST and args.cmsis_nn is not None:
        return _bad_input(["--cmsis-nn needs a Cortex-M --target (the host runs the installed extension's kernels)"], args.json)
    if args.target == HOST and args.arena_limit is not None:
        return _bad_input(["--arena-limit needs a Cortex-M --target (the host runtime has no arena)"], args.json)
    if args.target == HOST:
        report = verify_host(data, samples=samples, seed=args.seed, inputs=inputs, progress=progress)
    else:
        from .verify import verify_target

        report = verify_target(data, args.target, samples=samples, seed=args.seed, inputs=inputs, progress=progress,
                               cmsis_nn=args.cmsis_nn, arena_limit=args.arena_limit)
    report.model = name
    print(report.to_json() if args.json else report.to_text())
    return 0 if report.exact else 1


def _convert(args: argparse.Namespace) -> int:
    from .codegen import convert, convert_legacy

    if args.legacy and args.arena_limit is not None:
        print("pycmsisnn: --arena-limit plans the s8 project's arena; leave it out with --legacy", file=sys.stderr)
        return 2
    if args.legacy:
        legacy = convert_legacy(model_bytes(args.model), args.output, target=args.target, name=args.name, cmsis_nn=args.cmsis_nn)
        print(legacy.to_text(), end="")
        return 0
    report = convert(model_bytes(args.model), args.output, target=args.target, name=args.name, cmsis_nn=args.cmsis_nn,
                     arena_limit=args.arena_limit)
    print(report.to_text(), end="")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import bench

    if args.compare_cmsis_nn is not None:
        from .bench_compare import compare_bench

        if args.plot is not None or args.arena_limit is not None:
            print("pycmsisnn: --plot and --arena-limit go with one library's counts; leave them out with --compare-cmsis-nn", file=sys.stderr)
            return 2
        comparison = compare_bench(model_bytes(args.model), args.target, args.compare_cmsis_nn, seed=args.seed)
        comparison = replace(comparison, model=args.model)
        print(comparison.to_json() if args.json else comparison.to_text())
        return 0
    if args.plot is not None:
        from .plot import PlotUnavailable, check_plot_file

        try:
            check_plot_file(args.plot)  # before the minutes of building and counting
        except PlotUnavailable as exc:
            print(f"pycmsisnn: {exc}", file=sys.stderr)
            return 2
    report = bench(model_bytes(args.model), args.target, seed=args.seed, cmsis_nn=args.cmsis_nn, arena_limit=args.arena_limit)
    report.model = args.model
    print(report.to_json() if args.json else report.to_text())
    if args.plot is not None:
        from .plot import plot_bench

        drawn = plot_bench(report, args.plot)
        if not args.json:
            print(f"plot: {drawn.path} ({len(drawn.labels)} layers, {len(drawn.legend)} kernel variants)")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .bench import bench
    from .verify import verify_host, verify_target

    data = model_bytes(args.model)
    cores = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in cores if t not in CORES]
    if unknown or args.samples < 1:
        print(f"pycmsisnn: unknown target(s) {unknown}" if unknown else "pycmsisnn: --samples must be at least 1", file=sys.stderr)
        return 2
    from .progress import progress, wanted

    # With a bar on the terminal the lines wait for the end, so that the bar never splits them.
    show_bar = wanted()
    lines: list[str] = []

    def say(line: str) -> None:
        if show_bar:
            lines.append(line)
        else:
            print(line, flush=True)

    ok = True
    for step in progress(["host", *cores], len(cores) + 1, f"check {args.model}", show_bar):
        if step == "host":
            host = verify_host(data, samples=args.samples, seed=args.seed)
            say(f"{args.model}: host == TensorFlow Lite Micro on {host.exact_samples}/{host.samples} random inputs")
            ok = host.exact
            continue
        rep = verify_target(data, step, samples=args.samples, seed=args.seed, cmsis_nn=args.cmsis_nn, arena_limit=args.arena_limit)
        b = bench(data, step, seed=args.seed, cmsis_nn=args.cmsis_nn, arena_limit=args.arena_limit)
        ok = ok and rep.exact
        say(
            f"{step}: TensorFlow Lite Micro == host == target on {rep.exact_samples}/{rep.samples}; "
            f"{b.instructions:,} instructions per inference ({b.macs / b.instructions:.3f} MACs/instruction); "
            f"flash {b.flash_bytes:,} B; {b.ram.describe()}" + (f"; {b.patch.describe()}" if b.patch is not None else "")
        )
    for line in lines:
        print(line)
    return 0 if ok else 1


def _qmn(args: argparse.Namespace) -> int:
    from .qmn import cli as qmn_cli

    return qmn_cli.run(args)


COMMANDS = {"inspect": _inspect, "run": _run, "verify": _verify, "convert": _convert, "qmn": _qmn, "bench": _bench, "check": _check}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place every failure becomes an exit status
        return fail(exc, as_json=getattr(args, "json", False))


if __name__ == "__main__":
    sys.exit(main())
