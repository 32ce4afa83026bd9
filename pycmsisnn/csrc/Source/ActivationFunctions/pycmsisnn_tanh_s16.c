/*
 * pycmsisnn: pycmsisnn_tanh_s16.
 *
 * int16 TANH for any input scale, as TensorFlow Lite Micro's reference
 * kernel evaluates it: the input is rescaled to the look-up table's scale by
 * (x * input_multiplier + round) >> input_left_shift (TFLite's general-scale
 * path; arm_nn_activation_s16 covers the power-of-two scales 2^-12 and 2^-11
 * with multiplier 3 << shift), then looked up in the sigmoid table of
 * Internal/pycmsisnn_sigmoid_s16.h. Output scale 2^-15, zero point 0.
 */
#include "pycmsisnn_activations_s16.h"

#include <stddef.h>

#include "arm_nn_types.h"
#include "Internal/pycmsisnn_activation_s16_input.h"
#include "Internal/pycmsisnn_sigmoid_s16.h"

arm_cmsis_nn_status pycmsisnn_tanh_s16(const pycmsisnn_sigmoid_tanh_s16_params *params,
                                       const int16_t *input,
                                       int16_t *output,
                                       int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || !pcn_activation_s16_params_ok(params))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < size; i++)
    {
        output[i] = pcn_tanh_s16(pcn_activation_s16_input(params, input[i]));
    }
    return ARM_CMSIS_NN_SUCCESS;
}
