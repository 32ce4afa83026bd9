/*
 * pycmsisnn: arm_avgpool_s8, s8 average pooling.
 *
 * Each output is the mean of the input values under its window, the window
 * clipped to the input so that padding neither adds to the sum nor to the
 * count. The division rounds half away from zero; the result is clamped to
 * the activation range. The portable build needs no scratch.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

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
                for (c = 0; c < channels; c++)
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
                    sum = (sum > 0) ? (sum + count / 2) / count : (sum - count / 2) / count;
                    *output_data++ = (int8_t)PCN_CLAMP(sum, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
