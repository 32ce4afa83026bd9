/*
 * pycmsisnn: the MVE dot products of the recurrent kernels' int8 rows
 * (Internal/pycmsisnn_rnn_simd.h), read by the LSTM gates and the SVDF
 * feature products: one copy in a program that links both, where a static
 * copy per kernel file cost 1.9 KB of code.
 */
#include "Internal/pycmsisnn_rnn_simd.h"

#if defined(ARM_MATH_MVEI)

/* sums[r] = sum_c (x[c] + off) * w_r[c] for the rows w_r = w + r * n,
 * r < rows (has_off: off may be non-zero; it enters as off * sum(w_r)). */
static inline __attribute__((always_inline)) void pcn_rnn_mve_dots_s8_body(const int8_t *x,
                                                                           const int8_t *w,
                                                                           const int32_t n,
                                                                           const int32_t rows,
                                                                           const int32_t off,
                                                                           int32_t *sums,
                                                                           const int has_off)
{
    if (n <= 16)
    {
        /* the whole input row in one register, zero beyond n: the weights
         * are read as whole vectors (inactive lanes add nothing) while the
         * 16 bytes lie inside the rows, the last rows with predication */
        const mve_pred16_t p = vctp8q((uint32_t)n);
        const int8x16_t vx = vldrbq_z_s8(x, p);
        const int32_t whole_rows = rows - (15 + n) / n + 1;
        int32_t *const end = sums + rows;
        if (whole_rows > 0 && !has_off)
        {
            int32_t *const last = sums + whole_rows;
            while (sums != last)
            {
                *sums++ = vmladavq_s8(vx, vldrbq_s8(w));
                w += n;
            }
        }
        while (sums != end)
        {
            const int8x16_t vw = vldrbq_z_s8(w, p);
            int32_t acc = vmladavq_s8(vx, vw);
            if (has_off)
            {
                acc = pcn_wrap_add(acc, pcn_wrap_mul(off, vaddvq_s8(vw)));
            }
            *sums++ = acc;
            w += n;
        }
        return;
    }
    const int32_t whole = n & ~15;
    const int32_t tail = n & 15;
    const mve_pred16_t p = vctp8q((uint32_t)tail);
    int32_t r = rows;
    for (; r >= 4; r -= 4)
    {
        const int8_t *xp = x;
        const int8_t *w0 = w;
        const int8_t *w1 = w0 + n;
        const int8_t *w2 = w1 + n;
        const int8_t *w3 = w2 + n;
        int32_t s0 = 0;
        int32_t s1 = 0;
        int32_t s2 = 0;
        int32_t s3 = 0;
        int32_t t0 = 0;
        int32_t t1 = 0;
        int32_t t2 = 0;
        int32_t t3 = 0;
        for (int32_t k = whole >> 4; k > 0; k--)
        {
            const int8x16_t vx = vldrbq_s8(xp);
            const int8x16_t v0 = vldrbq_s8(w0);
            const int8x16_t v1 = vldrbq_s8(w1);
            const int8x16_t v2 = vldrbq_s8(w2);
            const int8x16_t v3 = vldrbq_s8(w3);
            s0 = vmladavaq_s8(s0, vx, v0);
            s1 = vmladavaq_s8(s1, vx, v1);
            s2 = vmladavaq_s8(s2, vx, v2);
            s3 = vmladavaq_s8(s3, vx, v3);
            if (has_off)
            {
                t0 = vaddvaq_s8(t0, v0);
                t1 = vaddvaq_s8(t1, v1);
                t2 = vaddvaq_s8(t2, v2);
                t3 = vaddvaq_s8(t3, v3);
            }
            xp += 16;
            w0 += 16;
            w1 += 16;
            w2 += 16;
            w3 += 16;
        }
        if (tail != 0)
        {
            const int8x16_t vx = vldrbq_z_s8(xp, p);
            const int8x16_t v0 = vldrbq_z_s8(w0, p);
            const int8x16_t v1 = vldrbq_z_s8(w1, p);
            const int8x16_t v2 = vldrbq_z_s8(w2, p);
            const int8x16_t v3 = vldrbq_z_s8(w3, p);
            s0 = vmladavaq_s8(s0, vx, v0);
            s1 = vmladavaq_s8(s1, vx, v1);
            s2 = vmladavaq_s8(s2, vx, v2);
            s3 = vmladavaq_s8(s3, vx, v3);
            if (has_off)
            {
                t0 = vaddvaq_s8(t0, v0);
                t1 = vaddvaq_s8(t1, v1);
                t2 = vaddvaq_s8(t2, v2);
                t3 = vaddvaq_s8(t3, v3);
            }
        }
        if (has_off)
        {
            s0 = pcn_wrap_add(s0, pcn_wrap_mul(off, t0));
            s1 = pcn_wrap_add(s1, pcn_wrap_mul(off, t1));
            s2 = pcn_wrap_add(s2, pcn_wrap_mul(off, t2));
            s3 = pcn_wrap_add(s3, pcn_wrap_mul(off, t3));
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        sums += 4;
        w += 4 * n;
    }
    for (; r > 0; r--)
    {
        int32_t t;
        const int32_t acc = pcn_mve_dot_1x1(x, w, n, &t);
        *sums++ = has_off ? pcn_wrap_add(acc, pcn_wrap_mul(off, t)) : acc;
        w += n;
    }
}

/* The body without an offset, and with one (out of line: their loops then
 * get the core's registers to themselves). */
void arm_nn_rnn_mve_dots_s8(const int8_t *x, const int8_t *w, const int32_t n, const int32_t rows, int32_t *sums)
{
    pcn_rnn_mve_dots_s8_body(x, w, n, rows, 0, sums, 0);
}

void arm_nn_rnn_mve_dots_off_s8(
    const int8_t *x, const int8_t *w, const int32_t n, const int32_t rows, const int32_t off, int32_t *sums)
{
    pcn_rnn_mve_dots_s8_body(x, w, n, rows, off, sums, 1);
}

#else

/* Nothing without MVE; ISO C wants a declaration in every file. */
typedef int arm_nn_rnn_mve_dots_s8_unused;

#endif
