/*
 * pycmsisnn: compute cores shared by the s8 convolution kernels.
 *
 * Both follow TensorFlow Lite Micro's reference convolution exactly: an int32
 * accumulator starts at the bias, adds (x + input_offset) * w over the taps
 * that fall inside the input, and is requantised per output channel, offset
 * and clamped. Taps in the padding (or in the holes of an upscaled input)
 * contribute nothing; in the im2col column they are stored as -input_offset
 * so that adding the offset back gives exactly zero.
 *
 * Code paths, chosen at build time (arm_nn_math_types.h); the helpers are
 * in Internal/arm_nn_mat_mult_s8.h:
 * - MVE (Helium): up to four output pixels at a time. Each output channel's
 *   weight row meets the four pixel columns in int8 lanes (VMLADAVA, the
 *   last partial vector tail-predicated); the offset enters as
 *   input_offset * sum(weights), and the four results, which share the
 *   channel's multiplier and shift, are requantised as one vector. Columns
 *   shorter than a vector put four output channels in int32 lanes instead.
 * - DSP: two output pixels times two output channels at a time with SMLAD
 *   on 16-bit pairs. The 1x1 core and the im2col core with channel counts
 *   that are not whole words widen the int8 pixels with the offset as they
 *   go (SXTAB16); otherwise the im2col column pair is gathered already
 *   widened, offset added, into an interleaved int16 pair.
 * - Portable C (the host, Cortex-M0/M3): one dot product per output value.
 * The im2col scratch is used within what the build's buffer-size function
 * promises (DSP: 4 * ceil4(KH * KW * C_IN) bytes, two int8 columns or one
 * int16 pair; MVE: up to four int8 columns, fewer where the 1xN formula is
 * smaller); one-row windows wholly inside the input are read in place, and
 * the 1x1 core needs no scratch. All paths compute the same integer sums
 * and requantise them exactly as arm_nn_requantize, so their results are
 * identical.
 */
#include "Internal/arm_nn_conv_s8.h"
#include "Internal/arm_nn_mat_mult_s8.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* Pixels per block of the optimised paths. */
    #if defined(ARM_MATH_MVEI)
        #define CONV_S8_BLOCK 4
    #else
        #define CONV_S8_BLOCK 2
    #endif

/* What turns one channel's sum into an output value. */
typedef struct
{
    const int32_t *bias; /* NULL: no bias */
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t input_offset;
    int32_t output_offset;
    int32_t act_min;
    int32_t act_max;
} conv_s8_out;

/* Copy n int8 values (the im2col gather), a word or a vector at a time. */
static void conv_s8_copy(int8_t *dst, const int8_t *src, int32_t n)
{
    #if defined(ARM_MATH_MVEI)
    for (; n > 0; n -= 16)
    {
        const mve_pred16_t p = vctp8q((uint32_t)n);
        vstrbq_p_s8(dst, vldrbq_z_s8(src, p), p);
        dst += 16;
        src += 16;
    }
    #else
    for (; n >= 4; n -= 4)
    {
        int32_t w;
        memcpy(&w, src, sizeof(w));
        memcpy(dst, &w, sizeof(w));
        dst += 4;
        src += 4;
    }
    for (; n > 0; n--)
    {
        *dst++ = *src++;
    }
    #endif
}

/* Fill n int8 entries with v (taps outside the input). */
static void conv_s8_fill(int8_t *dst, const int8_t v, int32_t n)
{
    #if defined(ARM_MATH_MVEI)
    const int8x16_t vv = vdupq_n_s8(v);
    for (; n > 0; n -= 16)
    {
        vstrbq_p_s8(dst, vv, vctp8q((uint32_t)n));
        dst += 16;
    }
    #else
    const int32_t w = (int32_t)(((uint32_t)(uint8_t)v) * 0x01010101u);
    for (; n >= 4; n -= 4)
    {
        memcpy(dst, &w, sizeof(w));
        dst += 4;
    }
    for (; n > 0; n--)
    {
        *dst++ = v;
    }
    #endif
}

/* What the gather of one column needs to know about the layer. */
typedef struct
{
    int32_t in_h;
    int32_t in_w;
    int32_t in_c;
    int32_t real_w;
    int32_t k_h;
    int32_t k_w;
    int32_t k_c;
    int32_t dil_h;
    int32_t dil_w;
    int32_t up_h;
    int32_t up_w;
    int dense_rows; /* taps of a filter row are adjacent whole input pixels */
    int8_t hole;    /* -input_offset: adds back to exactly zero */
    int32_t off2;   /* DSP: the input offset in both 16-bit lanes */
} conv_s8_geom;

    #if !defined(ARM_MATH_MVEI)
/* DSP: entries [pos, pos + n) of column `slot` (0 or 1) of an interleaved
 * int16 column pair, from src (NULL: taps outside the input, which are 0
 * once the offset is added). For every 4 entries x0..x3 the pair holds
 * 16 bytes: (x0, x2) and (x1, x3) of column 0 with the offset added, then
 * the same of column 1, so that one SMLAD meets the SXTB16 halves of a
 * weight word, and column 1 is 8 bytes after column 0. pos and n are
 * multiples of 4. */
