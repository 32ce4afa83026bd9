/*
 * pycmsisnn: pycmsisnn_space_to_batch_s8.
 *
 * SPACE_TO_BATCH_ND of int8 NHWC data, the inverse of BATCH_TO_SPACE_ND:
 * the input, padded with offset_h rows on top and offset_w columns on the
 * left (and as many as the output needs below and right), is cut into
 * block_h x block_w blocks; output image (by * block_w + bx) * N + n holds
 * the element at position (by, bx) of every block of input image n. Padded
 * positions take pad_value.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_space_to_batch_s8(const pycmsisnn_space_batch_params *params,
                                                const cmsis_nn_dims *input_dims,
                                                const int8_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int8_t *output)
{
    if (params == NULL || input_dims == NULL || input == NULL || output_dims == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *in = input_dims;
    const cmsis_nn_dims *out = output_dims;
    const int32_t bh = params->block_h;
    const int32_t bw = params->block_w;
    if (bh <= 0 || bw <= 0 || params->offset_h < 0 || params->offset_w < 0 || in->n <= 0 || in->h <= 0 ||
        in->w <= 0 || in->c <= 0 || out->h <= 0 || out->w <= 0 || out->c != in->c ||
        params->pad_value < NN_Q7_MIN || params->pad_value > NN_Q7_MAX ||
        (int64_t)out->n * out->h * out->w * out->c > NN_Q31_MAX || (int64_t)out->n != (int64_t)in->n * bh * bw ||
        (int64_t)out->h * bh > NN_Q31_MAX || (int64_t)out->w * bw > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t c = in->c;
    int8_t *dst = output;
    for (int32_t batch = 0; batch < out->n; batch++)
    {
        const int32_t n = batch % in->n;
        const int32_t block = batch / in->n;
        const int32_t by = block / bw;
        const int32_t bx = block % bw;
        for (int32_t h = 0; h < out->h; h++)
        {
            const int32_t y = h * bh + by - params->offset_h;
            for (int32_t w = 0; w < out->w; w++)
            {
                const int32_t x = w * bw + bx - params->offset_w;
                if (y < 0 || y >= in->h || x < 0 || x >= in->w)
                {
                    memset(dst, params->pad_value, (size_t)c);
                }
                else
                {
                    memcpy(dst, input + ((n * in->h + y) * in->w + x) * c, (size_t)c);
                }
                dst += c;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
