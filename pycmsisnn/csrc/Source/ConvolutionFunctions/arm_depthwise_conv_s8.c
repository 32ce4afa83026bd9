/*
 * pycmsisnn: arm_depthwise_conv_s8, the generic s8 depthwise convolution.
 *
 * Handles any channel multiplier, dilation and batch count. Output channel
 * oc = ic * ch_mult + m reads input channel ic; every in-bounds tap adds
 * (x + input_offset) * w to the int32 accumulator, which starts at the bias
 * (or 0 without one) and is requantised per output channel.
 *
 * MVE and DSP builds clip each output pixel's (dilated) window to the input
 * once and vectorise over channels: channel multiplier 1 as the _opt kernel
 * does, larger multipliers over the output channels of one input channel
 * (Internal/arm_nn_depthwise_s8_simd.h). The portable loops below serve the
 * portable build and the layers those leave (arm_nn_dw_s8_simd_takes).
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_depthwise_s8_simd.h"
#include "Internal/pycmsisnn_host_s8.h"

arm_cmsis_nn_status arm_depthwise_conv_s8(const cmsis_nn_context *ctx,
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
    const int32_t in_offset = dw_conv_params->input_offset;
    int32_t b, oy, ox, ic, m;

    (void)ctx;
    (void)bias_dims;

    /* The filter and output are indexed by in_ch * ch_mult channels. */
    if (ch_mult < 1 || in_ch < 1 || out_ch != in_ch * ch_mult)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(PCN_HOST_S8)
    if (pcn_host_s8_dw(dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data,
                       output_dims, output_data))
    {
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (arm_nn_dw_s8_simd_takes(dw_conv_params))
    {
        arm_nn_dw_s8_simd(dw_conv_params,
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
#endif

    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * in_ch;

        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * stride_y - pad_y;

            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * stride_x - pad_x;

                for (ic = 0; ic < in_ch; ic++)
                {
                    for (m = 0; m < ch_mult; m++)
                    {
                        const int32_t oc = ic * ch_mult + m;
                        int32_t acc = (bias_data != NULL) ? bias_data[oc] : 0;
                        int32_t ky, kx;

                        for (ky = 0; ky < k_h; ky++)
                        {
                            const int32_t iy = base_y + ky * dil_y;

                            if (iy < 0 || iy >= in_h)
                            {
                                continue;
                            }
                            for (kx = 0; kx < k_w; kx++)
                            {
                                const int32_t ix = base_x + kx * dil_x;
                                int32_t x, w;

                                if (ix < 0 || ix >= in_w)
                                {
                                    continue;
                                }
                                x = in_batch[(iy * in_w + ix) * in_ch + ic];
                                w = filter_data[(ky * k_w + kx) * out_ch + oc];
                                acc += (x + in_offset) * w;
                            }
                        }
                        *output_data++ = arm_nn_requantize_clamp_s8(acc,
                                                                    quant_params->multiplier[oc],
                                                                    quant_params->shift[oc],
                                                                    dw_conv_params->output_offset,
                                                                    dw_conv_params->activation.min,
                                                                    dw_conv_params->activation.max);
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
