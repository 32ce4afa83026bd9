/*
 * pycmsisnn: arm_depthwise_conv_s8_opt_get_buffer_size, the scratch
 * arm_depthwise_conv_s8_opt needs on the build it is compiled for.
 */
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_s8_opt_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_depthwise_conv_s8_opt_get_buffer_size_mve(input_dims, filter_dims);
#elif defined(ARM_MATH_DSP)
    return arm_depthwise_conv_s8_opt_get_buffer_size_dsp(input_dims, filter_dims);
#else
    /* The portable kernel sums straight from the input. */
    (void)input_dims;
    (void)filter_dims;
    return 0;
#endif
}
