/*
 * pycmsisnn: the bodies the int8 and int16 (16x8) LSTM kernels share;
 * private, not part of the API.
 *
 * Each public twin (arm_elementwise_mul_s16_s8 / _s16_batch_offset,
 * arm_nn_lstm_calculate_gate_s8_s16 / _s16, arm_nn_lstm_step_s8 / _s16,
 * arm_lstm_unidirectional_s8 / _s16) is a thin call of one body here. The
 * bodies take the element size of the int8/int16 side (1 or 2, a constant at
 * every call, so the always-inlined elementwise loop keeps one store type)
 * and, where the twins call different kernels, small adapters taking the
 * activations as untyped pointers: they are called once per gate or time
 * step, never per element.
 */
#ifndef PYCMSISNN_LSTM_H
#define PYCMSISNN_LSTM_H

#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_rnn_simd.h"

#if defined(ARM_MATH_MVEI)
/* The products of one batch row four lanes at a time, out_bytes 1 (int8) or 2 (int16). */
static inline __attribute__((always_inline)) void pcn_lstm_mul_mve(const int16_t *a,
                                                                   const int16_t *c,
                                                                   void *out,
                                                                   const int32_t out_bytes,
                                                                   const int32_t n,
                                                                   const int32_t out_offset,
                                                                   const int32_t mult,
                                                                   const int32_t shift,
                                                                   const int has_left,
                                                                   const int has_right)
{
    const int32x4_t lo = vdupq_n_s32(out_bytes == 1 ? NN_Q7_MIN : NN_Q15_MIN);
    const int32x4_t hi = vdupq_n_s32(out_bytes == 1 ? NN_Q7_MAX : NN_Q15_MAX);
    int8_t *out8 = (int8_t *)out;
    int16_t *out16 = (int16_t *)out;
    for (int32_t i = n; i > 0; i -= 4)
    {
        const mve_pred16_t p = vctp32q((uint32_t)i);
        int32x4_t v = pcn_rnn_mve_mul4(a, c, p, mult, shift, has_left, has_right);
        v = vminq_s32(vmaxq_s32(vaddq_n_s32(v, out_offset), lo), hi);
        if (out_bytes == 1)
        {
            vstrbq_p_s32(out8, v, p);
            out8 += 4;
        }
        else
        {
            vstrhq_p_s32(out16, v, p);
            out16 += 4;
        }
        a += 4;
        c += 4;
    }
}
#endif

/* For b < batch_size and i < block_size:
 *   output[b * batch_offset * block_size + i] =
 *       clamp(requantize(in1[b * block_size + i] * in2[b * block_size + i],
 *                        out_mult, out_shift) + out_offset)
 * to int8 (out_bytes 1) or int16 (out_bytes 2). */
