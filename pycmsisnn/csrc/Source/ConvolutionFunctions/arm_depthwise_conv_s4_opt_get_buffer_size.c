/* pycmsisnn: arm_depthwise_conv_s4_opt_get_buffer_size: scratch promised to
 * arm_depthwise_conv_s4_opt: one int16 column of KH * KW * C_IN entries (the
 * DSP layout; the portable kernel uses none) */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

int32_t arm_depthwise_conv_s4_opt_get_buffer_size(const cmsis_nn_dims *input_dims,
                                                  const cmsis_nn_dims *filter_dims)
{
    return input_dims->c * filter_dims->w * filter_dims->h * (int32_t)sizeof(int16_t);
}
