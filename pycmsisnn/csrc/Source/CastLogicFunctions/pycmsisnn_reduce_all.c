/*
 * pycmsisnn: pycmsisnn_reduce_all.
 *
 * REDUCE_ALL of a bool tensor over any of its NHWC axes: an output element
 * is true when every input element of its block is.
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <stddef.h>

arm_cmsis_nn_status pycmsisnn_reduce_all(const cmsis_nn_dims *input_dims,
                                         const bool *input,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output)
{
    if (input_dims == NULL || input == NULL || output_dims == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t in[4] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
    const int32_t out[4] = {output_dims->n, output_dims->h, output_dims->w, output_dims->c};
    int32_t size = 1;
    for (int k = 0; k < 4; k++)
    {
        if (in[k] <= 0 || (out[k] != in[k] && out[k] != 1))
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        size *= out[k];
    }
    for (int32_t k = 0; k < size; k++)
    {
        output[k] = true;
    }
    for (int32_t n = 0; n < in[0]; n++)
    {
        for (int32_t h = 0; h < in[1]; h++)
        {
            for (int32_t w = 0; w < in[2]; w++)
            {
                const bool *row = input + ((n * in[1] + h) * in[2] + w) * in[3];
                const int32_t base = (((out[0] > 1 ? n : 0) * out[1] + (out[1] > 1 ? h : 0)) * out[2] + (out[2] > 1 ? w : 0)) * out[3];
                for (int32_t c = 0; c < in[3]; c++)
                {
                    if (!row[c])
                    {
                        output[base + (out[3] > 1 ? c : 0)] = false;
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
