/*
 * pycmsisnn: arm_depthwise_conv_wrapper_s8_get_buffer_size_mve, the scratch
 * arm_depthwise_conv_wrapper_s8 needs on an MVE build.
 *
 * An MVE build sends every channel-multiplier-1, single-batch, undilated
 * layer (3x3 included) to arm_depthwise_conv_s8_opt. A layer with one input
 * channel and more output channels than PCN_DW_TO_CONV_OUT_CH_THRESHOLD is
 * run as an ordinary convolution instead: its scratch is that of the
 * convolution wrapper followed by the filter rearranged to [C_OUT, KH, KW, 1].
 * The larger of the two applies when a layer qualifies for both.
 */
#include "arm_nnfunctions.h"
#include "Internal/arm_nn_depthwise_s8_common.h"

int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    int32_t size = 0;

    if (arm_nn_dw_s8_takes_opt(input_dims->c == output_dims->c, dw_conv_params, input_dims))
    {
        size = arm_depthwise_conv_s8_opt_get_buffer_size_mve(input_dims, filter_dims);
    }

    if (input_dims->c == 1 && output_dims->c > PCN_DW_TO_CONV_OUT_CH_THRESHOLD)
    {
        const cmsis_nn_conv_params conv_params = {dw_conv_params->input_offset,
                                                  dw_conv_params->output_offset,
                                                  dw_conv_params->stride,
                                                  dw_conv_params->padding,
                                                  dw_conv_params->dilation,
                                                  dw_conv_params->activation};
        const cmsis_nn_dims conv_filter_dims = {filter_dims->c, filter_dims->h, filter_dims->w, filter_dims->n};
        const int32_t conv_size =
            arm_convolve_wrapper_s8_get_buffer_size_mve(&conv_params, input_dims, &conv_filter_dims, output_dims) +
            filter_dims->n * filter_dims->h * filter_dims->w * filter_dims->c;

        size = PCN_MAX(size, conv_size);
    }
    return size;
}
