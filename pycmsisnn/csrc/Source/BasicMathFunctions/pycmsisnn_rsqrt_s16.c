/*
 * pycmsisnn: pycmsisnn_rsqrt_s16.
 *
 * int16 RSQRT as TensorFlow Lite Micro evaluates it: the offset input v gives
 * the fixed-point 1 / sqrt(v) (pcn_inv_sqrt_q31) applied to 2^20, which is
 * then requantised by 1 / (sqrt(s_in) * s_out) with the exponent lowered by
 * 20, offset and clamped. v == 0 gives 32767; a negative v is an error.
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_inv_sqrt.h"

arm_cmsis_nn_status pycmsisnn_rsqrt_s16(const pycmsisnn_requantize_params *params,
                                       const int16_t *input,
                                       int16_t *output,
                                       int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 50 || params->shift < -11)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t v = (int32_t)input[i] + params->input_offset;
        if (v < 0)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        if (v == 0)
        {
            output[i] = NN_Q15_MAX;
            continue;
        }
        int32_t inv_mult;
        int32_t inv_exp;
        pcn_inv_sqrt_q31(v, &inv_mult, &inv_exp);
        const int32_t r = arm_nn_requantize(1, inv_mult, inv_exp + 20);
        const int64_t y = (int64_t)arm_nn_requantize(r, params->multiplier, params->shift - 20) + params->output_offset;
        output[i] = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
