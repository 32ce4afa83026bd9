/*
 * pycmsisnn: host-only (never Cortex-M) paths of the s8 convolutions.
 *
 * Compiled only when __ARM_ARCH is undefined, on x86-64 with GCC or Clang,
 * and taken only when the CPU has AVX2 (checked at run time); anywhere else
 * the kernels keep their portable loops. Cross builds for Cortex-M never see
 * this code. The results are exactly those of the portable loops: the same
 * int32 sums (integer addition in another order, wrapping the same way) and
 * the same requantisation (arm_nn_requantize's arithmetic, lane by lane).
 *
 * - Convolution (im2col, 1xN and 1x1 kernels, any batch, groups, dilation,
 *   upscaling): each output pixel's receptive field becomes an int16 column
 *   with the input offset added (0 for taps in the padding, which is what
 *   the portable hole value -input_offset contributes), paired along the
 *   reduction axis; the weights of up to PCN_HOST_OC_MAX output channels are
 *   repacked per call into int16 pairs [K/2][channel]. Four pixels times
 *   sixteen channels then take one VPMADDWD per pair of taps and eight
 *   channels, accumulating in int32.
 * - Depthwise with channel multiplier 1 (any batch, stride, padding,
 *   dilation): every channel of one output pixel at once, tap by tap.
 * - Both requantise a whole row of channels per call (vectorised by GCC).
 * Scratch is on the stack (about 86 KB at most); layers beyond it
 * (reduction length above PCN_HOST_K_MAX, more than PCN_HOST_DW_C_MAX
 * depthwise channels) keep the portable loops.
 */
#ifndef PYCMSISNN_HOST_S8_H
#define PYCMSISNN_HOST_S8_H

#include <stdint.h>
#include <string.h>

#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"

#if !defined(__ARM_ARCH) && defined(__x86_64__) && defined(__GNUC__)
    #define PCN_HOST_S8 1
    #include <immintrin.h>

    #define PCN_HOST_K_MAX 2048 /* taps x channels of one output value */
    #define PCN_HOST_OC_MAX 128 /* output channels per weight repack, at most */
    #define PCN_HOST_WP 32768   /* int16 entries of the repacked weights */
    #define PCN_HOST_PX 4       /* pixels per block */
    #define PCN_HOST_DW_C_MAX 1024
    /* About 86 KB of stack for a convolution, 4 KB for a depthwise one. */

    #define PCN_HOST_FN static inline __attribute__((target("avx2"), optimize("O3")))
    /* For a portable loop that GCC vectorises well once allowed to: an AVX2
     * clone picked at load time where the CPU has it. */
    #define PCN_HOST_CLONES __attribute__((target_clones("avx2", "default"), optimize("O3")))

/* True when the host paths may run: the CPU has AVX2. */
static inline int pcn_host_s8_available(void)
{
    return __builtin_cpu_supports("avx2");
}

/* Geometry and quantisation of one convolution (see arm_nn_conv_s8_im2col:
 * in_h/in_w is the extent the filter slides over, real_h/real_w the real
 * input behind an upscaled one). */
typedef struct
{
    int32_t n, in_h, in_w, in_c, real_h, real_w, up_h, up_w;
    int32_t k_h, k_w, k_c, groups;
    int32_t out_h, out_w, out_c;
    int32_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w;
    int32_t input_offset, output_offset, act_min, act_max;
    const int32_t *multiplier;
    const int32_t *shift;
    const int32_t *bias; /* NULL: no bias */
} pcn_host_conv_s8;

/* Eight lanes of arm_nn_requantize_clamp_s8(a, multiplier, shift, ...),
 * the same steps: wrapping left shift, rounding doubling high multiply
 * (64-bit products), rounding right shift with ties away from zero, offset,
 * clamp. */
