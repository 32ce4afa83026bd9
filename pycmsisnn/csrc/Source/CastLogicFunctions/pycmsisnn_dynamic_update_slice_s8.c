/*
 * pycmsisnn: pycmsisnn_dynamic_update_slice_s8.
 *
 * DYNAMIC_UPDATE_SLICE: the operand copied to the output, then the update
 * written over the block at the start indices, each clamped so that the
 * block lies inside the operand (as TFLite Micro clamps them).
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <string.h>

#define PYCMSISNN_DUS_MAX_DIMS 8

arm_cmsis_nn_status pycmsisnn_dynamic_update_slice_s8(const int32_t dims,
                                                      const int32_t *operand_shape,
                                                      const int8_t *operand,
                                                      const int32_t *update_shape,
                                                      const int8_t *update,
                                                      const int32_t *start,
                                                      int8_t *output)
{
    if (operand_shape == NULL || operand == NULL || update_shape == NULL || update == NULL || start == NULL ||
        output == NULL || dims < 1 || dims > PYCMSISNN_DUS_MAX_DIMS)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t begin[PYCMSISNN_DUS_MAX_DIMS];
    int32_t stride[PYCMSISNN_DUS_MAX_DIMS]; /* operand elements per step along each axis */
    size_t operand_size = 1;
    size_t update_size = 1;
    for (int32_t d = dims - 1; d >= 0; d--)
    {
        if (operand_shape[d] <= 0 || update_shape[d] <= 0 || update_shape[d] > operand_shape[d])
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        const int32_t last = operand_shape[d] - update_shape[d];
        begin[d] = start[d] < 0 ? 0 : (start[d] > last ? last : start[d]);
        stride[d] = (int32_t)operand_size;
        operand_size *= (size_t)operand_shape[d];
        update_size *= (size_t)update_shape[d];
    }
    if (output != operand)
    {
        memcpy(output, operand, operand_size * sizeof(int8_t));
    }
    /* Rows of the innermost axis, counted through the outer axes like an odometer. */
    const int32_t row = update_shape[dims - 1];
    int32_t index[PYCMSISNN_DUS_MAX_DIMS] = {0};
    for (size_t done = 0; done < update_size; done += (size_t)row)
    {
        size_t offset = (size_t)begin[dims - 1];
        for (int32_t d = 0; d < dims - 1; d++)
        {
            offset += (size_t)(begin[d] + index[d]) * (size_t)stride[d];
        }
        memcpy(output + offset, update + done, (size_t)row * sizeof(int8_t));
        for (int32_t d = dims - 2; d >= 0; d--)
        {
            if (++index[d] < update_shape[d])
            {
                break;
            }
            index[d] = 0;
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
