/*
 * pycmsisnn: private helpers of the kernels in pycmsisnn_reduce_ops.h (not
 * part of the API): splitting a tensor around an axis, the max / min
 * reduction walk, the quantised comparison walk and the select walk.
 */
#ifndef PYCMSISNN_INTERNAL_REDUCE_OPS_COMMON_H
#define PYCMSISNN_INTERNAL_REDUCE_OPS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "pycmsisnn_reduce_ops.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"

/* The element count of dims, or -1 when a dimension is below 1 or the count
 * exceeds INT32_MAX. */
static inline int32_t pcn_dims_count(const cmsis_nn_dims *dims)
{
    if (dims == NULL || dims->n < 1 || dims->h < 1 || dims->w < 1 || dims->c < 1)
    {
        return -1;
    }
    const int64_t count = (int64_t)dims->n * dims->h * dims->w * dims->c;
    return count > INT32_MAX ? -1 : (int32_t)count;
}

/* A tensor seen as [outer, extent, inner] around axis (0..3 of n, h, w, c).
 * Returns 0 for an invalid axis or dims. */
static inline int pcn_axis_split(const cmsis_nn_dims *dims, const int32_t axis, int32_t *outer, int32_t *extent, int32_t *inner)
{
    if (axis < 0 || axis > 3 || pcn_dims_count(dims) < 0)
    {
        return 0;
    }
    const int32_t shape[4] = {dims->n, dims->h, dims->w, dims->c};
    *outer = 1;
    *inner = 1;
    for (int32_t i = 0; i < axis; i++)
    {
        *outer *= shape[i];
    }
    for (int32_t i = axis + 1; i < 4; i++)
    {
        *inner *= shape[i];
    }
    *extent = shape[axis];
    return 1;
}

