/*
 * pycmsisnn: arm_convolve_s16, the 16x8 convolution (int16 activations, int8
 * weights), as TFLite Micro's reference ConvPerChannel computes it.
 *
 * Symmetric: the offsets of conv_params are not read. Not grouped: the filter
 * has input_dims->c channels (filter_dims->c and output_dims->n are not read,
 * as in CMSIS-NN, whose callers leave them unset). With an int64 bias (or none) each output
 * is accumulated in 64 bits and requantised once (multiplier reduced to 16
 * bits, one rounding shift); with an int32 bias (bias_data->is_int32_bias)
 * the accumulator is 32-bit and the requantisation TFLite's 32-bit double
 * rounding, as TFLite's kernel does for an int32 bias tensor. Portable C: no
 * scratch is used, whatever ctx holds.
 */
#include "Internal/arm_nn_conv_s16.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_convolve_s16(const cmsis_nn_context *ctx,
                                     const cmsis_nn_conv_params *conv_params,
                                     const cmsis_nn_per_channel_quant_params *quant_params,
                                     const cmsis_nn_dims *input_dims,
                                     const int16_t *input_data,
                                     const cmsis_nn_dims *filter_dims,
                                     const int8_t *filter_data,
                                     const cmsis_nn_dims *bias_dims,
                                     const cmsis_nn_bias_data *bias_data,
                                     const cmsis_nn_dims *output_dims,
                                     int16_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    if (conv_params == NULL || quant_params == NULL || quant_params->multiplier == NULL ||
        quant_params->shift == NULL || input_dims == NULL || input_data == NULL || filter_dims == NULL ||
        filter_data == NULL || output_dims == NULL || output_data == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_ch = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_ch = output_dims->c;
    const int32_t stride_x = conv_params->stride.w;
    const int32_t stride_y = conv_params->stride.h;
    const int32_t pad_x = conv_params->padding.w;
    const int32_t pad_y = conv_params->padding.h;
    const int32_t dil_x = conv_params->dilation.w;
    const int32_t dil_y = conv_params->dilation.h;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

    if (batches < 1 || in_h < 1 || in_w < 1 || in_ch < 1 || k_h < 1 || k_w < 1 || out_h < 1 ||
        out_w < 1 || out_ch < 1 || stride_x < 1 || stride_y < 1 || dil_x < 1 || dil_y < 1 || pad_x < 0 ||
        pad_y < 0 || act_min > act_max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const void *bias = bias_data != NULL ? bias_data->data : NULL;
    const int is_int32_bias = bias_data != NULL && bias_data->is_int32_bias;
    int32_t b, oy, ox, oc, ky, kx, ic;

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
                    const int8_t *w_oc = filter_data + (size_t)oc * k_h * k_w * in_ch;
                    int64_t acc = 0;
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
                            const int16_t *pix = in_batch + ((size_t)y * in_w + x) * in_ch;
                            const int8_t *taps = w_oc + ((size_t)ky * k_w + kx) * in_ch;
                            for (ic = 0; ic < in_ch; ic++)
                            {
                                acc += (int32_t)pix[ic] * (int32_t)taps[ic];
                            }
                        }
                    }
                    if (is_int32_bias)
                    {
                        /* 32-bit accumulator and TFLite's 32-bit requantisation. */
                        uint32_t acc32 = (uint32_t)acc;
                        if (bias != NULL)
                        {
                            acc32 += (uint32_t)((const int32_t *)bias)[oc];
                        }
                        int32_t v = arm_nn_requantize((int32_t)acc32, quant_params->multiplier[oc], quant_params->shift[oc]);
                        v = PCN_CLAMP(v, act_min, act_max);
                        out[oc] = (int16_t)v;
                    }
                    else
                    {
                        if (bias != NULL)
                        {
                            acc += ((const int64_t *)bias)[oc];
                        }
                        out[oc] = arm_nn_conv_s16_requantize_s64(
                            acc, quant_params->multiplier[oc], quant_params->shift[oc], act_min, act_max);
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
