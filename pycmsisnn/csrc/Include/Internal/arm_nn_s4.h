/*
 * pycmsisnn: private helpers of the s4 (packed int4 weight) kernels (not part
 * of the API).
 *
 * Only the fields the API documents are read: the filter's input channels are
 * input_dims->c (conv, never grouped) and its output channels output_dims->c
 * (filter_dims->c is left unset by callers such as Arm's unit tests).
 *
 * Weights are TFLite's packed INT4: the logical tensor, in its row-major
 * order, is one stream of 4-bit two's complement values, two per byte, the
 * value of even index in the low nibble, the next in the high nibble; an odd
 * count leaves the last byte's high nibble unused. A row of the filter
 * therefore starts in the middle of a byte whenever an earlier row had an odd
 * length. The kernels read each weight from its nibble and otherwise compute
 * exactly as the s8 kernels (TensorFlow Lite Micro unpacks INT4 weights to
 * int8 and runs its int8 reference kernels): int32 accumulator from the bias,
 * (x + input_offset) * w over the taps inside the input, per-channel
 * double-rounding requantisation, output offset, clamp.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_S4_H
#define PYCMSISNN_INTERNAL_ARM_NN_S4_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Weight i of a packed int4 stream, sign-extended. */
static inline int32_t pcn_s4_weight(const int8_t *packed, const int32_t i)
{
    const uint32_t byte = (uint32_t)(uint8_t)packed[i >> 1];
    const int32_t nibble = (int32_t)((i & 1) ? (byte >> 4) : (byte & 0x0Fu));
    return nibble >= 8 ? nibble - 16 : nibble;
}

/* The first n weights of a packed int4 stream as int8, into dst. */
static inline void pcn_s4_unpack(const int8_t *packed, const int32_t n, int8_t *dst)
{
    int32_t i = 0;
    for (; i + 1 < n; i += 2)
    {
        const int32_t b = *packed++;
        /* Low nibble to the top of a byte and back, keeping its sign. */
        *dst++ = (int8_t)((int8_t)(uint8_t)((uint32_t)b << 4) >> 4);
        *dst++ = (int8_t)(b >> 4);
    }
    if (i < n)
    {
        *dst = (int8_t)pcn_s4_weight(packed, 0);
    }
}

/* sum_k (x[k] + input_offset) * w(first + k) for k < n. */
static inline int32_t pcn_s4_dot(const int8_t *x,
                                 const int8_t *packed,
                                 int32_t first,
                                 const int32_t n,
                                 const int32_t input_offset)
{
    int32_t acc = 0;
    int32_t k = 0;
    if ((first & 1) && n > 0)
    {
        acc += ((int32_t)x[0] + input_offset) * pcn_s4_weight(packed, first);
        k = 1;
        first++;
    }
    /* first is even here: whole bytes, low nibble then high nibble. */
    const int8_t *w = packed + (first >> 1);
    for (; k + 1 < n; k += 2)
    {
        const uint32_t b = (uint32_t)(uint8_t)*w++;
        const int32_t lo = (int32_t)(b & 0x0Fu);
        const int32_t hi = (int32_t)(b >> 4);
        const int32_t lo_s = lo >= 8 ? lo - 16 : lo;
        const int32_t hi_s = hi >= 8 ? hi - 16 : hi;
        acc += ((int32_t)x[k] + input_offset) * lo_s;
        acc += ((int32_t)x[k + 1] + input_offset) * hi_s;
    }
    if (k < n)
    {
        const int32_t lo = (int32_t)((uint32_t)(uint8_t)*w & 0x0Fu);
        acc += ((int32_t)x[k] + input_offset) * (lo >= 8 ? lo - 16 : lo);
    }
    return acc;
}

/* A 1x1 filter over unpadded, undilated input (any stride). */
static inline int arm_nn_conv_s4_is_1x1(const cmsis_nn_conv_params *conv_params,
                                        const cmsis_nn_dims *input_dims,
                                        const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    return conv_params->padding.w == 0 && conv_params->padding.h == 0 && filter_dims->w == 1 &&
        filter_dims->h == 1 && conv_params->dilation.w == 1 && conv_params->dilation.h == 1;
}

