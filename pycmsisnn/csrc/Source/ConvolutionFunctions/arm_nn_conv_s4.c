/*
 * pycmsisnn: the s4 convolution core with its DSP and MVE paths
 * (Internal/arm_nn_s4.h, arm_nn_conv_s4).
 *
 * Output pixels go in blocks (two on DSP, four on MVE), each with the column
 * of its receptive field: a pointer into the input when the field is one run
 * of it (a single filter row, x inside the input, no x dilation: every 1x1
 * layer without padding), else a copy gathered into the scratch with the
 * padding written as -input_offset (so that x + input_offset is 0 there, the
 * value the portable kernel's skipped taps contribute). Every output channel
 * of the block is then one run of the weight rows over the column
 * (Internal/arm_nn_s4_simd.h); each row is one run of the packed stream,
 * rows of channel c starting at nibble c * KH * KW * C_IN. DSP blocks pair
 * channels whose rows start with the same nibble parity: c and c + 1 when
 * rows have an even length, else c and c + 2.
 *
 * Where the scratch has room, gathered columns are "padded": one pad entry
 * before the field (and, on DSP, pads up to a whole number of 8-entry
 * groups after it). A row starting mid-byte then runs from its byte's low
 * nibble (the previous row's last weight, multiplied by the pad's zero) and
 * every row covers whole groups (DSP; pairs whose groups would read past
 * the filter's last byte take the general path), so no weight is peeled and
 * no tail is scalar. Every column is then gathered, even one that is a run
 * of the input.
 *
 * Portable builds, and layers the blocks cannot take (a field to gather and
 * no scratch, rows longer than PCN_S4_SIMD_MAX_N), run arm_nn_conv_s4_direct.
 */
#include "Internal/arm_nn_s4.h"
#include "Internal/arm_nn_s4_simd.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

    #if defined(ARM_MATH_MVEI)
        #define PCN_S4_NPX 4
    #else
        #define PCN_S4_NPX 2
    #endif

/* What the blocks need to know about the layer. */
typedef struct
{
    const int8_t *input;
    int32_t in_h, in_w, in_c;
    int32_t k_h, k_w;
    int32_t out_h, out_w, out_c;
    int32_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w;
    int32_t len; /* KH * KW * C_IN */
    int32_t input_offset, output_offset, act_min, act_max;
    const int32_t *bias;
    const int32_t *multiplier;
    const int32_t *shift;
    const int8_t *filter;
    int32_t slot;   /* bytes per gathered column */
    int32_t padded; /* columns gathered with a pad entry before and pads after */
    int32_t groups_even, groups_odd; /* DSP: 8-entry groups of a row starting on a byte / mid-byte */
    int32_t filter_bytes;
} conv_s4_layer;

/* The gather copies runs of a few bytes: inline loops, which gcc must not
 * turn back into calls of memcpy and memset (more instructions than the
 * copies on such runs). */
    #if defined(__GNUC__) && !defined(__clang__)
        #define PCN_S4_GATHER __attribute__((optimize("no-tree-loop-distribute-patterns")))
    #else
        #define PCN_S4_GATHER
    #endif

/* Copy n int8 values from src to dst (no overlap), a word or a vector at a
 * time. */
static inline PCN_S4_GATHER void conv_s4_copy(int8_t *dst, const int8_t *src, int32_t n)
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
        const int32_t w = pcn_read_s8x4(src);
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

/* Fill n int8 entries of dst with v. */
static inline PCN_S4_GATHER void conv_s4_fill(int8_t *dst, const int8_t v, int32_t n)
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

/* The column of output pixel p (batch-major): a pointer into the input when
 * the field is one run of it, else gathered into slot (NULL: none, the
 * caller made sure every field is a run). */