static void conv_s8_put_wide(int8_t *pair, const int32_t slot, const int32_t pos, const int8_t *src, int32_t n, const int32_t off2)
{
    int8_t *dst = pair + (size_t)pos * 4 + (size_t)slot * 8;
    for (; n > 0; n -= 4)
    {
        int32_t even = 0;
        int32_t odd = 0;
        if (src != NULL)
        {
            const int32_t x = pcn_read_s8x4(src);
            even = __sxtab16(off2, x);
            odd = pcn_dsp_sxtab16_odd(off2, x);
            src += 4;
        }
        memcpy(dst, &even, sizeof(even));
        memcpy(dst + 4, &odd, sizeof(odd));
        dst += 16;
    }
}
    #endif

/* The receptive field of the output pixel whose window starts at (y0, x0),
 * group g, as an int8 column at col (holes where taps fall outside). */
static void conv_s8_gather(const conv_s8_geom *gm,
                           const int8_t *in_batch,
                           const int32_t y0,
                           const int32_t x0,
                           const int32_t g,
                           int8_t *col)
{
    const int32_t k_w = gm->k_w;
    const int32_t k_c = gm->k_c;
    const int32_t row_len = k_w * k_c;
    if (gm->dense_rows)
    {
        /* Taps [lo, hi) of every row fall inside the input: one run of the
         * input row between holes. */
        const int32_t lo = PCN_MIN(k_w, PCN_MAX(0, -x0));
        const int32_t hi = PCN_MAX(lo, PCN_MIN(k_w, gm->in_w - x0));
        const int32_t run = (hi - lo) * k_c;
        for (int32_t ky = 0, vy = y0; ky < gm->k_h; ky++, vy += gm->dil_h, col += row_len)
        {
            if (vy < 0 || vy >= gm->in_h)
            {
                conv_s8_fill(col, gm->hole, row_len);
                continue;
            }
            if (lo > 0)
            {
                conv_s8_fill(col, gm->hole, lo * k_c);
            }
            conv_s8_copy(col + lo * k_c, in_batch + ((size_t)vy * gm->in_w + (size_t)(x0 + lo)) * gm->in_c, run);
            if (hi < k_w)
            {
                conv_s8_fill(col + hi * k_c, gm->hole, (k_w - hi) * k_c);
            }
        }
        return;
    }
    for (int32_t ky = 0; ky < gm->k_h; ky++)
    {
        const int32_t vy = y0 + ky * gm->dil_h;
        const int row_in = vy >= 0 && vy < gm->in_h && vy % gm->up_h == 0;
        for (int32_t kx = 0; kx < k_w; kx++, col += k_c)
        {
            const int32_t vx = x0 + kx * gm->dil_w;
            if (row_in && vx >= 0 && vx < gm->in_w && vx % gm->up_w == 0)
            {
                conv_s8_copy(col,
                             in_batch + ((size_t)(vy / gm->up_h) * gm->real_w + (size_t)(vx / gm->up_w)) * gm->in_c +
                                 g * k_c,
                             k_c);
            }
            else
            {
                conv_s8_fill(col, gm->hole, k_c);
            }
        }
    }
}

    #if !defined(ARM_MATH_MVEI)
/* The same into column `slot` (0 or 1) of an interleaved int16 pair
 * (conv_s8_put_wide); whole words of channels per tap (k_c % 4 == 0). */
static void conv_s8_gather_wide(const conv_s8_geom *gm,
                                const int8_t *in_batch,
                                const int32_t y0,
                                const int32_t x0,
                                const int32_t g,
                                int8_t *pair,
                                const int32_t slot)
{
    const int32_t k_w = gm->k_w;
    const int32_t k_c = gm->k_c;
    const int32_t row_len = k_w * k_c;
    const int32_t off2 = gm->off2;
    int32_t pos = 0;
    if (gm->dense_rows)
    {
        const int32_t lo = PCN_MIN(k_w, PCN_MAX(0, -x0));
        const int32_t hi = PCN_MAX(lo, PCN_MIN(k_w, gm->in_w - x0));
        for (int32_t ky = 0, vy = y0; ky < gm->k_h; ky++, vy += gm->dil_h, pos += row_len)
        {
            if (vy < 0 || vy >= gm->in_h)
            {
                conv_s8_put_wide(pair, slot, pos, NULL, row_len, off2);
                continue;
            }
            const int8_t *src = in_batch + ((size_t)vy * gm->in_w + (size_t)(x0 + lo)) * gm->in_c;
            conv_s8_put_wide(pair, slot, pos, NULL, lo * k_c, off2);
            conv_s8_put_wide(pair, slot, pos + lo * k_c, src, (hi - lo) * k_c, off2);
            conv_s8_put_wide(pair, slot, pos + hi * k_c, NULL, (k_w - hi) * k_c, off2);
        }
        return;
    }
    for (int32_t ky = 0; ky < gm->k_h; ky++)
    {
        const int32_t vy = y0 + ky * gm->dil_h;
        const int row_in = vy >= 0 && vy < gm->in_h && vy % gm->up_h == 0;
        for (int32_t kx = 0; kx < k_w; kx++, pos += k_c)
        {
            const int32_t vx = x0 + kx * gm->dil_w;
            const int8_t *src = NULL;
            if (row_in && vx >= 0 && vx < gm->in_w && vx % gm->up_w == 0)
            {
                src = in_batch + ((size_t)(vy / gm->up_h) * gm->real_w + (size_t)(vx / gm->up_w)) * gm->in_c + g * k_c;
            }
            conv_s8_put_wide(pair, slot, pos, src, k_c, off2);
        }
    }
}
    #endif

    #if defined(ARM_MATH_MVEI)

