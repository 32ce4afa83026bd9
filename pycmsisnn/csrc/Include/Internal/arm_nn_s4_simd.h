/*
 * pycmsisnn: DSP and MVE dot products of int8 activations with packed int4
 * weight rows (private, not part of the API). Nothing here is compiled on a
 * build without DSP or MVE.
 *
 * A weight row is a run of n nibbles of the packed stream starting at nibble
 * `first` (Internal/arm_nn_s4.h). When first is odd the first weight is the
 * high nibble of its byte: it is taken alone (the "peel"), and the rest of
 * the row starts on a byte with activation index 1 (activations are read a
 * word or a vector at a time at any byte address). Two rows that share their
 * activations in one block therefore need the same parity of `first`.
 *
 * Every routine returns exact int32 sums of (x + off) * w, the integers of
 * pcn_s4_dot, so the requantisation that follows gives identical outputs.
 * The vector parts multiply by 16 * w instead of w (a nibble moved to the top
 * of its byte is 16 * w as a signed byte, with no shift back), and their sums
 * are divided by 16 (exact: they are multiples of 16). They fit in int32 as
 * long as n <= PCN_S4_SIMD_MAX_N: |x + off| <= 255 and |16 w| <= 128.
 *
 * - DSP (Cortex-M4/M7/M33): eight weights from one 32-bit read (AND with
 *   0xF0F0F0F0 keeps the high nibbles, the word shifted left by 4 first the
 *   low ones), SXTB16 extends them to four int16 pairs holding weights
 *   (0, 4), (2, 6), (1, 5), (3, 7); the activations, two words, are split by
 *   SXTAB16 (adding the offset pair) and repaired into the same pairs by
 *   PKHBT/PKHTB; SMLAD multiplies and accumulates both lanes. Blocks of two
 *   activation rows times two weight rows share every read.
 * - MVE (Cortex-M55): sixteen weights from eight bytes (VLDRB.U16 puts one
 *   byte in each 16-bit lane, VSLI copies the low nibble above itself, a
 *   shift left by 4 of the bytes leaves 16 * w in the natural order),
 *   VMLADAVA.S8 with the raw activations, and the offset applied at the end
 *   as off * sum(w) (VADDVA). A last partial vector is tail-predicated (an odd
 *   count's unused high nibble meets a zero activation and is left out of
 *   the weight sum). Blocks of four activation rows share one weight row
 *   (convolution), or one activation row is shared by four weight rows
 *   (fully connected).
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_S4_SIMD_H
#define PYCMSISNN_INTERNAL_ARM_NN_S4_SIMD_H

#include "Internal/arm_nn_mat_mult_s8.h"
#include "Internal/arm_nn_s4.h"
#include "arm_nn_math_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* Longest row the vector sums of 16 * w are exact for. */
    #define PCN_S4_SIMD_MAX_N 65536

    #if defined(__GNUC__) && !defined(__clang__)
        #define PCN_S4_BLOCK __attribute__((noinline, optimize("no-schedule-insns")))
    #else
        #define PCN_S4_BLOCK __attribute__((noinline))
    #endif

/* (x + off) * w for the single weight at nibble i. */
static inline int32_t pcn_s4_mac1(const int8_t *x, const int8_t *packed, const int32_t i, const int32_t off)
{
    return ((int32_t)*x + off) * pcn_s4_weight(packed, i);
}

#endif

#if defined(ARM_MATH_MVEI)

/* Sixteen weights from the eight bytes at p, as 16 * w in natural order. */
static inline int8x16_t pcn_s4_mve_w16(const int8_t *p)
{
    const uint16x8_t v = vldrbq_u16((const uint8_t *)p);
    const uint16x8_t t = vsliq_n_u16(v, v, 4);
    return vshlq_n_s8(vreinterpretq_s8_u16(t), 4);
}

/* The first r (1..15) weights from p likewise, zero beyond. */
static inline int8x16_t pcn_s4_mve_w16_tail(const int8_t *p, const int32_t r)
{
    const uint16x8_t v = vldrbq_z_u16((const uint8_t *)p, vctp16q((uint32_t)(r + 1) >> 1));
    const uint16x8_t t = vsliq_n_u16(v, v, 4);
    return vshlq_n_s8(vreinterpretq_s8_u16(t), 4);
}

