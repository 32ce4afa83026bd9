/* pycmsisnn: arm_depthwise_conv_s4_opt: depthwise convolution with packed int4
 * weights for C_OUT == C_IN (ch_mult 1), batch 1 */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_depthwise_conv_s4_opt(const cmsis_nn_context *ctx,
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
    if (input_dims->c != output_dims->c || dw_conv_params->ch_mult != 1 || input_dims->n != 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
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
