/*
 * pycmsisnn: pycmsisnn_cumsum_s8.
 *
 * CUMSUM of an int8 NHWC tensor along one axis, TensorFlow Lite Micro's
 * integer recipe: every offset input is scaled up by 2^left_shift and
 * requantised (the input's half of an ADD of two equally quantised inputs),
 * the running sum starts from the requantised offset of a zero input, and
 * each partial sum is requantised to the output, offset and clamped to int8.
 * The sum includes the current element unless exclusive; it runs from the
 * last element towards the first when reverse. The lowering bounds the sums
 * to 32 bits; they wrap beyond.
 */
#include "pycmsisnn_reduce_ops.h"
#include "Internal/pycmsisnn_reduce_ops_common.h"

arm_cmsis_nn_status pycmsisnn_cumsum_s8(const pycmsisnn_cumsum_params *params,
                                        const cmsis_nn_dims *input_dims,
                                        const int8_t *input,
                                        const int32_t axis,
                                        const bool exclusive,
                                        const bool reverse,
                                        int8_t *output)
{
    int32_t outer, extent, inner;
    if (params == NULL || input == NULL || output == NULL || !pcn_axis_split(input_dims, axis, &outer, &extent, &inner))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->left_shift < 0 || params->left_shift > 31 || params->input_shift < -31 || params->input_shift > 31 ||
        params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t start = arm_nn_requantize(
        arm_nn_shift_left_wrap(params->input_offset, params->left_shift), params->input_mult, params->input_shift);

    for (int32_t o = 0; o < outer; o++)
    {
        const size_t base = (size_t)o * extent * inner;
        for (int32_t i = 0; i < inner; i++)
        {
            uint32_t acc = (uint32_t)start;
            for (int32_t step = 0; step < extent; step++)
            {
                const int32_t k = reverse ? extent - 1 - step : step;
                const size_t at = base + (size_t)k * inner + i;
                const uint32_t value = (uint32_t)arm_nn_requantize(
                    arm_nn_shift_left_wrap((int32_t)input[at] + params->input_offset, params->left_shift),
                    params->input_mult,
                    params->input_shift);
                if (!exclusive)
                {
                    acc += value;
                }
                output[at] = arm_nn_requantize_clamp_s8(
                    (int32_t)acc, params->output_mult, params->output_shift, params->output_offset, NN_Q7_MIN, NN_Q7_MAX);
                if (exclusive)
                {
                    acc += value;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
