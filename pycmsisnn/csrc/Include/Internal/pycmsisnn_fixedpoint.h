/*
 * pycmsisnn: gemmlowp-style fixed-point exp and reciprocal shared by the int8
 * LOGISTIC and TANH kernels (TensorFlow Lite Micro's reference arithmetic).
 *
 * Fixed-point values are int32 with f fractional bits (value = raw / 2^f):
 * Q0.31 (f = 31), Q2.29 (f = 29), Q4.27 (f = 27), Q5.26 (f = 26).
 */
#ifndef PYCMSISNN_FIXEDPOINT_H
#define PYCMSISNN_FIXEDPOINT_H

#include <stdint.h>

#include "Internal/pycmsisnn_arith.h"
#include "arm_nn_math_types.h"

/* round(v * 2^31) of exp(-1/8) and of 1/3, and round(v * 2^29) of 48/17 and -32/17. */
#define PCN_EXP_MINUS_ONE_EIGHTH_Q31 1895147668
#define PCN_ONE_THIRD_Q31 715827883
#define PCN_48_OVER_17_Q29 1515870810
#define PCN_MINUS_32_OVER_17_Q29 (-1010580540)

/* round(exp(-2^k) * 2^31) for k = -2 .. 4. */
static const int32_t pcn_exp_factors_q31[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};

/* x * 2^e for 0 < e < 31, saturated to the int32 range. */
static inline int32_t pcn_saturating_shl(const int32_t x, const int32_t e)
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
static inline int32_t pcn_rounding_half_sum(const int32_t a, const int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a Q0.31 value a in [-1/4, 0): a degree-4 polynomial in a + 1/8
 * around exp(-1/8). */
static inline int32_t pcn_exp_quarter_q31(const int32_t a)
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
static inline int32_t pcn_exp_on_negative(const int32_t a, const int32_t int_bits)
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

/* 1 / (1 + a) for a Q0.31 value a in (0, 1], in Q2.29, by three
 * Newton-Raphson steps on the half denominator (1 + a) / 2. */
static inline int32_t pcn_reciprocal_one_plus_q29(const int32_t a)
{
    const int32_t half_denominator = pcn_rounding_half_sum(a, NN_Q31_MAX);
    int32_t x = PCN_48_OVER_17_Q29 + arm_nn_doubling_high_mult(half_denominator, PCN_MINUS_32_OVER_17_Q29);
    for (int32_t step = 0; step < 3; step++)
    {
        const int32_t error = (1 << 29) - arm_nn_doubling_high_mult(half_denominator, x);
        x = x + pcn_saturating_shl(arm_nn_doubling_high_mult(x, error), 2);
    }
    return x;
}

#endif /* PYCMSISNN_FIXEDPOINT_H */
