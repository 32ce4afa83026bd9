/*
 * pycmsisnn: arm_fully_connected_s16, 16x8 fully connected (TFLite Micro's
 * int16 reference with an int64 bias).
 *
 * For each of the input_dims->n rows of filter_dims->n int16 values and each
 * of the output_dims->c outputs: the exact sum of input * weight (int8
 * weights, no offsets: 16x8 tensors are symmetric) in 64 bits, plus the
 * int64 bias when bias_data is not NULL, requantised by the per-tensor
 * multiplier reduced to Q15 (pcn_requantize_s64), then clamped to the
 * activation range. fc_params' offsets are ignored; no scratch is used.
 *
 * Code paths, all giving the same integers: four output channels at a time
 * (then one), the input row read once for the four; DSP with SMLAD on the
 * row's int16 pairs reordered in registers (pcn_s16_dsp_row_1x4), MVE with
 * VMLADAVA and a predicated tail (pcn_s16_mve_dot_1x4); 32-bit sums in
 * chunks of PCN_S16_CHUNK added in 64 bits. Portable C: one 64-bit sum per
 * output.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/arm_nn_conv_s16.h"
#include "Internal/arm_nn_s16_simd.h"
#include "Internal/pycmsisnn_arith_s16.h"

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)

/* t[k] = row . weight row k (rows of depth entries at w, depth <=
 * PCN_S16_CHUNK: 32-bit sums), k < count (4 or 1). */
static inline void fc_s16_sums32(const int16_t *row, const int8_t *w, const int32_t depth, const int32_t count, int32_t *t)
{
    #if defined(ARM_MATH_MVEI)
    if (count == 4)
    {
        pcn_s16_mve_dot_1x4(row, w, depth, depth, t);
    }
    else
    {
        t[0] = pcn_s16_mve_dot_1x1(row, w, depth);
    }
    #else
    const int32_t whole = depth & ~3;
    if (count == 4)
    {
        pcn_s16_dsp_row_1x4(row, w, depth, whole, t);
    }
    else
    {
        t[0] = pcn_s16_dsp_row_1x1(row, w, whole);
    }
    for (int32_t r = 0; r < count; r++)
    {
        for (int32_t d = whole; d < depth; d++)
        {
            t[r] += row[d] * w[(size_t)r * depth + d];
        }
    }
    #endif
}

/* s[k] = row . weight row k (rows of depth entries at w), k < count (4 or 1). */
static void fc_s16_sums(const int16_t *row, const int8_t *w, const int32_t depth, const int32_t count, int64_t *s)
{
    int32_t k;
    for (k = 0; k < count; k++)
    {
        s[k] = 0;
    }
    for (int32_t start = 0; start < depth; start += PCN_S16_CHUNK)
    {
        const int32_t n = depth - start < PCN_S16_CHUNK ? depth - start : PCN_S16_CHUNK;
        int32_t t[4];
    #if defined(ARM_MATH_MVEI)
        if (count == 4)
        {
            pcn_s16_mve_dot_1x4(row + start, w + start, depth, n, t);
        }
        else
        {
            t[0] = pcn_s16_mve_dot_1x1(row + start, w + start, n);
        }
    #else
        const int32_t whole = n & ~3;
        if (count == 4)
        {
            pcn_s16_dsp_row_1x4(row + start, w + start, depth, whole, t);
        }
        else
        {
            t[0] = pcn_s16_dsp_row_1x1(row + start, w + start, whole);
        }
        for (int32_t r = 0; r < count; r++)
        {
            for (int32_t d = start + whole; d < start + n; d++)
            {
                t[r] += row[d] * w[(size_t)r * depth + d];
            }
        }
    #endif
        for (k = 0; k < count; k++)
        {
            s[k] += t[k];
        }
    }
}

#endif

