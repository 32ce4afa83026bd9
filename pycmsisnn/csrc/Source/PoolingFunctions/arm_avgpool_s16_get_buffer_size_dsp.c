/*
 * pycmsisnn: arm_avgpool_s16_get_buffer_size_dsp.
 *
 * Scratch, in bytes, that arm_avgpool_s16 is given on a DSP build: Arm's
 * 4 x ch_src (one int32 sum per channel). Our DSP path uses none: it keeps
 * eight channels' sums in registers.
 */
#include "arm_nnfunctions.h"

int32_t arm_avgpool_s16_get_buffer_size_dsp(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    return ch_src * (int32_t)sizeof(int32_t);
}
