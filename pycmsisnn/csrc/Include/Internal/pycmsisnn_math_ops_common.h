/*
 * pycmsisnn: the bodies the int8 and int16 twins of pycmsisnn_math_ops.h
 * share (pycmsisnn_abs_s8 / _s16, pycmsisnn_prelu_s8 / _s16,
 * pycmsisnn_rsqrt_s8 / _s16); private, not part of the API. Each body takes the element size of its input and output
 * (1: int8, 2: int16), a constant at every call: the bodies are always
 * inlined, so each public function keeps loops of its own element type.
 */
#ifndef PYCMSISNN_MATH_OPS_COMMON_H
#define PYCMSISNN_MATH_OPS_COMMON_H

#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_inv_sqrt.h"

/* Element i of an int8 (elem_bytes 1) or int16 (2) array. */
static inline __attribute__((always_inline)) int32_t pcn_load_s8_s16(const void *base,
                                                                     const int32_t i,
                                                                     const int32_t elem_bytes)
{
    return elem_bytes == 1 ? (int32_t)((const int8_t *)base)[i] : (int32_t)((const int16_t *)base)[i];
}

/* The largest value of int8 (elem_bytes 1) or int16 (2). */
static inline __attribute__((always_inline)) int32_t pcn_max_s8_s16(const int32_t elem_bytes)
{
    return elem_bytes == 1 ? NN_Q7_MAX : NN_Q15_MAX;
}

/* Element i of an int8 (elem_bytes 1) or int16 (2) array set to y clamped to the type. */
static inline __attribute__((always_inline)) void pcn_store_sat_s8_s16(void *base,
                                                                       const int32_t i,
                                                                       const int64_t y,
                                                                       const int32_t elem_bytes)
{
    if (elem_bytes == 1)
    {
        ((int8_t *)base)[i] = (int8_t)PCN_CLAMP(y, NN_Q7_MIN, NN_Q7_MAX);
    }
    else
    {
        ((int16_t *)base)[i] = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
    }
}

/* ABS (pycmsisnn_abs_s8 / _s16): input and output of elem_bytes bytes. */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_abs(const pycmsisnn_requantize_params *params,
                                                                         const void *input,
                                                                         void *output,
                                                                         const int32_t size,
                                                                         const int32_t elem_bytes)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 31 || params->shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t v = pcn_load_s8_s16(input, i, elem_bytes) + params->input_offset;
        const int64_t y =
            (int64_t)arm_nn_requantize(v < 0 ? -v : v, params->multiplier, params->shift) + params->output_offset;
        pcn_store_sat_s8_s16(output, i, y, elem_bytes);
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* PRELU (pycmsisnn_prelu_s8 / _s16): input and output of elem_bytes bytes, int8 alpha. */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_prelu(const pycmsisnn_prelu_params *params,
                                                                           const cmsis_nn_dims *input_dims,
                                                                           const void *input,
                                                                           const cmsis_nn_dims *alpha_dims,
                                                                           const int8_t *alpha,
                                                                           const cmsis_nn_dims *output_dims,
                                                                           void *output,
                                                                           const int32_t elem_bytes)
{
    int32_t s1[4];
    int32_t s2[4];
    if (params == NULL || input == NULL || alpha == NULL || output == NULL ||
        !arm_nn_broadcast_pair(input_dims, alpha_dims, output_dims, s1, s2) || params->identity_shift < -31 ||
        params->identity_shift > 31 || params->alpha_shift < -31 || params->alpha_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t out = 0;
    for (int32_t n = 0; n < output_dims->n; n++)
    {
        for (int32_t h = 0; h < output_dims->h; h++)
        {
            for (int32_t w = 0; w < output_dims->w; w++)
            {
                const int32_t x = n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *a = alpha + n * s2[0] + h * s2[1] + w * s2[2];
                for (int32_t c = 0; c < output_dims->c; c++)
                {
                    const int32_t v = pcn_load_s8_s16(input, x + c * s1[3], elem_bytes) + params->input_offset;
                    const int32_t r = v >= 0 ? arm_nn_requantize(v, params->identity_multiplier, params->identity_shift)
                                             : arm_nn_requantize(v * ((int32_t)a[c * s2[3]] + params->alpha_offset),
                                                                 params->alpha_multiplier,
                                                                 params->alpha_shift);
                    pcn_store_sat_s8_s16(output, out++, (int64_t)r + params->output_offset, elem_bytes);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* RSQRT (pycmsisnn_rsqrt_s8 / _s16): input and output of elem_bytes bytes. */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_rsqrt(const pycmsisnn_requantize_params *params,
                                                                           const void *input,
                                                                           void *output,
                                                                           const int32_t size,
                                                                           const int32_t elem_bytes)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 50 || params->shift < -11)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t v = pcn_load_s8_s16(input, i, elem_bytes) + params->input_offset;
        if (v < 0)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        if (v == 0)
        {
            pcn_store_sat_s8_s16(output, i, pcn_max_s8_s16(elem_bytes), elem_bytes);
            continue;
        }
        int32_t inv_mult;
        int32_t inv_exp;
        pcn_inv_sqrt_q31(v, &inv_mult, &inv_exp);
        const int32_t r = arm_nn_requantize(1, inv_mult, inv_exp + 20);
        const int64_t y = (int64_t)arm_nn_requantize(r, params->multiplier, params->shift - 20) + params->output_offset;
        pcn_store_sat_s8_s16(output, i, y, elem_bytes);
    }
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_MATH_OPS_COMMON_H */
