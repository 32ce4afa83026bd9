/*
 * pycmsisnn: pycmsisnn_fill_scalar_s8.
 *
 * FILL with a value computed at run time: every output element set to the
 * one element of the value tensor (copied raw, as TFLite Micro does).
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <stddef.h>

arm_cmsis_nn_status pycmsisnn_fill_scalar_s8(const int8_t *value, const int32_t size, int8_t *output)
{
    if (value == NULL || output == NULL || size <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int8_t v = *value;
    for (int32_t k = 0; k < size; k++)
    {
        output[k] = v;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
