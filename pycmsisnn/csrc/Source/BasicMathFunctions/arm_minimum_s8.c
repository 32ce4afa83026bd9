/*
 * pycmsisnn: arm_minimum_s8.
 *
 * Elementwise minimum of two int8 NHWC tensors: each output element is the
 * smaller of the two raw input values (both inputs share the output's
 * quantisation, so no rescaling). A dimension of size 1 in either input is
 * repeated along the output's dimension. No scratch memory is used; ctx may
 * be NULL.
 */
#include "Internal/arm_nn_broadcast_s8.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_minimum_s8(const cmsis_nn_context *ctx,
                                   const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims,
                                   const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims,
                                   int8_t *output_data,
                                   const cmsis_nn_dims *output_dims)
{
    (void)ctx;
    return arm_nn_min_max_broadcast_s8(
        input_1_data, input_1_dims, input_2_data, input_2_dims, output_data, output_dims, 0);
}
