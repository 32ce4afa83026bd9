/*
 * pycmsisnn: pycmsisnn_fill_s8.
 *
 * Sets every element of an int8 tensor to one value: ZEROS_LIKE (TFLite
 * Micro writes raw zeros, whatever the output's zero point).
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_fill_s8(int8_t value, int32_t size, int8_t *output)
{
    if (output == NULL || size <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    memset(output, value, (size_t)size);
    return ARM_CMSIS_NN_SUCCESS;
}
