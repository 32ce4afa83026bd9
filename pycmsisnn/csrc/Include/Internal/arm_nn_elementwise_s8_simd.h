/*
 * pycmsisnn: the vectorised (MVE and DSP) helpers of arm_elementwise_add_s8
 * and arm_elementwise_mul_s8 (private, not part of the API). Nothing here is
 * compiled on a build without MVE or DSP.
 *
 * Both kernels compute exactly the portable arithmetic of pycmsisnn_arith.h:
 * arm_nn_requantize (wrapping left shift, rounding doubling high multiply,
 * rounding right shift with ties away from zero), the output offset and the
 * clamp.
 *
 * MVE: four int32 lanes at a time; VQRDMULH is the rounding doubling high
 * multiply (it saturates only for INT32_MIN * INT32_MIN, which the kernels
 * rule out by taking the portable loop for a multiplier of INT32_MIN); the
 * rounding right shift subtracts one from negative lanes (saturating) and
 * then lets VRSHL add half and shift.
 *
 * DSP: one int32 value at a time, with the doubling folded into the left
 * shift and the rounding folded into one SMMLAR:
 *   requantize(a, m, s) with n = -s >= 1 and 2a representable
 *     = (SMMLAR(2a, m, 2^(n-1) + (a < 0 ? -1 : 0)) >> n)
 * because SMMLAR(x, m, c) = c + ((x * m + 2^31) >> 32) exactly, and for a
 * positive m the sign of a gives the sign of the high product (a negative a
 * with a zero product subtracts one from 2^(n-1), which shifts to the same
 * result). The kernels check before the loop, from the parameters alone, that
 * no intermediate can overflow; otherwise they run the portable loop.
 */
#ifndef ARM_NN_ELEMENTWISE_S8_SIMD_H
#define ARM_NN_ELEMENTWISE_S8_SIMD_H

#include "arm_nn_math_types.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

#if defined(ARM_MATH_MVEI)

/* v rounding-shifted right by `right` (>= 0) bits, ties away from zero.
 * `off_if_no_shift` is 0 when right > 0 and 32 when right == 0: VSHL by 32
 * clears the negative-lane correction, so no shift leaves v unchanged. */
static inline int32x4_t pcn_ew_rshift_mve(const int32x4_t v, const int32_t right, const int32_t off_if_no_shift)
{
    const int32x4_t fix = vshlq_r_s32(vshrq_n_s32(v, 31), off_if_no_shift);
    return vrshlq_n_s32(vqaddq_s32(v, fix), -right);
}

/* arm_nn_requantize of four lanes: `left` is the whole left shift (any
 * extra shift of the caller added to max(shift, 0)), right = max(-shift, 0). */
static inline int32x4_t pcn_ew_requantize_mve(int32x4_t v,
                                              const int32_t left,
                                              const int32_t mult,
                                              const int32_t right,
                                              const int32_t no_shift)
{
    v = vshlq_r_s32(v, left);
    v = vqrdmulhq_n_s32(v, mult);
    return pcn_ew_rshift_mve(v, right, no_shift);
}

#elif defined(ARM_MATH_DSP)

/* c + round(x * m / 2^32), i.e. c + ((x * m + 2^31) >> 32), exactly. */
static inline int32_t pcn_ew_smmlar(const int32_t x, const int32_t m, const int32_t c)
{
    int32_t r;
    __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(m), "r"(c));
    return r;
}

