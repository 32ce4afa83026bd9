/* pycmsisnn: arm_maximum_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_maximum_s8(const cmsis_nn_context *ctx,
                                   const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims,
                                   const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims,
                                   int8_t *output_data,
                                   const cmsis_nn_dims *output_dims)
{
    (void)ctx;
    (void)input_1_data;
    (void)input_1_dims;
    (void)input_2_data;
    (void)input_2_dims;
    (void)output_data;
    (void)output_dims;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
