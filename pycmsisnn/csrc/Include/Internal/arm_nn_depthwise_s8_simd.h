/*
 * pycmsisnn: the vectorised (MVE and DSP) code of the s8 depthwise kernels
 * (private, not part of the API). Nothing here is compiled on a build
 * without MVE or DSP; those builds run the portable loops of each kernel.
 *
 * Every path computes exactly the portable sums: each in-bounds tap adds
 * (x + input_offset) * w to an int32 accumulator that starts at the bias,
 * and each accumulator is requantised as arm_nn_requantize_clamp_s8 does.
 *
 * - Channel multiplier 1 (arm_depthwise_conv_s8_opt, arm_depthwise_conv_3x3_s8
 *   and the ch_mult 1 layers of arm_depthwise_conv_s8): one output pixel at a
 *   time, its filter window clipped to the input once, then the channels in
 *   blocks that stay in registers over all taps of the window.
 *   MVE: channels as int16 lanes (x + offset fits in 16 bits), products
 *   widened into even/odd int32 accumulators by VMULLB/VMULLT (MVE has no
 *   vector-by-vector multiply-accumulate); VLD2 loads biases, multipliers
 *   and shifts in the same even/odd order. Two side-by-side pixels with
 *   whole windows go together in blocks of 8 channels (one weight load for
 *   both); other pixels in blocks of 16, then 8; a last block of fewer than
 *   8 is tail-predicated.
 *   DSP: blocks of 4 channels from one 32-bit read of input and filter;
 *   SXTAB16 adds the offset while splitting even and odd bytes into int16
 *   pairs, SMLABB/SMLATT accumulate (a whole 3x3 window fully unrolled);
 *   the four results are saturated, packed and clamped as one word;
 *   1 to 3 leftover channels are scalar.
 * - Channel multiplier > 1 (arm_depthwise_conv_s8): the output channels of
 *   one input channel in blocks of 4 (MVE: VMLA by the input value as a
 *   scalar; DSP: SMLABB/SMLABT), leftover channels scalar.
 *
 * Input and filter are read through memcpy into an int32_t, never through a
 * cast pointer: int8 tensors have no alignment to rely on. No path uses
 * scratch memory.
 */
#ifndef ARM_NN_DEPTHWISE_S8_SIMD_H
#define ARM_NN_DEPTHWISE_S8_SIMD_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* The block routines' loops need every register: gcc's first scheduling pass
 * hoists loads ahead of the multiplies that free registers and then spills
 * accumulators. The routines are compiled without it (where gcc takes the
 * attribute) and kept out of line. */
    #if defined(__GNUC__) && !defined(__clang__)
        #define PCN_DW_BLOCK __attribute__((noinline, optimize("no-schedule-insns")))
    #else
        #define PCN_DW_BLOCK __attribute__((noinline))
    #endif
    #if defined(__GNUC__)
        #define PCN_DW_LIKELY(c) __builtin_expect(!!(c), 1)
    #else
        #define PCN_DW_LIKELY(c) (c)
    #endif

/* The clipped filter window of one output pixel, at channel 0. */
typedef struct
{
    const int8_t *in;        /* input under the first in-bounds tap */
    const int8_t *filter;    /* filter at that tap */
    int32_t rows;            /* in-bounds taps, vertically (may be 0) */
    int32_t cols;            /* in-bounds taps, horizontally */
    int32_t in_col_step;     /* input bytes from one tap to the next in a row */
    int32_t in_row_step;     /* input bytes from one tap row to the next */
    int32_t filter_row_step; /* filter bytes from one tap row to the next */
} arm_nn_dw_s8_window;

/* What every output pixel of a layer shares. */
typedef struct
{
    const int32_t *bias; /* may be NULL */
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t channels; /* output channels: the filter's step from tap to tap */
    int32_t in_offset;
    int32_t out_offset;
    int32_t act_min;
    int32_t act_max;
} arm_nn_dw_s8_layer;

