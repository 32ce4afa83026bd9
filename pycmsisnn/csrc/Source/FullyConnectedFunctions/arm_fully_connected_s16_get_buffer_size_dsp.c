/*
 * pycmsisnn: arm_fully_connected_s16_get_buffer_size_dsp.
 *
 * Scratch, in bytes, that arm_fully_connected_s16 needs on a DSP build:
 * none, every path accumulates in registers.
 */
#include "arm_nnfunctions.h"

int32_t arm_fully_connected_s16_get_buffer_size_dsp(const cmsis_nn_dims *filter_dims)
{
    (void)filter_dims;
    return 0;
}