/* ARG_MAX (take_max) or ARG_MIN along axis: the first index of the extreme. */
static inline arm_cmsis_nn_status pcn_arg_extreme_s8(const cmsis_nn_dims *input_dims,
                                                     const int8_t *input,
                                                     const int32_t axis,
                                                     int32_t *output,
                                                     const int take_max)
{
    int32_t outer, extent, inner;
    if (input == NULL || output == NULL || !pcn_axis_split(input_dims, axis, &outer, &extent, &inner))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t o = 0; o < outer; o++)
    {
        const int8_t *block = input + (size_t)o * extent * inner;
        for (int32_t i = 0; i < inner; i++)
        {
            int32_t best = 0;
            int8_t best_value = block[i];
            for (int32_t k = 1; k < extent; k++)
            {
                const int8_t v = block[(size_t)k * inner + i];
                if (take_max ? v > best_value : v < best_value)
                {
                    best = k;
                    best_value = v;
                }
            }
            *output++ = best;
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* An output extent is valid when it keeps the input extent or reduces it to 1. */
static inline int pcn_reduced_extent_ok(const int32_t in, const int32_t out)
{
    return in > 0 && (out == in || out == 1);
}

/* REDUCE_MAX (take_max) or REDUCE_MIN over the axes where the output extent is 1. */
static inline arm_cmsis_nn_status pcn_reduce_extreme_s8(const cmsis_nn_dims *input_dims,
                                                        const int8_t *input,
                                                        const cmsis_nn_dims *output_dims,
                                                        int8_t *output,
                                                        const int take_max)
{
    if (input == NULL || output == NULL || output_dims == NULL || pcn_dims_count(input_dims) < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (!pcn_reduced_extent_ok(input_dims->n, output_dims->n) || !pcn_reduced_extent_ok(input_dims->h, output_dims->h) ||
        !pcn_reduced_extent_ok(input_dims->w, output_dims->w) || !pcn_reduced_extent_ok(input_dims->c, output_dims->c))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t span_n = output_dims->n == 1 ? input_dims->n : 1;
    const int32_t span_h = output_dims->h == 1 ? in_h : 1;
    const int32_t span_w = output_dims->w == 1 ? in_w : 1;
    const int32_t span_c = output_dims->c == 1 ? in_c : 1;

    for (int32_t on = 0; on < output_dims->n; on++)
    {
        for (int32_t oh = 0; oh < output_dims->h; oh++)
        {
            for (int32_t ow = 0; ow < output_dims->w; ow++)
            {
                for (int32_t oc = 0; oc < output_dims->c; oc++)
                {
                    int32_t best = take_max ? NN_Q7_MIN : NN_Q7_MAX;
                    for (int32_t n = on; n < on + span_n; n++)
                    {
                        for (int32_t h = oh; h < oh + span_h; h++)
                        {
                            for (int32_t w = ow; w < ow + span_w; w++)
                            {
                                const int8_t *row = input + (((size_t)n * in_h + h) * in_w + w) * in_c;
                                for (int32_t c = oc; c < oc + span_c; c++)
                                {
                                    const int32_t v = row[c];
                                    best = take_max ? PCN_MAX(best, v) : PCN_MIN(best, v);
                                }
                            }
                        }
                    }
                    *output++ = (int8_t)best;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* The comparisons, by what they test of (a, b). */
typedef enum
{
    PCN_CMP_EQUAL,
    PCN_CMP_NOT_EQUAL,
    PCN_CMP_LESS,
    PCN_CMP_LESS_EQUAL,
    PCN_CMP_GREATER,
    PCN_CMP_GREATER_EQUAL
} pcn_compare_op;

static inline bool pcn_compare(const pcn_compare_op op, const int32_t a, const int32_t b)
{
    switch (op)
    {
    case PCN_CMP_EQUAL:
        return a == b;
    case PCN_CMP_NOT_EQUAL:
        return a != b;
    case PCN_CMP_LESS:
        return a < b;
    case PCN_CMP_LESS_EQUAL:
        return a <= b;
    case PCN_CMP_GREATER:
        return a > b;
    default:
        return a >= b;
    }
}

/* One input of a comparison on the common footing: offset, scaled up, requantised. */
static inline int32_t pcn_compare_rescale(const int8_t x, const int32_t offset, const int32_t left_shift,
                                          const int32_t mult, const int32_t shift)
{
    return arm_nn_requantize(arm_nn_shift_left_wrap((int32_t)x + offset, left_shift), mult, shift);
}

/* The quantised comparison op of two broadcast int8 inputs into bool output.
 * Inlined into each kernel, so the op is resolved at compile time. */
static inline arm_cmsis_nn_status pcn_compare_s8(const pycmsisnn_compare_params *p,
                                                 const cmsis_nn_dims *dims_1,
                                                 const int8_t *in_1,
                                                 const cmsis_nn_dims *dims_2,
                                                 const int8_t *in_2,
                                                 const cmsis_nn_dims *out_dims,
                                                 bool *out,
                                                 const pcn_compare_op op)
{
    int32_t s1[4];
    int32_t s2[4];
    if (p == NULL || in_1 == NULL || in_2 == NULL || out == NULL || !arm_nn_broadcast_pair(dims_1, dims_2, out_dims, s1, s2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (p->left_shift < 0 || p->left_shift > 31 || p->input_1_shift < -31 || p->input_1_shift > 31 ||
        p->input_2_shift < -31 || p->input_2_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
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
                    const int32_t a =
                        pcn_compare_rescale(p1[c * s1[3]], p->input_1_offset, p->left_shift, p->input_1_mult, p->input_1_shift);
                    const int32_t b =
                        pcn_compare_rescale(p2[c * s2[3]], p->input_2_offset, p->left_shift, p->input_2_mult, p->input_2_shift);
                    *out++ = pcn_compare(op, a, b);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* The body of a select kernel for element type T (int8_t or int16_t). */
#define PCN_SELECT_BODY(T)                                                                                             \
    int32_t sc[4];                                                                                                     \
    int32_t s1[4];                                                                                                     \
    int32_t s2[4];                                                                                                     \
    if (condition == NULL || input_1 == NULL || input_2 == NULL || output == NULL || condition_dims == NULL ||         \
        !arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, s1, s2) ||                                    \
        !arm_nn_broadcast_strides(condition_dims, output_dims, sc))                                                    \
    {                                                                                                                  \
        return ARM_CMSIS_NN_ARG_ERROR;                                                                                 \
    }                                                                                                                  \
    for (int32_t n = 0; n < output_dims->n; n++)                                                                       \
    {                                                                                                                  \
        for (int32_t h = 0; h < output_dims->h; h++)                                                                   \
        {                                                                                                              \
            for (int32_t w = 0; w < output_dims->w; w++)                                                               \
            {                                                                                                          \
                const bool *pc = condition + n * sc[0] + h * sc[1] + w * sc[2];                                        \
                const T *p1 = input_1 + n * s1[0] + h * s1[1] + w * s1[2];                                             \
                const T *p2 = input_2 + n * s2[0] + h * s2[1] + w * s2[2];                                             \
                for (int32_t c = 0; c < output_dims->c; c++)                                                           \
                {                                                                                                      \
                    *output++ = pc[c * sc[3]] ? p1[c * s1[3]] : p2[c * s2[3]];                                         \
                }                                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    return ARM_CMSIS_NN_SUCCESS

#endif /* PYCMSISNN_INTERNAL_REDUCE_OPS_COMMON_H */
