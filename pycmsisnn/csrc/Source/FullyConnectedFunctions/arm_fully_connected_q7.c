/*
 * pycmsisnn: arm_fully_connected_q7 (legacy q7 API).
 *
 * pOut[r] = requantised bias[r] + sum over c of pV[c] * pM[r][c], with the
 * weights in plain row-major order [num_of_rows][dim_vec].
 */
#include "Internal/pycmsisnn_legacy_q7_arith.h"
#include "pycmsisnn_legacy_q7.h"

arm_status arm_fully_connected_q7(const q7_t *pV,
                                  const q7_t *pM,
                                  const uint16_t dim_vec,
                                  const uint16_t num_of_rows,
                                  const uint16_t bias_shift,
                                  const uint16_t out_shift,
                                  const q7_t *bias,
                                  q7_t *pOut,
                                  q15_t *vec_buffer)
{
    (void)vec_buffer; /* the portable code reads the input vector directly */
    if (pV == NULL || pM == NULL || bias == NULL || pOut == NULL || bias_shift > PYCMSISNN_Q7_MAX_SHIFT ||
        out_shift > PYCMSISNN_Q7_MAX_SHIFT)
    {
        return ARM_MATH_ARGUMENT_ERROR;
    }
    for (size_t r = 0; r < num_of_rows; r++)
    {
        const q7_t *row = pM + r * dim_vec;
        int64_t acc = pycmsisnn_q7_acc_start(bias[r], bias_shift, out_shift);
        for (size_t c = 0; c < dim_vec; c++)
        {
            acc += (int32_t)pV[c] * row[c];
        }
        pOut[r] = pycmsisnn_q7_finish(acc, out_shift);
    }
    return ARM_MATH_SUCCESS;
}
