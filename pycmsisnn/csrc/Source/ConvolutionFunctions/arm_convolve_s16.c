/*
 * pycmsisnn: arm_convolve_s16, the 16x8 convolution (int16 activations, int8
 * weights), as TFLite Micro's reference ConvPerChannel computes it.
 *
 * Symmetric: the offsets of conv_params are not read. Not grouped: the filter
 * has input_dims->c channels (filter_dims->c and output_dims->n are not read,
 * as in CMSIS-NN, whose callers leave them unset). With an int64 bias (or none) each output
 * is accumulated in 64 bits and requantised once (multiplier reduced to 16
 * bits, one rounding shift); with an int32 bias (bias_data->is_int32_bias)
 * the accumulator is 32-bit and the requantisation TFLite's 32-bit double
 * rounding, as TFLite's kernel does for an int32 bias tensor.
 *
 * Code paths, all giving the same integers:
 * - MVE: im2col of three output pixels at a time into ctx->buf (three int16
 *   columns of KH * KW * C_IN entries, each rounded up to 8, interleaved by
 *   vectors of 8), two weight rows times the three columns per step
 *   (pcn_s16_mve_triple_3x2), the three outputs of a channel requantised as
 *   one vector (arm_nn_conv_s16_quick_vec) and scattered to their pixels.
 * - DSP: im2col of two pixels at a time into ctx->buf as an interleaved pair
 *   of columns (Internal/arm_nn_s16_simd.h), two weight rows times the two
 *   columns per step (pcn_s16_dsp_pair_2x2).
 *   Both need the scratch arm_convolve_s16_get_buffer_size gives (ARG_ERROR
 *   with a NULL ctx->buf) and sum in 32-bit chunks added in 64 bits; with
 *   one chunk and a layer where arm_nn_conv_s16_quick_ok holds, the outputs
 *   take the quick requantisation (one high-word multiply and a rounding
 *   shift, SMMULR on DSP cores).
 * - Portable C: direct loops, no scratch.
 */
#include "Internal/arm_nn_conv_s16.h"
#include "Internal/arm_nn_s16_simd.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

/* One output: the sum of products of output channel oc, plus its bias,
 * requantised and clamped. */
static int16_t conv_s16_output(const int64_t sum,
                               const void *bias,
                               const int is_int32_bias,
                               const int32_t oc,
                               const cmsis_nn_per_channel_quant_params *quant_params,
                               const int32_t act_min,
                               const int32_t act_max)
{
    if (is_int32_bias)
    {
        /* 32-bit accumulator and TFLite's 32-bit requantisation. */
        uint32_t acc32 = (uint32_t)sum;
        if (bias != NULL)
        {
            acc32 += (uint32_t)((const int32_t *)bias)[oc];
        }
        const int32_t v = arm_nn_requantize((int32_t)acc32, quant_params->multiplier[oc], quant_params->shift[oc]);
        return (int16_t)PCN_CLAMP(v, act_min, act_max);
    }
    const int64_t acc = bias != NULL ? sum + ((const int64_t *)bias)[oc] : sum;
    return arm_nn_conv_s16_requantize_s64(acc, quant_params->multiplier[oc], quant_params->shift[oc], act_min, act_max);
}

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

    #if defined(ARM_MATH_MVEI)
        #define CONV_S16_COLUMNS 3
        #define CONV_S16_SUMS 4 /* sums per weight row (a whole vector) */
    #else
        #define CONV_S16_COLUMNS 2
        #define CONV_S16_SUMS 2
    #endif

