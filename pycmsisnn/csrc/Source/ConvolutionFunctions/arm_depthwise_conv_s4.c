/* pycmsisnn: arm_depthwise_conv_s4: generic depthwise convolution with packed
 * int4 weights [1, KH, KW, C_IN * ch_mult] (any ch_mult, stride, padding,
 * dilation, batch) */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_depthwise_conv_s4(const cmsis_nn_context *ctx,
                                          const cmsis_nn_dw_conv_params *dw_conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const cmsis_nn_dims *bias_dims,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    return arm_nn_depthwise_conv_s4_direct(dw_conv_params,
                                           quant_params,
                                           input_dims,
                                           input_data,
                                           filter_dims,
                                           filter_data,
                                           bias_data,
                                           output_dims,
                                           output_data);
}
