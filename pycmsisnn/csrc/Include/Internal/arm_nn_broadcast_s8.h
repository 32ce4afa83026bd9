/*
 * pycmsisnn: private helper of arm_minimum_s8 / arm_maximum_s8 (not part of
 * the API).
 *
 * Walks an NHWC output and, for each element, picks the smaller or larger of
 * the two matching input elements, where an input dimension of 1 repeats
 * along the output's dimension (NumPy-style broadcasting restricted to 4-D).
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H
#define PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H

#include <stddef.h>
#include <stdint.h>

#include "arm_nn_types.h"

/* Element strides (n, h, w, c) of an input seen through the output's shape:
 * a broadcast dimension gets stride 0. Returns 0 when the input dimension can
 * neither match nor broadcast to the output dimension. */
static inline int arm_nn_broadcast_strides(const cmsis_nn_dims *in, const cmsis_nn_dims *out, int32_t strides[4])
{
    const int32_t in_shape[4] = {in->n, in->h, in->w, in->c};
    const int32_t out_shape[4] = {out->n, out->h, out->w, out->c};
    int32_t step = 1;
    for (int i = 3; i >= 0; i--)
    {
        if (in_shape[i] < 1 || out_shape[i] < 1)
        {
            return 0;
        }
        if (in_shape[i] == out_shape[i])
        {
            strides[i] = step;
        }
        else if (in_shape[i] == 1)
        {
            strides[i] = 0;
        }
        else
        {
            return 0;
        }
        step *= in_shape[i];
    }
    return 1;
}

/* Checked element strides of two inputs broadcast to out_dims (element
 * counts up to INT32_MAX); 0 when a dimension neither matches nor is 1. */
static inline int arm_nn_broadcast_pair(const cmsis_nn_dims *dims_1,
                                        const cmsis_nn_dims *dims_2,
                                        const cmsis_nn_dims *out_dims,
                                        int32_t s1[4],
                                        int32_t s2[4])
{
    if (dims_1 == NULL || dims_2 == NULL || out_dims == NULL ||
        (int64_t)out_dims->n * out_dims->h * out_dims->w * out_dims->c > INT32_MAX)
    {
        return 0;
    }
    return arm_nn_broadcast_strides(dims_1, out_dims, s1) && arm_nn_broadcast_strides(dims_2, out_dims, s2);
}

/* One output element from one element of each input (params: the caller's). */
typedef int8_t (*arm_nn_broadcast_op_s8)(const void *params, int8_t a, int8_t b);

/* Walk the output in NHWC order, applying op to the broadcast input elements.
 * Inlined into each kernel, so the op call is resolved at compile time. */
static inline void arm_nn_broadcast_walk_s8(const int8_t *in_1,
                                            const int32_t s1[4],
                                            const int8_t *in_2,
                                            const int32_t s2[4],
                                            int8_t *out,
                                            const cmsis_nn_dims *out_dims,
                                            const arm_nn_broadcast_op_s8 op,
                                            const void *params)
{
    for (int32_t n = 0; n < out_dims->n; n++)
    {
        for (int32_t h = 0; h < out_dims->h; h++)
        {
            for (int32_t w = 0; w < out_dims->w; w++)
            {
                const int8_t *p1 = in_1 + n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *p2 = in_2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (int32_t c = 0; c < out_dims->c; c++)
                {
                    *out++ = op(params, p1[c * s1[3]], p2[c * s2[3]]);
                }
            }
        }
    }
}

static inline int8_t arm_nn_max_s8(const void *params, const int8_t a, const int8_t b)
{
    (void)params;
    return a >= b ? a : b;
}

static inline int8_t arm_nn_min_s8(const void *params, const int8_t a, const int8_t b)
{
    (void)params;
    return a <= b ? a : b;
}

/* Shared body of arm_minimum_s8 and arm_maximum_s8; take_max selects maximum. */
static inline arm_cmsis_nn_status arm_nn_min_max_broadcast_s8(const int8_t *in_1,
                                                              const cmsis_nn_dims *dims_1,
                                                              const int8_t *in_2,
                                                              const cmsis_nn_dims *dims_2,
                                                              int8_t *out,
                                                              const cmsis_nn_dims *out_dims,
                                                              const int take_max)
{
    int32_t s1[4];
    int32_t s2[4];

    if (in_1 == NULL || in_2 == NULL || out == NULL || !arm_nn_broadcast_pair(dims_1, dims_2, out_dims, s1, s2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    arm_nn_broadcast_walk_s8(in_1, s1, in_2, s2, out, out_dims, take_max ? arm_nn_max_s8 : arm_nn_min_s8, NULL);
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_INTERNAL_ARM_NN_BROADCAST_S8_H */
