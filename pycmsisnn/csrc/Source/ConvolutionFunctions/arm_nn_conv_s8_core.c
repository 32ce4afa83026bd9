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
 * - MVE (Helium): blocks of three output pixels times two output
 *   channels: each loaded int8 vector of a column or a weight row is used
 *   two or three times by VMLADAVA, in a tail-predicated low-overhead loop
 *   (the last partial vector loads and accumulates its valid lanes only).
 *   The sums start at bias + input_offset * sum(weights), computed once
 *   per call for a chunk of up to 64 channels (on the stack), so the dot
 *   products use the raw int8 input. Four channels of a pixel are then
 *   requantised as one vector (per-lane multiplier and shift).
 * - DSP: two output pixels times two output channels at a time with SMLAD
 *   on 16-bit pairs. The im2col core with channel counts that are not
 *   whole words widens the int8 pixels with the offset as it goes
 *   (SXTAB16); otherwise the im2col column pair is gathered already
 *   widened, offset added, into an interleaved int16 pair. The 1x1 core
 *   takes output-channel pairs outermost: the offset enters their biases as
 *   input_offset * sum(w), and every pixel pair meets the two weight rows
 *   with raw SXTB16/SMLAD (conv_s8_pointwise_dsp).
 * - Portable C (the host, Cortex-M0/M3): one dot product per output value.
 * The im2col scratch is used within what the build's buffer-size function
 * promises (DSP: 4 * ceil4(KH * KW * C_IN) bytes, two int8 columns or one
 * int16 pair; MVE: up to three int8 columns of the four promised, fewer
 * where the 1xN formula is smaller); one-row windows wholly inside the input are read in place, and
 * the 1x1 core needs no scratch. All paths compute the same integer sums
 * and requantise them exactly as arm_nn_requantize, so their results are
 * identical.
 */
#include "Internal/arm_nn_conv_s8.h"
#include "Internal/arm_nn_mat_mult_s8.h"
#include "Internal/pycmsisnn_host_s8.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

/* The deepest stack of a network is a convolution's: its pixel loop's frame
 * stays while the dot products run. CONV_S8_OUTLINE keeps a DSP helper out
 * of line so that its registers are not spilled into that frame (on MVE the
 * gather is inlined into conv_s8_mve_columns, itself out of line);
 * CONV_S8_NO_SLP stops gcc from building the loop's records through vector
 * temporaries on the stack. */
#if defined(__GNUC__) && !defined(ARM_MATH_MVEI)
    #define CONV_S8_OUTLINE __attribute__((noinline))
#else
    #define CONV_S8_OUTLINE
#endif
#if defined(__GNUC__) && !defined(__clang__)
    #define CONV_S8_NO_SLP __attribute__((optimize("no-tree-slp-vectorize")))
#else
    #define CONV_S8_NO_SLP
