/*
 * pycmsisnn: pycmsisnn_reduce_min_s8.
 *
 * REDUCE_MIN of an int8 NHWC tensor over any subset of its axes (those
 * whose output extent is 1), input and output quantised alike.
 */
#include "pycmsisnn_reduce_ops.h"
#include "Internal/pycmsisnn_reduce_ops_common.h"

arm_cmsis_nn_status pycmsisnn_reduce_min_s8(const cmsis_nn_dims *input_dims,
                                            const int8_t *input,
                                            const cmsis_nn_dims *output_dims,
                                            int8_t *output)
{
    return pcn_reduce_extreme_s8(input_dims, input, output_dims, output, 0);
}
