/* pycmsisnn: arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp: scratch of
 * arm_depthwise_conv_wrapper_s4 in a DSP (or portable) build, computable on
 * any machine */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_wrapper_s4_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    if (!arm_nn_dw_s4_takes_opt(dw_conv_params, input_dims) || input_dims->c != output_dims->c)
    {
        return 0;
    }
    return arm_depthwise_conv_s4_opt_get_buffer_size(input_dims, filter_dims);
}
