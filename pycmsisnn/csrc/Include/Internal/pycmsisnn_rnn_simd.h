/*
 * pycmsisnn: the DSP and MVE blocks of the recurrent kernels (LSTM gate
 * products and elementwise steps, SVDF feature and time products); private,
 * not part of the API. Nothing here is compiled on a build without DSP or MVE.
 *
 * Every block computes the same integers as the portable loops it replaces:
 * int32 sums of int8/int16 products wrap modulo 2^32 like the portable
 * unsigned sums, and the requantisation is TFLite's (arm_nn_requantize:
 * wrapping left shift, rounding doubling high multiply, rounding right shift
 * with ties away from zero) in one of its exact fast forms:
 * - DSP: pcn_dsp_requantize_1 (Internal/arm_nn_mat_mult_s8.h);
 * - MVE: pcn_mve_requantize_n on four lanes (VQRDMULH, exact but for a
 *   multiplier of INT32_MIN, which the kernels send to the portable loop).
 *
 * Rows of weights are read four at a time against one activation row: the
 * activations are loaded (and on DSP widened) once for the four rows.
 * - DSP (Cortex-M4/M7/M33): four int8 entries per word, SXTB16 splits them
 *   into bytes 0/2 and 1/3 as int16 lanes and SMLAD multiplies and adds two
 *   lanes; the int8 activations take an offset (SXTAB16 adds it as they are
 *   widened). Results of two rows are saturated to int16 and added to the
 *   int16 destination pair with QADD16 (saturating per lane).
 * - MVE (Cortex-M55): sixteen int8 lanes, VMLADAVA.S8 adds a row's dot
 *   product to a scalar; the last partial vector is loaded with tail
 *   predication (inactive lanes zero, not fetched). The four sums become one
 *   vector and are requantised, saturated and added to the destination as
 *   four int32 lanes.
 */
#ifndef PYCMSISNN_RNN_SIMD_H
#define PYCMSISNN_RNN_SIMD_H

#include "arm_nn_math_types.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_mat_mult_s8.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif
#if defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

#if defined(ARM_MATH_DSP)

/* s[k] = sum_c (x[c] + off) * w_k[c] for the four rows w_k = w0 + k * n over
 * n entries (off2: off in both halfwords). */
