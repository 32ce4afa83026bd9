/* pycmsisnn: arm_convolve_wrapper_s16_get_buffer_size_mve, the scratch an MVE
 * (Helium) build of the wrapper needs (four int16 columns of KH * KW * C_IN
 * rounded up to 8), computable on any machine. */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s16_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                     const cmsis_nn_dims *input_dims,
                                                     const cmsis_nn_dims *filter_dims,
                                                     const cmsis_nn_dims *output_dims)
{
    (void)conv_params;
    (void)output_dims;
    return arm_nn_conv_s16_buffer_size_mve(input_dims, filter_dims);
}