static PCN_S4_GATHER const int8_t *conv_s4_column(const conv_s4_layer *l, const int32_t p, int8_t *slot)
{
    const int32_t plane = l->out_h * l->out_w;
    const int32_t b = p / plane;
    const int32_t oy = (p - b * plane) / l->out_w;
    const int32_t ox = p - b * plane - oy * l->out_w;
    const int32_t y0 = oy * l->stride_h - l->pad_h;
    const int32_t x0 = ox * l->stride_w - l->pad_w;
    const int8_t *in_batch = l->input + (size_t)b * l->in_h * l->in_w * l->in_c;
    const int32_t run = l->k_w * l->in_c;

    if (!l->padded && l->k_h == 1 && y0 >= 0 && y0 < l->in_h && (l->dil_w == 1 || l->k_w == 1) && x0 >= 0 &&
        x0 + l->k_w <= l->in_w)
    {
        return in_batch + ((size_t)y0 * l->in_w + (size_t)x0) * l->in_c;
    }
    if (slot == NULL)
    {
        return NULL;
    }
    const int8_t pad = (int8_t)(-l->input_offset);
    if (l->padded)
    {
        /* [pad, field, pads to the end of the slot] */
        conv_s4_fill(slot, pad, 1);
        conv_s4_fill(slot + 1 + l->len, pad, l->slot - 1 - l->len);
        slot++;
    }
    int8_t *d = slot;
    if ((l->dil_w == 1 || l->k_w == 1) && x0 >= 0 && x0 + l->k_w <= l->in_w)
    {
        /* Every row of the window inside the input's width: one run each. */
        const int8_t *src = in_batch + (size_t)x0 * l->in_c;
        const int32_t row_step = l->in_w * l->in_c;
        for (int32_t ky = 0, iy = y0; ky < l->k_h; ky++, d += run, iy += l->dil_h)
        {
            if (iy < 0 || iy >= l->in_h)
            {
                conv_s4_fill(d, pad, run);
            }
            else
            {
                conv_s4_copy(d, src + iy * row_step, run);
            }
        }
        return slot;
    }
    for (int32_t ky = 0; ky < l->k_h; ky++, d += run)
    {
        const int32_t iy = y0 + ky * l->dil_h;
        if (iy < 0 || iy >= l->in_h)
        {
            conv_s4_fill(d, pad, run);
            continue;
        }
        const int8_t *row = in_batch + (size_t)iy * l->in_w * l->in_c;
        if (l->dil_w == 1)
        {
            const int32_t lo = x0 < 0 ? (-x0 < l->k_w ? -x0 : l->k_w) : 0;
            int32_t hi = l->in_w - x0;
            hi = hi < lo ? lo : (hi > l->k_w ? l->k_w : hi);
            conv_s4_fill(d, pad, lo * l->in_c);
            conv_s4_copy(d + lo * l->in_c, row + (x0 + lo) * l->in_c, (hi - lo) * l->in_c);
            conv_s4_fill(d + hi * l->in_c, pad, (l->k_w - hi) * l->in_c);
            continue;
        }
        for (int32_t kx = 0; kx < l->k_w; kx++)
        {
            const int32_t ix = x0 + kx * l->dil_w;
            if (ix < 0 || ix >= l->in_w)
            {
                conv_s4_fill(d + kx * l->in_c, pad, l->in_c);
            }
            else
            {
                conv_s4_copy(d + kx * l->in_c, row + ix * l->in_c, l->in_c);
            }
        }
    }
    return slot;
}

/* Requantised, offset and clamped output of channel c. */
static inline int8_t conv_s4_out(const conv_s4_layer *l, const int32_t c, const int32_t acc)
{
    #if defined(ARM_MATH_DSP) && !defined(ARM_MATH_MVEI)
    return pcn_dsp_out_s8(
    pcn_dsp_requantize_1(acc, l->multiplier[c], l->shift[c]), l->output_offset, l->act_min, l->act_max);
    #else
    return arm_nn_requantize_clamp_s8(
    acc, l->multiplier[c], l->shift[c], l->output_offset, l->act_min, l->act_max);
    #endif
}

    #if defined(ARM_MATH_MVEI)

/* Requantise, offset, clamp and store (predicate p, byte offsets where)
 * the sums v of channel c. */
