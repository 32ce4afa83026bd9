/* pycmsisnn: arm_convolve_s16_get_buffer_size, the scratch arm_convolve_s16
 * may use in the build at hand: in DSP and MVE builds what CMSIS-NN's kernels
 * of those builds need (so that plans made for either library fit both), in
 * the portable build what the DSP build needs, as Arm's portable build asks
 * (the portable kernel uses none of it). */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_s16_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_nn_conv_s16_buffer_size_mve(input_dims, filter_dims);
#elif defined(ARM_MATH_DSP)
    return arm_nn_conv_s16_buffer_size_dsp(input_dims, filter_dims);
#else
    return arm_nn_conv_s16_buffer_size_dsp(input_dims, filter_dims);
#endif
}
