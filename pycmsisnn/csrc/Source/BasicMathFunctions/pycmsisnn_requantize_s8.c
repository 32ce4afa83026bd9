/*
 * pycmsisnn: pycmsisnn_requantize_s8.
 *
 * QUANTIZE from int8 to int8 (a change of scale and zero point): the offset
 * input is requantised by s_in / s_out, offset by the output zero point and
 * clamped to int8.
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_requantize_s8(const pycmsisnn_requantize_params *params,
                                            const int8_t *input,
                                            int8_t *output,
                                            int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->shift > 31 || params->shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        output[i] = arm_nn_requantize_clamp_s8((int32_t)input[i] + params->input_offset,
                                               params->multiplier,
                                               params->shift,
                                               params->output_offset,
                                               NN_Q7_MIN,
                                               NN_Q7_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
