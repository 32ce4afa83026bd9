/*
 * pycmsisnn: pycmsisnn_lut_s8.
 *
 * Any int8 -> int8 map given as a table of its 256 values, indexed by the
 * input + 128 (ELU: TensorFlow Lite Micro tabulates it the same way, in
 * float, when the model is prepared; pycmsisnn.quant builds the table).
 */
#include "pycmsisnn_math_ops.h"

#include <stddef.h>

#include "arm_nn_types.h"

arm_cmsis_nn_status pycmsisnn_lut_s8(const int8_t *table, const int8_t *input, int8_t *output, int32_t size)
{
    if (table == NULL || input == NULL || output == NULL || size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        output[i] = table[(int32_t)input[i] + 128];
    }
    return ARM_CMSIS_NN_SUCCESS;
}
