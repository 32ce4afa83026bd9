/*
 * pycmsisnn: pycmsisnn_logical_and.
 *
 * LOGICAL_AND of two bool tensors, broadcast to the output (NHWC, each
 * input dimension the output's or 1).
 */
#include "pycmsisnn_cast_logic.h"
#include "arm_nn_types.h"

#include <stddef.h>

/* The step through an input along one output axis: 0 where it repeats. */
static int broadcasts(const cmsis_nn_dims *in, const cmsis_nn_dims *out)
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

arm_cmsis_nn_status pycmsisnn_logical_and(const cmsis_nn_dims *input_1_dims,
                                         const bool *input_1,
                                         const cmsis_nn_dims *input_2_dims,
                                         const bool *input_2,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output)
{
    if (input_1_dims == NULL || input_1 == NULL || input_2_dims == NULL || input_2 == NULL || output_dims == NULL ||
        output == NULL || !broadcasts(input_1_dims, output_dims) || !broadcasts(input_2_dims, output_dims))
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
                    out[c] = input_1[ra + (a->c > 1 ? c : 0)] && input_2[rb + (b->c > 1 ? c : 0)];
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