arm_cmsis_nn_status arm_fully_connected_s16(const cmsis_nn_context *ctx,
                                            const cmsis_nn_fc_params *fc_params,
                                            const cmsis_nn_per_tensor_quant_params *quant_params,
                                            const cmsis_nn_dims *input_dims,
                                            const int16_t *input_data,
                                            const cmsis_nn_dims *filter_dims,
                                            const int8_t *filter_data,
                                            const cmsis_nn_dims *bias_dims,
                                            const int64_t *bias_data,
                                            const cmsis_nn_dims *output_dims,
                                            int16_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t depth = filter_dims->n;
    const int32_t out_ch = output_dims->c;
    const int32_t multiplier = quant_params->multiplier;
    const int32_t shift = quant_params->shift;
    const int32_t act_min = fc_params->activation.min;
    const int32_t act_max = fc_params->activation.max;
    int32_t b, o, d;

    (void)ctx;
    (void)bias_dims;

    if (batches < 0 || depth < 0 || out_ch < 0 || shift > PCN_S64_SHIFT_MAX || multiplier < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI) || defined(ARM_MATH_DSP)
    const int32_t reduced = arm_nn_conv_s16_reduce_multiplier(multiplier);
    #if defined(ARM_MATH_DSP) && defined(__GNUC__)
    /* one chunk and the quick requantisation: int32 accumulators, SMMULR
     * (the bias checked output by output: few outputs per bias) */
    const int quick = depth <= PCN_S16_CHUNK && arm_nn_conv_s16_quick_ok(&shift, 1, NULL, 0, depth);
    const arm_nn_conv_s16_quick_t q = arm_nn_conv_s16_quick_channel(multiplier, quick ? shift : -2);
    #endif
    (void)d;
    for (b = 0; b < batches; b++)
    {
        const int16_t *row = input_data + (size_t)b * (size_t)depth;
        for (o = 0; o < out_ch;)
        {
            const int32_t count = out_ch - o >= 4 ? 4 : 1;
    #if defined(ARM_MATH_DSP) && defined(__GNUC__)
            if (quick)
            {
                int32_t t[4];
                fc_s16_sums32(row, filter_data + (size_t)o * (size_t)depth, depth, count, t);
                for (int32_t k = 0; k < count; k++, o++)
                {
                    const int64_t b = bias_data != NULL ? bias_data[o] : 0;
                    int32_t acc;
                    if ((int32_t)b == b && !__builtin_add_overflow(t[k], (int32_t)b, &acc))
                    {
                        *output_data++ = arm_nn_conv_s16_quick_clamp(acc, q, act_min, act_max);
                    }
                    else
                    {
                        const int32_t v = pcn_requantize_s64(t[k] + b, multiplier, shift);
                        *output_data++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
                    }
                }
                continue;
            }
    #endif
            int64_t s[4];
            fc_s16_sums(row, filter_data + (size_t)o * (size_t)depth, depth, count, s);
            for (int32_t k = 0; k < count; k++, o++)
            {
                const int64_t acc = bias_data != NULL ? s[k] + bias_data[o] : s[k];
                if ((int32_t)acc == acc && shift <= 0)
                {
                    /* |acc * reduced| < 2^46 shifted right by 15 or more fits in
                     * 32 bits: the quick requantisation, same result */
                    *output_data++ = arm_nn_conv_s16_requantize_reduced(acc, reduced, 15 - shift, act_min, act_max);
                }
                else
                {
                    const int32_t v = pcn_requantize_s64(acc, multiplier, shift);
                    *output_data++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
                }
            }
        }
    }
#else
    for (b = 0; b < batches; b++)
    {
        const int16_t *row = input_data + (size_t)b * (size_t)depth;

        for (o = 0; o < out_ch; o++)
        {
            const int8_t *weights = filter_data + (size_t)o * (size_t)depth;
            int64_t acc = 0;
            int32_t v;

            for (d = 0; d < depth; d++)
            {
                acc += (int64_t)((int32_t)row[d] * (int32_t)weights[d]);
            }
            if (bias_data != NULL)
            {
                acc += bias_data[o];
            }
            v = pcn_requantize_s64(acc, multiplier, shift);
            *output_data++ = (int16_t)PCN_CLAMP(v, act_min, act_max);
        }
    }
#endif
    return ARM_CMSIS_NN_SUCCESS;
}
