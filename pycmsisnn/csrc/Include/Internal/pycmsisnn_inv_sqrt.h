/*
 * pycmsisnn: private helpers of RSQRT and L2_NORMALIZATION (not part of the
 * API): 1 / sqrt(v) of a positive int32 as a Q31 multiplier and an exponent,
 * by five Newton steps x <- x * (3 - v' * x^2) / 2 in fixed point with 3
 * integer bits, v' being v brought into [1/8, 1/2) by an even power of two.
 * Each product rounds (doubling high multiply), rescales saturate.
 */
#ifndef PYCMSISNN_INTERNAL_INV_SQRT_H
#define PYCMSISNN_INTERNAL_INV_SQRT_H

#include <stdint.h>

#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"

/* x * 2^e saturated to int32, 0 <= e < 31. */
static inline int32_t pcn_isqrt_sat_shl(const int32_t x, const int32_t e)
{
    const int64_t v = (int64_t)x * ((int64_t)1 << e);
    return (int32_t)(v > NN_Q31_MAX ? NN_Q31_MAX : (v < NN_Q31_MIN ? NN_Q31_MIN : v));
}

/* 1 / sqrt(value) ~= multiplier * 2^exponent / 2^31 with exponent <= 0 (a
 * right shift) for value >= 2; values below give INT32_MAX and exponent 0. */
static inline void pcn_inv_sqrt_q31(int32_t value, int32_t *multiplier, int32_t *exponent)
{
    if (value <= 1)
    {
        *multiplier = NN_Q31_MAX;
        *exponent = 0;
        return;
    }
    int32_t shift = 11;
    while (value >= (1 << 29))
    {
        value /= 4;
        ++shift;
    }
    int32_t leading_zeros = 0; /* of the 32-bit value, which is in [2, 2^29) */
    for (uint32_t u = (uint32_t)value; (u & 0x80000000u) == 0u; u <<= 1)
    {
        ++leading_zeros;
    }
    const int32_t pairs = (leading_zeros - 1) / 2 - 1;
    shift -= pairs;
    value <<= 2 * pairs;

    const int32_t v_q3 = value >> 1;                                /* value' in Q3.28 */
    const int32_t half_v = arm_nn_divide_by_power_of_two(v_q3, 1); /* value' / 2 */
    const int32_t three_halves = (1 << 28) + (1 << 27);            /* 1.5 in Q3.28 */
    int32_t x = 1 << 28;                                            /* 1.0 in Q3.28 */
    for (int32_t i = 0; i < 5; i++)
    {
        const int32_t x3 = pcn_isqrt_sat_shl(arm_nn_doubling_high_mult(arm_nn_doubling_high_mult(x, x), x), 6);
        const int32_t a = arm_nn_doubling_high_mult(three_halves, x);
        const int32_t b = arm_nn_doubling_high_mult(half_v, x3);
        x = pcn_isqrt_sat_shl((int32_t)((uint32_t)a - (uint32_t)b), 3);
    }
    x = arm_nn_doubling_high_mult(x, 1518500250); /* times sqrt(2) / 2 in Q31 */
    if (shift < 0)
    {
        x = (int32_t)((uint32_t)x << (-shift));
        shift = 0;
    }
    *multiplier = x;
    *exponent = -shift;
}

#endif /* PYCMSISNN_INTERNAL_INV_SQRT_H */