/* The four sums sum_k (a_i[k] + off) * w[k] over n entries (lane i) for the
 * rows a0..a3 and one weight row starting at an even nibble (byte w). */
static inline int32x4_t pcn_s4_mve_sums_4x1(const int8_t *a0,
                                            const int8_t *a1,
                                            const int8_t *a2,
                                            const int8_t *a3,
                                            const int8_t *w,
                                            const int32_t n,
                                            const int32_t off)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    int32_t sw = 0;
    int32_t k = n;
    for (; k >= 16; k -= 16)
    {
        const int8x16_t vw = pcn_s4_mve_w16(w);
        sw = vaddvaq_s8(sw, vw);
        s0 = vmladavaq_s8(s0, vldrbq_s8(a0), vw);
        s1 = vmladavaq_s8(s1, vldrbq_s8(a1), vw);
        s2 = vmladavaq_s8(s2, vldrbq_s8(a2), vw);
        s3 = vmladavaq_s8(s3, vldrbq_s8(a3), vw);
        w += 8;
        a0 += 16;
        a1 += 16;
        a2 += 16;
        a3 += 16;
    }
    if (k > 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)k);
        const int8x16_t vw = pcn_s4_mve_w16_tail(w, k);
        sw = vaddvaq_p_s8(sw, vw, p);
        s0 = vmladavaq_s8(s0, vldrbq_z_s8(a0, p), vw);
        s1 = vmladavaq_s8(s1, vldrbq_z_s8(a1, p), vw);
        s2 = vmladavaq_s8(s2, vldrbq_z_s8(a2, p), vw);
        s3 = vmladavaq_s8(s3, vldrbq_z_s8(a3, p), vw);
    }
    int32x4_t v = vdupq_n_s32(s0);
    v = vsetq_lane_s32(s1, v, 1);
    v = vsetq_lane_s32(s2, v, 2);
    v = vsetq_lane_s32(s3, v, 3);
    /* (16 * sum) / 16, exact: an arithmetic shift */
    return vshrq_n_s32(vaddq_n_s32(v, pcn_wrap_mul(off, sw)), 4);
}

/* The four sums of pcn_s4_mve_sums_4x1 for the weight row at nibble first
 * (any parity) over n entries. */
static inline int32x4_t pcn_s4_mve_run_4x1(const int8_t *const *a,
                                           const int8_t *packed,
                                           const int32_t first,
                                           const int32_t n,
                                           const int32_t off)
{
    if ((first & 1) == 0 || n == 0)
    {
        return pcn_s4_mve_sums_4x1(a[0], a[1], a[2], a[3], packed + (first >> 1), n, off);
    }
    int32x4_t v = pcn_s4_mve_sums_4x1(a[0] + 1, a[1] + 1, a[2] + 1, a[3] + 1, packed + ((first + 1) >> 1), n - 1, off);
    const int32_t w = pcn_s4_weight(packed, first);
    v = vsetq_lane_s32(vgetq_lane_s32(v, 0) + ((int32_t)a[0][0] + off) * w, v, 0);
    v = vsetq_lane_s32(vgetq_lane_s32(v, 1) + ((int32_t)a[1][0] + off) * w, v, 1);
    v = vsetq_lane_s32(vgetq_lane_s32(v, 2) + ((int32_t)a[2][0] + off) * w, v, 2);
    v = vsetq_lane_s32(vgetq_lane_s32(v, 3) + ((int32_t)a[3][0] + off) * w, v, 3);
    return v;
}

/* The four sums sum_k (a[k] + off) * w_j[k] over n entries (lane j) for one
 * activation row and the weight rows w_j = w + j * step (bytes; rows
 * starting on a byte). */
