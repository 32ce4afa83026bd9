/*
 * pycmsisnn: arm_nn_vec_mat_mul_result_acc_s8_s16, the int8 LSTM's gate
 * products, added to an int16 result.
 *
 * For batch b < batches and row r < rhs_rows:
 *   acc = effective_bias[r] (0 when NULL) + sum_c lhs[b][c] * rhs[r][c]
 *   dst[b * rhs_rows + r] = sat16(dst[b * rhs_rows + r] + sat16(requantize(acc)))
 * where lhs[b] starts at lhs + b * batch_offset * rhs_cols (the effective bias
 * holds the bias plus the input offset times the row's sum, so the int8 values
 * are used as they are) and requantize is TFLite's (arm_nn_requantize). The
 * inner sum is 32-bit: rhs_cols int8 x int8 products cannot overflow it for
 * any LSTM TFLite Micro runs.
 *
 * DSP and MVE builds take four weight rows at a time against one input row
 * (Internal/pycmsisnn_rnn_simd.h); MVE requantises the four sums as one
 * vector (a multiplier of INT32_MIN or a shift beyond +-31 takes the portable
 * loop there).
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_rnn_simd.h"

static int32_t dot_s8(const int8_t *a, const int8_t *w, const int32_t n)
{
    int32_t s = 0;
    for (int32_t c = 0; c < n; c++)
    {
        s += (int32_t)a[c] * w[c];
    }
    return s;
}

arm_cmsis_nn_status arm_nn_vec_mat_mul_result_acc_s8_s16(const int8_t *lhs,
                                                         const int8_t *rhs,
                                                         const int32_t *effective_bias,
                                                         int16_t *dst,
                                                         const int32_t dst_multiplier,
                                                         const int32_t dst_shift,
                                                         const int32_t rhs_cols,
                                                         const int32_t rhs_rows,
                                                         const int32_t batches,
                                                         const int32_t batch_offset)
{
    if (rhs_cols < 0 || rhs_rows < 0 || batches < 0 || batch_offset < 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_MVEI)
    if (dst_multiplier != NN_Q31_MIN && dst_shift <= 31 && dst_shift >= -31)
    {
        for (int32_t b = 0; b < batches; b++)
        {
            const int8_t *x = lhs + (size_t)b * batch_offset * rhs_cols;
            int16_t *out = dst + (size_t)b * rhs_rows;
            for (int32_t r0 = 0; r0 < rhs_rows; r0 += PCN_RNN_MVE_ROWS)
            {
                const int32_t chunk = PCN_MIN(PCN_RNN_MVE_ROWS, rhs_rows - r0);
                int32_t sums[PCN_RNN_MVE_ROWS] __attribute__((aligned(16)));
                arm_nn_rnn_mve_dots_s8(x, rhs + (size_t)r0 * rhs_cols, rhs_cols, chunk, sums);
                pcn_rnn_mve_acc_s16(sums,
                                    effective_bias != NULL ? effective_bias + r0 : NULL,
                                    out + r0,
                                    dst_multiplier,
                                    dst_shift,
                                    chunk);
            }
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#elif defined(ARM_MATH_DSP)
    {
        const int32_t off2 = 0;
        for (int32_t b = 0; b < batches; b++)
        {
            const int8_t *x = lhs + (size_t)b * batch_offset * rhs_cols;
            int16_t *out = dst + (size_t)b * rhs_rows;
            const int8_t *w = rhs;
            int32_t r = 0;
            for (; r + 3 < rhs_rows; r += 4)
            {
                int32_t s[4];
                pcn_rnn_dsp_dot_1x4_s8(x, w, rhs_cols, 0, off2, s);
                if (effective_bias != NULL)
                {
                    s[0] = pcn_wrap_add(s[0], effective_bias[r]);
                    s[1] = pcn_wrap_add(s[1], effective_bias[r + 1]);
                    s[2] = pcn_wrap_add(s[2], effective_bias[r + 2]);
                    s[3] = pcn_wrap_add(s[3], effective_bias[r + 3]);
                }
                pcn_dsp_requantize_2(&s[0], &s[1], dst_multiplier, dst_shift);
                pcn_dsp_requantize_2(&s[2], &s[3], dst_multiplier, dst_shift);
                pcn_rnn_dsp_acc2_s16(out + r, s[0], s[1]);
                pcn_rnn_dsp_acc2_s16(out + r + 2, s[2], s[3]);
                w += 4 * rhs_cols;
            }
            for (; r < rhs_rows; r++)
            {
                int32_t acc = pcn_dsp_dot_1x1(x, w, rhs_cols, 0, off2);
                if (effective_bias != NULL)
                {
                    acc = pcn_wrap_add(acc, effective_bias[r]);
                }
                pcn_rnn_acc1_s16(out + r, pcn_dsp_requantize_1(acc, dst_multiplier, dst_shift));
                w += rhs_cols;
            }
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    for (int32_t b = 0; b < batches; b++)
    {
        const int8_t *x = lhs + (size_t)b * batch_offset * rhs_cols;
        int16_t *out = dst + (size_t)b * rhs_rows;

        for (int32_t r = 0; r < rhs_rows; r++)
        {
            int32_t acc = dot_s8(x, rhs + (size_t)r * rhs_cols, rhs_cols);
            int32_t v;
            if (effective_bias != NULL)
            {
                acc += effective_bias[r];
            }
            v = arm_nn_requantize(acc, dst_multiplier, dst_shift);
            v = PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX) + out[r];
            out[r] = (int16_t)PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