/* Entries j .. j + len - 1 of column col: from src, or zeros when src is NULL. */
static inline void conv_s16_put(
    int16_t *buf, const int32_t col, int32_t j, const int16_t *src, int32_t len, const int32_t patch)
{
    #if defined(ARM_MATH_MVEI)
    /* triple layout: entries 8g .. 8g + 7 of column col at buf[(3 * g + col) * 8] */
    (void)patch;
    const int16x8_t zero = vdupq_n_s16(0);
    if ((j & 7) == 0)
    {
        /* whole groups, one vector each */
        int16_t *dst = buf + ((j >> 3) * 3 + col) * 8;
        const int32_t groups = len >> 3;
        if (src != NULL)
        {
            for (int32_t g = 0; g < groups; g++, dst += 24, src += 8)
            {
                vstrhq_s16(dst, vldrhq_s16(src));
            }
        }
        else
        {
            for (int32_t g = 0; g < groups; g++, dst += 24)
            {
                vstrhq_s16(dst, zero);
            }
        }
        j += groups * 8;
        len -= groups * 8;
    }
    while (len > 0)
    {
        const int32_t in_group = j & 7;
        const int32_t n = PCN_MIN(len, 8 - in_group);
        const mve_pred16_t p = vctp16q((uint32_t)n);
        int16_t *dst = buf + ((j >> 3) * 3 + col) * 8 + in_group;
        if (src != NULL)
        {
            vstrhq_p_s16(dst, vldrhq_z_s16(src, p), p);
            src += n;
        }
        else
        {
            vstrhq_p_s16(dst, zero, p);
        }
        j += n;
        len -= n;
    }
    #else
    const int32_t whole = patch & ~3;
    while (len > 0)
    {
        if ((j & 3) == 0 && len >= 4 && j < whole)
        {
            /* a whole group of 4: (x0, x2), (x1, x3) */
            int16_t *dst = buf + j * 2 + col * 4;
            int32_t even = 0;
            int32_t odd = 0;
            if (src != NULL)
            {
                const int32_t lo = pcn_s16_read_word(src);
                const int32_t hi = pcn_s16_read_word(src + 2);
                even = pcn_s16_pack_lo(lo, hi);
                odd = pcn_s16_pack_hi(lo, hi);
                src += 4;
            }
            pcn_s16_write_word(dst, even);
            pcn_s16_write_word(dst + 2, odd);
            j += 4;
            len -= 4;
        }
        else
        {
            buf[pcn_s16_pair_index(col, j, patch)] = src != NULL ? *src++ : 0;
            j++;
            len--;
        }
    }
    #endif
}

/* The im2col column col of output pixel (oy, ox) of the image `in`. */
static void conv_s16_column(int16_t *buf,
                            const int32_t col,
                            const int16_t *in,
                            const cmsis_nn_conv_params *conv_params,
                            const cmsis_nn_dims *input_dims,
                            const cmsis_nn_dims *filter_dims,
                            const int32_t oy,
                            const int32_t ox)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_ch = input_dims->c;
    const int32_t k_w = filter_dims->w;
    const int32_t dil_x = conv_params->dilation.w;
    const int32_t patch = arm_nn_conv_s16_patch(input_dims, filter_dims);
    const int32_t base_y = oy * conv_params->stride.h - conv_params->padding.h;
    const int32_t base_x = ox * conv_params->stride.w - conv_params->padding.w;
    const int32_t row_len = k_w * in_ch;
    /* the taps of a row inside the image (without dilation: one contiguous run) */
    const int32_t kx0 = PCN_MIN(PCN_MAX(-base_x, 0), k_w);
    const int32_t kx1 = PCN_MAX(PCN_MIN(in_w - base_x, k_w), kx0);
    int32_t j = 0;
    for (int32_t ky = 0; ky < filter_dims->h; ky++, j += row_len)
    {
        const int32_t y = base_y + ky * conv_params->dilation.h;
        if (y < 0 || y >= in_h)
        {
            conv_s16_put(buf, col, j, NULL, row_len, patch);
            continue;
        }
        const int16_t *row = in + (size_t)y * in_w * in_ch;
        if (dil_x == 1)
        {
            if (kx0 > 0)
            {
                conv_s16_put(buf, col, j, NULL, kx0 * in_ch, patch);
            }
            conv_s16_put(buf, col, j + kx0 * in_ch, row + (base_x + kx0) * in_ch, (kx1 - kx0) * in_ch, patch);
            if (kx1 < k_w)
            {
                conv_s16_put(buf, col, j + kx1 * in_ch, NULL, (k_w - kx1) * in_ch, patch);
            }
            continue;
        }
        for (int32_t kx = 0; kx < k_w; kx++)
        {
            const int32_t x = base_x + kx * dil_x;
            const int16_t *src = (x < 0 || x >= in_w) ? NULL : row + x * in_ch;
            conv_s16_put(buf, col, j + kx * in_ch, src, in_ch, patch);
        }
    }
}

    #if defined(ARM_MATH_MVEI)
/* s[r * 4 + k] = column k . weight row r (k < 3) of the two rows at w (one
 * when rows is 1); 32-bit sums (patch <= PCN_S16_CHUNK). */
static inline void conv_s16_dot(const int16_t *buf, const int8_t *w, const int32_t patch, const int32_t rows, int32_t *s)
{
    if (rows == 2)
    {
        pcn_s16_mve_triple_3x2(buf, w, patch, patch, s);
    }
    else
    {
        pcn_s16_mve_triple_3x1(buf, w, patch, s);
    }
}
    #else
