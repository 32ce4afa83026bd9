/*
 * pycmsisnn: the out-of-line channel blocks of the s8 depthwise kernels
 * (arm_nn_depthwise_s8_simd.h): one copy in a program that links several
 * depthwise kernels, where a static copy per kernel file cost 2-5 KB of code.
 */
#include "Internal/arm_nn_depthwise_s8_simd.h"

#if defined(ARM_MATH_MVEI)

/* Requantise the even/odd accumulators of 8 channels with their
 * (de-interleaved) multipliers and shifts, and pack them to 8 int8 lanes
 * (in int16 lanes) in channel order. */
static inline int16x8_t arm_nn_dw_s8_pack8_mve(const int32x4_t even,
                                               const int32x4_t odd,
                                               const int32x4x2_t multiplier,
                                               const int32x4x2_t shift,
                                               const arm_nn_dw_s8_layer *layer)
{
    const int16x8_t packed = vmovnbq_s32(vuninitializedq_s16(),
                                         arm_nn_dw_s8_requantize_mve(even, multiplier.val[0], shift.val[0], layer));
    return vmovntq_s32(packed, arm_nn_dw_s8_requantize_mve(odd, multiplier.val[1], shift.val[1], layer));
}

/* One tap of 8 channels: (x + offset) * w into the even/odd accumulators. */
static inline void arm_nn_dw_s8_tap8_mve(const int8_t *x,
                                         const int16x8_t wv,
                                         const int16_t in_offset,
                                         int32x4_t *even,
                                         int32x4_t *odd)
{
    const int16x8_t xv = vaddq_n_s16(vldrbq_s16(x), in_offset);

    *even = vaddq_s32(*even, vmullbq_int_s16(xv, wv));
    *odd = vaddq_s32(*odd, vmulltq_int_s16(xv, wv));
}

/* Channels c..c+15 of one output pixel: the window's sums as int16 lanes
 * (channels c + 2i and c + 2i + 1 into even_lo/odd_lo, c + 8 + 2i and
 * c + 9 + 2i into even_hi/odd_hi), requantised and stored. VLD2 splits
 * biases, multipliers and shifts into the same even/odd order. */
PCN_DW_BLOCK void arm_nn_dw_s8_ch1_block16_mve(const arm_nn_dw_s8_window *win,
                                               const arm_nn_dw_s8_layer *layer,
                                               const int32_t c,
                                               int8_t *out)
{
    const int32_t channels = layer->channels;
    const int16_t in_offset = (int16_t)layer->in_offset;
    const int32_t cols = win->cols;
    const int32_t col_step = win->in_col_step;
    const int32_t x_row_skip = win->in_row_step - cols * col_step;
    const int32_t w_row_skip = win->filter_row_step - cols * channels;
    const int8_t *x = win->in + c;
    const int8_t *w = win->filter + c;
    int32x4_t even_lo, odd_lo, even_hi, odd_hi;
    int32_t r, k;

    if (layer->bias != NULL)
    {
        int32x4x2_t b = vld2q_s32(layer->bias + c);

        even_lo = b.val[0];
        odd_lo = b.val[1];
        b = vld2q_s32(layer->bias + c + 8);
        even_hi = b.val[0];
        odd_hi = b.val[1];
    }
    else
    {
        even_lo = vdupq_n_s32(0);
        odd_lo = even_lo;
        even_hi = even_lo;
        odd_hi = even_lo;
    }
    if (cols == 3)
    {
        /* 3-tap rows: no inner loop set up per row */
        for (r = win->rows; r > 0; r--)
        {
            for (k = 0; k < 3; k++)
            {
                arm_nn_dw_s8_tap8_mve(x + k * col_step, vldrbq_s16(w + k * channels), in_offset, &even_lo, &odd_lo);
                arm_nn_dw_s8_tap8_mve(
                    x + k * col_step + 8, vldrbq_s16(w + k * channels + 8), in_offset, &even_hi, &odd_hi);
            }
            x += win->in_row_step;
            w += win->filter_row_step;
        }
    }
    else
    {
        for (r = win->rows; r > 0; r--)
        {
            for (k = cols; k > 0; k--)
            {
                arm_nn_dw_s8_tap8_mve(x, vldrbq_s16(w), in_offset, &even_lo, &odd_lo);
                arm_nn_dw_s8_tap8_mve(x + 8, vldrbq_s16(w + 8), in_offset, &even_hi, &odd_hi);
                x += col_step;
                w += channels;
            }
            x += x_row_skip;
            w += w_row_skip;
        }
    }
    vstrbq_s16(out + c,
               arm_nn_dw_s8_pack8_mve(
                   even_lo, odd_lo, vld2q_s32(layer->multiplier + c), vld2q_s32(layer->shift + c), layer));
    vstrbq_s16(out + c + 8,
               arm_nn_dw_s8_pack8_mve(
                   even_hi, odd_hi, vld2q_s32(layer->multiplier + c + 8), vld2q_s32(layer->shift + c + 8), layer));
}

