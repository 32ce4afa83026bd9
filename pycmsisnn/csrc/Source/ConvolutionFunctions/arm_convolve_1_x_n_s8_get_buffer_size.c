/* pycmsisnn: arm_convolve_1_x_n_s8_get_buffer_size, the scratch of
 * arm_convolve_1_x_n_s8 in the build at hand. */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_1_x_n_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                              const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *output_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_nn_conv_s8_1_x_n_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
#else
    (void)conv_params;
    (void)output_dims;
    return arm_nn_conv_s8_col_buffer_size(input_dims, filter_dims);
#endif
}
