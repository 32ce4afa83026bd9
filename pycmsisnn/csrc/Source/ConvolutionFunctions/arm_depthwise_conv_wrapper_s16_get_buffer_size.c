/* pycmsisnn: arm_depthwise_conv_wrapper_s16_get_buffer_size, the scratch of
 * the kernel the wrapper picks, in the build at hand. */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_wrapper_s16_get_buffer_size(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                       const cmsis_nn_dims *input_dims,
                                                       const cmsis_nn_dims *filter_dims,
                                                       const cmsis_nn_dims *output_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_depthwise_conv_wrapper_s16_get_buffer_size_mve(dw_conv_params, input_dims, filter_dims, output_dims);
#elif defined(ARM_MATH_DSP)
    return arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(dw_conv_params, input_dims, filter_dims, output_dims);
#else
    (void)dw_conv_params;
    (void)input_dims;
    (void)filter_dims;
    (void)output_dims;
    return 0;
#endif
}
