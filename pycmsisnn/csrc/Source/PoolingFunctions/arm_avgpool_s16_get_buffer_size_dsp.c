/*
 * pycmsisnn: arm_avgpool_s16_get_buffer_size_dsp.
 *
 * Scratch, in bytes, that arm_avgpool_s16 needs on a DSP build:
 * none, each running sum stays in a register.
 */
#include "arm_nnfunctions.h"

int32_t arm_avgpool_s16_get_buffer_size_dsp(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    return ch_src * (int32_t)sizeof(int32_t);
}
