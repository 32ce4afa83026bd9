/*
 * pycmsisnn: pycmsisnn_quantize_f32_s8.
 *
 * QUANTIZE from float32 to int8 as TensorFlow Lite Micro's reference kernel
 * evaluates it: the float32 quotient x / scale, rounded to the nearest integer
 * with halves away from zero, plus the zero point, clamped to int8.
 *
 * The rounding is done without libm: for |q| < 512 the integer part t of q is
 * exact in int32 and q - t is exactly the fractional part, which decides the
 * rounding. A quotient of magnitude >= 512 clamps whatever the zero point. A
 * NaN gives the zero point (TensorFlow Lite Micro converts NaN and quotients
 * beyond the int32 range to int32 with undefined behaviour).
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_quantize_f32_s8(const pycmsisnn_affine_params *params,
                                              const float *input,
                                              int8_t *output,
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
        else if (q >= 512.0f)
        {
            y = NN_Q7_MAX;
        }
        else if (q <= -512.0f)
        {
            y = NN_Q7_MIN;
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
        output[i] = (int8_t)PCN_CLAMP(y, NN_Q7_MIN, NN_Q7_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
