/*
 * pycmsisnn: private helper of the int16 broadcasting kernels (not part of
 * the API): the int16 twin of arm_nn_broadcast_walk_s8, with the same
 * strides (arm_nn_broadcast_pair).
 */
#ifndef PYCMSISNN_INTERNAL_BROADCAST_S16_H
#define PYCMSISNN_INTERNAL_BROADCAST_S16_H

#include <stdint.h>

#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"

/* One output element from one element of each input (params: the caller's). */
typedef int16_t (*pcn_broadcast_op_s16)(const void *params, int16_t a, int16_t b);

/* Walk the output in NHWC order, applying op to the broadcast input elements. */
static inline void pcn_broadcast_walk_s16(const int16_t *in_1,
                                          const int32_t s1[4],
                                          const int16_t *in_2,
                                          const int32_t s2[4],
                                          int16_t *out,
                                          const cmsis_nn_dims *out_dims,
                                          const pcn_broadcast_op_s16 op,
                                          const void *params)
{
    for (int32_t n = 0; n < out_dims->n; n++)
    {
        for (int32_t h = 0; h < out_dims->h; h++)
        {
            for (int32_t w = 0; w < out_dims->w; w++)
            {
                const int16_t *p1 = in_1 + n * s1[0] + h * s1[1] + w * s1[2];
                const int16_t *p2 = in_2 + n * s2[0] + h * s2[1] + w * s2[2];
                for (int32_t c = 0; c < out_dims->c; c++)
                {
                    *out++ = op(params, p1[c * s1[3]], p2[c * s2[3]]);
                }
            }
        }
    }
}

/* Requantise an int32 value and clamp it to [act_min, act_max] (within int16). */
static inline int16_t pcn_requantize_clamp_s16(const int32_t acc,
                                               const int32_t multiplier,
                                               const int32_t shift,
                                               const int32_t out_offset,
                                               const int32_t act_min,
                                               const int32_t act_max)
{
    int32_t v = arm_nn_requantize(acc, multiplier, shift) + out_offset;
    v = PCN_CLAMP(v, act_min, act_max);
    return (int16_t)v;
}

#endif /* PYCMSISNN_INTERNAL_BROADCAST_S16_H */
