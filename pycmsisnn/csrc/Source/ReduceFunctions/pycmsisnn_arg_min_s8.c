/*
 * pycmsisnn: pycmsisnn_arg_min_s8.
 *
 * ARG_MIN of an int8 NHWC tensor along one axis: the index (int32) of the
 * smallest element, the first one when several are equal.
 */
#include "pycmsisnn_reduce_ops.h"
#include "Internal/pycmsisnn_reduce_ops_common.h"

arm_cmsis_nn_status pycmsisnn_arg_min_s8(const cmsis_nn_dims *input_dims,
                                         const int8_t *input,
                                         const int32_t axis,
                                         int32_t *output)
{
    return pcn_arg_extreme_s8(input_dims, input, axis, output, 0);
}
