/*
 * pycmsisnn: arm_depthwise_conv_s8_opt, s8 depthwise convolution for layers
 * with channel multiplier 1, one batch and no dilation (any filter size).
 *
 * Each output pixel clips its filter window to the input once, then sums
 * every channel over the clipped window. MVE builds take 16 or 8 channels
 * per step (two side-by-side pixels at once where both windows are whole),
 * DSP builds 4 channels per 32-bit word (Internal/arm_nn_depthwise_s8_simd.h);
 * the portable loops below serve the portable build and the rare layers the
 * vectorised paths leave (arm_nn_dw_s8_simd_takes). None of them uses the
 * scratch that the official library's DSP and MVE builds ask for (see
 * arm_depthwise_conv_s8_opt_get_buffer_size_dsp/_mve); it stays promised so
 * that either library can be linked.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"
#include "Internal/arm_nn_depthwise_s8_simd.h"
#include "Internal/pycmsisnn_host_s8.h"

arm_cmsis_nn_status arm_depthwise_conv_s8_opt(const cmsis_nn_context *ctx,
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
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    int32_t oy, ox;

    (void)ctx;
    (void)bias_dims;

    /* Layers outside this kernel's reach: more output than input channels,
     * several batches, dilation. */
    if (channels < 1 || output_dims->c != channels || input_dims->n != 1 ||
        dw_conv_params->dilation.w != 1 || dw_conv_params->dilation.h != 1)
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
        const int32_t origin_y = oy * dw_conv_params->stride.h - dw_conv_params->padding.h;
        int32_t ky0, ky1;

        arm_nn_dw_s8_clip(origin_y, input_dims->h, filter_dims->h, &ky0, &ky1);
        for (ox = 0; ox < out_w; ox++)
        {
            const int32_t origin_x = ox * dw_conv_params->stride.w - dw_conv_params->padding.w;
            int32_t kx0, kx1;

            arm_nn_dw_s8_clip(origin_x, input_dims->w, filter_dims->w, &kx0, &kx1);
            arm_nn_dw_s8_pixel_ch1(input_data,
                                   input_dims->w,
                                   channels,
                                   filter_data,
                                   filter_dims->w,
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
