/*
 * pycmsisnn: pycmsisnn_leaky_relu_s16.
 *
 * int16 LEAKY_RELU as TensorFlow Lite Micro's reference kernel evaluates it:
 * an offset input >= 0 is requantised with the identity multiplier
 * (s_in / s_out), a negative one with the alpha multiplier
 * (alpha * s_in / s_out, which may be negative: then the requantisation by
 * its magnitude, negated, as TFLite Micro rounds it); the output zero point is
 * added and the result clamped to int16.
 */
#include "pycmsisnn_activations_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_leaky_relu_s16(const pycmsisnn_leaky_relu_params *params,
                                             const int16_t *input,
                                             int16_t *output,
                                             int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->identity_shift > 31 ||
        params->identity_shift < -31 || params->alpha_shift > 31 || params->alpha_shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t x = (int32_t)input[i] + params->input_offset;
        int32_t y;
        if (x >= 0)
        {
            y = arm_nn_requantize(x, params->identity_multiplier, params->identity_shift);
        }
        else
        {
            y = arm_nn_requantize_signed(x, params->alpha_multiplier, params->alpha_shift);
        }
        y += params->output_offset;
        output[i] = (int16_t)PCN_CLAMP(y, NN_Q15_MIN, NN_Q15_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
