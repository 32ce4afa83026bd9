/* pycmsisnn: arm_transpose_conv_s8_get_buffer_size, the ctx scratch of
 * arm_transpose_conv_wrapper_s8 (and arm_transpose_conv_s8) in the build at
 * hand: the im2col column of the reverse convolution on that route, else the
 * row buffer of the scatter route. */
#include "Internal/arm_nn_transpose_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_transpose_conv_s8_get_buffer_size(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                              const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *out_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_transpose_conv_s8_get_buffer_size_mve(transpose_conv_params, input_dims, filter_dims, out_dims);
#else
    if (arm_nn_transpose_conv_s8_is_reverse(transpose_conv_params, input_dims))
    {
        const cmsis_nn_dims up = arm_nn_transpose_conv_s8_upscaled_dims(transpose_conv_params, input_dims);
        return arm_convolve_s8_get_buffer_size(&up, filter_dims);
    }
    return arm_nn_transpose_conv_s8_rows_buffer_size(transpose_conv_params, input_dims, filter_dims, out_dims);
#endif
}