static inline int32x4_t
pcn_s4_mve_sums_1x4(const int8_t *a, const int8_t *w, const int32_t step, const int32_t n, const int32_t off)
{
    const int8_t *w0 = w;
    const int8_t *w1 = w + step;
    const int8_t *w2 = w + 2 * step;
    const int8_t *w3 = w + 3 * step;
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    int32_t t0 = 0;
    int32_t t1 = 0;
    int32_t t2 = 0;
    int32_t t3 = 0;
    int32_t k = n;
    for (; k >= 16; k -= 16)
    {
        const int8x16_t va = vldrbq_s8(a);
        int8x16_t vw = pcn_s4_mve_w16(w0);
        s0 = vmladavaq_s8(s0, va, vw);
        t0 = vaddvaq_s8(t0, vw);
        vw = pcn_s4_mve_w16(w1);
        s1 = vmladavaq_s8(s1, va, vw);
        t1 = vaddvaq_s8(t1, vw);
        vw = pcn_s4_mve_w16(w2);
        s2 = vmladavaq_s8(s2, va, vw);
        t2 = vaddvaq_s8(t2, vw);
        vw = pcn_s4_mve_w16(w3);
        s3 = vmladavaq_s8(s3, va, vw);
        t3 = vaddvaq_s8(t3, vw);
        a += 16;
        w0 += 8;
        w1 += 8;
        w2 += 8;
        w3 += 8;
    }
    if (k > 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)k);
        const int8x16_t va = vldrbq_z_s8(a, p);
        int8x16_t vw = pcn_s4_mve_w16_tail(w0, k);
        s0 = vmladavaq_s8(s0, va, vw);
        t0 = vaddvaq_p_s8(t0, vw, p);
        vw = pcn_s4_mve_w16_tail(w1, k);
        s1 = vmladavaq_s8(s1, va, vw);
        t1 = vaddvaq_p_s8(t1, vw, p);
        vw = pcn_s4_mve_w16_tail(w2, k);
        s2 = vmladavaq_s8(s2, va, vw);
        t2 = vaddvaq_p_s8(t2, vw, p);
        vw = pcn_s4_mve_w16_tail(w3, k);
        s3 = vmladavaq_s8(s3, va, vw);
        t3 = vaddvaq_p_s8(t3, vw, p);
    }
    int32x4_t v = vdupq_n_s32(s0);
    v = vsetq_lane_s32(s1, v, 1);
    v = vsetq_lane_s32(s2, v, 2);
    v = vsetq_lane_s32(s3, v, 3);
    int32x4_t t = vdupq_n_s32(t0);
    t = vsetq_lane_s32(t1, t, 1);
    t = vsetq_lane_s32(t2, t, 2);
    t = vsetq_lane_s32(t3, t, 3);
    return vshrq_n_s32(vmlaq_n_s32(v, t, off), 4);
}

/* s[j] = sum_k (a[k] + off) * w_j[k] over n entries for one activation row
 * and the two weight rows at bytes w0, w1 (even nibbles). */
static inline void pcn_s4_mve_core_1x2(
const int8_t *a, const int8_t *w0, const int8_t *w1, const int32_t n, const int32_t off, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t t0 = 0;
    int32_t t1 = 0;
    int32_t k = n;
    for (; k >= 16; k -= 16)
    {
        const int8x16_t va = vldrbq_s8(a);
        const int8x16_t v0 = pcn_s4_mve_w16(w0);
        const int8x16_t v1 = pcn_s4_mve_w16(w1);
        s0 = vmladavaq_s8(s0, va, v0);
        t0 = vaddvaq_s8(t0, v0);
        s1 = vmladavaq_s8(s1, va, v1);
        t1 = vaddvaq_s8(t1, v1);
        a += 16;
        w0 += 8;
        w1 += 8;
    }
    if (k > 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)k);
        const int8x16_t va = vldrbq_z_s8(a, p);
        const int8x16_t v0 = pcn_s4_mve_w16_tail(w0, k);
        const int8x16_t v1 = pcn_s4_mve_w16_tail(w1, k);
        s0 = vmladavaq_s8(s0, va, v0);
        t0 = vaddvaq_p_s8(t0, v0, p);
        s1 = vmladavaq_s8(s1, va, v1);
        t1 = vaddvaq_p_s8(t1, v1, p);
    }
    s[0] = pcn_wrap_add(s0, pcn_wrap_mul(off, t0)) >> 4;
    s[1] = pcn_wrap_add(s1, pcn_wrap_mul(off, t1)) >> 4;
}

/* One activation row times the weight rows at nibbles first0 and first1
 * (same parity): s[0], s[1] += the two sums. */
