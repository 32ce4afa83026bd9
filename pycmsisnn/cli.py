"""The ``pycmsisnn`` command line: inspect, run and verify models.

Exit status of ``verify``: 0 bit-exact, 1 mismatch, 2 unsupported model or bad
input (the reasons on stderr; with ``--json`` also on stdout as
``{"status": "unsupported" | "bad_input", "reasons": [...]}``). Other commands:
0 on success, 2 on bad input. ``inspect`` describes every readable model.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .cores import CORES, DEFAULT_CORE, HOST
from .errors import CmsisNNError, refusal
from .model_source import MODEL_HELP, model_bytes

TARGETS = (HOST, *CORES)


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
    ver = sub.add_parser("verify", help="compare with TensorFlow Lite Micro on random inputs")
    ver.add_argument("model", help=model_help)
    ver.add_argument("--target", default=HOST, choices=TARGETS)
    ver.add_argument("--samples", type=int, default=10)
    ver.add_argument("--seed", type=int, default=0)
    ver.add_argument("--json", action="store_true", help="print the report as JSON")
    from .qmn import cli as qmn_cli

    qmn_cli.add_parser(sub)
    chk = sub.add_parser("check", help="end to end: host verify, then convert, build, run and count on each target")
    chk.add_argument("model", help=model_help)
    chk.add_argument("--targets", default="cortex-m55,cortex-m4", help="comma-separated cores (default: cortex-m55,cortex-m4)")
    chk.add_argument("--samples", type=int, default=5)
    chk.add_argument("--seed", type=int, default=0)
    ben = sub.add_parser("bench", help="instructions per layer and per inference on an emulated Cortex-M core")
    ben.add_argument("model", help=model_help)
    ben.add_argument("--target", required=True, choices=list(CORES))
    ben.add_argument("--seed", type=int, default=0)
    ben.add_argument("--json", action="store_true", help="print the report as JSON")
    con = sub.add_parser("convert", help="generate a standalone C project (kernel calls, static arena) for a Cortex-M core")
    con.add_argument("model", help=model_help)
    con.add_argument("-o", "--output", required=True, type=Path, help="project directory to write")
    con.add_argument("--target", default=DEFAULT_CORE, choices=list(CORES))
    con.add_argument("--name", default="model", help="C name of the model: NAME.h, NAME.c, NAME_invoke (default: model)")
    con.add_argument("--cmsis-nn", type=Path, help="build against Arm's CMSIS-NN checkout at PATH instead of a copy of ours")
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


def _verify(args: argparse.Namespace) -> int:
    from .verify import verify_host

    if args.samples < 1:
        print("pycmsisnn: --samples must be at least 1", file=sys.stderr)
        return 2
    name = args.model
    if args.target == HOST:
        report = verify_host(model_bytes(name), samples=args.samples, seed=args.seed)
    else:
        from .verify import verify_target

        report = verify_target(model_bytes(name), args.target, samples=args.samples, seed=args.seed)
    report.model = name
    if args.json:
        print(report.to_json())
    else:
        if report.target_exact_samples is None:
            print(f"{name} on {report.target}: {report.exact_samples}/{report.samples} random inputs bit-exact against TensorFlow Lite Micro")
        else:
            print(
                f"{name}: TensorFlow Lite Micro == host == {report.target} on {report.exact_samples}/{report.samples} random inputs "
                f"(host exact {report.host_exact_samples}, {report.target} exact {report.target_exact_samples})"
            )
            if report.target_info:
                info = report.target_info
                print(f"  {report.target} build: flash {info['flash_bytes']:,} B, {info['ram']}")
        for o in report.outputs:
            print(f"  output {o['name']}: {o['exact_samples']}/{report.samples} exact")
        m = report.first_mismatch
        if m:
            out = m["output"]
            print(f"  first mismatch ({m.get('where', 'host')}): sample {m['sample']}, output {out['tensor']} element {tuple(out['index'])}: ours {out['ours']}, TFLite Micro {out['reference']} ({out['count']} elements differ)")
            layer = m["layer"]
            if layer:
                lm = layer["mismatch"]
                print(f"  first differing layer: [{layer['op_index']}] {layer['opcode']} ({layer['kernel']}), tensor {lm['tensor']} element {tuple(lm['index'])}: ours {lm['ours']}, TFLite Micro {lm['reference']}")
                for k, v in layer["parameters"].items():
                    print(f"      {k} = {v}")
    return 0 if report.exact else 1


def _convert(args: argparse.Namespace) -> int:
    from .codegen import convert, convert_legacy

    if args.legacy:
        legacy = convert_legacy(model_bytes(args.model), args.output, target=args.target, name=args.name, cmsis_nn=args.cmsis_nn)
        print(legacy.to_text(), end="")
        return 0
    report = convert(model_bytes(args.model), args.output, target=args.target, name=args.name, cmsis_nn=args.cmsis_nn)
    print(report.to_text(), end="")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import bench

    report = bench(model_bytes(args.model), args.target, seed=args.seed)
    report.model = args.model
    print(report.to_json() if args.json else report.to_text())
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
    host = verify_host(data, samples=args.samples, seed=args.seed)
    print(f"{args.model}: host == TensorFlow Lite Micro on {host.exact_samples}/{host.samples} random inputs")
    ok = host.exact
    for core in cores:
        rep = verify_target(data, core, samples=args.samples, seed=args.seed)
        b = bench(data, core, seed=args.seed)
        ok = ok and rep.exact
        print(
            f"{core}: TensorFlow Lite Micro == host == target on {rep.exact_samples}/{rep.samples}; "
            f"{b.instructions:,} instructions per inference ({b.macs / b.instructions:.3f} MACs/instruction); "
            f"flash {b.flash_bytes:,} B; {b.ram.describe()}"
        )
    return 0 if ok else 1


def _qmn(args: argparse.Namespace) -> int:
    from .qmn import cli as qmn_cli

    return qmn_cli.run(args)


COMMANDS = {"inspect": _inspect, "run": _run, "verify": _verify, "convert": _convert, "qmn": _qmn, "bench": _bench, "check": _check}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (CmsisNNError, ValueError, OSError) as exc:
        if getattr(args, "json", False):
            print(json.dumps(refusal(exc), indent=2))
        print(f"pycmsisnn: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
