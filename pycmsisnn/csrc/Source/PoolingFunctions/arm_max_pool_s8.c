/*
 * pycmsisnn: arm_max_pool_s8, s8 max pooling.
 *
 * Each output is the largest input value under its window, the window
 * clipped to the input (padding never wins), clamped to the activation
 * range. A window wholly in the padding yields the clamped int8 minimum.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_max_pool_s8(const cmsis_nn_context *ctx,
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

                for (c = 0; c < channels; c++)
                {
                    int32_t best = NN_Q7_MIN;
                    int32_t y, x;

                    for (y = y0; y < y1; y++)
                    {
                        const int8_t *row = in_batch + (y * in_w) * channels + c;

                        for (x = x0; x < x1; x++)
                        {
                            best = PCN_MAX(best, (int32_t)row[x * channels]);
                        }
                    }
                    *output_data++ = (int8_t)PCN_CLAMP(best, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
