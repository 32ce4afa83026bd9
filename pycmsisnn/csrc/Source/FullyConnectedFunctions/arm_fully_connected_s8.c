/*
 * pycmsisnn: arm_fully_connected_s8.
 *
 * Fully-connected layer with one output multiplier for the whole tensor:
 * each of the input_dims->n rows of filter_dims->n values is multiplied by the
 * [output_dims->c][filter_dims->n] weight matrix, offsets applied to both
 * operands, bias added, the sum requantised, the output offset added and the
 * result clamped (paths: Internal/arm_nn_fc_common_s8.h). The portable and
 * DSP paths read no ctx. On MVE, as Arm's API states (the buffer size is
 * then > 0 and arm_vector_sum_s8 fills it), a ctx buffer of 4 * C_OUT bytes
 * holds the kernel sums (input offset times weight sums, plus bias: bias_data
 * is then not read); without one the kernel computes the weight sums itself.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_fc_common_s8.h"

arm_cmsis_nn_status arm_fully_connected_s8(const cmsis_nn_context *ctx,
                                           const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
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

    pcn_fully_connected_s8(ctx,
                           fc_params,
                           &quant_params->multiplier,
                           &quant_params->shift,
                           0,
                           input_data,
                           filter_data,
                           bias_data,
                           output_data,
                           batches,
                           depth,
                           out_ch);
    return ARM_CMSIS_NN_SUCCESS;
}