static inline void
conv_s4_mve_store(const conv_s4_layer *l, const int32_t c, int32x4_t v, const uint32x4_t where, const mve_pred16_t p, int8_t *out)
{
    if (l->bias != NULL)
    {
        v = vaddq_n_s32(v, l->bias[c]);
    }
    v = pcn_mve_requantize_n(v, l->multiplier[c], l->shift[c]);
    v = vaddq_n_s32(v, l->output_offset);
    v = vmaxq_s32(v, vdupq_n_s32(l->act_min));
    v = vminq_s32(v, vdupq_n_s32(l->act_max));
    vstrbq_scatter_offset_p_s32(out + c, where, v, p);
}

/* Every output channel of np (1..4) pixels with columns cols[0..np) whose
 * outputs start at out (pixel i at out + i * out_c). Rows of even length all
 * start on a byte: one plain loop. Over padded columns, a row starting
 * mid-byte goes from its byte's low nibble (the previous row's last weight)
 * against the pad before the column; else its first weight is peeled. */
static __attribute__((noinline)) void conv_s4_block(const conv_s4_layer *l, const int8_t **cols, const int32_t np, int8_t *out)
{
    const int32_t out_c = l->out_c;
    const int32_t len = l->len;
    const int32_t off = l->input_offset;
    const int8_t *a[4];
    for (int32_t i = 0; i < 4; i++)
    {
        a[i] = cols[i < np ? i : np - 1];
    }
    const mve_pred16_t p = vctp32q((uint32_t)np);
    const uint32x4_t where = vmulq_n_u32(vidupq_n_u32(0, 1), (uint32_t)out_c);
    if ((len & 1) == 0)
    {
        const int8_t *a0 = a[0];
        const int8_t *a1 = a[1];
        const int8_t *a2 = a[2];
        const int8_t *a3 = a[3];
        const int8_t *w = l->filter;
        for (int32_t c = 0; c < out_c; c++, w += len >> 1)
        {
            conv_s4_mve_store(l, c, pcn_s4_mve_sums_4x1(a0, a1, a2, a3, w, len, off), where, p, out);
        }
        return;
    }
    if (l->padded)
    {
        for (int32_t c = 0; c < out_c; c++)
        {
            const int32_t first = c * len;
            const int32_t odd = first & 1;
            const int32x4_t v =
            pcn_s4_mve_sums_4x1(a[0] - odd, a[1] - odd, a[2] - odd, a[3] - odd, l->filter + (first >> 1), len + odd, off);
            conv_s4_mve_store(l, c, v, where, p, out);
        }
        return;
    }
    for (int32_t c = 0; c < out_c; c++)
    {
        conv_s4_mve_store(l, c, pcn_s4_mve_run_4x1(a, l->filter, c * len, len, off), where, p, out);
    }
}

    #else

/* Channels c0, c1 (rows of the same start parity) of np (1 or 2) pixels. */
static inline void
conv_s4_pair(const conv_s4_layer *l, const int8_t **cols, const int32_t np, const int32_t c0, const int32_t c1, int8_t *out)
{
    const int32_t b0 = l->bias != NULL ? l->bias[c0] : 0;
    const int32_t b1 = l->bias != NULL ? l->bias[c1] : 0;
    if (np == 2)
    {
        int32_t s[4] = {b0, b1, b0, b1};
        pcn_s4_dsp_run_2x2(cols[0], cols[1], l->filter, c0 * l->len, c1 * l->len, l->len, l->input_offset, s);
        out[c0] = conv_s4_out(l, c0, s[0]);
        out[c1] = conv_s4_out(l, c1, s[1]);
        out[l->out_c + c0] = conv_s4_out(l, c0, s[2]);
        out[l->out_c + c1] = conv_s4_out(l, c1, s[3]);
    }
    else
    {
        int32_t s[2] = {b0, b1};
        pcn_s4_dsp_run_1x2(cols[0], l->filter, c0 * l->len, c1 * l->len, l->len, l->input_offset, s);
        out[c0] = conv_s4_out(l, c0, s[0]);
        out[c1] = conv_s4_out(l, c1, s[1]);
    }
}

/* Channels c0, c1 (rows of the same start parity) of two pixels whose columns
 * x0, x0 + a_step cover whole 8-entry groups (K a multiple of 8, or padded
 * columns: x[-1] and the entries after the field are pads), when the groups
 * read no byte past the filter; 0 otherwise (nothing written). */