PCN_HOST_FN __m256i pcn_host_s8_requant8(const __m256i a,
                                         const __m256i mult,
                                         const __m256i shift,
                                         const __m256i out_offset,
                                         const __m256i act_min,
                                         const __m256i act_max)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i left = _mm256_max_epi32(shift, zero);
    const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
    const __m256i x = _mm256_sllv_epi32(a, left);
    const __m256i round = _mm256_set1_epi64x((int64_t)1 << 30);
    /* Signed 32 x 32 -> 64-bit products of the even lanes, then the odd. */
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, mult), round);
    const __m256i odd =
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32)), round);
    /* Bits 31..62 of each product: the high multiply's int32 result. */
    const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(_mm256_srli_epi64(odd, 31), 32), 0xAA);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
    const __m256i remainder = _mm256_and_si256(high, mask);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_cmpgt_epi32(zero, high));
    __m256i v = _mm256_sub_epi32(_mm256_srav_epi32(high, right), _mm256_cmpgt_epi32(remainder, threshold));
    v = _mm256_add_epi32(v, out_offset);
    v = _mm256_max_epi32(v, act_min);
    return _mm256_min_epi32(v, act_max);
}

/* out[i] = requantised (acc[i] + bias[i]), offset and clamped, i < n. */
PCN_HOST_FN void pcn_host_s8_requant_row(const int32_t *restrict acc,
                                         const int32_t *restrict bias,
                                         const int32_t *restrict multiplier,
                                         const int32_t *restrict shift,
                                         const int32_t n,
                                         const int32_t out_offset,
                                         const int32_t act_min,
                                         const int32_t act_max,
                                         int8_t *restrict out)
{
    const __m256i voff = _mm256_set1_epi32(out_offset);
    const __m256i vmin = _mm256_set1_epi32(act_min);
    const __m256i vmax = _mm256_set1_epi32(act_max);
    int32_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        __m256i a = _mm256_loadu_si256((const __m256i *)(acc + i));
        if (bias != NULL)
        {
            a = _mm256_add_epi32(a, _mm256_loadu_si256((const __m256i *)(bias + i)));
        }
        const __m256i v = pcn_host_s8_requant8(a,
                                               _mm256_loadu_si256((const __m256i *)(multiplier + i)),
                                               _mm256_loadu_si256((const __m256i *)(shift + i)),
                                               voff,
                                               vmin,
                                               vmax);
        /* Clamped to int8 already: saturating packs keep the values. */
        const __m128i w16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i *)(out + i), _mm_packs_epi16(w16, w16));
    }
    for (; i < n; i++)
    {
        const int32_t a = (int32_t)((uint32_t)acc[i] + (uint32_t)(bias != NULL ? bias[i] : 0));
        out[i] = arm_nn_requantize_clamp_s8(a, multiplier[i], shift[i], out_offset, act_min, act_max);
    }
}

/* acc[p][oc] = sum_j madd(col[p] pair j, wp[j][oc]) for PCN_HOST_PX pixel
 * columns of kp2 int16 pairs and ocp (a multiple of 16) channels. */
