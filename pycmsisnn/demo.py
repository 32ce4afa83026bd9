"""The demo job: one CONV_2D layer of a bundled int8 model, run through our
``arm_convolve_wrapper_s8`` with parameters derived by ``pycmsisnn.quant`` and
through TensorFlow Lite Micro, compared element for element.

It stands in for the whole-model runtime until that exists; it needs the
``tflite-micro`` package (the reference, and the TFLite schema binding it ships).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from . import quant
from .kernels import convolution
from .params import ConvParams, Tile

DEFAULT_MODEL = "conv_example.tflite"
_NUMPY_DTYPES = {9: np.int8, 2: np.int32}


@dataclass(frozen=True)
class DemoResult:
    """What the demo measured: per sample, whether our output equals TFLM's."""

    kernel: str
    params: ConvParams
    samples: int
    exact: int
    first_mismatch: str | None


def _schema():  # noqa: ANN202 - the generated TFLite schema module
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated

    return schema_py_generated


def _tensor_data(model, sg, index: int) -> np.ndarray:  # noqa: ANN001
    t = sg.tensors[index]
    raw = bytes(bytearray(model.buffers[t.buffer].data))
    return np.frombuffer(raw, dtype=_NUMPY_DTYPES[t.type]).reshape(tuple(t.shape))


def run_demo(model_bytes: bytes, samples: int = 5, seed: int = 0) -> DemoResult:
    """Run the model's CONV_2D through our kernel and through TFLM on ``samples``
    random int8 inputs; count exact matches."""
    from tflite_micro import runtime

    s = _schema()
    model = s.ModelT.InitFromPackedBuf(model_bytes, 0)
    sg = model.subgraphs[0]
    ops = [op for op in sg.operators if model.operatorCodes[op.opcodeIndex].builtinCode == s.BuiltinOperator.CONV_2D]
    if len(ops) != 1 or len(sg.operators) != 1:
        raise ValueError("the demo model must hold exactly one CONV_2D operator")
    op = ops[0]
    opts = op.builtinOptions
    inp, out = sg.tensors[op.inputs[0]], sg.tensors[op.outputs[0]]
    filt = _tensor_data(model, sg, op.inputs[1])
    bias = _tensor_data(model, sg, op.inputs[2]) if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
    in_shape, out_shape = tuple(int(d) for d in inp.shape), tuple(int(d) for d in out.shape)

    stride = Tile(opts.strideW, opts.strideH)
    dilation = Tile(opts.dilationWFactor, opts.dilationHFactor)
    padding, _, _ = quant.conv_padding(opts.padding, in_shape[1:3], filt.shape[1:3], stride, dilation)
    s_in, zp_in = float(inp.quantization.scale[0]), int(inp.quantization.zeroPoint[0])
    s_out, zp_out = float(out.quantization.scale[0]), int(out.quantization.zeroPoint[0])
    params = ConvParams(
        input_offset=quant.input_offset(zp_in),
        output_offset=quant.output_offset(zp_out),
        stride=stride,
        padding=padding,
        dilation=dilation,
        activation=quant.activation_range(opts.fusedActivationFunction, s_out, zp_out),
    )
    qp = quant.per_channel_multipliers(s_in, list(sg.tensors[op.inputs[1]].quantization.scale), s_out, filt.shape[0])
    kernel = convolution.arm_convolve_wrapper_s8_variant(params, in_shape, filt.shape, out_shape)

    rng = np.random.default_rng(seed)
    exact, first = 0, None
    for i in range(samples):
        x = rng.integers(-128, 128, size=in_shape, dtype=np.int8)
        ours = convolution.arm_convolve_wrapper_s8(params, qp, x, filt, bias, out_shape)
        interp = runtime.Interpreter.from_bytes(model_bytes, arena_size=1 << 20)
        interp.set_input(x, 0)
        interp.invoke()
        ref = interp.get_output(0)
        if np.array_equal(ours, ref):
            exact += 1
        elif first is None:
            idx = tuple(int(v) for v in np.argwhere(ours != ref)[0])
            first = f"sample {i}, element {idx}: ours {int(ours[idx])}, TFLite Micro {int(ref[idx])}"
    return DemoResult(kernel, params, samples, exact, first)


def default_model() -> bytes:
    return resources.files("pycmsisnn").joinpath("data", DEFAULT_MODEL).read_bytes()


def main(model: Path | None = None, samples: int = 5, seed: int = 0) -> int:
    data = model.read_bytes() if model else default_model()
    r = run_demo(data, samples, seed)
    print(f"CONV_2D -> {r.kernel}")
    p = r.params
    print(
        f"  input_offset {p.input_offset}, output_offset {p.output_offset}, stride {p.stride.w}x{p.stride.h}, "
        f"padding {p.padding.w}x{p.padding.h}, activation [{p.activation.min}, {p.activation.max}]"
    )
    print(f"  bit-exact against TensorFlow Lite Micro: {r.exact}/{r.samples} random inputs")
    if r.first_mismatch:
        print(f"  first mismatch: {r.first_mismatch}")
    return 0 if r.exact == r.samples else 1
