/*
 * pycmsisnn: arm_fully_connected_s8_get_buffer_size_mve.
 *
 * An MVE build keeps one int32 kernel sum per output feature in the scratch
 * (see arm_vector_sum_s8), so it needs filter_dims->c * 4 bytes.
 */
#include "arm_nnfunctions.h"

int32_t arm_fully_connected_s8_get_buffer_size_mve(const cmsis_nn_dims *filter_dims)
{
    return filter_dims->c * (int32_t)sizeof(int32_t);
}
