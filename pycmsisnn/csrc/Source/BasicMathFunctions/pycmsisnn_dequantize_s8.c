/*
 * pycmsisnn: pycmsisnn_dequantize_s8.
 *
 * DEQUANTIZE from int8 to float32: scale * (q - zero_point). The product of a
 * float32 scale and a 9-bit integer is exact in double precision, so the
 * single float32 multiply here rounds it exactly as TensorFlow Lite Micro's
 * double-precision product converted to float does.
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_dequantize_s8(const pycmsisnn_affine_params *params,
                                            const int8_t *input,
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