static inline void pcn_s4_mve_run_1x2(
const int8_t *a, const int8_t *packed, int32_t first0, int32_t first1, int32_t n, const int32_t off, int32_t *s)
{
    int32_t t[2];
    if ((first0 & 1) && n > 0)
    {
        s[0] += pcn_s4_mac1(a, packed, first0, off);
        s[1] += pcn_s4_mac1(a, packed, first1, off);
        a++;
        first0++;
        first1++;
        n--;
    }
    if (n > 0)
    {
        pcn_s4_mve_core_1x2(a, packed + (first0 >> 1), packed + (first1 >> 1), n, off, t);
        s[0] += t[0];
        s[1] += t[1];
    }
}

#elif defined(ARM_MATH_DSP)

/* Low halves of a and b as one pair, a's low (PKHBT; gcc 12's ACLE has no
 * packing intrinsics and does not find the instruction itself). */
static inline int32_t pcn_s4_pk_lo(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

/* High halves of a and b as one pair, a's low (PKHTB). */
static inline int32_t pcn_s4_pk_hi(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(b), "r"(a));
    return r;
}

/* Four activations of the words a (x0..x3) and b (x4..x7), offset pair off2
 * added, as the int16 pairs (0, 4), (2, 6) (odd = 0) or (1, 5), (3, 7)
 * (odd = 1). */
    #define PCN_S4_DSP_ACT(a, b, odd, off2, p0, p1)                                                                    \
        do                                                                                                             \
        {                                                                                                              \
            const int32_t ae_ = (odd) ? pcn_dsp_sxtab16_odd(off2, a) : __sxtab16(off2, a);                             \
            const int32_t be_ = (odd) ? pcn_dsp_sxtab16_odd(off2, b) : __sxtab16(off2, b);                             \
            p0 = pcn_s4_pk_lo(ae_, be_);                                                                               \
            p1 = pcn_s4_pk_hi(ae_, be_);                                                                               \
        } while (0)

/* Four weights of the word w as the int16 pairs 16 * w (0, 4), (2, 6)
 * (odd = 0) or (1, 5), (3, 7) (odd = 1). */
    #define PCN_S4_DSP_W(w, odd, k0, k1)                                                                               \
        do                                                                                                             \
        {                                                                                                              \
            const int32_t h_ = (int32_t)(((odd) ? (uint32_t)(w) : ((uint32_t)(w) << 4)) & 0xF0F0F0F0u);                \
            k0 = __sxtb16(h_);                                                                                         \
            k1 = pcn_dsp_sxtb16_odd(h_);                                                                               \
        } while (0)

/* One half (odd = 0: even entries, 1: odd entries) of a 2x2 step over eight
 * entries. */
    #define PCN_S4_DSP_HALF_2X2(odd)                                                                                   \
        do                                                                                                             \
        {                                                                                                              \
            int32_t x0_, x1_, y0_, y1_, k0_, k1_;                                                                      \
            PCN_S4_DSP_ACT(pcn_read_s8x4(a0), pcn_read_s8x4(a0 + 4), odd, off2, x0_, x1_);                             \
            PCN_S4_DSP_ACT(pcn_read_s8x4(a0 + a_step), pcn_read_s8x4(a0 + a_step + 4), odd, off2, y0_, y1_);           \
            int32_t w_ = pcn_read_s8x4(w0);                                                                            \
            PCN_S4_DSP_W(w_, odd, k0_, k1_);                                                                           \
            s00 = __smlad(x0_, k0_, s00);                                                                              \
            s10 = __smlad(y0_, k0_, s10);                                                                              \
            s00 = __smlad(x1_, k1_, s00);                                                                              \
            s10 = __smlad(y1_, k1_, s10);                                                                              \
            w_ = pcn_read_s8x4(w0 + w_step);                                                                           \
            PCN_S4_DSP_W(w_, odd, k0_, k1_);                                                                           \
            s01 = __smlad(x0_, k0_, s01);                                                                              \
            s11 = __smlad(y0_, k0_, s11);                                                                              \
            s01 = __smlad(x1_, k1_, s01);                                                                              \
            s11 = __smlad(y1_, k1_, s11);                                                                              \
        } while (0)

/* 16 * s for two activation rows a0, a0 + a_step and two weight rows at
 * bytes w0, w0 + w_step over 8 * groups entries: s[0] = a0.w0, s[1] = a0.w1,
 * s[2] = a1.w0, s[3] = a1.w1. Even and odd entries go in two halves: the
 * whole step's operands would not fit the registers. */
