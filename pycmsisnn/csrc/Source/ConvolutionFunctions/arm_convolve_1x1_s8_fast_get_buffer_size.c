/* pycmsisnn: arm_convolve_1x1_s8_fast_get_buffer_size (not implemented yet). */
#include "arm_nnfunctions.h"

int32_t arm_convolve_1x1_s8_fast_get_buffer_size(const cmsis_nn_dims *input_dims)
{
    (void)input_dims;
    return 0;
}
