/* pycmsisnn: arm_convolve_1_x_n_s4: convolution of one input row with a one-
 * row filter [C_OUT, 1, KW, C_IN] of packed int4 weights */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_convolve_1_x_n_s4(const cmsis_nn_context *ctx,
                                          const cmsis_nn_conv_params *conv_params,
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
    (void)bias_dims;
    if (ctx == NULL || ctx->buf == NULL || input_dims->h != 1 || filter_dims->h != 1 || conv_params->dilation.w != 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    return arm_nn_conv_s4((int8_t *)ctx->buf,
                          conv_params,
                          quant_params,
                          input_dims,
                          input_data,
                          filter_dims,
                          filter_data,
                          bias_data,
                          output_dims,
                          output_data);
}
