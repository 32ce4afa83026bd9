/*
 * pycmsisnn: arm_depthwise_conv_3x3_s8, s8 depthwise convolution for a 3x3
 * filter with channel multiplier 1, one batch, no dilation and at most one
 * row/column of padding before the input.
 *
 * With a 3-tap window and padding of at most 1, only the first or the last
 * tap of a row or column can fall outside the input (both only when the
 * input is a single row or column). Each output pixel therefore starts from
 * the full window and drops those edge taps; the sums are those of
 * arm_depthwise_conv_s8_opt. MVE and DSP builds share the vectorised channel
 * loops of arm_depthwise_conv_s8_opt (Internal/arm_nn_depthwise_s8_simd.h),
 * whose DSP form unrolls the 3-tap rows of whole windows; the loops below
 * serve the portable build and the layers those leave.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"
#include "Internal/arm_nn_depthwise_s8_simd.h"
#include "Internal/pycmsisnn_host_s8.h"

arm_cmsis_nn_status arm_depthwise_conv_3x3_s8(const cmsis_nn_context *ctx,
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
    const int32_t channels = input_dims->c;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t stride_x = dw_conv_params->stride.w;
    const int32_t stride_y = dw_conv_params->stride.h;
    const int32_t pad_x = dw_conv_params->padding.w;
    const int32_t pad_y = dw_conv_params->padding.h;
    int32_t oy, ox;

    (void)ctx;
    (void)bias_dims;

    /* Besides the layers this kernel is not for, a stride below 1 would move
     * the window further out than the single tap the edge handling drops. */
    if (channels < 1 || output_dims->c != channels || input_dims->n != 1 || filter_dims->w != 3 ||
        filter_dims->h != 3 || pad_x < 0 || pad_x > 1 || pad_y < 0 || pad_y > 1 || stride_x < 1 ||
        stride_y < 1 || dw_conv_params->dilation.w != 1 || dw_conv_params->dilation.h != 1)
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
        arm_nn_dw_s8_ch1_simd(dw_conv_params,
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

    for (oy = 0; oy < out_h; oy++)
    {
        const int32_t origin_y = oy * stride_y - pad_y;
        const int32_t ky0 = (origin_y < 0) ? 1 : 0;
        const int32_t ky1 = (origin_y + 2 >= in_h) ? PCN_MAX(in_h - origin_y, ky0) : 3;

        for (ox = 0; ox < out_w; ox++)
        {
            const int32_t origin_x = ox * stride_x - pad_x;
            const int32_t kx0 = (origin_x < 0) ? 1 : 0;
            const int32_t kx1 = (origin_x + 2 >= in_w) ? PCN_MAX(in_w - origin_x, kx0) : 3;

            arm_nn_dw_s8_pixel_ch1(input_data,
                                   in_w,
                                   channels,
                                   filter_data,
                                   3,
                                   bias_data,
                                   quant_params,
                                   dw_conv_params,
                                   origin_y,
                                   origin_x,
                                   ky0,
                                   ky1,
                                   kx0,
                                   kx1,
                                   output_data);
            output_data += channels;
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