/* s[r * 2 + k] = column k . weight row r of the two rows at w (one when
 * rows is 1); 32-bit sums (patch <= PCN_S16_CHUNK). */
static inline void conv_s16_dot(const int16_t *buf, const int8_t *w, const int32_t patch, const int32_t rows, int32_t *s)
{
    const int32_t whole = patch & ~3;
    const int32_t tail = patch - whole;
    if (rows == 2)
    {
        int32_t t[4];
        pcn_s16_dsp_pair_2x2(buf, w, patch, whole, t);
        s[0] = t[0];
        s[1] = t[2];
        s[2] = t[1];
        s[3] = t[3];
    }
    else
    {
        pcn_s16_dsp_pair_2x1(buf, w, whole, s);
    }
    if (tail != 0)
    {
        const int16_t *x = buf + whole * 2;
        for (int32_t r = 0; r < rows; r++)
        {
            const int8_t *wt = w + r * patch + whole;
            for (int32_t k = 0; k < tail; k++)
            {
                s[r * 2] += x[k] * wt[k];
                s[r * 2 + 1] += x[tail + k] * wt[k];
            }
        }
    }
}
    #endif

/* The same sums as conv_s16_dot for any patch: chunks of PCN_S16_CHUNK
 * entries (multiples of 8) added in 64 bits. */
static void conv_s16_dot_long(const int16_t *buf, const int8_t *w, const int32_t patch, const int32_t rows, int64_t *s)
{
    int32_t k;
    for (k = 0; k < CONV_S16_SUMS * 2; k++)
    {
        s[k] = 0;
    }
    #if defined(ARM_MATH_MVEI)
    for (int32_t start = 0; start < patch; start += PCN_S16_CHUNK)
    {
        const int32_t n = PCN_MIN(PCN_S16_CHUNK, patch - start);
        int32_t t[8];
        /* start is a multiple of 8: group start / 8 of the triple */
        if (rows == 2)
        {
            pcn_s16_mve_triple_3x2(buf + start * 3, w + start, patch, n, t);
        }
        else
        {
            pcn_s16_mve_triple_3x1(buf + start * 3, w + start, n, t);
        }
        for (k = 0; k < rows * 4; k++)
        {
            s[k] += t[k];
        }
    }
    #else
    const int32_t whole = patch & ~3;
    for (int32_t start = 0; start < whole; start += PCN_S16_CHUNK)
    {
        const int32_t n = PCN_MIN(PCN_S16_CHUNK, whole - start);
        int32_t t[4];
        if (rows == 2)
        {
            pcn_s16_dsp_pair_2x2(buf + start * 2, w + start, patch, n, t);
            s[0] += t[0];
            s[1] += t[2];
            s[2] += t[1];
            s[3] += t[3];
        }
        else
        {
            pcn_s16_dsp_pair_2x1(buf + start * 2, w + start, n, t);
            s[0] += t[0];
            s[1] += t[1];
        }
    }
    const int32_t tail = patch - whole;
    const int16_t *x = buf + whole * 2;
    for (int32_t r = 0; r < rows; r++)
    {
        const int8_t *wt = w + r * patch + whole;
        for (k = 0; k < tail; k++)
        {
            s[r * 2] += x[k] * wt[k];
            s[r * 2 + 1] += x[tail + k] * wt[k];
        }
    }
    #endif
}

/* Every output channel of one block of columns (cols of them valid) into
 * out (pixel-major, out_ch apart): 32-bit sums (patch <= PCN_S16_CHUNK), two
 * weight rows at a time, the quick requantisation (arm_nn_conv_s16_quick_ok
 * holds). */
