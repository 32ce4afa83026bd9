/*
 * pycmsisnn: arm_nn_fc_s8_rows, the row loops of the s8 fully-connected and
 * batch-matmul kernels (declared in Internal/arm_nn_fc_common_s8.h).
 *
 * Paths:
 * - MVE: per input row, four outputs at a time: one load of 16 inputs serves
 *   four weight rows (VMLADAVA), the four sums are requantised, offset,
 *   clamped and stored as one vector; the input offset enters through the
 *   kernel sums of arm_vector_sum_s8 when the caller gives them (ctx), else
 *   through weight sums computed per block.
 * - DSP: pairs of input rows against pairs of weight rows (batches); a single
 *   row against four weight rows at a time (each input word widened once,
 *   SXTAB16 adding the offset, for four rows), then pairs; per-tensor
 *   requantisation constants hoisted out of the loops.
 * - portable: row by row (the host: four rows at a time).
 * The two hot functions are not inlined and keep gcc's pre-allocation
 * scheduling off (DSP) or its induction-variable rewriting off (MVE): both
 * otherwise turn the loops' pointers into more registers than the core has.
 */
#include "Internal/arm_nn_fc_common_s8.h"

/* sum over k < depth of (lhs[k] + lhs_offset) * (rhs[k] + rhs_offset).
 * Each product is at most 255 * 255 in magnitude, so the running sum is kept
 * with wrapping adds (it cannot overflow for depth < 33025). */
static inline int32_t pcn_dot_offset_s8(const int8_t *lhs,
                                        const int32_t lhs_offset,
                                        const int8_t *rhs,
                                        const int32_t rhs_offset,
                                        const int32_t depth)
{
    /* Offsets are in [-127, 128], so each offset operand fits in 16 bits and
     * each product in 17 + 1 bits: int16 operands let compilers use their
     * multiply-accumulate instructions. The sum wraps like the hardware. */
    const int16_t lo = (int16_t)lhs_offset;
    const int16_t ro = (int16_t)rhs_offset;
    uint32_t acc = 0;
    for (int32_t k = 0; k < depth; k++)
    {
        const int16_t a = (int16_t)(lhs[k] + lo);
        const int16_t b = (int16_t)(rhs[k] + ro);
        acc += (uint32_t)((int32_t)a * (int32_t)b);
    }
    return (int32_t)acc;
}

/* One output value: requantise, add the output offset, clamp. */
static inline int8_t pcn_fc_out_s8(const int32_t acc,
                                   const int32_t multiplier,
                                   const int32_t shift,
                                   const int32_t out_off,
                                   const int32_t act_min,
                                   const int32_t act_max)
{
#if defined(ARM_MATH_DSP)
    return pcn_dsp_out_s8(pcn_dsp_requantize_1(acc, multiplier, shift), out_off, act_min, act_max);
#else
    return arm_nn_requantize_clamp_s8(acc, multiplier, shift, out_off, act_min, act_max);
#endif
}

#if defined(ARM_MATH_DSP) || defined(ARM_MATH_MVEI)
/* w_off * sum_k (lhs[k] + lhs_off): the part of every dot product of a row
 * that the optimised paths add once instead of per product, using
 * sum (x + xo)(w + wo) = sum (x + xo) w + wo sum (x + xo). */
static inline int32_t pcn_fc_row_term(const int8_t *lhs, const int32_t lhs_off, const int32_t w_off, const int32_t depth)
{
    if (w_off == 0)
    {
        return 0;
    }
    #if defined(ARM_MATH_MVEI)
    int32_t sum = pcn_mve_sum_s8(lhs, depth);
    #else
    int32_t sum = 0;
    for (int32_t k = 0; k < depth; k++)
    {
        sum += lhs[k];
    }
    #endif
    return pcn_wrap_mul(w_off, pcn_wrap_add(sum, pcn_wrap_mul(lhs_off, depth)));
}
#endif

#if defined(ARM_MATH_MVEI)
/* Lane i < 4: init + sum_k x[k] * w_i[k] over n bytes of raw int8 (no
 * offsets). One load of x serves the four weight rows; the last partial
 * vector is loaded with tail predication. (The empty asm keeps the pointers
 * as plain post-incremented registers: without it gcc 12 rewrites them as
 * end - count, five more instructions per vector.) */
