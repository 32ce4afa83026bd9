/*
 * pycmsisnn: arm_batch_matmul_s16, 16x16 batch matmul (TFLite Micro's int16
 * BATCH_MATMUL: 64-bit accumulation, the int64 requantisation).
 *
 * For every batch (n, h) of the output:
 *   out[n][h][i][j] = clamp(rq64(sum_k lhs[n][h][i][k] * rhs[n][h][j][k]))
 * lhs is [n][h][w = rows][c = depth]; rhs is stored transposed,
 * [n][h][w = columns][c = depth]; the output is [n][h][lhs w][rhs w]. A
 * batch dimension of 1 on one side is broadcast against the other side's.
 * rq64 reduces the multiplier to Q15 and rounds once (pcn_requantize_s64).
 * Offsets and adj_x/adj_y are not read (symmetric int16; the caller lays the
 * operands out as described); no scratch is used.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_arith_s16.h"

/* The output size of one broadcast batch dimension, or -1. */
static int32_t s16_bmm_broadcast(const int32_t a, const int32_t b)
{
    if (a == b || b == 1)
    {
        return a;
    }
    return (a == 1) ? b : -1;
}

arm_cmsis_nn_status arm_batch_matmul_s16(const cmsis_nn_context *ctx,
                                         const cmsis_nn_bmm_params *bmm_params,
                                         const cmsis_nn_per_tensor_quant_params *quant_params,
                                         const cmsis_nn_dims *input_lhs_dims,
                                         const int16_t *input_lhs,
                                         const cmsis_nn_dims *input_rhs_dims,
                                         const int16_t *input_rhs,
                                         const cmsis_nn_dims *output_dims,
                                         int16_t *output)
{
    const int32_t rows = input_lhs_dims->w;
    const int32_t cols = input_rhs_dims->w;
    const int32_t depth = input_lhs_dims->c;
    const int32_t out_n = s16_bmm_broadcast(input_lhs_dims->n, input_rhs_dims->n);
    const int32_t out_h = s16_bmm_broadcast(input_lhs_dims->h, input_rhs_dims->h);
    const int32_t act_min = bmm_params->fc_params.activation.min;
    const int32_t act_max = bmm_params->fc_params.activation.max;
    const int32_t multiplier = quant_params->multiplier;
    const int32_t shift = quant_params->shift;
    const size_t lhs_mat = (size_t)rows * (size_t)depth;
    const size_t rhs_mat = (size_t)cols * (size_t)depth;
    int32_t n, h, i, j, k;

    (void)ctx;

    if (input_lhs_dims->n < 1 || input_lhs_dims->h < 1 || input_rhs_dims->n < 1 || input_rhs_dims->h < 1 ||
        rows < 0 || cols < 0 || depth < 0 || input_rhs_dims->c != depth || out_n < 0 || out_h < 0 ||
        output_dims->n != out_n || output_dims->h != out_h || output_dims->w != rows || output_dims->c != cols ||
        shift > PCN_S64_SHIFT_MAX || multiplier < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (n = 0; n < out_n; n++)
    {
        const int32_t lhs_n = input_lhs_dims->n == 1 ? 0 : n;
        const int32_t rhs_n = input_rhs_dims->n == 1 ? 0 : n;

        for (h = 0; h < out_h; h++)
        {
            const int32_t lhs_h = input_lhs_dims->h == 1 ? 0 : h;
            const int32_t rhs_h = input_rhs_dims->h == 1 ? 0 : h;
            const int16_t *lhs = input_lhs + ((size_t)lhs_n * (size_t)input_lhs_dims->h + (size_t)lhs_h) * lhs_mat;
            const int16_t *rhs = input_rhs + ((size_t)rhs_n * (size_t)input_rhs_dims->h + (size_t)rhs_h) * rhs_mat;

            for (i = 0; i < rows; i++)
            {
                const int16_t *row = lhs + (size_t)i * (size_t)depth;

                for (j = 0; j < cols; j++)
                {
                    const int16_t *col = rhs + (size_t)j * (size_t)depth;
                    int64_t acc = 0;
                    int32_t v;

                    for (k = 0; k < depth; k++)
                    {
                        acc += (int64_t)row[k] * (int64_t)col[k];
                    }
                    v = pcn_requantize_s64(acc, multiplier, shift);
                    *output++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