static void conv_s16_block_quick(const int16_t *buf,
                                 const int8_t *w,
                                 const int32_t patch,
                                 const int32_t out_ch,
                                 const cmsis_nn_per_channel_quant_params *quant_params,
                                 const int64_t *bias,
                                 const int32_t act_min,
                                 const int32_t act_max,
                                 const int32_t cols,
                                 int16_t *out)
{
    #if defined(ARM_MATH_MVEI)
    /* column k's output at out + k * out_ch: a narrowing scatter store of
     * the valid lanes (the fourth lane is never stored) */
    const uint32x4_t offsets = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)out_ch);
    const mve_pred16_t valid = vctp32q((uint32_t)cols);
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);
    #endif
    for (int32_t oc = 0; oc < out_ch;)
    {
        const int32_t rows = PCN_MIN(2, out_ch - oc);
        int32_t s[CONV_S16_SUMS * 2];
        conv_s16_dot(buf, w, patch, rows, s);
        for (int32_t r = 0; r < rows; r++)
        {
            const int32_t c = oc + r;
            const int32_t bc = bias != NULL ? (int32_t)bias[c] : 0;
    #if defined(ARM_MATH_MVEI)
            const int32x4_t a = vaddq_n_s32(vldrwq_s32(s + r * 4), bc);
            const int32x4_t v = arm_nn_conv_s16_quick_vec(a,
                                                          vdupq_n_s32(arm_nn_conv_s16_quick_mult(quant_params->multiplier[c])),
                                                          vdupq_n_s32(1 + quant_params->shift[c]),
                                                          vmin,
                                                          vmax);
            vstrhq_scatter_shifted_offset_p_s32(out + c, offsets, v, valid);
    #else
            const arm_nn_conv_s16_quick_t q =
                arm_nn_conv_s16_quick_channel(quant_params->multiplier[c], quant_params->shift[c]);
            out[c] = arm_nn_conv_s16_quick_clamp(s[r * 2] + bc, q, act_min, act_max);
            if (cols > 1)
            {
                out[out_ch + c] = arm_nn_conv_s16_quick_clamp(s[r * 2 + 1] + bc, q, act_min, act_max);
            }
    #endif
        }
        oc += rows;
        w += (size_t)rows * patch;
    }
}

static void conv_s16_fast(int16_t *buf,
                          const cmsis_nn_conv_params *conv_params,
                          const cmsis_nn_per_channel_quant_params *quant_params,
                          const cmsis_nn_dims *input_dims,
                          const int16_t *input_data,
                          const cmsis_nn_dims *filter_dims,
                          const int8_t *filter_data,
                          const void *bias,
                          const int is_int32_bias,
                          const cmsis_nn_dims *output_dims,
                          int16_t *output_data)
{
    const int32_t patch = arm_nn_conv_s16_patch(input_dims, filter_dims);
    const int32_t out_hw = output_dims->h * output_dims->w;
    const int32_t pixels = input_dims->n * out_hw;
    const int32_t out_ch = output_dims->c;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    const size_t image = (size_t)input_dims->h * input_dims->w * input_dims->c;
    /* 32-bit sums and the int64 requantisation inline: the common case */
    const int quick = patch <= PCN_S16_CHUNK && !is_int32_bias;
    const int64_t *bias64 = (const int64_t *)bias;
    /* ... and the quick requantisation (nearly always) */
    const int fast_rq = quick && arm_nn_conv_s16_quick_ok(quant_params->shift, out_ch, bias64, out_ch, patch);

    for (int32_t p = 0; p < pixels; p += CONV_S16_COLUMNS)
    {
        const int32_t cols = PCN_MIN(CONV_S16_COLUMNS, pixels - p);
        for (int32_t col = 0; col < CONV_S16_COLUMNS; col++)
        {
            /* missing pixels of the last block repeat its first one */
            const int32_t pix = p + (col < cols ? col : 0);
            const int32_t b = pix / out_hw;
            const int32_t yx = pix - b * out_hw;
            conv_s16_column(buf,
                            col,
                            input_data + (size_t)b * image,
                            conv_params,
                            input_dims,
                            filter_dims,
                            yx / output_dims->w,
                            yx % output_dims->w);
        }
        int16_t *out = output_data + (size_t)p * out_ch;
        if (fast_rq)
        {
            conv_s16_block_quick(buf, filter_data, patch, out_ch, quant_params, bias64, act_min, act_max, cols, out);
            continue;
        }
        const int8_t *w = filter_data;
        for (int32_t oc = 0; oc < out_ch;)
        {
            const int32_t rows = PCN_MIN(2, out_ch - oc);
            if (quick)
            {
                int32_t s[CONV_S16_SUMS * 2];
                conv_s16_dot(buf, w, patch, rows, s);
                for (int32_t r = 0; r < rows; r++)
                {
                    const int32_t c = oc + r;
                    const int64_t bc = bias64 != NULL ? bias64[c] : 0;
                    const int32_t reduced = arm_nn_conv_s16_reduce_multiplier(quant_params->multiplier[c]);
                    const int32_t total_shift = 15 - quant_params->shift[c];
                    for (int32_t col = 0; col < cols; col++)
                    {
                        out[(size_t)col * out_ch + c] = arm_nn_conv_s16_requantize_reduced(
                            s[r * CONV_S16_SUMS + col] + bc, reduced, total_shift, act_min, act_max);
                    }
                }
            }
            else
            {
                int64_t s[CONV_S16_SUMS * 2];
                conv_s16_dot_long(buf, w, patch, rows, s);
                for (int32_t r = 0; r < rows; r++)
                {
                    for (int32_t col = 0; col < cols; col++)
                    {
                        out[(size_t)col * out_ch + oc + r] = conv_s16_output(
                            s[r * CONV_S16_SUMS + col], bias, is_int32_bias, oc + r, quant_params, act_min, act_max);
                    }
                }
            }
            oc += rows;
            w += (size_t)rows * patch;
        }
    }
}

