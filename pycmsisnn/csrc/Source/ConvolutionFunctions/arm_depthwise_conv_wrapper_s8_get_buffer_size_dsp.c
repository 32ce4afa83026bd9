/*
 * pycmsisnn: arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp, the scratch
 * arm_depthwise_conv_wrapper_s8 needs on a DSP (non-MVE) build.
 *
 * Only arm_depthwise_conv_s8_opt uses scratch there; the 3x3 and the generic
 * kernels need none.
 */
#include "arm_nnfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"

int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    if (!arm_nn_dw_s8_takes_opt(input_dims->c == output_dims->c, dw_conv_params, input_dims) ||
        arm_nn_dw_s8_takes_3x3(dw_conv_params, filter_dims))
    {
        return 0;
    }
    return arm_depthwise_conv_s8_opt_get_buffer_size_dsp(input_dims, filter_dims);
}
