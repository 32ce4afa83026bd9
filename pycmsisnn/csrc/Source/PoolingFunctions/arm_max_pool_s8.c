/*
 * pycmsisnn: arm_max_pool_s8, s8 max pooling.
 *
 * Each output is the largest input value under its window, the window
 * clipped to the input (padding never wins), clamped to the activation
 * range. A window wholly in the padding yields the clamped int8 minimum.
 *
 * MVE builds take 16 channels per vector (VMAX, the last block
 * tail-predicated), DSP builds 4 per 32-bit word (SSUB8 sets the byte-wise
 * greater-or-equal flags, SEL keeps the larger bytes) and their leftover
 * channels one at a time, as the portable build does all of them. An
 * activation range reaching outside int8 (no int8 model has one) keeps the
 * portable loop in every build. None needs scratch.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>

/* Channels [c, c + 16) (or the `valid` < 16 from c, predicated) of one
 * output pixel: the maximum over the window rows [y0, y1) x columns
 * [x0, x1), clamped. `in` is the batch's input. */
static void max_pool_block16_mve(const int8_t *in,
                                 const int32_t in_w,
                                 const int32_t channels,
                                 const int32_t c,
                                 const int32_t valid,
                                 const int32_t y0,
                                 const int32_t y1,
                                 const int32_t x0,
                                 const int32_t x1,
                                 const int8_t act_min,
                                 const int8_t act_max,
                                 int8_t *out)
{
    int8x16_t best = vdupq_n_s8(NN_Q7_MIN);
    int32_t y, x;

    if (valid >= 16)
    {
        for (y = y0; y < y1; y++)
        {
            const int8_t *p = in + (y * in_w + x0) * channels + c;

            for (x = x0; x < x1; x++)
            {
                best = vmaxq_s8(best, vldrbq_s8(p));
                p += channels;
            }
        }
        best = vminq_s8(vmaxq_s8(best, vdupq_n_s8(act_min)), vdupq_n_s8(act_max));
        vstrbq_s8(out + c, best);
    }
    else
    {
        const mve_pred16_t pred = vctp8q((uint32_t)valid);

        for (y = y0; y < y1; y++)
        {
            const int8_t *p = in + (y * in_w + x0) * channels + c;

            for (x = x0; x < x1; x++)
            {
                /* lanes off read 0; they are never stored */
                best = vmaxq_s8(best, vldrbq_z_s8(p, pred));
                p += channels;
            }
        }
        best = vminq_s8(vmaxq_s8(best, vdupq_n_s8(act_min)), vdupq_n_s8(act_max));
        vstrbq_p_s8(out + c, best, pred);
    }
}

#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>

/* Byte-wise signed maximum of two words of four int8. */
static inline uint32_t max_s8x4(const uint32_t a, const uint32_t b)
{
    (void)__ssub8((int32_t)a, (int32_t)b);
    return __sel(a, b);
}

/* Byte-wise signed minimum. */
static inline uint32_t min_s8x4(const uint32_t a, const uint32_t b)
{
    (void)__ssub8((int32_t)a, (int32_t)b);
    return __sel(b, a);
}
#endif

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

    /* No batch to pool: an argument error, as in Arm's library. */
    if (batches < 1)
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

                c = 0;
#if defined(ARM_MATH_MVEI)
                if (act_min >= NN_Q7_MIN && act_max <= NN_Q7_MAX)
                {
                    for (; c < channels; c += 16)
                    {
                        max_pool_block16_mve(in_batch,
                                             in_w,
                                             channels,
                                             c,
                                             channels - c,
                                             y0,
                                             y1,
                                             x0,
                                             x1,
                                             (int8_t)act_min,
                                             (int8_t)act_max,
                                             output_data);
                    }
                    c = channels;
                }
#elif defined(ARM_MATH_DSP)
                if (act_min >= NN_Q7_MIN && act_max <= NN_Q7_MAX)
                {
                    const uint32_t min4 = ((uint32_t)act_min & 0xFFu) * 0x01010101u;
                    const uint32_t max4 = ((uint32_t)act_max & 0xFFu) * 0x01010101u;

                    for (; c <= channels - 4; c += 4)
                    {
                        uint32_t best = 0x80808080u;
                        int32_t y, x;

                        for (y = y0; y < y1; y++)
                        {
                            const int8_t *row = in_batch + (y * in_w + x0) * channels + c;

                            for (x = x0; x < x1; x++)
                            {
                                uint32_t v;

                                memcpy(&v, row, sizeof(v));
                                best = max_s8x4(v, best);
                                row += channels;
                            }
                        }
                        best = min_s8x4(max_s8x4(best, min4), max4);
                        memcpy(output_data + c, &best, sizeof(best));
                    }
                }
#endif
                output_data += c;
                for (; c < channels; c++)
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
