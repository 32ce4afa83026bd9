/* pycmsisnn: arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp, the scratch
 * a DSP build of the wrapper needs, computable on any machine: the fast
 * kernel's for channel multiplier 1 without dilation, else none. */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims,
                                                           const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    if (!arm_nn_dw_s16_takes_fast(dw_conv_params))
    {
        return 0;
    }
    return arm_nn_dw_s16_fast_buffer_size_dsp(input_dims, filter_dims);
}
