/* pycmsisnn: arm_convolve_wrapper_s8_get_buffer_size_mve, the scratch an MVE
 * (Helium) build of the wrapper needs, computable on any machine. */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s8_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims)
{
    if (arm_nn_conv_s8_is_1x1(conv_params, input_dims, filter_dims))
    {
        /* Neither 1x1 kernel needs scratch in an MVE build. */
        return 0;
    }
    if (arm_nn_conv_s8_is_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_nn_conv_s8_1_x_n_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
    }
    return arm_nn_conv_s8_col_buffer_size_mve(input_dims, filter_dims);
}
