/*
 * pycmsisnn: pycmsisnn_requantize_s8_s16.
 *
 * QUANTIZE from int8 -> int16, as TensorFlow Lite Micro's Requantize: the offset
 * input is requantised by s_in / s_out (double rounding), offset by the output
 * zero point and clamped to the output type.
 */
#include "pycmsisnn_tensor_ops_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_requantize_s8_s16(const pycmsisnn_requantize_params *params,
                                                const int8_t *input,
                                                int16_t *output,
                                                int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 31 || params->shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        /* In 64 bits: the offset cannot overflow a requantised value near the int32 limits. */
        const int64_t v =
            (int64_t)arm_nn_requantize((int32_t)input[i] + params->input_offset, params->multiplier, params->shift) +
            params->output_offset;
        output[i] = (int16_t)PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
