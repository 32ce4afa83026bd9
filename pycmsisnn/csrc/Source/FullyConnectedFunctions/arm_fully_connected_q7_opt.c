/*
 * pycmsisnn: arm_fully_connected_q7_opt (legacy q7 API).
 *
 * The fully-connected layer over weights stored in the interleaved order of
 * the historical optimised kernel (described in pycmsisnn_legacy_q7.h): four
 * rows at a time, four columns at a time, then the leftovers. The results
 * equal those of arm_fully_connected_q7 on the same matrix in row-major order.
 */
#include "Internal/pycmsisnn_legacy_q7_arith.h"
#include "pycmsisnn_legacy_q7.h"

/* Position, inside one 16-byte block of four rows x four columns, of the
 * weight of row r (0..3) and column k (0..3) of the block. */
static size_t block_position(size_t r, size_t k)
{
    /* columns 0 and 2 fill the first 8 bytes, columns 1 and 3 the last 8;
     * rows 0-1 come before rows 2-3; within a pair, the row alternates fastest. */
    const size_t half = (k & 1u) * 8u;
    const size_t pair = (r >> 1) * 4u;
    const size_t column = (k >> 1) * 2u;
    return half + pair + column + (r & 1u);
}

arm_status arm_fully_connected_q7_opt(const q7_t *pV,
                                      const q7_t *pM,
                                      const uint16_t dim_vec,
                                      const uint16_t num_of_rows,
                                      const uint16_t bias_shift,
                                      const uint16_t out_shift,
                                      const q7_t *bias,
                                      q7_t *pOut,
                                      q15_t *vec_buffer)
{
    (void)vec_buffer;
    if (pV == NULL || pM == NULL || bias == NULL || pOut == NULL || bias_shift > PYCMSISNN_Q7_MAX_SHIFT ||
        out_shift > PYCMSISNN_Q7_MAX_SHIFT)
    {
        return ARM_MATH_ARGUMENT_ERROR;
    }
    const size_t groups = (size_t)num_of_rows / 4u;
    const size_t blocks = (size_t)dim_vec / 4u;
    const size_t tail_cols = (size_t)dim_vec % 4u;
    const q7_t *w = pM;
    for (size_t g = 0; g < groups; g++)
    {
        int64_t acc[4];
        for (size_t r = 0; r < 4u; r++)
        {
            acc[r] = pycmsisnn_q7_acc_start(bias[g * 4u + r], bias_shift, out_shift);
        }
        for (size_t b = 0; b < blocks; b++)
        {
            const q7_t *v = pV + b * 4u;
            for (size_t r = 0; r < 4u; r++)
            {
                for (size_t k = 0; k < 4u; k++)
                {
                    acc[r] += (int32_t)v[k] * w[block_position(r, k)];
                }
            }
            w += 16;
        }
        for (size_t k = 0; k < tail_cols; k++)
        {
            const q7_t x = pV[blocks * 4u + k];
            for (size_t r = 0; r < 4u; r++)
            {
                acc[r] += (int32_t)x * w[r];
            }
            w += 4;
        }
        for (size_t r = 0; r < 4u; r++)
        {
            pOut[g * 4u + r] = pycmsisnn_q7_finish(acc[r], out_shift);
        }
    }
    for (size_t r = groups * 4u; r < num_of_rows; r++)
    {
        int64_t acc = pycmsisnn_q7_acc_start(bias[r], bias_shift, out_shift);
        for (size_t c = 0; c < dim_vec; c++)
        {
            acc += (int32_t)pV[c] * w[c];
        }
        w += dim_vec;
        pOut[r] = pycmsisnn_q7_finish(acc, out_shift);
    }
    return ARM_MATH_SUCCESS;
}
