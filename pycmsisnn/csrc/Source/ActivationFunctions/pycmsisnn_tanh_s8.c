/*
 * pycmsisnn: pycmsisnn_tanh_s8.
 *
 * int8 TANH as TensorFlow Lite Micro's reference kernel evaluates it: the
 * offset input is saturated beyond the input radius, otherwise requantised to
 * a 32-bit fixed-point number with 4 integer bits (Q4.27) and run through the
 * fixed-point tanh of the gemmlowp library: with n = -|a|, exp(2n) (Taylor
 * polynomial on [-1/4, 0) times exp(-2^k) factors), then (1 - e) / (1 + e) by
 * three Newton-Raphson steps, negated for negative a. The Q0.31 result is
 * rounded to 1/128 steps (output zero point 0).
 *
 * Fixed-point values below are int32 with f fractional bits (value = raw / 2^f):
 * Q0.31 (f = 31), Q2.29 (f = 29), Q4.27 (f = 27), Q5.26 (f = 26).
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_fixedpoint.h"

/* (1 - a) / (1 + a) in Q0.31 for a Q0.31 value a in (0, 1]: 2 / (1 + a) - 1. */
static int32_t pcn_one_minus_over_one_plus(const int32_t a)
{
    return pcn_saturating_shl(pcn_reciprocal_one_plus_q29(a) - (1 << 29), 2);
}

/* tanh of a Q4.27 value, in Q0.31. The raw value of -|a| read with 5 integer
 * bits is 2 * (-|a|), the argument of the exponential. */
static int32_t pcn_tanh_q4(const int32_t a)
{
    if (a == 0)
    {
        return 0;
    }
    const int32_t t = pcn_one_minus_over_one_plus(pcn_exp_on_negative(a < 0 ? a : -a, 5));
    return a < 0 ? -t : t;
}

arm_cmsis_nn_status pycmsisnn_tanh_s8(const pycmsisnn_sigmoid_tanh_params *params,
                                      const int8_t *input,
                                      int8_t *output,
                                      int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->input_left_shift < 0 ||
        params->input_left_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t radius = params->input_range_radius;
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t x = (int32_t)input[i] + params->input_offset;
        int32_t y;
        if (x <= -radius)
        {
            y = NN_Q7_MIN;
        }
        else if (x >= radius)
        {
            y = NN_Q7_MAX;
        }
        else
        {
            const int32_t x_q4 = arm_nn_requantize(x, params->input_multiplier, params->input_left_shift);
            y = arm_nn_divide_by_power_of_two(pcn_tanh_q4(x_q4), 24);
            y = PCN_CLAMP(y, NN_Q7_MIN, NN_Q7_MAX);
        }
        output[i] = (int8_t)y;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
