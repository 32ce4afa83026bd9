/* pycmsisnn: arm_avgpool_s8_get_buffer_size (not implemented yet). */
#include "arm_nnfunctions.h"

int32_t arm_avgpool_s8_get_buffer_size(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    (void)ch_src;
    return 0;
}
