/*
 * pycmsisnn: the steps of TFLite's integer SVDF shared by arm_svdf_s8 and
 * arm_svdf_state_s16_s8 (private, not part of the API).
 *
 * One step over `batches` input rows of `input_size` int8 values, with
 * `filters` = units * rank feature filters and a memory of `memory` steps:
 *
 *   1. The state [batches][filters][memory] moves one step back in time: every
 *      filter's memory drops its oldest value (index 0) and frees the newest
 *      slot (index memory - 1).
 *   2. Feature product: for each batch b and filter f,
 *      sum_i (input[b][i] - input_offset) * weights_feature[f][i], requantised by
 *      the input multiplier/shift and clamped to the input activation range,
 *      goes into the newest slot of state[b][f]. input_offset is SUBTRACTED:
 *      Arm's SVDF kernels take the input zero point there (measured against
 *      Arm's library and its unit test svdf_int8_2, whatever the struct's
 *      comment says), so callers pass the zero point.
 *   3. Time product: scratch_a[b][f] = sum_m state[b][f][m] * weights_time[f][m]
 *      (int32, wrapping as two's complement).
 *   4. Rank reduction: scratch_b[b][u] = bias[u] (0 without a bias) plus the
 *      rank consecutive filters u * rank .. u * rank + rank - 1.
 *   5. Output: scratch_b requantised by the output multiplier/shift, plus the
 *      output offset, clamped to the output activation range.
 *
 * The state and time-weight element types are the macro arguments.
 */
#ifndef PYCMSISNN_SVDF_H
#define PYCMSISNN_SVDF_H

#include <string.h>

#include "arm_nnsupportfunctions.h"

/* Steps 1 and 2 for one state type. */
#define PYCMSISNN_SVDF_FEATURE(STATE_T)                                                                                \
    static void pycmsisnn_svdf_feature_##STATE_T(const cmsis_nn_svdf_params *params,                                  \
                                                 const cmsis_nn_per_tensor_quant_params *q,                            \
                                                 const int8_t *input,                                                  \
                                                 const int8_t *weights_feature,                                        \
                                                 STATE_T *state,                                                       \
                                                 int32_t batches,                                                      \
                                                 int32_t input_size,                                                   \
                                                 int32_t filters,                                                      \
                                                 int32_t memory)                                                       \
    {                                                                                                                  \
        const int32_t total = batches * filters * memory;                                                              \
        if (total > 1)                                                                                                 \
        {                                                                                                              \
            memmove(state, state + 1, (size_t)(total - 1) * sizeof(STATE_T));                                         \
        }                                                                                                              \
        for (int32_t b = 0; b < batches; b++)                                                                          \
        {                                                                                                              \
            const int8_t *x = input + b * input_size;                                                                  \
            STATE_T *newest = state + (b * filters) * memory + memory - 1;                                             \
            for (int32_t f = 0; f < filters; f++)                                                                      \
            {                                                                                                          \
                const int8_t *w = weights_feature + f * input_size;                                                    \
                int32_t acc = 0;                                                                                       \
                for (int32_t i = 0; i < input_size; i++)                                                               \
                {                                                                                                      \
                    acc += ((int32_t)x[i] - params->input_offset) * (int32_t)w[i];                                     \
                }                                                                                                      \
                acc = arm_nn_requantize(acc, q->multiplier, q->shift);                                                 \
                acc = PCN_CLAMP(acc, params->input_activation.min, params->input_activation.max);                      \
                newest[f * memory] = (STATE_T)acc;                                                                     \
            }                                                                                                          \
        }                                                                                                              \
    }

/* Steps 3 to 5 for one state and time-weight type. */
#define PYCMSISNN_SVDF_TIME(STATE_T, TIME_T)                                                                           \
    static void pycmsisnn_svdf_time_##STATE_T(const cmsis_nn_svdf_params *params,                                     \
                                              const cmsis_nn_per_tensor_quant_params *q,                               \
                                              const STATE_T *state,                                                    \
                                              const TIME_T *weights_time,                                              \
                                              const int32_t *bias,                                                     \
                                              int32_t *scratch_a,                                                      \
                                              int32_t *scratch_b,                                                      \
                                              int8_t *output,                                                          \
                                              int32_t batches,                                                         \
                                              int32_t filters,                                                         \
                                              int32_t memory)                                                          \
    {                                                                                                                  \
        const int32_t rank = params->rank;                                                                             \
        const int32_t units = filters / rank;                                                                          \
        for (int32_t b = 0; b < batches; b++)                                                                          \
        {                                                                                                              \
            for (int32_t f = 0; f < filters; f++)                                                                      \
            {                                                                                                          \
                const STATE_T *s = state + (b * filters + f) * memory;                                                 \
                const TIME_T *w = weights_time + f * memory;                                                           \
                uint32_t acc = 0u;                                                                                     \
                for (int32_t m = 0; m < memory; m++)                                                                   \
                {                                                                                                      \
                    acc += (uint32_t)((int32_t)s[m] * (int32_t)w[m]);                                                  \
                }                                                                                                      \
                scratch_a[b * filters + f] = (int32_t)acc;                                                             \
            }                                                                                                          \
        }                                                                                                              \
        for (int32_t b = 0; b < batches; b++)                                                                          \
        {                                                                                                              \
            for (int32_t u = 0; u < units; u++)                                                                        \
            {                                                                                                          \
                uint32_t acc = bias != NULL ? (uint32_t)bias[u] : 0u;                                                  \
                const int32_t *a = scratch_a + b * filters + u * rank;                                                 \
                for (int32_t r = 0; r < rank; r++)                                                                     \
                {                                                                                                      \
                    acc += (uint32_t)a[r];                                                                             \
                }                                                                                                      \
                scratch_b[b * units + u] = (int32_t)acc;                                                               \
            }                                                                                                          \
        }                                                                                                              \
        for (int32_t i = 0; i < batches * units; i++)                                                                  \
        {                                                                                                              \
            int32_t y = arm_nn_requantize(scratch_b[i], q->multiplier, q->shift) + params->output_offset;              \
            output[i] = (int8_t)PCN_CLAMP(y, params->output_activation.min, params->output_activation.max);           \
        }                                                                                                              \
    }

#endif /* PYCMSISNN_SVDF_H */
