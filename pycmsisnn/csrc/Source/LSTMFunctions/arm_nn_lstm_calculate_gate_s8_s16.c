/*
 * pycmsisnn: arm_nn_lstm_calculate_gate_s8_s16, one LSTM gate for one time step
 * (int8 input and hidden state, 32-bit sums).
 *
 *   output[b][r] = activation(sat16(fc(data_in) + fc(hidden_in)))
 * for b < params->batch_size, r < params->hidden_size: each product is
 * requantised to int16 on the gate's scale 2^-12 by its own multiplier and
 * shift with the effective bias added (arm_nn_vec_mat_mul_result_acc_s8_s16), the recurrent one left out
 * when hidden_in is NULL (a zero hidden state); the activation is
 * gate_data->activation_type (sigmoid or tanh) on Q3.12 input, Q0.15 output
 * (arm_nn_activation_s16). data_in and hidden_in hold one step: their
 * batches are batch_offset steps apart; output has consecutive batches.
 */
#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_nn_lstm_calculate_gate_s8_s16(const int8_t *data_in,
                                                      const int8_t *hidden_in,
                                                      const cmsis_nn_lstm_gate *gate_data,
                                                      const cmsis_nn_lstm_params *params,
                                                      int16_t *output,
                                                      const int32_t batch_offset)
{
    const int32_t batches = params->batch_size;
    const int32_t hidden = params->hidden_size;
    arm_cmsis_nn_status status;

    memset(output, 0, (size_t)batches * hidden * sizeof(int16_t));
    status = arm_nn_vec_mat_mul_result_acc_s8_s16(data_in,
                                                  (const int8_t *)gate_data->input_weights,
                                                  (const int32_t *)gate_data->input_effective_bias,
                                                  output,
                                                  gate_data->input_multiplier,
                                                  gate_data->input_shift,
                                                  params->input_size,
                                                  hidden,
                                                  batches,
                                                  batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS && hidden_in != NULL)
    {
        status = arm_nn_vec_mat_mul_result_acc_s8_s16(hidden_in,
                                                      (const int8_t *)gate_data->hidden_weights,
                                                      (const int32_t *)gate_data->hidden_effective_bias,
                                                      output,
                                                      gate_data->hidden_multiplier,
                                                      gate_data->hidden_shift,
                                                      hidden,
                                                      hidden,
                                                      batches,
                                                      batch_offset);
    }
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    return arm_nn_activation_s16(output, output, batches * hidden, 0, gate_data->activation_type);
}
