/*
 * pycmsisnn: arm_depthwise_conv_fast_s16, the 16x8 depthwise convolution with
 * channel multiplier 1 (output channels equal input channels). ARG_ERROR for
 * another multiplier or channel count, and for a NULL ctx->buf when
 * arm_depthwise_conv_fast_s16_get_buffer_size asks for scratch, as CMSIS-NN
 * documents.
 *
 * Code paths, all giving the same integers:
 * - DSP: per output pixel, four channels at a time; each tap reads two words
 *   of input (channels c..c+3 as int16 pairs) and one word of weights, widens
 *   the weights with SXTB16 and adds one product per channel with
 *   SMLABB/SMLATB/SMLABT/SMLATT into 32-bit sums.
 * - MVE: per output pixel, eight channels at a time (the last block tail
 *   predicated); each tap multiplies eight int16 inputs by eight widened
 *   weights into 32-bit lanes (VMULLB/VMULLT, even and odd channels).
 *   Both read the taps inside the image only (padding skipped, no scratch
 *   written), need at most PCN_S16_CHUNK taps (exact 32-bit sums) and no
 *   dilation; other layers, and the portable build, go to the shared direct
 *   core (which also takes dilation and batches).
 */
#include "Internal/arm_nn_conv_s16.h"
#include "Internal/arm_nn_s16_simd.h"
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* Channel c's output from its 32-bit sum. */
static inline int16_t dw_s16_output(const int32_t sum,
                                    const int32_t c,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const int64_t *bias,
                                    const int32_t act_min,
                                    const int32_t act_max)
{
    const int64_t acc = bias != NULL ? sum + bias[c] : sum;
    return arm_nn_conv_s16_requantize_reduced(acc,
                                              arm_nn_conv_s16_reduce_multiplier(quant_params->multiplier[c]),
                                              15 - quant_params->shift[c],
                                              act_min,
                                              act_max);
}

    #if !defined(ARM_MATH_MVEI)
/* ... when arm_nn_conv_s16_quick_ok holds for the layer. */
static inline int16_t dw_s16_output_quick(const int32_t sum,
                                          const int32_t c,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const int64_t *bias,
                                          const int32_t act_min,
                                          const int32_t act_max)
{
    const int32_t a = bias != NULL ? sum + (int32_t)bias[c] : sum;
    return arm_nn_conv_s16_quick_clamp(
        a, arm_nn_conv_s16_quick_channel(quant_params->multiplier[c], quant_params->shift[c]), act_min, act_max);
}
    #endif

    #if defined(ARM_MATH_MVEI)
/* The int32 sums of the (up to) eight channels at x / w of predicate p:
 * acc[0] the even channels 0, 2, 4, 6, acc[1] the odd ones; rows x taps
 * taps, x_row / w_row entries between rows, ch between taps. */
static __attribute__((noinline)) void dw_s16_sums(const int16_t *x,
                                                  const int8_t *w,
                                                  const int32_t rows,
                                                  const int32_t taps,
                                                  const int32_t x_row,
                                                  const int32_t w_row,
                                                  const int32_t ch,
                                                  const mve_pred16_t p,
                                                  int32x4_t *acc)
{
    int32x4_t even = vdupq_n_s32(0);
    int32x4_t odd = vdupq_n_s32(0);
    for (int32_t r = 0; r < rows; r++)
    {
        const int16_t *xr = x + (size_t)r * x_row;
        const int8_t *wr = w + (size_t)r * w_row;
        for (int32_t k = taps; k > 0; k--)
        {
            const int16x8_t xv = vldrhq_z_s16(xr, p);
            const int16x8_t wv = vldrbq_z_s16(wr, p);
            even = vaddq_s32(even, vmullbq_int_s16(xv, wv));
            odd = vaddq_s32(odd, vmulltq_int_s16(xv, wv));
            xr += ch;
            wr += ch;
        }
    }
    acc[0] = even;
    acc[1] = odd;
}

/* The quick requantisation of the four channels c + lanes (every other
 * channel; p: those present), stored at out + c + lanes. */
