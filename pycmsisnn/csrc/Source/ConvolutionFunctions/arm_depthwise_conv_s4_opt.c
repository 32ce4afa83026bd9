/* pycmsisnn: arm_depthwise_conv_s4_opt: depthwise convolution with packed int4
 * weights for C_OUT == C_IN (ch_mult 1), batch 1.
 *
 * DSP and MVE builds unpack the weights to int8 in the scratch (C * KH * KW
 * bytes of the 2 * C * KH * KW promised) and run the s8 depthwise blocks
 * (Internal/arm_nn_depthwise_s8_simd.h) on them: the same sums, so the same
 * outputs as the portable loops, which serve portable builds and calls
 * without scratch. */
#include "Internal/arm_nn_depthwise_s8_simd.h"
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
    (void)bias_dims;
    if (input_dims->c != output_dims->c || dw_conv_params->ch_mult != 1 || input_dims->n != 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (ctx != NULL && ctx->buf != NULL && ctx->size >= filter_dims->h * filter_dims->w * output_dims->c &&
        arm_nn_dw_s8_simd_takes(dw_conv_params))
    {
        int8_t *weights = (int8_t *)ctx->buf;
        pcn_s4_unpack(filter_data, filter_dims->h * filter_dims->w * output_dims->c, weights);
        arm_nn_dw_s8_ch1_simd(dw_conv_params,
                              quant_params,
                              input_dims,
                              input_data,
                              filter_dims,
                              weights,
                              bias_data,
                              output_dims,
                              output_data);
        return ARM_CMSIS_NN_SUCCESS;
    }
#else
    (void)ctx;
#endif
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
