/* pycmsisnn: arm_convolve_wrapper_s4_get_buffer_size: scratch of the kernel arm_convolve_wrapper_s4 picks */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_convolve_wrapper_s4_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                                const cmsis_nn_dims *input_dims,
                                                const cmsis_nn_dims *filter_dims,
                                                const cmsis_nn_dims *output_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_convolve_wrapper_s4_get_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
#else
    return arm_convolve_wrapper_s4_get_buffer_size_dsp(conv_params, input_dims, filter_dims, output_dims);
#endif
}
