/*
 * pycmsisnn: arm_lstm_unidirectional_s8, TFLite Micro's UNIDIRECTIONAL_SEQUENCE_LSTM
 * (int8 input, output and hidden state; no peephole, projection, layer norm or CIFG).
 *
 * One arm_nn_lstm_step_s8 per time step: input [time][batch][input_size]
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
 */
#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_lstm_unidirectional_s8(const int8_t *input,
                                               int8_t *output,
                                               const cmsis_nn_lstm_params *params,
                                               cmsis_nn_lstm_context *buffers)
{
    const int32_t batches = params != NULL ? params->batch_size : 0;
    const int32_t steps = params != NULL ? params->time_steps : 0;
    const int32_t in_size = params != NULL ? params->input_size : 0;
    const int32_t hidden = params != NULL ? params->hidden_size : 0;
    int8_t *state;
    const int8_t *hidden_in = NULL;
    int32_t batch_offset;
    size_t in_step, out_step, out_batch;

    if (params == NULL || buffers == NULL || batches < 1 || steps < 0 || in_size < 1 || hidden < 1 ||
        buffers->temp1 == NULL || buffers->temp2 == NULL || buffers->cell_state == NULL ||
        (steps > 0 && (input == NULL || output == NULL)))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    state = (int8_t *)buffers->hidden_state;
    if (params->time_major)
    {
        batch_offset = 1;
        in_step = (size_t)batches * in_size;
        out_step = (size_t)batches * hidden;
        out_batch = (size_t)hidden;
    }
    else
    {
        batch_offset = steps;
        in_step = (size_t)in_size;
        out_step = (size_t)hidden;
        out_batch = (size_t)steps * hidden;
    }

    if (state == NULL)
    {
        memset(buffers->cell_state, 0, (size_t)batches * hidden * sizeof(int16_t));
    }
    else if (steps > 0)
    {
        for (int32_t b = 0; b < batches; b++)
        {
            memmove(output + b * out_batch, state + (size_t)b * hidden, (size_t)hidden * sizeof(int8_t));
        }
        hidden_in = output;
    }

    for (int32_t t = 0; t < steps; t++)
    {
        int8_t *hidden_out = output + t * out_step;
        const arm_cmsis_nn_status status =
            arm_nn_lstm_step_s8(input + t * in_step, hidden_in, hidden_out, params, buffers, batch_offset);
        if (status != ARM_CMSIS_NN_SUCCESS)
        {
            return status;
        }
        hidden_in = hidden_out;
    }

    if (state != NULL && steps > 0)
    {
        for (int32_t b = 0; b < batches; b++)
        {
            memmove(state + (size_t)b * hidden, hidden_in + b * out_batch, (size_t)hidden * sizeof(int8_t));
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
