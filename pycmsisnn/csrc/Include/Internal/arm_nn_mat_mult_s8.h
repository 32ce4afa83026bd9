/*
 * pycmsisnn: private int8 dot-product blocks of the convolution and
 * fully-connected kernels (not part of the API).
 *
 * Every block computes exact int32 sums of products of int8 operands, the
 * same integers as the portable loops (sums wrap modulo 2^32 like the
 * hardware), so the requantisation that follows gives identical results.
 * "a" rows are activations, to which an offset in [-127, 128] is added
 * before multiplying (x + off lies in [-255, 255] and fits in 16 bits); "b"
 * rows are weights, used as stored.
 *
 * - DSP (Cortex-M4/M7/M33): four bytes at a time are read as one word
 *   (memcpy into an int32_t: one unaligned-safe LDR, never LDRD/LDM) and
 *   split into two pairs of 16-bit lanes, bytes 0 and 2 and bytes 1 and 3:
 *   SXTAB16 adds the packed offset pair to the activations as it extends
 *   them, SXTB16 extends the weights, and SMLAD multiplies and accumulates
 *   both lanes. Two activation rows times two weight rows share each load.
 * - MVE (Cortex-M55): sixteen int8 lanes, VMLADAVA.S8 accumulates the dot
 *   product of the raw bytes into a scalar and the offset is applied once
 *   at the end as off * sum(b), the weight sum coming from VADDVA.S8 in the
 *   same loop. The last partial vector is loaded with tail predication
 *   (inactive lanes read as zero and are not fetched).
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_MAT_MULT_S8_H
#define PYCMSISNN_INTERNAL_ARM_NN_MAT_MULT_S8_H

#include "arm_nn_math_types.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif
#if defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ARM_MATH_DSP) || defined(ARM_MATH_MVEI)

/* Four int8 values as one word, whatever the alignment of p. */
static inline int32_t pcn_read_s8x4(const int8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Two's-complement sum of a and b (wraps like the accumulators). */
static inline int32_t pcn_wrap_add(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* Two's-complement product of a and b (wraps like the accumulators). */
static inline int32_t pcn_wrap_mul(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a * (uint32_t)b);
}

#endif

#if defined(ARM_MATH_DSP)

/* The offset in both 16-bit lanes of a word, as SXTAB16 adds it. */
static inline int32_t pcn_dsp_offset_pair(const int32_t off)
{
    return (int32_t)(((uint32_t)off & 0xFFFFu) * 0x10001u);
}

/* Bytes 1 and 3 of x, sign-extended to 16 bits each (SXTB16 with its
 * rotation folded in; gcc 12's ACLE has no rotated forms). */
static inline int32_t pcn_dsp_sxtb16_odd(const int32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}

/* Bytes 1 and 3 of x, sign-extended and added lane by lane to the pair a. */
static inline int32_t pcn_dsp_sxtab16_odd(const int32_t a, const int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* s[0] = a0.b0, s[1] = a0.b1, s[2] = a1.b0, s[3] = a1.b1 over n entries,
 * with off added to every entry of a0 and a1 (off2 is the packed pair), where
 * a1 = a0 + a_step and b1 = b0 + b_step (one register each instead of two
 * running pointers: the loop needs every register the core has). */
static inline void pcn_dsp_dot_2x2(const int8_t *a0,
                                   const int32_t a_step,
                                   const int8_t *b0,
                                   const int32_t b_step,
                                   const int32_t n,
                                   const int32_t off,
                                   const int32_t off2,
                                   int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + (n & ~3);
    while (b0 != b_end)
    {
        int32_t x = pcn_read_s8x4(a0);
        const int32_t x0e = __sxtab16(off2, x);
        const int32_t x0o = pcn_dsp_sxtab16_odd(off2, x);
        x = pcn_read_s8x4(a0 + a_step);
        const int32_t x1e = __sxtab16(off2, x);
        const int32_t x1o = pcn_dsp_sxtab16_odd(off2, x);
        a0 += 4;

        int32_t w = pcn_read_s8x4(b0);
        int32_t wx = __sxtb16(w);
        s00 = __smlad(x0e, wx, s00);
        s10 = __smlad(x1e, wx, s10);
        wx = pcn_dsp_sxtb16_odd(w);
        s00 = __smlad(x0o, wx, s00);
        s10 = __smlad(x1o, wx, s10);

        w = pcn_read_s8x4(b0 + b_step);
        wx = __sxtb16(w);
        s01 = __smlad(x0e, wx, s01);
        s11 = __smlad(x1e, wx, s11);
        wx = pcn_dsp_sxtb16_odd(w);
        s01 = __smlad(x0o, wx, s01);
        s11 = __smlad(x1o, wx, s11);
        b0 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t x0 = a0[0] + off;
        const int32_t x1 = a0[a_step] + off;
        const int32_t w0 = b0[0];
        const int32_t w1 = b0[b_step];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
        a0++;
        b0++;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* pcn_dsp_dot_2x2 where a1 = a0 + n and b1 = b0 + n (rows stored one after
 * the other, as consecutive pixels of a 1x1 layer and their weight rows
 * are): one register less, which the loop needs. */
static inline void pcn_dsp_dot_2x2_packed(const int8_t *a0,
                                          const int8_t *b0,
                                          const int32_t n,
                                          const int32_t off,
                                          const int32_t off2,
                                          int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + (n & ~3);
    while (b0 != b_end)
    {
        int32_t x = pcn_read_s8x4(a0);
        const int32_t x0e = __sxtab16(off2, x);
        const int32_t x0o = pcn_dsp_sxtab16_odd(off2, x);
        x = pcn_read_s8x4(a0 + n);
        const int32_t x1e = __sxtab16(off2, x);
        const int32_t x1o = pcn_dsp_sxtab16_odd(off2, x);
        a0 += 4;

        int32_t w = pcn_read_s8x4(b0);
        int32_t wx = __sxtb16(w);
        s00 = __smlad(x0e, wx, s00);
        s10 = __smlad(x1e, wx, s10);
        wx = pcn_dsp_sxtb16_odd(w);
        s00 = __smlad(x0o, wx, s00);
        s10 = __smlad(x1o, wx, s10);

        w = pcn_read_s8x4(b0 + n);
        wx = __sxtb16(w);
        s01 = __smlad(x0e, wx, s01);
        s11 = __smlad(x1e, wx, s11);
        wx = pcn_dsp_sxtb16_odd(w);
        s01 = __smlad(x0o, wx, s01);
        s11 = __smlad(x1o, wx, s11);
        b0 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t x0 = a0[0] + off;
        const int32_t x1 = a0[n] + off;
        const int32_t w0 = b0[0];
        const int32_t w1 = b0[n];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
        a0++;
        b0++;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* s[0] = a0.b0, s[1] = a0.b1, s[2] = a1.b0, s[3] = a1.b1 where a0, a1 are
 * an interleaved int16 column pair with the offset already added (per 4
 * entries: a0's (x0, x2), (x1, x3), then a1's) and b1 = b0 + n; n is a
 * multiple of 4. No offset register and one column pointer: the loop fits
 * the core's registers. */
static inline void pcn_dsp_dot_2x2_wide(const int8_t *pair, const int8_t *b0, const int32_t n, int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + n;
    while (b0 != b_end)
    {
        const int32_t x0e = pcn_read_s8x4(pair);
        const int32_t x0o = pcn_read_s8x4(pair + 4);
        const int32_t x1e = pcn_read_s8x4(pair + 8);
        const int32_t x1o = pcn_read_s8x4(pair + 12);
        pair += 16;

        int32_t w = pcn_read_s8x4(b0);
        int32_t wx = __sxtb16(w);
        s00 = __smlad(x0e, wx, s00);
        s10 = __smlad(x1e, wx, s10);
        wx = pcn_dsp_sxtb16_odd(w);
        s00 = __smlad(x0o, wx, s00);
        s10 = __smlad(x1o, wx, s10);

        w = pcn_read_s8x4(b0 + n);
        wx = __sxtb16(w);
        s01 = __smlad(x0e, wx, s01);
        s11 = __smlad(x1e, wx, s11);
        wx = pcn_dsp_sxtb16_odd(w);
        s01 = __smlad(x0o, wx, s01);
        s11 = __smlad(x1o, wx, s11);
        b0 += 4;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* s[0] = a0.b0, s[1] = a1.b0 for an interleaved pair as above. */
static inline void pcn_dsp_dot_2x1_wide(const int8_t *pair, const int8_t *b0, const int32_t n, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        const int32_t w = pcn_read_s8x4(b0);
        const int32_t we = __sxtb16(w);
        const int32_t wo = pcn_dsp_sxtb16_odd(w);
        s0 = __smlad(pcn_read_s8x4(pair), we, s0);
        s0 = __smlad(pcn_read_s8x4(pair + 4), wo, s0);
        s1 = __smlad(pcn_read_s8x4(pair + 8), we, s1);
        s1 = __smlad(pcn_read_s8x4(pair + 12), wo, s1);
        pair += 16;
        b0 += 4;
    }
    s[0] = s0;
    s[1] = s1;
}

/* s[0] = a0.b0, s[1] = a0.b1 (off added to a0). */
static inline void pcn_dsp_dot_1x2(const int8_t *a0,
                                   const int8_t *b0,
                                   const int8_t *b1,
                                   const int32_t n,
                                   const int32_t off,
                                   const int32_t off2,
                                   int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        const int32_t x = pcn_read_s8x4(a0);
        const int32_t xe = __sxtab16(off2, x);
        const int32_t xo = pcn_dsp_sxtab16_odd(off2, x);
        a0 += 4;
        int32_t w = pcn_read_s8x4(b0);
        s0 = __smlad(xe, __sxtb16(w), s0);
        s0 = __smlad(xo, pcn_dsp_sxtb16_odd(w), s0);
        b0 += 4;
        w = pcn_read_s8x4(b1);
        s1 = __smlad(xe, __sxtb16(w), s1);
        s1 = __smlad(xo, pcn_dsp_sxtb16_odd(w), s1);
        b1 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t x = *a0++ + off;
        s0 += x * *b0++;
        s1 += x * *b1++;
    }
    s[0] = s0;
    s[1] = s1;
}

/* a0.b0 with off added to a0. */
static inline int32_t
pcn_dsp_dot_1x1(const int8_t *a0, const int8_t *b0, const int32_t n, const int32_t off, const int32_t off2)
{
    int32_t s0 = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        const int32_t x = pcn_read_s8x4(a0);
        const int32_t w = pcn_read_s8x4(b0);
        s0 = __smlad(__sxtab16(off2, x), __sxtb16(w), s0);
        s0 = __smlad(pcn_dsp_sxtab16_odd(off2, x), pcn_dsp_sxtb16_odd(w), s0);
        a0 += 4;
        b0 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        s0 += (*a0++ + off) * *b0++;
    }
    return s0;
}

/* Raw dot products (no offset: the caller folds input_offset * sum(b) into
 * the bias). s[0] = a0.b0, s[1] = a0.b1, s[2] = a1.b0, s[3] = a1.b1 where
 * a1 = a0 + n and b1 = b0 + n (consecutive pixels of a 1x1 layer and their
 * weight rows). The loop needs 14 registers (two pointers, n, the end, four
 * sums, four extended activations and two weight words), all the core has:
 * gcc 12 spills some of them in C, so it is written out (22 instructions
 * for 16 multiply-accumulates). */
static inline void pcn_dsp_dot_2x2_raw_packed(const int8_t *a0, const int8_t *b0, const int32_t n, int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + (n & ~3);
    if (b0 != b_end)
    {
        int32_t t0, t1, t2, t3, t4, t5;
        __asm__ volatile("1:\n\t"
                         "ldr %[t1], [%[a], %[n]]\n\t"
                         "ldr %[t0], [%[a]], #4\n\t"
                         "sxtb16 %[t2], %[t0]\n\t"
                         "sxtb16 %[t0], %[t0], ror #8\n\t"
                         "sxtb16 %[t3], %[t1]\n\t"
                         "sxtb16 %[t1], %[t1], ror #8\n\t"
                         "ldr %[t4], [%[b], %[n]]\n\t"
                         "sxtb16 %[t5], %[t4]\n\t"
                         "smlad %[s01], %[t2], %[t5], %[s01]\n\t"
                         "smlad %[s11], %[t3], %[t5], %[s11]\n\t"
                         "sxtb16 %[t4], %[t4], ror #8\n\t"
                         "smlad %[s01], %[t0], %[t4], %[s01]\n\t"
                         "smlad %[s11], %[t1], %[t4], %[s11]\n\t"
                         "ldr %[t4], [%[b]], #4\n\t"
                         "sxtb16 %[t5], %[t4]\n\t"
                         "smlad %[s00], %[t2], %[t5], %[s00]\n\t"
                         "smlad %[s10], %[t3], %[t5], %[s10]\n\t"
                         "sxtb16 %[t4], %[t4], ror #8\n\t"
                         "smlad %[s00], %[t0], %[t4], %[s00]\n\t"
                         "smlad %[s10], %[t1], %[t4], %[s10]\n\t"
                         "cmp %[b], %[end]\n\t"
                         "bne 1b\n\t"
                         : [a] "+r"(a0),
                           [b] "+r"(b0),
                           [s00] "+r"(s00),
                           [s01] "+r"(s01),
                           [s10] "+r"(s10),
                           [s11] "+r"(s11),
                           [t0] "=&r"(t0),
                           [t1] "=&r"(t1),
                           [t2] "=&r"(t2),
                           [t3] "=&r"(t3),
                           [t4] "=&r"(t4),
                           [t5] "=&r"(t5)
                         : [n] "r"(n), [end] "r"(b_end)
                         : "cc", "memory");
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t x0 = a0[0];
        const int32_t x1 = a0[n];
        const int32_t w0 = b0[0];
        const int32_t w1 = b0[n];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
        a0++;
        b0++;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* The same with a1 = a0 + a_step (pixels a stride apart). */
static inline void
pcn_dsp_dot_2x2_raw(const int8_t *a0, const int32_t a_step, const int8_t *b0, const int32_t n, int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + (n & ~3);
    while (b0 != b_end)
    {
        const int32_t xa = pcn_read_s8x4(a0);
        const int32_t xb = pcn_read_s8x4(a0 + a_step);
        const int32_t x0e = __sxtb16(xa);
        const int32_t x0o = pcn_dsp_sxtb16_odd(xa);
        const int32_t x1e = __sxtb16(xb);
        const int32_t x1o = pcn_dsp_sxtb16_odd(xb);
        a0 += 4;

        int32_t w = pcn_read_s8x4(b0);
        int32_t wx = __sxtb16(w);
        s00 = __smlad(x0e, wx, s00);
        s10 = __smlad(x1e, wx, s10);
        wx = pcn_dsp_sxtb16_odd(w);
        s00 = __smlad(x0o, wx, s00);
        s10 = __smlad(x1o, wx, s10);

        w = pcn_read_s8x4(b0 + n);
        wx = __sxtb16(w);
        s01 = __smlad(x0e, wx, s01);
        s11 = __smlad(x1e, wx, s11);
        wx = pcn_dsp_sxtb16_odd(w);
        s01 = __smlad(x0o, wx, s01);
        s11 = __smlad(x1o, wx, s11);
        b0 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t x0 = a0[0];
        const int32_t x1 = a0[a_step];
        const int32_t w0 = b0[0];
        const int32_t w1 = b0[n];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
        a0++;
        b0++;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* sum_k b[k] over n int8 entries: USADA8 adds four bytes at a time as
 * unsigned after flipping their sign bits (b + 128), 128 * n comes off at
 * the end. */
static inline int32_t pcn_dsp_sum_s8(const int8_t *b, const int32_t n)
{
    uint32_t s = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        s = __usada8((uint32_t)pcn_read_s8x4(b) ^ 0x80808080u, 0u, s);
        b += 4;
    }
    int32_t t = (int32_t)s - 128 * (n & ~3);
    for (int32_t k = n & 3; k > 0; k--)
    {
        t += *b++;
    }
    return t;
}

/* arm_nn_requantize (TFLite's MultiplyByQuantizedMultiplier: left shift,
 * rounding doubling high multiply, rounding right shift with ties away from
 * zero), the same integers in fewer instructions, for a right shift r >= 1.
 * With P = x * m + 2^30 the portable code computes y = floor(P / 2^31), then
 * floor((y + 2^(r-1) - [y < 0]) / 2^r); nested floors merge, so the result
 * is floor((x * m + k - [y < 0] * 2^31) / 2^(31 + r)) with
 * k = 2^30 + 2^(30 + r): the high word of one 64-bit sum shifted by r - 1.
 * [y < 0] may be taken as the sign of x * m: the two differ only where
 * y = 0, and there both choices give 0. */
static inline int32_t pcn_dsp_requantize_right(const int32_t x, const int32_t m, const int64_t k, const int32_t r_minus_1)
{
    const int64_t q = (int64_t)x * m + k;
    const uint32_t lo = (uint32_t)q;
    const int32_t sign = (x ^ m) >> 31;          /* -1 when x * m < 0 */
    const uint32_t lo_add = (uint32_t)sign << 31; /* low word of -2^31 */
    const int32_t hi = (int32_t)(uint32_t)((uint64_t)q >> 32) + sign + (int32_t)(lo + lo_add < lo);
    return hi >> r_minus_1;
}

/* The constant k of pcn_dsp_requantize_right for a right shift r >= 1. */
static inline int64_t pcn_dsp_requantize_k(const int32_t r)
{
    return ((int64_t)1 << 30) + ((int64_t)1 << (30 + r));
}

/* Requantise two accumulators of one channel in place. */
static inline void pcn_dsp_requantize_2(int32_t *v0, int32_t *v1, const int32_t multiplier, const int32_t shift)
{
    if (shift >= 0)
    {
        const int64_t round = (int64_t)1 << 30;
        *v0 = (int32_t)(((int64_t)(int32_t)((uint32_t)*v0 << shift) * multiplier + round) >> 31);
        *v1 = (int32_t)(((int64_t)(int32_t)((uint32_t)*v1 << shift) * multiplier + round) >> 31);
    }
    else
    {
        const int64_t k = pcn_dsp_requantize_k(-shift);
        *v0 = pcn_dsp_requantize_right(*v0, multiplier, k, -shift - 1);
        *v1 = pcn_dsp_requantize_right(*v1, multiplier, k, -shift - 1);
    }
}

/* The same for one accumulator. */
static inline int32_t pcn_dsp_requantize_1(const int32_t v, const int32_t multiplier, const int32_t shift)
{
    if (shift >= 0)
    {
        return (int32_t)(((int64_t)(int32_t)((uint32_t)v << shift) * multiplier + ((int64_t)1 << 30)) >> 31);
    }
    return pcn_dsp_requantize_right(v, multiplier, pcn_dsp_requantize_k(-shift), -shift - 1);
}

/* Output offset and activation clamp of a requantised value. */
static inline int8_t pcn_dsp_out_s8(const int32_t v, const int32_t out_off, const int32_t act_min, const int32_t act_max)
{
    int32_t r = v + out_off;
    r = r < act_min ? act_min : r;
    r = r > act_max ? act_max : r;
    return (int8_t)r;
}

/* Output offset, saturation to int8 and the activation clamp of four
 * requantised values at once: bytes a, b, c, d of the result (a lowest).
 * act_min4 / act_max4 hold the bounds in all four bytes; SSUB8 sets a GE
 * flag per byte and SEL picks per byte, which is max and min lane by lane. */
static inline uint32_t pcn_dsp_out_s8x4(const int32_t a,
                                        const int32_t b,
                                        const int32_t c,
                                        const int32_t d,
                                        const int32_t out_off,
                                        const uint32_t act_min4,
                                        const uint32_t act_max4)
{
    uint32_t w = (uint32_t)(uint8_t)__ssat(a + out_off, 8);
    w |= (uint32_t)(uint8_t)__ssat(b + out_off, 8) << 8;
    w |= (uint32_t)(uint8_t)__ssat(c + out_off, 8) << 16;
    w |= (uint32_t)(uint8_t)__ssat(d + out_off, 8) << 24;
    (void)__ssub8((int32_t)w, (int32_t)act_min4);
    w = __sel(w, act_min4);
    (void)__ssub8((int32_t)act_max4, (int32_t)w);
    w = __sel(w, act_max4);
    return w;
}

/* A bound in all four bytes of a word. */
static inline uint32_t pcn_dsp_bytes4(const int32_t v)
{
    return (uint32_t)(uint8_t)v * 0x01010101u;
}

#endif /* ARM_MATH_DSP */

#if defined(ARM_MATH_MVEI)

/* sum_k a[k] * b[k] and *b_sum = sum_k b[k] (raw bytes, no offset). */
static inline int32_t pcn_mve_dot_1x1(const int8_t *a, const int8_t *b, const int32_t n, int32_t *b_sum)
{
    int32_t s0 = 0;
    int32_t t0 = 0;
    int32_t k = n;
    for (; k >= 16; k -= 16)
    {
        const int8x16_t v0 = vldrbq_s8(b);
        s0 = vmladavaq_s8(s0, vldrbq_s8(a), v0);
        t0 = vaddvaq_s8(t0, v0);
        a += 16;
        b += 16;
    }
    if (k > 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)k);
        const int8x16_t v0 = vldrbq_z_s8(b, p);
        s0 = vmladavaq_s8(s0, vldrbq_z_s8(a, p), v0);
        t0 = vaddvaq_s8(t0, v0);
    }
    *b_sum = t0;
    return s0;
}

/* sum_k a[k] over n entries. */
static inline int32_t pcn_mve_sum_s8(const int8_t *a, const int32_t n)
{
    int32_t s = 0;
    int32_t k = n;
    for (; k >= 16; k -= 16)
    {
        s = vaddvaq_s8(s, vldrbq_s8(a));
        a += 16;
    }
    if (k > 0)
    {
        s = vaddvaq_s8(s, vldrbq_z_s8(a, vctp8q((uint32_t)k)));
    }
    return s;
}

/* TFLite's MultiplyByQuantizedMultiplier on four lanes sharing one
 * multiplier and shift, bit-exact with arm_nn_requantize: wrapping left
 * shift, VQRDMULH (round(v * m / 2^31), ties up: the same integer as the
 * 64-bit doubling high multiply, the only saturating case needing
 * v = m = INT32_MIN), then a rounding right shift with ties away from zero
 * (negative lanes are lowered by one first, saturating, so that VRSHL's
 * ties-up rounding rounds their ties down). */
static inline int32x4_t pcn_mve_requantize_n(int32x4_t v, const int32_t multiplier, const int32_t shift)
{
    if (shift > 0)
    {
        v = vshlq_r_s32(v, shift);
    }
    v = vqrdmulhq_n_s32(v, multiplier);
    if (shift < 0)
    {
        v = vqaddq_s32(v, vshrq_n_s32(v, 31));
        v = vrshlq_n_s32(v, shift);
    }
    return v;
}

/* pcn_mve_requantize_n with a multiplier and a shift per lane. */
static inline int32x4_t pcn_mve_requantize(int32x4_t v, const int32x4_t multiplier, const int32x4_t shift)
{
    const int32x4_t zero = vdupq_n_s32(0);
    v = vshlq_s32(v, vmaxq_s32(shift, zero));
    v = vqrdmulhq_s32(v, multiplier);
    v = vqaddq_m_s32(v, v, vshrq_n_s32(v, 31), vcmpltq_n_s32(shift, 0));
    return vrshlq_s32(v, vminq_s32(shift, zero));
}

#endif /* ARM_MATH_MVEI */

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_INTERNAL_ARM_NN_MAT_MULT_S8_H */
