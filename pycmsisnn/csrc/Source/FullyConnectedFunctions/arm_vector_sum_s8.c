/*
 * pycmsisnn: arm_vector_sum_s8.
 *
 * For every row r of the [vector_rows][vector_cols] matrix:
 *   vector_sum_buf[r] = lhs_offset * sum_c (vector_data[r][c] + rhs_offset)
 *                       (+ bias_data[r] when bias_data is not NULL).
 * These are the per-output constants a fully-connected layer can fold in
 * ahead of time. Arithmetic wraps on int32 overflow.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_fc_common_s8.h"

arm_cmsis_nn_status arm_vector_sum_s8(int32_t *vector_sum_buf,
                                      const int32_t vector_cols,
                                      const int32_t vector_rows,
                                      const int8_t *vector_data,
                                      const int32_t lhs_offset,
                                      const int32_t rhs_offset,
                                      const int32_t *bias_data)
{
    int32_t r;
    int32_t c;

    if (vector_cols < 0 || vector_rows < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (vector_rows > 0 && (vector_sum_buf == NULL || (vector_cols > 0 && vector_data == NULL)))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (r = 0; r < vector_rows; r++)
    {
        const int8_t *row = vector_data + (size_t)r * (size_t)vector_cols;
        int32_t sum = 0;
        for (c = 0; c < vector_cols; c++)
        {
            sum = pcn_add_wrap_s32(sum, (int32_t)row[c]);
        }
        /* add the offset once per element, then scale by the other operand's offset */
        sum = pcn_add_wrap_s32(sum, (int32_t)((uint32_t)rhs_offset * (uint32_t)vector_cols));
        sum = (int32_t)((uint32_t)sum * (uint32_t)lhs_offset);
        if (bias_data != NULL)
        {
            sum = pcn_add_wrap_s32(sum, bias_data[r]);
        }
        vector_sum_buf[r] = sum;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
