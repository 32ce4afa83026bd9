/*
 * pycmsisnn: arm_avgpool_s8_get_buffer_size_dsp, the scratch arm_avgpool_s8
 * needs on a DSP (non-MVE) build: one int32 running sum per channel.
 */
#include "arm_nnfunctions.h"

int32_t arm_avgpool_s8_get_buffer_size_dsp(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    return (int32_t)ch_src * (int32_t)sizeof(int32_t);
}