/* The 1x1 case with unit strides. */
static inline int arm_nn_conv_s4_is_1x1_fast(const cmsis_nn_conv_params *conv_params)
{
    return conv_params->stride.w == 1 && conv_params->stride.h == 1;
}

/* A row convolution: one input row, one filter row, no x dilation, and a
 * horizontal step (stride.w * input channels) that is a multiple of 4. */
static inline int arm_nn_conv_s4_is_1_x_n(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_dims *input_dims,
                                          const cmsis_nn_dims *filter_dims)
{
    return input_dims->h == 1 && filter_dims->h == 1 && conv_params->dilation.w == 1 &&
        (conv_params->stride.w * input_dims->c) % 4 == 0;
}

/* Scratch promised by the s4 im2col-style kernels (generic, even, 1xN), as
 * Arm's buffer-size functions give it (measured; code sized for either
 * library must fit both): portable and DSP builds two int16 columns of
 * KH * KW * C_IN entries, MVE builds four int8 columns of that many rounded
 * up to 16. The portable kernels use none of it; the DSP and MVE paths of
 * arm_nn_conv_s4 gather columns there when the layer fits
 * (arm_nn_conv_s4_col_buffer_size: the build's own size). */
static inline int32_t arm_nn_conv_s4_col_buffer_size_dsp(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    return 2 * filter_dims->w * filter_dims->h * input_dims->c * (int32_t)sizeof(int16_t);
}

static inline int32_t arm_nn_conv_s4_col_buffer_size_mve(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    const int32_t cols = filter_dims->w * filter_dims->h * input_dims->c;
    return 4 * ((cols + 15) / 16 * 16) * (int32_t)sizeof(int8_t);
}

static inline int32_t arm_nn_conv_s4_col_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_nn_conv_s4_col_buffer_size_mve(input_dims, filter_dims);
#else
    return arm_nn_conv_s4_col_buffer_size_dsp(input_dims, filter_dims);
#endif
}

/* The depthwise wrapper's optimised path: ch_mult 1, batch 1, no dilation. */
static inline int arm_nn_dw_s4_takes_opt(const cmsis_nn_dw_conv_params *dw_conv_params, const cmsis_nn_dims *input_dims)
{
    return dw_conv_params->ch_mult == 1 && input_dims->n == 1 && dw_conv_params->dilation.w == 1 &&
        dw_conv_params->dilation.h == 1;
}

/* Convolution over packed int4 weights (any kernel size, stride, padding,
 * dilation, batch; ungrouped). Checks its geometry; ARG_ERROR when wrong. */
arm_cmsis_nn_status arm_nn_conv_s4_direct(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data);

/* arm_nn_conv_s4_direct, through the DSP or MVE blocks where the build has
 * them (Internal/arm_nn_s4_simd.h). scratch, when not NULL, holds at least
 * arm_nn_conv_s4_col_buffer_size bytes and lets receptive fields that are not
 * one run of the input (padding, several filter rows) be gathered there;
 * without it only layers whose fields are all runs (1x1 without padding) are
 * vectorised. The results are those of arm_nn_conv_s4_direct. */
arm_cmsis_nn_status arm_nn_conv_s4(int8_t *scratch,
                                   const cmsis_nn_conv_params *conv_params,
                                   const cmsis_nn_per_channel_quant_params *quant_params,
                                   const cmsis_nn_dims *input_dims,
                                   const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims,
                                   const int8_t *filter_data,
                                   const int32_t *bias_data,
                                   const cmsis_nn_dims *output_dims,
                                   int8_t *output_data);

/* Depthwise convolution over packed int4 weights [1, KH, KW, C_OUT]
 * (any ch_mult, stride, padding, dilation, batch). */
arm_cmsis_nn_status arm_nn_depthwise_conv_s4_direct(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const int8_t *input_data,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const int8_t *filter_data,
                                                    const int32_t *bias_data,
                                                    const cmsis_nn_dims *output_dims,
                                                    int8_t *output_data);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_INTERNAL_ARM_NN_S4_H */
