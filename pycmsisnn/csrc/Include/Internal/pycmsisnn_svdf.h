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
 *
 * DSP and MVE builds run the same steps in another order (PYCMSISNN_SVDF_SIMD,
 * same integers): all feature sums of a batch first (four filters at a time,
 * Internal/pycmsisnn_rnn_simd.h) into scratch_a, requantised and clamped
 * there; then per filter one pass over its memory that moves every entry one
 * step back, puts the new value last and accumulates the time product (SMLAD
 * on pairs of int16 or int8 entries, VMLADAVA on vectors); then the rank
 * reduction and the output requantisation (four lanes at a time on MVE).
 */
#ifndef PYCMSISNN_SVDF_H
#define PYCMSISNN_SVDF_H

#include <string.h>

#include "arm_nnsupportfunctions.h"

/* The sizes one SVDF step reads from its dimensions: input_dims->n (batches),
 * input_dims->h (input size), weights_feature_dims->n (filters = units *
 * rank), weights_time_dims->h (memory). */
typedef struct
{
    int32_t batches;
    int32_t input_size;
    int32_t filters;
    int32_t memory;
} pcn_svdf_sizes;

/* The argument checks of arm_svdf_s8 and arm_svdf_state_s16_s8, and the
 * sizes; 0 when an argument is invalid. */
static inline int pcn_svdf_sizes_of(const cmsis_nn_context *input_ctx,
                                    const cmsis_nn_context *output_ctx,
                                    const cmsis_nn_svdf_params *svdf_params,
                                    const cmsis_nn_dims *input_dims,
                                    const cmsis_nn_dims *weights_feature_dims,
                                    const cmsis_nn_dims *weights_time_dims,
                                    pcn_svdf_sizes *sizes)
{
    if (input_ctx == NULL || output_ctx == NULL || input_ctx->buf == NULL || output_ctx->buf == NULL ||
        svdf_params == NULL || svdf_params->rank <= 0)
    {
        return 0;
    }
    sizes->batches = input_dims->n;
    sizes->input_size = input_dims->h;
    sizes->filters = weights_feature_dims->n;
    sizes->memory = weights_time_dims->h;
    return sizes->filters % svdf_params->rank == 0;
}

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

#if defined(ARM_MATH_DSP) || defined(ARM_MATH_MVEI)
#include "Internal/pycmsisnn_rnn_simd.h"

/* One filter's memory s[0..memory-1] moved one step back with v as its newest
 * entry; returns sum_m s[m] * w[m] over the moved memory (wrapping). */
static inline int32_t pcn_svdf_time_row_int16_t(int16_t *s, const int16_t *w, const int32_t memory, const int16_t v)
{
    int32_t acc = 0;
    int32_t m = memory - 1; /* old entries that stay */
#if defined(ARM_MATH_MVEI)
    for (; m >= 8; m -= 8)
    {
        const int16x8_t sv = vldrhq_s16(s + 1);
        acc = vmladavaq_s16(acc, sv, vldrhq_s16(w));
        vstrhq_s16(s, sv);
        s += 8;
        w += 8;
    }
    if (m > 0)
    {
        const mve_pred16_t p = vctp16q((uint32_t)m);
        const int16x8_t sv = vldrhq_z_s16(s + 1, p);
        acc = vmladavaq_s16(acc, sv, vldrhq_z_s16(w, p));
        vstrhq_p_s16(s, sv, p);
        s += m;
        w += m;
    }
#else
    for (; m >= 2; m -= 2)
    {
        const int32_t sv = pcn_rnn_read16x2(s + 1);
        acc = __smlad(sv, pcn_rnn_read16x2(w), acc);
        pcn_rnn_write16x2(s, sv);
        s += 2;
        w += 2;
    }
    if (m == 1)
    {
        const int32_t pair = pcn_rnn_pack16(s[1], v);
        pcn_rnn_write16x2(s, pair);
        return __smlad(pair, pcn_rnn_read16x2(w), acc);
    }
#endif
    *s = v;
    return pcn_wrap_add(acc, (int32_t)v * (int32_t)*w);
}

