/*
 * pycmsisnn: arm_convolve_s8, the generic s8 convolution.
 *
 * Grouped when filter_dims->c < input_dims->c. With upscale_dims, as in the
 * CMSIS-NN interface, input_dims gives the size of the zero-inserted input the
 * filter slides over (real size times the factors) while input_data holds the
 * real pixels, found at the positions that are multiples of the factors; this
 * is how the transpose-conv wrapper expresses a transposed convolution.
 */
#include "Internal/arm_nn_conv_s8.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_convolve_s8(const cmsis_nn_context *ctx,
                                    const cmsis_nn_conv_params *conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter_data,
                                    const cmsis_nn_dims *bias_dims,
                                    const int32_t *bias_data,
                                    const cmsis_nn_dims *upscale_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
    (void)bias_dims;
    if (ctx == NULL || ctx->buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t up_h = upscale_dims != NULL ? upscale_dims->h : 1;
    const int32_t up_w = upscale_dims != NULL ? upscale_dims->w : 1;
    return arm_nn_conv_s8_im2col((int8_t *)ctx->buf,
                                 conv_params,
                                 quant_params,
                                 input_dims,
                                 input_data,
                                 filter_dims,
                                 filter_data,
                                 bias_data,
                                 up_h,
                                 up_w,
                                 output_dims,
                                 output_data);
}
