/*
 * pycmsisnn: arm_avgpool_s16_get_buffer_size, the scratch arm_avgpool_s16
 * is given on the build it is compiled for (Arm's sizes).
 */
#include "arm_nnfunctions.h"

int32_t arm_avgpool_s16_get_buffer_size(const int dim_dst_width, const int ch_src)
{
#if defined(ARM_MATH_MVEI)
    return arm_avgpool_s16_get_buffer_size_mve(dim_dst_width, ch_src);
#elif defined(ARM_MATH_DSP)
    return arm_avgpool_s16_get_buffer_size_dsp(dim_dst_width, ch_src);
#else
    /* The portable kernel keeps its one running sum in a register. */
    (void)dim_dst_width;
    (void)ch_src;
    return 0;
#endif
}
