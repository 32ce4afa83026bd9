/*
 * pycmsisnn: arm_avgpool_s8, s8 average pooling.
 *
 * Each output is the mean of the input values under its window, the window
 * clipped to the input so that padding neither adds to the sum nor to the
 * count. The division rounds half away from zero; the result is clamped to
 * the activation range. No build uses scratch (the DSP size stays
 * promised so that either library can be linked).
 *
 * Windows of at most 256 values sum exactly in 16 bits (|sum| <= 128 * 256):
 * MVE builds then add 16 channels per step as two int16 vectors (a last
 * block tail-predicated) and divide them in 32-bit lanes by a multiply with
 * an exact reciprocal (avg_div4_mve); DSP builds sum 4 channels per 32-bit
 * word with SXTAB16 (even and odd bytes into two int16 pairs). Larger
 * windows, leftover DSP channels and the portable build sum one channel at a
 * time. The other divisions are the portable ones.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

/* The mean of `count` values summing to `sum`, rounded half away from zero,
 * clamped. */
static inline int8_t avg_round_clamp(int32_t sum, const int32_t count, const int32_t act_min, const int32_t act_max)
{
    sum = (sum > 0) ? (sum + count / 2) / count : (sum - count / 2) / count;
    return (int8_t)PCN_CLAMP(sum, act_min, act_max);
}

#if defined(ARM_MATH_MVEI)
/* avg_round_clamp on four lanes, for counts of at most 256 (|sum| <= 32768):
 * q = floor((|sum| + count / 2) / count) is the high word of
 * 2 * (|sum| + count / 2) * m with m = ceil(2^31 / count) (recip), exact
 * because (|sum| + count / 2) * (m * count - 2^31) < 2^31; the sign of sum
 * goes back on, then the clamp. */
static inline int32x4_t avg_div4_mve(const int32x4_t sum, const int32_t half, const uint32_t recip)
{
    int32x4_t a = vaddq_n_s32(vabsq_s32(sum), half);
    a = vreinterpretq_s32_u32(vmulhq_u32(vreinterpretq_u32_s32(vshlq_n_s32(a, 1)), vdupq_n_u32(recip)));
    return vnegq_m_s32(a, a, vcmpltq_n_s32(sum, 0));
}

/* Eight int16 window sums (channel order) divided and clamped, as int16. */
static inline int16x8_t avg_div8_mve(const int16x8_t sums,
                                     const int32_t half,
                                     const uint32_t recip,
                                     const int16x8_t act_min,
                                     const int16x8_t act_max)
{
    const int32x4_t even = avg_div4_mve(vmovlbq_s16(sums), half, recip);
    const int32x4_t odd = avg_div4_mve(vmovltq_s16(sums), half, recip);
    int16x8_t v = vmovntq_s32(vmovnbq_s32(vuninitializedq_s16(), even), odd);
    v = vmaxq_s16(v, act_min);
    return vminq_s16(v, act_max);
}

/* Channels [c, c + 16) (or the `valid` < 16 from c, predicated) of one
 * output pixel: the window rows [y0, y1) x columns [x0, x1) of at most 256
 * values summed in int16 lanes, then divided in 32-bit lanes. `in` is the
 * batch's input. */
static void avg_pool_block16_mve(const int8_t *in,
                                 const int32_t in_w,
                                 const int32_t channels,
                                 const int32_t c,
                                 const int32_t valid,
                                 const int32_t y0,
                                 const int32_t y1,
                                 const int32_t x0,
                                 const int32_t x1,
                                 const int32_t half,
                                 const uint32_t recip,
                                 const int16x8_t act_min,
                                 const int16x8_t act_max,
                                 int8_t *out)
{
    const int32_t cols = x1 - x0;
    const int32_t row_skip = (in_w - cols) * channels;
    const int8_t *p = in + (y0 * in_w + x0) * channels + c;
    int16x8_t lo = vdupq_n_s16(0);
    int16x8_t hi = vdupq_n_s16(0);
    int32_t y, x;

    if (valid >= 16)
    {
        for (y = y1 - y0; y > 0; y--)
        {
            for (x = cols; x > 0; x--)
            {
                lo = vaddq_s16(lo, vldrbq_s16(p));
                hi = vaddq_s16(hi, vldrbq_s16(p + 8));
                p += channels;
            }
            p += row_skip;
        }
        vstrbq_s16(out + c, avg_div8_mve(lo, half, recip, act_min, act_max));
        vstrbq_s16(out + c + 8, avg_div8_mve(hi, half, recip, act_min, act_max));
    }
    else
    {
        /* lanes off read 0 and are never stored */
        const mve_pred16_t pred_lo = vctp16q((uint32_t)valid);
        const mve_pred16_t pred_hi = vctp16q((uint32_t)(valid > 8 ? valid - 8 : 0));

        for (y = y1 - y0; y > 0; y--)
        {
            for (x = cols; x > 0; x--)
            {
                lo = vaddq_s16(lo, vldrbq_z_s16(p, pred_lo));
                hi = vaddq_s16(hi, vldrbq_z_s16(p + 8, pred_hi));
                p += channels;
            }
            p += row_skip;
        }
        vstrbq_p_s16(out + c, avg_div8_mve(lo, half, recip, act_min, act_max), pred_lo);
        vstrbq_p_s16(out + c + 8, avg_div8_mve(hi, half, recip, act_min, act_max), pred_hi);
    }
}
#endif

