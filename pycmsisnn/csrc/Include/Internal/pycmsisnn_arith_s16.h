/*
 * pycmsisnn: fixed-point helpers of the int16 (16x8) kernels other than
 * convolution.
 *
 * pcn_requantize_s64 is TensorFlow Lite's MultiplyByQuantizedMultiplier for a
 * 64-bit accumulator (the one TFLite Micro's int16 fully connected uses): the
 * Q31 multiplier is first reduced to Q15 ((m + 2^15) >> 16, saturated at
 * 0x7FFF), the accumulator multiplied by it in 64 bits, and the product
 * shifted right by 15 - shift with one rounding (half up). shift must be
 * at most 14 (TFLite keeps it below 8).
 */
#ifndef PYCMSISNN_ARITH_S16_H
#define PYCMSISNN_ARITH_S16_H

#include <stdint.h>

#include "arm_nnsupportfunctions.h" /* brings Internal/pycmsisnn_arith.h */

/* Largest right shift pcn_requantize_s64 admits as `shift`. */
#define PCN_S64_SHIFT_MAX 14

static inline int32_t pcn_reduce_multiplier_q15(const int32_t multiplier)
{
    return (multiplier < 0x7FFF0000) ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
}

static inline int32_t pcn_requantize_s64(const int64_t acc, const int32_t multiplier, const int32_t shift)
{
    const int32_t total_shift = 15 - shift;
    const int64_t rounding = (int64_t)1 << (total_shift - 1);
    const int64_t prod = acc * (int64_t)pcn_reduce_multiplier_q15(multiplier) + rounding;
    /* arithmetic shift of a signed value: floor division by 2^total_shift */
    const int64_t q = (prod >= 0) ? (prod >> total_shift) : -(int64_t)((~(uint64_t)prod >> total_shift) + 1);
    return (int32_t)q;
}

/* Saturate an int32 to int16. */
static inline int16_t pcn_sat_s16(const int32_t v)
{
    return (int16_t)PCN_CLAMP(v, (int32_t)NN_Q15_MIN, (int32_t)NN_Q15_MAX);
}

#endif /* PYCMSISNN_ARITH_S16_H */
