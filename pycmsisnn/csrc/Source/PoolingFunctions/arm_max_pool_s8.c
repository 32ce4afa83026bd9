/* pycmsisnn: arm_max_pool_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_max_pool_s8(const cmsis_nn_context *ctx,
                                    const cmsis_nn_pool_params *pool_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
    (void)ctx;
    (void)pool_params;
    (void)input_dims;
    (void)input_data;
    (void)filter_dims;
    (void)output_dims;
    (void)output_data;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
