/*
 * pycmsisnn: arm_depthwise_conv_s16, the generic 16x8 depthwise convolution:
 * any channel multiplier, dilation and batch; int64 bias or NULL. Symmetric:
 * the offsets of dw_conv_params are not read. No scratch is used.
 */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_depthwise_conv_s16(const cmsis_nn_context *ctx,
                                           const cmsis_nn_dw_conv_params *dw_conv_params,
                                           const cmsis_nn_per_channel_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims,
                                           const int16_t *input_data,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims,
                                           const int64_t *bias_data,
                                           const cmsis_nn_dims *output_dims,
                                           int16_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    const arm_cmsis_nn_status status = arm_nn_depthwise_conv_s16_check(
        dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, output_dims, output_data);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    arm_nn_depthwise_conv_s16_core(dw_conv_params,
                                   quant_params,
                                   input_dims,
                                   input_data,
                                   filter_dims,
                                   filter_data,
                                   bias_data,
                                   output_dims,
                                   output_data);
    return ARM_CMSIS_NN_SUCCESS;
}
