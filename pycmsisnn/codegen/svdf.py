"""The emitter of the SVDF kernels (``arm_svdf_s8``, ``arm_svdf_state_s16_s8``).

The activation state argument is the layer's variable tensor, which
``Layer.input`` points into ``NAME_state`` (outside the arena: it persists
across invokes). input_ctx and output_ctx are the call's scratch buffers;
``arm_svdf_s8``'s ctx on an MVE core holds, as Arm's MVE kernel reads them,
the feature weights' row sums times the input zero point (computed here with
``arm_vector_sum_s8``, kept as a constant; our kernel reads nothing there).
"""
from __future__ import annotations

import numpy as np

from ..cores import Feature
from ..kernels.fully_connected import arm_vector_sum_s8
from ..lower import KernelCall
from ..params import SvdfParams, SvdfQuant
from .cwriter import Layer, c_int
from .structs import activation, declare_context, declare_dims, init, per_tensor_quant_params


def svdf(layer: Layer, call: KernelCall) -> None:
    a = call.args
    p, q = a["svdf_params"], a["svdf_quant"]
    if not isinstance(p, SvdfParams) or not isinstance(q, SvdfQuant):
        raise layer.refuse("svdf_params / svdf_quant must be SvdfParams / SvdfQuant")
    wf, wt = np.asarray(a["weights_feature"]), np.asarray(a["weights_time"])
    batches, input_size = layer.shape(a["input"])
    filters, memory = wt.shape
    units = filters // p.rank
    s8 = call.kernel == "arm_svdf_s8"
    first = 1 if s8 else 0  # scratch slots: [ctx,] input_ctx, output_ctx
    args = []
    if s8:
        if layer.unit.feature is Feature.MVE:
            sums = arm_vector_sum_s8(wf, -p.input_offset, 0, None)
            args.append(layer.declare("cmsis_nn_context", "ctx", init([
                ("buf", f"(void *){layer.constant(sums, 'kernel_sums')}"), ("size", c_int(sums.nbytes))])))
        else:
            args.append(declare_context(layer, "ctx", 0))
    args += [declare_context(layer, "input_ctx", first), declare_context(layer, "output_ctx", first + 1)]
    params = init([("rank", c_int(p.rank)), ("input_offset", c_int(p.input_offset)), ("output_offset", c_int(p.output_offset)),
                   ("input_activation", activation(p.input_activation)), ("output_activation", activation(p.output_activation))])
    bias = a["bias"]
    args += [
        layer.declare("cmsis_nn_svdf_params", "svdf_params", params),
        layer.declare("cmsis_nn_per_tensor_quant_params", "input_quant_params", per_tensor_quant_params(q.input, layer)),
        layer.declare("cmsis_nn_per_tensor_quant_params", "output_quant_params", per_tensor_quant_params(q.output, layer)),
        declare_dims(layer, "input_dims", (batches, input_size, 1, 1)), layer.input(a["input"], "input"),
        declare_dims(layer, "state_dims", (batches, filters * memory, 1, 1)), layer.input(a["state"], "state"),
        declare_dims(layer, "weights_feature_dims", (filters, input_size, 1, 1)), layer.input(wf, "weights_feature"),
        declare_dims(layer, "weights_time_dims", (filters, memory, 1, 1)), layer.input(wt, "weights_time"),
        declare_dims(layer, "bias_dims", (units, 1, 1, 1)), "NULL" if bias is None else layer.input(np.asarray(bias), "bias"),
        declare_dims(layer, "output_dims", (batches, units, 1, 1)), layer.output(),
    ]
    layer.returns(call.kernel, args)
