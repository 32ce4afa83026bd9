/*
 * pycmsisnn: arm_avgpool_s16, int16 average pooling (TFLite Micro's int16
 * reference).
 *
 * Each output is the mean of the int16 inputs under its window, the window
 * clipped to the input so that padding adds neither to the sum nor to the
 * count; the division rounds half away from zero and the result is clamped
 * to the activation range. Sums are int32 (exact for windows up to 65536
 * values). No scratch is used.
 *
 * The portable loop sums one channel at a time. MVE builds sum 16 channels
 * at a time in four int32x4 vectors (VLDRH.S32 widens four int16 values),
 * then the last 1-15 channels four at a time, tail-predicated; DSP builds
 * sum 8 channels at a time in eight registers, two channels per word read
 * (SXTAH and an add of the word shifted right by 16), then the leftover
 * channels one at a time. Every path then divides each sum as the portable
 * loop does, so the results are identical.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif

/* The mean of a window: sum / count rounded half away from zero, clamped. */
static inline int16_t s16_mean(const int32_t sum, const int32_t count, const int32_t act_min, const int32_t act_max)
{
    const int32_t q = (sum > 0) ? (sum + count / 2) / count : (sum - count / 2) / count;
    return (int16_t)PCN_CLAMP(q, act_min, act_max);
}

#if !defined(ARM_MATH_MVEI)

/* One output pixel's channels [c0, channels), one channel at a time:
 * `window` points at channel 0 of the window's first pixel; rows of
 * `row_stride` values, pixels of `channels` values. */
static void s16_pool_channels(const int16_t *window,
                              const int32_t rows,
                              const int32_t cols,
                              const int32_t row_stride,
                              const int32_t channels,
                              const int32_t c0,
                              const int32_t act_min,
                              const int32_t act_max,
                              int16_t *out)
{
    const int32_t count = rows * cols;

    for (int32_t c = c0; c < channels; c++)
    {
        int32_t sum = 0;

        for (int32_t y = 0; y < rows; y++)
        {
            const int16_t *row = window + (size_t)y * (size_t)row_stride + c;

            for (int32_t x = 0; x < cols; x++)
            {
                sum += row[(size_t)x * (size_t)channels];
            }
        }
        out[c] = s16_mean(sum, count, act_min, act_max);
    }
}

#endif

#if defined(ARM_MATH_MVEI)

/* Channels [0, channels) of one output pixel: 16 at a time, then 4 at a
 * time (the last vector tail-predicated). */
static void s16_pool_pixel(const int16_t *window,
                           const int32_t rows,
                           const int32_t cols,
                           const int32_t row_stride,
                           const int32_t channels,
                           const int32_t act_min,
                           const int32_t act_max,
                           int16_t *out)
{
    const int32_t count = rows * cols;
    int32_t sums[16];
    int32_t c = 0;

    for (; c + 16 <= channels; c += 16)
    {
        int32x4_t s0 = vdupq_n_s32(0);
        int32x4_t s1 = vdupq_n_s32(0);
        int32x4_t s2 = vdupq_n_s32(0);
        int32x4_t s3 = vdupq_n_s32(0);

        for (int32_t y = 0; y < rows; y++)
        {
            const int16_t *p = window + (size_t)y * (size_t)row_stride + c;

            for (int32_t x = 0; x < cols; x++)
            {
                s0 = vaddq_s32(s0, vldrhq_s32(p));
                s1 = vaddq_s32(s1, vldrhq_s32(p + 4));
                s2 = vaddq_s32(s2, vldrhq_s32(p + 8));
                s3 = vaddq_s32(s3, vldrhq_s32(p + 12));
                p += channels;
            }
        }
        vst1q_s32(sums, s0);
        vst1q_s32(sums + 4, s1);
        vst1q_s32(sums + 8, s2);
        vst1q_s32(sums + 12, s3);
        for (int32_t k = 0; k < 16; k++)
        {
            out[c + k] = s16_mean(sums[k], count, act_min, act_max);
        }
    }
    for (; c < channels; c += 4)
    {
        const int32_t n = PCN_MIN(channels - c, 4);
        const mve_pred16_t pred = vctp32q((uint32_t)n);
        int32x4_t s0 = vdupq_n_s32(0);

        for (int32_t y = 0; y < rows; y++)
        {
            const int16_t *p = window + (size_t)y * (size_t)row_stride + c;

            for (int32_t x = 0; x < cols; x++)
            {
                s0 = vaddq_s32(s0, vldrhq_z_s32(p, pred));
                p += channels;
            }
        }
        vst1q_s32(sums, s0);
        for (int32_t k = 0; k < n; k++)
        {
            out[c + k] = s16_mean(sums[k], count, act_min, act_max);
        }
    }
}

#elif defined(ARM_MATH_DSP)