static inline __attribute__((always_inline)) arm_cmsis_nn_status pcn_lstm_mul_s16(const int16_t *input_1_vect,
                                                                                  const int16_t *input_2_vect,
                                                                                  void *output,
                                                                                  const int32_t out_bytes,
                                                                                  const int32_t out_offset,
                                                                                  const int32_t out_mult,
                                                                                  const int32_t out_shift,
                                                                                  const int32_t block_size,
                                                                                  const int32_t batch_size,
                                                                                  const int32_t batch_offset)
{
    const int32_t lo = out_bytes == 1 ? NN_Q7_MIN : NN_Q15_MIN;
    const int32_t hi = out_bytes == 1 ? NN_Q7_MAX : NN_Q15_MAX;
    if (block_size < 0 || batch_size < 0 || batch_offset < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_MVEI)
    if (pcn_rnn_mve_rq_ok(out_mult, out_shift))
    {
        for (int32_t b = 0; b < batch_size; b++)
        {
            const int16_t *a = input_1_vect + (size_t)b * block_size;
            const int16_t *c = input_2_vect + (size_t)b * block_size;
            void *out = (int8_t *)output + (size_t)b * batch_offset * block_size * out_bytes;
            if (out_shift < 0)
            {
                pcn_lstm_mul_mve(a, c, out, out_bytes, block_size, out_offset, out_mult, out_shift, 0, 1);
            }
            else
            {
                pcn_lstm_mul_mve(a, c, out, out_bytes, block_size, out_offset, out_mult, out_shift, 1, 0);
            }
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    for (int32_t b = 0; b < batch_size; b++)
    {
        const int16_t *a = input_1_vect + (size_t)b * block_size;
        const int16_t *c = input_2_vect + (size_t)b * block_size;
        const size_t out_start = (size_t)b * batch_offset * block_size;

        if (out_bytes == 1)
        {
            int8_t *out = (int8_t *)output + out_start;
            for (int32_t i = 0; i < block_size; i++)
            {
                int32_t v = arm_nn_requantize((int32_t)a[i] * c[i], out_mult, out_shift) + out_offset;
                out[i] = (int8_t)PCN_CLAMP(v, lo, hi);
            }
        }
        else
        {
            int16_t *out = (int16_t *)output + out_start;
            for (int32_t i = 0; i < block_size; i++)
            {
                int32_t v = arm_nn_requantize((int32_t)a[i] * c[i], out_mult, out_shift) + out_offset;
                out[i] = (int16_t)PCN_CLAMP(v, lo, hi);
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

/* The twins' kernels with the int8/int16 activations untyped. */
typedef arm_cmsis_nn_status (*pcn_lstm_mat_fn)(const void *in,
                                               const int8_t *weights,
                                               const void *effective_bias,
                                               int16_t *output,
                                               int32_t multiplier,
                                               int32_t shift,
                                               int32_t cols,
                                               int32_t rows,
                                               int32_t batches,
                                               int32_t batch_offset);
typedef arm_cmsis_nn_status (*pcn_lstm_gate_fn)(const void *data_in,
                                                const void *hidden_in,
                                                const cmsis_nn_lstm_gate *gate_data,
                                                const cmsis_nn_lstm_params *params,
                                                int16_t *output,
                                                int32_t batch_offset);
typedef arm_cmsis_nn_status (*pcn_lstm_hidden_fn)(const int16_t *gate,
                                                  const int16_t *tanh_cell,
                                                  void *hidden_out,
                                                  const cmsis_nn_lstm_params *params,
                                                  int32_t batch_offset);
typedef arm_cmsis_nn_status (*pcn_lstm_step_fn)(const void *data_in,
                                                const void *hidden_in,
                                                void *hidden_out,
                                                const cmsis_nn_lstm_params *params,
                                                cmsis_nn_lstm_context *buffers,
                                                int32_t batch_offset);

/* One gate: output = activation(sat16(mat(data_in) + mat(hidden_in))), the
 * recurrent product left out when hidden_in is NULL (arm_nn_lstm_calculate_gate_*). */
static inline arm_cmsis_nn_status pcn_lstm_gate(const void *data_in,
                                                const void *hidden_in,
                                                const cmsis_nn_lstm_gate *gate_data,
                                                const cmsis_nn_lstm_params *params,
                                                int16_t *output,
                                                const int32_t batch_offset,
                                                const pcn_lstm_mat_fn mat)
{
    const int32_t batches = params->batch_size;
    const int32_t hidden = params->hidden_size;
    arm_cmsis_nn_status status;

    memset(output, 0, (size_t)batches * hidden * sizeof(int16_t));
    status = mat(data_in,
                 (const int8_t *)gate_data->input_weights,
                 gate_data->input_effective_bias,
                 output,
                 gate_data->input_multiplier,
                 gate_data->input_shift,
                 params->input_size,
                 hidden,
                 batches,
                 batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS && hidden_in != NULL)
    {
        status = mat(hidden_in,
                     (const int8_t *)gate_data->hidden_weights,
                     gate_data->hidden_effective_bias,
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

/* One time step (arm_nn_lstm_step_*): gate computes the gates, hidden_fn
 * writes hidden_out from the output gate and tanh of the cell state. */
static inline arm_cmsis_nn_status pcn_lstm_step(const void *data_in,
                                                const void *hidden_in,
                                                void *hidden_out,
                                                const cmsis_nn_lstm_params *params,
                                                cmsis_nn_lstm_context *buffers,
                                                const int32_t batch_offset,
                                                const pcn_lstm_gate_fn gate,
                                                const pcn_lstm_hidden_fn hidden_fn)
{
    const int32_t size = params->batch_size * params->hidden_size;
    int16_t *gate_a = (int16_t *)buffers->temp1;
    int16_t *gate_b = (int16_t *)buffers->temp2;
    int16_t *cell = (int16_t *)buffers->cell_state;
    arm_cmsis_nn_status status;

    status = gate(data_in, hidden_in, &params->forget_gate, params, gate_a, batch_offset);
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    arm_elementwise_mul_s16_batch_offset(
        gate_a, cell, cell, 0, params->forget_to_cell_multiplier, params->forget_to_cell_shift, size, 1, 1);

    status = gate(data_in, hidden_in, &params->input_gate, params, gate_a, batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS)
    {
        status = gate(data_in, hidden_in, &params->cell_gate, params, gate_b, batch_offset);
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

    status = gate(data_in, hidden_in, &params->output_gate, params, gate_a, batch_offset);
    if (status == ARM_CMSIS_NN_SUCCESS)
    {
        status = arm_nn_activation_s16(cell, gate_b, size, params->cell_scale_power + 12, ARM_TANH);
    }
    if (status != ARM_CMSIS_NN_SUCCESS)
    {
        return status;
    }
    return hidden_fn(gate_a, gate_b, hidden_out, params, batch_offset);
}

/* A whole sequence (arm_lstm_unidirectional_*), elements of elem_bytes bytes
 * (1: int8, 2: int16) in input, output and the hidden state. */
static inline arm_cmsis_nn_status pcn_lstm_unidirectional(const void *input,
                                                          void *output,
                                                          const int32_t elem_bytes,
                                                          const cmsis_nn_lstm_params *params,
                                                          cmsis_nn_lstm_context *buffers,
                                                          const pcn_lstm_step_fn step)
{
    const int32_t batches = params != NULL ? params->batch_size : 0;
    const int32_t steps = params != NULL ? params->time_steps : 0;
    const int32_t in_size = params != NULL ? params->input_size : 0;
    const int32_t hidden = params != NULL ? params->hidden_size : 0;
    const int8_t *in_bytes = (const int8_t *)input;
    int8_t *out_bytes = (int8_t *)output;
    int8_t *state;
    const int8_t *hidden_in = NULL;
    int32_t batch_offset;
    size_t in_step, out_step, out_batch;
    const size_t row_bytes = (size_t)hidden * elem_bytes;

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
    /* in bytes from here on */
    in_step *= elem_bytes;
    out_step *= elem_bytes;
    out_batch *= elem_bytes;

    if (state == NULL)
    {
        memset(buffers->cell_state, 0, (size_t)batches * hidden * sizeof(int16_t));
    }
    else if (steps > 0)
    {
        for (int32_t b = 0; b < batches; b++)
        {
            memmove(out_bytes + b * out_batch, state + b * row_bytes, row_bytes);
        }
        hidden_in = out_bytes;
    }

    for (int32_t t = 0; t < steps; t++)
    {
        int8_t *hidden_out = out_bytes + t * out_step;
        const arm_cmsis_nn_status status =
            step(in_bytes + t * in_step, hidden_in, hidden_out, params, buffers, batch_offset);
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
            memmove(state + b * row_bytes, hidden_in + b * out_batch, row_bytes);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

#endif /* PYCMSISNN_LSTM_H */