PCN_HOST_FN void pcn_host_s8_mm(const int16_t *const *cols,
                                const int32_t kp2,
                                const int16_t *wp,
                                const int32_t ocp,
                                int32_t *acc)
{
    for (int32_t oc = 0; oc < ocp; oc += 16)
    {
        __m256i a00 = _mm256_setzero_si256(), a01 = _mm256_setzero_si256();
        __m256i a10 = _mm256_setzero_si256(), a11 = _mm256_setzero_si256();
        __m256i a20 = _mm256_setzero_si256(), a21 = _mm256_setzero_si256();
        __m256i a30 = _mm256_setzero_si256(), a31 = _mm256_setzero_si256();
        const int16_t *w = wp + 2 * oc;
        for (int32_t j = 0; j < kp2; j++, w += 2 * ocp)
        {
            const __m256i w0 = _mm256_loadu_si256((const __m256i *)w);
            const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + 16));
            int32_t x[PCN_HOST_PX];
            memcpy(&x[0], cols[0] + 2 * j, 4);
            memcpy(&x[1], cols[1] + 2 * j, 4);
            memcpy(&x[2], cols[2] + 2 * j, 4);
            memcpy(&x[3], cols[3] + 2 * j, 4);
            const __m256i b0 = _mm256_set1_epi32(x[0]);
            const __m256i b1 = _mm256_set1_epi32(x[1]);
            const __m256i b2 = _mm256_set1_epi32(x[2]);
            const __m256i b3 = _mm256_set1_epi32(x[3]);
            a00 = _mm256_add_epi32(a00, _mm256_madd_epi16(b0, w0));
            a01 = _mm256_add_epi32(a01, _mm256_madd_epi16(b0, w1));
            a10 = _mm256_add_epi32(a10, _mm256_madd_epi16(b1, w0));
            a11 = _mm256_add_epi32(a11, _mm256_madd_epi16(b1, w1));
            a20 = _mm256_add_epi32(a20, _mm256_madd_epi16(b2, w0));
            a21 = _mm256_add_epi32(a21, _mm256_madd_epi16(b2, w1));
            a30 = _mm256_add_epi32(a30, _mm256_madd_epi16(b3, w0));
            a31 = _mm256_add_epi32(a31, _mm256_madd_epi16(b3, w1));
        }
        _mm256_storeu_si256((__m256i *)(acc + oc), a00);
        _mm256_storeu_si256((__m256i *)(acc + oc + 8), a01);
        _mm256_storeu_si256((__m256i *)(acc + ocp + oc), a10);
        _mm256_storeu_si256((__m256i *)(acc + ocp + oc + 8), a11);
        _mm256_storeu_si256((__m256i *)(acc + 2 * ocp + oc), a20);
        _mm256_storeu_si256((__m256i *)(acc + 2 * ocp + oc + 8), a21);
        _mm256_storeu_si256((__m256i *)(acc + 3 * ocp + oc), a30);
        _mm256_storeu_si256((__m256i *)(acc + 3 * ocp + oc + 8), a31);
    }
}

/* dst[i] = src[i] + offset as int16, i < n. */
PCN_HOST_FN void pcn_host_s8_widen(int16_t *restrict dst, const int8_t *restrict src, const int32_t n, const int16_t offset)
{
    const __m256i off = _mm256_set1_epi16(offset);
    int32_t i = 0;
    for (; i + 16 <= n; i += 16)
    {
        const __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(src + i)));
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_add_epi16(x, off));
    }
    for (; i < n; i++)
    {
        dst[i] = (int16_t)(src[i] + offset);
    }
}

/* The int16 column (offset added, 0 outside the input) of the output pixel
 * whose window starts at (y0, x0) in batch `in_batch`, group g; `len` is
 * the column length rounded up to even (the pad entry is 0). */
