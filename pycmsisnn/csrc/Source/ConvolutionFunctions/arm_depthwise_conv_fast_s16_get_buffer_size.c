/* pycmsisnn: arm_depthwise_conv_fast_s16_get_buffer_size, the scratch of the
 * fast kernel in the build at hand: CMSIS-NN's DSP and MVE figures in those
 * builds, nothing in the portable build. */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_fast_s16_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_nn_dw_s16_fast_buffer_size_mve(input_dims, filter_dims);
#elif defined(ARM_MATH_DSP)
    return arm_nn_dw_s16_fast_buffer_size_dsp(input_dims, filter_dims);
#else
    (void)input_dims;
    (void)filter_dims;
    return 0;
#endif
}
