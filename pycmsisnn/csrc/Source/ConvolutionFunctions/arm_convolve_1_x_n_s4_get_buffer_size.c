/* pycmsisnn: arm_convolve_1_x_n_s4_get_buffer_size: scratch of arm_convolve_1_x_n_s4 */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_1_x_n_s4_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                              const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *output_dims)
{
    (void)conv_params;
    (void)output_dims;
    return arm_nn_conv_s4_col_buffer_size(input_dims, filter_dims);
}
