/*
 * pycmsisnn: the shared argument checks and compute core of the s16 (16x8)
 * depthwise kernels, as TFLite Micro's reference DepthwiseConvPerChannel
 * computes them: int64 accumulator from the int64 bias (or 0), every
 * in-bounds tap adds x * w, one requantisation per output channel.
 */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_nn_depthwise_conv_s16_check(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const int16_t *input_data,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const int8_t *filter_data,
                                                    const cmsis_nn_dims *output_dims,
                                                    const int16_t *output_data)
{
    if (dw_conv_params == NULL || quant_params == NULL || quant_params->multiplier == NULL ||
        quant_params->shift == NULL || input_dims == NULL || input_data == NULL || filter_dims == NULL ||
        filter_data == NULL || output_dims == NULL || output_data == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t ch_mult = dw_conv_params->ch_mult;
    if (input_dims->n < 1 || input_dims->h < 1 || input_dims->w < 1 || input_dims->c < 1 || filter_dims->h < 1 ||
        filter_dims->w < 1 || output_dims->h < 1 || output_dims->w < 1 || ch_mult < 1 ||
        output_dims->c != input_dims->c * ch_mult || dw_conv_params->stride.w < 1 || dw_conv_params->stride.h < 1 ||
        dw_conv_params->dilation.w < 1 || dw_conv_params->dilation.h < 1 || dw_conv_params->padding.w < 0 ||
        dw_conv_params->padding.h < 0 || dw_conv_params->activation.min > dw_conv_params->activation.max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    return ARM_CMSIS_NN_SUCCESS;
}

void arm_nn_depthwise_conv_s16_core(const cmsis_nn_dw_conv_params *dw_conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int16_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter_data,
                                    const int64_t *bias_data,
                                    const cmsis_nn_dims *output_dims,
                                    int16_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_ch = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_ch = output_dims->c;
    const int32_t ch_mult = dw_conv_params->ch_mult;
    const int32_t stride_x = dw_conv_params->stride.w;
    const int32_t stride_y = dw_conv_params->stride.h;
    const int32_t dil_x = dw_conv_params->dilation.w;
    const int32_t dil_y = dw_conv_params->dilation.h;
    const int32_t pad_x = dw_conv_params->padding.w;
    const int32_t pad_y = dw_conv_params->padding.h;
    const int32_t act_min = dw_conv_params->activation.min;
    const int32_t act_max = dw_conv_params->activation.max;
    int32_t b, oy, ox, oc, ky, kx;

    for (b = 0; b < batches; b++)
    {
        const int16_t *in_batch = input_data + (size_t)b * in_h * in_w * in_ch;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * stride_y - pad_y;
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * stride_x - pad_x;
                int16_t *out = output_data + (((size_t)b * out_h + oy) * out_w + ox) * out_ch;
                for (oc = 0; oc < out_ch; oc++)
                {
                    const int32_t ic = oc / ch_mult;
                    int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    for (ky = 0; ky < k_h; ky++)
                    {
                        const int32_t y = base_y + ky * dil_y;
                        if (y < 0 || y >= in_h)
                        {
                            continue;
                        }
                        for (kx = 0; kx < k_w; kx++)
                        {
                            const int32_t x = base_x + kx * dil_x;
                            if (x < 0 || x >= in_w)
                            {
                                continue;
                            }
                            const int32_t xv = in_batch[((size_t)y * in_w + x) * in_ch + ic];
                            const int32_t wv = filter_data[((size_t)ky * k_w + kx) * out_ch + oc];
                            acc += xv * wv;
                        }
                    }
                    out[oc] = arm_nn_conv_s16_requantize_s64(
                        acc, quant_params->multiplier[oc], quant_params->shift[oc], act_min, act_max);
                }
            }
        }
    }
}