/* conv_s8_block for columns shorter than one vector: four output channels
 * at a time in int32 lanes. For each entry k one gather load fetches the
 * four channels' weights w[oc + j][k], and each pixel's x[k] multiplies
 * them into that pixel's accumulator vector (VMLA by a scalar); the input
 * offset enters as input_offset * sum_k w[oc + j][k]. */
static void conv_s8_block_narrow(const int8_t *const *cols,
                                 const int32_t npx,
                                 const int32_t len,
                                 const int8_t *w,
                                 const int32_t n_oc,
                                 const conv_s8_out *q,
                                 int8_t *out,
                                 const int32_t out_stride)
{
    const int32_t *const bias = q->bias;
    const int32_t in_off = q->input_offset;
    const int32_t out_off = q->output_offset;
    const int32x4_t act_min = vdupq_n_s32(q->act_min);
    const int32x4_t act_max = vdupq_n_s32(q->act_max);
    /* Missing pixels repeat the first one; they are not stored. */
    const int8_t *const c0 = cols[0];
    const int8_t *const c1 = cols[npx > 1 ? 1 : 0];
    const int8_t *const c2 = cols[npx > 2 ? 2 : 0];
    const int8_t *const c3 = cols[npx > 3 ? 3 : 0];
    const uint32x4_t rows = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)len);

    for (int32_t oc = 0; oc < n_oc; oc += 4, w += 4 * len)
    {
        const mve_pred16_t ch = vctp32q((uint32_t)(n_oc - oc));
        int32x4_t a0 = vdupq_n_s32(0);
        int32x4_t a1 = a0;
        int32x4_t a2 = a0;
        int32x4_t a3 = a0;
        int32x4_t w_sum = a0;
        for (int32_t k = 0; k < len; k++)
        {
            const int32x4_t wv = vldrbq_gather_offset_z_s32(w + k, rows, ch);
            w_sum = vaddq_s32(w_sum, wv);
            a0 = vmlaq_n_s32(a0, wv, c0[k]);
            a1 = vmlaq_n_s32(a1, wv, c1[k]);
            a2 = vmlaq_n_s32(a2, wv, c2[k]);
            a3 = vmlaq_n_s32(a3, wv, c3[k]);
        }
        int32x4_t add = bias != NULL ? vldrwq_z_s32(bias + oc, ch) : vdupq_n_s32(0);
        add = vmlaq_n_s32(add, w_sum, in_off);
        const int32x4_t mult = vldrwq_z_s32(q->multiplier + oc, ch);
        const int32x4_t shift = vldrwq_z_s32(q->shift + oc, ch);
        int32x4_t acc[4];
        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
        for (int32_t i = 0; i < npx; i++)
        {
            int32x4_t v = pcn_mve_requantize(vaddq_s32(acc[i], add), mult, shift);
            v = vaddq_n_s32(v, out_off);
            v = vmaxq_s32(v, act_min);
            v = vminq_s32(v, act_max);
            vstrbq_p_s32(out + (size_t)i * out_stride + oc, v, ch);
        }
    }
}

/* Output channels [0, n_oc) of npx (1..4) pixels whose columns of len
 * entries are cols[0..npx-1]; weights w hold n_oc rows of len entries;
 * pixel i's results go to out[i * out_stride + oc]. */
static void conv_s8_block(const int8_t *const *cols,
                          const int32_t npx,
                          const int32_t len,
                          const int8_t *w,
                          const int32_t n_oc,
                          const conv_s8_out *q,
                          int8_t *out,
                          const int32_t out_stride)
{
    if (len < 16)
    {
        conv_s8_block_narrow(cols, npx, len, w, n_oc, q, out, out_stride);
        return;
    }
    /* Everything in locals: the int8 output stores may alias anything. */
    const int32_t *const bias = q->bias;
    const int32_t *const mult = q->multiplier;
    const int32_t *const shift = q->shift;
    const int32_t in_off = q->input_offset;
    const int32_t out_off = q->output_offset;
    /* Missing pixels repeat the first one; their lanes are not stored. */
    const int8_t *const c0 = cols[0];
    const int8_t *const c1 = cols[npx > 1 ? 1 : 0];
    const int8_t *const c2 = cols[npx > 2 ? 2 : 0];
    const int8_t *const c3 = cols[npx > 3 ? 3 : 0];
    const uint32x4_t offsets = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)out_stride);
    const mve_pred16_t lanes = vctp32q((uint32_t)npx);
    const int32x4_t act_min = vdupq_n_s32(q->act_min);
    const int32x4_t act_max = vdupq_n_s32(q->act_max);

    /* Whole vectors of every row, then one predicated tail: the same for
     * every channel. */
    const int32_t n_full = len >> 4;
    const int32_t tail = len & 15;
    const mve_pred16_t tail_lanes = vctp8q((uint32_t)tail);

    for (int32_t oc = 0; oc < n_oc; oc++)
    {
        const int8_t *p0 = c0;
        const int8_t *p1 = c1;
        const int8_t *p2 = c2;
        const int8_t *p3 = c3;
        int32_t s0 = 0;
        int32_t s1 = 0;
        int32_t s2 = 0;
        int32_t s3 = 0;
        int32_t w_sum = 0;
        for (int32_t k = n_full; k > 0; k--)
        {
            const int8x16_t vw = vldrbq_s8(w);
            w_sum = vaddvaq_s8(w_sum, vw);
            s0 = vmladavaq_s8(s0, vldrbq_s8(p0), vw);
            s1 = vmladavaq_s8(s1, vldrbq_s8(p1), vw);
            s2 = vmladavaq_s8(s2, vldrbq_s8(p2), vw);
            s3 = vmladavaq_s8(s3, vldrbq_s8(p3), vw);
            w += 16;
            p0 += 16;
            p1 += 16;
            p2 += 16;
            p3 += 16;
        }
        if (tail != 0)
        {
            const int8x16_t vw = vldrbq_z_s8(w, tail_lanes);
            w_sum = vaddvaq_s8(w_sum, vw);
            s0 = vmladavaq_s8(s0, vldrbq_z_s8(p0, tail_lanes), vw);
            s1 = vmladavaq_s8(s1, vldrbq_z_s8(p1, tail_lanes), vw);
            s2 = vmladavaq_s8(s2, vldrbq_z_s8(p2, tail_lanes), vw);
            s3 = vmladavaq_s8(s3, vldrbq_z_s8(p3, tail_lanes), vw);
            w += tail;
        }
        int32_t add = pcn_wrap_mul(in_off, w_sum);
        if (bias != NULL)
        {
            add = pcn_wrap_add(add, bias[oc]);
        }
        int32x4_t v = vdupq_n_s32(add);
        v = vsetq_lane_s32(pcn_wrap_add(s0, add), v, 0);
        v = vsetq_lane_s32(pcn_wrap_add(s1, add), v, 1);
        v = vsetq_lane_s32(pcn_wrap_add(s2, add), v, 2);
        v = vsetq_lane_s32(pcn_wrap_add(s3, add), v, 3);
        v = pcn_mve_requantize_n(v, mult[oc], shift[oc]);
        v = vaddq_n_s32(v, out_off);
        v = vmaxq_s32(v, act_min);
        v = vminq_s32(v, act_max);
        vstrbq_scatter_offset_p_s32(out + oc, offsets, v, lanes);
    }
}

    #else /* ARM_MATH_DSP */

