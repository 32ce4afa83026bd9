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
 *
 * The body is shared with its twin (pcn_lstm_gate, Internal/pycmsisnn_lstm.h).
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_lstm.h"

static arm_cmsis_nn_status gate_mat(const void *in,
                                    const int8_t *weights,
                                    const void *effective_bias,
                                    int16_t *output,
                                    const int32_t multiplier,
                                    const int32_t shift,
                                    const int32_t cols,
                                    const int32_t rows,
                                    const int32_t batches,
                                    const int32_t batch_offset)
{
    return arm_nn_vec_mat_mul_result_acc_s8_s16((const int8_t *)in,
                                                weights,
                                                (const int32_t *)effective_bias,
                                                output,
                                                multiplier,
                                                shift,
                                                cols,
                                                rows,
                                                batches,
                                                batch_offset);
}

arm_cmsis_nn_status arm_nn_lstm_calculate_gate_s8_s16(const int8_t *data_in,
                                                      const int8_t *hidden_in,
                                                      const cmsis_nn_lstm_gate *gate_data,
                                                      const cmsis_nn_lstm_params *params,
                                                      int16_t *output,
                                                      const int32_t batch_offset)
{
    return pcn_lstm_gate(data_in, hidden_in, gate_data, params, output, batch_offset, gate_mat);
}