static inline void pcn_rnn_dsp_dot_1x4_s8(
    const int8_t *x, const int8_t *w0, const int32_t n, const int32_t off, const int32_t off2, int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    const int8_t *const x_end = x + (n & ~3);
    while (x != x_end)
    {
        const int32_t xv = pcn_read_s8x4(x);
        const int32_t xe = __sxtab16(off2, xv);
        const int32_t xo = pcn_dsp_sxtab16_odd(off2, xv);
        const int8_t *w = w0;
        int32_t wv = pcn_read_s8x4(w);
        s0 = __smlad(xe, __sxtb16(wv), s0);
        s0 = __smlad(xo, pcn_dsp_sxtb16_odd(wv), s0);
        w += n;
        wv = pcn_read_s8x4(w);
        s1 = __smlad(xe, __sxtb16(wv), s1);
        s1 = __smlad(xo, pcn_dsp_sxtb16_odd(wv), s1);
        w += n;
        wv = pcn_read_s8x4(w);
        s2 = __smlad(xe, __sxtb16(wv), s2);
        s2 = __smlad(xo, pcn_dsp_sxtb16_odd(wv), s2);
        w += n;
        wv = pcn_read_s8x4(w);
        s3 = __smlad(xe, __sxtb16(wv), s3);
        s3 = __smlad(xo, pcn_dsp_sxtb16_odd(wv), s3);
        x += 4;
        w0 += 4;
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t xv = *x++ + off;
        s0 += xv * w0[0];
        s1 += xv * w0[n];
        s2 += xv * w0[2 * n];
        s3 += xv * w0[3 * n];
        w0++;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}

/* Two int16 values as one word (v0 in the bottom halfword). */
static inline int32_t pcn_rnn_pack16(const int32_t v0, const int32_t v1)
{
    return (int32_t)(((uint32_t)v0 & 0xFFFFu) | ((uint32_t)v1 << 16));
}

static inline int32_t pcn_rnn_read16x2(const int16_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline void pcn_rnn_write16x2(int16_t *p, const int32_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* dst[0..1] = sat16(dst + sat16(v)) lane by lane (QADD16). */
static inline void pcn_rnn_dsp_acc2_s16(int16_t *dst, const int32_t v0, const int32_t v1)
{
    const int32_t v = pcn_rnn_pack16(__ssat(v0, 16), __ssat(v1, 16));
    pcn_rnn_write16x2(dst, __qadd16(pcn_rnn_read16x2(dst), v));
}

/* dst[0] = sat16(dst + sat16(v)). */
static inline void pcn_rnn_acc1_s16(int16_t *dst, const int32_t v)
{
    const int32_t r = __ssat(v, 16) + dst[0];
    dst[0] = (int16_t)__ssat(r, 16);
}

#endif /* ARM_MATH_DSP */

#if defined(ARM_MATH_MVEI)

/* Rows whose sums one call of pcn_rnn_mve_acc_s16 takes (a multiple of 4). */
#define PCN_RNN_MVE_ROWS 32

/* sums[r] = sum_c x[c] * w_r[c] for the rows w_r = w + r * n, r < rows; and
 * the same of (x[c] + off) (arm_nn_rnn_mve_dots_s8.c: one copy in a program
 * that links the LSTM and SVDF kernels). */
void arm_nn_rnn_mve_dots_s8(const int8_t *x, const int8_t *w, const int32_t n, const int32_t rows, int32_t *sums);
void arm_nn_rnn_mve_dots_off_s8(
    const int8_t *x, const int8_t *w, const int32_t n, const int32_t rows, const int32_t off, int32_t *sums);

/* The requantisation of four lanes with the shift's sign known at compile
 * time (has_left: shift > 0; has_right: shift < 0). */
static inline __attribute__((always_inline)) int32x4_t
pcn_rnn_mve_rq(int32x4_t v, const int32_t mult, const int32_t shift, const int has_left, const int has_right)
{
    if (has_left)
    {
        v = vshlq_r_s32(v, shift);
    }
    v = vqrdmulhq_n_s32(v, mult);
    if (has_right)
    {
        v = vrshlq_s32(vqaddq_s32(v, vshrq_n_s32(v, 31)), vdupq_n_s32(shift));
    }
    return v;
}

static inline __attribute__((always_inline)) void pcn_rnn_mve_acc_s16_loop(const int32_t *sums,
                                                                           const int32_t *bias,
                                                                           int16_t *out,
                                                                           const int32_t multiplier,
                                                                           const int32_t shift,
                                                                           const int32_t rows,
                                                                           const int has_left,
                                                                           const int has_right)
{
    const int32x4_t lo = vdupq_n_s32(NN_Q15_MIN);
    const int32x4_t hi = vdupq_n_s32(NN_Q15_MAX);
    int32_t r = rows;
    for (; r > 0; r -= 4)
    {
        const mve_pred16_t p = vctp32q((uint32_t)r);
        int32x4_t v = vldrwq_s32(sums);
        if (bias != NULL)
        {
            v = vaddq_s32(v, vldrwq_z_s32(bias, p));
            bias += 4;
        }
        v = pcn_rnn_mve_rq(v, multiplier, shift, has_left, has_right);
        v = vminq_s32(vmaxq_s32(v, lo), hi);
        v = vaddq_s32(v, vldrhq_z_s32(out, p));
        v = vminq_s32(vmaxq_s32(v, lo), hi);
        vstrhq_p_s32(out, v, p);
        sums += 4;
        out += 4;
    }
}

/* out[r] = sat16(out[r] + sat16(requantize(sums[r] + bias[r]))) for
 * r < rows (bias may be NULL): four lanes at a time, the last group
 * predicated. */
static inline void pcn_rnn_mve_acc_s16(const int32_t *sums,
                                       const int32_t *bias,
                                       int16_t *out,
                                       const int32_t multiplier,
                                       const int32_t shift,
                                       const int32_t rows)
{
    if (shift < 0)
    {
        pcn_rnn_mve_acc_s16_loop(sums, bias, out, multiplier, shift, rows, 0, 1);
    }
    else
    {
        pcn_rnn_mve_acc_s16_loop(sums, bias, out, multiplier, shift, rows, 1, 0);
    }
}

/* The requantised products in[0][i] * in[1][i] of four lanes (exact int32
 * products of int16 values), lanes beyond the predicate zero. */
static inline __attribute__((always_inline)) int32x4_t pcn_rnn_mve_mul4(const int16_t *a,
                                                                        const int16_t *b,
                                                                        const mve_pred16_t p,
                                                                        const int32_t mult,
                                                                        const int32_t shift,
                                                                        const int has_left,
                                                                        const int has_right)
{
    const int32x4_t v = vmulq_s32(vldrhq_z_s32(a, p), vldrhq_z_s32(b, p));
    return pcn_rnn_mve_rq(v, mult, shift, has_left, has_right);
}

/* Whether pcn_rnn_mve_rq computes arm_nn_requantize exactly for this
 * multiplier and shift. */
static inline int pcn_rnn_mve_rq_ok(const int32_t mult, const int32_t shift)
{
    return mult != NN_Q31_MIN && shift >= -31 && shift <= 31;
}

#endif /* ARM_MATH_MVEI */

#endif /* PYCMSISNN_RNN_SIMD_H */
