/*
 * pycmsisnn: arm_fully_connected_s16, 16x8 fully connected (TFLite Micro's
 * int16 reference with an int64 bias).
 *
 * For each of the input_dims->n rows of filter_dims->n int16 values and each
 * of the output_dims->c outputs: the exact sum of input * weight (int8
 * weights, no offsets: 16x8 tensors are symmetric) in 64 bits, plus the
 * int64 bias when bias_data is not NULL, requantised by the per-tensor
 * multiplier reduced to Q15 (pcn_requantize_s64), then clamped to the
 * activation range. fc_params' offsets are ignored; no scratch is used.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_arith_s16.h"

arm_cmsis_nn_status arm_fully_connected_s16(const cmsis_nn_context *ctx,
                                            const cmsis_nn_fc_params *fc_params,
                                            const cmsis_nn_per_tensor_quant_params *quant_params,
                                            const cmsis_nn_dims *input_dims,
                                            const int16_t *input_data,
                                            const cmsis_nn_dims *filter_dims,
                                            const int8_t *filter_data,
                                            const cmsis_nn_dims *bias_dims,
                                            const int64_t *bias_data,
                                            const cmsis_nn_dims *output_dims,
                                            int16_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t depth = filter_dims->n;
    const int32_t out_ch = output_dims->c;
    const int32_t multiplier = quant_params->multiplier;
    const int32_t shift = quant_params->shift;
    const int32_t act_min = fc_params->activation.min;
    const int32_t act_max = fc_params->activation.max;
    int32_t b, o, d;

    (void)ctx;
    (void)bias_dims;

    if (batches < 0 || depth < 0 || out_ch < 0 || shift > PCN_S64_SHIFT_MAX || multiplier < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
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
                acc += (int64_t)((int32_t)row[d] * (int32_t)weights[d]);
            }
            if (bias_data != NULL)
            {
                acc += bias_data[o];
            }
            v = pcn_requantize_s64(acc, multiplier, shift);
            *output_data++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
