/*
 * pycmsisnn: pycmsisnn_quantize_f32_s16.
 *
 * QUANTIZE from float32 to int16 as TensorFlow Lite Micro's reference kernel
 * evaluates it: the float32 quotient x / scale, rounded to the nearest integer
 * with halves away from zero, plus the zero point, clamped to int16.
 *
 * The rounding is done without libm: for |q| < 2^16 the integer part t of q
 * is exact in int32 and q - t is exactly the fractional part (a float32 of
 * that size has at most 8 fraction bits left), which decides the rounding. A
 * quotient of magnitude >= 2^16 clamps whatever the zero point. A NaN gives
 * the zero point.
 */
#include "pycmsisnn_tensor_ops_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

#define QUOTIENT_LIMIT 65536.0f

arm_cmsis_nn_status pycmsisnn_quantize_f32_s16(const pycmsisnn_affine_params *params,
                                               const float *input,
                                               int16_t *output,
                                               int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const float scale = params->scale;
    const int32_t zero_point = params->zero_point;
    for (int32_t i = 0; i < size; i++)
    {
        const float q = input[i] / scale;
        int32_t y;
        if (q != q)
        {
            y = zero_point;
        }
        else if (q >= QUOTIENT_LIMIT)
        {
            y = NN_Q15_MAX;
        }
        else if (q <= -QUOTIENT_LIMIT)
        {
            y = NN_Q15_MIN;
        }
        else
        {
            int32_t r = (int32_t)q;
            const float fraction = q - (float)r;
            if (fraction >= 0.5f)
            {
                r += 1;
            }
            else if (fraction <= -0.5f)
            {
                r -= 1;
            }
            y = r + zero_point;
        }
        output[i] = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