static inline void dw_s16_store_quick(const int32x4_t sums,
                                      const uint32x4_t lanes,
                                      const int32_t c,
                                      const cmsis_nn_per_channel_quant_params *quant_params,
                                      const int64_t *bias,
                                      const int32x4_t act_min,
                                      const int32x4_t act_max,
                                      const mve_pred16_t p,
                                      int16_t *out)
{
    int32x4_t a = sums;
    if (bias != NULL)
    {
        /* the low words of the int64 biases (they fit: arm_nn_conv_s16_quick_ok) */
        a = vaddq_s32(a, vldrwq_gather_shifted_offset_z_s32((const int32_t *)(bias + c), vshlq_n_u32(lanes, 1), p));
    }
    /* r << 16 from the Q31 multiplier m: (m + 2^15) & ~0xFFFF, the addition
     * saturating (m >= 0x7FFF0000 gives 0x7FFF << 16) */
    const int32x4_t m = vldrwq_gather_shifted_offset_z_s32(quant_params->multiplier + c, lanes, p);
    const int32x4_t mult16 = vandq_s32(vqaddq_n_s32(m, 1 << 15), vdupq_n_s32((int32_t)0xFFFF0000u));
    const int32x4_t neg_post = vaddq_n_s32(vldrwq_gather_shifted_offset_z_s32(quant_params->shift + c, lanes, p), 1);
    vstrhq_scatter_shifted_offset_p_s32(out + c, lanes, arm_nn_conv_s16_quick_vec(a, mult16, neg_post, act_min, act_max), p);
}
    #else
/* s[k] for the four channels at x / w: rows x taps taps, x_row / w_row
 * entries between rows, ch between taps. */
static __attribute__((noinline)) void dw_s16_sums(const int16_t *x,
                                                  const int8_t *w,
                                                  const int32_t rows,
                                                  const int32_t taps,
                                                  const int32_t x_row,
                                                  const int32_t w_row,
                                                  const int32_t ch,
                                                  int32_t *s)
{
    int32_t s0 = 0;
    int32_t s1 = 0;
    int32_t s2 = 0;
    int32_t s3 = 0;
    for (int32_t r = 0; r < rows; r++)
    {
        const int16_t *xr = x + (size_t)r * x_row;
        const int8_t *wr = w + (size_t)r * w_row;
        for (int32_t k = taps; k > 0; k--)
        {
            const int32_t x01 = pcn_s16_read_word(xr);
            const int32_t x23 = pcn_s16_read_word(xr + 2);
            const int32_t wv = pcn_s16_read_word(wr);
            const int32_t we = __sxtb16(wv);           /* (w0, w2) */
            const int32_t wo = pcn_s16_sxtb16_odd(wv); /* (w1, w3) */
            s0 = __smlabb(x01, we, s0);
            s1 = __smlatb(x01, wo, s1);
            s2 = __smlabt(x23, we, s2);
            s3 = __smlatt(x23, wo, s3);
            xr += ch;
            wr += ch;
        }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
}
    #endif

/* Every output of one image (ch_mult 1, no dilation). */
static void dw_s16_fast_image(const cmsis_nn_dw_conv_params *dw_conv_params,
                              const cmsis_nn_per_channel_quant_params *quant_params,
                              const cmsis_nn_dims *input_dims,
                              const int16_t *in,
                              const cmsis_nn_dims *filter_dims,
                              const int8_t *filter_data,
                              const int64_t *bias,
                              const cmsis_nn_dims *output_dims,
                              int16_t *out)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t ch = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t act_min = dw_conv_params->activation.min;
    const int32_t act_max = dw_conv_params->activation.max;
    const int quick = arm_nn_conv_s16_quick_ok(quant_params->shift, ch, bias, ch, k_h * k_w);
    #if defined(ARM_MATH_MVEI)
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);
    const uint32x4_t even = vidupq_n_u32(0, 2); /* channels 0, 2, 4, 6 of a block */
    const uint32x4_t odd = vaddq_n_u32(even, 1);
    #endif

    for (int32_t oy = 0; oy < output_dims->h; oy++)
    {
        const int32_t base_y = oy * dw_conv_params->stride.h - dw_conv_params->padding.h;
        const int32_t ky0 = PCN_MIN(PCN_MAX(-base_y, 0), k_h);
        const int32_t ky1 = PCN_MAX(PCN_MIN(in_h - base_y, k_h), ky0);
        for (int32_t ox = 0; ox < output_dims->w; ox++, out += ch)
        {
            const int32_t base_x = ox * dw_conv_params->stride.w - dw_conv_params->padding.w;
            const int32_t kx0 = PCN_MIN(PCN_MAX(-base_x, 0), k_w);
            const int32_t kx1 = PCN_MAX(PCN_MIN(in_w - base_x, k_w), kx0);
            const int32_t taps_x = kx1 - kx0;
            /* the first tap inside the image, channel 0 */
            const int16_t *in_first = in + ((size_t)(base_y + ky0) * in_w + base_x + kx0) * ch;
            const int8_t *w_first = filter_data + ((size_t)ky0 * k_w + kx0) * ch;
            int32_t c = 0;
    #if defined(ARM_MATH_MVEI)
            for (; c < ch; c += 8)
            {
                const int32_t left = ch - c;
                int32x4_t acc[2];
                dw_s16_sums(in_first + c, w_first + c, ky1 - ky0, taps_x, in_w * ch, k_w * ch, ch, vctp16q((uint32_t)left), acc);
                if (quick)
                {
                    const uint32x4_t left_v = vdupq_n_u32((uint32_t)left);
                    dw_s16_store_quick(acc[0], even, c, quant_params, bias, vmin, vmax, vcmphiq_u32(left_v, even), out);
                    dw_s16_store_quick(acc[1], odd, c, quant_params, bias, vmin, vmax, vcmphiq_u32(left_v, odd), out);
                    continue;
                }
                int32_t sums[8];
                const int32x4x2_t lanes = {{acc[0], acc[1]}};
                vst2q_s32(sums, lanes); /* interleaved back: channel order */
                const int32_t n = PCN_MIN(8, left);
                for (int32_t k = 0; k < n; k++)
                {
                    out[c + k] = dw_s16_output(sums[k], c + k, quant_params, bias, act_min, act_max);
                }
            }
    #else
            for (; c + 4 <= ch; c += 4)
            {
                int32_t s[4];
                dw_s16_sums(in_first + c, w_first + c, ky1 - ky0, taps_x, in_w * ch, k_w * ch, ch, s);
                const int32_t s0 = s[0];
                const int32_t s1 = s[1];
                const int32_t s2 = s[2];
                const int32_t s3 = s[3];
                if (quick)
                {
                    out[c] = dw_s16_output_quick(s0, c, quant_params, bias, act_min, act_max);
                    out[c + 1] = dw_s16_output_quick(s1, c + 1, quant_params, bias, act_min, act_max);
                    out[c + 2] = dw_s16_output_quick(s2, c + 2, quant_params, bias, act_min, act_max);
                    out[c + 3] = dw_s16_output_quick(s3, c + 3, quant_params, bias, act_min, act_max);
                    continue;
                }
                out[c] = dw_s16_output(s0, c, quant_params, bias, act_min, act_max);
                out[c + 1] = dw_s16_output(s1, c + 1, quant_params, bias, act_min, act_max);
                out[c + 2] = dw_s16_output(s2, c + 2, quant_params, bias, act_min, act_max);
                out[c + 3] = dw_s16_output(s3, c + 3, quant_params, bias, act_min, act_max);
            }
            for (; c < ch; c++)
            {
                int32_t s0 = 0;
                for (int32_t ky = ky0; ky < ky1; ky++)
                {
                    const int16_t *x = in_first + (size_t)(ky - ky0) * in_w * ch + c;
                    const int8_t *w = w_first + (size_t)(ky - ky0) * k_w * ch + c;
                    for (int32_t k = taps_x; k > 0; k--)
                    {
                        s0 = __smlabb(*x, *w, s0);
                        x += ch;
                        w += ch;
                    }
                }
                out[c] = dw_s16_output(s0, c, quant_params, bias, act_min, act_max);
            }
    #endif
        }
    }
}