static inline __attribute__((always_inline)) int32x4_t pcn_mve_fc_dot4(const int8_t *x,
                                                                      const int8_t *w0,
                                                                      const int8_t *w1,
                                                                      const int8_t *w2,
                                                                      const int8_t *w3,
                                                                      const int32_t n,
                                                                      const int32_t init)
{
    int32_t s0 = init;
    int32_t s1 = init;
    int32_t s2 = init;
    int32_t s3 = init;
    for (int32_t i = n >> 4; i > 0; i--)
    {
        const int8x16_t xv = vldrbq_s8(x);
        s0 = vmladavaq_s8(s0, xv, vldrbq_s8(w0));
        s1 = vmladavaq_s8(s1, xv, vldrbq_s8(w1));
        s2 = vmladavaq_s8(s2, xv, vldrbq_s8(w2));
        s3 = vmladavaq_s8(s3, xv, vldrbq_s8(w3));
        x += 16;
        w0 += 16;
        w1 += 16;
        w2 += 16;
        w3 += 16;
    }
    if ((n & 15) != 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)(n & 15));
        const int8x16_t xv = vldrbq_z_s8(x, p);
        s0 = vmladavaq_s8(s0, xv, vldrbq_z_s8(w0, p));
        s1 = vmladavaq_s8(s1, xv, vldrbq_z_s8(w1, p));
        s2 = vmladavaq_s8(s2, xv, vldrbq_z_s8(w2, p));
        s3 = vmladavaq_s8(s3, xv, vldrbq_z_s8(w3, p));
    }
    int32x4_t v = vdupq_n_s32(s0);
    v = vsetq_lane_s32(s1, v, 1);
    v = vsetq_lane_s32(s2, v, 2);
    return vsetq_lane_s32(s3, v, 3);
}

/* Per-layer constants of the MVE fully-connected blocks. */
typedef struct
{
    const int8_t *x;          /* the input row */
    int8x16_t xs;             /* the input row when depth <= 16 (zeros past it) */
    mve_pred16_t px;          /* its first depth lanes */
    int32_t depth;            /* its length, and the weight rows' */
    int32_t row_term;         /* added to every sum of the row */
    int32_t lhs_off;          /* input offset (without kernel sums) */
    const int32_t *bias;      /* NULL for none (without kernel sums) */
    const int32_t *kernel_sums; /* NULL for none */
    const int32_t *mult;      /* per channel when per_channel, else mult[0] */
    const int32_t *shift;
    int32_t per_channel;
    int32_t out_off;
    int32_t act_min;
    int32_t act_max;
} pcn_mve_fc_layer;

/* Lane i: sum_k w_i[k] over n bytes (the weight sums of four rows, for
 * calls without kernel sums: not the fast path, so not inlined). */
static __attribute__((noinline)) int32x4_t
pcn_mve_fc_wsums(const int8_t *w0, const int8_t *w1, const int8_t *w2, const int8_t *w3, const int32_t n)
{
    int32x4_t v = vdupq_n_s32(pcn_mve_sum_s8(w0, n));
    v = vsetq_lane_s32(pcn_mve_sum_s8(w1, n), v, 1);
    v = vsetq_lane_s32(pcn_mve_sum_s8(w2, n), v, 2);
    return vsetq_lane_s32(pcn_mve_sum_s8(w3, n), v, 3);
}

/* Outputs c .. c + 3 of one input row (only the first `count` stored when
 * count < 4: the missing weight rows then repeat w's first, and every load
 * and store past the end is predicated off). Inlined into the loop of
 * whole blocks (count 4: no predication) and once for the partial block. */