/* True when every one of `count` windows of `taps` positions, starting at
 * i * stride - pad, overlaps [0, size). The starts are linear in i, so the
 * first and the last window decide. */
static int windows_overlap(const int32_t count,
                           const int32_t stride,
                           const int32_t pad,
                           const int32_t taps,
                           const int32_t size)
{
    const int32_t first = -pad;
    const int32_t last = (count - 1) * stride - pad;

    if (count < 1)
    {
        return 1;
    }
    return first < size && first + taps > 0 && last < size && last + taps > 0;
}

arm_cmsis_nn_status arm_avgpool_s8(const cmsis_nn_context *ctx,
                                   const cmsis_nn_pool_params *pool_params,
                                   const cmsis_nn_dims *input_dims,
                                   const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims,
                                   const cmsis_nn_dims *output_dims,
                                   int8_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t channels = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t act_min = pool_params->activation.min;
    const int32_t act_max = pool_params->activation.max;
    int32_t b, oy, ox, c;

    (void)ctx;

    /* No batch to pool: an argument error, as in Arm's library. */
    if (batches < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    /* A window wholly in the padding has no mean: refuse before writing. */
    if (!windows_overlap(out_h, pool_params->stride.h, pool_params->padding.h, filter_dims->h, in_h) ||
        !windows_overlap(out_w, pool_params->stride.w, pool_params->padding.w, filter_dims->w, in_w))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * channels;

        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t origin_y = oy * pool_params->stride.h - pool_params->padding.h;
            const int32_t y0 = PCN_MAX(origin_y, 0);
            const int32_t y1 = PCN_MIN(origin_y + filter_dims->h, in_h);

            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t origin_x = ox * pool_params->stride.w - pool_params->padding.w;
                const int32_t x0 = PCN_MAX(origin_x, 0);
                const int32_t x1 = PCN_MIN(origin_x + filter_dims->w, in_w);
                const int32_t count = (y1 - y0) * (x1 - x0);

                c = 0;
#if defined(ARM_MATH_MVEI)
                if (count <= 256)
                {
                    const uint32_t recip = ((1u << 31) + (uint32_t)count - 1u) / (uint32_t)count;
                    const int16x8_t min_v = vdupq_n_s16((int16_t)PCN_MAX(act_min, -32768));
                    const int16x8_t max_v = vdupq_n_s16((int16_t)PCN_MIN(act_max, 32767));

                    for (; c < channels; c += 16)
                    {
                        avg_pool_block16_mve(in_batch,
                                             in_w,
                                             channels,
                                             c,
                                             channels - c,
                                             y0,
                                             y1,
                                             x0,
                                             x1,
                                             count / 2,
                                             recip,
                                             min_v,
                                             max_v,
                                             output_data);
                    }
                    c = channels;
                }
#elif defined(ARM_MATH_DSP)
                if (count <= 256)
                {
                    for (; c <= channels - 4; c += 4)
                    {
                        /* halfword sums: even = channels c, c + 2; odd = c + 1, c + 3 */
                        int32_t even = 0;
                        int32_t odd = 0;
                        int32_t y, x;

                        for (y = y0; y < y1; y++)
                        {
                            const int8_t *row = in_batch + (y * in_w + x0) * channels + c;

                            for (x = x0; x < x1; x++)
                            {
                                int32_t v, v_odd;

                                memcpy(&v, row, sizeof(v));
                                __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(v_odd) : "r"(odd), "r"(v));
                                even = __sxtab16(even, v);
                                odd = v_odd;
                                row += channels;
                            }
                        }
                        output_data[c] = avg_round_clamp((int16_t)even, count, act_min, act_max);
                        output_data[c + 1] = avg_round_clamp((int16_t)odd, count, act_min, act_max);
                        output_data[c + 2] = avg_round_clamp(even >> 16, count, act_min, act_max);
                        output_data[c + 3] = avg_round_clamp(odd >> 16, count, act_min, act_max);
                    }
                }
#endif
                output_data += c;
                for (; c < channels; c++)
                {
                    int32_t sum = 0;
                    int32_t y, x;

                    for (y = y0; y < y1; y++)
                    {
                        const int8_t *row = in_batch + (y * in_w) * channels + c;

                        for (x = x0; x < x1; x++)
                        {
                            sum += row[x * channels];
                        }
                    }
                    /* Round half away from zero, then truncate towards zero. */
                    *output_data++ = avg_round_clamp(sum, count, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
