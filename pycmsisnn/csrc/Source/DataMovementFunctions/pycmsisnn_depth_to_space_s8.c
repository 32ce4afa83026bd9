/*
 * pycmsisnn: pycmsisnn_depth_to_space_s8.
 *
 * DEPTH_TO_SPACE of int8 NHWC data: each input pixel's channels hold a
 * block_size x block_size tile of output pixels, row by row, each of C_out
 * channels: output[n][h][w][c] = input[n][h / b][w / b][((h % b) * b + w % b) * C_out + c].
 * Values are copied unchanged.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_depth_to_space_s8(int32_t block_size,
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
    if (b <= 0 || in->n <= 0 || in->h <= 0 || in->w <= 0 || out->c <= 0 || out->n != in->n ||
        (int64_t)in->n * in->h * in->w * in->c > NN_Q31_MAX || (int64_t)out->h != (int64_t)in->h * b ||
        (int64_t)out->w != (int64_t)in->w * b || (int64_t)in->c != (int64_t)out->c * b * b)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t c_out = out->c;
    int8_t *dst = output;
    for (int32_t n = 0; n < out->n; n++)
    {
        for (int32_t h = 0; h < out->h; h++)
        {
            for (int32_t w = 0; w < out->w; w++)
            {
                const int8_t *pixel = input + ((n * in->h + h / b) * in->w + w / b) * in->c;
                memcpy(dst, pixel + ((h % b) * b + w % b) * c_out, (size_t)c_out);
                dst += c_out;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
