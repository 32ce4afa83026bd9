/*
 * pycmsisnn: pycmsisnn_space_to_depth_s8.
 *
 * SPACE_TO_DEPTH of int8 NHWC data, the inverse of DEPTH_TO_SPACE: each
 * block_size x block_size tile of input pixels becomes one output pixel
 * whose channels hold the tile row by row:
 * output[n][h][w][(by * b + bx) * C_in + c] = input[n][h * b + by][w * b + bx][c].
 * Values are copied unchanged.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_space_to_depth_s8(int32_t block_size,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output)
{
    if (input_dims == NULL || input == NULL || output_dims == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *in = input_dims;
    const cmsis_nn_dims *out = output_dims;
    const int32_t b = block_size;
    if (b <= 0 || in->n <= 0 || in->c <= 0 || out->h <= 0 || out->w <= 0 || out->n != in->n ||
        (int64_t)in->n * in->h * in->w * in->c > NN_Q31_MAX || (int64_t)in->h != (int64_t)out->h * b ||
        (int64_t)in->w != (int64_t)out->w * b || (int64_t)out->c != (int64_t)in->c * b * b)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t c_in = in->c;
    int8_t *dst = output;
    for (int32_t n = 0; n < out->n; n++)
    {
        for (int32_t h = 0; h < out->h; h++)
        {
            for (int32_t w = 0; w < out->w; w++)
            {
                for (int32_t by = 0; by < b; by++)
                {
                    const int8_t *row = input + ((n * in->h + h * b + by) * in->w + w * b) * c_in;
                    memcpy(dst, row, (size_t)(b * c_in)); /* the tile row's b pixels are adjacent */
                    dst += b * c_in;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
