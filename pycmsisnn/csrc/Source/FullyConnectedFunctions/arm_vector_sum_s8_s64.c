/*
 * pycmsisnn: arm_vector_sum_s8_s64.
 *
 * For every row r of the [vector_rows][vector_cols] int8 matrix:
 *   vector_sum_buf[r] = lhs_offset * sum_c vector_data[r][c]
 *                       (+ bias_data[r] when bias_data is not NULL),
 * in 64 bits: the per-output constants a 16x8 fully-connected layer can fold
 * in ahead of time.
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_vector_sum_s8_s64(int64_t *vector_sum_buf,
                                          const int32_t vector_cols,
                                          const int32_t vector_rows,
                                          const int8_t *vector_data,
                                          const int32_t lhs_offset,
                                          const int64_t *bias_data)
{
    int32_t r, c;

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
        int64_t sum = 0;

        for (c = 0; c < vector_cols; c++)
        {
            sum += row[c];
        }
        sum *= lhs_offset;
        if (bias_data != NULL)
        {
            sum += bias_data[r];
        }
        vector_sum_buf[r] = sum;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
