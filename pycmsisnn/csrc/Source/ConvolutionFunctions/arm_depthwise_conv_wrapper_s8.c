/*
 * pycmsisnn: arm_depthwise_conv_wrapper_s8, picks the s8 depthwise kernel
 * for the layer.
 *
 * Channel multiplier 1, one batch and no dilation go to an optimised kernel:
 * arm_depthwise_conv_3x3_s8 for a 3x3 filter with padding of at most 1,
 * arm_depthwise_conv_s8_opt otherwise. Every other layer goes to the generic
 * arm_depthwise_conv_s8. An MVE build, like the official library's, sends
 * 3x3 layers to arm_depthwise_conv_s8_opt too. (The official MVE build also
 * runs a one-input-channel layer as an ordinary convolution; that route is
 * not taken here, though the MVE buffer size allows for it.)
 */
#include "arm_nnfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"

arm_cmsis_nn_status arm_depthwise_conv_wrapper_s8(const cmsis_nn_context *ctx,
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
    if (arm_nn_dw_s8_takes_opt(dw_conv_params->ch_mult == 1, dw_conv_params, input_dims))
    {
#if !defined(ARM_MATH_MVEI)
        if (arm_nn_dw_s8_takes_3x3(dw_conv_params, filter_dims))
        {
            return arm_depthwise_conv_3x3_s8(ctx,
                                             dw_conv_params,
                                             quant_params,
                                             input_dims,
                                             input_data,
                                             filter_dims,
                                             filter_data,
                                             bias_dims,
                                             bias_data,
                                             output_dims,
                                             output_data);
        }
#endif
        return arm_depthwise_conv_s8_opt(ctx,
                                         dw_conv_params,
                                         quant_params,
                                         input_dims,
                                         input_data,
                                         filter_dims,
                                         filter_data,
                                         bias_dims,
                                         bias_data,
                                         output_dims,
                                         output_data);
    }
    return arm_depthwise_conv_s8(ctx,
                                 dw_conv_params,
                                 quant_params,
                                 input_dims,
                                 input_data,
                                 filter_dims,
                                 filter_data,
                                 bias_dims,
                                 bias_data,
                                 output_dims,
                                 output_data);
}