static inline int conv_s4_pair_groups(
const conv_s4_layer *l, const int8_t *x0, const int32_t a_step, const int32_t c0, const int32_t c1, int8_t *out)
{
    const int32_t first0 = c0 * l->len;
    const int32_t odd = first0 & 1;
    const int32_t groups = odd ? l->groups_odd : l->groups_even;
    const int32_t byte0 = first0 >> 1;
    const int32_t byte1 = (c1 * l->len) >> 1;
    if ((byte0 > byte1 ? byte0 : byte1) + 4 * groups > l->filter_bytes)
    {
        return 0;
    }
    int32_t s[4];
    pcn_s4_dsp_core_2x2(
    x0 - odd, a_step, l->filter + byte0, byte1 - byte0, groups, pcn_dsp_offset_pair(l->input_offset), s);
    const int32_t b0 = l->bias != NULL ? l->bias[c0] : 0;
    const int32_t b1 = l->bias != NULL ? l->bias[c1] : 0;
    int32_t v00 = b0 + (s[0] >> 4);
    int32_t v10 = b0 + (s[2] >> 4);
    int32_t v01 = b1 + (s[1] >> 4);
    int32_t v11 = b1 + (s[3] >> 4);
    pcn_dsp_requantize_2(&v00, &v10, l->multiplier[c0], l->shift[c0]);
    pcn_dsp_requantize_2(&v01, &v11, l->multiplier[c1], l->shift[c1]);
    const int32_t out_off = l->output_offset;
    const int32_t lo = l->act_min;
    const int32_t hi = l->act_max;
    out[c0] = pcn_dsp_out_s8(v00, out_off, lo, hi);
    out[l->out_c + c0] = pcn_dsp_out_s8(v10, out_off, lo, hi);
    out[c1] = pcn_dsp_out_s8(v01, out_off, lo, hi);
    out[l->out_c + c1] = pcn_dsp_out_s8(v11, out_off, lo, hi);
    return 1;
}

/* Channels c0, c1 of np pixels, through whole groups where they can go. */
static inline void
conv_s4_pair_any(const conv_s4_layer *l, const int8_t **cols, const int32_t np, const int32_t c0, const int32_t c1, int8_t *out)
{
    if (np == 2 && (l->padded || (l->len & 7) == 0) &&
        conv_s4_pair_groups(l, cols[0], (int32_t)(cols[1] - cols[0]), c0, c1, out))
    {
        return;
    }
    conv_s4_pair(l, cols, np, c0, c1, out);
}

/* Every output channel of np (1 or 2) pixels, as conv_s4_block above. A
 * lone channel goes as a pair with itself. */
static void conv_s4_block(const conv_s4_layer *l, const int8_t **cols, const int32_t np, int8_t *out)
{
    const int32_t out_c = l->out_c;
    int32_t c = 0;
    if ((l->len & 1) == 0)
    {
        for (; c + 1 < out_c; c += 2)
        {
            conv_s4_pair_any(l, cols, np, c, c + 1, out);
        }
    }
    else
    {
        for (; c + 3 < out_c; c += 4)
        {
            conv_s4_pair_any(l, cols, np, c, c + 2, out);
            conv_s4_pair_any(l, cols, np, c + 1, c + 3, out);
        }
    }
    for (; c < out_c; c++)
    {
        conv_s4_pair_any(l, cols, np, c, c, out);
    }
}

    #endif

