/* pycmsisnn: arm_convolve_s8_get_buffer_size, the scratch of arm_convolve_s8
 * in the build at hand (the MVE layout when compiled for Helium). */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_s8_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_nn_conv_s8_col_buffer_size_mve(input_dims, filter_dims);
#else
    return arm_nn_conv_s8_col_buffer_size(input_dims, filter_dims);
#endif
}