static inline __attribute__((always_inline)) void
pcn_mve_fc_block(const pcn_mve_fc_layer *l, const int8_t *w, const int32_t c, const int32_t count, int8_t *dst)
{
    const size_t step = (size_t)l->depth;
    const int8_t *w1 = count > 1 ? w + step : w;
    const int8_t *w2 = count > 2 ? w1 + step : w;
    const int8_t *w3 = count > 3 ? w2 + step : w;
    const mve_pred16_t p = vctp32q((uint32_t)count);
    int32x4_t acc;
    if (l->depth <= 16)
    {
        /* the whole row in one vector, loaded once per row (l->xs) */
        acc = vdupq_n_s32(vmladavaq_s8(l->row_term, l->xs, vldrbq_z_s8(w, l->px)));
        acc = vsetq_lane_s32(vmladavaq_s8(l->row_term, l->xs, vldrbq_z_s8(w1, l->px)), acc, 1);
        acc = vsetq_lane_s32(vmladavaq_s8(l->row_term, l->xs, vldrbq_z_s8(w2, l->px)), acc, 2);
        acc = vsetq_lane_s32(vmladavaq_s8(l->row_term, l->xs, vldrbq_z_s8(w3, l->px)), acc, 3);
    }
    else
    {
        acc = pcn_mve_fc_dot4(l->x, w, w1, w2, w3, l->depth, l->row_term);
    }
    if (l->kernel_sums != NULL)
    {
        acc = vaddq_s32(acc, count < 4 ? vldrwq_z_s32(l->kernel_sums + c, p) : vldrwq_s32(l->kernel_sums + c));
    }
    else
    {
        acc = vmlaq_n_s32(acc, pcn_mve_fc_wsums(w, w1, w2, w3, l->depth), l->lhs_off);
        if (l->bias != NULL)
        {
            acc = vaddq_s32(acc, vldrwq_z_s32(l->bias + c, p));
        }
    }
    if (l->per_channel)
    {
        const int32x4_t zero = vdupq_n_s32(0);
        const int32x4_t sh = vldrwq_z_s32(l->shift + c, p);
        acc = vqrdmulhq_s32(vshlq_s32(acc, vmaxq_s32(sh, zero)), vldrwq_z_s32(l->mult + c, p));
        acc = vqaddq_m_s32(acc, acc, vshrq_n_s32(acc, 31), vcmpltq_n_s32(sh, 0));
        acc = vrshlq_s32(acc, vminq_s32(sh, zero));
    }
    else
    {
        /* TFLite's MultiplyByQuantizedMultiplier lane by lane, as
         * pcn_mve_requantize_n */
        acc = pcn_mve_requantize_n(acc, l->mult[0], l->shift[0]);
    }
    acc = vaddq_n_s32(acc, l->out_off);
    acc = vminq_s32(vmaxq_s32(acc, vdupq_n_s32(l->act_min)), vdupq_n_s32(l->act_max));
    if (count < 4)
    {
        vstrbq_p_s32(dst + c, acc, p);
    }
    else
    {
        vstrbq_s32(dst + c, acc);
    }
}

/* The MVE body of arm_nn_fc_s8_rows: per input row, four outputs at a time
 * (pcn_mve_fc_block), whole blocks first, then the partial one. */
static __attribute__((noinline, optimize("no-ivopts"))) void pcn_mve_fc_rows(const int8_t *lhs,
                                   const int32_t rows,
                                   const int8_t *rhs,
                                   const int32_t cols,
                                   const int32_t depth,
                                   const int32_t lhs_off,
                                   const int32_t rhs_off,
                                   const int32_t out_off,
                                   const int32_t act_min,
                                   const int32_t act_max,
                                   const int32_t *bias,
                                   const int32_t *kernel_sums,
                                   const int32_t *mult,
                                   const int32_t *shift,
                                   const int32_t quant_step,
                                   int8_t *out)
{
    pcn_mve_fc_layer l;
    l.depth = depth;
    l.px = vctp8q((uint32_t)(depth < 16 ? depth : 16));
    l.lhs_off = lhs_off;
    l.bias = bias;
    l.kernel_sums = kernel_sums;
    l.mult = mult;
    l.shift = shift;
    l.per_channel = quant_step != 0;
    l.out_off = out_off;
    l.act_min = act_min;
    l.act_max = act_max;
    const size_t block = 4 * (size_t)depth;
    for (int32_t r = 0; r < rows; r++)
    {
        l.x = lhs + (size_t)r * (size_t)depth;
        l.xs = vldrbq_z_s8(l.x, l.px);
        if (kernel_sums != NULL)
        {
            l.row_term = rhs_off != 0 ? pcn_wrap_mul(rhs_off, pcn_mve_sum_s8(l.x, depth)) : 0;
        }
        else
        {
            l.row_term = pcn_fc_row_term(l.x, lhs_off, rhs_off, depth);
        }
        int8_t *dst = out + (size_t)r * (size_t)cols;
        const int8_t *w = rhs;
        int32_t c = 0;
        for (; c + 4 <= cols; c += 4)
        {
            pcn_mve_fc_block(&l, w, c, 4, dst);
            w += block;
        }
        if (c < cols)
        {
            pcn_mve_fc_block(&l, w, c, cols - c, dst);
        }
    }
}
#endif

