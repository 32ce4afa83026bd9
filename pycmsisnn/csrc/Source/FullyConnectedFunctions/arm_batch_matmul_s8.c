/*
 * pycmsisnn: arm_batch_matmul_s8.
 *
 * For every batch (n, h) of the output:
 *   out[n][h][i][j] = clamp(requantize(sum_k (lhs[n][h][i][k] + input_offset)
 *                                       * (rhs[n][h][j][k] + filter_offset))
 *                           + output_offset)
 * lhs is [n][h][w = rows][c = depth]; rhs is stored transposed,
 * [n][h][w = columns][c = depth]; the output is [n][h][lhs w][rhs w].
 * A batch dimension of 1 on one side is broadcast against the other side's.
 * adj_x and adj_y are not read: the caller has already laid both operands
 * out as described (as TensorFlow Lite Micro does before calling). Each
 * (n, h) product is the fully-connected core (Internal/arm_nn_fc_common_s8.h,
 * with its DSP and MVE paths) on lhs rows against rhs rows; no path needs
 * scratch and none reads ctx.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_fc_common_s8.h"

/* Broadcast of one batch dimension: equal sizes, or one side of 1.
 * Returns the output size, or -1 when the two cannot be broadcast. */
static int32_t pcn_bmm_broadcast(const int32_t a, const int32_t b)
{
    if (a == b || b == 1)
    {
        return a;
    }
    if (a == 1)
    {
        return b;
    }
    return -1;
}

arm_cmsis_nn_status arm_batch_matmul_s8(const cmsis_nn_context *ctx,
                                        const cmsis_nn_bmm_params *bmm_params,
                                        const cmsis_nn_per_tensor_quant_params *quant_params,
                                        const cmsis_nn_dims *input_lhs_dims,
                                        const int8_t *input_lhs,
                                        const cmsis_nn_dims *input_rhs_dims,
                                        const int8_t *input_rhs,
                                        const cmsis_nn_dims *output_dims,
                                        int8_t *output)
{
    const cmsis_nn_fc_params *fc = &bmm_params->fc_params;
    const int32_t rows = input_lhs_dims->w;
    const int32_t cols = input_rhs_dims->w;
    const int32_t depth = input_lhs_dims->c;
    const int32_t out_n = pcn_bmm_broadcast(input_lhs_dims->n, input_rhs_dims->n);
    const int32_t out_h = pcn_bmm_broadcast(input_lhs_dims->h, input_rhs_dims->h);
    /* elements in one lhs / rhs matrix */
    const size_t lhs_mat = (size_t)rows * (size_t)depth;
    const size_t rhs_mat = (size_t)cols * (size_t)depth;
    int32_t n;
    int32_t h;
    (void)ctx;

    if (input_lhs_dims->n < 1 || input_lhs_dims->h < 1 || input_rhs_dims->n < 1 || input_rhs_dims->h < 1 ||
        rows < 0 || cols < 0 || depth < 0 || input_rhs_dims->c != depth || out_n < 0 || out_h < 0 ||
        output_dims->n != out_n || output_dims->h != out_h || output_dims->w != rows || output_dims->c != cols)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (n = 0; n < out_n; n++)
    {
        /* a batch index of a broadcast (size 1) side stays at 0 */
        const int32_t lhs_n = input_lhs_dims->n == 1 ? 0 : n;
        const int32_t rhs_n = input_rhs_dims->n == 1 ? 0 : n;
        for (h = 0; h < out_h; h++)
        {
            const int32_t lhs_h = input_lhs_dims->h == 1 ? 0 : h;
            const int32_t rhs_h = input_rhs_dims->h == 1 ? 0 : h;
            const int8_t *lhs = input_lhs + ((size_t)lhs_n * (size_t)input_lhs_dims->h + (size_t)lhs_h) * lhs_mat;
            const int8_t *rhs = input_rhs + ((size_t)rhs_n * (size_t)input_rhs_dims->h + (size_t)rhs_h) * rhs_mat;
            int8_t *out = output + ((size_t)n * (size_t)out_h + (size_t)h) * (size_t)rows * (size_t)cols;

            arm_nn_fc_s8_rows(lhs,
                           rows,
                           rhs,
                           cols,
                           depth,
                           fc->input_offset,
                           fc->filter_offset,
                           fc->output_offset,
                           fc->activation.min,
                           fc->activation.max,
                           NULL,
                           NULL,
                           &quant_params->multiplier,
                           &quant_params->shift,
                           0,
                           out);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
