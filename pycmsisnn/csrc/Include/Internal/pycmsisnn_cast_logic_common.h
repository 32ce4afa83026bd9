/*
 * pycmsisnn: the bodies the cast and logic twins share
 * (pycmsisnn_dynamic_update_slice_s8 / _s16, pycmsisnn_logical_and / _or);
 * private, not part of the API. The element size and the operation are
 * constants at every call of the always-inlined bodies.
 */
#ifndef PYCMSISNN_CAST_LOGIC_COMMON_H
#define PYCMSISNN_CAST_LOGIC_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arm_nn_types.h"

#define PYCMSISNN_DUS_MAX_DIMS 8

/* DYNAMIC_UPDATE_SLICE on elements of elem_bytes bytes: the operand copied to
 * the output, then the update written over the block at the start indices,
 * each clamped so that the block lies inside the operand. */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_dynamic_update_slice(const int32_t dims,
                                                                                          const int32_t *operand_shape,
                                                                                          const void *operand,
                                                                                          const int32_t *update_shape,
                                                                                          const void *update,
                                                                                          const int32_t *start,
                                                                                          void *output,
                                                                                          const size_t elem_bytes)
{
    if (operand_shape == NULL || operand == NULL || update_shape == NULL || update == NULL || start == NULL ||
        output == NULL || dims < 1 || dims > PYCMSISNN_DUS_MAX_DIMS)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t begin[PYCMSISNN_DUS_MAX_DIMS];
    int32_t stride[PYCMSISNN_DUS_MAX_DIMS]; /* operand elements per step along each axis */
    size_t operand_size = 1;
    size_t update_size = 1;
    for (int32_t d = dims - 1; d >= 0; d--)
    {
        if (operand_shape[d] <= 0 || update_shape[d] <= 0 || update_shape[d] > operand_shape[d])
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        const int32_t last = operand_shape[d] - update_shape[d];
        begin[d] = start[d] < 0 ? 0 : (start[d] > last ? last : start[d]);
        stride[d] = (int32_t)operand_size;
        operand_size *= (size_t)operand_shape[d];
        update_size *= (size_t)update_shape[d];
    }
    if (output != operand)
    {
        memcpy(output, operand, operand_size * elem_bytes);
    }
    /* Rows of the innermost axis, counted through the outer axes like an odometer. */
    const int32_t row = update_shape[dims - 1];
    int32_t index[PYCMSISNN_DUS_MAX_DIMS] = {0};
    for (size_t done = 0; done < update_size; done += (size_t)row)
    {
        size_t offset = (size_t)begin[dims - 1];
        for (int32_t d = 0; d < dims - 1; d++)
        {
            offset += (size_t)(begin[d] + index[d]) * (size_t)stride[d];
        }
        memcpy((int8_t *)output + offset * elem_bytes,
               (const int8_t *)update + done * elem_bytes,
               (size_t)row * elem_bytes);
        for (int32_t d = dims - 2; d >= 0; d--)
        {
            if (++index[d] < update_shape[d])
            {
                break;
            }
            index[d] = 0;
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* Whether `in` broadcasts to `out`: each dimension the output's or 1, the output's positive. */
static inline int pcn_logical_broadcasts(const cmsis_nn_dims *in, const cmsis_nn_dims *out)
{
    const int32_t i[4] = {in->n, in->h, in->w, in->c};
    const int32_t o[4] = {out->n, out->h, out->w, out->c};
    for (int k = 0; k < 4; k++)
    {
        if (o[k] <= 0 || (i[k] != o[k] && i[k] != 1))
        {
            return 0;
        }
    }
    return 1;
}

/* LOGICAL_AND (is_or 0) or LOGICAL_OR (is_or 1) of two bool tensors,
 * broadcast to the output (NHWC, each input dimension the output's or 1). */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_logical(const cmsis_nn_dims *input_1_dims,
                                                                             const bool *input_1,
                                                                             const cmsis_nn_dims *input_2_dims,
                                                                             const bool *input_2,
                                                                             const cmsis_nn_dims *output_dims,
                                                                             bool *output,
                                                                             const int is_or)
{
    if (input_1_dims == NULL || input_1 == NULL || input_2_dims == NULL || input_2 == NULL || output_dims == NULL ||
        output == NULL || !pcn_logical_broadcasts(input_1_dims, output_dims) ||
        !pcn_logical_broadcasts(input_2_dims, output_dims))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const cmsis_nn_dims *a = input_1_dims;
    const cmsis_nn_dims *b = input_2_dims;
    const cmsis_nn_dims *o = output_dims;
    for (int32_t n = 0; n < o->n; n++)
    {
        for (int32_t h = 0; h < o->h; h++)
        {
            for (int32_t w = 0; w < o->w; w++)
            {
                const int32_t ra = (((a->n > 1 ? n : 0) * a->h + (a->h > 1 ? h : 0)) * a->w + (a->w > 1 ? w : 0)) * a->c;
                const int32_t rb = (((b->n > 1 ? n : 0) * b->h + (b->h > 1 ? h : 0)) * b->w + (b->w > 1 ? w : 0)) * b->c;
                bool *out = output + ((n * o->h + h) * o->w + w) * o->c;
                for (int32_t c = 0; c < o->c; c++)
                {
                    const bool x = input_1[ra + (a->c > 1 ? c : 0)];
                    const bool y = input_2[rb + (b->c > 1 ? c : 0)];
                    out[c] = is_or ? (x || y) : (x && y);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_CAST_LOGIC_COMMON_H */
