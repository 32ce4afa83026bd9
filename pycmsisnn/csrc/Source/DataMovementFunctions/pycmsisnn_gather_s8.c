/*
 * pycmsisnn: pycmsisnn_gather_s8.
 *
 * GATHER of int8 slices by constant indices: the input is
 * [batch][outer][axis_size][inner] and the indices [batch][count]; output
 * element [b][o][i][k] is input element [b][o][indices[b * count + i]][k].
 * GATHER with batch_dims takes batch > 1; GATHER_ND is the case batch =
 * outer = 1 with each index tuple flattened into one index over the leading
 * dimensions it addresses. Values are copied unchanged.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_gather_s8(const pycmsisnn_gather_params *params,
                                        const int8_t *input,
                                        const int32_t *indices,
                                        int8_t *output)
{
    if (params == NULL || input == NULL || indices == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t batch = params->batch;
    const int32_t outer = params->outer;
    const int32_t axis_size = params->axis_size;
    const int32_t inner = params->inner;
    const int32_t count = params->count;
    if (batch <= 0 || outer <= 0 || axis_size <= 0 || inner <= 0 || count <= 0 ||
        (int64_t)batch * outer * axis_size * inner > NN_Q31_MAX || (int64_t)batch * outer * count * inner > NN_Q31_MAX ||
        (int64_t)batch * count > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < batch * count; i++)
    {
        if (indices[i] < 0 || indices[i] >= axis_size)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
    }

    int8_t *dst = output;
    for (int32_t b = 0; b < batch; b++)
    {
        const int32_t *idx = indices + b * count;
        for (int32_t o = 0; o < outer; o++)
        {
            const int8_t *src = input + (b * outer + o) * axis_size * inner;
            for (int32_t i = 0; i < count; i++)
            {
                memcpy(dst, src + idx[i] * inner, (size_t)inner);
                dst += inner;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