static inline void arm_nn_dw_s8_layer_init(arm_nn_dw_s8_layer *layer,
                                           const cmsis_nn_dw_conv_params *dw_conv_params,
                                           const cmsis_nn_per_channel_quant_params *quant_params,
                                           const int32_t *bias,
                                           const int32_t channels)
{
    layer->bias = bias;
    layer->multiplier = quant_params->multiplier;
    layer->shift = quant_params->shift;
    layer->channels = channels;
    layer->in_offset = dw_conv_params->input_offset;
    layer->out_offset = dw_conv_params->output_offset;
    layer->act_min = dw_conv_params->activation.min;
    layer->act_max = dw_conv_params->activation.max;
}

/* First and one-past-last tap k of `taps`, dilation `dil` >= 1, whose input
 * coordinate origin + k * dil lies in [0, size). */
static inline void arm_nn_dw_s8_clip_dilated(const int32_t origin,
                                             const int32_t size,
                                             const int32_t taps,
                                             const int32_t dil,
                                             int32_t *first,
                                             int32_t *end)
{
    int32_t f = (origin < 0) ? (dil - 1 - origin) / dil : 0;
    int32_t e = (size > origin) ? (size - origin + dil - 1) / dil : 0;

    f = PCN_MIN(f, taps);
    e = PCN_MIN(e, taps);
    *first = f;
    *end = PCN_MAX(e, f);
}

/* True when the vectorised paths take the layer: dilations of at least 1
 * and, on DSP builds (which clamp four packed int8 at once), an activation
 * range inside int8, as every int8 model has. Other layers run the portable
 * loops. */
static inline int arm_nn_dw_s8_simd_takes(const cmsis_nn_dw_conv_params *dw_conv_params)
{
    #if defined(ARM_MATH_MVEI)
    const int range_ok = 1;
    #else
    const int range_ok = dw_conv_params->activation.min >= NN_Q7_MIN && dw_conv_params->activation.max <= NN_Q7_MAX;
    #endif
    return range_ok && dw_conv_params->dilation.w >= 1 && dw_conv_params->dilation.h >= 1;
}

/* Output channel oc of a window whose input channel is ic, the portable way
 * (leftover channels). */
static inline int8_t arm_nn_dw_s8_channel_scalar(const arm_nn_dw_s8_window *win,
                                                 const arm_nn_dw_s8_layer *layer,
                                                 const int32_t ic,
                                                 const int32_t oc)
{
    const int8_t *x_row = win->in + ic;
    const int8_t *w_row = win->filter + oc;
    int32_t acc = (layer->bias != NULL) ? layer->bias[oc] : 0;
    int32_t r, k;

    for (r = 0; r < win->rows; r++)
    {
        const int8_t *x = x_row;
        const int8_t *w = w_row;

        for (k = 0; k < win->cols; k++)
        {
            acc += ((int32_t)*x + layer->in_offset) * (int32_t)*w;
            x += win->in_col_step;
            w += layer->channels;
        }
        x_row += win->in_row_step;
        w_row += win->filter_row_step;
    }
    return arm_nn_requantize_clamp_s8(
        acc, layer->multiplier[oc], layer->shift[oc], layer->out_offset, layer->act_min, layer->act_max);
}

#endif /* ARM_MATH_MVEI || ARM_MATH_DSP */

#if defined(ARM_MATH_MVEI)

/* Requantise four int32 accumulators with their channels' multipliers and
 * shifts, add the output offset, clamp. Bit-exact with arm_nn_requantize:
 * VQRDMULH is the rounding doubling high multiply (it saturates only for
 * INT32_MIN * INT32_MIN, which a positive multiplier never meets); the
 * rounding right shift rounds ties away from zero by first subtracting one
 * from negative values (saturating, so INT32_MIN stays exact), VRSHL then
 * adds half and shifts without losing the carry. */
