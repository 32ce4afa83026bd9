/* pycmsisnn: arm_convolve_1x1_s4_fast_get_buffer_size: scratch of arm_convolve_1x1_s4_fast (none) */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_1x1_s4_fast_get_buffer_size(const cmsis_nn_dims *input_dims)
{
    (void)input_dims;
    return 0;
}
