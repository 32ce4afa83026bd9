/*
 * pycmsisnn: arm_depthwise_conv_s8_opt_get_buffer_size_dsp, the scratch
 * arm_depthwise_conv_s8_opt needs on a DSP build: one filter window of every
 * channel, widened to int16.
 */
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_s8_opt_get_buffer_size_dsp(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    return input_dims->c * filter_dims->w * filter_dims->h * (int32_t)sizeof(int16_t);
}
