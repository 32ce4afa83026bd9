/*
 * pycmsisnn: pycmsisnn_logistic_s8.
 *
 * int8 LOGISTIC as TensorFlow Lite Micro's reference kernel evaluates it: the
 * offset input is saturated beyond the input radius, otherwise requantised to
 * a 32-bit fixed-point number with 4 integer bits (Q4.27) and run through the
 * fixed-point sigmoid of the gemmlowp library (exp of a negative argument by
 * a Taylor polynomial on [-1/4, 0) times exp(-2^k) factors, then 1 / (1 + e)
 * by three Newton-Raphson steps). The Q0.31 result is rounded to 1/256 steps
 * and offset by the output zero point -128.
 *
 * Fixed-point values below are int32 with f fractional bits (value = raw / 2^f):
 * Q0.31 (f = 31), Q2.29 (f = 29), Q4.27 (f = 27).
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

/* round(v * 2^31) of exp(-1/8) and of 1/3, and round(v * 2^29) of 48/17 and -32/17. */
#define PCN_EXP_MINUS_ONE_EIGHTH_Q31 1895147668
#define PCN_ONE_THIRD_Q31 715827883
#define PCN_48_OVER_17_Q29 1515870810
#define PCN_MINUS_32_OVER_17_Q29 (-1010580540)

/* round(exp(-2^k) * 2^31) for k = -2 .. 4. */
static const int32_t pcn_exp_factors_q31[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};

/* x * 2^e for 0 < e < 31, saturated to the int32 range. */
static int32_t pcn_saturating_shl(const int32_t x, const int32_t e)
{
    const int32_t limit = (int32_t)(((int64_t)1 << (31 - e)) - 1);
    if (x > limit)
    {
        return NN_Q31_MAX;
    }
    if (x < -limit)
    {
        return NN_Q31_MIN;
    }
    return (int32_t)((int64_t)x * ((int64_t)1 << e));
}

/* (a + b) / 2 rounded half away from zero, in 64 bits. */
static int32_t pcn_rounding_half_sum(const int32_t a, const int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a Q0.31 value a in [-1/4, 0): a degree-4 polynomial in a + 1/8
 * around exp(-1/8). */
static int32_t pcn_exp_quarter_q31(const int32_t a)
{
    const int32_t x = a + (1 << 28);
    const int32_t x2 = arm_nn_doubling_high_mult(x, x);
    const int32_t x3 = arm_nn_doubling_high_mult(x2, x);
    const int32_t x4 = arm_nn_doubling_high_mult(x2, x2);
    const int32_t x4_over_4 = arm_nn_divide_by_power_of_two(x4, 2);
    /* x^2/2 + x^3/6 + x^4/24 */
    const int32_t tail = arm_nn_divide_by_power_of_two(
        arm_nn_doubling_high_mult(x4_over_4 + x3, PCN_ONE_THIRD_Q31) + x2, 1);
    return PCN_EXP_MINUS_ONE_EIGHTH_Q31 + arm_nn_doubling_high_mult(PCN_EXP_MINUS_ONE_EIGHTH_Q31, x + tail);
}

/* exp(a) in Q0.31 for a <= 0 with `int_bits` integer bits (4 or 5): the
 * argument splits into a part in [-1/4, 0) and a sum of powers of two, each
 * of which multiplies in its exp(-2^k). */
static int32_t pcn_exp_on_negative(const int32_t a, const int32_t int_bits)
{
    const int32_t frac_bits = 31 - int_bits;
    const int32_t quarter = (int32_t)1 << (frac_bits - 2);
    const int32_t in_quarter = (a & (quarter - 1)) - quarter;
    const int32_t whole_quarters = in_quarter - a;
    int32_t result = pcn_exp_quarter_q31(pcn_saturating_shl(in_quarter, int_bits));
    for (int32_t k = -2; k <= 4; k++)
    {
        if (int_bits > k && (whole_quarters & ((int32_t)1 << (frac_bits + k))) != 0)
        {
            result = arm_nn_doubling_high_mult(result, pcn_exp_factors_q31[k + 2]);
        }
    }
    return a == 0 ? NN_Q31_MAX : result;
}

/* 1 / (1 + a) in Q0.31 for a Q0.31 value a in (0, 1]. */
static int32_t pcn_one_over_one_plus(const int32_t a)
{
    const int32_t half_denominator = pcn_rounding_half_sum(a, NN_Q31_MAX);
    int32_t x = PCN_48_OVER_17_Q29 + arm_nn_doubling_high_mult(half_denominator, PCN_MINUS_32_OVER_17_Q29);
    for (int32_t step = 0; step < 3; step++)
    {
        const int32_t error = (1 << 29) - arm_nn_doubling_high_mult(half_denominator, x);
        x = x + pcn_saturating_shl(arm_nn_doubling_high_mult(x, error), 2);
    }
    return pcn_saturating_shl(x, 1);
}

/* The sigmoid of a Q4.27 value, in Q0.31. */
static int32_t pcn_sigmoid_q4(const int32_t a)
{
    if (a == 0)
    {
        return 1 << 30;
    }
    if (a > 0)
    {
        return pcn_one_over_one_plus(pcn_exp_on_negative(-a, 4));
    }
    return NN_Q31_MAX - pcn_one_over_one_plus(pcn_exp_on_negative(a, 4));
}

arm_cmsis_nn_status pycmsisnn_logistic_s8(const pycmsisnn_sigmoid_tanh_params *params,
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
            y = arm_nn_divide_by_power_of_two(pcn_sigmoid_q4(x_q4), 23) - 128;
            y = PCN_CLAMP(y, NN_Q7_MIN, NN_Q7_MAX);
        }
        output[i] = (int8_t)y;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
