/*
 * pycmsisnn: pycmsisnn_batch_to_space_s8.
 *
 * BATCH_TO_SPACE_ND of int8 NHWC data: the input's batch holds, for every
 * position (by, bx) of a block_h x block_w block, one image of the output's
 * batch (input batch (by * block_w + bx) * N + n); these are interleaved
 * into images block_h times taller and block_w times wider, of which the
 * output keeps the window starting offset_h rows down and offset_w columns
 * right (the crops). Values are copied unchanged.
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

arm_cmsis_nn_status pycmsisnn_batch_to_space_s8(const pycmsisnn_space_batch_params *params,
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
    if (bh <= 0 || bw <= 0 || params->offset_h < 0 || params->offset_w < 0 || in->h <= 0 || in->w <= 0 ||
        in->c <= 0 || out->n <= 0 || out->h <= 0 || out->w <= 0 || out->c != in->c ||
        (int64_t)in->n * in->h * in->w * in->c > NN_Q31_MAX || (int64_t)in->n != (int64_t)out->n * bh * bw ||
        (int64_t)out->h + params->offset_h > (int64_t)in->h * bh ||
        (int64_t)out->w + params->offset_w > (int64_t)in->w * bw)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int32_t c = in->c;
    int8_t *dst = output;
    for (int32_t n = 0; n < out->n; n++)
    {
        for (int32_t h = 0; h < out->h; h++)
        {
            const int32_t hh = h + params->offset_h;
            for (int32_t w = 0; w < out->w; w++)
            {
                const int32_t ww = w + params->offset_w;
                const int32_t batch = ((hh % bh) * bw + ww % bw) * out->n + n;
                memcpy(dst, input + ((batch * in->h + hh / bh) * in->w + ww / bw) * c, (size_t)c);
                dst += c;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
