/*
 * pycmsisnn: arm_svdf_s8_get_buffer_size_dsp.
 *
 * Bytes of arm_svdf_s8's ctx buffer on a DSP (or portable) build: none.
 */
#include "arm_nnfunctions.h"

int32_t arm_svdf_s8_get_buffer_size_dsp(const cmsis_nn_dims *filter_dims)
{
    (void)filter_dims;
    return 0;
}
