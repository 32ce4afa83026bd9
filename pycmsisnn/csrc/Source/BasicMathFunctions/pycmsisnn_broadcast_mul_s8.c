/*
 * pycmsisnn: pycmsisnn_broadcast_mul_s8.
 *
 * Quantised MUL of two int8 NHWC tensors with broadcasting: the exact
 * product of the two offset inputs is rescaled once to the output scale,
 * offset and clamped (TensorFlow Lite's integer MUL recipe).
 *
 * Each input dimension equals the output's or is 1; a dimension of 1 is
 * repeated along the output (NumPy / TFLite broadcasting, right-aligned
 * shapes padded to four dimensions by the caller).
 *
 * Runs in which each input is contiguous or one repeated value go through
 * the MVE / DSP loops of the elementwise kernels on cores that have them
 * (Internal/pycmsisnn_broadcast_arith_s8.h).
 */
#include "pycmsisnn_tensor_ops.h"
#include "Internal/pycmsisnn_broadcast_arith_s8.h"

arm_cmsis_nn_status pycmsisnn_broadcast_mul_s8(const pycmsisnn_mul_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output)
{
    return pcn_bc_mul_s8(params, input_1_dims, input_1, input_2_dims, input_2, output_dims, output);
}
