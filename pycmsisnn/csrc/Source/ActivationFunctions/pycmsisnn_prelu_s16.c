/*
 * pycmsisnn: pycmsisnn_prelu_s16.
 *
 * int16 PRELU (int8 alpha) as TensorFlow Lite Micro evaluates it: a non-negative offset
 * input is requantised by s_in / s_out, a negative one is multiplied by the
 * offset alpha and requantised by s_in * s_alpha / s_out; the output zero
 * point is added and the result clamped. Input and alpha broadcast to the
 * output (NHWC dims, each 1 or the output's).
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_prelu_s16(const pycmsisnn_prelu_params *params,
                                       const cmsis_nn_dims *input_dims,
                                       const int16_t *input,
                                       const cmsis_nn_dims *alpha_dims,
                                       const int8_t *alpha,
                                       const cmsis_nn_dims *output_dims,
                                       int16_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    if (params == NULL || input == NULL || alpha == NULL || output == NULL ||
        !arm_nn_broadcast_pair(input_dims, alpha_dims, output_dims, s1, s2) || params->identity_shift < -31 ||
        params->identity_shift > 31 || params->alpha_shift < -31 || params->alpha_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t n = 0; n < output_dims->n; n++)
    {
        for (int32_t h = 0; h < output_dims->h; h++)
        {
            for (int32_t w = 0; w < output_dims->w; w++)
            {
                const int16_t *x = input + n * s1[0] + h * s1[1] + w * s1[2];
                const int8_t *a = alpha + n * s2[0] + h * s2[1] + w * s2[2];
                for (int32_t c = 0; c < output_dims->c; c++)
                {
                    const int32_t v = (int32_t)x[c * s1[3]] + params->input_offset;
                    const int32_t r = v >= 0 ? arm_nn_requantize(v, params->identity_multiplier, params->identity_shift)
                                             : arm_nn_requantize(v * ((int32_t)a[c * s2[3]] + params->alpha_offset),
                                                                 params->alpha_multiplier,
                                                                 params->alpha_shift);
                    const int64_t y = (int64_t)r + params->output_offset;
                    *output++ = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