PCN_HOST_FN void pcn_host_s8_gather(const pcn_host_conv_s8 *c,
                                    const int8_t *in_batch,
                                    const int32_t y0,
                                    const int32_t x0,
                                    const int32_t g,
                                    const int32_t len,
                                    int16_t *col)
{
    const int32_t k_w = c->k_w;
    const int32_t k_c = c->k_c;
    const int16_t off = (int16_t)c->input_offset;
    int16_t *p = col;
    if (c->groups == 1 && c->dil_w == 1 && c->up_h == 1 && c->up_w == 1)
    {
        /* The taps [lo, hi) of a row are one run of the input row. */
        int32_t lo = -x0 > 0 ? -x0 : 0;
        lo = lo < k_w ? lo : k_w;
        int32_t hi = c->in_w - x0 < k_w ? c->in_w - x0 : k_w;
        hi = hi > lo ? hi : lo;
        for (int32_t ky = 0; ky < c->k_h; ky++, p += k_w * k_c)
        {
            const int32_t vy = y0 + ky * c->dil_h;
            if (vy < 0 || vy >= c->in_h)
            {
                memset(p, 0, (size_t)(k_w * k_c) * sizeof(int16_t));
                continue;
            }
            memset(p, 0, (size_t)(lo * k_c) * sizeof(int16_t));
            pcn_host_s8_widen(p + lo * k_c, in_batch + ((size_t)vy * c->in_w + (size_t)(x0 + lo)) * c->in_c, (hi - lo) * k_c, off);
            memset(p + hi * k_c, 0, (size_t)((k_w - hi) * k_c) * sizeof(int16_t));
        }
    }
    else
    {
        for (int32_t ky = 0; ky < c->k_h; ky++)
        {
            const int32_t vy = y0 + ky * c->dil_h;
            const int row_in = vy >= 0 && vy < c->in_h && vy % c->up_h == 0;
            for (int32_t kx = 0; kx < k_w; kx++, p += k_c)
            {
                const int32_t vx = x0 + kx * c->dil_w;
                if (row_in && vx >= 0 && vx < c->in_w && vx % c->up_w == 0)
                {
                    pcn_host_s8_widen(p,
                                      in_batch + ((size_t)(vy / c->up_h) * c->real_w + (size_t)(vx / c->up_w)) * c->in_c +
                                          (size_t)g * k_c,
                                      k_c,
                                      off);
                }
                else
                {
                    memset(p, 0, (size_t)k_c * sizeof(int16_t));
                }
            }
        }
    }
    if (p - col < len)
    {
        *p = 0;
    }
}

/* Repack the weights of channels [oc0, oc0 + n_oc) (rows of k int8) into
 * int16 pairs wp[j][oc][2] for ocp channels (zeros past n_oc and past k). */
PCN_HOST_FN void pcn_host_s8_pack(const int8_t *filter, const int32_t k, const int32_t n_oc, const int32_t ocp, int16_t *wp)
{
    const int32_t kp2 = (k + 1) / 2;
    memset(wp, 0, (size_t)kp2 * (size_t)ocp * 2 * sizeof(int16_t));
    for (int32_t oc = 0; oc < n_oc; oc++)
    {
        const int8_t *row = filter + (size_t)oc * k;
        for (int32_t i = 0; i < k; i++)
        {
            wp[((size_t)(i / 2) * ocp + oc) * 2 + (i % 2)] = row[i];
        }
    }
}

