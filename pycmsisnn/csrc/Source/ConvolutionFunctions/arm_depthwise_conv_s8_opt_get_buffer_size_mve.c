/*
 * pycmsisnn: arm_depthwise_conv_s8_opt_get_buffer_size_mve, the scratch
 * arm_depthwise_conv_s8_opt needs on an MVE build: four blocks of
 * PCN_DW_CH_IN_BLOCK_MVE channels of one filter window, whatever the
 * layer's channel count.
 */
#include "arm_nnfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"

int32_t arm_depthwise_conv_s8_opt_get_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    return 4 * PCN_DW_CH_IN_BLOCK_MVE * filter_dims->w * filter_dims->h * (int32_t)sizeof(int8_t);
}
