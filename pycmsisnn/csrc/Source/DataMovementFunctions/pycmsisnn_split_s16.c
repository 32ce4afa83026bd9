/*
 * pycmsisnn: pycmsisnn_split_s16.
 *
 * Splits an int16 tensor, seen as [outer][axis_size][inner], along its middle
 * axis into num_outputs tensors: output k takes the next sizes[k] positions
 * of the axis, i.e. it is [outer][sizes[k]][inner]. This is SPLIT (equal
 * sizes), SPLIT_V (given sizes) and UNPACK (sizes of 1, the axis then
 * dropped from the outputs' shapes, which leaves their bytes unchanged).
 * Values are copied unchanged.
 *
 * The body is shared with its twin (pcn_split, Internal/pycmsisnn_data_movement.h).
 */
#include "pycmsisnn_data_ops.h"
#include "Internal/pycmsisnn_data_movement.h"

arm_cmsis_nn_status pycmsisnn_split_s16(const int16_t *input,
                                        int32_t outer,
                                        int32_t axis_size,
                                        int32_t inner,
                                        int32_t num_outputs,
                                        const int32_t *sizes,
                                        int16_t *const *outputs)
{
    return pcn_split(input, outer, axis_size, inner, num_outputs, sizes, outputs, 2);
}
