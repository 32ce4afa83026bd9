/*
 * pycmsisnn: arm_svdf_s8_get_buffer_size_mve.
 *
 * Bytes of arm_svdf_s8's ctx buffer on an MVE build: one int32 per feature
 * filter (filter_dims->n), where Arm's kernel reads the row sums of the
 * feature weights times the input zero point (arm_vector_sum_s8).
 */
#include "arm_nnfunctions.h"

int32_t arm_svdf_s8_get_buffer_size_mve(const cmsis_nn_dims *filter_dims)
{
    return filter_dims->n * (int32_t)sizeof(int32_t);
}