#if defined(ARM_MATH_DSP) && !defined(ARM_MATH_MVEI)
/* s[i] += sum_k (x[k] + off) * w_i[k] for the four weight rows
 * w_i = w0 + i * n: each word of x is loaded and widened (with the offset,
 * SXTAB16) once for the four rows. */
/* One word (four entries) of pcn_dsp_fc_dot4: rows 2 and 3 are read at the
 * offset n2 = 2n from rows 0 and 1, before those pointers step on (two
 * pointers and one offset instead of four pointers: the loop fits the
 * core's registers, and every pointer steps with its load). (Two words per
 * turn need one register more than the core has: no faster.) */
#define PCN_DSP_FC_STEP4()                                                                                             \
    do                                                                                                                 \
    {                                                                                                                  \
        const int32_t v = pcn_read_s8x4(x);                                                                            \
        const int32_t xe = __sxtab16(off2, v);                                                                         \
        const int32_t xo = pcn_dsp_sxtab16_odd(off2, v);                                                               \
        int32_t t = pcn_read_s8x4(w0 + n2);                                                                            \
        s2 = __smlad(xe, __sxtb16(t), s2);                                                                             \
        s2 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s2);                                                                   \
        t = pcn_read_s8x4(w0);                                                                                         \
        s0 = __smlad(xe, __sxtb16(t), s0);                                                                             \
        s0 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s0);                                                                   \
        t = pcn_read_s8x4(w1 + n2);                                                                                    \
        s3 = __smlad(xe, __sxtb16(t), s3);                                                                             \
        s3 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s3);                                                                   \
        t = pcn_read_s8x4(w1);                                                                                         \
        s1 = __smlad(xe, __sxtb16(t), s1);                                                                             \
        s1 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s1);                                                                   \
        x += 4;                                                                                                        \
        w0 += 4;                                                                                                       \
        w1 += 4;                                                                                                       \
    } while (0)

/* s[i] += sum_k (x[k] + off) * w_i[k] for the four weight rows
 * w_i = w0 + i * n: each word of x is loaded and widened (with the offset,
 * SXTAB16) once for the four rows. */
