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
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_nn_lstm_step_s8(const int8_t *data_in,
                                        const int8_t *hidden_in,
                                        int8_t *hidden_out,
                                        const cmsis_nn_lstm_params *params,
                                        cmsis_nn_lstm_context *buffers,
                                        const int32_t batch_offset)
{
    const int32_t batches = params->batch_size;
    const int32_t hidden = params->hidden_size;
    const int32_t size = batches * hidden;
    int16_t *gate_a = (int16_t *)buffers->temp1;
    int16_t *gate_b = (int16_t *)buffers->temp2;
    int16_t *cell = (int16_t *)buffers->cell_state;
    arm_cmsis_nn_status status;

    status = arm_nn_lstm_calculate_gate_s8_s16(data_in, hidden_in, &params->forget_gate, params, gate_a, batch_offset);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    arm_elementwise_mul_s16_batch_offset(
        gate_a, cell, cell, 0, params->forget_to_cell_multiplier, params->forget_to_cell_shift, size, 1, 1);

    status = arm_nn_lstm_calculate_gate_s8_s16(data_in, hidden_in, &params->input_gate, params, gate_a, batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS)
    {
        status = arm_nn_lstm_calculate_gate_s8_s16(data_in, hidden_in, &params->cell_gate, params, gate_b, batch_offset);
    }
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    arm_elementwise_mul_acc_s16(gate_a,
                                gate_b,
                                0,
                                0,
                                cell,
                                0,
                                params->input_to_cell_multiplier,
                                params->input_to_cell_shift,
                                NN_Q15_MIN,
                                NN_Q15_MAX,
                                size);
    if (params->cell_clip > 0)
    {
        const int32_t clip = params->cell_clip;
        for (int32_t i = 0; i < size; i++)
        {
            cell[i] = (int16_t)PCN_CLAMP((int32_t)cell[i], -clip, clip);
        }
    }

    status = arm_nn_lstm_calculate_gate_s8_s16(data_in, hidden_in, &params->output_gate, params, gate_a, batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS)
    {
        status = arm_nn_activation_s16(cell, gate_b, size, params->cell_scale_power + 12, ARM_TANH);
    }
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    return arm_elementwise_mul_s16_s8(gate_a,
                                      gate_b,
                                      hidden_out,
                                      params->output_offset,
                                      params->output_multiplier,
                                      params->output_shift,
                                      hidden,
                                      batches,
                                      batch_offset);
}
