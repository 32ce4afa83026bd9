/*
 * pycmsisnn: pycmsisnn_div_s8.
 *
 * int8 DIV with broadcasting, as TensorFlow Lite Micro evaluates it (found by
 * running it on every pair of int8 values at many scales and zero points):
 * the offset divisor d (made non-negative by negating both operands) is
 * written 2^k (1 + m) and its reciprocal mantissa 1 / (1 + m) taken by three
 * Newton-Raphson steps in Q2.29; the offset numerator, shifted left by its
 * headroom, is multiplied by it, and the quotient requantised by the output
 * multiplier with the exponent output_shift - k - headroom.
 *
 * Two places leave C's defined behaviour in TensorFlow Lite Micro, and both
 * are reproduced as its x86-64 build computes them (the reference we compare
 * with): a rounding division by 2^e with e above 31 (a quotient far below the
 * output step: an all-ones remainder mask and an arithmetic shift by e modulo
 * 32), and a divisor at its zero point (the reciprocal of 0: a shift by 32
 * that leaves 0, Newton-Raphson steps whose sums wrap around).
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_fixedpoint.h"

static int32_t pcn_div_clz(uint32_t v)
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

/* Redundant sign bits of x (31 for 0 and -1). */
static int32_t pcn_div_headroom(const int32_t x)
{
    return pcn_div_clz(x < 0 ? ~(uint32_t)x : (uint32_t)x) - 1;
}

/* 1 / (1 + a) in Q0.31 for a Q0.31 value a, by three Newton-Raphson steps
 * whose sums wrap around (they do only for a = -1, the divisor 0). */
static int32_t pcn_div_one_over_one_plus(const int32_t a)
{
    const int32_t half_denominator = pcn_rounding_half_sum(a, NN_Q31_MAX);
    int32_t x = PCN_48_OVER_17_Q29 + arm_nn_doubling_high_mult(half_denominator, PCN_MINUS_32_OVER_17_Q29);
    for (int32_t step = 0; step < 3; step++)
    {
        const int32_t error = (1 << 29) - arm_nn_doubling_high_mult(half_denominator, x);
        x = (int32_t)((uint32_t)x + (uint32_t)pcn_saturating_shl(arm_nn_doubling_high_mult(x, error), 2));
    }
    return pcn_saturating_shl(x, 1);
}

/* x / 2^e rounded half away from zero for 0 <= e <= 31; for 32 <= e <= 63 as
 * the reference's x86-64 build: mask all ones, shift by e modulo 32. */
static int32_t pcn_div_round_shift(const int32_t x, const int32_t e)
{
    const int32_t mask = (int32_t)(uint32_t)(((uint64_t)1 << e) - 1U);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> (e & 31)) + (remainder > threshold ? 1 : 0);
}

static int8_t pcn_div_element(const void *params, const int8_t x1, const int8_t x2)
{
    const pycmsisnn_div_params *p = (const pycmsisnn_div_params *)params;
    int32_t n = (int32_t)x1 + p->input_1_offset;
    int32_t d = (int32_t)x2 + p->input_2_offset;
    if (d < 0)
    {
        n = -n;
        d = -d;
    }
    const int32_t lz = pcn_div_clz((uint32_t)d);
    const int32_t mantissa = (int32_t)(((uint32_t)d << (lz & 31)) - 0x80000000U);
    const int32_t reciprocal = pcn_div_one_over_one_plus(mantissa);
    const int32_t headroom = pcn_div_headroom(n);
    const int32_t quotient = arm_nn_doubling_high_mult(arm_nn_shift_left_wrap(n, headroom), reciprocal);
    const int32_t exponent = (31 - lz) + headroom - p->output_shift; /* 0..63 for -25 <= output_shift <= 22 */
    const int32_t v = pcn_div_round_shift(arm_nn_doubling_high_mult(quotient, p->output_multiplier), exponent) + p->output_offset;
    return (int8_t)PCN_CLAMP(v, p->activation_min, p->activation_max);
}

arm_cmsis_nn_status pycmsisnn_div_s8(const pycmsisnn_div_params *params,
                                     const cmsis_nn_dims *input_1_dims,
                                     const int8_t *input_1,
                                     const cmsis_nn_dims *input_2_dims,
                                     const int8_t *input_2,
                                     const cmsis_nn_dims *output_dims,
                                     int8_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    if (params == NULL || input_1 == NULL || input_2 == NULL || output == NULL ||
        !arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, s1, s2) || params->input_1_offset < -127 ||
        params->input_1_offset > 128 || params->input_2_offset < -127 || params->input_2_offset > 128 ||
        params->output_multiplier < 0 || params->output_shift < -25 || params->output_shift > 22 ||
        params->activation_min < NN_Q7_MIN || params->activation_max > NN_Q7_MAX || params->activation_min > params->activation_max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    arm_nn_broadcast_walk_s8(input_1, s1, input_2, s2, output, output_dims, pcn_div_element, params);
    return ARM_CMSIS_NN_SUCCESS;
}
