/* pycmsisnn: arm_convolve_s4_get_buffer_size: scratch of arm_convolve_s4 and arm_convolve_even_s4 */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_s4_get_buffer_size(const cmsis_nn_dims *input_dims,
                                        const cmsis_nn_dims *filter_dims)
{
    return arm_nn_conv_s4_col_buffer_size(input_dims, filter_dims);
}