static inline __attribute__((always_inline)) void
pcn_dsp_fc_dot4(const int8_t *x, const int8_t *w0, const int32_t n, const int32_t off, const int32_t off2, int32_t *s)
{
    const int32_t n2 = 2 * n;
    const int8_t *w1 = w0 + n;
    const int8_t *const x_end = x + (n & ~3);
    int32_t s0 = s[0];
    int32_t s1 = s[1];
    int32_t s2 = s[2];
    int32_t s3 = s[3];
    while (x != x_end)
    {
        PCN_DSP_FC_STEP4();
    }
    for (int32_t k = n & 3; k > 0; k--)
    {
        const int32_t v = *x++ + off;
        s0 += v * w0[0];
        s1 += v * w1[0];
        s2 += v * w0[n2];
        s3 += v * w1[n2];
        w0++;
        w1++;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}
#undef PCN_DSP_FC_STEP4

/* s[i] += sum_k (x[k] + off) * w_i[k], k < n, for the two weight rows w0,
 * w0 + step; two words per loop turn. */
static inline __attribute__((always_inline)) void pcn_dsp_fc_dot2(const int8_t *x,
                                                                  const int8_t *w0,
                                                                  const int32_t step,
                                                                  const int32_t n,
                                                                  const int32_t off,
                                                                  const int32_t off2,
                                                                  int32_t *s)
{
    const int8_t *const x_end = x + (n & ~7);
    int32_t s0 = s[0];
    int32_t s1 = s[1];
    while (x != x_end)
    {
        int32_t v = pcn_read_s8x4(x);
        int32_t xe = __sxtab16(off2, v);
        int32_t xo = pcn_dsp_sxtab16_odd(off2, v);
        int32_t t = pcn_read_s8x4(w0 + step);
        s1 = __smlad(xe, __sxtb16(t), s1);
        s1 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s1);
        t = pcn_read_s8x4(w0);
        s0 = __smlad(xe, __sxtb16(t), s0);
        s0 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s0);
        x += 4;
        w0 += 4;
        /* keeps the two steps apart: each pointer then steps with its load */
        __asm__("" : "+r"(x), "+r"(w0));
        v = pcn_read_s8x4(x);
        xe = __sxtab16(off2, v);
        xo = pcn_dsp_sxtab16_odd(off2, v);
        t = pcn_read_s8x4(w0 + step);
        s1 = __smlad(xe, __sxtb16(t), s1);
        s1 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s1);
        t = pcn_read_s8x4(w0);
        s0 = __smlad(xe, __sxtb16(t), s0);
        s0 = __smlad(xo, pcn_dsp_sxtb16_odd(t), s0);
        x += 4;
        w0 += 4;
    }
    for (int32_t k = n & 7; k > 0; k--)
    {
        const int32_t v = *x++ + off;
        s0 += v * w0[0];
        s1 += v * w0[step];
        w0++;
    }
    s[0] = s0;
    s[1] = s1;
}

/* arm_nn_requantize of v (pcn_dsp_requantize_1), k being
 * pcn_dsp_requantize_k(-shift) when shift < 0 (hoisted by the caller). */
static inline int32_t pcn_dsp_fc_requantize(const int32_t v, const int32_t m, const int32_t shift, const int64_t k)
{
    if (shift >= 0)
    {
        return (int32_t)(((int64_t)(int32_t)((uint32_t)v << shift) * m + ((int64_t)1 << 30)) >> 31);
    }
    return pcn_dsp_requantize_right(v, m, k, -shift - 1);
}

/* Per-layer constants of the DSP single-row fully-connected path. */
typedef struct
{
    int32_t depth;
    int32_t lhs_off;
    int32_t off2;       /* lhs_off in both halfwords */
    int32_t out_off;
    int32_t act_min;
    int32_t act_max;
    const int32_t *bias; /* NULL for none */
    const int32_t *mult;
    const int32_t *shift;
    int32_t per_channel;
} pcn_dsp_fc_layer;

/* Output c of a row from its sum s (bias and row term included); m0, sh0
 * and k0 are the per-tensor multiplier, shift and requantisation constant. */
static inline int8_t pcn_dsp_fc_out1(const pcn_dsp_fc_layer *l,
                                     const int32_t s,
                                     const int32_t c,
                                     const int32_t m0,
                                     const int32_t sh0,
                                     const int64_t k0)
{
    int32_t v;
    if (l->per_channel)
    {
        const int32_t sh = l->shift[c];
        v = pcn_dsp_fc_requantize(s, l->mult[c], sh, sh < 0 ? pcn_dsp_requantize_k(-sh) : 0);
    }
    else
    {
        v = pcn_dsp_fc_requantize(s, m0, sh0, k0);
    }
    return pcn_dsp_out_s8(v, l->out_off, l->act_min, l->act_max);
}

/* One input row x against all cols weight rows: four outputs at a time
 * (pcn_dsp_fc_dot4; per-tensor requantisation constants hoisted, the four
 * bytes clamped together and stored as one word), then pairs (the last
 * output alone as a pair of one row twice). row_term is added to every
 * sum. */