/* The vectorised convolution; 0 when it cannot take the layer. */
static int conv_s4_simd(int8_t *scratch,
                        const cmsis_nn_conv_params *conv_params,
                        const cmsis_nn_per_channel_quant_params *quant_params,
                        const cmsis_nn_dims *input_dims,
                        const int8_t *input_data,
                        const cmsis_nn_dims *filter_dims,
                        const int8_t *filter_data,
                        const int32_t *bias_data,
                        const cmsis_nn_dims *output_dims,
                        int8_t *output_data)
{
    conv_s4_layer l;
    l.input = input_data;
    l.in_h = input_dims->h;
    l.in_w = input_dims->w;
    l.in_c = input_dims->c;
    l.k_h = filter_dims->h;
    l.k_w = filter_dims->w;
    l.out_h = output_dims->h;
    l.out_w = output_dims->w;
    l.out_c = output_dims->c;
    l.stride_h = conv_params->stride.h;
    l.stride_w = conv_params->stride.w;
    l.pad_h = conv_params->padding.h;
    l.pad_w = conv_params->padding.w;
    l.dil_h = conv_params->dilation.h;
    l.dil_w = conv_params->dilation.w;
    l.len = l.k_h * l.k_w * l.in_c;
    l.input_offset = conv_params->input_offset;
    l.output_offset = conv_params->output_offset;
    l.act_min = conv_params->activation.min;
    l.act_max = conv_params->activation.max;
    l.bias = bias_data;
    l.multiplier = quant_params->multiplier;
    l.shift = quant_params->shift;
    l.filter = filter_data;

    if (l.in_c < 1 || l.k_h < 1 || l.k_w < 1 || input_dims->n < 0 || l.out_c < 0 || l.stride_h < 1 ||
        l.stride_w < 1 || l.dil_h < 1 || l.dil_w < 1 || l.len > PCN_S4_SIMD_MAX_N)
    {
        return 0;
    }
    if (scratch == NULL && !(l.k_h == 1 && l.k_w == 1 && l.pad_h == 0 && l.pad_w == 0))
    {
        return 0;
    }

    l.slot = l.len;
    l.padded = 0;
    l.groups_even = (l.len + 7) >> 3;
    l.groups_odd = (l.len + 8) >> 3;
    l.filter_bytes = (int32_t)(((int64_t)l.out_c * l.len + 1) >> 1);
    #if defined(ARM_MATH_MVEI)
    /* Rows of odd K start mid-byte every other channel: over padded columns
     * (a pad before each) when four of those fit the scratch promised. */
    if (scratch != NULL && (l.len & 1) != 0 &&
        PCN_S4_NPX * (l.len + 1) <= arm_nn_conv_s4_col_buffer_size(input_dims, filter_dims))
    {
        l.padded = 1;
        l.slot = l.len + 1;
    }
    #else
    /* Rows of K not a multiple of 8 go in whole groups over padded columns
     * when two of those fit the scratch promised. */
    if (scratch != NULL && (l.len & 7) != 0 &&
        PCN_S4_NPX * (1 + 8 * l.groups_odd) <= arm_nn_conv_s4_col_buffer_size(input_dims, filter_dims))
    {
        l.padded = 1;
        l.slot = 1 + 8 * l.groups_odd;
    }
    #endif

    const int32_t pixels = input_dims->n * l.out_h * l.out_w;
    const int8_t *cols[PCN_S4_NPX];
    for (int32_t p = 0; p < pixels; p += PCN_S4_NPX)
    {
        const int32_t np = pixels - p < PCN_S4_NPX ? pixels - p : PCN_S4_NPX;
        for (int32_t i = 0; i < np; i++)
        {
            cols[i] = conv_s4_column(&l, p + i, scratch != NULL ? scratch + i * l.slot : NULL);
        }
        conv_s4_block(&l, cols, np, output_data + (size_t)p * l.out_c);
    }
    return 1;
}

#endif /* ARM_MATH_MVEI || ARM_MATH_DSP */

arm_cmsis_nn_status arm_nn_conv_s4(int8_t *scratch,
                                   const cmsis_nn_conv_params *conv_params,
                                   const cmsis_nn_per_channel_quant_params *quant_params,
                                   const cmsis_nn_dims *input_dims,
                                   const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims,
                                   const int8_t *filter_data,
                                   const int32_t *bias_data,
                                   const cmsis_nn_dims *output_dims,
                                   int8_t *output_data)
{
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (conv_s4_simd(scratch,
                     conv_params,
                     quant_params,
                     input_dims,
                     input_data,
                     filter_dims,
                     filter_data,
                     bias_data,
                     output_dims,
                     output_data))
    {
        return ARM_CMSIS_NN_SUCCESS;
    }
#else
    (void)scratch;
#endif
    return arm_nn_conv_s4_direct(
    conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data, output_dims, output_data);
}