static inline int32_t pcn_svdf_time_row_int8_t(int8_t *s, const int8_t *w, const int32_t memory, const int8_t v)
{
    int32_t acc = 0;
    int32_t m = memory - 1;
#if defined(ARM_MATH_MVEI)
    for (; m >= 16; m -= 16)
    {
        const int8x16_t sv = vldrbq_s8(s + 1);
        acc = vmladavaq_s8(acc, sv, vldrbq_s8(w));
        vstrbq_s8(s, sv);
        s += 16;
        w += 16;
    }
    if (m > 0)
    {
        const mve_pred16_t p = vctp8q((uint32_t)m);
        const int8x16_t sv = vldrbq_z_s8(s + 1, p);
        acc = vmladavaq_s8(acc, sv, vldrbq_z_s8(w, p));
        vstrbq_p_s8(s, sv, p);
        s += m;
        w += m;
    }
#else
    for (; m >= 4; m -= 4)
    {
        const int32_t sv = pcn_read_s8x4(s + 1);
        const int32_t wv = pcn_read_s8x4(w);
        acc = __smlad(__sxtb16(sv), __sxtb16(wv), acc);
        acc = __smlad(pcn_dsp_sxtb16_odd(sv), pcn_dsp_sxtb16_odd(wv), acc);
        memcpy(s, &sv, sizeof(sv));
        s += 4;
        w += 4;
    }
    for (; m > 0; m--)
    {
        s[0] = s[1];
        acc = pcn_wrap_add(acc, (int32_t)s[0] * (int32_t)w[0]);
        s++;
        w++;
    }
#endif
    *s = v;
    return pcn_wrap_add(acc, (int32_t)v * (int32_t)*w);
}

/* Whether the SIMD steps compute the portable integers for these parameters
 * (else the caller runs the portable ones). */
static inline int pcn_svdf_simd_ok(const cmsis_nn_svdf_params *params,
                                   const cmsis_nn_per_tensor_quant_params *in_q,
                                   const cmsis_nn_per_tensor_quant_params *out_q,
                                   const int32_t memory)
{
#if defined(ARM_MATH_MVEI)
    if (!pcn_rnn_mve_rq_ok(in_q->multiplier, in_q->shift) || !pcn_rnn_mve_rq_ok(out_q->multiplier, out_q->shift))
    {
        return 0;
    }
#else
    (void)in_q;
    (void)out_q;
#endif
    /* x - input_offset must fit the int16 lanes of the DSP products */
    return memory >= 1 && params->input_offset >= -32640 && params->input_offset <= 32640;
}

/* scratch_a[f] = clamp(requantize(sum_i (x[i] - input_offset) * w_f[i])) for f < filters. */
static inline void pcn_svdf_feature_sums(const cmsis_nn_svdf_params *params,
                                         const cmsis_nn_per_tensor_quant_params *q,
                                         const int8_t *x,
                                         const int8_t *weights_feature,
                                         int32_t *scratch_a,
                                         const int32_t input_size,
                                         const int32_t filters)
{
    const int32_t off = -params->input_offset;
    const int32_t act_min = params->input_activation.min;
    const int32_t act_max = params->input_activation.max;
#if defined(ARM_MATH_MVEI)
    if (off != 0)
    {
        arm_nn_rnn_mve_dots_off_s8(x, weights_feature, input_size, filters, off, scratch_a);
    }
    else
    {
        arm_nn_rnn_mve_dots_s8(x, weights_feature, input_size, filters, scratch_a);
    }
    {
        const int32x4_t lo = vdupq_n_s32(act_min);
        const int32x4_t hi = vdupq_n_s32(act_max);
        int32_t *a = scratch_a;
        for (int32_t f = filters; f > 0; f -= 4)
        {
            const mve_pred16_t p = vctp32q((uint32_t)f);
            int32x4_t v = vldrwq_z_s32(a, p);
            v = (q->shift < 0) ? pcn_rnn_mve_rq(v, q->multiplier, q->shift, 0, 1)
                               : pcn_rnn_mve_rq(v, q->multiplier, q->shift, 1, 0);
            vstrwq_p_s32(a, vminq_s32(vmaxq_s32(v, lo), hi), p);
            a += 4;
        }
    }
#else
    const int32_t off2 = pcn_dsp_offset_pair(off);
    const int8_t *w = weights_feature;
    int32_t f = 0;
    for (; f + 3 < filters; f += 4)
    {
        pcn_rnn_dsp_dot_1x4_s8(x, w, input_size, off, off2, scratch_a + f);
        w += 4 * input_size;
    }
    for (; f < filters; f++)
    {
        scratch_a[f] = pcn_dsp_dot_1x1(x, w, input_size, off, off2);
        w += input_size;
    }
    f = 0;
    for (; f + 1 < filters; f += 2)
    {
        int32_t v0 = scratch_a[f];
        int32_t v1 = scratch_a[f + 1];
        pcn_dsp_requantize_2(&v0, &v1, q->multiplier, q->shift);
        scratch_a[f] = PCN_CLAMP(v0, act_min, act_max);
        scratch_a[f + 1] = PCN_CLAMP(v1, act_min, act_max);
    }
    if (f < filters)
    {
        const int32_t v0 = pcn_dsp_requantize_1(scratch_a[f], q->multiplier, q->shift);
        scratch_a[f] = PCN_CLAMP(v0, act_min, act_max);
    }
#endif
}