/* The same for the 8 channels from c on. */
PCN_DW_BLOCK void arm_nn_dw_s8_ch1_block8_mve(const arm_nn_dw_s8_window *win,
                                              const arm_nn_dw_s8_layer *layer,
                                              const int32_t c,
                                              int8_t *out)
{
    const int32_t channels = layer->channels;
    const int16_t in_offset = (int16_t)layer->in_offset;
    const int32_t cols = win->cols;
    const int32_t col_step = win->in_col_step;
    const int32_t x_row_skip = win->in_row_step - cols * col_step;
    const int32_t w_row_skip = win->filter_row_step - cols * channels;
    const int8_t *x = win->in + c;
    const int8_t *w = win->filter + c;
    int32x4_t even, odd;
    int32_t r, k;

    if (layer->bias != NULL)
    {
        const int32x4x2_t b = vld2q_s32(layer->bias + c);

        even = b.val[0];
        odd = b.val[1];
    }
    else
    {
        even = vdupq_n_s32(0);
        odd = even;
    }
    if (cols == 3)
    {
        for (r = win->rows; r > 0; r--)
        {
            for (k = 0; k < 3; k++)
            {
                arm_nn_dw_s8_tap8_mve(x + k * col_step, vldrbq_s16(w + k * channels), in_offset, &even, &odd);
            }
            x += win->in_row_step;
            w += win->filter_row_step;
        }
    }
    else
    {
        for (r = win->rows; r > 0; r--)
        {
            for (k = cols; k > 0; k--)
            {
                arm_nn_dw_s8_tap8_mve(x, vldrbq_s16(w), in_offset, &even, &odd);
                x += col_step;
                w += channels;
            }
            x += x_row_skip;
            w += w_row_skip;
        }
    }
    vstrbq_s16(out + c,
               arm_nn_dw_s8_pack8_mve(even, odd, vld2q_s32(layer->multiplier + c), vld2q_s32(layer->shift + c), layer));
}

/* The last `valid` (1..7) channels from c on, tail-predicated: lanes off
 * read as 0 and add 0; biases, multipliers and shifts are gathered. */
PCN_DW_BLOCK void arm_nn_dw_s8_ch1_tail_mve(const arm_nn_dw_s8_window *win,
                                            const arm_nn_dw_s8_layer *layer,
                                            const int32_t c,
                                            const uint32_t valid,
                                            int8_t *out)
{
    const int32_t channels = layer->channels;
    const int16_t in_offset = (int16_t)layer->in_offset;
    const int32_t cols = win->cols;
    const int32_t col_step = win->in_col_step;
    const int32_t x_row_skip = win->in_row_step - cols * col_step;
    const int32_t w_row_skip = win->filter_row_step - cols * channels;
    const mve_pred16_t pred = vctp16q(valid);
    /* 32-bit lanes: channels c + 2i (even) and c + 2i + 1 (odd) */
    const mve_pred16_t pred_even = vctp32q((valid + 1u) / 2u);
    const mve_pred16_t pred_odd = vctp32q(valid / 2u);
    const uint32x4_t pairs = vidupq_n_u32(0, 2); /* 0, 2, 4, 6 */
    const int8_t *x = win->in + c;
    const int8_t *w = win->filter + c;
    int32x4x2_t multiplier, shift;
    int32x4_t even, odd;
    int32_t r, k;

    if (layer->bias != NULL)
    {
        even = vldrwq_gather_shifted_offset_z_s32(layer->bias + c, pairs, pred_even);
        odd = vldrwq_gather_shifted_offset_z_s32(layer->bias + c + 1, pairs, pred_odd);
    }
    else
    {
        even = vdupq_n_s32(0);
        odd = even;
    }
    for (r = win->rows; r > 0; r--)
    {
        for (k = cols; k > 0; k--)
        {
            const int16x8_t xv = vaddq_n_s16(vldrbq_z_s16(x, pred), in_offset);
            const int16x8_t wv = vldrbq_z_s16(w, pred);

            even = vaddq_s32(even, vmullbq_int_s16(xv, wv));
            odd = vaddq_s32(odd, vmulltq_int_s16(xv, wv));
            x += col_step;
            w += channels;
        }
        x += x_row_skip;
        w += w_row_skip;
    }
    multiplier.val[0] = vldrwq_gather_shifted_offset_z_s32(layer->multiplier + c, pairs, pred_even);
    multiplier.val[1] = vldrwq_gather_shifted_offset_z_s32(layer->multiplier + c + 1, pairs, pred_odd);
    shift.val[0] = vldrwq_gather_shifted_offset_z_s32(layer->shift + c, pairs, pred_even);
    shift.val[1] = vldrwq_gather_shifted_offset_z_s32(layer->shift + c + 1, pairs, pred_odd);
    vstrbq_p_s16(out + c, arm_nn_dw_s8_pack8_mve(even, odd, multiplier, shift, layer), pred);
}

