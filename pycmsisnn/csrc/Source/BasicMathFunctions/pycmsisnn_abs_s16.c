/*
 * pycmsisnn: pycmsisnn_abs_s16.
 *
 * int16 ABS as TensorFlow Lite Micro evaluates it: the magnitude of the offset
 * input, requantised by s_in / s_out (double rounding), offset by the output
 * zero point and clamped to int16 (zero points 0).
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_abs_s16(const pycmsisnn_requantize_params *params,
                                     const int16_t *input,
                                     int16_t *output,
                                     int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 31 || params->shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t v = (int32_t)input[i] + params->input_offset;
        const int64_t y =
            (int64_t)arm_nn_requantize(v < 0 ? -v : v, params->multiplier, params->shift) + params->output_offset;
        output[i] = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