static __attribute__((noinline, optimize("no-schedule-insns"))) void pcn_dsp_fc_row(const pcn_dsp_fc_layer *l,
                                                     const int8_t *x,
                                                     const int8_t *rhs,
                                                     const int32_t cols,
                                                     const int32_t row_term,
                                                     int8_t *dst)
{
    const int32_t depth = l->depth;
    const int32_t m0 = l->mult[0];
    const int32_t sh0 = l->shift[0];
    const int64_t k0 = sh0 < 0 ? pcn_dsp_requantize_k(-sh0) : 0;
    const int8_t *w = rhs;
    int32_t c = 0;
    if (cols >= 4)
    {
        const uint32_t min4 = pcn_dsp_bytes4(l->act_min);
        const uint32_t max4 = pcn_dsp_bytes4(l->act_max);
        for (; c + 4 <= cols; c += 4)
        {
            int32_t s[4] = {row_term, row_term, row_term, row_term};
            if (l->bias != NULL)
            {
                s[0] = pcn_wrap_add(s[0], l->bias[c]);
                s[1] = pcn_wrap_add(s[1], l->bias[c + 1]);
                s[2] = pcn_wrap_add(s[2], l->bias[c + 2]);
                s[3] = pcn_wrap_add(s[3], l->bias[c + 3]);
            }
            pcn_dsp_fc_dot4(x, w, depth, l->lhs_off, l->off2, s);
            if (l->per_channel)
            {
                for (int32_t i = 0; i < 4; i++)
                {
                    const int32_t sh = l->shift[c + i];
                    s[i] = pcn_dsp_fc_requantize(s[i], l->mult[c + i], sh, sh < 0 ? pcn_dsp_requantize_k(-sh) : 0);
                }
            }
            else
            {
                s[0] = pcn_dsp_fc_requantize(s[0], m0, sh0, k0);
                s[1] = pcn_dsp_fc_requantize(s[1], m0, sh0, k0);
                s[2] = pcn_dsp_fc_requantize(s[2], m0, sh0, k0);
                s[3] = pcn_dsp_fc_requantize(s[3], m0, sh0, k0);
            }
            const uint32_t word = pcn_dsp_out_s8x4(s[0], s[1], s[2], s[3], l->out_off, min4, max4);
            memcpy(dst + c, &word, sizeof(word));
            w += 4 * (size_t)depth;
        }
    }
    for (; c < cols; c += 2)
    {
        /* a pair, or the last output alone (its row read twice) */
        const int32_t pair = c + 1 < cols;
        int32_t s[2] = {row_term, row_term};
        if (l->bias != NULL)
        {
            s[0] = pcn_wrap_add(s[0], l->bias[c]);
            s[1] = pcn_wrap_add(s[1], l->bias[c + pair]);
        }
        pcn_dsp_fc_dot2(x, w, pair ? depth : 0, depth, l->lhs_off, l->off2, s);
        dst[c] = pcn_dsp_fc_out1(l, s[0], c, m0, sh0, k0);
        if (pair)
        {
            dst[c + 1] = pcn_dsp_fc_out1(l, s[1], c + 1, m0, sh0, k0);
        }
        w += 2 * (size_t)depth;
    }
}

/* Input rows in pairs (all but an odd last one, whose index is returned)
 * against two weight rows at a time with SMLAD; the input offset is added as
 * the inputs are widened. Out of line: its registers would otherwise be
 * spilled into the frame that stays while pcn_dsp_fc_row runs. */
