/*
 * pycmsisnn: pycmsisnn_dequantize_s16.
 *
 * DEQUANTIZE from int16 to float32: scale * (q - zero_point). q - zero_point
 * has at most 17 bits, so it is exact as a float32, and the product of a
 * float32 scale (24-bit mantissa) with it is exact in double precision: the
 * single float32 multiply here rounds it exactly as TensorFlow Lite Micro's
 * double-precision product converted to float does.
 */
#include "pycmsisnn_tensor_ops_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

arm_cmsis_nn_status pycmsisnn_dequantize_s16(const pycmsisnn_affine_params *params,
                                             const int16_t *input,
                                             float *output,
                                             int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const float scale = params->scale;
    for (int32_t i = 0; i < size; i++)
    {
        output[i] = scale * (float)((int32_t)input[i] - params->zero_point);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