/* As the MVE version, for npx of 1 or 2. Kept out of line: the im2col core
 * is its only caller since the 1x1 core has its own loops, and inlining it
 * there costs 2 KB of code for a few tenths of a percent. */
    #if defined(__GNUC__)
__attribute__((noinline))
    #endif
static void conv_s8_block(const int8_t *const *cols,
                          const int32_t npx,
                          const int32_t len,
                          const int8_t *w,
                          const int32_t n_oc,
                          const conv_s8_out *q,
                          int8_t *out,
                          const int32_t out_stride)
{
    /* Everything in locals: the int8 output stores may alias anything. */
    const int32_t *const bias = q->bias;
    const int32_t *const mult = q->multiplier;
    const int32_t *const shift = q->shift;
    const int32_t off = q->input_offset;
    const int32_t off2 = pcn_dsp_offset_pair(off);
    const int32_t out_off = q->output_offset;
    const int32_t act_min = q->act_min;
    const int32_t act_max = q->act_max;
    const uint32_t act_min4 = pcn_dsp_bytes4(act_min);
    const uint32_t act_max4 = pcn_dsp_bytes4(act_max);
    const int8_t *const c0 = cols[0];
    int8_t *const out1 = out + out_stride;
    int32_t oc = 0;

    if (npx > 1)
    {
        const int8_t *const c1 = cols[1];
        const int32_t c_step = (int32_t)(c1 - c0);
        for (; oc + 1 < n_oc; oc += 2)
        {
            int32_t s[4];
            if (c_step == len)
            {
                pcn_dsp_dot_2x2_packed(c0, w, len, off, off2, s);
            }
            else
            {
                pcn_dsp_dot_2x2(c0, c_step, w, len, len, off, off2, s);
            }
            const int32_t b0 = bias != NULL ? bias[oc] : 0;
            const int32_t b1 = bias != NULL ? bias[oc + 1] : 0;
            int32_t v00 = pcn_wrap_add(s[0], b0);
            int32_t v01 = pcn_wrap_add(s[1], b1);
            int32_t v10 = pcn_wrap_add(s[2], b0);
            int32_t v11 = pcn_wrap_add(s[3], b1);
            pcn_dsp_requantize_2(&v00, &v10, mult[oc], shift[oc]);
            pcn_dsp_requantize_2(&v01, &v11, mult[oc + 1], shift[oc + 1]);
            const uint32_t bytes = pcn_dsp_out_s8x4(v00, v01, v10, v11, out_off, act_min4, act_max4);
            const uint16_t pair0 = (uint16_t)bytes;
            const uint16_t pair1 = (uint16_t)(bytes >> 16);
            memcpy(out + oc, &pair0, sizeof(pair0));
            memcpy(out1 + oc, &pair1, sizeof(pair1));
            w += 2 * len;
        }
        if (oc < n_oc)
        {
            const int32_t b0 = bias != NULL ? bias[oc] : 0;
            int32_t v0 = pcn_wrap_add(pcn_dsp_dot_1x1(c0, w, len, off, off2), b0);
            int32_t v1 = pcn_wrap_add(pcn_dsp_dot_1x1(c1, w, len, off, off2), b0);
            pcn_dsp_requantize_2(&v0, &v1, mult[oc], shift[oc]);
            out[oc] = pcn_dsp_out_s8(v0, out_off, act_min, act_max);
            out1[oc] = pcn_dsp_out_s8(v1, out_off, act_min, act_max);
        }
    }
    else
    {
        for (; oc + 1 < n_oc; oc += 2)
        {
            int32_t s[2];
            pcn_dsp_dot_1x2(c0, w, w + len, len, off, off2, s);
            const int32_t v0 = pcn_wrap_add(s[0], bias != NULL ? bias[oc] : 0);
            const int32_t v1 = pcn_wrap_add(s[1], bias != NULL ? bias[oc + 1] : 0);
            const int32_t r0 = pcn_dsp_requantize_1(v0, mult[oc], shift[oc]);
            const int32_t r1 = pcn_dsp_requantize_1(v1, mult[oc + 1], shift[oc + 1]);
            out[oc] = pcn_dsp_out_s8(r0, out_off, act_min, act_max);
            out[oc + 1] = pcn_dsp_out_s8(r1, out_off, act_min, act_max);
            w += 2 * len;
        }
        if (oc < n_oc)
        {
            const int32_t v0 = pcn_wrap_add(pcn_dsp_dot_1x1(c0, w, len, off, off2), bias != NULL ? bias[oc] : 0);
            out[oc] = pcn_dsp_out_s8(pcn_dsp_requantize_1(v0, mult[oc], shift[oc]), out_off, act_min, act_max);
        }
    }
}

