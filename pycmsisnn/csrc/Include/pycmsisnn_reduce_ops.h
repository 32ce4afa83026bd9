/*
 * pycmsisnn: kernels of reduction, index, comparison and selection operators
 * that CMSIS-NN lacks.
 *
 *   pycmsisnn_arg_max_s8, pycmsisnn_arg_min_s8     ARG_MAX / ARG_MIN, int32 indices
 *   pycmsisnn_reduce_max_s8, pycmsisnn_reduce_min_s8  REDUCE_MAX / REDUCE_MIN
 *   pycmsisnn_equal_s8, pycmsisnn_not_equal_s8, pycmsisnn_less_s8,
 *   pycmsisnn_less_equal_s8, pycmsisnn_greater_s8,
 *   pycmsisnn_greater_equal_s8                     comparisons, bool output
 *   pycmsisnn_select_s8, pycmsisnn_select_s16      SELECT_V2 (bool condition)
 *   pycmsisnn_cumsum_s8                            CUMSUM
 *
 * Tensors are described by cmsis_nn_dims in NHWC order; a tensor of lower
 * rank has its leading dimensions set to 1. An axis is an index into
 * (n, h, w, c): 0 to 3. Bool tensors hold one byte per element (C99 bool,
 * 0 or 1). Inputs of the broadcasting kernels have each dimension equal to the
 * output's or 1 (then repeated along it). All quantisation parameters are
 * derived by the caller (pycmsisnn's lowering); the kernels only evaluate
 * them. Every kernel returns ARM_CMSIS_NN_ARG_ERROR for arguments that would
 * make it read or write out of bounds, ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_REDUCE_OPS_H
#define PYCMSISNN_REDUCE_OPS_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Comparisons: each input is offset, scaled up by 2^left_shift and requantised
 * by its own multiplier (of its scale); the two results are compared. */
typedef struct
{
    int32_t input_1_offset; /* minus the zero point of input 1 */
    int32_t input_1_mult;   /* Q31 multiplier of input 1's scale */
    int32_t input_1_shift;  /* its exponent (<= 0) */
    int32_t input_2_offset; /* minus the zero point of input 2 */
    int32_t input_2_mult;   /* Q31 multiplier of input 2's scale */
    int32_t input_2_shift;  /* its exponent (<= 0) */
    int32_t left_shift;     /* headroom shift applied to both offset inputs */
} pycmsisnn_compare_params;

/* CUMSUM: every offset input is scaled up by 2^left_shift and requantised by
 * input_mult / input_shift; the running sum starts from the requantised
 * offset of a zero input and is requantised to the output. */
typedef struct
{
    int32_t input_offset;  /* minus the input zero point */
    int32_t input_mult;    /* Q31 multiplier of each scaled-up input */
    int32_t input_shift;   /* its exponent (<= 0) */
    int32_t left_shift;    /* headroom shift applied to the offset inputs */
    int32_t output_offset; /* the output zero point */
    int32_t output_mult;   /* Q31 multiplier from the sum to the output */
    int32_t output_shift;  /* its exponent (<= 0) */
} pycmsisnn_cumsum_params;

/* Index of the largest (smallest) element along axis, the first one on ties.
 * output holds the input's elements with the axis removed, in order. */
arm_cmsis_nn_status pycmsisnn_arg_max_s8(const cmsis_nn_dims *input_dims,
                                         const int8_t *input,
                                         const int32_t axis,
                                         int32_t *output);

arm_cmsis_nn_status pycmsisnn_arg_min_s8(const cmsis_nn_dims *input_dims,
                                         const int8_t *input,
                                         const int32_t axis,
                                         int32_t *output);

/* Largest (smallest) element of each block of reduced axes: each output
 * dimension is either the input's (kept) or 1 (reduced). */
arm_cmsis_nn_status pycmsisnn_reduce_max_s8(const cmsis_nn_dims *input_dims,
                                            const int8_t *input,
                                            const cmsis_nn_dims *output_dims,
                                            int8_t *output);

arm_cmsis_nn_status pycmsisnn_reduce_min_s8(const cmsis_nn_dims *input_dims,
                                            const int8_t *input,
                                            const cmsis_nn_dims *output_dims,
                                            int8_t *output);

arm_cmsis_nn_status pycmsisnn_equal_s8(const pycmsisnn_compare_params *params,
                                       const cmsis_nn_dims *input_1_dims,
                                       const int8_t *input_1,
                                       const cmsis_nn_dims *input_2_dims,
                                       const int8_t *input_2,
                                       const cmsis_nn_dims *output_dims,
                                       bool *output);

arm_cmsis_nn_status pycmsisnn_not_equal_s8(const pycmsisnn_compare_params *params,
                                           const cmsis_nn_dims *input_1_dims,
                                           const int8_t *input_1,
                                           const cmsis_nn_dims *input_2_dims,
                                           const int8_t *input_2,
                                           const cmsis_nn_dims *output_dims,
                                           bool *output);

arm_cmsis_nn_status pycmsisnn_less_s8(const pycmsisnn_compare_params *params,
                                      const cmsis_nn_dims *input_1_dims,
                                      const int8_t *input_1,
                                      const cmsis_nn_dims *input_2_dims,
                                      const int8_t *input_2,
                                      const cmsis_nn_dims *output_dims,
                                      bool *output);

arm_cmsis_nn_status pycmsisnn_less_equal_s8(const pycmsisnn_compare_params *params,
                                            const cmsis_nn_dims *input_1_dims,
                                            const int8_t *input_1,
                                            const cmsis_nn_dims *input_2_dims,
                                            const int8_t *input_2,
                                            const cmsis_nn_dims *output_dims,
                                            bool *output);

arm_cmsis_nn_status pycmsisnn_greater_s8(const pycmsisnn_compare_params *params,
                                         const cmsis_nn_dims *input_1_dims,
                                         const int8_t *input_1,
                                         const cmsis_nn_dims *input_2_dims,
                                         const int8_t *input_2,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output);

arm_cmsis_nn_status pycmsisnn_greater_equal_s8(const pycmsisnn_compare_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               bool *output);

/* output = condition ? input_1 : input_2, element by element (values copied). */
arm_cmsis_nn_status pycmsisnn_select_s8(const cmsis_nn_dims *condition_dims,
                                        const bool *condition,
                                        const cmsis_nn_dims *input_1_dims,
                                        const int8_t *input_1,
                                        const cmsis_nn_dims *input_2_dims,
                                        const int8_t *input_2,
                                        const cmsis_nn_dims *output_dims,
                                        int8_t *output);

arm_cmsis_nn_status pycmsisnn_select_s16(const cmsis_nn_dims *condition_dims,
                                         const bool *condition,
                                         const cmsis_nn_dims *input_1_dims,
                                         const int16_t *input_1,
                                         const cmsis_nn_dims *input_2_dims,
                                         const int16_t *input_2,
                                         const cmsis_nn_dims *output_dims,
                                         int16_t *output);

/* Running sum along axis (output shaped as the input): inclusive or exclusive
 * of the current element, from the first element or (reverse) from the last. */
arm_cmsis_nn_status pycmsisnn_cumsum_s8(const pycmsisnn_cumsum_params *params,
                                        const cmsis_nn_dims *input_dims,
                                        const int8_t *input,
                                        const int32_t axis,
                                        const bool exclusive,
                                        const bool reverse,
                                        int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_REDUCE_OPS_H */