static inline int32x4_t arm_nn_dw_s8_requantize_lr_mve(int32x4_t acc,
                                                       const int32x4_t multiplier,
                                                       const int32x4_t left,  /* max(shift, 0) */
                                                       const int32x4_t right, /* min(shift, 0) */
                                                       const arm_nn_dw_s8_layer *layer)
{
    acc = vshlq_s32(acc, left);
    acc = vqrdmulhq_s32(acc, multiplier);
    /* acc & right has its sign bit set where acc < 0 and a right shift follows */
    acc = vqaddq_s32(acc, vshrq_n_s32(vandq_s32(acc, right), 31));
    acc = vrshlq_s32(acc, right);
    acc = vaddq_n_s32(acc, layer->out_offset);
    acc = vmaxq_s32(acc, vdupq_n_s32(layer->act_min));
    return vminq_s32(acc, vdupq_n_s32(layer->act_max));
}

static inline int32x4_t arm_nn_dw_s8_requantize_mve(const int32x4_t acc,
                                                    const int32x4_t multiplier,
                                                    const int32x4_t shift,
                                                    const arm_nn_dw_s8_layer *layer)
{
    const int32x4_t zero = vdupq_n_s32(0);

    return arm_nn_dw_s8_requantize_lr_mve(acc, multiplier, vmaxq_s32(shift, zero), vminq_s32(shift, zero), layer);
}

/* The channel blocks of one or two output pixels (arm_nn_depthwise_s8_blocks.c). */
void arm_nn_dw_s8_ch1_block16_mve(const arm_nn_dw_s8_window *win,
                                  const arm_nn_dw_s8_layer *layer,
                                  const int32_t c,
                                  int8_t *out);
void arm_nn_dw_s8_ch1_block8_mve(const arm_nn_dw_s8_window *win,
                                 const arm_nn_dw_s8_layer *layer,
                                 const int32_t c,
                                 int8_t *out);
void arm_nn_dw_s8_ch1_tail_mve(const arm_nn_dw_s8_window *win,
                               const arm_nn_dw_s8_layer *layer,
                               const int32_t c,
                               const uint32_t valid,
                               int8_t *out);
void arm_nn_dw_s8_ch1_pairs_mve(const arm_nn_dw_s8_window *win,
                                const arm_nn_dw_s8_layer *layer,
                                const int32_t n8,
                                const int32_t pixel_step,
                                const int32_t out_step,
                                int8_t *out);

/* Every channel of two output pixels whose windows have the same shape (the
 * second `pixel_step` input bytes on, its output `out_step` bytes on):
 * blocks of 8 channels, then the predicated tail pixel by pixel. */
static inline void arm_nn_dw_s8_ch1_pair_simd(const arm_nn_dw_s8_window *win,
                                              const arm_nn_dw_s8_layer *layer,
                                              const int32_t pixel_step,
                                              const int32_t out_step,
                                              int8_t *out)
{
    const int32_t channels = layer->channels;
    const int32_t n8 = channels & ~7;

    if (n8 > 0)
    {
        arm_nn_dw_s8_ch1_pairs_mve(win, layer, n8, pixel_step, out_step, out);
    }
    if (n8 < channels)
    {
        arm_nn_dw_s8_window second = *win;

        second.in += pixel_step;
        arm_nn_dw_s8_ch1_tail_mve(win, layer, n8, (uint32_t)(channels - n8), out);
        arm_nn_dw_s8_ch1_tail_mve(&second, layer, n8, (uint32_t)(channels - n8), out + out_step);
    }
}

/* Every channel of one output pixel (channel multiplier 1): blocks of 16,
 * one of 8, then the predicated tail. */
static inline void arm_nn_dw_s8_ch1_pixel_simd(const arm_nn_dw_s8_window *win,
                                               const arm_nn_dw_s8_layer *layer,
                                               int8_t *out)
{
    const int32_t channels = layer->channels;
    int32_t c;

    for (c = 0; c <= channels - 16; c += 16)
    {
        arm_nn_dw_s8_ch1_block16_mve(win, layer, c, out);
    }
    if (c <= channels - 8)
    {
        arm_nn_dw_s8_ch1_block8_mve(win, layer, c, out);
        c += 8;
    }
    if (c < channels)
    {
        arm_nn_dw_s8_ch1_tail_mve(win, layer, c, (uint32_t)(channels - c), out);
    }
}

#elif defined(ARM_MATH_DSP)

