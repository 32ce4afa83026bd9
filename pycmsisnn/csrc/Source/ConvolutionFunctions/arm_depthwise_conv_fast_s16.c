/*
 * pycmsisnn: arm_depthwise_conv_fast_s16, the 16x8 depthwise convolution with
 * channel multiplier 1 (output channels equal input channels). ARG_ERROR for
 * another multiplier or channel count, and for a NULL ctx->buf when
 * arm_depthwise_conv_fast_s16_get_buffer_size asks for scratch, as CMSIS-NN
 * documents. Portable C: computed by the shared direct core (which also takes
 * dilation and batches); the scratch is not written.
 */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_depthwise_conv_fast_s16(const cmsis_nn_context *ctx,
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
    (void)bias_dims;
    const arm_cmsis_nn_status status = arm_nn_depthwise_conv_s16_check(
        dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, output_dims, output_data);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    if (dw_conv_params->ch_mult != 1 || input_dims->c != output_dims->c)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (arm_depthwise_conv_fast_s16_get_buffer_size(input_dims, filter_dims) > 0 && (ctx == NULL || ctx->buf == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
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
