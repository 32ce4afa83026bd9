/*
 * pycmsisnn: arm_pad_s8.
 *
 * Constant padding of an NHWC int8 tensor. The output has, in each of the
 * four dimensions, pre_pad + input_size + post_pad entries; entries outside
 * the copied input hold pad_value (the zero point for TensorFlow Lite's PAD,
 * the quantised constant for PADV2).
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_pad_s8(const int8_t *input,
                               int8_t *output,
                               const int8_t pad_value,
                               const cmsis_nn_dims *input_size,
                               const cmsis_nn_dims *pre_pad,
                               const cmsis_nn_dims *post_pad)
{
    if (input == NULL || output == NULL || input_size == NULL || pre_pad == NULL || post_pad == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (input_size->n < 0 || input_size->h < 0 || input_size->w < 0 || input_size->c < 0 || pre_pad->n < 0 ||
        pre_pad->h < 0 || pre_pad->w < 0 || pre_pad->c < 0 || post_pad->n < 0 || post_pad->h < 0 ||
        post_pad->w < 0 || post_pad->c < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    /* Output extent and the sizes of one output row (C), plane (W x C) and
     * batch item (H x W x C). */
    const int32_t out_c = pre_pad->c + input_size->c + post_pad->c;
    const int32_t out_w = pre_pad->w + input_size->w + post_pad->w;
    const int32_t out_h = pre_pad->h + input_size->h + post_pad->h;
    const int32_t row = out_c;
    const int32_t plane = out_w * row;
    const int32_t item = out_h * plane;

    int8_t *dst = output;
    const int8_t *src = input;

    memset(dst, pad_value, (size_t)item * (size_t)pre_pad->n);
    dst += item * pre_pad->n;

    for (int32_t n = 0; n < input_size->n; n++)
    {
        memset(dst, pad_value, (size_t)plane * (size_t)pre_pad->h);
        dst += plane * pre_pad->h;

        for (int32_t h = 0; h < input_size->h; h++)
        {
            memset(dst, pad_value, (size_t)row * (size_t)pre_pad->w);
            dst += row * pre_pad->w;

            for (int32_t w = 0; w < input_size->w; w++)
            {
                memset(dst, pad_value, (size_t)pre_pad->c);
                dst += pre_pad->c;
                memcpy(dst, src, (size_t)input_size->c);
                dst += input_size->c;
                src += input_size->c;
                memset(dst, pad_value, (size_t)post_pad->c);
                dst += post_pad->c;
            }

            memset(dst, pad_value, (size_t)row * (size_t)post_pad->w);
            dst += row * post_pad->w;
        }

        memset(dst, pad_value, (size_t)plane * (size_t)post_pad->h);
        dst += plane * post_pad->h;
    }

    memset(dst, pad_value, (size_t)item * (size_t)post_pad->n);

    return ARM_CMSIS_NN_SUCCESS;
}