/* Two pixels whose columns (len entries, a multiple of 4) are an
 * interleaved int16 pair (conv_s8_put_wide) times the n_oc weight rows:
 * two output channels at a time, the offset already in the columns. */
static void conv_s8_block_wide(const int8_t *pair,
                               const int32_t len,
                               const int8_t *w,
                               const int32_t n_oc,
                               const conv_s8_out *q,
                               int8_t *out,
                               const int32_t out_stride)
{
    const int32_t *const bias = q->bias;
    const int32_t *const mult = q->multiplier;
    const int32_t *const shift = q->shift;
    const int32_t out_off = q->output_offset;
    const int32_t act_min = q->act_min;
    const int32_t act_max = q->act_max;
    const uint32_t act_min4 = pcn_dsp_bytes4(act_min);
    const uint32_t act_max4 = pcn_dsp_bytes4(act_max);
    int8_t *const out1 = out + out_stride;
    int32_t oc = 0;

    for (; oc + 1 < n_oc; oc += 2)
    {
        int32_t s[4];
        pcn_dsp_dot_2x2_wide(pair, w, len, s);
        const int32_t b0 = bias != NULL ? bias[oc] : 0;
        const int32_t b1 = bias != NULL ? bias[oc + 1] : 0;
        int32_t v00 = pcn_wrap_add(s[0], b0);
        int32_t v01 = pcn_wrap_add(s[1], b1);
        int32_t v10 = pcn_wrap_add(s[2], b0);
        int32_t v11 = pcn_wrap_add(s[3], b1);
        pcn_dsp_requantize_2(&v00, &v10, mult[oc], shift[oc]);
        pcn_dsp_requantize_2(&v01, &v11, mult[oc + 1], shift[oc + 1]);
        const uint32_t bytes = pcn_dsp_out_s8x4(v00, v01, v10, v11, out_off, act_min4, act_max4);
        const uint16_t pair0 = (uint16_t)bytes;
        const uint16_t pair1 = (uint16_t)(bytes >> 16);
        memcpy(out + oc, &pair0, sizeof(pair0));
        memcpy(out1 + oc, &pair1, sizeof(pair1));
        w += 2 * len;
    }
    if (oc < n_oc)
    {
        int32_t s[2];
        pcn_dsp_dot_2x1_wide(pair, w, len, s);
        const int32_t b0 = bias != NULL ? bias[oc] : 0;
        int32_t v0 = pcn_wrap_add(s[0], b0);
        int32_t v1 = pcn_wrap_add(s[1], b0);
        pcn_dsp_requantize_2(&v0, &v1, mult[oc], shift[oc]);
        out[oc] = pcn_dsp_out_s8(v0, out_off, act_min, act_max);
        out1[oc] = pcn_dsp_out_s8(v1, out_off, act_min, act_max);
    }
}

/* One output channel's requantisation constants, hoisted out of the pixel
 * loops of the 1x1 core. */
typedef struct
{
    int32_t mult;
    int32_t shift;
    int64_t k;    /* pcn_dsp_requantize_k(-shift) for a right shift */
    int32_t r_m1; /* -shift - 1 */
} conv_s8_rq;

static inline conv_s8_rq conv_s8_rq_of(const int32_t mult, const int32_t shift)
{
    conv_s8_rq r;
    r.mult = mult;
    r.shift = shift;
    r.k = shift < 0 ? pcn_dsp_requantize_k(-shift) : 0;
    r.r_m1 = -shift - 1;
    return r;
}

static inline int32_t conv_s8_rq_apply(const conv_s8_rq *r, const int32_t v)
{
    if (r->shift >= 0)
    {
        return (int32_t)(((int64_t)(int32_t)((uint32_t)v << r->shift) * r->mult + ((int64_t)1 << 30)) >> 31);
    }
    return pcn_dsp_requantize_right(v, r->mult, r->k, r->r_m1);
}

/* DSP 1x1 convolution: output channels in pairs outermost, so that their
 * weight sums (the input offset enters the bias once as input_offset *
 * sum(w)), biases and requantisation constants are set up once per pair,
 * then every pixel pair meets the two weight rows with raw SXTB16/SMLAD
 * dot products. Pixels come in rows of row_px, px_step bytes apart; rows
 * start row_step bytes apart within a batch of out_h rows, batches
 * batch_step bytes apart (one row of all pixels when they are contiguous).
 * The last channel of an odd count and the last pixel of an odd row go
 * through conv_s8_block (the offset added as it goes). */
