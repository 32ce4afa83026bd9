/*
 * pycmsisnn: arm_lstm_unidirectional_s16, TFLite Micro's UNIDIRECTIONAL_SEQUENCE_LSTM
 * (int16 input, output and hidden state (16x8); no peephole, projection, layer norm or CIFG).
 *
 * One arm_nn_lstm_step_s16 per time step: input [time][batch][input_size]
 * and output [time][batch][hidden_size] when params->time_major (batches one
 * step apart), else [batch][time][...] (batches time_steps steps apart). The
 * output of a step is the hidden state the next step reads.
 *
 * State: with buffers->hidden_state NULL the sequence starts from a zero
 * state (the cell state zeroed, no recurrent product in the first step).
 * Otherwise hidden_state ([batch][hidden_size]) and cell_state hold the state
 * to start from, and receive the state after the last step (TFLite Micro's
 * variable tensors, carried from one invoke to the next). In a batch-major
 * sequence the starting hidden state is first copied into the first step's
 * output rows, where the step reads it with the sequence's batch stride.
 *
 * The body is shared with its twin (pcn_lstm_unidirectional, Internal/pycmsisnn_lstm.h).
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_lstm.h"

static arm_cmsis_nn_status one_step(const void *data_in,
                                    const void *hidden_in,
                                    void *hidden_out,
                                    const cmsis_nn_lstm_params *params,
                                    cmsis_nn_lstm_context *buffers,
                                    const int32_t batch_offset)
{
    return arm_nn_lstm_step_s16((const int16_t *)data_in,
                                (const int16_t *)hidden_in,
                                (int16_t *)hidden_out,
                                params,
                                buffers,
                                batch_offset);
}

arm_cmsis_nn_status arm_lstm_unidirectional_s16(const int16_t *input,
                                                int16_t *output,
                                                const cmsis_nn_lstm_params *params,
                                                cmsis_nn_lstm_context *buffers)
{
    return pcn_lstm_unidirectional(input, output, 2, params, buffers, one_step);
}