#endif /* ARM_MATH_MVEI || ARM_MATH_DSP */

arm_cmsis_nn_status arm_depthwise_conv_fast_s16(const cmsis_nn_context *ctx,
                                                const cmsis_nn_dw_conv_params *dw_conv_params,
                                                const cmsis_nn_per_channel_quant_params *quant_params,
                                                const cmsis_nn_dims *input_dims,
                                                const int16_t *input_data,
                                                const cmsis_nn_dims *filter_dims,
                                                const int8_t *filter_data,
                                                const cmsis_nn_dims *bias_dims,
                                                const int64_t *bias_data,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output_data)
{
    (void)bias_dims;
    const arm_cmsis_nn_status status = arm_nn_depthwise_conv_s16_check(
        dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, output_dims, output_data);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    if (dw_conv_params->ch_mult != 1 || input_dims->c != output_dims->c)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (arm_depthwise_conv_fast_s16_get_buffer_size(input_dims, filter_dims) > 0 && (ctx == NULL || ctx->buf == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    if (dw_conv_params->dilation.w == 1 && dw_conv_params->dilation.h == 1 &&
        filter_dims->h * filter_dims->w <= PCN_S16_CHUNK)
    {
        const size_t in_image = (size_t)input_dims->h * input_dims->w * input_dims->c;
        const size_t out_image = (size_t)output_dims->h * output_dims->w * output_dims->c;
        for (int32_t b = 0; b < input_dims->n; b++)
        {
            dw_s16_fast_image(dw_conv_params,
                              quant_params,
                              input_dims,
                              input_data + b * in_image,
                              filter_dims,
                              filter_data,
                              bias_data,
                              output_dims,
                              output_data + b * out_image);
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    arm_nn_depthwise_conv_s16_core(dw_conv_params,
                                   quant_params,
                                   input_dims,
                                   input_data,
                                   filter_dims,
                                   filter_data,
                                   bias_data,
                                   output_dims,
                                   output_data);
    return ARM_CMSIS_NN_SUCCESS;
}