static void conv_s8_pointwise_dsp(const int8_t *input,
                                  const int32_t batches,
                                  const int32_t out_h,
                                  const int32_t row_px,
                                  const int32_t px_step,
                                  const int32_t row_step,
                                  const int32_t batch_step,
                                  const int8_t *const filter,
                                  const int32_t len,
                                  const int32_t n_oc,
                                  const conv_s8_out *q,
                                  int8_t *output)
{
    const int32_t off = q->input_offset;
    const int32_t out_off = q->output_offset;
    const uint32_t act_min4 = pcn_dsp_bytes4(q->act_min);
    const uint32_t act_max4 = pcn_dsp_bytes4(q->act_max);
    const int packed = px_step == len;
    const int32_t pairs = row_px >> 1;
    /* output bytes skipped at the end of a row: its odd pixel */
    const int32_t row_tail = (row_px & 1) * n_oc;
    const int8_t *w = filter;
    int32_t oc = 0;

    for (; oc + 1 < n_oc; oc += 2, w += 2 * len)
    {
        const int32_t bias0 = q->bias != NULL ? q->bias[oc] : 0;
        const int32_t bias1 = q->bias != NULL ? q->bias[oc + 1] : 0;
        const int32_t add0 = pcn_wrap_add(bias0, pcn_wrap_mul(off, pcn_dsp_sum_s8(w, len)));
        const int32_t add1 = pcn_wrap_add(bias1, pcn_wrap_mul(off, pcn_dsp_sum_s8(w + len, len)));
        const conv_s8_rq rq0 = conv_s8_rq_of(q->multiplier[oc], q->shift[oc]);
        const conv_s8_rq rq1 = conv_s8_rq_of(q->multiplier[oc + 1], q->shift[oc + 1]);
        int8_t *out = output + oc;

        for (int32_t b = 0; b < batches; b++)
        {
            for (int32_t y = 0; y < out_h; y++)
            {
                const int8_t *a = input + (size_t)b * batch_step + (size_t)y * row_step;
                for (int32_t i = pairs; i > 0; i--)
                {
                    int32_t s[4];
                    if (packed)
                    {
                        pcn_dsp_dot_2x2_raw_packed(a, w, len, s);
                    }
                    else
                    {
                        pcn_dsp_dot_2x2_raw(a, px_step, w, len, s);
                    }
                    const int32_t v00 = conv_s8_rq_apply(&rq0, pcn_wrap_add(s[0], add0));
                    const int32_t v01 = conv_s8_rq_apply(&rq1, pcn_wrap_add(s[1], add1));
                    const int32_t v10 = conv_s8_rq_apply(&rq0, pcn_wrap_add(s[2], add0));
                    const int32_t v11 = conv_s8_rq_apply(&rq1, pcn_wrap_add(s[3], add1));
                    const uint32_t bytes = pcn_dsp_out_s8x4(v00, v01, v10, v11, out_off, act_min4, act_max4);
                    const uint16_t pair0 = (uint16_t)bytes;
                    const uint16_t pair1 = (uint16_t)(bytes >> 16);
                    memcpy(out, &pair0, sizeof(pair0));
                    memcpy(out + n_oc, &pair1, sizeof(pair1));
                    out += 2 * n_oc;
                    a += 2 * px_step;
                }
                out += row_tail;
            }
        }
    }

    if (oc == n_oc && row_tail == 0)
    {
        return;
    }
    conv_s8_out last = *q;
    if (q->bias != NULL)
    {
        last.bias = q->bias + oc;
    }
    last.multiplier = q->multiplier + oc;
    last.shift = q->shift + oc;
    int8_t *out = output;
    for (int32_t b = 0; b < batches; b++)
    {
        for (int32_t y = 0; y < out_h; y++)
        {
            const int8_t *a = input + (size_t)b * batch_step + (size_t)y * row_step;
            for (int32_t i = pairs; i > 0; i--)
            {
                if (oc < n_oc)
                {
                    const int8_t *cols[2];
                    cols[0] = a;
                    cols[1] = a + px_step;
                    conv_s8_block(cols, 2, len, w, n_oc - oc, &last, out + oc, n_oc);
                }
                out += 2 * n_oc;
                a += 2 * px_step;
            }
            if (row_tail != 0)
            {
                conv_s8_block(&a, 1, len, filter, n_oc, q, out, n_oc);
                out += n_oc;
            }
        }
    }
}

    #endif /* ARM_MATH_MVEI / ARM_MATH_DSP */

#else /* portable */

/* Dot product of one im2col column (offset still to add) with one filter row. */
static int32_t conv_s8_dot(const int8_t *col, const int8_t *w, int32_t n, int32_t input_offset)
{
    /* The offset is in [-127, 128], so x + offset fits in 16 bits: int16
     * operands let compilers use multiply-accumulate instructions. */
    const int16_t off = (int16_t)input_offset;
    int32_t acc = 0;
    for (int32_t i = 0; i < n; i++)
    {
        acc += (int32_t)(int16_t)(col[i] + off) * (int32_t)w[i];
    }
    return acc;
}

#endif