static __attribute__((noinline)) int32_t pcn_dsp_fc_row_pairs(const pcn_dsp_fc_layer *l,
                                                              const int8_t *lhs,
                                                              const int32_t rows,
                                                              const int8_t *rhs,
                                                              const int32_t cols,
                                                              const int32_t rhs_off,
                                                              const int32_t quant_step,
                                                              int8_t *out)
{
    const int32_t depth = l->depth;
    const int32_t lhs_off = l->lhs_off;
    const int32_t off2 = l->off2;
    const int32_t out_off = l->out_off;
    const int32_t act_min = l->act_min;
    const int32_t act_max = l->act_max;
    const int32_t *const bias = l->bias;
    const int32_t *const mult = l->mult;
    const int32_t *const shift = l->shift;
    int32_t r = 0;
    for (; r + 1 < rows; r += 2)
    {
        const int8_t *x0 = lhs + (size_t)r * (size_t)depth;
        const int8_t *x1 = x0 + depth;
        const int32_t t0 = pcn_fc_row_term(x0, lhs_off, rhs_off, depth);
        const int32_t t1 = pcn_fc_row_term(x1, lhs_off, rhs_off, depth);
        int8_t *dst0 = out + (size_t)r * (size_t)cols;
        int8_t *dst1 = dst0 + cols;
        const int8_t *w = rhs;
        int32_t c = 0;
        for (; c + 1 < cols; c += 2)
        {
            int32_t s[4];
            pcn_dsp_dot_2x2(x0, depth, w, depth, depth, lhs_off, off2, s);
            const int32_t b0 = bias != NULL ? bias[c] : 0;
            const int32_t b1 = bias != NULL ? bias[c + 1] : 0;
            const int32_t m0 = mult[c * quant_step];
            const int32_t m1 = mult[(c + 1) * quant_step];
            const int32_t h0 = shift[c * quant_step];
            const int32_t h1 = shift[(c + 1) * quant_step];
            dst0[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[0], t0), b0), m0, h0, out_off, act_min, act_max);
            dst0[c + 1] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[1], t0), b1), m1, h1, out_off, act_min, act_max);
            dst1[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[2], t1), b0), m0, h0, out_off, act_min, act_max);
            dst1[c + 1] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[3], t1), b1), m1, h1, out_off, act_min, act_max);
            w += 2 * depth;
        }
        if (c < cols)
        {
            const int32_t b0 = bias != NULL ? bias[c] : 0;
            const int32_t m0 = mult[c * quant_step];
            const int32_t h0 = shift[c * quant_step];
            const int32_t s0 = pcn_dsp_dot_1x1(x0, w, depth, lhs_off, off2);
            const int32_t s1 = pcn_dsp_dot_1x1(x1, w, depth, lhs_off, off2);
            dst0[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s0, t0), b0), m0, h0, out_off, act_min, act_max);
            dst1[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s1, t1), b0), m0, h0, out_off, act_min, act_max);
        }
    }
    return r;
}
#endif

/* out[r][c] for r < rows, c < cols: the requantised, offset and clamped
 * sum_k (lhs[r][k] + lhs_off) * (rhs[c][k] + rhs_off) (+ bias[c]), row c of
 * rhs using multiplier[c * quant_step] and shift[c * quant_step].
 * kernel_sums (read by the MVE path only; NULL for none) holds per column
 * lhs_off * sum_k (rhs[c][k] + rhs_off) + bias[c], as arm_vector_sum_s8
 * computes it: bias is then not read. */
