/*
 * pycmsisnn: pycmsisnn_hard_swish_s8.
 *
 * int8 HARD_SWISH, x * relu6(x + 3) / 6, as TensorFlow Lite Micro's reference
 * kernel evaluates it in 16-bit fixed point (every intermediate below is an
 * int16 of that arithmetic, held here in an int32):
 *   h = (x + input_offset) * 2^7          the input on a 128 times finer scale
 *   p = h * output_multiplier / 2^15      rounded: the input on the output scale,
 *                                         not yet shifted by output_shift
 *   r = h * reluish_multiplier * 2^reluish_shift / 2^15, saturated to int16:
 *       the input on a scale where 3.0 is 2^15, so that clipping does relu6
 *   r = (r + 2^15) / 2                    relu6(x + 3) / 6 in Q0.15, in [0, 1)
 *   y = (r * p / 2^15, truncated) / 2^-output_shift, rounded, + output_offset,
 *       clamped to int8
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

/* int16 product a * b / 2^15, rounded to nearest (ties up); -1 * -1 saturates. */
static int32_t pcn_mul_q15_round(const int32_t a, const int32_t b)
{
    if (a == NN_Q15_MIN && b == NN_Q15_MIN)
    {
        return NN_Q15_MAX;
    }
    const int32_t prod = a * b;
    return (prod + (prod >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

/* int16 product a * b / 2^15, truncated towards zero; -1 * -1 saturates. */
static int32_t pcn_mul_q15_trunc(const int32_t a, const int32_t b)
{
    if (a == NN_Q15_MIN && b == NN_Q15_MIN)
    {
        return NN_Q15_MAX;
    }
    return (a * b) / (1 << 15);
}

/* v * 2^amount saturated to the int16 range, 0 <= amount <= 30. */
static int32_t pcn_saturating_shl_q15(const int32_t v, const int32_t amount)
{
    const int64_t r = (int64_t)v * ((int64_t)1 << amount);
    return (int32_t)(r > NN_Q15_MAX ? NN_Q15_MAX : (r < NN_Q15_MIN ? NN_Q15_MIN : r));
}

/* The int16 value of v, wrapping like a two's-complement store. */
static int32_t pcn_wrap_q15(const int32_t v)
{
    return (int32_t)(((uint32_t)v + 0x8000u) & 0xFFFFu) - 0x8000;
}

arm_cmsis_nn_status pycmsisnn_hard_swish_s8(const pycmsisnn_hard_swish_params *params,
                                            const int8_t *input,
                                            int8_t *output,
                                            int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->output_shift > 0 ||
        params->output_shift < -15 || params->reluish_shift > 30 || params->reluish_shift < -15)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t out_mult = params->output_multiplier;
    const int32_t reluish_mult = params->reluish_multiplier;
    const int32_t reluish_shift = params->reluish_shift;
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t hires = ((int32_t)input[i] + params->input_offset) * (1 << 7);
        const int32_t preshift = pcn_mul_q15_round(hires, out_mult);

        int32_t reluish = hires;
        if (reluish_shift > 0)
        {
            /* all but the last bit of the left shift before the multiply, the
             * last one after it, so that saturation acts only at the end */
            reluish = pcn_saturating_shl_q15(reluish, reluish_shift - 1);
        }
        reluish = pcn_mul_q15_round(reluish, reluish_mult);
        if (reluish_shift > 0)
        {
            reluish = pcn_saturating_shl_q15(reluish, 1);
        }
        else if (reluish_shift < 0)
        {
            reluish = arm_nn_divide_by_power_of_two(reluish, -reluish_shift);
        }
        reluish = (reluish + (1 << 15)) >> 1;

        const int32_t product = pcn_mul_q15_trunc(reluish, preshift);
        int32_t y = arm_nn_divide_by_power_of_two(product, -params->output_shift);
        y = pcn_wrap_q15(y + params->output_offset);
        output[i] = (int8_t)PCN_CLAMP(y, NN_Q7_MIN, NN_Q7_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