arm_cmsis_nn_status arm_nn_conv_s8_im2col(int8_t *col_buf,
                                          const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          int32_t up_h,
                                          int32_t up_w,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t k_c = filter_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;

    if (col_buf == NULL || k_c <= 0 || k_h <= 0 || k_w <= 0 || in_c % k_c != 0 || up_h <= 0 || up_w <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t groups = in_c / k_c;
    if (out_c % groups != 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t out_per_group = out_c / groups;
    const int32_t cols = k_h * k_w * k_c;

    /* Extent of the real input behind a zero-inserted one. */
    const int32_t real_h = (in_h + up_h - 1) / up_h;
    const int32_t real_w = (in_w + up_w - 1) / up_w;

    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;
    const int32_t pad_h = conv_params->padding.h;
    const int32_t pad_w = conv_params->padding.w;
    const int32_t dil_h = conv_params->dilation.h;
    const int32_t dil_w = conv_params->dilation.w;
    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    const int8_t hole = (int8_t)(-input_offset);

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    /* Columns that fit in the scratch the buffer-size functions of this
     * build promise: the im2col size, or for a one-row layer (which may have
     * come through arm_convolve_1_x_n_s8) the smaller of it and the 1xN one. */
    #if defined(ARM_MATH_MVEI)
    int32_t scratch = arm_nn_conv_s8_col_buffer_size_mve(input_dims, filter_dims);
    if (in_h == 1 && k_h == 1)
    {
        const int32_t row_scratch =
            arm_nn_conv_s8_1_x_n_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
        scratch = PCN_MIN(scratch, row_scratch);
    }
    #else
    const int32_t scratch = arm_nn_conv_s8_col_buffer_size(input_dims, filter_dims);
    #endif
    const int32_t block = PCN_MAX(1, PCN_MIN(CONV_S8_BLOCK, scratch / cols));
    /* A one-row filter window of an ungrouped, undilated, dense input that
     * lies wholly inside the input is contiguous there: used in place. */
    const int in_place_rows = k_h == 1 && groups == 1 && dil_w == 1 && up_h == 1 && up_w == 1;
    const int32_t n_pixels = input_dims->n * out_h * out_w;
    #if !defined(ARM_MATH_MVEI)
    /* DSP: with whole words of channels per tap, pixel pairs go through an
     * interleaved int16 column pair (4 * cols bytes, within the promise). */
    const int wide = k_c % 4 == 0 && block == 2;
    #endif

    conv_s8_geom gm;
    gm.in_h = in_h;
    gm.in_w = in_w;
    gm.in_c = in_c;
    gm.real_w = real_w;
    gm.k_h = k_h;
    gm.k_w = k_w;
    gm.k_c = k_c;
    gm.dil_h = dil_h;
    gm.dil_w = dil_w;
    gm.up_h = up_h;
    gm.up_w = up_w;
    /* Without grouping, x dilation or upscaling the taps of a filter row are
     * adjacent input pixels, whole pixels of channels each. */
    gm.dense_rows = groups == 1 && dil_w == 1 && up_h == 1 && up_w == 1;
    gm.hole = hole;
    #if !defined(ARM_MATH_MVEI)
    gm.off2 = pcn_dsp_offset_pair(input_offset);
    #else
    gm.off2 = 0;
    #endif

    conv_s8_out q;
    q.multiplier = quant_params->multiplier;
    q.shift = quant_params->shift;
    q.input_offset = input_offset;
    q.output_offset = output_offset;
    q.act_min = act_min;
    q.act_max = act_max;

    /* Position of the block's first pixel. */
    int32_t b0 = 0;
    int32_t oy0 = 0;
    int32_t ox0 = 0;
    for (int32_t p = 0; p < n_pixels; p += block)
    {
        const int32_t npx = PCN_MIN(block, n_pixels - p);
        int8_t *out = output_data + (size_t)p * out_c;
        for (int32_t g = 0; g < groups; g++)
        {
            const int8_t *col_ptr[CONV_S8_BLOCK];
    #if !defined(ARM_MATH_MVEI)
            const int use_wide = wide && npx == 2;
    #endif
            int32_t b = b0;
            int32_t oy = oy0;
            int32_t ox = ox0;
            for (int32_t i = 0; i < npx; i++)
            {
                const int8_t *in_batch = input_data + (size_t)b * real_h * real_w * in_c;
                const int32_t y0 = oy * stride_h - pad_h;
                const int32_t x0 = ox * stride_w - pad_w;
    #if !defined(ARM_MATH_MVEI)
                if (use_wide)
                {
                    conv_s8_gather_wide(&gm, in_batch, y0, x0, g, col_buf, i);
                }
                else
    #endif
                    if (in_place_rows && y0 >= 0 && y0 < in_h && x0 >= 0 && x0 + k_w <= in_w)
                {
                    col_ptr[i] = in_batch + ((size_t)y0 * in_w + (size_t)x0) * in_c;
                }
                else
                {
                    int8_t *col = col_buf + (size_t)i * cols;
                    conv_s8_gather(&gm, in_batch, y0, x0, g, col);
                    col_ptr[i] = col;
                }
                if (++ox == out_w)
                {
                    ox = 0;
                    if (++oy == out_h)
                    {
                        oy = 0;
                        b++;
                    }
                }
            }

            const int32_t oc0 = g * out_per_group;
            const int8_t *w = filter_data + (size_t)oc0 * cols;
            q.bias = bias_data != NULL ? bias_data + oc0 : NULL;
            q.multiplier = quant_params->multiplier + oc0;
            q.shift = quant_params->shift + oc0;
    #if !defined(ARM_MATH_MVEI)
            if (use_wide)
            {
                conv_s8_block_wide(col_buf, cols, w, out_per_group, &q, out + oc0, out_c);
                continue;
            }
    #endif
            conv_s8_block(col_ptr, npx, cols, w, out_per_group, &q, out + oc0, out_c);
        }
        /* Advance to the next block's first pixel. */
        for (int32_t i = 0; i < npx; i++)
        {
            if (++ox0 == out_w)
            {
                ox0 = 0;
                if (++oy0 == out_h)
                {
                    oy0 = 0;
                    b0++;
                }
            }
        }
    }
#else
    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * real_h * real_w * in_c;
        int8_t *out_pixel = output_data + (size_t)b * out_h * out_w * out_c;

        for (int32_t oy = 0; oy < out_h; oy++)
        {
            const int32_t y0 = oy * stride_h - pad_h;
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int32_t x0 = ox * stride_w - pad_w;
                for (int32_t g = 0; g < groups; g++)
                {
                    /* Gather the receptive field of this pixel and group. */
                    int8_t *col = col_buf;
                    for (int32_t ky = 0; ky < k_h; ky++)
                    {
                        const int32_t vy = y0 + ky * dil_h;
                        const int row_in = vy >= 0 && vy < in_h && vy % up_h == 0;
                        for (int32_t kx = 0; kx < k_w; kx++)
                        {
                            const int32_t vx = x0 + kx * dil_w;
                            if (row_in && vx >= 0 && vx < in_w && vx % up_w == 0)
                            {
                                const int8_t *src =
                                    in_batch + ((size_t)(vy / up_h) * real_w + (size_t)(vx / up_w)) * in_c + g * k_c;
                                memcpy(col, src, (size_t)k_c);
                            }
                            else
                            {
                                memset(col, hole, (size_t)k_c);
                            }
                            col += k_c;
                        }
                    }

                    /* Multiply it with the filters of the group. */
                    const int32_t oc0 = g * out_per_group;
                    const int8_t *w = filter_data + (size_t)oc0 * cols;
                    for (int32_t oc = oc0; oc < oc0 + out_per_group; oc++)
                    {
                        int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        acc += conv_s8_dot(col_buf, w, cols, input_offset);
                        out_pixel[oc] = arm_nn_requantize_clamp_s8(
                            acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                        w += cols;
                    }
                }
                out_pixel += out_c;
            }
        }
    }
#endif
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_nn_conv_s8_pointwise(const cmsis_nn_conv_params *conv_params,
                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                             const cmsis_nn_dims *input_dims,
                                             const int8_t *input_data,
                                             const cmsis_nn_dims *filter_dims,
                                             const int8_t *filter_data,
                                             const int32_t *bias_data,
                                             const cmsis_nn_dims *output_dims,
                                             int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;

    if (filter_dims->c != in_c || stride_h <= 0 || stride_w <= 0 || (out_h - 1) * stride_h >= in_h ||
        (out_w - 1) * stride_w >= in_w)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    conv_s8_out q;
    q.bias = bias_data;
    q.multiplier = quant_params->multiplier;
    q.shift = quant_params->shift;
    q.input_offset = input_offset;
    q.output_offset = output_offset;
    q.act_min = act_min;
    q.act_max = act_max;

    #if !defined(ARM_MATH_MVEI)
    /* DSP: rows of pixels stride_w apart, or one row of all pixels when
     * they are contiguous. */
    if (stride_w == 1 && out_w == in_w && stride_h == 1 && out_h == in_h)
    {
        conv_s8_pointwise_dsp(input_data, 1, 1, input_dims->n * out_h * out_w, in_c, 0, 0, filter_data, in_c, out_c, &q,
                              output_data);
    }
    else
    {
        conv_s8_pointwise_dsp(input_data, input_dims->n, out_h, out_w, stride_w * in_c, stride_h * in_w * in_c,
                              in_h * in_w * in_c, filter_data, in_c, out_c, &q, output_data);
    }
    return ARM_CMSIS_NN_SUCCESS;
    #endif
    const int32_t n_pixels = input_dims->n * out_h * out_w;
    int32_t b0 = 0;
    int32_t oy0 = 0;
    int32_t ox0 = 0;
    for (int32_t p = 0; p < n_pixels; p += CONV_S8_BLOCK)
    {
        const int32_t npx = PCN_MIN(CONV_S8_BLOCK, n_pixels - p);
        const int8_t *px_ptr[CONV_S8_BLOCK];
        for (int32_t i = 0; i < npx; i++)
        {
            px_ptr[i] = input_data + (((size_t)b0 * in_h + (size_t)oy0 * stride_h) * in_w + (size_t)ox0 * stride_w) * in_c;
            if (++ox0 == out_w)
            {
                ox0 = 0;
                if (++oy0 == out_h)
                {
                    oy0 = 0;
                    b0++;
                }
            }
        }
        conv_s8_block(px_ptr, npx, in_c, filter_data, out_c, &q, output_data + (size_t)p * out_c, out_c);
    }
#else
    int8_t *dst = output_data;
    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + (size_t)b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++)
        {
            for (int32_t ox = 0; ox < out_w; ox++)
            {
                const int8_t *src = in_batch + ((size_t)oy * stride_h * in_w + (size_t)ox * stride_w) * in_c;
                const int8_t *w = filter_data;
                for (int32_t oc = 0; oc < out_c; oc++)
                {
                    int32_t acc = bias_data != NULL ? bias_data[oc] : 0;
                    acc += conv_s8_dot(src, w, in_c, input_offset);
                    *dst++ = arm_nn_requantize_clamp_s8(
                        acc, quant_params->multiplier[oc], quant_params->shift[oc], output_offset, act_min, act_max);
                    w += in_c;
                }
            }
        }
    }
#endif
    return ARM_CMSIS_NN_SUCCESS;
}