PCN_S4_BLOCK static void pcn_s4_dsp_core_2x2(const int8_t *a0,
                                             const int32_t a_step,
                                             const int8_t *w0,
                                             const int32_t w_step,
                                             const int32_t groups,
                                             const int32_t off2,
                                             int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const w_end = w0 + 4 * groups;
    while (w0 != w_end)
    {
        PCN_S4_DSP_HALF_2X2(0);
        PCN_S4_DSP_HALF_2X2(1);
        a0 += 8;
        w0 += 4;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* 16 * s for one activation row and two weight rows at bytes w0, w1 over
 * 8 * groups entries (arm_nn_s4_dsp_core_1x2.c: one copy in a program with
 * the s4 convolution and fully-connected kernels). */
void arm_nn_s4_dsp_core_1x2(
    const int8_t *a0, const int8_t *w0, const int8_t *w1, const int32_t groups, const int32_t off2, int32_t *s);

/* Two activation rows a0, a1 times the weight rows at nibbles first0 and
 * first1 (same parity), n entries: s[0] += a0.w0, s[1] += a0.w1,
 * s[2] += a1.w0, s[3] += a1.w1. */
static inline void pcn_s4_dsp_run_2x2(const int8_t *a0,
                                      const int8_t *a1,
                                      const int8_t *packed,
                                      int32_t first0,
                                      int32_t first1,
                                      int32_t n,
                                      const int32_t off,
                                      int32_t *s)
{
    if ((first0 & 1) && n > 0)
    {
        s[0] += pcn_s4_mac1(a0, packed, first0, off);
        s[1] += pcn_s4_mac1(a0, packed, first1, off);
        s[2] += pcn_s4_mac1(a1, packed, first0, off);
        s[3] += pcn_s4_mac1(a1, packed, first1, off);
        a0++;
        a1++;
        first0++;
        first1++;
        n--;
    }
    const int32_t groups = n >> 3;
    if (groups > 0)
    {
        int32_t t[4];
        pcn_s4_dsp_core_2x2(
        a0, (int32_t)(a1 - a0), packed + (first0 >> 1), (first1 - first0) >> 1, groups, pcn_dsp_offset_pair(off), t);
        s[0] += t[0] >> 4;
        s[1] += t[1] >> 4;
        s[2] += t[2] >> 4;
        s[3] += t[3] >> 4;
    }
    const int32_t done = groups << 3;
    const int32_t rest = n - done;
    if (rest > 0)
    {
        s[0] += pcn_s4_dot(a0 + done, packed, first0 + done, rest, off);
        s[1] += pcn_s4_dot(a0 + done, packed, first1 + done, rest, off);
        s[2] += pcn_s4_dot(a1 + done, packed, first0 + done, rest, off);
        s[3] += pcn_s4_dot(a1 + done, packed, first1 + done, rest, off);
    }
}

/* One activation row times the weight rows at nibbles first0 and first1
 * (same parity): s[0], s[1] += the two sums. */
static inline void pcn_s4_dsp_run_1x2(
const int8_t *a, const int8_t *packed, int32_t first0, int32_t first1, int32_t n, const int32_t off, int32_t *s)
{
    if ((first0 & 1) && n > 0)
    {
        s[0] += pcn_s4_mac1(a, packed, first0, off);
        s[1] += pcn_s4_mac1(a, packed, first1, off);
        a++;
        first0++;
        first1++;
        n--;
    }
    const int32_t groups = n >> 3;
    if (groups > 0)
    {
        int32_t t[2];
        arm_nn_s4_dsp_core_1x2(
        a, packed + (first0 >> 1), packed + (first1 >> 1), groups, pcn_dsp_offset_pair(off), t);
        s[0] += t[0] >> 4;
        s[1] += t[1] >> 4;
    }
    const int32_t done = groups << 3;
    const int32_t rest = n - done;
    if (rest > 0)
    {
        s[0] += pcn_s4_dot(a + done, packed, first0 + done, rest, off);
        s[1] += pcn_s4_dot(a + done, packed, first1 + done, rest, off);
    }
}

#endif /* ARM_MATH_MVEI, ARM_MATH_DSP */

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_INTERNAL_ARM_NN_S4_SIMD_H */
