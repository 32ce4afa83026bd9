/*
 * pycmsisnn: private helpers of the s8 fully-connected and batch-matmul kernels.
 *
 * Not part of the public API. The row loops, arm_nn_fc_s8_rows, live in
 * their own file (Source/FullyConnectedFunctions/arm_nn_fc_s8_rows.c): one
 * copy in a program that links several of these kernels.
 */
#ifndef ARM_NN_FC_COMMON_S8_H
#define ARM_NN_FC_COMMON_S8_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_mat_mult_s8.h"

/* Two's-complement addition without the undefined behaviour of signed
 * overflow: an int32 accumulator that overflows wraps, as on the target. */
static inline int32_t pcn_add_wrap_s32(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* out[r][c] for r < rows, c < cols: the requantised, offset and clamped
 * sum_k (lhs[r][k] + lhs_off) * (rhs[c][k] + rhs_off) (+ bias[c]), row c of
 * rhs using multiplier[c * quant_step] and shift[c * quant_step].
 * kernel_sums (read by the MVE path only; NULL for none) holds per column
 * lhs_off * sum_k (rhs[c][k] + rhs_off) + bias[c], as arm_vector_sum_s8
 * computes it: bias is then not read. */
void arm_nn_fc_s8_rows(const int8_t *lhs,
                       const int32_t rows,
                       const int8_t *rhs,
                       const int32_t cols,
                       const int32_t depth,
                       const int32_t lhs_off,
                       const int32_t rhs_off,
                       const int32_t out_off,
                       const int32_t act_min,
                       const int32_t act_max,
                       const int32_t *bias,
                       const int32_t *kernel_sums,
                       const int32_t *mult,
                       const int32_t *shift,
                       const int32_t quant_step,
                       int8_t *out);

/* The fully-connected kernels' common body. On an MVE build a ctx buffer
 * of at least 4 * out_ch bytes holds the kernel sums of arm_vector_sum_s8
 * (input offset, filter offset and bias folded in), as Arm's API requires
 * whenever arm_fully_connected_s8_get_buffer_size() is not 0; other builds,
 * and calls without such a buffer, read no ctx. */
static inline void pcn_fully_connected_s8(const cmsis_nn_context *ctx,
                                          const cmsis_nn_fc_params *fc_params,
                                          const int32_t *mult,
                                          const int32_t *shift,
                                          const int32_t quant_step,
                                          const int8_t *input,
                                          const int8_t *filter,
                                          const int32_t *bias,
                                          int8_t *output,
                                          const int32_t batches,
                                          const int32_t depth,
                                          const int32_t out_ch)
{
    const int32_t *kernel_sums = NULL;
#if defined(ARM_MATH_MVEI)
    if (ctx != NULL && ctx->buf != NULL && ctx->size >= out_ch * (int32_t)sizeof(int32_t))
    {
        kernel_sums = (const int32_t *)ctx->buf;
    }
#else
    (void)ctx;
#endif
    arm_nn_fc_s8_rows(input,
                   batches,
                   filter,
                   out_ch,
                   depth,
                   fc_params->input_offset,
                   fc_params->filter_offset,
                   fc_params->output_offset,
                   fc_params->activation.min,
                   fc_params->activation.max,
                   bias,
                   kernel_sums,
                   mult,
                   shift,
                   quant_step,
                   output);
}

#endif /* ARM_NN_FC_COMMON_S8_H */
