/*
 * pycmsisnn: pycmsisnn_mean_s16.
 *
 * Quantised MEAN of an int16 NHWC tensor over any subset of its four axes.
 * An axis is reduced where the output extent is 1 and the input's is not;
 * every other output extent must equal the input's. For each output element
 * the offset inputs of the reduced block are summed in 32 bits, the sum is
 * requantised once with a multiplier that already folds in the division by
 * the number of reduced elements, and the output offset is added before
 * clamping to int16. This is the integer recipe of TensorFlow Lite Micro's
 * int16 MEAN (the same as for 8 bits: a 32-bit sum, one requantisation).
 */
#include "pycmsisnn_tensor_ops_s16.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"

/* An output extent is valid when it keeps the input extent or reduces it to 1. */
static int32_t extent_ok(const int32_t in, const int32_t out)
{
    return in > 0 && (out == in || out == 1);
}

arm_cmsis_nn_status pycmsisnn_mean_s16(const pycmsisnn_mean_params *params,
                                       const cmsis_nn_dims *input_dims,
                                       const int16_t *input,
                                       const cmsis_nn_dims *output_dims,
                                       int16_t *output)
{
    if (params == NULL || input_dims == NULL || output_dims == NULL || input == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!extent_ok(input_dims->n, output_dims->n) || !extent_ok(input_dims->h, output_dims->h) ||
        !extent_ok(input_dims->w, output_dims->w) || !extent_ok(input_dims->c, output_dims->c))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->shift < -31 || params->shift > 31 ||
        (int64_t)input_dims->n * input_dims->h * input_dims->w * input_dims->c > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;

    /* Extent of the block summed into one output element, per axis. */
    const int32_t span_n = output_dims->n == 1 ? input_dims->n : 1;
    const int32_t span_h = output_dims->h == 1 ? in_h : 1;
    const int32_t span_w = output_dims->w == 1 ? in_w : 1;
    const int32_t span_c = output_dims->c == 1 ? in_c : 1;

    int16_t *out = output;
    for (int32_t on = 0; on < output_dims->n; on++)
    {
        for (int32_t oh = 0; oh < output_dims->h; oh++)
        {
            for (int32_t ow = 0; ow < output_dims->w; ow++)
            {
                for (int32_t oc = 0; oc < output_dims->c; oc++)
                {
                    /* The sum wraps in 32 bits like the reference's int32 accumulator. */
                    uint32_t acc = 0;
                    for (int32_t n = on; n < on + span_n; n++)
                    {
                        for (int32_t h = oh; h < oh + span_h; h++)
                        {
                            for (int32_t w = ow; w < ow + span_w; w++)
                            {
                                const int16_t *row = input + ((n * in_h + h) * in_w + w) * in_c;
                                for (int32_t c = oc; c < oc + span_c; c++)
                                {
                                    acc += (uint32_t)((int32_t)row[c] + params->input_offset);
                                }
                            }
                        }
                    }
                    const int64_t v =
                        (int64_t)arm_nn_requantize((int32_t)acc, params->multiplier, params->shift) +
                        params->output_offset;
                    *out++ = (int16_t)PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
                }
            }
        }
    }

    return ARM_CMSIS_NN_SUCCESS;
}