/* Channels [0, n8) (a multiple of 8) of two output pixels whose windows
 * have the same shape, the second `pixel_step` input bytes after the first
 * (its output `out_step` bytes after the first's):
 * 8 channels at a time (one weight load for both pixels) in one call, so that the
 * window's steps, the output offset and the clamp vectors are set up once
 * per pixel pair instead of once per block. */
PCN_DW_BLOCK void arm_nn_dw_s8_ch1_pairs_mve(const arm_nn_dw_s8_window *win,
                                             const arm_nn_dw_s8_layer *layer,
                                             const int32_t n8,
                                             const int32_t pixel_step,
                                             const int32_t out_step,
                                             int8_t *out)
{
    const int32_t channels = layer->channels;
    const int16_t in_offset = (int16_t)layer->in_offset;
    const int32_t rows = win->rows;
    const int32_t cols = win->cols;
    const int32_t col_step = win->in_col_step;
    const int32_t in_row_step = win->in_row_step;
    const int32_t filter_row_step = win->filter_row_step;
    const int32_t x_row_skip = in_row_step - cols * col_step;
    const int32_t w_row_skip = filter_row_step - cols * channels;
    const int32_t *bias = layer->bias;
    const int32_t *mult_p = layer->multiplier;
    const int32_t *shift_p = layer->shift;
    const int32_t out_offset = layer->out_offset;
    /* every int8 activation range is inside int16 */
    const int16_t act_min = (int16_t)PCN_MAX(layer->act_min, -32768);
    const int16_t act_max = (int16_t)PCN_MIN(layer->act_max, 32767);
    const int8_t *in = win->in;
    const int8_t *filter = win->filter;
    int8_t *out1 = out + out_step;
    int32_t c, r, k;

    for (c = 0; c < n8; c += 8)
    {
        const int8_t *x0 = in + c;
        const int8_t *x1 = x0 + pixel_step;
        const int8_t *w = filter + c;
        int32x4_t even0, odd0, even1, odd1;

        if (bias != NULL)
        {
            const int32x4x2_t b = vld2q_s32(bias + c);

            even0 = b.val[0];
            odd0 = b.val[1];
        }
        else
        {
            even0 = vdupq_n_s32(0);
            odd0 = even0;
        }
        even1 = even0;
        odd1 = odd0;
        if (cols == 3)
        {
            for (r = rows; r > 0; r--)
            {
                for (k = 0; k < 3; k++)
                {
                    const int16x8_t wv = vldrbq_s16(w + k * channels);

                    arm_nn_dw_s8_tap8_mve(x0 + k * col_step, wv, in_offset, &even0, &odd0);
                    arm_nn_dw_s8_tap8_mve(x1 + k * col_step, wv, in_offset, &even1, &odd1);
                }
                x0 += in_row_step;
                x1 += in_row_step;
                w += filter_row_step;
            }
        }
        else
        {
            for (r = rows; r > 0; r--)
            {
                for (k = cols; k > 0; k--)
                {
                    const int16x8_t wv = vldrbq_s16(w);

                    arm_nn_dw_s8_tap8_mve(x0, wv, in_offset, &even0, &odd0);
                    arm_nn_dw_s8_tap8_mve(x1, wv, in_offset, &even1, &odd1);
                    x0 += col_step;
                    x1 += col_step;
                    w += channels;
                }
                x0 += x_row_skip;
                x1 += x_row_skip;
                w += w_row_skip;
            }
        }
        {
            const int32x4x2_t mult = vld2q_s32(mult_p + c);
            const int32x4x2_t shift = vld2q_s32(shift_p + c);
            const int32x4_t zero = vdupq_n_s32(0);
            int32x4_t left = vmaxq_s32(shift.val[0], zero);
            int32x4_t right = vminq_s32(shift.val[0], zero);
            int16x8_t p0, p1;

            /* requantised values saturate to int16 and the output offset is
             * added saturating: anything saturated lies beyond the int8 clamp
             * either way, so the clamp in int16 lanes gives the same bytes */
            even0 = vqrdmulhq_s32(vshlq_s32(even0, left), mult.val[0]);
            even1 = vqrdmulhq_s32(vshlq_s32(even1, left), mult.val[0]);
            even0 = vrshlq_s32(vqaddq_s32(even0, vshrq_n_s32(vandq_s32(even0, right), 31)), right);
            even1 = vrshlq_s32(vqaddq_s32(even1, vshrq_n_s32(vandq_s32(even1, right), 31)), right);
            p0 = vqmovnbq_s32(vuninitializedq_s16(), even0);
            p1 = vqmovnbq_s32(vuninitializedq_s16(), even1);
            left = vmaxq_s32(shift.val[1], zero);
            right = vminq_s32(shift.val[1], zero);
            odd0 = vqrdmulhq_s32(vshlq_s32(odd0, left), mult.val[1]);
            odd1 = vqrdmulhq_s32(vshlq_s32(odd1, left), mult.val[1]);
            odd0 = vrshlq_s32(vqaddq_s32(odd0, vshrq_n_s32(vandq_s32(odd0, right), 31)), right);
            odd1 = vrshlq_s32(vqaddq_s32(odd1, vshrq_n_s32(vandq_s32(odd1, right), 31)), right);
            p0 = vqmovntq_s32(p0, odd0);
            p1 = vqmovntq_s32(p1, odd1);
            p0 = vqaddq_n_s16(p0, (int16_t)out_offset);
            p1 = vqaddq_n_s16(p1, (int16_t)out_offset);
            p0 = vminq_s16(vmaxq_s16(p0, vdupq_n_s16(act_min)), vdupq_n_s16(act_max));
            p1 = vminq_s16(vmaxq_s16(p1, vdupq_n_s16(act_min)), vdupq_n_s16(act_max));
            vstrbq_s16(out + c, p0);
            vstrbq_s16(out1 + c, p1);
        }
    }
}