/* The whole convolution (the layer within PCN_HOST_K_MAX, see pcn_host_s8_conv). */
PCN_HOST_FN void pcn_host_s8_conv_run(const pcn_host_conv_s8 *c, const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t k = c->k_h * c->k_w * c->k_c;
    const int32_t kp2 = (k + 1) / 2;
    const int32_t opg = c->out_c / c->groups;
    /* Output channels per repack: what PCN_HOST_WP holds, a multiple of 16. */
    int32_t ocb = PCN_HOST_WP / (2 * kp2) / 16 * 16;
    ocb = ocb < PCN_HOST_OC_MAX ? ocb : PCN_HOST_OC_MAX;
    int16_t wp[PCN_HOST_WP] __attribute__((aligned(32)));
    int16_t colbuf[PCN_HOST_PX][PCN_HOST_K_MAX] __attribute__((aligned(32)));
    int32_t acc[PCN_HOST_PX * PCN_HOST_OC_MAX] __attribute__((aligned(32)));
    const int16_t *cols[PCN_HOST_PX];
    const int32_t n_pixels = c->n * c->out_h * c->out_w;
    const size_t in_batch_size = (size_t)c->real_h * c->real_w * c->in_c;

    for (int32_t g = 0; g < c->groups; g++)
    {
        for (int32_t oc_start = 0; oc_start < opg; oc_start += ocb)
        {
            const int32_t n_oc = opg - oc_start < ocb ? opg - oc_start : ocb;
            const int32_t ocp = (n_oc + 15) / 16 * 16;
            const int32_t oc0 = g * opg + oc_start;
            pcn_host_s8_pack(filter + (size_t)oc0 * k, k, n_oc, ocp, wp);
            int32_t b = 0, oy = 0, ox = 0;
            for (int32_t p = 0; p < n_pixels; p += PCN_HOST_PX)
            {
                const int32_t npx = n_pixels - p < PCN_HOST_PX ? n_pixels - p : PCN_HOST_PX;
                for (int32_t i = 0; i < PCN_HOST_PX; i++)
                {
                    if (i >= npx)
                    {
                        cols[i] = colbuf[0]; /* computed, not stored */
                        continue;
                    }
                    pcn_host_s8_gather(c,
                                       input + (size_t)b * in_batch_size,
                                       oy * c->stride_h - c->pad_h,
                                       ox * c->stride_w - c->pad_w,
                                       g,
                                       2 * kp2,
                                       colbuf[i]);
                    cols[i] = colbuf[i];
                    if (++ox == c->out_w)
                    {
                        ox = 0;
                        if (++oy == c->out_h)
                        {
                            oy = 0;
                            b++;
                        }
                    }
                }
                pcn_host_s8_mm(cols, kp2, wp, ocp, acc);
                for (int32_t i = 0; i < npx; i++)
                {
                    pcn_host_s8_requant_row(acc + i * ocp,
                                            c->bias != NULL ? c->bias + oc0 : NULL,
                                            c->multiplier + oc0,
                                            c->shift + oc0,
                                            n_oc,
                                            c->output_offset,
                                            c->act_min,
                                            c->act_max,
                                            output + (size_t)(p + i) * c->out_c + oc0);
                }
            }
        }
    }
}

/* The whole convolution; returns 0 (having written nothing) when the layer
 * is beyond the host path's scratch or the CPU lacks AVX2. */
static inline int pcn_host_s8_conv(const pcn_host_conv_s8 *c, const int8_t *input, const int8_t *filter, int8_t *output)
{
    const int32_t k = c->k_h * c->k_w * c->k_c;
    if (k > PCN_HOST_K_MAX || k < 1 || c->groups < 1 || c->out_c / c->groups < 1 || !pcn_host_s8_available())
    {
        return 0;
    }
    pcn_host_s8_conv_run(c, input, filter, output);
    return 1;
}

/* acc[ch] += sum over nine taps t of (x[t][ch] + offset) * w[t][ch], ch < n. */
PCN_HOST_FN void pcn_host_s8_dw9(int32_t *restrict acc,
                                 const int8_t *const *x,
                                 const int8_t *const *w,
                                 const int32_t n,
                                 const int16_t offset)
{
    const __m256i off = _mm256_set1_epi32(offset);
    int32_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        __m256i s = _mm256_loadu_si256((const __m256i *)(acc + i));
        for (int32_t t = 0; t < 9; t++)
        {
            int64_t xv, wv;
            memcpy(&xv, x[t] + i, 8);
            memcpy(&wv, w[t] + i, 8);
            const __m256i xi = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_cvtsi64_si128(xv)), off);
            const __m256i wi = _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(wv));
            s = _mm256_add_epi32(s, _mm256_mullo_epi32(xi, wi));
        }
        _mm256_storeu_si256((__m256i *)(acc + i), s);
    }
    for (; i < n; i++)
    {
        int32_t s = acc[i];
        for (int32_t t = 0; t < 9; t++)
        {
            s += (int32_t)(int16_t)(x[t][i] + offset) * (int32_t)w[t][i];
        }
        acc[i] = s;
    }
}

/* Zeros standing for the taps outside the input (weight and input alike:
 * 0 * (0 + offset) adds nothing). */
static const int8_t pcn_host_s8_zeros[PCN_HOST_DW_C_MAX] = {0};

