/*
 * pycmsisnn: kernels of the type-conversion, logical and data-update
 * operators TFLite Micro runs on integer and bool tensors that CMSIS-NN
 * lacks. None of them requantises: values are converted or copied raw,
 * whatever the tensors' scales and zero points (as TFLite Micro does).
 *
 *   pycmsisnn_cast                                CAST between int8, int16, int32, float32 and bool
 *   pycmsisnn_reverse_s8 / _s16                   REVERSE_V2 (one run of contiguous axes)
 *   pycmsisnn_fill_scalar_s8 / _s32               FILL with a value computed at run time
 *   pycmsisnn_dynamic_update_slice_s8 / _s16      DYNAMIC_UPDATE_SLICE (start indices clamped)
 *   pycmsisnn_logical_and, pycmsisnn_logical_or   LOGICAL_AND / LOGICAL_OR (broadcasting)
 *   pycmsisnn_logical_not                         LOGICAL_NOT
 *   pycmsisnn_reduce_all                          REDUCE_ALL
 *
 * Bool tensors hold one byte per element (C99 bool, 0 or 1). Tensors
 * described by cmsis_nn_dims are NHWC; a tensor of lower rank has its leading
 * dimensions set to 1. Every kernel returns ARM_CMSIS_NN_ARG_ERROR for a NULL
 * pointer, a non-positive extent or an argument that would make it read or
 * write out of bounds, and ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_CAST_LOGIC_H
#define PYCMSISNN_CAST_LOGIC_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element types of pycmsisnn_cast. */
typedef enum
{
    PYCMSISNN_TYPE_INT8 = 0,
    PYCMSISNN_TYPE_INT16 = 1,
    PYCMSISNN_TYPE_INT32 = 2,
    PYCMSISNN_TYPE_FLOAT32 = 3,
    PYCMSISNN_TYPE_BOOL = 4
} pycmsisnn_element_type;

/* size elements converted from input_type to output_type (different types):
 *   integer or bool to a narrower integer: the low bits (two's complement wrap);
 *   integer or bool to a wider integer or to float32: the value (to float32
 *   rounded to nearest, ties to even);
 *   float32 to an integer: truncated towards zero, saturated to the type's
 *   range, NaN to 0;
 *   anything to bool: whether the value is non-zero (NaN is true). */
arm_cmsis_nn_status pycmsisnn_cast(const pycmsisnn_element_type input_type,
                                   const void *input,
                                   const pycmsisnn_element_type output_type,
                                   void *output,
                                   const int32_t size);

/* The input is [outer][extent][inner]; output[o][e][i] = input[o][extent - 1 - e][i].
 * (Reversing a run of contiguous axes reverses the flat index over them.) */
arm_cmsis_nn_status pycmsisnn_reverse_s8(const int8_t *input,
                                         const int32_t outer,
                                         const int32_t extent,
                                         const int32_t inner,
                                         int8_t *output);

arm_cmsis_nn_status pycmsisnn_reverse_s16(const int16_t *input,
                                          const int32_t outer,
                                          const int32_t extent,
                                          const int32_t inner,
                                          int16_t *output);

/* size elements of output set to *value (one element read at run time). */
arm_cmsis_nn_status pycmsisnn_fill_scalar_s8(const int8_t *value, const int32_t size, int8_t *output);

arm_cmsis_nn_status pycmsisnn_fill_scalar_s32(const int32_t *value, const int32_t size, int32_t *output);

/* output = operand with update written over the block starting at start:
 * both of rank dims (1 to 8), shapes operand_shape and update_shape, each
 * update extent at most the operand's. start[d] is clamped into
 * [0, operand_shape[d] - update_shape[d]] first, so the block always fits.
 * output may be operand itself. */
arm_cmsis_nn_status pycmsisnn_dynamic_update_slice_s8(const int32_t dims,
                                                      const int32_t *operand_shape,
                                                      const int8_t *operand,
                                                      const int32_t *update_shape,
                                                      const int8_t *update,
                                                      const int32_t *start,
                                                      int8_t *output);

arm_cmsis_nn_status pycmsisnn_dynamic_update_slice_s16(const int32_t dims,
                                                       const int32_t *operand_shape,
                                                       const int16_t *operand,
                                                       const int32_t *update_shape,
                                                       const int16_t *update,
                                                       const int32_t *start,
                                                       int16_t *output);

/* Element by element, both inputs broadcast to the output (each input
 * dimension equal to the output's or 1, then repeated along it). */
arm_cmsis_nn_status pycmsisnn_logical_and(const cmsis_nn_dims *input_1_dims,
                                          const bool *input_1,
                                          const cmsis_nn_dims *input_2_dims,
                                          const bool *input_2,
                                          const cmsis_nn_dims *output_dims,
                                          bool *output);

arm_cmsis_nn_status pycmsisnn_logical_or(const cmsis_nn_dims *input_1_dims,
                                         const bool *input_1,
                                         const cmsis_nn_dims *input_2_dims,
                                         const bool *input_2,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output);

arm_cmsis_nn_status pycmsisnn_logical_not(const bool *input, const int32_t size, bool *output);

/* Whether every element of each block of reduced axes is true: each output
 * dimension is either the input's (kept) or 1 (reduced). */
arm_cmsis_nn_status pycmsisnn_reduce_all(const cmsis_nn_dims *input_dims,
                                         const bool *input,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_CAST_LOGIC_H */