#elif defined(ARM_MATH_DSP)

/* As above, each halfword added to the halfwords of a. */
static inline int32_t arm_nn_dw_s8_sxtab16_odd(const int32_t a, const int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* The input offset in both halfwords. */
static inline int32_t arm_nn_dw_s8_dup16(const int32_t v)
{
    const uint32_t h = (uint32_t)v & 0xFFFFu;
    return (int32_t)(h | (h << 16));
}

/* *acc<i> += (x[i] + offset) * w[i] for the four channels at x and w;
 * offset2 holds the offset in both halfwords. */
static inline void arm_nn_dw_s8_mac4_dsp(const int8_t *x,
                                         const int8_t *w,
                                         const int32_t offset2,
                                         int32_t *acc0,
                                         int32_t *acc1,
                                         int32_t *acc2,
                                         int32_t *acc3)
{
    const int32_t xv = arm_nn_dw_s8_read_x4(x);
    const int32_t wv = arm_nn_dw_s8_read_x4(w);
    const int32_t x_even = __sxtab16(offset2, xv);               /* channels 0, 2 */
    const int32_t x_odd = arm_nn_dw_s8_sxtab16_odd(offset2, xv); /* channels 1, 3 */
    const int32_t w_even = __sxtb16(wv);
    const int32_t w_odd = arm_nn_dw_s8_sxtb16_odd(wv);

    *acc0 = __smlabb(x_even, w_even, *acc0);
    *acc1 = __smlabb(x_odd, w_odd, *acc1);
    *acc2 = __smlatt(x_even, w_even, *acc2);
    *acc3 = __smlatt(x_odd, w_odd, *acc3);
}

/* Every channel of one output pixel (channel multiplier 1): blocks of 4
 * channels, then the leftover channels. The rows of a full 3x3 window are
 * unrolled. */
PCN_DW_BLOCK void arm_nn_dw_s8_ch1_pixel_dsp(const arm_nn_dw_s8_window *win,
                                             const arm_nn_dw_s8_layer *layer,
                                             int8_t *out)
{
    /* Locals, not layer fields: every int8 store could alias those. */
    const int32_t channels = layer->channels;
    const int32_t *const bias = layer->bias;
    const int32_t *const multiplier = layer->multiplier;
    const int32_t *const shift = layer->shift;
    const int32_t out_offset = layer->out_offset;
    const int32_t act_min = layer->act_min;
    const int32_t act_max = layer->act_max;
    const uint32_t min4 = ((uint32_t)act_min & 0xFFu) * 0x01010101u;
    const uint32_t max4 = ((uint32_t)act_max & 0xFFu) * 0x01010101u;
    const int32_t offset2 = arm_nn_dw_s8_dup16(layer->in_offset);
    const int32_t rows = win->rows;
    const int32_t cols = win->cols;
    const int32_t col_step = win->in_col_step;
    const int32_t in_row_step = win->in_row_step;
    const int32_t filter_row_step = win->filter_row_step;
    const int full_3x3 = rows == 3 && cols == 3 && col_step == channels && filter_row_step == 3 * channels;
    int32_t c = 0;

    for (; c <= channels - 4; c += 4)
    {
        const int8_t *x = win->in + c;
        const int8_t *w = win->filter + c;
        int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;

        if (bias != NULL)
        {
            acc0 = bias[c];
            acc1 = bias[c + 1];
            acc2 = bias[c + 2];
            acc3 = bias[c + 3];
        }
        if (full_3x3)
        {
            /* the window's 9 filter taps are consecutive */
            arm_nn_dw_s8_mac4_dsp(x, w, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + channels, w + channels, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + 2 * channels, w + 2 * channels, offset2, &acc0, &acc1, &acc2, &acc3);
            x += in_row_step;
            w += 3 * channels;
            arm_nn_dw_s8_mac4_dsp(x, w, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + channels, w + channels, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + 2 * channels, w + 2 * channels, offset2, &acc0, &acc1, &acc2, &acc3);
            x += in_row_step;
            w += 3 * channels;
            arm_nn_dw_s8_mac4_dsp(x, w, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + channels, w + channels, offset2, &acc0, &acc1, &acc2, &acc3);
            arm_nn_dw_s8_mac4_dsp(x + 2 * channels, w + 2 * channels, offset2, &acc0, &acc1, &acc2, &acc3);
        }
        else
        {
            const int32_t x_row_skip = in_row_step - cols * col_step;
            const int32_t w_row_skip = filter_row_step - cols * channels;
            int32_t r, k;

            for (r = rows; r > 0; r--)
            {
                for (k = cols; k > 0; k--)
                {
                    arm_nn_dw_s8_mac4_dsp(x, w, offset2, &acc0, &acc1, &acc2, &acc3);
                    x += col_step;
                    w += channels;
                }
                x += x_row_skip;
                w += w_row_skip;
            }
        }
        arm_nn_dw_s8_store4_dsp(arm_nn_dw_s8_requantize_dsp(acc0, multiplier[c], shift[c]) + out_offset,
                                arm_nn_dw_s8_requantize_dsp(acc1, multiplier[c + 1], shift[c + 1]) + out_offset,
                                arm_nn_dw_s8_requantize_dsp(acc2, multiplier[c + 2], shift[c + 2]) + out_offset,
                                arm_nn_dw_s8_requantize_dsp(acc3, multiplier[c + 3], shift[c + 3]) + out_offset,
                                1, /* arm_nn_dw_s8_simd_takes checked the range */
                                min4,
                                max4,
                                act_min,
                                act_max,
                                out + c);
    }
    for (; c < channels; c++)
    {
        out[c] = arm_nn_dw_s8_channel_scalar(win, layer, c, c);
    }
}

#else

/* Nothing without MVE or DSP; ISO C wants a declaration in every file. */
typedef int arm_nn_depthwise_s8_blocks_unused;

#endif
