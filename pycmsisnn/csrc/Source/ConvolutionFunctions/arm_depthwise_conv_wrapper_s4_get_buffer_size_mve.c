/* pycmsisnn: arm_depthwise_conv_wrapper_s4_get_buffer_size_mve: scratch of
 * arm_depthwise_conv_wrapper_s4 in an MVE build, computable on any machine */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_wrapper_s4_get_buffer_size_mve(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    if (arm_nn_dw_s4_takes_opt(dw_conv_params, input_dims) && input_dims->c == output_dims->c)
    {
        /* Arm's MVE size (its s8 _opt kernel's); ours unpacks the weights there when they fit */
        return arm_depthwise_conv_s8_opt_get_buffer_size_mve(input_dims, filter_dims);
    }
    return arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp(dw_conv_params, input_dims, filter_dims, output_dims);
}
