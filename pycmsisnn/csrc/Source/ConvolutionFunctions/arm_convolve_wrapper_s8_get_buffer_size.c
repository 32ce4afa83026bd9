/* pycmsisnn: arm_convolve_wrapper_s8_get_buffer_size, the scratch of the
 * kernel the wrapper picks, in the build at hand. */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                                const cmsis_nn_dims *input_dims,
                                                const cmsis_nn_dims *filter_dims,
                                                const cmsis_nn_dims *output_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_convolve_wrapper_s8_get_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
#elif defined(ARM_MATH_DSP)
    return arm_convolve_wrapper_s8_get_buffer_size_dsp(conv_params, input_dims, filter_dims, output_dims);
#else
    if (arm_nn_conv_s8_is_1x1(conv_params, input_dims, filter_dims))
    {
        return arm_nn_conv_s8_is_1x1_fast(conv_params) ? arm_convolve_1x1_s8_fast_get_buffer_size(input_dims) : 0;
    }
    if (arm_nn_conv_s8_is_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_convolve_1_x_n_s8_get_buffer_size(conv_params, input_dims, filter_dims, output_dims);
    }
    return arm_convolve_s8_get_buffer_size(input_dims, filter_dims);
#endif
}
