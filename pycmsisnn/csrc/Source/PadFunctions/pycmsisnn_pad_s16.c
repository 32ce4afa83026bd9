/*
 * pycmsisnn: pycmsisnn_pad_s16.
 *
 * Constant padding of an NHWC int16 tensor, with arm_pad_s8's arguments. The
 * output has, in each of the four dimensions, pre_pad + input_size + post_pad
 * entries; entries outside the copied input hold pad_value (TensorFlow Lite
 * Micro pads int16 PAD with 0, PADV2 with its int16 constant).
 */
#include "pycmsisnn_tensor_ops_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

/* Writes `count` copies of `value` from `dst`; returns the end. */
static int16_t *fill(int16_t *dst, const int16_t value, const int32_t count)
{
    for (int32_t i = 0; i < count; i++)
    {
        *dst++ = value;
    }
    return dst;
}

static int32_t dims_ok(const cmsis_nn_dims *d)
{
    return d->n >= 0 && d->h >= 0 && d->w >= 0 && d->c >= 0;
}

arm_cmsis_nn_status pycmsisnn_pad_s16(const int16_t *input,
                                      int16_t *output,
                                      const int16_t pad_value,
                                      const cmsis_nn_dims *input_size,
                                      const cmsis_nn_dims *pre_pad,
                                      const cmsis_nn_dims *post_pad)
{
    if (input == NULL || output == NULL || input_size == NULL || pre_pad == NULL || post_pad == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!dims_ok(input_size) || !dims_ok(pre_pad) || !dims_ok(post_pad))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    /* Elements of one output row (C), plane (W x C) and batch item (H x W x C). */
    const int32_t row = pre_pad->c + input_size->c + post_pad->c;
    const int32_t plane = (pre_pad->w + input_size->w + post_pad->w) * row;
    const int32_t item = (pre_pad->h + input_size->h + post_pad->h) * plane;

    int16_t *dst = fill(output, pad_value, item * pre_pad->n);
    const int16_t *src = input;
    for (int32_t n = 0; n < input_size->n; n++)
    {
        dst = fill(dst, pad_value, plane * pre_pad->h);
        for (int32_t h = 0; h < input_size->h; h++)
        {
            dst = fill(dst, pad_value, row * pre_pad->w);
            for (int32_t w = 0; w < input_size->w; w++)
            {
                dst = fill(dst, pad_value, pre_pad->c);
                for (int32_t c = 0; c < input_size->c; c++)
                {
                    *dst++ = *src++;
                }
                dst = fill(dst, pad_value, post_pad->c);
            }
            dst = fill(dst, pad_value, row * post_pad->w);
        }
        dst = fill(dst, pad_value, plane * post_pad->h);
    }
    (void)fill(dst, pad_value, item * post_pad->n);

    return ARM_CMSIS_NN_SUCCESS;
}
