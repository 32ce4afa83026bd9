/*
 * pycmsisnn: private helpers of the s8 depthwise kernels (not part of the API).
 *
 * The layer predicates are shared by arm_depthwise_conv_wrapper_s8 and its
 * buffer-size functions so that the kernel chosen and the scratch sized for
 * it can never disagree. The pixel helper is the arithmetic common to the
 * channel-multiplier-1 kernels (_opt and 3x3) in their portable build; the
 * vectorised builds (MVE, DSP) share the window walk and the per-pixel
 * channel loops in Internal/arm_nn_depthwise_s8_simd.h.
 */
#ifndef ARM_NN_DEPTHWISE_S8_COMMON_H
#define ARM_NN_DEPTHWISE_S8_COMMON_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"

/* Channels handled per block by the vectorised (MVE) _opt kernel; its scratch
 * holds four such blocks of one filter window each. */
#define PCN_DW_CH_IN_BLOCK_MVE (124)

/* On MVE builds a depthwise layer with one input channel and more output
 * channels than this becomes an ordinary convolution. The threshold depends
 * on the compiler the official library is built with. */
#if defined(__ARMCC_VERSION)
    #define PCN_DW_TO_CONV_OUT_CH_THRESHOLD (8)
#else
    #define PCN_DW_TO_CONV_OUT_CH_THRESHOLD (1)
#endif

/* True when the optimised (channel multiplier 1) kernels can take the layer:
 * one batch, no dilation. `same_channels` is the ch_mult == 1 test, which the
 * wrapper reads from the parameters and the buffer-size functions from the dims. */
static inline int arm_nn_dw_s8_takes_opt(const int same_channels,
                                         const cmsis_nn_dw_conv_params *dw_conv_params,
                                         const cmsis_nn_dims *input_dims)
{
    return same_channels && input_dims->n == 1 && dw_conv_params->dilation.w == 1 &&
        dw_conv_params->dilation.h == 1;
}

/* True for a 3x3 filter with at most one row/column of leading padding. */
static inline int arm_nn_dw_s8_takes_3x3(const cmsis_nn_dw_conv_params *dw_conv_params,
                                         const cmsis_nn_dims *filter_dims)
{
    return filter_dims->w == 3 && filter_dims->h == 3 && dw_conv_params->padding.w <= 1 &&
        dw_conv_params->padding.h <= 1;
}

/* First and one-past-last filter tap (undilated) whose input coordinate
 * origin + tap lies in [0, size). */
static inline void arm_nn_dw_s8_clip(const int32_t origin,
                                     const int32_t size,
                                     const int32_t taps,
                                     int32_t *first,
                                     int32_t *end)
{
    *first = PCN_MAX(0, -origin);
    *end = PCN_MIN(taps, size - origin);
    if (*end < *first)
    {
        *end = *first;
    }
}

/*
 * Every channel of one output pixel of a channel-multiplier-1 layer.
 * `input` is the (batch 1) NHWC input, `origin_y`/`origin_x` the input
 * coordinates under filter tap (0, 0), and the taps [ky0, ky1) x [kx0, kx1)
 * are the ones inside the input. Writes `channels` bytes at `out`.
 */
static inline void arm_nn_dw_s8_pixel_ch1(const int8_t *input,
                                          const int32_t input_w,
                                          const int32_t channels,
                                          const int8_t *filter,
                                          const int32_t filter_w,
                                          const int32_t *bias,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dw_conv_params *dw_conv_params,
                                          const int32_t origin_y,
                                          const int32_t origin_x,
                                          const int32_t ky0,
                                          const int32_t ky1,
                                          const int32_t kx0,
                                          const int32_t kx1,
                                          int8_t *out)
{
    const int32_t in_offset = dw_conv_params->input_offset;
    int32_t c;

    for (c = 0; c < channels; c++)
    {
        int32_t acc = (bias != NULL) ? bias[c] : 0;
        int32_t ky;

        for (ky = ky0; ky < ky1; ky++)
        {
            /* Walk one filter row and the input row under it, channel c. */
            const int8_t *x = input + ((origin_y + ky) * input_w + origin_x + kx0) * channels + c;
            const int8_t *w = filter + (ky * filter_w + kx0) * channels + c;
            int32_t kx;

            for (kx = kx0; kx < kx1; kx++)
            {
                acc += ((int32_t)*x + in_offset) * (int32_t)*w;
                x += channels;
                w += channels;
            }
        }
        out[c] = arm_nn_requantize_clamp_s8(acc,
                                            quant_params->multiplier[c],
                                            quant_params->shift[c],
                                            dw_conv_params->output_offset,
                                            dw_conv_params->activation.min,
                                            dw_conv_params->activation.max);
    }
}

#endif /* ARM_NN_DEPTHWISE_S8_COMMON_H */
