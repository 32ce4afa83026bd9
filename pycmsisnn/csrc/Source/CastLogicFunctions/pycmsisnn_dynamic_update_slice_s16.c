/*
 * pycmsisnn: pycmsisnn_dynamic_update_slice_s16.
 *
 * DYNAMIC_UPDATE_SLICE: the operand copied to the output, then the update
 * written over the block at the start indices, each clamped so that the
 * block lies inside the operand (as TFLite Micro clamps them).
 *
 * The body is shared with its twin (pcn_dynamic_update_slice,
 * Internal/pycmsisnn_cast_logic_common.h).
 */
#include "pycmsisnn_cast_logic.h"
#include "Internal/pycmsisnn_cast_logic_common.h"

arm_cmsis_nn_status pycmsisnn_dynamic_update_slice_s16(const int32_t dims,
                                                       const int32_t *operand_shape,
                                                       const int16_t *operand,
                                                       const int32_t *update_shape,
                                                       const int16_t *update,
                                                       const int32_t *start,
                                                       int16_t *output)
{
    return pcn_dynamic_update_slice(dims, operand_shape, operand, update_shape, update, start, output, sizeof(int16_t));
}
