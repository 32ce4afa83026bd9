/*
 * pycmsisnn: pycmsisnn_logical_not.
 *
 * LOGICAL_NOT of a bool tensor, element by element.
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <stddef.h>

arm_cmsis_nn_status pycmsisnn_logical_not(const bool *input, const int32_t size, bool *output)
{
    if (input == NULL || output == NULL || size <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t k = 0; k < size; k++)
    {
        output[k] = !input[k];
    }
    return ARM_CMSIS_NN_SUCCESS;
}
