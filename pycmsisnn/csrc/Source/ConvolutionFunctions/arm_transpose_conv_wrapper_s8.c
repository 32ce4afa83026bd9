/*
 * pycmsisnn: arm_transpose_conv_wrapper_s8.
 *
 * With both strides at most 2 and more than 16 input channels the transposed
 * convolution is run as an ordinary one: the filter, flipped in both spatial
 * directions, slides with unit stride over the input with stride - 1 zeros
 * inserted after every pixel, padded by (filter size - 1 - padding). Every
 * (input pixel, tap) product then lands on the same output element as in the
 * scatter form, so the result is identical. Otherwise arm_transpose_conv_s8
 * runs, with reverse_conv_ctx passed on as its output_ctx.
 */
#include "Internal/arm_nn_transpose_conv_s8.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_transpose_conv_wrapper_s8(const cmsis_nn_context *ctx,
                                                  const cmsis_nn_context *reverse_conv_ctx,
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
    if (ctx == NULL || ctx->buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!arm_nn_transpose_conv_s8_is_reverse(transpose_conv_params, input_dims))
    {
        return arm_transpose_conv_s8(ctx,
                                     reverse_conv_ctx,
                                     transpose_conv_params,
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
    if (reverse_conv_ctx == NULL || reverse_conv_ctx->buf == NULL || filter_dims->c != input_dims->c)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    /* Flip every output channel's filter along height and width. */
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t k_c = filter_dims->c;
    int8_t *flipped = (int8_t *)reverse_conv_ctx->buf;
    for (int32_t oc = 0; oc < filter_dims->n; oc++)
    {
        const size_t base = (size_t)oc * k_h * k_w * k_c;
        for (int32_t ky = 0; ky < k_h; ky++)
        {
            for (int32_t kx = 0; kx < k_w; kx++)
            {
                const size_t from = base + ((size_t)ky * k_w + kx) * k_c;
                const size_t to = base + ((size_t)(k_h - 1 - ky) * k_w + (size_t)(k_w - 1 - kx)) * k_c;
                memcpy(flipped + to, filter_data + from, (size_t)k_c);
            }
        }
    }

    cmsis_nn_conv_params conv_params;
    conv_params.input_offset = transpose_conv_params->input_offset;
    conv_params.output_offset = transpose_conv_params->output_offset;
    conv_params.stride.w = 1;
    conv_params.stride.h = 1;
    conv_params.padding.w = k_w - 1 - transpose_conv_params->padding.w;
    conv_params.padding.h = k_h - 1 - transpose_conv_params->padding.h;
    conv_params.dilation.w = 1;
    conv_params.dilation.h = 1;
    conv_params.activation = transpose_conv_params->activation;

    const cmsis_nn_dims upscaled = arm_nn_transpose_conv_s8_upscaled_dims(transpose_conv_params, input_dims);
    cmsis_nn_dims factors;
    factors.n = 0;
    factors.h = transpose_conv_params->stride.h;
    factors.w = transpose_conv_params->stride.w;
    factors.c = 0;

    return arm_convolve_s8(ctx,
                           &conv_params,
                           quant_params,
                           &upscaled,
                           input_data,
                           filter_dims,
                           flipped,
                           bias_dims,
                           bias_data,
                           &factors,
                           output_dims,
                           output_data);
}
