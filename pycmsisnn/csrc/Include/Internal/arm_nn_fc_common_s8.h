/*
 * pycmsisnn: private helpers of the s8 fully-connected and batch-matmul kernels.
 *
 * Not part of the public API. Everything here is static inline so that each
 * kernel file stays self-contained when linked into the shared library.
 */
#ifndef ARM_NN_FC_COMMON_S8_H
#define ARM_NN_FC_COMMON_S8_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_mat_mult_s8.h"

/* Two's-complement addition without the undefined behaviour of signed
 * overflow: an int32 accumulator that overflows wraps, as on the target. */
static inline int32_t pcn_add_wrap_s32(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

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

/* out[r][c] for r < rows, c < cols: the requantised, offset and clamped
 * sum_k (lhs[r][k] + lhs_off) * (rhs[c][k] + rhs_off) (+ bias[c]), row c of
 * rhs using multiplier[c * quant_step] and shift[c * quant_step]. */
static inline void pcn_fc_s8_rows(const int8_t *lhs,
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
                                  const int32_t *mult,
                                  const int32_t *shift,
                                  const int32_t quant_step,
                                  int8_t *out)
{
#if defined(ARM_MATH_MVEI)
    /* One input row against two weight rows at a time; the input offset
     * enters as lhs_off * sum(weights). */
    for (int32_t r = 0; r < rows; r++)
    {
        const int8_t *x = lhs + (size_t)r * (size_t)depth;
        const int32_t row_term = pcn_fc_row_term(x, lhs_off, rhs_off, depth);
        int8_t *dst = out + (size_t)r * (size_t)cols;
        const int8_t *w = rhs;
        int32_t c = 0;
        for (; c + 1 < cols; c += 2)
        {
            int32_t s[2];
            int32_t ws[2];
            pcn_mve_dot_1x2(x, w, w + depth, depth, s, ws);
            int32_t acc0 = pcn_wrap_add(pcn_wrap_add(s[0], pcn_wrap_mul(lhs_off, ws[0])), row_term);
            int32_t acc1 = pcn_wrap_add(pcn_wrap_add(s[1], pcn_wrap_mul(lhs_off, ws[1])), row_term);
            if (bias != NULL)
            {
                acc0 = pcn_wrap_add(acc0, bias[c]);
                acc1 = pcn_wrap_add(acc1, bias[c + 1]);
            }
            dst[c] = pcn_fc_out_s8(acc0, mult[c * quant_step], shift[c * quant_step], out_off, act_min, act_max);
            dst[c + 1] =
                pcn_fc_out_s8(acc1, mult[(c + 1) * quant_step], shift[(c + 1) * quant_step], out_off, act_min, act_max);
            w += 2 * depth;
        }
        if (c < cols)
        {
            int32_t ws;
            const int32_t s = pcn_mve_dot_1x1(x, w, depth, &ws);
            int32_t acc = pcn_wrap_add(pcn_wrap_add(s, pcn_wrap_mul(lhs_off, ws)), row_term);
            if (bias != NULL)
            {
                acc = pcn_wrap_add(acc, bias[c]);
            }
            dst[c] = pcn_fc_out_s8(acc, mult[c * quant_step], shift[c * quant_step], out_off, act_min, act_max);
        }
    }
#elif defined(ARM_MATH_DSP)
    /* Two input rows (or one) against two weight rows at a time with SMLAD;
     * the input offset is added as the inputs are widened. */
    const int32_t off2 = pcn_dsp_offset_pair(lhs_off);
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
    if (r < rows)
    {
        const int8_t *x0 = lhs + (size_t)r * (size_t)depth;
        const int32_t t0 = pcn_fc_row_term(x0, lhs_off, rhs_off, depth);
        int8_t *dst0 = out + (size_t)r * (size_t)cols;
        const int8_t *w = rhs;
        int32_t c = 0;
        for (; c + 1 < cols; c += 2)
        {
            int32_t s[2];
            pcn_dsp_dot_1x2(x0, w, w + depth, depth, lhs_off, off2, s);
            const int32_t b0 = bias != NULL ? bias[c] : 0;
            const int32_t b1 = bias != NULL ? bias[c + 1] : 0;
            dst0[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[0], t0), b0),
                                    mult[c * quant_step],
                                    shift[c * quant_step],
                                    out_off,
                                    act_min,
                                    act_max);
            dst0[c + 1] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s[1], t0), b1),
                                        mult[(c + 1) * quant_step],
                                        shift[(c + 1) * quant_step],
                                        out_off,
                                        act_min,
                                        act_max);
            w += 2 * depth;
        }
        if (c < cols)
        {
            const int32_t b0 = bias != NULL ? bias[c] : 0;
            const int32_t s0 = pcn_dsp_dot_1x1(x0, w, depth, lhs_off, off2);
            dst0[c] = pcn_fc_out_s8(pcn_wrap_add(pcn_wrap_add(s0, t0), b0),
                                    mult[c * quant_step],
                                    shift[c * quant_step],
                                    out_off,
                                    act_min,
                                    act_max);
        }
    }
#else
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

static inline void pcn_fully_connected_s8(const cmsis_nn_fc_params *fc_params,
                                          const int32_t *mult,
                                          const int32_t *shift,
                                          const int32_t quant_step,
                                          const int8_t *input,
                                          const int8_t *filter,
                                          const int32_t *bias,
                                          int8_t *output,
                                          const int32_t batches,
                                          const int32_t depth,
                                          const int32_t out_ch)
{
    pcn_fc_s8_rows(input,
                   batches,
                   filter,
                   out_ch,
                   depth,
                   fc_params->input_offset,
                   fc_params->filter_offset,
                   fc_params->output_offset,
                   fc_params->activation.min,
                   fc_params->activation.max,
                   bias,
                   mult,
                   shift,
                   quant_step,
                   output);
}

#endif /* ARM_NN_FC_COMMON_S8_H */
