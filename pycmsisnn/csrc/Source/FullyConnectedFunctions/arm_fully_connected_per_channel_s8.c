/*
 * pycmsisnn: arm_fully_connected_per_channel_s8.
 *
 * As arm_fully_connected_s8, but output feature o is requantised with
 * quant_params->multiplier[o] and quant_params->shift[o]. ctx as there (MVE
 * builds: the kernel sums of arm_vector_sum_s8, when given).
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_fc_common_s8.h"

arm_cmsis_nn_status arm_fully_connected_per_channel_s8(const cmsis_nn_context *ctx,
                                                       const cmsis_nn_fc_params *fc_params,
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
    const int32_t depth = filter_dims->n;
    const int32_t out_ch = output_dims->c;
    (void)bias_dims;

    if (batches < 0 || depth < 0 || out_ch < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (out_ch > 0 && (quant_params->multiplier == NULL || quant_params->shift == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    pcn_fully_connected_s8(ctx,
                           fc_params,
                           quant_params->multiplier,
                           quant_params->shift,
                           1,
                           input_data,
                           filter_data,
                           bias_data,
                           output_data,
                           batches,
                           depth,
                           out_ch);
    return ARM_CMSIS_NN_SUCCESS;
}
