/*
 * pycmsisnn: arm_avgpool_s16, int16 average pooling (TFLite Micro's int16
 * reference).
 *
 * Each output is the mean of the int16 inputs under its window, the window
 * clipped to the input so that padding adds neither to the sum nor to the
 * count; the division rounds half away from zero and the result is clamped
 * to the activation range. Sums are int32 (exact for windows up to 65536
 * values). No scratch is used.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

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
    int32_t b, oy, ox, c, y, x;

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
                const int32_t count = (y1 - y0) * (x1 - x0);

                for (c = 0; c < channels; c++)
                {
                    int32_t sum = 0;

                    for (y = y0; y < y1; y++)
                    {
                        const int16_t *row = in_batch + (size_t)(y * in_w) * (size_t)channels + c;

                        for (x = x0; x < x1; x++)
                        {
                            sum += row[(size_t)x * (size_t)channels];
                        }
                    }
                    sum = (sum > 0) ? (sum + count / 2) / count : (sum - count / 2) / count;
                    *output_data++ = (int16_t)PCN_CLAMP(sum, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