#endif

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* Pixels per block of the DSP path. */
    #define CONV_S8_BLOCK 2

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
static CONV_S8_OUTLINE void conv_s8_gather(const conv_s8_geom *gm,
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
static CONV_S8_OUTLINE void conv_s8_gather_wide(const conv_s8_geom *gm,
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

/* MVE: output channels whose kernel sums one pass keeps (on the stack). */
        #define CONV_S8_MVE_OC_CHUNK 64
/* MVE: pixels per block (three columns times two weight rows: six scalar
 * accumulators, which VMLADAVA wants in even registers). */
        #define CONV_S8_MVE_PX 3

/* kbias[j] = bias[j] + input_offset * (sum of weight row j) for the n rows
 * of len entries at w: the part of every output of channel j that does not
 * depend on the input, so that the dot products can use the raw int8
 * activations (wrapping like the accumulators). */
static void conv_s8_mve_kernel_sums(const int8_t *w,
                                    const int32_t len,
                                    const int32_t n,
                                    const int32_t *bias,
                                    const int32_t input_offset,
                                    int32_t *kbias)
{
    for (int32_t j = 0; j < n; j++, w += len)
    {
        const int32_t b = bias != NULL ? bias[j] : 0;
        kbias[j] = pcn_wrap_add(b, pcn_wrap_mul(input_offset, pcn_mve_sum_s8(w, len)));
    }
}

/* What requantises the sums of a block (per-layer constants). */
typedef struct
{
    int32_t output_offset;
    int32_t act_min;
    int32_t act_max;
    int32_t out_stride; /* bytes between the outputs of consecutive pixels */
} conv_s8_mve_req;

/* s[j * 3 + i] = kb_j + sum_k c_i[k] * w_j[k] over len (>= 1) entries,
 * for the three columns c0..c2 and the two weight rows w0 and
 * w1 = w0 + w1_step (0 or len): each loaded
 * vector is used two or three times. A tail-predicated low-overhead loop
 * (DLSTP/LETP, which gcc 12 does not emit from intrinsics) runs over
 * ceil(len / 16) vectors, the last one with only its valid lanes loaded
 * and accumulated, so there is no separate tail code. VMLADAVA wants its
 * accumulators in even registers ("Te", known to gcc and clang). */
static inline void conv_s8_mve_dot_3x2(const int8_t *p0,
                                       const int8_t *p1,
                                       const int8_t *p2,
                                       const int8_t *w0,
                                       const int32_t w1_step,
                                       const int32_t len,
                                       const int32_t kb0,
                                       const int32_t kb1,
                                       int32_t *s)
{
    int32_t s00 = kb0;
    int32_t s10 = kb0;
    int32_t s20 = kb0;
    int32_t s01 = kb1;
    int32_t s11 = kb1;
    int32_t s21 = kb1;
    int8x16_t x0;
    int8x16_t x1;
    int8x16_t x2;
    int8x16_t v0;
    int8x16_t v1;
    const int8_t *w1 = w0 + w1_step;
    /* The element count in LR, where DLSTP wants it (a local register
     * variable: one register fewer for the compiler to find). */
    register int32_t n __asm__("lr") = len;
    __asm__ volatile("dlstp.8 lr, lr\n"
                     "1:\n\t"
                     "vldrb.8 %q[x0], [%[p0]], #16\n\t"
                     "vldrb.8 %q[x1], [%[p1]], #16\n\t"
                     "vldrb.8 %q[x2], [%[p2]], #16\n\t"
                     "vldrb.8 %q[v0], [%[w0]], #16\n\t"
                     "vldrb.8 %q[v1], [%[w1]], #16\n\t"
                     "vmladava.s8 %[s00], %q[x0], %q[v0]\n\t"
                     "vmladava.s8 %[s10], %q[x1], %q[v0]\n\t"
                     "vmladava.s8 %[s20], %q[x2], %q[v0]\n\t"
                     "vmladava.s8 %[s01], %q[x0], %q[v1]\n\t"
                     "vmladava.s8 %[s11], %q[x1], %q[v1]\n\t"
                     "vmladava.s8 %[s21], %q[x2], %q[v1]\n\t"
                     "letp lr, 1b"
                     : [s00] "+Te"(s00),
                       [s10] "+Te"(s10),
                       [s20] "+Te"(s20),
                       [s01] "+Te"(s01),
                       [s11] "+Te"(s11),
                       [s21] "+Te"(s21),
                       [p0] "+r"(p0),
                       [p1] "+r"(p1),
                       [p2] "+r"(p2),
                       [w0] "+r"(w0),
                       [w1] "+r"(w1),
                       [n] "+r"(n),
                       [x0] "=&w"(x0),
                       [x1] "=&w"(x1),
                       [x2] "=&w"(x2),
                       [v0] "=&w"(v0),
                       [v1] "=&w"(v1)
                     :
                     : "memory");
    s[0] = s00;
    s[1] = s10;
    s[2] = s20;
    s[3] = s01;
    s[4] = s11;
    s[5] = s21;
}

/* The requantisation of four channels, one per lane: multiplier, left
 * shift, right shift (as a negative count) and the lanes that shift right. */
typedef struct
{
    int32x4_t multiplier;
    int32x4_t left;
    int32x4_t right;
    int32x4_t right_mask; /* -1 where the shift is negative, else 0 */
} conv_s8_mve_lane_q;

static inline conv_s8_mve_lane_q
conv_s8_mve_lane_params(const int32_t *mult, const int32_t *shift, const mve_pred16_t lanes)
{
    const int32x4_t sh = vldrwq_z_s32(shift, lanes);
    const int32x4_t zero = vdupq_n_s32(0);
    conv_s8_mve_lane_q lq;
    lq.multiplier = vldrwq_z_s32(mult, lanes);
    lq.left = vmaxq_s32(sh, zero);
    lq.right = vminq_s32(sh, zero);
    lq.right_mask = vshrq_n_s32(lq.right, 31);
    return lq;
}

/* pcn_mve_requantize with the per-lane parameters above (the negative
 * lanes are lowered by one before a right shift only, here with a mask
 * instead of a predicate), then the output offset and the clamp. */
static inline int32x4_t conv_s8_mve_requantize_out(int32x4_t v,
                                                   const conv_s8_mve_lane_q *lq,
                                                   const int32_t out_off,
                                                   const int32_t act_min,
                                                   const int32_t act_max)
{
    v = vshlq_s32(v, lq->left);
    v = vqrdmulhq_s32(v, lq->multiplier);
    v = vqaddq_s32(v, vandq_s32(vshrq_n_s32(v, 31), lq->right_mask));
    v = vrshlq_s32(v, lq->right);
    v = vaddq_n_s32(v, out_off);
    v = vmaxq_s32(v, vdupq_n_s32(act_min));
    return vminq_s32(v, vdupq_n_s32(act_max));
}

/* The sums of four channels (n of them real, the others repeating the
 * last) of three pixels: sums[4 * i + j] for pixel i and channel j. */
static inline void conv_s8_mve_sums_4(const int8_t *const *cols,
                                      const int32_t len,
                                      const int8_t *w,
                                      const int32_t *kbias,
                                      const int32_t n,
                                      int32_t *sums)
{
    int32_t s[6];
    conv_s8_mve_dot_3x2(cols[0], cols[1], cols[2], w, n > 1 ? len : 0, len, kbias[0], kbias[n > 1 ? 1 : 0], s);
    sums[0] = s[0];
    sums[1] = s[3];
    sums[4] = s[1];
    sums[5] = s[4];
    sums[8] = s[2];
    sums[9] = s[5];
    if (n > 2)
    {
        w += 2 * len;
        conv_s8_mve_dot_3x2(cols[0], cols[1], cols[2], w, n > 3 ? len : 0, len, kbias[2], kbias[n > 3 ? 3 : 2], s);
        sums[2] = s[0];
        sums[3] = s[3];
        sums[6] = s[1];
        sums[7] = s[4];
        sums[10] = s[2];
        sums[11] = s[5];
    }
}

/* Output channels [0, n_oc) of npx (1..3) pixels whose columns of len
 * entries are cols[0..2] (a missing pixel repeats the last one). Weights w
 * hold n_oc rows of len entries; kbias, mult and shift are those of the
 * n_oc channels; pixel i's results go to out[i * out_stride + oc].
 * Four channels at a time: two 3x2 dot blocks give their twelve sums,
 * which go through a small buffer so that each pixel's four channels are
 * requantised as one vector (VQRDMULH, a rounding shift per lane) and
 * stored with one VSTRB. Not inlined: the dot loop needs eleven registers
 * besides LR. */
static __attribute__((noinline)) void conv_s8_mve_block(const int8_t *const *cols,
                                                         const int32_t npx,
                                                         const int32_t len,
                                                         const int8_t *w,
                                                         const int32_t n_oc,
                                                         const int32_t *kbias,
                                                         const int32_t *mult,
                                                         const int32_t *shift,
                                                         const conv_s8_mve_req *req,
                                                         int8_t *out)
{
    const int32_t out_off = req->output_offset;
    const int32_t act_min = req->act_min;
    const int32_t act_max = req->act_max;
    const int32_t out_stride = req->out_stride;
    int32_t sums[3 * 4];
    int32_t oc = 0;
    /* Whole groups of four channels: three pixels stored without
     * predication, fewer in a loop. */
    for (; oc + 4 <= n_oc; oc += 4)
    {
        conv_s8_mve_sums_4(cols, len, w, kbias, 4, sums);
        const conv_s8_mve_lane_q lq = conv_s8_mve_lane_params(mult, shift, vctp32q(4));
        if (npx == 3)
        {
            vstrbq_s32(out, conv_s8_mve_requantize_out(vldrwq_s32(sums), &lq, out_off, act_min, act_max));
            vstrbq_s32(out + out_stride,
                       conv_s8_mve_requantize_out(vldrwq_s32(sums + 4), &lq, out_off, act_min, act_max));
            vstrbq_s32(out + 2 * out_stride,
                       conv_s8_mve_requantize_out(vldrwq_s32(sums + 8), &lq, out_off, act_min, act_max));
        }
        else
        {
            int8_t *dst = out;
            for (int32_t i = 0; i < npx; i++, dst += out_stride)
            {
                vstrbq_s32(dst, conv_s8_mve_requantize_out(vldrwq_s32(sums + 4 * i), &lq, out_off, act_min, act_max));
            }
        }
        w += 4 * len;
        kbias += 4;
        mult += 4;
        shift += 4;
        out += 4;
    }
    if (oc < n_oc)
    {
        /* One to three channels left: predicated lanes. */
        const int32_t n = n_oc - oc;
        const mve_pred16_t lanes = vctp32q((uint32_t)n);
        conv_s8_mve_sums_4(cols, len, w, kbias, n, sums);
        const conv_s8_mve_lane_q lq = conv_s8_mve_lane_params(mult, shift, lanes);
        int8_t *dst = out;
        for (int32_t i = 0; i < npx; i++, dst += out_stride)
        {
            const int32x4_t v = conv_s8_mve_requantize_out(vldrwq_s32(sums + 4 * i), &lq, out_off, act_min, act_max);
            vstrbq_p_s32(dst, v, lanes);
        }
    }
}

/* arm_nn_conv_s8_pointwise on MVE: for each chunk of output channels their
 * kernel sums, then blocks of three pixels, read in place. */
static CONV_S8_NO_SLP void conv_s8_mve_pointwise(const cmsis_nn_conv_params *conv_params,
                                                 const cmsis_nn_per_channel_quant_params *quant_params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const int8_t *input_data,
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
    const int32_t n_pixels = input_dims->n * out_h * out_w;
    int32_t kbias[CONV_S8_MVE_OC_CHUNK];
    conv_s8_mve_req req;
    req.output_offset = conv_params->output_offset;
    req.act_min = conv_params->activation.min;
    req.act_max = conv_params->activation.max;
    req.out_stride = out_c;

    for (int32_t oc0 = 0; oc0 < out_c; oc0 += CONV_S8_MVE_OC_CHUNK)
    {
        const int32_t n_oc = PCN_MIN(CONV_S8_MVE_OC_CHUNK, out_c - oc0);
        const int8_t *w = filter_data + (size_t)oc0 * in_c;
        conv_s8_mve_kernel_sums(
            w, in_c, n_oc, bias_data != NULL ? bias_data + oc0 : NULL, conv_params->input_offset, kbias);

        int32_t b = 0;
        int32_t oy = 0;
        int32_t ox = 0;
        for (int32_t p = 0; p < n_pixels; p += CONV_S8_MVE_PX)
        {
            const int32_t npx = PCN_MIN(CONV_S8_MVE_PX, n_pixels - p);
            const int8_t *px[CONV_S8_MVE_PX];
            for (int32_t i = 0; i < npx; i++)
            {
                px[i] = input_data + (((size_t)b * in_h + (size_t)oy * stride_h) * in_w + (size_t)ox * stride_w) * in_c;
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
            for (int32_t i = npx; i < CONV_S8_MVE_PX; i++)
            {
                px[i] = px[npx - 1];
            }
            conv_s8_mve_block(px,
                              npx,
                              in_c,
                              w,
                              n_oc,
                              kbias,
                              quant_params->multiplier + oc0,
                              quant_params->shift + oc0,
                              &req,
                              output_data + (size_t)p * out_c + oc0);
        }
    }
}

/* Where the im2col core's next block of pixels starts, and what it needs to
 * find their columns. */
typedef struct
{
    conv_s8_geom gm;
    const int8_t *input;
    int8_t *col_buf;
    int32_t cols;       /* entries per column */
    int32_t batch_step; /* input bytes per batch */
    int32_t stride_h;
    int32_t stride_w;
    int32_t pad_h;
    int32_t pad_w;
    int32_t out_h;
    int32_t out_w;
    int in_place_rows; /* a window inside the input is contiguous there */
    int32_t b;         /* the next pixel: batch, output row and column */
    int32_t oy;
    int32_t ox;
} conv_s8_mve_scan;

/* The columns of the next npx pixels of group g into cols[0..2] (a missing
 * pixel repeats the last one), each gathered into the scratch or read in
 * place; the scan moves past them. Out of line, so that the gather's
 * registers are not held (spilled) in the core's frame while the dot
 * products run. */
static __attribute__((noinline)) void
conv_s8_mve_columns(conv_s8_mve_scan *sc, const int32_t g, const int32_t npx, const int8_t **cols)
{
    for (int32_t i = 0; i < npx; i++)
    {
        const int8_t *in_batch = sc->input + (size_t)sc->b * (size_t)sc->batch_step;
        const int32_t y0 = sc->oy * sc->stride_h - sc->pad_h;
        const int32_t x0 = sc->ox * sc->stride_w - sc->pad_w;
        if (sc->in_place_rows && y0 >= 0 && y0 < sc->gm.in_h && x0 >= 0 && x0 + sc->gm.k_w <= sc->gm.in_w)
        {
            cols[i] = in_batch + ((size_t)y0 * sc->gm.in_w + (size_t)x0) * sc->gm.in_c;
        }
        else
        {
            int8_t *col = sc->col_buf + (size_t)i * sc->cols;
            conv_s8_gather(&sc->gm, in_batch, y0, x0, g, col);
            cols[i] = col;
        }
        if (++sc->ox == sc->out_w)
        {
            sc->ox = 0;
            if (++sc->oy == sc->out_h)
            {
                sc->oy = 0;
                sc->b++;
            }
        }
    }
    for (int32_t i = npx; i < CONV_S8_MVE_PX; i++)
    {
        cols[i] = cols[npx - 1];
    }
}

/* arm_nn_conv_s8_im2col on MVE: per group and chunk of output channels
 * their kernel sums, then blocks of up to three pixels, each gathered into
 * a column of the scratch (or read in place). */
static CONV_S8_NO_SLP arm_cmsis_nn_status conv_s8_mve_im2col(int8_t *col_buf,
                                                             const cmsis_nn_conv_params *conv_params,
                                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                                             const cmsis_nn_dims *input_dims,
                                                             const int8_t *input_data,
                                                             const cmsis_nn_dims *filter_dims,
                                                             const int8_t *filter_data,
                                                             const int32_t *bias_data,
                                                             const int32_t up_h,
                                                             const int32_t up_w,
                                                             const cmsis_nn_dims *output_dims,
                                                             int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t k_c = filter_dims->c;
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

    /* Columns that fit in the scratch the buffer-size functions of this
     * build promise: the im2col size, or for a one-row layer (which may have
     * come through arm_convolve_1_x_n_s8) the smaller of it and the 1xN one. */
    int32_t scratch = arm_nn_conv_s8_col_buffer_size_mve(input_dims, filter_dims);
    if (in_h == 1 && k_h == 1)
    {
        const int32_t row_scratch =
            arm_nn_conv_s8_1_x_n_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
        scratch = PCN_MIN(scratch, row_scratch);
    }
    const int32_t block = PCN_MAX(1, PCN_MIN(CONV_S8_MVE_PX, scratch / cols));
    const int32_t n_pixels = input_dims->n * output_dims->h * output_dims->w;

    conv_s8_mve_scan sc;
    sc.gm.in_h = in_h;
    sc.gm.in_w = in_w;
    sc.gm.in_c = in_c;
    sc.gm.real_w = (in_w + up_w - 1) / up_w;
    sc.gm.k_h = k_h;
    sc.gm.k_w = k_w;
    sc.gm.k_c = k_c;
    sc.gm.dil_h = conv_params->dilation.h;
    sc.gm.dil_w = conv_params->dilation.w;
    sc.gm.up_h = up_h;
    sc.gm.up_w = up_w;
    sc.gm.dense_rows = groups == 1 && sc.gm.dil_w == 1 && up_h == 1 && up_w == 1;
    sc.gm.hole = (int8_t)(-conv_params->input_offset);
    sc.gm.off2 = 0;
    sc.input = input_data;
    sc.col_buf = col_buf;
    sc.cols = cols;
    sc.batch_step = ((in_h + up_h - 1) / up_h) * sc.gm.real_w * in_c;
    sc.stride_h = conv_params->stride.h;
    sc.stride_w = conv_params->stride.w;
    sc.pad_h = conv_params->padding.h;
    sc.pad_w = conv_params->padding.w;
    sc.out_h = output_dims->h;
    sc.out_w = output_dims->w;
    /* A one-row filter window of an ungrouped, undilated, dense input that
     * lies wholly inside the input is contiguous there: used in place. */
    sc.in_place_rows = k_h == 1 && sc.gm.dense_rows;

    int32_t kbias[CONV_S8_MVE_OC_CHUNK];
    conv_s8_mve_req req;
    req.output_offset = conv_params->output_offset;
    req.act_min = conv_params->activation.min;
    req.act_max = conv_params->activation.max;
    req.out_stride = out_c;

    for (int32_t g = 0; g < groups; g++)
    {
        for (int32_t c0 = 0; c0 < out_per_group; c0 += CONV_S8_MVE_OC_CHUNK)
        {
            const int32_t oc0 = g * out_per_group + c0;
            const int32_t n_oc = PCN_MIN(CONV_S8_MVE_OC_CHUNK, out_per_group - c0);
            const int8_t *w = filter_data + (size_t)oc0 * cols;
            conv_s8_mve_kernel_sums(
                w, cols, n_oc, bias_data != NULL ? bias_data + oc0 : NULL, conv_params->input_offset, kbias);

            sc.b = 0;
            sc.oy = 0;
            sc.ox = 0;
            for (int32_t p = 0; p < n_pixels; p += block)
            {
                const int32_t npx = PCN_MIN(block, n_pixels - p);
                const int8_t *col_ptr[CONV_S8_MVE_PX];
                conv_s8_mve_columns(&sc, g, npx, col_ptr);
                conv_s8_mve_block(col_ptr,
                                  npx,
                                  cols,
                                  w,
                                  n_oc,
                                  kbias,
                                  quant_params->multiplier + oc0,
                                  quant_params->shift + oc0,
                                  &req,
                                  output_data + (size_t)p * out_c + oc0);
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
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
static CONV_S8_OUTLINE void conv_s8_block_wide(const int8_t *pair,
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
#if defined(ARM_MATH_MVEI)
    return conv_s8_mve_im2col(col_buf,
                              conv_params,
                              quant_params,
                              input_dims,
                              input_data,
                              filter_dims,
                              filter_data,
                              bias_data,
                              up_h,
                              up_w,
                              output_dims,
                              output_data);
#else
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

#if defined(PCN_HOST_S8)
    {
        const pcn_host_conv_s8 hc = {input_dims->n, in_h, in_w, in_c, real_h, real_w, up_h, up_w,
                                     k_h, k_w, k_c, groups, out_h, out_w, out_c, conv_params->stride.h,
                                     conv_params->stride.w, conv_params->padding.h, conv_params->padding.w,
                                     conv_params->dilation.h, conv_params->dilation.w, input_offset, output_offset,
                                     act_min, act_max, quant_params->multiplier, quant_params->shift, bias_data};
        if (pcn_host_s8_conv(&hc, input_data, filter_data, output_data))
        {
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    #if defined(ARM_MATH_DSP)
    /* Columns that fit in the scratch the buffer-size function of this
     * build promises. */
    const int32_t scratch = arm_nn_conv_s8_col_buffer_size(input_dims, filter_dims);
    const int32_t block = PCN_MAX(1, PCN_MIN(CONV_S8_BLOCK, scratch / cols));
    /* A one-row filter window of an ungrouped, undilated, dense input that
     * lies wholly inside the input is contiguous there: used in place. */
    const int in_place_rows = k_h == 1 && groups == 1 && dil_w == 1 && up_h == 1 && up_w == 1;
    const int32_t n_pixels = input_dims->n * out_h * out_w;
    /* With whole words of channels per tap, pixel pairs go through an
     * interleaved int16 column pair (4 * cols bytes, within the promise). */
    const int wide = k_c % 4 == 0 && block == 2;

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
    gm.off2 = pcn_dsp_offset_pair(input_offset);

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
            const int use_wide = wide && npx == 2;
            int32_t b = b0;
            int32_t oy = oy0;
            int32_t ox = ox0;
            for (int32_t i = 0; i < npx; i++)
            {
                const int8_t *in_batch = input_data + (size_t)b * real_h * real_w * in_c;
                const int32_t y0 = oy * stride_h - pad_h;
                const int32_t x0 = ox * stride_w - pad_w;
                if (use_wide)
                {
                    conv_s8_gather_wide(&gm, in_batch, y0, x0, g, col_buf, i);
                }
                else if (in_place_rows && y0 >= 0 && y0 < in_h && x0 >= 0 && x0 + k_w <= in_w)
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
            if (use_wide)
            {
                conv_s8_block_wide(col_buf, cols, w, out_per_group, &q, out + oc0, out_c);
                continue;
            }
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
#endif
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
#if defined(ARM_MATH_MVEI)
    (void)out_c;
    conv_s8_mve_pointwise(
        conv_params, quant_params, input_dims, input_data, filter_data, bias_data, output_dims, output_data);
#else
    const int32_t input_offset = conv_params->input_offset;
    const int32_t output_offset = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

#if defined(PCN_HOST_S8)
    {
        const pcn_host_conv_s8 hc = {input_dims->n, in_h, in_w, in_c, in_h, in_w, 1, 1, 1, 1, in_c, 1, out_h, out_w,
                                     out_c, stride_h, stride_w, 0, 0, 1, 1, input_offset, output_offset, act_min,
                                     act_max, quant_params->multiplier, quant_params->shift, bias_data};
        if (pcn_host_s8_conv(&hc, input_data, filter_data, output_data))
        {
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    #if defined(ARM_MATH_DSP)
    conv_s8_out q;
    q.bias = bias_data;
    q.multiplier = quant_params->multiplier;
    q.shift = quant_params->shift;
    q.input_offset = input_offset;
    q.output_offset = output_offset;
    q.act_min = act_min;
    q.act_max = act_max;

    /* rows of pixels stride_w apart, or one row of all pixels when they
     * are contiguous */
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
#endif
    return ARM_CMSIS_NN_SUCCESS;
}
