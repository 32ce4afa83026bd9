/*
 * pycmsisnn: fixed-point arithmetic shared by every kernel of ours.
 *
 * Included by arm_nnsupportfunctions.h for the arm_* kernels, and directly by
 * the pycmsisnn_* kernels (operators CMSIS-NN lacks), which must also build
 * against Arm's headers and so include nothing private of Arm's.
 *
 * Requantisation follows TensorFlow Lite's double-rounding scheme, which is
 * what TensorFlow Lite Micro's reference kernels compute:
 *   left shift (if shift > 0), rounding doubling high multiply by a Q31
 *   multiplier, rounding right shift (if shift < 0) with ties away from zero.
 */
#ifndef PYCMSISNN_ARITH_H
#define PYCMSISNN_ARITH_H

#include <stdint.h>

#include "arm_nn_math_types.h"

#define PCN_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PCN_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PCN_CLAMP(x, lo, hi) PCN_MIN(PCN_MAX((x), (lo)), (hi))

#define PCN_LEFT_SHIFT(s) ((s) > 0 ? (s) : 0)
#define PCN_RIGHT_SHIFT(s) ((s) > 0 ? 0 : -(s))

/* Round(a * b / 2^31), ties up, without saturation; b is never INT32_MIN here. */
static inline int32_t arm_nn_doubling_high_mult_no_sat(const int32_t a, const int32_t b)
{
    const int64_t prod = (int64_t)a * (int64_t)b + ((int64_t)1 << 30);
    return (int32_t)(prod >> 31);
}

/* As above, saturating the single overflowing case INT32_MIN * INT32_MIN. */
static inline int32_t arm_nn_doubling_high_mult(const int32_t a, const int32_t b)
{
    if (a == NN_Q31_MIN && b == NN_Q31_MIN)
    {
        return NN_Q31_MAX;
    }
    return arm_nn_doubling_high_mult_no_sat(a, b);
}

/* x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31. */
static inline int32_t arm_nn_divide_by_power_of_two(const int32_t x, const int32_t exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* Left shift that wraps like the two's-complement hardware instead of being
 * undefined behaviour on overflow. */
static inline int32_t arm_nn_shift_left_wrap(const int32_t x, const int32_t s)
{
    return (int32_t)((uint32_t)x << s);
}

/* TFLite's MultiplyByQuantizedMultiplier for int32 accumulators. */
static inline int32_t arm_nn_requantize(const int32_t val, const int32_t multiplier, const int32_t shift)
{
    return arm_nn_divide_by_power_of_two(
        arm_nn_doubling_high_mult_no_sat(arm_nn_shift_left_wrap(val, PCN_LEFT_SHIFT(shift)), multiplier),
        PCN_RIGHT_SHIFT(shift));
}

/* Requantisation by a multiplier of either sign as TensorFlow Lite Micro's
 * LEAKY_RELU evaluates a negative alpha: the requantisation by the
 * magnitude, negated (ties of the doubling high multiply then go toward zero
 * rather than up). The multiplier is never INT32_MIN. */
static inline int32_t arm_nn_requantize_signed(const int32_t val, const int32_t multiplier, const int32_t shift)
{
    return (multiplier < 0) ? -arm_nn_requantize(val, -multiplier, shift) : arm_nn_requantize(val, multiplier, shift);
}

/* Requantise an accumulator, add the output offset and clamp to [act_min, act_max]. */
static inline int8_t arm_nn_requantize_clamp_s8(const int32_t acc,
                                                const int32_t multiplier,
                                                const int32_t shift,
                                                const int32_t out_offset,
                                                const int32_t act_min,
                                                const int32_t act_max)
{
    int32_t v = arm_nn_requantize(acc, multiplier, shift) + out_offset;
    v = PCN_CLAMP(v, act_min, act_max);
    return (int8_t)v;
}

#endif /* PYCMSISNN_ARITH_H */
