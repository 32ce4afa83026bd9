/*
 * pycmsisnn: arm_transpose_conv_s8, transposed convolution as TensorFlow Lite
 * Micro's reference defines it: input pixel (iy, ix) times filter tap
 * (ky, kx) lands on output (iy * stride_h - pad_h + ky, ix * stride_w -
 * pad_w + kx), taps landing outside the output are dropped, then bias,
 * per-channel requantisation, output offset and clamp.
 *
 * Instead of scattering into an int32 image, each output element gathers the
 * (input pixel, tap) pairs that land on it; the integer sums are identical and
 * no scratch is needed, so output_ctx (which the interface reserves for the
 * int32 image) is not touched. ctx must still be non-NULL, as the interface
 * requires.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_transpose_conv_s8(const cmsis_nn_context *ctx,
                                          const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_transpose_conv_params *transpose_conv_params,
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
    (void)output_ctx;
    (void)bias_dims;

    const int32_t stride_h = transpose_conv_params->stride.h;
    const int32_t stride_w = transpose_conv_params->stride.w;
    if (ctx == NULL || ctx->buf == NULL || stride_h <= 0 || stride_w <= 0 || filter_dims->c != input_dims->c ||
        filter_dims->n != output_dims->c)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t pad_h = transpose_conv_params->padding.h;
    const int32_t pad_w = transpose_conv_params->padding.w;
    const int32_t input_offset = transpose_conv_params->input_offset;
    const int32_t output_offset = transpose_conv_params->output_offset;
    const int32_t act_min = transpose_conv_params->activation.min;
    const int32_t act_max = transpose_conv_params->activation.max;
    int8_t *dst = output_data;

    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++)
        {
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                for (int32_t oc = 0; oc < out_c; oc++)
                {
                    int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    for (int32_t ky = 0; ky < k_h; ky++)
                    {
                        /* The input row whose tap ky lands on output row oy, if any. */
                        const int32_t ty = oy + pad_h - ky;
                        if (ty < 0 || ty % stride_h != 0 || ty / stride_h >= in_h)
                        {
                            continue;
                        }
                        const int32_t iy = ty / stride_h;
                        for (int32_t kx = 0; kx < k_w; kx++)
                        {
                            const int32_t tx = ox + pad_w - kx;
                            if (tx < 0 || tx % stride_w != 0 || tx / stride_w >= in_w)
                            {
                                continue;
                            }
                            const int8_t *x = in_batch + ((size_t)iy * in_w + (size_t)(tx / stride_w)) * in_c;
                            const int8_t *w = filter_data + (((size_t)oc * k_h + ky) * k_w + kx) * in_c;
                            for (int32_t c = 0; c < in_c; c++)
                            {
                                acc += ((int32_t)x[c] + input_offset) * (int32_t)w[c];
                            }
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