#endif /* ARM_MATH_MVEI || ARM_MATH_DSP */

arm_cmsis_nn_status arm_convolve_s16(const cmsis_nn_context *ctx,
                                     const cmsis_nn_conv_params *conv_params,
                                     const cmsis_nn_per_channel_quant_params *quant_params,
                                     const cmsis_nn_dims *input_dims,
                                     const int16_t *input_data,
                                     const cmsis_nn_dims *filter_dims,
                                     const int8_t *filter_data,
                                     const cmsis_nn_dims *bias_dims,
                                     const cmsis_nn_bias_data *bias_data,
                                     const cmsis_nn_dims *output_dims,
                                     int16_t *output_data)
{
    (void)bias_dims;
    if (conv_params == NULL || quant_params == NULL || quant_params->multiplier == NULL ||
        quant_params->shift == NULL || input_dims == NULL || input_data == NULL || filter_dims == NULL ||
        filter_data == NULL || output_dims == NULL || output_data == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_ch = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_ch = output_dims->c;
    const int32_t stride_x = conv_params->stride.w;
    const int32_t stride_y = conv_params->stride.h;
    const int32_t pad_x = conv_params->padding.w;
    const int32_t pad_y = conv_params->padding.h;
    const int32_t dil_x = conv_params->dilation.w;
    const int32_t dil_y = conv_params->dilation.h;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;

    if (batches < 1 || in_h < 1 || in_w < 1 || in_ch < 1 || k_h < 1 || k_w < 1 || out_h < 1 ||
        out_w < 1 || out_ch < 1 || stride_x < 1 || stride_y < 1 || dil_x < 1 || dil_y < 1 || pad_x < 0 ||
        pad_y < 0 || act_min > act_max)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if !defined(ARM_MATH_MVEI) && !defined(ARM_MATH_DSP)
    (void)ctx;
#endif
    const void *bias = bias_data != NULL ? bias_data->data : NULL;
    const int is_int32_bias = bias_data != NULL && bias_data->is_int32_bias;

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (ctx == NULL || ctx->buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    conv_s16_fast((int16_t *)ctx->buf,
                  conv_params,
                  quant_params,
                  input_dims,
                  input_data,
                  filter_dims,
                  filter_data,
                  bias,
                  is_int32_bias,
                  output_dims,
                  output_data);
    return ARM_CMSIS_NN_SUCCESS;
#else
    int32_t b, oy, ox, oc, ky, kx, ic;

    for (b = 0; b < batches; b++)
    {
        const int16_t *in_batch = input_data + (size_t)b * in_h * in_w * in_ch;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * stride_y - pad_y;
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * stride_x - pad_x;
                int16_t *out = output_data + (((size_t)b * out_h + oy) * out_w + ox) * out_ch;
                for (oc = 0; oc < out_ch; oc++)
                {
                    const int8_t *w_oc = filter_data + (size_t)oc * k_h * k_w * in_ch;
                    int64_t acc = 0;
                    for (ky = 0; ky < k_h; ky++)
                    {
                        const int32_t y = base_y + ky * dil_y;
                        if (y < 0 || y >= in_h)
                        {
                            continue;
                        }
                        for (kx = 0; kx < k_w; kx++)
                        {
                            const int32_t x = base_x + kx * dil_x;
                            if (x < 0 || x >= in_w)
                            {
                                continue;
                            }
                            const int16_t *pix = in_batch + ((size_t)y * in_w + x) * in_ch;
                            const int8_t *taps = w_oc + ((size_t)ky * k_w + kx) * in_ch;
                            for (ic = 0; ic < in_ch; ic++)
                            {
                                acc += (int32_t)pix[ic] * (int32_t)taps[ic];
                            }
                        }
                    }
                    out[oc] = conv_s16_output(acc, bias, is_int32_bias, oc, quant_params, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
#endif
}
