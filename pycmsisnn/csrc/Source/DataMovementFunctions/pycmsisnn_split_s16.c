/*
 * pycmsisnn: pycmsisnn_split_s16.
 *
 * Splits an int16 tensor, seen as [outer][axis_size][inner], along its middle
 * axis into num_outputs tensors: output k takes the next sizes[k] positions
 * of the axis, i.e. it is [outer][sizes[k]][inner]. This is SPLIT (equal
 * sizes), SPLIT_V (given sizes) and UNPACK (sizes of 1, the axis then
 * dropped from the outputs' shapes, which leaves their bytes unchanged).
 * Values are copied unchanged.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_split_s16(const int16_t *input,
                                        int32_t outer,
                                        int32_t axis_size,
                                        int32_t inner,
                                        int32_t num_outputs,
                                        const int32_t *sizes,
                                        int16_t *const *outputs)
{
    if (input == NULL || sizes == NULL || outputs == NULL || outer <= 0 || axis_size <= 0 || inner <= 0 ||
        num_outputs <= 0 || (int64_t)outer * axis_size * inner > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t total = 0;
    for (int32_t k = 0; k < num_outputs; k++)
    {
        if (outputs[k] == NULL || sizes[k] <= 0 || sizes[k] > axis_size - total)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        total += sizes[k];
    }
    if (total != axis_size)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t in_block = axis_size * inner;
    int32_t start = 0; /* first position of output k along the axis */
    for (int32_t k = 0; k < num_outputs; k++)
    {
        const int32_t block = sizes[k] * inner;
        const int16_t *src = input + start * inner;
        int16_t *dst = outputs[k];
        for (int32_t o = 0; o < outer; o++)
        {
            memcpy(dst, src, (size_t)block * sizeof(int16_t));
            dst += block;
            src += in_block;
        }
        start += sizes[k];
    }
    return ARM_CMSIS_NN_SUCCESS;
}