/* Bytes 1 and 3 of x plus the halfwords of a. */
static inline int32_t pcn_ew_sxtab16_odd(const int32_t a, const int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* Products of the bottom halfwords and of the top halfwords (not in gcc 12's
 * arm_acle.h). */
static inline int32_t pcn_ew_smulbb(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("smulbb %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int32_t pcn_ew_smultt(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("smultt %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

/* Bottom halfword of a, bottom halfword of b in the top. */
static inline int32_t pcn_ew_pack_lo(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int32_t pcn_ew_read4(const int8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* The value in both halfwords (v fits in int16). */
static inline int32_t pcn_ew_dup16(const int32_t v)
{
    return (int32_t)(((uint32_t)v & 0xFFFFu) | ((uint32_t)v << 16));
}

/* The value in all four bytes (v fits in int8). */
static inline uint32_t pcn_ew_dup8(const int32_t v)
{
    return ((uint32_t)v & 0xFFu) * 0x01010101u;
}

/* Four int32 results saturated to int8, packed in order (v0 in the lowest
 * byte) and clamped bytewise to [min, max] (min4/max4: the bounds in every
 * byte; the activation range lies inside int8, so saturating first changes
 * nothing). */
static inline uint32_t pcn_ew_pack4_clamp(
    int32_t v0, int32_t v1, int32_t v2, int32_t v3, const uint32_t min4, const uint32_t max4)
{
    uint32_t w;

    v0 = __ssat(v0, 8);
    v1 = __ssat(v1, 8);
    v2 = __ssat(v2, 8);
    v3 = __ssat(v3, 8);
    w = __uxtb16((uint32_t)pcn_ew_pack_lo(v0, v2)) | (__uxtb16((uint32_t)pcn_ew_pack_lo(v1, v3)) << 8);
    (void)__ssub8((int32_t)w, (int32_t)min4);
    w = __sel(w, min4);
    (void)__ssub8((int32_t)max4, (int32_t)w);
    return __sel(w, max4);
}

static inline void pcn_ew_write4(int8_t *p, const uint32_t w)
{
    memcpy(p, &w, sizeof(w));
}

/* Requantisation of int32 values v with |v| <= bound (after the caller's
 * own left shift), by multiplier `mult` (> 0) and `shift`, plus
 * `out_offset`: the constants of the SMMLAR form. Returns 0 when that form
 * could overflow for some value (the caller then runs the portable loop). */
typedef struct
{
    int32_t mult;
    int32_t left;      /* left shift including the doubling: max(shift, 0) + 1 */
    int32_t right;     /* max(-shift, 0), in 0..30 */
    int32_t bias;      /* 2^(right - 1) (0 without a right shift) + (out_offset << right) */
    int64_t out_bound; /* bound on |result - out_offset| */
} pcn_ew_rq_dsp;

static inline int pcn_ew_rq_dsp_init(
    pcn_ew_rq_dsp *rq, const int64_t bound, const int32_t mult, const int32_t shift, const int32_t out_offset)
{
    const int32_t left = (shift > 0 ? shift : 0) + 1;
    const int32_t right = shift > 0 ? 0 : -shift;
    const int64_t half = right > 0 ? ((int64_t)1 << (right - 1)) : 0;
    const int64_t abs_off = out_offset < 0 ? -(int64_t)out_offset : (int64_t)out_offset;
    int64_t high;

    if (mult <= 0 || left > 31 || right > 30 || abs_off > 65536 || bound < 0)
    {
        return 0;
    }
    /* the doubled, shifted value must fit in int32 */
    if (bound > ((int64_t)INT32_MAX >> left))
    {
        return 0;
    }
    /* |SMMLAR product| <= ((bound << left) * mult + 2^31) >> 32, plus 1 for
     * the negative correction; the biased sum must stay in int32 */
    high = (((bound << left) * (int64_t)mult) >> 32) + 2;
    if (high + half + (abs_off << right) > (int64_t)INT32_MAX)
    {
        return 0;
    }
    rq->mult = mult;
    rq->left = left;
    rq->right = right;
    rq->bias = (int32_t)(half + ((int64_t)out_offset << right));
    rq->out_bound = ((high + half) >> right) + 1;
    return 1;
}

/* The requantised value (output offset included) of v, |v| <= bound.
 * `fix` is -1 when rq->right > 0 and 0 otherwise (a constant at each call
 * site, so the AND folds away). */
static inline int32_t pcn_ew_rq_dsp_apply(const int32_t v, const pcn_ew_rq_dsp *rq, const int32_t fix)
{
    const int32_t x = (int32_t)((uint32_t)v << rq->left);
    return pcn_ew_smmlar(x, rq->mult, rq->bias + ((v >> 31) & fix)) >> rq->right;
}

#endif /* ARM_MATH_MVEI / ARM_MATH_DSP */

#endif /* ARM_NN_ELEMENTWISE_S8_SIMD_H */