/* Steps 4 and 5 from the time products in scratch_a. */
static inline void pcn_svdf_output(const cmsis_nn_svdf_params *params,
                                   const cmsis_nn_per_tensor_quant_params *q,
                                   const int32_t *scratch_a,
                                   const int32_t *bias,
                                   int32_t *scratch_b,
                                   int8_t *output,
                                   const int32_t units)
{
    const int32_t rank = params->rank;
    const int32_t *src = scratch_a;
    if (rank > 1 || bias == NULL)
    {
        for (int32_t u = 0; u < units; u++)
        {
            uint32_t acc = bias != NULL ? (uint32_t)bias[u] : 0u;
            const int32_t *a = scratch_a + u * rank;
            for (int32_t r = 0; r < rank; r++)
            {
                acc += (uint32_t)a[r];
            }
            scratch_b[u] = (int32_t)acc;
        }
        src = scratch_b;
        bias = NULL;
    }
#if defined(ARM_MATH_MVEI)
    {
        const int32x4_t lo = vdupq_n_s32(params->output_activation.min);
        const int32x4_t hi = vdupq_n_s32(params->output_activation.max);
        for (int32_t u = units; u > 0; u -= 4)
        {
            const mve_pred16_t p = vctp32q((uint32_t)u);
            int32x4_t v = vldrwq_z_s32(src, p);
            if (bias != NULL)
            {
                v = vaddq_s32(v, vldrwq_z_s32(bias, p));
                bias += 4;
            }
            v = (q->shift < 0) ? pcn_rnn_mve_rq(v, q->multiplier, q->shift, 0, 1)
                               : pcn_rnn_mve_rq(v, q->multiplier, q->shift, 1, 0);
            v = vaddq_n_s32(v, params->output_offset);
            vstrbq_p_s32(output, vminq_s32(vmaxq_s32(v, lo), hi), p);
            src += 4;
            output += 4;
        }
    }
#else
    for (int32_t u = 0; u < units; u++)
    {
        const int32_t acc = bias != NULL ? pcn_wrap_add(src[u], bias[u]) : src[u];
        const int32_t y = pcn_dsp_requantize_1(acc, q->multiplier, q->shift) + params->output_offset;
        output[u] = (int8_t)PCN_CLAMP(y, params->output_activation.min, params->output_activation.max);
    }
#endif
}

/* All five steps for one state type (state and time weights of that type). */
#define PYCMSISNN_SVDF_SIMD(STATE_T)                                                                                   \
    static void pycmsisnn_svdf_simd_##STATE_T(const cmsis_nn_svdf_params *params,                                     \
                                              const cmsis_nn_per_tensor_quant_params *in_q,                            \
                                              const cmsis_nn_per_tensor_quant_params *out_q,                           \
                                              const int8_t *input,                                                     \
                                              const int8_t *weights_feature,                                           \
                                              STATE_T *state,                                                          \
                                              const STATE_T *weights_time,                                             \
                                              const int32_t *bias,                                                     \
                                              int32_t *scratch_a,                                                      \
                                              int32_t *scratch_b,                                                      \
                                              int8_t *output,                                                          \
                                              int32_t batches,                                                         \
                                              int32_t input_size,                                                      \
                                              int32_t filters,                                                         \
                                              int32_t memory)                                                          \
    {                                                                                                                  \
        const int32_t units = filters / params->rank;                                                                  \
        for (int32_t b = 0; b < batches; b++)                                                                          \
        {                                                                                                              \
            int32_t *a = scratch_a + b * filters;                                                                      \
            STATE_T *s = state + (size_t)b * filters * memory;                                                         \
            const STATE_T *w = weights_time;                                                                           \
            pcn_svdf_feature_sums(params, in_q, input + b * input_size, weights_feature, a, input_size, filters);     \
            for (int32_t f = 0; f < filters; f++)                                                                      \
            {                                                                                                          \
                a[f] = pcn_svdf_time_row_##STATE_T(s, w, memory, (STATE_T)a[f]);                                       \
                s += memory;                                                                                           \
                w += memory;                                                                                           \
            }                                                                                                          \
            pcn_svdf_output(params, out_q, a, bias, scratch_b + b * units, output + b * units, units);                \
        }                                                                                                              \
    }
#endif /* ARM_MATH_DSP || ARM_MATH_MVEI */

#endif /* PYCMSISNN_SVDF_H */
