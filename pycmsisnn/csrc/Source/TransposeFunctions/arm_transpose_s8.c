/* pycmsisnn: arm_transpose_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_transpose_s8(const int8_t *input_data,
                                     int8_t *output_data,
                                     const cmsis_nn_dims *input_dims,
                                     const cmsis_nn_dims *output_dims,
                                     const cmsis_nn_transpose_params *transpose_params)
{
    (void)input_data;
    (void)output_data;
    (void)input_dims;
    (void)output_dims;
    (void)transpose_params;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
