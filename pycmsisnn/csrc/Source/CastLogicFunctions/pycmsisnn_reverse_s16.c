/*
 * pycmsisnn: pycmsisnn_reverse_s16.
 *
 * REVERSE_V2: the input viewed as [outer][extent][inner], the extent axis
 * (the reversed run of axes, flattened) read backwards.
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_reverse_s16(const int16_t *input,
                                         const int32_t outer,
                                         const int32_t extent,
                                         const int32_t inner,
                                         int16_t *output)
{
    if (input == NULL || output == NULL || outer <= 0 || extent <= 0 || inner <= 0 || input == output)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const size_t row = (size_t)inner * sizeof(int16_t);
    for (int32_t o = 0; o < outer; o++)
    {
        const int16_t *in = input + (size_t)o * (size_t)extent * (size_t)inner;
        int16_t *out = output + (size_t)o * (size_t)extent * (size_t)inner;
        for (int32_t e = 0; e < extent; e++)
        {
            memcpy(out + (size_t)e * (size_t)inner, in + (size_t)(extent - 1 - e) * (size_t)inner, row);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
