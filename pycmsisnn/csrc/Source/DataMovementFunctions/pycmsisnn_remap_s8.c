/*
 * pycmsisnn: pycmsisnn_remap_s8.
 *
 * Copies an int8 NHWC tensor through one index map per axis: output element
 * (n, h, w, c) is input element (map_n[n], map_h[h], map_w[w], map_c[c]), or
 * pad_value where any of the four indices is negative. With tables computed
 * at conversion time this is RESIZE_NEAREST_NEIGHBOR (the H and W maps hold
 * the nearest source rows and columns), MIRROR_PAD (reflected indices) and
 * BROADCAST_TO (index 0 along a broadcast axis).
 */
#include "pycmsisnn_data_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"

#include <string.h>

/* True when every one of the `count` entries of `map` is negative or below `size`. */
static int32_t map_ok(const int32_t *map, const int32_t count, const int32_t size)
{
    for (int32_t i = 0; i < count; i++)
    {
        if (map[i] >= size)
        {
            return 0;
        }
    }
    return 1;
}

/* True when the C map reads the whole input row in order (a row copy). */
static int32_t identity(const int32_t *map, const int32_t count, const int32_t size)
{
    if (count != size)
    {
        return 0;
    }
    for (int32_t i = 0; i < count; i++)
    {
        if (map[i] != i)
        {
            return 0;
        }
    }
    return 1;
}

arm_cmsis_nn_status pycmsisnn_remap_s8(const cmsis_nn_dims *input_dims,
                                       const int8_t *input,
                                       const cmsis_nn_dims *output_dims,
                                       const int32_t *maps,
                                       int8_t pad_value,
                                       int8_t *output)
{
    if (input_dims == NULL || input == NULL || output_dims == NULL || maps == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *in = input_dims;
    const cmsis_nn_dims *out = output_dims;
    if (in->n <= 0 || in->h <= 0 || in->w <= 0 || in->c <= 0 || out->n <= 0 || out->h <= 0 || out->w <= 0 ||
        out->c <= 0 || (int64_t)in->n * in->h * in->w * in->c > NN_Q31_MAX ||
        (int64_t)out->n * out->h * out->w * out->c > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t *map_n = maps;
    const int32_t *map_h = map_n + out->n;
    const int32_t *map_w = map_h + out->h;
    const int32_t *map_c = map_w + out->w;
    if (!map_ok(map_n, out->n, in->n) || !map_ok(map_h, out->h, in->h) || !map_ok(map_w, out->w, in->w) ||
        !map_ok(map_c, out->c, in->c))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t whole_rows = identity(map_c, out->c, in->c);

    int8_t *dst = output;
    for (int32_t n = 0; n < out->n; n++)
    {
        for (int32_t h = 0; h < out->h; h++)
        {
            for (int32_t w = 0; w < out->w; w++)
            {
                if (map_n[n] < 0 || map_h[h] < 0 || map_w[w] < 0)
                {
                    memset(dst, pad_value, (size_t)out->c);
                    dst += out->c;
                    continue;
                }
                const int8_t *row = input + ((map_n[n] * in->h + map_h[h]) * in->w + map_w[w]) * in->c;
                if (whole_rows)
                {
                    memcpy(dst, row, (size_t)out->c);
                    dst += out->c;
                    continue;
                }
                for (int32_t c = 0; c < out->c; c++)
                {
                    *dst++ = map_c[c] < 0 ? pad_value : row[map_c[c]];
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
