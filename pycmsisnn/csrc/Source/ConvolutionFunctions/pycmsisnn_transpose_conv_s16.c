/*
 * pycmsisnn: pycmsisnn_transpose_conv_s16, 16x8 TRANSPOSE_CONV (CMSIS-NN has
 * no int16 transpose convolution).
 *
 * TensorFlow Lite Micro's int16 reference scatters every input value times
 * every filter tap into an int64 buffer as large as the output, then adds the
 * int64 bias, requantises each sum (64-bit MultiplyByQuantizedMultiplier) and
 * clamps it. The sums are exact integers, so this kernel gathers them per
 * output element instead, in the same 64 bits, and needs no buffer: output
 * row oy receives input row iy through filter row ky when
 * oy = iy * stride.h - padding.h + ky, that is when oy + padding.h - ky is a
 * non-negative multiple of stride.h below input height * stride.h (and
 * likewise for columns). Portable C.
 */
#include "pycmsisnn_conv_fc_s16.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith_s16.h"

/* The input index reaching output index `out` through tap `k`, or -1. */
static int32_t source_index(const int32_t out, const int32_t k, const int32_t pad, const int32_t stride, const int32_t in)
{
    const int32_t t = out + pad - k;
    if (t < 0 || t % stride != 0 || t / stride >= in)
    {
        return -1;
    }
    return t / stride;
}

arm_cmsis_nn_status pycmsisnn_transpose_conv_s16(const cmsis_nn_transpose_conv_params *transpose_conv_params,
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
    if (transpose_conv_params == NULL || quant_params == NULL || input_dims == NULL || filter_dims == NULL ||
        output_dims == NULL || input_data == NULL || filter_data == NULL || output_data == NULL ||
        quant_params->multiplier == NULL || quant_params->shift == NULL)
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
    const int32_t stride_x = transpose_conv_params->stride.w;
    const int32_t stride_y = transpose_conv_params->stride.h;
    const int32_t pad_x = transpose_conv_params->padding.w;
    const int32_t pad_y = transpose_conv_params->padding.h;
    const int32_t act_min = transpose_conv_params->activation.min;
    const int32_t act_max = transpose_conv_params->activation.max;

    if (batches < 1 || in_h < 1 || in_w < 1 || in_ch < 1 || k_h < 1 || k_w < 1 || out_h < 1 || out_w < 1 ||
        out_ch < 1 || output_dims->n != batches || filter_dims->c != in_ch || filter_dims->n != out_ch ||
        stride_x < 1 || stride_y < 1 || pad_x < 0 || pad_y < 0 || act_min > act_max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t oc;
    for (oc = 0; oc < out_ch; oc++)
    {
        if (quant_params->shift[oc] > PCN_S64_SHIFT_MAX || quant_params->multiplier[oc] < 0)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
    }

    int32_t b, oy, ox, ky, kx, ic;
    for (b = 0; b < batches; b++)
    {
        const int16_t *in_batch = input_data + (size_t)b * in_h * in_w * in_ch;
        for (oy = 0; oy < out_h; oy++)
        {
            for (ox = 0; ox < out_w; ox++)
            {
                int16_t *out = output_data + (((size_t)b * out_h + oy) * out_w + ox) * out_ch;
                for (oc = 0; oc < out_ch; oc++)
                {
                    const int8_t *w_oc = filter_data + (size_t)oc * k_h * k_w * in_ch;
                    int64_t acc = 0;
                    for (ky = 0; ky < k_h; ky++)
                    {
                        const int32_t y = source_index(oy, ky, pad_y, stride_y, in_h);
                        if (y < 0)
                        {
                            continue;
                        }
                        for (kx = 0; kx < k_w; kx++)
                        {
                            const int32_t x = source_index(ox, kx, pad_x, stride_x, in_w);
                            if (x < 0)
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
                    if (bias_data != NULL)
                    {
                        acc += bias_data[oc];
                    }
                    const int32_t v = pcn_requantize_s64(acc, quant_params->multiplier[oc], quant_params->shift[oc]);
                    out[oc] = (int16_t)PCN_CLAMP(v, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
