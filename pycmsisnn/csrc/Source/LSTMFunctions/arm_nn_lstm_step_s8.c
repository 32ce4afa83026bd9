/*
 * pycmsisnn: arm_nn_lstm_step_s8, one time step of the LSTM (int8 input, output and hidden state,
 * int16 gates and cell state), as TFLite Micro's integer LSTM step:
 *
 *   f = sigmoid(forget gate)       cell = sat16(requantize(f * cell))
 *   i = sigmoid(input gate)        g = tanh(cell gate)
 *   cell = sat16(cell + sat16(requantize(i * g))), clipped to +-cell_clip when cell_clip > 0
 *   o = sigmoid(output gate)
 *   hidden_out = requantize(o * tanh(cell)) + output_offset, saturated
 *
 * The gates read data_in and hidden_in (hidden_in NULL: a zero hidden state)
 * before hidden_out is written, so hidden_out may be hidden_in. tanh(cell)
 * takes the cell's scale 2^cell_scale_power (arm_nn_activation_s16 with left
 * shift cell_scale_power + 12). buffers->temp1 and temp2 hold two gates at a
 * time; buffers->cell_state is updated in place.
 *
 * The body is shared with its twin (pcn_lstm_step, Internal/pycmsisnn_lstm.h).
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_lstm.h"

static arm_cmsis_nn_status step_gate(const void *data_in,
                                     const void *hidden_in,
                                     const cmsis_nn_lstm_gate *gate_data,
                                     const cmsis_nn_lstm_params *params,
                                     int16_t *output,
                                     const int32_t batch_offset)
{
    return arm_nn_lstm_calculate_gate_s8_s16((const int8_t *)data_in,
                                             (const int8_t *)hidden_in,
                                             gate_data,
                                             params,
                                             output,
                                             batch_offset);
}

static arm_cmsis_nn_status hidden_out_of(const int16_t *output_gate,
                                         const int16_t *tanh_cell,
                                         void *hidden_out,
                                         const cmsis_nn_lstm_params *params,
                                         const int32_t batch_offset)
{
    return arm_elementwise_mul_s16_s8(output_gate,
                                      tanh_cell,
                                      (int8_t *)hidden_out,
                                      params->output_offset,
                                      params->output_multiplier,
                                      params->output_shift,
                                      params->hidden_size,
                                      params->batch_size,
                                      batch_offset);
}

arm_cmsis_nn_status arm_nn_lstm_step_s8(const int8_t *data_in,
                                        const int8_t *hidden_in,
                                        int8_t *hidden_out,
                                        const cmsis_nn_lstm_params *params,
                                        cmsis_nn_lstm_context *buffers,
                                        const int32_t batch_offset)
{
    return pcn_lstm_step(data_in, hidden_in, hidden_out, params, buffers, batch_offset, step_gate, hidden_out_of);
}
