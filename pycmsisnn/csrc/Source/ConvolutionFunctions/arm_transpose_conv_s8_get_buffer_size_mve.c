/* pycmsisnn: arm_transpose_conv_s8_get_buffer_size_mve, the ctx scratch an
 * MVE (Helium) build needs, computable on any machine. */
#include "Internal/arm_nn_transpose_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_transpose_conv_s8_get_buffer_size_mve(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                  const cmsis_nn_dims *input_dims,
                                                  const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *out_dims)
{
    if (arm_nn_transpose_conv_s8_is_reverse(transpose_conv_params, input_dims))
    {
        const cmsis_nn_dims up = arm_nn_transpose_conv_s8_upscaled_dims(transpose_conv_params, input_dims);
        return arm_nn_conv_s8_col_buffer_size_mve(&up, filter_dims);
    }
    return arm_nn_transpose_conv_s8_rows_buffer_size(transpose_conv_params, input_dims, filter_dims, out_dims);
}