void arm_nn_fc_s8_rows(const int8_t *lhs,
                       const int32_t rows,
                       const int8_t *rhs,
                       const int32_t cols,
                       const int32_t depth,
                       const int32_t lhs_off,
                       const int32_t rhs_off,
                       const int32_t out_off,
                       const int32_t act_min,
                       const int32_t act_max,
                       const int32_t *bias,
                       const int32_t *kernel_sums,
                       const int32_t *mult,
                       const int32_t *shift,
                       const int32_t quant_step,
                       int8_t *out)
{
#if defined(ARM_MATH_MVEI)
    pcn_mve_fc_rows(lhs, rows, rhs, cols, depth, lhs_off, rhs_off, out_off, act_min, act_max, bias, kernel_sums, mult,
                    shift, quant_step, out);
#elif defined(ARM_MATH_DSP)
    (void)kernel_sums;
    pcn_dsp_fc_layer l;
    l.depth = depth;
    l.lhs_off = lhs_off;
    l.off2 = pcn_dsp_offset_pair(lhs_off);
    l.out_off = out_off;
    l.act_min = act_min;
    l.act_max = act_max;
    l.bias = bias;
    l.mult = mult;
    l.shift = shift;
    l.per_channel = quant_step != 0;
    const int32_t r = rows > 1 ? pcn_dsp_fc_row_pairs(&l, lhs, rows, rhs, cols, rhs_off, quant_step, out) : 0;
    if (r < rows && cols > 0) /* (mult and shift may be empty without outputs) */
    {
        const int8_t *x0 = lhs + (size_t)r * (size_t)depth;
        pcn_dsp_fc_row(&l, x0, rhs, cols, pcn_fc_row_term(x0, lhs_off, rhs_off, depth), out + (size_t)r * (size_t)cols);
    }
#else
    (void)kernel_sums;
    int32_t r = 0;
#if !defined(__ARM_ARCH)
    /* Off Arm (the host): four input rows (a batch) against two weight rows
     * at a time, so that each value is widened once for several products and
     * the compiler's vectors stay busy. (A Cortex-M without DSP has too few
     * registers for eight sums; it takes one row at a time below.) Every
     * output is the same sum, wrapping adds of the same products, as one row
     * at a time. */
    const int16_t lo = (int16_t)lhs_off;
    const int16_t ro = (int16_t)rhs_off;
    for (; r + 3 < rows; r += 4)
    {
        const int8_t *x0 = lhs + (size_t)r * (size_t)depth;
        const int8_t *x1 = x0 + depth;
        const int8_t *x2 = x1 + depth;
        const int8_t *x3 = x2 + depth;
        int8_t *dst = out + (size_t)r * (size_t)cols;
        int32_t c = 0;
        for (; c + 1 < cols; c += 2)
        {
            const int8_t *w = rhs + (size_t)c * (size_t)depth;
            const int8_t *v = w + depth;
            uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
            for (int32_t k = 0; k < depth; k++)
            {
                const int32_t wk = (int16_t)(w[k] + ro);
                const int32_t vk = (int16_t)(v[k] + ro);
                const int32_t y0 = (int16_t)(x0[k] + lo);
                const int32_t y1 = (int16_t)(x1[k] + lo);
                const int32_t y2 = (int16_t)(x2[k] + lo);
                const int32_t y3 = (int16_t)(x3[k] + lo);
                a0 += (uint32_t)(y0 * wk);
                a1 += (uint32_t)(y1 * wk);
                a2 += (uint32_t)(y2 * wk);
                a3 += (uint32_t)(y3 * wk);
                b0 += (uint32_t)(y0 * vk);
                b1 += (uint32_t)(y1 * vk);
                b2 += (uint32_t)(y2 * vk);
                b3 += (uint32_t)(y3 * vk);
            }
            const uint32_t sums[2][4] = {{a0, a1, a2, a3}, {b0, b1, b2, b3}};
            for (int32_t i = 0; i < 2; i++)
            {
                for (int32_t j = 0; j < 4; j++)
                {
                    const int32_t sum = pcn_add_wrap_s32((int32_t)sums[i][j], bias != NULL ? bias[c + i] : 0);
                    dst[(size_t)j * (size_t)cols + (size_t)(c + i)] = pcn_fc_out_s8(
                        sum, mult[(c + i) * quant_step], shift[(c + i) * quant_step], out_off, act_min, act_max);
                }
            }
        }
        if (c < cols)
        {
            const int8_t *w = rhs + (size_t)c * (size_t)depth;
            const int8_t *xs[4] = {x0, x1, x2, x3};
            for (int32_t j = 0; j < 4; j++)
            {
                const int32_t sum = pcn_add_wrap_s32(pcn_dot_offset_s8(xs[j], lhs_off, w, rhs_off, depth),
                                                     bias != NULL ? bias[c] : 0);
                dst[(size_t)j * (size_t)cols + (size_t)c] =
                    pcn_fc_out_s8(sum, mult[c * quant_step], shift[c * quant_step], out_off, act_min, act_max);
            }
        }
    }
#endif
    for (; r < rows; r++)
    {
        const int8_t *row_in = lhs + (size_t)r * (size_t)depth;
        int8_t *row_out = out + (size_t)r * (size_t)cols;
        for (int32_t c = 0; c < cols; c++)
        {
            int32_t acc = pcn_dot_offset_s8(row_in, lhs_off, rhs + (size_t)c * (size_t)depth, rhs_off, depth);
            if (bias != NULL)
            {
                acc = pcn_add_wrap_s32(acc, bias[c]);
            }
            row_out[c] = pcn_fc_out_s8(acc, mult[c * quant_step], shift[c * quant_step], out_off, act_min, act_max);
        }
    }
#endif
}
