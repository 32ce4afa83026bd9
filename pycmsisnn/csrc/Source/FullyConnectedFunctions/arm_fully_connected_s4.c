/* pycmsisnn: arm_fully_connected_s4: per-tensor fully connected layer with
 * packed int4 weights [C_OUT][depth]; no scratch */
#include "Internal/arm_nn_s4.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_fully_connected_s4(const cmsis_nn_context *ctx,
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
    const int32_t input_offset = fc_params->input_offset;
    const int32_t filter_offset = fc_params->filter_offset;
    (void)ctx;
    (void)bias_dims;

    if (batches < 0 || depth < 0 || out_ch < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *x = input_data + (size_t)b * depth;
        int32_t x_sum = 0;
        if (filter_offset != 0)
        {
            for (int32_t d = 0; d < depth; d++)
            {
                x_sum += (int32_t)x[d] + input_offset;
            }
        }
        for (int32_t o = 0; o < out_ch; o++)
        {
            int32_t acc = bias_data != NULL ? bias_data[o] : 0;
            acc += pcn_s4_dot(x, filter_data, o * depth, depth, input_offset);
            acc += filter_offset * x_sum;
            output_data[(size_t)b * out_ch + (size_t)o] = arm_nn_requantize_clamp_s8(acc,
                                                                                    quant_params->multiplier,
                                                                                    quant_params->shift,
                                                                                    fc_params->output_offset,
                                                                                    fc_params->activation.min,
                                                                                    fc_params->activation.max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
