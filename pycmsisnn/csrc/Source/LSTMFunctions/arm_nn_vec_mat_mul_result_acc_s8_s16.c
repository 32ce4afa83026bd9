/*
 * pycmsisnn: arm_nn_vec_mat_mul_result_acc_s8_s16, the int8 LSTM's gate
 * products, added to an int16 result.
 *
 * For batch b < batches and row r < rhs_rows:
 *   acc = effective_bias[r] (0 when NULL) + sum_c lhs[b][c] * rhs[r][c]
 *   dst[b * rhs_rows + r] = sat16(dst[b * rhs_rows + r] + sat16(requantize(acc)))
 * where lhs[b] starts at lhs + b * batch_offset * rhs_cols (the effective bias
 * holds the bias plus the input offset times the row's sum, so the int8 values
 * are used as they are) and requantize is TFLite's (arm_nn_requantize). The
 * inner sum is 32-bit: rhs_cols int8 x int8 products cannot overflow it for
 * any LSTM TFLite Micro runs.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

static int32_t dot_s8(const int8_t *a, const int8_t *w, const int32_t n)
{
    int32_t s = 0;
    for (int32_t c = 0; c < n; c++)
    {
        s += (int32_t)a[c] * w[c];
    }
    return s;
}

arm_cmsis_nn_status arm_nn_vec_mat_mul_result_acc_s8_s16(const int8_t *lhs,
                                                         const int8_t *rhs,
                                                         const int32_t *effective_bias,
                                                         int16_t *dst,
                                                         const int32_t dst_multiplier,
                                                         const int32_t dst_shift,
                                                         const int32_t rhs_cols,
                                                         const int32_t rhs_rows,
                                                         const int32_t batches,
                                                         const int32_t batch_offset)
{
    if (rhs_cols < 0 || rhs_rows < 0 || batches < 0 || batch_offset < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *x = lhs + (size_t)b * batch_offset * rhs_cols;
        int16_t *out = dst + (size_t)b * rhs_rows;

        for (int32_t r = 0; r < rhs_rows; r++)
        {
            int32_t acc = dot_s8(x, rhs + (size_t)r * rhs_cols, rhs_cols);
            int32_t v;
            if (effective_bias != NULL)
            {
                acc += effective_bias[r];
            }
            v = arm_nn_requantize(acc, dst_multiplier, dst_shift);
            v = PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX) + out[r];
            out[r] = (int16_t)PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
