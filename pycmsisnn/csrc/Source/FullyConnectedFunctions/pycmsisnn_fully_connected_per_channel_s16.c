/*
 * pycmsisnn: pycmsisnn_fully_connected_per_channel_s16, 16x8 FULLY_CONNECTED
 * with per-channel weights (CMSIS-NN's arm_fully_connected_s16 is per tensor
 * and takes an int64 bias only).
 *
 * TensorFlow Lite Micro's reference FullyConnectedPerChannel (and its
 * per-tensor FullyConnected with an int32 bias): for each batch row and
 * output channel o, the exact sum of input * weight (offsets are ignored:
 * 16x8 tensors are symmetric) plus bias[o], requantised by channel o's
 * multiplier and shift, clamped to the activation range. With an int64 bias
 * (or none) the sum is 64-bit and the requantisation TFLite's 64-bit one;
 * with bias_data->is_int32_bias the sum wraps in 32 bits and is requantised
 * with TFLite's 32-bit (double-rounding) one, as TFLite Micro computes a
 * model with an int32 bias. Portable C, no scratch.
 */
#include "pycmsisnn_conv_fc_s16.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith_s16.h"

arm_cmsis_nn_status pycmsisnn_fully_connected_per_channel_s16(const cmsis_nn_fc_params *fc_params,
                                                              const cmsis_nn_per_channel_quant_params *quant_params,
                                                              const cmsis_nn_dims *input_dims,
                                                              const int16_t *input_data,
                                                              const cmsis_nn_dims *filter_dims,
                                                              const int8_t *filter_data,
                                                              const cmsis_nn_dims *bias_dims,
                                                              const cmsis_nn_bias_data *bias_data,
                                                              const cmsis_nn_dims *output_dims,
                                                              int16_t *output_data)
{
    (void)bias_dims;
    if (fc_params == NULL || quant_params == NULL || input_dims == NULL || filter_dims == NULL ||
        output_dims == NULL || input_data == NULL || filter_data == NULL || output_data == NULL ||
        quant_params->multiplier == NULL || quant_params->shift == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t batches = input_dims->n;
    const int32_t depth = filter_dims->n;
    const int32_t out_ch = output_dims->c;
    const int32_t act_min = fc_params->activation.min;
    const int32_t act_max = fc_params->activation.max;
    const void *bias = bias_data != NULL ? bias_data->data : NULL;
    const int is_int32_bias = bias_data != NULL && bias_data->is_int32_bias;
    int32_t b, o, d;

    if (batches < 0 || depth < 0 || out_ch < 0 || act_min > act_max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (o = 0; o < out_ch; o++)
    {
        if (quant_params->multiplier[o] < 0 || (!is_int32_bias && quant_params->shift[o] > PCN_S64_SHIFT_MAX))
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
    }

    for (b = 0; b < batches; b++)
    {
        const int16_t *row = input_data + (size_t)b * (size_t)depth;
        for (o = 0; o < out_ch; o++)
        {
            const int8_t *weights = filter_data + (size_t)o * (size_t)depth;
            int64_t acc = 0;
            int32_t v;
            for (d = 0; d < depth; d++)
            {
                acc += (int32_t)row[d] * (int32_t)weights[d];
            }
            if (is_int32_bias)
            {
                uint32_t acc32 = (uint32_t)acc;
                if (bias != NULL)
                {
                    acc32 += (uint32_t)((const int32_t *)bias)[o];
                }
                v = arm_nn_requantize((int32_t)acc32, quant_params->multiplier[o], quant_params->shift[o]);
            }
            else
            {
                if (bias != NULL)
                {
                    acc += ((const int64_t *)bias)[o];
                }
                v = pcn_requantize_s64(acc, quant_params->multiplier[o], quant_params->shift[o]);
            }
            *output_data++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
