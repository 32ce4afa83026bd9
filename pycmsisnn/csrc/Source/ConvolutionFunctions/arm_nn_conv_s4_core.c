/*
 * pycmsisnn: compute cores shared by the s4 convolution and depthwise kernels
 * (Internal/arm_nn_s4.h). Portable C: one dot product per output value, the
 * weights read from their nibbles as they go, no scratch. The sums and their
 * requantisation are those of TensorFlow Lite Micro's int8 reference kernels
 * run on the unpacked weights.
 */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_nn_conv_s4_direct(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;
    const int32_t pad_h = conv_params->padding.h;
    const int32_t pad_w = conv_params->padding.w;
    const int32_t dil_h = conv_params->dilation.h;
    const int32_t dil_w = conv_params->dilation.w;
    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

    if (in_c < 1 || k_h < 1 || k_w < 1 || batches < 0 || out_c < 0 || stride_h < 1 ||
        stride_w < 1 || dil_h < 1 || dil_w < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t row = k_w * in_c; /* weights of one filter row */
    const int32_t per_out = k_h * row;
    int8_t *dst = output_data;
    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++)
        {
            const int32_t y0 = oy * stride_h - pad_h;
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int32_t x0 = ox * stride_w - pad_w;
                /* Taps [kx_lo, kx_hi) of a row fall inside the input. */
                int32_t kx_lo = 0;
                int32_t kx_hi = k_w;
                while (kx_lo < k_w && x0 + kx_lo * dil_w < 0)
                {
                    kx_lo++;
                }
                while (kx_hi > kx_lo && x0 + (kx_hi - 1) * dil_w >= in_w)
                {
                    kx_hi--;
                }
                for (int32_t oc = 0; oc < out_c; oc++)
                {
                    int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    const int32_t w0 = oc * per_out;
                    for (int32_t ky = 0; ky < k_h; ky++)
                    {
                        const int32_t iy = y0 + ky * dil_h;
                        if (iy < 0 || iy >= in_h)
                        {
                            continue;
                        }
                        const int8_t *in_row = in_batch + (size_t)iy * in_w * in_c;
                        if (dil_w == 1)
                        {
                            /* The taps of the row are adjacent pixels: one run. */
                            acc += pcn_s4_dot(in_row + (size_t)(x0 + kx_lo) * in_c,
                                              filter_data,
                                              w0 + ky * row + kx_lo * in_c,
                                              (kx_hi - kx_lo) * in_c,
                                              input_offset);
                            continue;
                        }
                        for (int32_t kx = kx_lo; kx < kx_hi; kx++)
                        {
                            acc += pcn_s4_dot(in_row + (size_t)(x0 + kx * dil_w) * in_c,
                                              filter_data,
                                              w0 + ky * row + kx * in_c,
                                              in_c,
                                              input_offset);
                        }
                    }
                    *dst++ = arm_nn_requantize_clamp_s8(
                        acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_nn_depthwise_conv_s4_direct(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const int8_t *input_data,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const int8_t *filter_data,
                                                    const int32_t *bias_data,
                                                    const cmsis_nn_dims *output_dims,
                                                    int8_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t ch_mult = dw_conv_params->ch_mult;
    const int32_t stride_h = dw_conv_params->stride.h;
    const int32_t stride_w = dw_conv_params->stride.w;
    const int32_t pad_h = dw_conv_params->padding.h;
    const int32_t pad_w = dw_conv_params->padding.w;
    const int32_t dil_h = dw_conv_params->dilation.h;
    const int32_t dil_w = dw_conv_params->dilation.w;
    const int32_t input_offset = dw_conv_params->input_offset;
    const int32_t output_offset = dw_conv_params->output_offset;
    const int32_t act_min = dw_conv_params->activation.min;
    const int32_t act_max = dw_conv_params->activation.max;

    if (ch_mult < 1 || in_c < 1 || out_c != in_c * ch_mult || batches < 0 ||
        stride_h < 1 || stride_w < 1 || dil_h < 1 || dil_w < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    int8_t *dst = output_data;
    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++)
        {
            const int32_t y0 = oy * stride_h - pad_h;
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int32_t x0 = ox * stride_w - pad_w;
                for (int32_t oc = 0; oc < out_c; oc++)
                {
                    const int32_t ic = oc / ch_mult;
                    int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    for (int32_t ky = 0; ky < k_h; ky++)
                    {
                        const int32_t iy = y0 + ky * dil_h;
                        if (iy < 0 || iy >= in_h)
                        {
                            continue;
                        }
                        for (int32_t kx = 0; kx < k_w; kx++)
                        {
                            const int32_t ix = x0 + kx * dil_w;
                            if (ix < 0 || ix >= in_w)
                            {
                                continue;
                            }
                            const int32_t x = in_batch[((size_t)iy * in_w + (size_t)ix) * in_c + (size_t)ic];
                            acc += (x + input_offset) * pcn_s4_weight(filter_data, (ky * k_w + kx) * out_c + oc);
                        }
                    }
                    *dst++ = arm_nn_requantize_clamp_s8(
                        acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
