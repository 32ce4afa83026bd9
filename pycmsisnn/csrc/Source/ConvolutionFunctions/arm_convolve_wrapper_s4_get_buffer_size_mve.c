/* pycmsisnn: arm_convolve_wrapper_s4_get_buffer_size_mve: scratch of
 * arm_convolve_wrapper_s4 in an MVE build: as in a DSP build (no Helium path
 * of its own) */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s4_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    if (arm_nn_conv_s4_is_1x1(conv_params, input_dims, filter_dims))
    {
        return arm_nn_conv_s4_is_1x1_fast(conv_params) ? arm_convolve_1x1_s4_fast_get_buffer_size(input_dims) : 0;
    }
    return arm_nn_conv_s4_col_buffer_size_mve(input_dims, filter_dims);
}
