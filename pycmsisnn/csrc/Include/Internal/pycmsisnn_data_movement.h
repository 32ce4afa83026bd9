/*
 * pycmsisnn: the bodies the int8 and int16 data movement kernels share
 * (pycmsisnn_remap_s8 / _s16, pycmsisnn_split_s8 / _s16); private, not part
 * of the API. Each body takes the element size (1: int8, 2: int16), a
 * constant at every call: the bodies are always inlined, so each public
 * function keeps loops of its own element type.
 */
#ifndef PYCMSISNN_DATA_MOVEMENT_H
#define PYCMSISNN_DATA_MOVEMENT_H

#include <string.h>

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

/* True when every one of the `count` entries of `map` is negative or below `size`. */
static inline int32_t pcn_remap_map_ok(const int32_t *map, const int32_t count, const int32_t size)
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
static inline int32_t pcn_remap_identity(const int32_t *map, const int32_t count, const int32_t size)
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

/* pycmsisnn_remap_s8 / _s16 (pycmsisnn_data_ops.h) with elements of elem_bytes bytes. */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_remap(const cmsis_nn_dims *input_dims,
                                                                           const void *input,
                                                                           const cmsis_nn_dims *output_dims,
                                                                           const int32_t *maps,
                                                                           const int32_t pad_value,
                                                                           void *output,
                                                                           const int32_t elem_bytes)
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
    if (!pcn_remap_map_ok(map_n, out->n, in->n) || !pcn_remap_map_ok(map_h, out->h, in->h) ||
        !pcn_remap_map_ok(map_w, out->w, in->w) || !pcn_remap_map_ok(map_c, out->c, in->c))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t whole_rows = pcn_remap_identity(map_c, out->c, in->c);
    const size_t row_bytes = (size_t)out->c * elem_bytes;

    int8_t *dst = (int8_t *)output;
    for (int32_t n = 0; n < out->n; n++)
    {
        for (int32_t h = 0; h < out->h; h++)
        {
            for (int32_t w = 0; w < out->w; w++)
            {
                if (map_n[n] < 0 || map_h[h] < 0 || map_w[w] < 0)
                {
                    if (elem_bytes == 1)
                    {
                        memset(dst, pad_value, row_bytes);
                    }
                    else
                    {
                        int16_t *dst16 = (int16_t *)dst;
                        for (int32_t c = 0; c < out->c; c++)
                        {
                            dst16[c] = (int16_t)pad_value;
                        }
                    }
                    dst += row_bytes;
                    continue;
                }
                const int32_t pixel = (map_n[n] * in->h + map_h[h]) * in->w + map_w[w];
                if (whole_rows)
                {
                    memcpy(dst, (const int8_t *)input + (size_t)pixel * in->c * elem_bytes, row_bytes);
                }
                else if (elem_bytes == 1)
                {
                    const int8_t *row = (const int8_t *)input + pixel * in->c;
                    for (int32_t c = 0; c < out->c; c++)
                    {
                        dst[c] = map_c[c] < 0 ? (int8_t)pad_value : row[map_c[c]];
                    }
                }
                else
                {
                    const int16_t *row = (const int16_t *)input + pixel * in->c;
                    int16_t *dst16 = (int16_t *)dst;
                    for (int32_t c = 0; c < out->c; c++)
                    {
                        dst16[c] = map_c[c] < 0 ? (int16_t)pad_value : row[map_c[c]];
                    }
                }
                dst += row_bytes;
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* Output k of a split: outputs is an int8_t *const * (elem_bytes 1) or an
 * int16_t *const * (2), read as its own type. */
static inline __attribute__((always_inline)) void *pcn_split_output(const void *outputs,
                                                                    const int32_t k,
                                                                    const int32_t elem_bytes)
{
    if (elem_bytes == 1)
    {
        return ((int8_t *const *)outputs)[k];
    }
    return ((int16_t *const *)outputs)[k];
}

/* pycmsisnn_split_s8 / _s16 (pycmsisnn_data_ops.h) with elements of elem_bytes
 * bytes; outputs is the caller's int8_t *const * (1) or int16_t *const * (2). */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_split(const void *input,
                                                                           const int32_t outer,
                                                                           const int32_t axis_size,
                                                                           const int32_t inner,
                                                                           const int32_t num_outputs,
                                                                           const int32_t *sizes,
                                                                           const void *outputs,
                                                                           const int32_t elem_bytes)
{
    if (input == NULL || sizes == NULL || outputs == NULL || outer <= 0 || axis_size <= 0 || inner <= 0 ||
        num_outputs <= 0 || (int64_t)outer * axis_size * inner > NN_Q31_MAX)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t total = 0;
    for (int32_t k = 0; k < num_outputs; k++)
    {
        if (pcn_split_output(outputs, k, elem_bytes) == NULL || sizes[k] <= 0 || sizes[k] > axis_size - total)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        total += sizes[k];
    }
    if (total != axis_size)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const size_t in_block = (size_t)axis_size * inner * elem_bytes;
    int32_t start = 0; /* first position of output k along the axis */
    for (int32_t k = 0; k < num_outputs; k++)
    {
        const size_t block = (size_t)sizes[k] * inner * elem_bytes;
        const int8_t *src = (const int8_t *)input + (size_t)start * inner * elem_bytes;
        int8_t *dst = (int8_t *)pcn_split_output(outputs, k, elem_bytes);
        for (int32_t o = 0; o < outer; o++)
        {
            memcpy(dst, src, block);
            dst += block;
            src += in_block;
        }
        start += sizes[k];
    }
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_DATA_MOVEMENT_H */
