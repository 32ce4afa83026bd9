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

/* x * 2^exponent for 0 < exponent < 31, saturating to the int32 range. */
static inline int32_t pcn_sm_shl_sat(const int32_t x, const int32_t exponent)
{
    const int32_t limit = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > limit)
    {
        return NN_Q31_MAX;
    }
    if (x < -limit)
    {
        return NN_Q31_MIN;
    }
    return arm_nn_shift_left_wrap(x, exponent);
}

/* Round((a + b) / 2), halves away from zero, computed without overflow. */
static inline int32_t pcn_sm_half_sum(const int32_t a, const int32_t b)
{
    const int64_t s = (int64_t)a + (int64_t)b;
    return (int32_t)((s + (s >= 0 ? 1 : -1)) / 2);
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

/* exp(a) for a Q0 value in [-1/4, 0): a fourth-order Taylor polynomial around
 * -1/8. With t = a + 1/8:
 *   exp(a) = e^(-1/8) * (1 + t + t^2/2 + t^3/6 + t^4/24),
 * the bracket's tail being evaluated as ((t^4/4 + t^3) / 3 + t^2) / 2. */
static inline int32_t pcn_sm_exp_small(const int32_t a)
{
    const int32_t exp_neg_eighth = 1895147668; /* e^(-1/8) in Q0 */
    const int32_t one_third = 715827883;       /* 1/3 in Q0 */
    const int32_t t = pcn_sm_add(a, (int32_t)1 << 28);
    const int32_t t2 = pcn_sm_mul(t, t);
    const int32_t t3 = pcn_sm_mul(t2, t);
    const int32_t t4 = pcn_sm_mul(t2, t2);
    const int32_t t4_quarter = arm_nn_divide_by_power_of_two(t4, 2);
    const int32_t tail =
        arm_nn_divide_by_power_of_two(pcn_sm_add(pcn_sm_mul(pcn_sm_add(t4_quarter, t3), one_third), t2), 1);
    return pcn_sm_add(exp_neg_eighth, pcn_sm_mul(exp_neg_eighth, pcn_sm_add(t, tail)));
}

/* exp(a) in Q0 for a Q5 value a <= 0.
 * a is split as a = r - 1/4 - (sum of powers of two between 1/4 and 16), with
 * r - 1/4 in [-1/4, 0): exp of the small part comes from the polynomial, and
 * every power of two present multiplies the result by its constant exp(-2^k).
 * exp(0) is the largest Q0 value. */
static inline int32_t pcn_sm_exp_on_negative(const int32_t a)
{
    /* exp(-2^k) in Q0 for k = -2 .. 4 */
    static const int32_t exp_neg_pow2[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t frac_bits = 31 - PCN_SOFTMAX_DIFF_INT_BITS; /* 26 */
    const int32_t quarter = (int32_t)1 << (frac_bits - 2);
    const int32_t small = pcn_sm_sub(a & (quarter - 1), quarter); /* in [-1/4, 0) */
    const int32_t rest = pcn_sm_sub(small, a);                     /* non-negative multiple of 1/4 */
    int32_t result = pcn_sm_exp_small(pcn_sm_shl_sat(small, PCN_SOFTMAX_DIFF_INT_BITS));
    int32_t k;

    for (k = 0; k < 7; k++)
    {
        /* bit of 2^(k - 2) in the Q5 representation */
        if ((rest & ((int32_t)1 << (frac_bits - 2 + k))) != 0)
        {
            result = pcn_sm_mul(result, exp_neg_pow2[k]);
        }
    }
    if (a == 0)
    {
        result = NN_Q31_MAX;
    }
    return result;
}

/* 1 / (1 + x) in Q0 for a Q0 value x in [0, 1): three Newton-Raphson steps on
 * the half denominator d = (1 + x) / 2, from the start 48/17 - 32/17 * d, all
 * in Q2; the Q2 estimate of 1/d, halved, is 1/(1 + x). */
static inline int32_t pcn_sm_one_over_one_plus_x(const int32_t x)
{
    const int32_t c_48_17 = 1515870810;      /* 48/17 in Q2 */
    const int32_t c_neg_32_17 = -1010580540; /* -32/17 in Q2 */
    const int32_t one_q2 = (int32_t)1 << 29;
    const int32_t d = pcn_sm_half_sum(x, NN_Q31_MAX);
    int32_t est = pcn_sm_add(c_48_17, pcn_sm_mul(d, c_neg_32_17));
    int32_t i;

    for (i = 0; i < 3; i++)
    {
        const int32_t err = pcn_sm_sub(one_q2, pcn_sm_mul(d, est)); /* 1 - d * est, Q2 */
        /* est * err is Q4; bring it back to Q2 */
        est = pcn_sm_add(est, pcn_sm_shl_sat(pcn_sm_mul(est, err), 2));
    }
    /* est / 2 reinterpreted in Q1, then Q1 -> Q0 */
    return pcn_sm_shl_sat(est, 1);
}

/* The int32 difference x - row_max scaled by the input multiplier into Q5:
 * (diff * 2^shift) times the Q31 multiplier, rounded. shift is clamped to
 * [0, 31] so that a bad argument cannot cause undefined behaviour. */
static inline int32_t pcn_sm_scale_diff(const int32_t diff, const int32_t mult, const int32_t shift)
{
    const int32_t s = PCN_CLAMP(shift, 0, 31);
    return pcn_sm_mul(arm_nn_shift_left_wrap(diff, s), mult);
}

/*
 * Per-row constants of the softmax: the row maximum, the Q0 reciprocal of the
 * sum of exponentials (its mantissa in [1/2, 1)) and the rounding shift that
 * takes reciprocal * exp to an output of out_bits bits (8 or 16).
 * Returns 0 when no element of the row is counted (the sum is zero).
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
    int32_t headroom;
    int32_t c;

    for (c = 0; c < row_size; c++)
    {
        max = PCN_MAX(max, (int32_t)row[c]);
    }
    for (c = 0; c < row_size; c++)
    {
        const int32_t diff = (int32_t)row[c] - max;
        if (diff >= diff_min)
        {
            const int32_t e = pcn_sm_exp_on_negative(pcn_sm_scale_diff(diff, mult, shift));
            /* Q0 -> Q12 before accumulating */
            sum = pcn_sm_add(sum, arm_nn_divide_by_power_of_two(e, PCN_SOFTMAX_SUM_INT_BITS));
        }
    }
    *row_max = max;
    if (sum == 0)
    {
        return 0;
    }

    /* sum = 2^(bits over one) * (1 + m) with m in [0, 1): take 1 / (1 + m) */
    headroom = pcn_sm_clz((uint32_t)sum);
    *reciprocal = pcn_sm_one_over_one_plus_x(
        (int32_t)(((uint32_t)sum << headroom) - 0x80000000U));
    *out_shift = PCN_CLAMP(PCN_SOFTMAX_SUM_INT_BITS - headroom + 31 - out_bits, 0, 31);
    return 1;
}

/* Unclamped output (before adding the output minimum) of one counted element. */
static inline int32_t pcn_softmax_element(const int32_t diff,
                                          const int32_t mult,
                                          const int32_t shift,
                                          const int32_t reciprocal,
                                          const int32_t out_shift)
{
    const int32_t e = pcn_sm_exp_on_negative(pcn_sm_scale_diff(diff, mult, shift));
    return arm_nn_divide_by_power_of_two(pcn_sm_mul(reciprocal, e), out_shift);
}

#endif /* ARM_NN_SOFTMAX_FIXEDPOINT_H */