static inline int32_t s16_pool_read_word(const int16_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Channels [0, channels) of one output pixel: 8 at a time in registers, two
 * per word (the low halfword sign-extended and added, SXTAH; the high one
 * added as the word shifted right by 16), then one at a time. */
static void s16_pool_pixel(const int16_t *window,
                           const int32_t rows,
                           const int32_t cols,
                           const int32_t row_stride,
                           const int32_t channels,
                           const int32_t act_min,
                           const int32_t act_max,
                           int16_t *out)
{
    const int32_t count = rows * cols;
    int32_t c = 0;

    for (; c + 8 <= channels; c += 8)
    {
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;

        for (int32_t y = 0; y < rows; y++)
        {
            const int16_t *p = window + (size_t)y * (size_t)row_stride + c;

            for (int32_t x = 0; x < cols; x++)
            {
                const int32_t w0 = s16_pool_read_word(p);
                const int32_t w1 = s16_pool_read_word(p + 2);
                const int32_t w2 = s16_pool_read_word(p + 4);
                const int32_t w3 = s16_pool_read_word(p + 6);
                s0 += (int16_t)w0;
                s1 += w0 >> 16;
                s2 += (int16_t)w1;
                s3 += w1 >> 16;
                s4 += (int16_t)w2;
                s5 += w2 >> 16;
                s6 += (int16_t)w3;
                s7 += w3 >> 16;
                p += channels;
            }
        }
        out[c] = s16_mean(s0, count, act_min, act_max);
        out[c + 1] = s16_mean(s1, count, act_min, act_max);
        out[c + 2] = s16_mean(s2, count, act_min, act_max);
        out[c + 3] = s16_mean(s3, count, act_min, act_max);
        out[c + 4] = s16_mean(s4, count, act_min, act_max);
        out[c + 5] = s16_mean(s5, count, act_min, act_max);
        out[c + 6] = s16_mean(s6, count, act_min, act_max);
        out[c + 7] = s16_mean(s7, count, act_min, act_max);
    }
    s16_pool_channels(window, rows, cols, row_stride, channels, c, act_min, act_max, out);
}

#else

static void s16_pool_pixel(const int16_t *window,
                           const int32_t rows,
                           const int32_t cols,
                           const int32_t row_stride,
                           const int32_t channels,
                           const int32_t act_min,
                           const int32_t act_max,
                           int16_t *out)
{
    s16_pool_channels(window, rows, cols, row_stride, channels, 0, act_min, act_max, out);
}

#endif

/* Every one of `count` windows of `taps` positions starting at
 * i * stride - pad overlaps [0, size) (the first and last decide). */
static int s16_windows_overlap(const int32_t count, const int32_t stride, const int32_t pad, const int32_t taps, const int32_t size)
{
    const int32_t first = -pad;
    const int32_t last = (count - 1) * stride - pad;

    return first < size && first + taps > 0 && last < size && last + taps > 0;
}

arm_cmsis_nn_status arm_avgpool_s16(const cmsis_nn_context *ctx,
                                    const cmsis_nn_pool_params *pool_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int16_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int16_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t channels = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t stride_h = pool_params->stride.h;
    const int32_t stride_w = pool_params->stride.w;
    const int32_t pad_h = pool_params->padding.h;
    const int32_t pad_w = pool_params->padding.w;
    const int32_t act_min = pool_params->activation.min;
    const int32_t act_max = pool_params->activation.max;
    int32_t b, oy, ox;

    (void)ctx;

    if (batches < 1 || in_h < 1 || in_w < 1 || channels < 1 || out_h < 1 || out_w < 1 || filter_dims->h < 1 ||
        filter_dims->w < 1 || stride_h < 1 || stride_w < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    /* A window wholly in the padding has no mean: refuse before writing. */
    if (!s16_windows_overlap(out_h, stride_h, pad_h, filter_dims->h, in_h) ||
        !s16_windows_overlap(out_w, stride_w, pad_w, filter_dims->w, in_w))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (b = 0; b < batches; b++)
    {
        const int16_t *in_batch = input_data + (size_t)b * (size_t)(in_h * in_w * channels);

        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t origin_y = oy * stride_h - pad_h;
            const int32_t y0 = PCN_MAX(origin_y, 0);
            const int32_t y1 = PCN_MIN(origin_y + filter_dims->h, in_h);

            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t origin_x = ox * stride_w - pad_w;
                const int32_t x0 = PCN_MAX(origin_x, 0);
                const int32_t x1 = PCN_MIN(origin_x + filter_dims->w, in_w);
                const int16_t *window = in_batch + ((size_t)y0 * (size_t)in_w + (size_t)x0) * (size_t)channels;

                s16_pool_pixel(window, y1 - y0, x1 - x0, in_w * channels, channels, act_min, act_max, output_data);
                output_data += channels;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
