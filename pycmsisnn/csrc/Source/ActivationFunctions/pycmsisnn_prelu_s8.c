/*
 * pycmsisnn: pycmsisnn_prelu_s8.
 *
 * int8 PRELU as TensorFlow Lite Micro evaluates it: a non-negative offset
 * input is requantised by s_in / s_out, a negative one is multiplied by the
 * offset alpha and requantised by s_in * s_alpha / s_out; the output zero
 * point is added and the result clamped. Input and alpha broadcast to the
 * output (NHWC dims, each 1 or the output's).
 *
 * The body is shared with its twin (pcn_prelu, Internal/pycmsisnn_math_ops_common.h).
 */
#include "pycmsisnn_math_ops.h"
#include "Internal/pycmsisnn_math_ops_common.h"

arm_cmsis_nn_status pycmsisnn_prelu_s8(const pycmsisnn_prelu_params *params,
                                       const cmsis_nn_dims *input_dims,
                                       const int8_t *input,
                                       const cmsis_nn_dims *alpha_dims,
                                       const int8_t *alpha,
                                       const cmsis_nn_dims *output_dims,
                                       int8_t *output)
{
    return pcn_prelu(params, input_dims, input, alpha_dims, alpha, output_dims, output, 1);
}
