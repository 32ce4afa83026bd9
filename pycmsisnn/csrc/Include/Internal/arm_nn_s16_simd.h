/*
 * pycmsisnn: private DSP and MVE dot-product blocks of the int16 (16x8)
 * convolution and fully-connected kernels (not part of the API).
 *
 * The portable kernels accumulate int16 x int8 products in 64 bits. The
 * blocks here accumulate in 32 bits, which is exact as long as a sum holds
 * at most PCN_S16_CHUNK products (|x * w| <= 2^15 * 2^7 = 2^22, and
 * 504 * 2^22 < 2^31: no partial sum can overflow); the kernels cut longer
 * dot products into chunks of PCN_S16_CHUNK (a multiple of 8) and add the
 * chunk sums in 64 bits, so every result equals the portable one.
 *
 * - DSP (Cortex-M4/M7/M33): SMLAD multiplies two int16 lanes by two int16
 *   lanes. Four int8 weights are read as one word and widened by SXTB16 into
 *   bytes 0 and 2 and bytes 1 and 3; the activations are laid out to match,
 *   (x0, x2) then (x1, x3) for every 4 entries. The convolution's im2col
 *   columns are written in that order, two columns interleaved (a "pair":
 *   per 4 entries column 0's two words then column 1's); the fully-connected
 *   row, read in place, is reordered in registers (two PKHBT/PKHTB per 4
 *   entries, shared by the output channels of a block).
 * - MVE (Cortex-M55): eight int16 lanes; VLDRB.S16 widens eight int8
 *   weights, VMLADAVA.S16 adds the dot product of two vectors to a scalar.
 *   The last partial vector of weights is loaded with tail predication
 *   (inactive lanes read as zero), so the activations past the end, read
 *   whole, contribute nothing.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_S16_SIMD_H
#define PYCMSISNN_INTERNAL_ARM_NN_S16_SIMD_H

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

/* Products one 32-bit partial sum may hold (a multiple of 8). */
#define PCN_S16_CHUNK 504

#if defined(ARM_MATH_DSP)