/* Four int8 values from any address. */
static inline int32_t arm_nn_dw_s8_read_x4(const int8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Bytes 1 and 3 of x, sign-extended into the two halfwords (SXTB16 with its
 * rotation operand, which the ACLE intrinsic does not expose). */
static inline int32_t arm_nn_dw_s8_sxtb16_odd(const int32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}


/*
 * arm_nn_requantize, shorter for the common case: a right shift (shift <= 0)
 * of an accumulator in [-2^30, 2^30). Then 2 * acc does not overflow and
 * SMMULR(2 * acc, multiplier) = (2 * acc * multiplier + 2^31) >> 32 is the
 * rounding doubling high multiply (acc * multiplier + 2^30) >> 31. Its
 * magnitude stays below 2^30, so the rounding right shift needs no
 * saturation: subtract 1 from negatives (ties then go away from zero), shift
 * right by all but one bit, and round the last bit up:
 * ((y >> (n - 1)) + 1) >> 1 = floor((y + 2^(n-1)) / 2^n). Anything else takes
 * the general routine.
 */
static inline int32_t arm_nn_dw_s8_requantize_dsp(const int32_t acc, const int32_t multiplier, const int32_t shift)
{
    const uint32_t doubled = (uint32_t)acc << 1;

    if (PCN_DW_LIKELY(shift <= 0 && (int32_t)((uint32_t)acc ^ doubled) >= 0))
    {
        int32_t r;

        __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"((int32_t)doubled), "r"(multiplier));
        if (shift < 0)
        {
            r += r >> 31;
            r = ((r >> (-shift - 1)) + 1) >> 1;
        }
        return r;
    }
    return arm_nn_requantize(acc, multiplier, shift);
}

/* v clamped to [act_min, act_max], as int8. */
static inline int8_t arm_nn_dw_s8_clamp_dsp(int32_t v, const int32_t act_min, const int32_t act_max)
{
    v = (v < act_min) ? act_min : v;
    v = (v > act_max) ? act_max : v;
    return (int8_t)v;
}

/* The requantised accumulators of channels c..c+3 (output offset added),
 * clamped and stored at out + c. With an activation range inside int8
 * (`in_int8`; min4/max4 hold its ends in every byte), saturating to int8
 * first changes nothing, so the four bytes are packed and clamped at once
 * (SSUB8 + SEL) and stored with one write. */
static inline void arm_nn_dw_s8_store4_dsp(const int32_t v0,
                                           const int32_t v1,
                                           const int32_t v2,
                                           const int32_t v3,
                                           const int in_int8,
                                           const uint32_t min4,
                                           const uint32_t max4,
                                           const int32_t act_min,
                                           const int32_t act_max,
                                           int8_t *out)
{
    if (in_int8)
    {
        /* bytes 0-1 and 2-3 (upper bits garbage), then the halfwords (PKHBT) */
        const uint32_t low = ((uint32_t)__ssat(v0, 8) & 0xFFu) | ((uint32_t)__ssat(v1, 8) << 8);
        const uint32_t high = ((uint32_t)__ssat(v2, 8) & 0xFFu) | ((uint32_t)__ssat(v3, 8) << 8);
        uint32_t packed = (low & 0xFFFFu) | (high << 16);

        (void)__ssub8((int32_t)packed, (int32_t)min4); /* GE where packed >= min */
        packed = __sel(packed, min4);
        (void)__ssub8((int32_t)packed, (int32_t)max4); /* GE where packed >= max */
        packed = __sel(max4, packed);
        memcpy(out, &packed, sizeof(packed));
    }
    else
    {
        out[0] = arm_nn_dw_s8_clamp_dsp(v0, act_min, act_max);
        out[1] = arm_nn_dw_s8_clamp_dsp(v1, act_min, act_max);
        out[2] = arm_nn_dw_s8_clamp_dsp(v2, act_min, act_max);
        out[3] = arm_nn_dw_s8_clamp_dsp(v3, act_min, act_max);
    }
}

/* Every channel of one output pixel, blocks of 4 (arm_nn_depthwise_s8_blocks.c). */
void arm_nn_dw_s8_ch1_pixel_dsp(const arm_nn_dw_s8_window *win,
                                const arm_nn_dw_s8_layer *layer,
                                int8_t *out);

static inline void arm_nn_dw_s8_ch1_pixel_simd(const arm_nn_dw_s8_window *win,
                                               const arm_nn_dw_s8_layer *layer,
                                               int8_t *out)
{
    arm_nn_dw_s8_ch1_pixel_dsp(win, layer, out);
}

#endif /* ARM_MATH_MVEI, ARM_MATH_DSP */

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/*
 * One output pixel of a layer with channel multiplier > 1: output channel
 * oc = ic * ch_mult + m reads input channel ic. Blocks of 4 output channels
 * within one input channel, the rest scalar.
 */
static inline void arm_nn_dw_s8_mult_pixel_simd(const arm_nn_dw_s8_window *win,
                                                const arm_nn_dw_s8_layer *layer,
                                                const int32_t in_ch,
                                                const int32_t ch_mult,
                                                int8_t *out)
{
    const int32_t out_ch = layer->channels;
    int32_t ic;

    for (ic = 0; ic < in_ch; ic++)
    {
        const int32_t oc0 = ic * ch_mult;
        int32_t m = 0;

        for (; m <= ch_mult - 4; m += 4)
        {
            const int32_t oc = oc0 + m;
            const int8_t *x_row = win->in + ic;
            const int8_t *w_row = win->filter + oc;
            int32_t r, k;
    #if defined(ARM_MATH_MVEI)
            int32x4_t acc = (layer->bias != NULL) ? vldrwq_s32(layer->bias + oc) : vdupq_n_s32(0);

            for (r = 0; r < win->rows; r++)
            {
                const int8_t *x = x_row;
                const int8_t *w = w_row;

                for (k = 0; k < win->cols; k++)
                {
                    acc = vmlaq_n_s32(acc, vldrbq_s32(w), (int32_t)*x + layer->in_offset);
                    x += win->in_col_step;
                    w += out_ch;
                }
                x_row += win->in_row_step;
                w_row += win->filter_row_step;
            }
            acc = arm_nn_dw_s8_requantize_mve(
                acc, vldrwq_s32(layer->multiplier + oc), vldrwq_s32(layer->shift + oc), layer);
            vstrbq_s32(out + oc, acc);
    #else
            int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;

            if (layer->bias != NULL)
            {
                acc0 = layer->bias[oc];
                acc1 = layer->bias[oc + 1];
                acc2 = layer->bias[oc + 2];
                acc3 = layer->bias[oc + 3];
            }
            for (r = 0; r < win->rows; r++)
            {
                const int8_t *x = x_row;
                const int8_t *w = w_row;

                for (k = 0; k < win->cols; k++)
                {
                    /* x + offset in the bottom halfword, four weights as int16 pairs */
                    const int32_t xv = (int32_t)*x + layer->in_offset;
                    const int32_t wv = arm_nn_dw_s8_read_x4(w);
                    const int32_t w_even = __sxtb16(wv);
                    const int32_t w_odd = arm_nn_dw_s8_sxtb16_odd(wv);

                    acc0 = __smlabb(xv, w_even, acc0);
                    acc1 = __smlabb(xv, w_odd, acc1);
                    acc2 = __smlabt(xv, w_even, acc2);
                    acc3 = __smlabt(xv, w_odd, acc3);
                    x += win->in_col_step;
                    w += out_ch;
                }
                x_row += win->in_row_step;
                w_row += win->filter_row_step;
            }
            arm_nn_dw_s8_store4_dsp(
                arm_nn_dw_s8_requantize_dsp(acc0, layer->multiplier[oc], layer->shift[oc]) + layer->out_offset,
                arm_nn_dw_s8_requantize_dsp(acc1, layer->multiplier[oc + 1], layer->shift[oc + 1]) + layer->out_offset,
                arm_nn_dw_s8_requantize_dsp(acc2, layer->multiplier[oc + 2], layer->shift[oc + 2]) + layer->out_offset,
                arm_nn_dw_s8_requantize_dsp(acc3, layer->multiplier[oc + 3], layer->shift[oc + 3]) + layer->out_offset,
                0,
                0u,
                0u,
                layer->act_min,
                layer->act_max,
                out + oc);
    #endif
        }
        for (; m < ch_mult; m++)
        {
            out[oc0 + m] = arm_nn_dw_s8_channel_scalar(win, layer, ic, oc0 + m);
        }
    }
}

/*
 * One batch of an s8 depthwise convolution with dilations >= 1: for each
 * output pixel, clip the (dilated) window to the input once, then run the
 * channel-vectorised pixel routine (`ch_mult` 1, passed as a constant so
 * that the kernels without a multiplier carry no code for it) or the
 * multiplier one.
 */
static inline void arm_nn_dw_s8_batch_simd(const cmsis_nn_dw_conv_params *dw_conv_params,
                                           const arm_nn_dw_s8_layer *layer,
                                           const cmsis_nn_dims *input_dims,
                                           const int8_t *input,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter,
                                           const cmsis_nn_dims *output_dims,
                                           const int32_t ch_mult,
                                           int8_t *out)
{
    const int32_t in_ch = input_dims->c;
    const int32_t out_ch = layer->channels;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t stride_x = dw_conv_params->stride.w;
    const int32_t stride_y = dw_conv_params->stride.h;
    const int32_t pad_x = dw_conv_params->padding.w;
    const int32_t pad_y = dw_conv_params->padding.h;
    const int32_t dil_x = dw_conv_params->dilation.w;
    const int32_t dil_y = dw_conv_params->dilation.h;
    /* last tap of a window starting at origin_x is inside when origin_x < full_end */
    const int32_t full_end = in_w - (k_w - 1) * dil_x;
    arm_nn_dw_s8_window win;
    int32_t oy, ox;

    win.in_col_step = dil_x * in_ch;
    win.in_row_step = dil_y * in_w * in_ch;
    win.filter_row_step = k_w * out_ch;
    for (oy = 0; oy < out_h; oy++)
    {
        const int32_t origin_y = oy * stride_y - pad_y;
        int32_t ky0, ky1, origin_x;
        const int8_t *in_row;
        const int8_t *filter_row;

        arm_nn_dw_s8_clip_dilated(origin_y, in_h, k_h, dil_y, &ky0, &ky1);
        in_row = input + (origin_y + ky0 * dil_y) * in_w * in_ch;
        filter_row = filter + ky0 * k_w * out_ch;
    #if defined(ARM_MATH_MVEI)
        /* Two rows whose windows are whole vertically: every column's pair
         * of pixels, one above the other, has windows of the same shape and
         * goes in one pass over the weights. */
        if (ch_mult == 1 && oy + 1 < out_h && stride_y > 0 && origin_y >= 0 &&
            origin_y + stride_y + (k_h - 1) * dil_y < in_h)
        {
            for (ox = 0, origin_x = -pad_x; ox < out_w; ox++, origin_x += stride_x)
            {
                int32_t kx0 = 0;
                int32_t kx1 = k_w;

                if (origin_x < 0 || origin_x >= full_end)
                {
                    arm_nn_dw_s8_clip_dilated(origin_x, in_w, k_w, dil_x, &kx0, &kx1);
                }
                win.cols = kx1 - kx0;
                win.rows = (win.cols > 0) ? k_h : 0;
                win.in = (win.rows > 0) ? in_row + (origin_x + kx0 * dil_x) * in_ch : input;
                win.filter = (win.rows > 0) ? filter_row + kx0 * out_ch : filter;
                arm_nn_dw_s8_ch1_pair_simd(&win, layer, stride_y * in_w * in_ch, out_w * out_ch, out);
                out += out_ch;
            }
            out += out_w * out_ch;
            oy++;
            continue;
        }
    #endif
        for (ox = 0, origin_x = -pad_x; ox < out_w; ox++, origin_x += stride_x)
        {
            int32_t kx0 = 0;
            int32_t kx1 = k_w;

    #if defined(ARM_MATH_MVEI)
            /* Two whole windows side by side: one pass over the weights. */
            if (ch_mult == 1 && ky1 > ky0 && stride_x > 0 && origin_x >= 0 && origin_x + stride_x < full_end &&
                ox + 1 < out_w)
            {
                win.cols = k_w;
                win.rows = ky1 - ky0;
                win.in = in_row + origin_x * in_ch;
                win.filter = filter_row;
                arm_nn_dw_s8_ch1_pair_simd(&win, layer, stride_x * in_ch, out_ch, out);
                out += 2 * out_ch;
                ox++;
                origin_x += stride_x;
                continue;
            }
    #endif
            if (origin_x < 0 || origin_x >= full_end)
            {
                arm_nn_dw_s8_clip_dilated(origin_x, in_w, k_w, dil_x, &kx0, &kx1);
            }
            win.cols = kx1 - kx0;
            win.rows = (win.cols > 0) ? ky1 - ky0 : 0;
            if (win.rows > 0)
            {
                win.in = in_row + (origin_x + kx0 * dil_x) * in_ch;
                win.filter = filter_row + kx0 * out_ch;
            }
            else
            {
                /* Nothing to read: the output is the requantised bias. */
                win.rows = 0;
                win.in = input;
                win.filter = filter;
            }
            if (ch_mult == 1)
            {
                arm_nn_dw_s8_ch1_pixel_simd(&win, layer, out);
            }
            else
            {
                arm_nn_dw_s8_mult_pixel_simd(&win, layer, in_ch, ch_mult, out);
            }
            out += out_ch;
        }
    }
}

/*
 * A whole s8 depthwise convolution (any batch count, channel multiplier and
 * dilations >= 1), batch by batch.
 */
static inline void arm_nn_dw_s8_simd(const cmsis_nn_dw_conv_params *dw_conv_params,
                                     const cmsis_nn_per_channel_quant_params *quant_params,
                                     const cmsis_nn_dims *input_dims,
                                     const int8_t *input,
                                     const cmsis_nn_dims *filter_dims,
                                     const int8_t *filter,
                                     const int32_t *bias,
                                     const cmsis_nn_dims *output_dims,
                                     int8_t *out)
{
    const int32_t ch_mult = output_dims->c / input_dims->c;
    arm_nn_dw_s8_layer layer;
    int32_t b;

    arm_nn_dw_s8_layer_init(&layer, dw_conv_params, quant_params, bias, output_dims->c);
    for (b = 0; b < input_dims->n; b++)
    {
        if (ch_mult == 1)
        {
            arm_nn_dw_s8_batch_simd(
                dw_conv_params, &layer, input_dims, input, filter_dims, filter, output_dims, 1, out);
        }
        else
        {
            arm_nn_dw_s8_batch_simd(
                dw_conv_params, &layer, input_dims, input, filter_dims, filter, output_dims, ch_mult, out);
        }
        input += input_dims->h * input_dims->w * input_dims->c;
        out += output_dims->h * output_dims->w * output_dims->c;
    }
}

/*
 * The channel-multiplier-1, single-batch case of arm_nn_dw_s8_simd (the
 * _opt and 3x3 kernels).
 */
static inline void arm_nn_dw_s8_ch1_simd(const cmsis_nn_dw_conv_params *dw_conv_params,
                                         const cmsis_nn_per_channel_quant_params *quant_params,
                                         const cmsis_nn_dims *input_dims,
                                         const int8_t *input,
                                         const cmsis_nn_dims *filter_dims,
                                         const int8_t *filter,
                                         const int32_t *bias,
                                         const cmsis_nn_dims *output_dims,
                                         int8_t *out)
{
    arm_nn_dw_s8_layer layer;

    arm_nn_dw_s8_layer_init(&layer, dw_conv_params, quant_params, bias, output_dims->c);
    arm_nn_dw_s8_batch_simd(dw_conv_params, &layer, input_dims, input, filter_dims, filter, output_dims, 1, out);
}

#endif /* ARM_MATH_MVEI || ARM_MATH_DSP */

#endif /* ARM_NN_DEPTHWISE_S8_SIMD_H */
