/*
 * pycmsisnn: private helpers of the s8 convolution family (not part of the API).
 *
 * The dispatch predicates are shared by arm_convolve_wrapper_s8 and its three
 * buffer-size functions so that both always agree on the kernel chosen. The
 * two compute cores are shared by the public kernels of the family.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_CONV_S8_H
#define PYCMSISNN_INTERNAL_ARM_NN_CONV_S8_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Input channels beyond which transpose conv goes through the reverse conv. */
#define PCN_REVERSE_TCONV_MIN_INPUT_CH 16

/* A 1x1 filter over unpadded, undilated, ungrouped input (any stride). */
static inline int arm_nn_conv_s8_is_1x1(const cmsis_nn_conv_params *conv_params,
                                        const cmsis_nn_dims *input_dims,
                                        const cmsis_nn_dims *filter_dims)
{
    return conv_params->padding.w == 0 && conv_params->padding.h == 0 && filter_dims->w == 1 &&
        filter_dims->h == 1 && conv_params->dilation.w == 1 && conv_params->dilation.h == 1 &&
        input_dims->c == filter_dims->c;
}

/* The 1x1 case with unit strides: one matrix product over all pixels. */
static inline int arm_nn_conv_s8_is_1x1_fast(const cmsis_nn_conv_params *conv_params)
{
    return conv_params->stride.w == 1 && conv_params->stride.h == 1;
}

/* A row convolution: one input row, one filter row, no x dilation, ungrouped,
 * and a horizontal step (stride.w * input channels) that is a multiple of 4. */
static inline int arm_nn_conv_s8_is_1_x_n(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_dims *input_dims,
                                          const cmsis_nn_dims *filter_dims)
{
    return input_dims->h == 1 && filter_dims->h == 1 && conv_params->dilation.w == 1 &&
        (conv_params->stride.w * input_dims->c) % 4 == 0 && input_dims->c == filter_dims->c;
}

/* Scratch of the im2col kernels in a portable or DSP build: two int16
 * columns of KH * KW * C_IN entries, each rounded up to a multiple of 4. */
static inline int32_t arm_nn_conv_s8_col_buffer_size(const cmsis_nn_dims *input_dims,
                                                     const cmsis_nn_dims *filter_dims)
{
    const int32_t cols = filter_dims->w * filter_dims->h * input_dims->c;
    const int32_t padded = (cols + 3) / 4 * 4;
    return 2 * padded * (int32_t)sizeof(int16_t);
}

/* The same scratch in an MVE build: four int8 columns, each rounded up to a
 * multiple of 16 entries. */
static inline int32_t arm_nn_conv_s8_col_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                         const cmsis_nn_dims *filter_dims)
{
    const int32_t cols = filter_dims->w * filter_dims->h * input_dims->c;
    return 4 * ((cols + 15) / 16) * 16;
}

/* Scratch of the row convolution in an MVE build: the longest filter window
 * including the padding at either end (falls back to the im2col size when
 * the padding cannot be split into whole left and right runs). */
static inline int32_t arm_nn_conv_s8_1_x_n_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims,
                                                           const cmsis_nn_dims *output_dims)
{
    const int32_t ch = input_dims->c;
    const int32_t pad = conv_params->padding.w;
    const int32_t stride = conv_params->stride.w;
    const int32_t kw = filter_dims->w;
    const int32_t out_w = output_dims->w;
    const int32_t odd = ((out_w - 1) * stride + kw - input_dims->w) % 2;
    int32_t left_runs = 0;
    int32_t right_runs = 0;
    if (pad != 0)
    {
        left_runs = (pad + stride - 1) / stride;
        left_runs = left_runs > 1 ? left_runs : 1;
    }
    if (pad + odd != 0)
    {
        right_runs = (pad + odd + stride - 1) / stride;
        right_runs = right_runs > 1 ? right_runs : 1;
    }
    int32_t middle = out_w - left_runs - right_runs;
    middle = middle > 0 ? middle : 0;
    if (left_runs + middle + right_runs != out_w)
    {
        return arm_nn_conv_s8_col_buffer_size_mve(input_dims, filter_dims);
    }
    const int32_t left_size = kw * ch + pad * ch;
    const int32_t right_size = (kw - 1) * ch + (odd ? right_runs * ch : pad * ch);
    return left_size > right_size ? left_size : right_size;
}

/* Bytes of scratch arm_nn_conv_s8_im2col needs at least: one int8 column
 * of KH * KW * C_FILTER entries (never more than any of the sizes above).
 * The DSP and MVE builds use more when the build's own formula above
 * promises it (two columns, an int16 column pair, up to four columns). */
static inline int32_t arm_nn_conv_s8_im2col_scratch(const cmsis_nn_dims *filter_dims)
{
    return filter_dims->w * filter_dims->h * filter_dims->c;
}

/* Generic (optionally grouped, optionally upscaled) convolution through
 * im2col columns in col_buf (the build's arm_convolve_s8 /
 * arm_convolve_1_x_n_s8 buffer size; the portable build uses one column,
 * arm_nn_conv_s8_im2col_scratch bytes).
 * input_dims is the extent the filter slides over; with up_h/up_w > 1 that is
 * the zero-inserted input, whose real data then has ceil(h / up_h) rows of
 * ceil(w / up_w) pixels and sits at the positions that are multiples of the
 * factors. Returns ARM_CMSIS_NN_ARG_ERROR for channel counts that do not
 * divide into groups or factors below 1. */
arm_cmsis_nn_status arm_nn_conv_s8_im2col(int8_t *col_buf,
                                          const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_per_channel_quant_params *quant_params,
                                          const cmsis_nn_dims *input_dims,
                                          const int8_t *input_data,
                                          const cmsis_nn_dims *filter_dims,
                                          const int8_t *filter_data,
                                          const int32_t *bias_data,
                                          int32_t up_h,
                                          int32_t up_w,
                                          const cmsis_nn_dims *output_dims,
                                          int8_t *output_data);

/* 1x1 convolution without padding at any stride: each output pixel is the
 * product of one input pixel with the [C_OUT, C_IN] weight matrix. Needs no
 * scratch. Returns ARM_CMSIS_NN_ARG_ERROR when an output pixel would read
 * outside the input or the channel counts disagree. */
arm_cmsis_nn_status arm_nn_conv_s8_pointwise(const cmsis_nn_conv_params *conv_params,
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

#endif /* PYCMSISNN_INTERNAL_ARM_NN_CONV_S8_H */