/* Two int16 (or four int8) values as one word, whatever the alignment. */
static inline int32_t pcn_s16_read_word(const void *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline void pcn_s16_write_word(void *p, const int32_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* Bytes 1 and 3 of x, sign-extended to 16 bits each. */
static inline int32_t pcn_s16_sxtb16_odd(const int32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}

/* The bottom halves of a and b as one word (PKHBT): (a.lo, b.lo). */
static inline int32_t pcn_s16_pack_lo(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

/* The top halves of a and b as one word (PKHTB): (a.hi, b.hi). */
static inline int32_t pcn_s16_pack_hi(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(b), "r"(a));
    return r;
}

/* Where entry j of column col (0 or 1) of a pair of n-entry columns lives:
 * the first n & ~3 entries interleaved by 4 (column 0's (x0, x2), (x1, x3),
 * then column 1's), the n & 3 last entries of column 0 and then of column 1
 * after them. */
static inline int32_t pcn_s16_pair_index(const int32_t col, const int32_t j, const int32_t n)
{
    const int32_t whole = n & ~3;
    if (j < whole)
    {
        static const uint8_t lane[4] = {0, 2, 1, 3};
        return (j & ~3) * 2 + col * 4 + lane[j & 3];
    }
    return whole * 2 + col * (n - whole) + (j - whole);
}

/* s[0] = a0.b0, s[1] = a0.b1, s[2] = a1.b0, s[3] = a1.b1 over n entries
 * (a multiple of 4) of a pair of columns (interleaved as above, starting at
 * entry 0 of a group of 4), b1 = b0 + b_step. */
static inline void
pcn_s16_dsp_pair_2x2(const int16_t *pair, const int8_t *b0, const int32_t b_step, const int32_t n, int32_t *s)
{
    int32_t s00 = 0;
    int32_t s01 = 0;
    int32_t s10 = 0;
    int32_t s11 = 0;
    const int8_t *const b_end = b0 + n;
    while (b0 != b_end)
    {
        const int32_t x0e = pcn_s16_read_word(pair);
        const int32_t x0o = pcn_s16_read_word(pair + 2);
        const int32_t x1e = pcn_s16_read_word(pair + 4);
        const int32_t x1o = pcn_s16_read_word(pair + 6);
        pair += 8;

        int32_t w = pcn_s16_read_word(b0);
        int32_t wx = __sxtb16(w);
        s00 = __smlad(x0e, wx, s00);
        s10 = __smlad(x1e, wx, s10);
        wx = pcn_s16_sxtb16_odd(w);
        s00 = __smlad(x0o, wx, s00);
        s10 = __smlad(x1o, wx, s10);

        w = pcn_s16_read_word(b0 + b_step);
        wx = __sxtb16(w);
        s01 = __smlad(x0e, wx, s01);
        s11 = __smlad(x1e, wx, s11);
        wx = pcn_s16_sxtb16_odd(w);
        s01 = __smlad(x0o, wx, s01);
        s11 = __smlad(x1o, wx, s11);
        b0 += 4;
    }
    s[0] = s00;
    s[1] = s01;
    s[2] = s10;
    s[3] = s11;
}

/* s[0] = a0.b0, s[1] = a1.b0 for a pair as above. */
static inline void pcn_s16_dsp_pair_2x1(const int16_t *pair, const int8_t *b0, const int32_t n, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        const int32_t w = pcn_s16_read_word(b0);
        const int32_t we = __sxtb16(w);
        const int32_t wo = pcn_s16_sxtb16_odd(w);
        s0 = __smlad(pcn_s16_read_word(pair), we, s0);
        s0 = __smlad(pcn_s16_read_word(pair + 2), wo, s0);
        s1 = __smlad(pcn_s16_read_word(pair + 4), we, s1);
        s1 = __smlad(pcn_s16_read_word(pair + 6), wo, s1);
        pair += 8;
        b0 += 4;
    }
    s[0] = s0;
    s[1] = s1;
}

/* s[k] = a.b_k for k < 4 over n entries (a multiple of 4) of an int16 row a
 * in natural order, b_k = b0 + k * b_step. */
static inline void
pcn_s16_dsp_row_1x4(const int16_t *a, const int8_t *b0, const int32_t b_step, const int32_t n, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    const int8_t *const b_end = b0 + n;
    while (b0 != b_end)
    {
        /* reordered with plain C here: the compiler schedules it better */
        const int32_t lo = pcn_s16_read_word(a);
        const int32_t hi = pcn_s16_read_word(a + 2);
        const int32_t xe = (int32_t)(((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16)); /* (x0, x2) */
        const int32_t xo = (int32_t)(((uint32_t)lo >> 16) | ((uint32_t)hi & 0xFFFF0000u)); /* (x1, x3) */
        a += 4;
        const int8_t *b = b0;
        int32_t w = pcn_s16_read_word(b);
        s0 = __smlad(xe, __sxtb16(w), s0);
        s0 = __smlad(xo, pcn_s16_sxtb16_odd(w), s0);
        b += b_step;
        w = pcn_s16_read_word(b);
        s1 = __smlad(xe, __sxtb16(w), s1);
        s1 = __smlad(xo, pcn_s16_sxtb16_odd(w), s1);
        b += b_step;
        w = pcn_s16_read_word(b);
        s2 = __smlad(xe, __sxtb16(w), s2);
        s2 = __smlad(xo, pcn_s16_sxtb16_odd(w), s2);
        b += b_step;
        w = pcn_s16_read_word(b);
        s3 = __smlad(xe, __sxtb16(w), s3);
        s3 = __smlad(xo, pcn_s16_sxtb16_odd(w), s3);
        b0 += 4;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

/* a.b over n entries (a multiple of 4), a in natural order. */
static inline int32_t pcn_s16_dsp_row_1x1(const int16_t *a, const int8_t *b, const int32_t n)
{
    int32_t s0 = 0;
    for (int32_t k = n >> 2; k > 0; k--)
    {
        const int32_t lo = pcn_s16_read_word(a);
        const int32_t hi = pcn_s16_read_word(a + 2);
        const int32_t w = pcn_s16_read_word(b);
        s0 = __smlad(pcn_s16_pack_lo(lo, hi), __sxtb16(w), s0);
        s0 = __smlad(pcn_s16_pack_hi(lo, hi), pcn_s16_sxtb16_odd(w), s0);
        a += 4;
        b += 4;
    }
    return s0;
}

#endif /* ARM_MATH_DSP */

#if defined(ARM_MATH_MVEI)

/* s[k] = a_k.b over n entries, a_k = a0 + k * a_step (int16, readable up
 * to n rounded up to 8), b int8 (read only up to n). */
static inline void
pcn_s16_mve_dot_4x1(const int16_t *a0, const int32_t a_step, const int8_t *b, const int32_t n, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    const int16_t *a1 = a0 + a_step;
    const int16_t *a2 = a1 + a_step;
    const int16_t *a3 = a2 + a_step;
    int32_t k;
    for (k = n >> 3; k > 0; k--)
    {
        const int16x8_t w = vldrbq_s16(b);
        s0 = vmladavaq_s16(s0, vldrhq_s16(a0), w);
        s1 = vmladavaq_s16(s1, vldrhq_s16(a1), w);
        s2 = vmladavaq_s16(s2, vldrhq_s16(a2), w);
        s3 = vmladavaq_s16(s3, vldrhq_s16(a3), w);
        a0 += 8;
        a1 += 8;
        a2 += 8;
        a3 += 8;
        b += 8;
    }
    if ((n & 7) != 0)
    {
        const int16x8_t w = vldrbq_z_s16(b, vctp16q((uint32_t)(n & 7)));
        s0 = vmladavaq_s16(s0, vldrhq_s16(a0), w);
        s1 = vmladavaq_s16(s1, vldrhq_s16(a1), w);
        s2 = vmladavaq_s16(s2, vldrhq_s16(a2), w);
        s3 = vmladavaq_s16(s3, vldrhq_s16(a3), w);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

/* s[k] = a.b_k over n entries, b_k = b0 + k * b_step (int8, read only up
 * to n), a int16 (read only up to n). */
static inline void
pcn_s16_mve_dot_1x4(const int16_t *a, const int8_t *b0, const int32_t b_step, const int32_t n, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    const int8_t *b1 = b0 + b_step;
    const int8_t *b2 = b1 + b_step;
    const int8_t *b3 = b2 + b_step;
    int32_t k;
    for (k = n >> 3; k > 0; k--)
    {
        const int16x8_t x = vldrhq_s16(a);
        s0 = vmladavaq_s16(s0, x, vldrbq_s16(b0));
        s1 = vmladavaq_s16(s1, x, vldrbq_s16(b1));
        s2 = vmladavaq_s16(s2, x, vldrbq_s16(b2));
        s3 = vmladavaq_s16(s3, x, vldrbq_s16(b3));
        a += 8;
        b0 += 8;
        b1 += 8;
        b2 += 8;
        b3 += 8;
    }
    if ((n & 7) != 0)
    {
        const mve_pred16_t p = vctp16q((uint32_t)(n & 7));
        const int16x8_t x = vldrhq_z_s16(a, p);
        s0 = vmladavaq_s16(s0, x, vldrbq_z_s16(b0, p));
        s1 = vmladavaq_s16(s1, x, vldrbq_z_s16(b1, p));
        s2 = vmladavaq_s16(s2, x, vldrbq_z_s16(b2, p));
        s3 = vmladavaq_s16(s3, x, vldrbq_z_s16(b3, p));
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

/* Three int16 columns interleaved by vectors (a "triple"): entries
 * 8g .. 8g + 7 of column c at triple[(3 * g + c) * 8]. s[r * 4 + c] =
 * column c . b_r (c < 3) for the weight rows b_0 = b0 and b_1 = b0 + b_step
 * over n entries (the columns readable up to n rounded up to 8, the weights
 * read only up to n: the last partial vector of weights is predicated, zeros
 * beyond). Three columns and two rows: VMLADAVA accumulates into an even
 * register, and there are seven of them. */
static inline void
pcn_s16_mve_triple_3x2(const int16_t *triple, const int8_t *b0, const int32_t b_step, const int32_t n, int32_t *s)
{
    int32_t s00 = 0, s01 = 0, s02 = 0;
    int32_t s10 = 0, s11 = 0, s12 = 0;
    const int8_t *b1 = b0 + b_step;
    int16x8_t w0;
    int16x8_t w1;
    #define PCN_S16_TRIPLE_3X2_STEP()                                                                                \
        do                                                                                                             \
        {                                                                                                              \
            const int16x8_t x0 = vldrhq_s16(triple);                                                                   \
            const int16x8_t x1 = vldrhq_s16(triple + 8);                                                               \
            const int16x8_t x2 = vldrhq_s16(triple + 16);                                                              \
            s00 = vmladavaq_s16(s00, x0, w0);                                                                          \
            s01 = vmladavaq_s16(s01, x1, w0);                                                                          \
            s02 = vmladavaq_s16(s02, x2, w0);                                                                          \
            s10 = vmladavaq_s16(s10, x0, w1);                                                                          \
            s11 = vmladavaq_s16(s11, x1, w1);                                                                          \
            s12 = vmladavaq_s16(s12, x2, w1);                                                                          \
            triple += 24;                                                                                              \
        } while (0)
    for (int32_t k = n >> 3; k > 0; k--)
    {
        w0 = vldrbq_s16(b0);
        w1 = vldrbq_s16(b1);
        PCN_S16_TRIPLE_3X2_STEP();
        b0 += 8;
        b1 += 8;
    }
    if ((n & 7) != 0)
    {
        const mve_pred16_t p = vctp16q((uint32_t)(n & 7));
        w0 = vldrbq_z_s16(b0, p);
        w1 = vldrbq_z_s16(b1, p);
        PCN_S16_TRIPLE_3X2_STEP();
    }
    #undef PCN_S16_TRIPLE_3X2_STEP
    s[0] = s00;
    s[1] = s01;
    s[2] = s02;
    s[3] = 0;
    s[4] = s10;
    s[5] = s11;
    s[6] = s12;
    s[7] = 0;
}

/* s[c] = column c . b for one weight row (as above). */
static inline void pcn_s16_mve_triple_3x1(const int16_t *triple, const int8_t *b, const int32_t n, int32_t *s)
{
    int32_t s0 = 0, s1 = 0, s2 = 0;
    int16x8_t w;
    #define PCN_S16_TRIPLE_3X1_STEP()                                                                                \
        do                                                                                                             \
        {                                                                                                              \
            s0 = vmladavaq_s16(s0, vldrhq_s16(triple), w);                                                             \
            s1 = vmladavaq_s16(s1, vldrhq_s16(triple + 8), w);                                                         \
            s2 = vmladavaq_s16(s2, vldrhq_s16(triple + 16), w);                                                        \
            triple += 24;                                                                                              \
        } while (0)
    for (int32_t k = n >> 3; k > 0; k--)
    {
        w = vldrbq_s16(b);
        PCN_S16_TRIPLE_3X1_STEP();
        b += 8;
    }
    if ((n & 7) != 0)
    {
        w = vldrbq_z_s16(b, vctp16q((uint32_t)(n & 7)));
        PCN_S16_TRIPLE_3X1_STEP();
    }
    #undef PCN_S16_TRIPLE_3X1_STEP
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = 0;
}

/* a.b over n entries (both read only up to n). */
static inline int32_t pcn_s16_mve_dot_1x1(const int16_t *a, const int8_t *b, const int32_t n)
{
    int32_t s0 = 0;
    int32_t k;
    for (k = n >> 3; k > 0; k--)
    {
        s0 = vmladavaq_s16(s0, vldrhq_s16(a), vldrbq_s16(b));
        a += 8;
        b += 8;
    }
    if ((n & 7) != 0)
    {
        const mve_pred16_t p = vctp16q((uint32_t)(n & 7));
        s0 = vmladavaq_s16(s0, vldrhq_z_s16(a, p), vldrbq_z_s16(b, p));
    }
    return s0;
}

#endif /* ARM_MATH_MVEI */

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_INTERNAL_ARM_NN_S16_SIMD_H */
