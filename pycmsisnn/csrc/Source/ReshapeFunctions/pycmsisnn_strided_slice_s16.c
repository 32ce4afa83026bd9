/*
 * pycmsisnn: pycmsisnn_strided_slice_s16.
 *
 * Copies a strided selection of an int16 NHWC tensor: along every axis the
 * output takes the elements begin, begin + stride, begin + 2 * stride, ...
 * of the input, as many as the output extent. Strides may be negative (the
 * axis is then walked backwards). Values are copied unchanged: slicing keeps
 * the input's quantisation. The TFLite masks (begin, end, shrink) are
 * resolved by the caller into begins, strides and output extents.
 */
#include "pycmsisnn_tensor_ops_s16.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"

/* True when all `count` indices begin + i * stride fall inside [0, size). */
static int32_t axis_ok(const int32_t size, const int32_t begin, const int32_t stride, const int32_t count)
{
    if (size <= 0 || count <= 0 || stride == 0 || begin < 0 || begin >= size)
    {
        return 0;
    }
    const int64_t last = (int64_t)begin + (int64_t)(count - 1) * stride;
    return last >= 0 && last < size;
}

arm_cmsis_nn_status pycmsisnn_strided_slice_s16(const pycmsisnn_strided_slice_params *params,
                                                const cmsis_nn_dims *input_dims,
                                                const int16_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output)
{
    if (params == NULL || input_dims == NULL || output_dims == NULL || input == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *b = &params->begin;
    const cmsis_nn_dims *s = &params->stride;
    if (!axis_ok(input_dims->n, b->n, s->n, output_dims->n) || !axis_ok(input_dims->h, b->h, s->h, output_dims->h) ||
        !axis_ok(input_dims->w, b->w, s->w, output_dims->w) || !axis_ok(input_dims->c, b->c, s->c, output_dims->c) ||
        (int64_t)input_dims->n * input_dims->h * input_dims->w * input_dims->c > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    /* Every index is now inside the input, whose offsets fit in int32. */
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;

    int16_t *out = output;
    for (int32_t on = 0; on < output_dims->n; on++)
    {
        const int32_t n = b->n + on * s->n;
        for (int32_t oh = 0; oh < output_dims->h; oh++)
        {
            const int32_t h = b->h + oh * s->h;
            for (int32_t ow = 0; ow < output_dims->w; ow++)
            {
                const int32_t w = b->w + ow * s->w;
                const int16_t *row = input + ((n * in_h + h) * in_w + w) * in_c;
                for (int32_t oc = 0; oc < output_dims->c; oc++)
                {
                    *out++ = row[b->c + oc * s->c];
                }
            }
        }
    }

    return ARM_CMSIS_NN_SUCCESS;
}
