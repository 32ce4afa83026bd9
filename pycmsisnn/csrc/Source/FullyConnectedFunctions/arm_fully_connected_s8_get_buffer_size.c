/*
 * pycmsisnn: arm_fully_connected_s8_get_buffer_size.
 *
 * Scratch, in bytes, that arm_fully_connected_s8 and its per-channel and
 * wrapper siblings take on the build being compiled: the MVE figure on an
 * MVE build (room for per-row kernel sums), the DSP/portable figure (none)
 * elsewhere. Only the MVE kernels read it (the kernel sums).
 */
#include "arm_nnfunctions.h"

int32_t arm_fully_connected_s8_get_buffer_size(const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_fully_connected_s8_get_buffer_size_mve(filter_dims);
#else
    return arm_fully_connected_s8_get_buffer_size_dsp(filter_dims);
#endif
}
