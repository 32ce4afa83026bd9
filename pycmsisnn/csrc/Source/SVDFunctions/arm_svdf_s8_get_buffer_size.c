/*
 * pycmsisnn: arm_svdf_s8_get_buffer_size.
 *
 * Bytes of arm_svdf_s8's ctx buffer on the build being compiled: the MVE
 * figure on an MVE build (where Arm's kernel reads one int32 row sum per
 * feature filter), none elsewhere. Our kernel never reads the buffer.
 */
#include "arm_nnfunctions.h"

int32_t arm_svdf_s8_get_buffer_size(const cmsis_nn_dims *filter_dims)
{
#if defined(ARM_MATH_MVEI)
    return arm_svdf_s8_get_buffer_size_mve(filter_dims);
#else
    return arm_svdf_s8_get_buffer_size_dsp(filter_dims);
#endif
}
