/*
 * pycmsisnn: private helpers of the s8 transpose convolution (not part of the
 * API): the route the wrapper takes and the scratch sizes of each route, shared
 * by the wrapper and the buffer-size functions so that they always agree.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_TRANSPOSE_CONV_S8_H
#define PYCMSISNN_INTERNAL_ARM_NN_TRANSPOSE_CONV_S8_H

#include "Internal/arm_nn_conv_s8.h"
#include "arm_nn_types.h"

/* The wrapper runs a transpose conv as an ordinary convolution of the
 * zero-inserted input with the spatially flipped filter when both strides are
 * at most 2 and there are more than PCN_REVERSE_TCONV_MIN_INPUT_CH input
 * channels; otherwise it calls arm_transpose_conv_s8. */
static inline int arm_nn_transpose_conv_s8_is_reverse(const cmsis_nn_transpose_conv_params *params,
                                                      const cmsis_nn_dims *input_dims)
{
    return params->stride.w <= 2 && params->stride.h <= 2 && input_dims->c > PCN_REVERSE_TCONV_MIN_INPUT_CH;
}

/* The zero-inserted input the reverse convolution slides over. */
static inline cmsis_nn_dims arm_nn_transpose_conv_s8_upscaled_dims(const cmsis_nn_transpose_conv_params *params,
                                                                   const cmsis_nn_dims *input_dims)
{
    cmsis_nn_dims d;
    d.n = input_dims->n;
    d.h = input_dims->h * params->stride.h;
    d.w = input_dims->w * params->stride.w;
    d.c = input_dims->c;
    return d;
}

/* Scratch the CMSIS-NN interface reserves for the scatter route: int32 rows
 * of the output, as many as the filter is tall (or the vertical stride, if
 * larger), each as wide as the strided input plus the filter overhang. The
 * overhang term pairs the filter width with the vertical stride, as the
 * interface's own formula does. */
static inline int32_t arm_nn_transpose_conv_s8_rows_buffer_size(const cmsis_nn_transpose_conv_params *params,
                                                                const cmsis_nn_dims *input_dims,
                                                                const cmsis_nn_dims *filter_dims,
                                                                const cmsis_nn_dims *out_dims)
{
    const int32_t overhang = filter_dims->w > params->stride.h ? filter_dims->w : params->stride.h;
    const int32_t row = ((input_dims->w - 1) * params->stride.w + overhang) * out_dims->c;
    const int32_t rows = filter_dims->h > params->stride.h ? filter_dims->h : params->stride.h;
    return row * rows * (int32_t)sizeof(int32_t);
}

#endif /* PYCMSISNN_INTERNAL_ARM_NN_TRANSPOSE_CONV_S8_H */
