/* pycmsisnn: arm_vector_sum_s8 (not implemented yet). */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_vector_sum_s8(int32_t *vector_sum_buf,
                                      const int32_t vector_cols,
                                      const int32_t vector_rows,
                                      const int8_t *vector_data,
                                      const int32_t lhs_offset,
                                      const int32_t rhs_offset,
                                      const int32_t *bias_data)
{
    (void)vector_sum_buf;
    (void)vector_cols;
    (void)vector_rows;
    (void)vector_data;
    (void)lhs_offset;
    (void)rhs_offset;
    (void)bias_data;
    return ARM_CMSIS_NN_NO_IMPL_ERROR;
}