/* Depthwise convolution with channel multiplier 1 (see pcn_host_s8_dw):
 * per output pixel, its taps nine at a time over every channel. */
PCN_HOST_FN void pcn_host_s8_dw_run(const cmsis_nn_dw_conv_params *p,
                                    const cmsis_nn_per_channel_quant_params *q,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter,
                                    const int32_t *bias,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output)
{
    const int32_t ch = input_dims->c;
    int32_t acc[PCN_HOST_DW_C_MAX] __attribute__((aligned(32)));
    const int8_t *xs[9];
    const int8_t *ws[9];
    const int32_t in_h = input_dims->h, in_w = input_dims->w;
    const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
    const int32_t taps = k_h * k_w;
    const int16_t off = (int16_t)p->input_offset;
    for (int32_t b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input + (size_t)b * in_h * in_w * ch;
        for (int32_t oy = 0; oy < output_dims->h; oy++)
        {
            const int32_t y0 = oy * p->stride.h - p->padding.h;
            for (int32_t ox = 0; ox < output_dims->w; ox++)
            {
                const int32_t x0 = ox * p->stride.w - p->padding.w;
                int32_t t = 0;
                memset(acc, 0, (size_t)ch * sizeof(int32_t));
                for (int32_t ky = 0; ky < k_h; ky++)
                {
                    const int32_t vy = y0 + ky * p->dilation.h;
                    for (int32_t kx = 0; kx < k_w; kx++)
                    {
                        const int32_t vx = x0 + kx * p->dilation.w;
                        if (vy >= 0 && vy < in_h && vx >= 0 && vx < in_w)
                        {
                            xs[t % 9] = in_batch + ((size_t)vy * in_w + (size_t)vx) * ch;
                            ws[t % 9] = filter + (size_t)(ky * k_w + kx) * ch;
                        }
                        else
                        {
                            xs[t % 9] = pcn_host_s8_zeros;
                            ws[t % 9] = pcn_host_s8_zeros;
                        }
                        if (++t % 9 == 0 || t == taps)
                        {
                            for (int32_t r = t % 9; r != 0 && r < 9; r++)
                            {
                                xs[r] = pcn_host_s8_zeros;
                                ws[r] = pcn_host_s8_zeros;
                            }
                            pcn_host_s8_dw9(acc, xs, ws, ch, off);
                        }
                    }
                }
                pcn_host_s8_requant_row(acc,
                                        bias,
                                        q->multiplier,
                                        q->shift,
                                        ch,
                                        p->output_offset,
                                        p->activation.min,
                                        p->activation.max,
                                        output);
                output += ch;
            }
        }
    }
}

/* Depthwise convolution with channel multiplier 1 (any batch, stride,
 * padding, dilation); returns 0 (having written nothing) when there are
 * more channels than PCN_HOST_DW_C_MAX or the CPU lacks AVX2. */
static inline int pcn_host_s8_dw(const cmsis_nn_dw_conv_params *p,
                                 const cmsis_nn_per_channel_quant_params *q,
                                 const cmsis_nn_dims *input_dims,
                                 const int8_t *input,
                                 const cmsis_nn_dims *filter_dims,
                                 const int8_t *filter,
                                 const int32_t *bias,
                                 const cmsis_nn_dims *output_dims,
                                 int8_t *output)
{
    const int32_t ch = input_dims->c;
    if (ch < 1 || ch > PCN_HOST_DW_C_MAX || output_dims->c != ch || p->ch_mult != 1 || filter_dims->h < 1 ||
        filter_dims->w < 1 || !pcn_host_s8_available())
    {
        return 0;
    }
    pcn_host_s8_dw_run(p, q, input_dims, input, filter_dims, filter, bias, output_dims, output);
    return 1;
}

#else
    #define PCN_HOST_CLONES
#endif /* host x86-64 */

#endif /* PYCMSISNN_HOST_S8_H */
