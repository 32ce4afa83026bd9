/*
 * pycmsisnn: int8 kernels of tensor operators that CMSIS-NN lacks.
 *
 *   pycmsisnn_mean_s8            MEAN over any set of axes of a rank <= 4 tensor
 *   pycmsisnn_strided_slice_s8   STRIDED_SLICE with resolved begins and strides
 *   pycmsisnn_broadcast_add_s8   ADD with broadcasting
 *   pycmsisnn_broadcast_sub_s8   SUB with broadcasting
 *   pycmsisnn_broadcast_mul_s8   MUL with broadcasting
 *
 * Tensors are described by cmsis_nn_dims in NHWC order; a tensor of lower
 * rank has its leading dimensions set to 1. All quantisation parameters are
 * derived by the caller (pycmsisnn's lowering), the kernels only evaluate
 * them. Every kernel returns ARM_CMSIS_NN_ARG_ERROR for arguments that would
 * make it read or write out of bounds, ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_TENSOR_OPS_H
#define PYCMSISNN_TENSOR_OPS_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MEAN: out = clamp(requantize(sum of (x + input_offset) over the reduced
 * elements, multiplier, shift) + output_offset, -128, 127). The multiplier
 * and shift already hold s_in / (s_out * count of reduced elements). */
typedef struct
{
    int32_t input_offset;  /* minus the input zero point */
    int32_t output_offset; /* the output zero point */
    int32_t multiplier;    /* Q31 multiplier, 0 <= multiplier < 2^31 */
    int32_t shift;         /* exponent of the multiplier: > 0 left, < 0 right (>= -31) */
} pycmsisnn_mean_params;

/* STRIDED_SLICE: output[i] = input[begin + i * stride] along every axis. */
typedef struct
{
    cmsis_nn_dims begin;  /* index of the first element taken along N, H, W, C */
    cmsis_nn_dims stride; /* step between taken elements along N, H, W, C (non-zero, may be negative) */
} pycmsisnn_strided_slice_params;

/* ADD and SUB: each input is offset, scaled up by 2^left_shift and rescaled
 * to a common scale; the sum (or difference) is rescaled to the output. */
typedef struct
{
    int32_t input_1_offset; /* minus the zero point of input 1 */
    int32_t input_1_mult;   /* Q31 multiplier of input 1 to the common scale */
    int32_t input_1_shift;  /* its exponent (<= 0) */
    int32_t input_2_offset; /* minus the zero point of input 2 */
    int32_t input_2_mult;   /* Q31 multiplier of input 2 to the common scale */
    int32_t input_2_shift;  /* its exponent (<= 0) */
    int32_t left_shift;     /* headroom shift applied to both offset inputs */
    int32_t output_offset;  /* the output zero point */
    int32_t output_mult;    /* Q31 multiplier from the common scale to the output */
    int32_t output_shift;   /* its exponent (<= 0) */
    cmsis_nn_activation activation; /* output clamp */
} pycmsisnn_add_params;

/* MUL: out = clamp(requantize((x1 + input_1_offset) * (x2 + input_2_offset),
 * output_mult, output_shift) + output_offset). */
typedef struct
{
    int32_t input_1_offset; /* minus the zero point of input 1 */
    int32_t input_2_offset; /* minus the zero point of input 2 */
    int32_t output_offset;  /* the output zero point */
    int32_t output_mult;    /* Q31 multiplier of s1 * s2 / s_out */
    int32_t output_shift;   /* its exponent: > 0 left, < 0 right */
    cmsis_nn_activation activation; /* output clamp */
} pycmsisnn_mul_params;

/* Each output dimension is either the input's (kept) or 1 (reduced). */
arm_cmsis_nn_status pycmsisnn_mean_s8(const pycmsisnn_mean_params *params,
                                      const cmsis_nn_dims *input_dims,
                                      const int8_t *input,
                                      const cmsis_nn_dims *output_dims,
                                      int8_t *output);

/* Every index begin + i * stride (0 <= i < output extent) must lie inside the input. */
arm_cmsis_nn_status pycmsisnn_strided_slice_s8(const pycmsisnn_strided_slice_params *params,
                                               const cmsis_nn_dims *input_dims,
                                               const int8_t *input,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output);

/* For the three broadcasting kernels, each input dimension equals the
 * output's or is 1 (then repeated along it). */
arm_cmsis_nn_status pycmsisnn_broadcast_add_s8(const pycmsisnn_add_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output);

arm_cmsis_nn_status pycmsisnn_broadcast_sub_s8(const pycmsisnn_add_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output);

arm_cmsis_nn_status pycmsisnn_broadcast_mul_s8(const pycmsisnn_mul_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_TENSOR_OPS_H */
