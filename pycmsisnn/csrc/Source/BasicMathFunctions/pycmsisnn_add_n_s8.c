/*
 * pycmsisnn: pycmsisnn_add_n_s8.
 *
 * int8 ADD_N as TensorFlow Lite Micro evaluates it (found by running it on
 * every pair of int8 values and on random sets of up to eight inputs): every
 * input shares one scale s and zero point, so ADD's rescaling onto 2 s after
 * a left shift of 20 is an exact halving, i.e. a shift by 19; the sum starts
 * not from zero but from the offset zero (the input offset itself, shifted
 * the same way), then is requantised to the output, offset and clamped.
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

#define PCN_ADD_N_SHIFT 19

arm_cmsis_nn_status pycmsisnn_add_n_s8(const pycmsisnn_add_n_params *params,
                                       const int8_t *const *inputs,
                                       int32_t num_inputs,
                                       int8_t *output,
                                       int32_t size)
{
    if (params == NULL || inputs == NULL || output == NULL || num_inputs < 2 || size < 0 || params->input_offset < -127 ||
        params->input_offset > 128 || params->output_offset < NN_Q7_MIN || params->output_offset > NN_Q7_MAX ||
        params->output_multiplier < 0 || params->output_shift < -31 || params->output_shift > 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t j = 0; j < num_inputs; j++)
    {
        if (inputs[j] == NULL)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
    }
    for (int32_t i = 0; i < size; i++)
    {
        uint32_t acc = (uint32_t)arm_nn_shift_left_wrap(params->input_offset, PCN_ADD_N_SHIFT);
        for (int32_t j = 0; j < num_inputs; j++)
        {
            acc += (uint32_t)arm_nn_shift_left_wrap((int32_t)inputs[j][i] + params->input_offset, PCN_ADD_N_SHIFT);
        }
        const int32_t v = arm_nn_requantize((int32_t)acc, params->output_multiplier, params->output_shift) + params->output_offset;
        output[i] = (int8_t)PCN_CLAMP(v, NN_Q7_MIN, NN_Q7_MAX);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
