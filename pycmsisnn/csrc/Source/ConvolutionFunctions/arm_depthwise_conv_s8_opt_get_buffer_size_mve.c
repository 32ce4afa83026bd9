/* pycmsisnn: arm_depthwise_conv_s8_opt_get_buffer_size_mve (not implemented yet). */
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_s8_opt_get_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    (void)filter_dims;
    return 0;
}
