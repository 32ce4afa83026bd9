/*
 * pycmsisnn: private fixed-point arithmetic of the s8 softmax kernels.
 *
 * The int8 softmax of TensorFlow Lite (and so of TFLite Micro's reference
 * kernel) is defined by a particular chain of 32-bit fixed-point operations:
 * exp() of the scaled difference to the row maximum, evaluated in Q5.26 ->
 * Q0.31, a sum in Q12.19, a Newton-Raphson reciprocal, and a final rounding
 * shift to the output's 8 or 16 bits. Every rounding step below is part of
 * that definition; reordering or merging them changes results by one LSB.
 *
 * Notation: a "Qm" value is an int32 with m integer bits (31 - m fractional).
 */
#ifndef ARM_NN_SOFTMAX_FIXEDPOINT_H
#define ARM_NN_SOFTMAX_FIXEDPOINT_H

#include "arm_nn_math_types.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_fixedpoint.h"

/* Integer bits of the scaled difference fed to exp(), and of the sum of exps. */
#define PCN_SOFTMAX_DIFF_INT_BITS 5
#define PCN_SOFTMAX_SUM_INT_BITS 12

/* int32 addition/subtraction that wraps instead of being undefined. */
static inline int32_t pcn_sm_add(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t pcn_sm_sub(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* Product of two fixed-point numbers: rounded (a * b) / 2^31, saturating the
 * single overflowing case. */
static inline int32_t pcn_sm_mul(const int32_t a, const int32_t b)
{
    return arm_nn_doubling_high_mult(a, b);
}

/* Number of leading zero bits of a 32-bit word (32 for 0). */
static inline int32_t pcn_sm_clz(uint32_t v)
{
    int32_t n = 0;
    if (v == 0U)
    {
        return 32;
    }
    while ((v & 0x80000000U) == 0U)
    {
        v <<= 1;
        n++;
    }
    return n;
}

/* exp(a) in Q0.31 for a Q5.26 value a <= 0 (the scaled differences). */
static inline int32_t pcn_exp_on_negative_q5(const int32_t a)
{
    return pcn_exp_on_negative(a, PCN_SOFTMAX_DIFF_INT_BITS);
}

/* 1 / (1 + x) in Q0.31 for a Q0.31 value x in [0, 1). */
static inline int32_t pcn_sm_one_over_one_plus_x(const int32_t x)
{
    return pcn_saturating_shl(pcn_reciprocal_one_plus_q29(x), 1);
}

/* The int32 difference x - row_max scaled by the input multiplier into Q5:
 * (diff * 2^shift) times the Q31 multiplier, rounded. shift is clamped to
 * [0, 31] so that a bad argument cannot cause undefined behaviour. */
static inline int32_t pcn_sm_scale_diff(const int32_t diff, const int32_t mult, const int32_t shift)
{
    const int32_t s = PCN_CLAMP(shift, 0, 31);
    return pcn_sm_mul(arm_nn_shift_left_wrap(diff, s), mult);
}

/* The sum of exponentials (Q12, saturating) with the term of one element
 * whose difference to the row maximum is diff; elements below diff_min add nothing. */
static inline int32_t pcn_softmax_add_exp(const int32_t sum,
                                          const int32_t diff,
                                          const int32_t mult,
                                          const int32_t shift,
                                          const int32_t diff_min)
{
    if (diff < diff_min)
    {
        return sum;
    }
    /* Q0 -> Q12 before accumulating */
    return pcn_sm_add(sum, arm_nn_divide_by_power_of_two(pcn_exp_on_negative_q5(pcn_sm_scale_diff(diff, mult, shift)),
                                                         PCN_SOFTMAX_SUM_INT_BITS));
}

/* From a row's sum of exponentials: the Q0 reciprocal of the sum (its
 * mantissa in [1/2, 1)) and the rounding shift that takes reciprocal * exp
 * to an output of out_bits bits (8 or 16). Returns 0 when the sum is zero
 * (no element counted). */
static inline int32_t pcn_softmax_reciprocal(const int32_t sum, const int32_t out_bits, int32_t *reciprocal, int32_t *out_shift)
{
    int32_t headroom;
    if (sum == 0)
    {
        return 0;
    }
    /* sum = 2^(bits over one) * (1 + m) with m in [0, 1): take 1 / (1 + m) */
    headroom = pcn_sm_clz((uint32_t)sum);
    *reciprocal = pcn_sm_one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - 0x80000000U));
    *out_shift = PCN_CLAMP(PCN_SOFTMAX_SUM_INT_BITS - headroom + 31 - out_bits, 0, 31);
    return 1;
}

/*
 * Per-row constants of the softmax of an int8 row: the row maximum, and
 * pcn_softmax_reciprocal's. Returns 0 when no element of the row is counted.
 */
static inline int32_t pcn_softmax_row_setup(const int8_t *row,
                                            const int32_t row_size,
                                            const int32_t mult,
                                            const int32_t shift,
                                            const int32_t diff_min,
                                            const int32_t out_bits,
                                            int32_t *row_max,
                                            int32_t *reciprocal,
                                            int32_t *out_shift)
{
    int32_t max = NN_Q7_MIN;
    int32_t sum = 0;
    int32_t c;

    for (c = 0; c < row_size; c++)
    {
        max = PCN_MAX(max, (int32_t)row[c]);
    }
    for (c = 0; c < row_size; c++)
    {
        sum = pcn_softmax_add_exp(sum, (int32_t)row[c] - max, mult, shift, diff_min);
    }
    *row_max = max;
    return pcn_softmax_reciprocal(sum, out_bits, reciprocal, out_shift);
}

/* Unclamped output (before adding the output minimum) of one counted element. */
static inline int32_t pcn_softmax_element(const int32_t diff,
                                          const int32_t mult,
                                          const int32_t shift,
                                          const int32_t reciprocal,
                                          const int32_t out_shift)
{
    const int32_t e = pcn_exp_on_negative_q5(pcn_sm_scale_diff(diff, mult, shift));
    return arm_nn_divide_by_power_of_two(pcn_sm_mul(reciprocal, e), out_shift);
}

#endif /* ARM_NN_SOFTMAX_FIXEDPOINT_H */
