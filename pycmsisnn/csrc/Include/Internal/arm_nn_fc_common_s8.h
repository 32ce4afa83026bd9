/*
 * pycmsisnn: private helpers of the s8 fully-connected and batch-matmul kernels.
 *
 * Not part of the public API. Everything here is static inline so that each
 * kernel file stays self-contained when linked into the shared library.
 */
#ifndef ARM_NN_FC_COMMON_S8_H
#define ARM_NN_FC_COMMON_S8_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "arm_nnsupportfunctions.h"

/* Two's-complement addition without the undefined behaviour of signed
 * overflow: an int32 accumulator that overflows wraps, as on the target. */
static inline int32_t pcn_add_wrap_s32(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* sum over k < depth of (lhs[k] + lhs_offset) * (rhs[k] + rhs_offset).
 * Each product is at most 255 * 255 in magnitude, so the running sum is kept
 * with wrapping adds (it cannot overflow for depth < 33025). */
static inline int32_t pcn_dot_offset_s8(const int8_t *lhs,
                                        const int32_t lhs_offset,
                                        const int8_t *rhs,
                                        const int32_t rhs_offset,
                                        const int32_t depth)
{
    int32_t acc = 0;
    int32_t k;
    for (k = 0; k < depth; k++)
    {
        const int32_t a = (int32_t)lhs[k] + lhs_offset;
        const int32_t b = (int32_t)rhs[k] + rhs_offset;
        acc = pcn_add_wrap_s32(acc, a * b);
    }
    return acc;
}

/*
 * One fully-connected layer over a batch:
 *   out[b][o] = clamp(requantize(bias[o] + dot(in[b], w[o]), m[o], s[o]) + out_offset)
 * where w is [out_ch][depth] and in is [batches][depth]. The multiplier and
 * shift of output o are mult[o * quant_step] and shift[o * quant_step]: a
 * step of 0 gives per-tensor quantisation, 1 per-channel. bias may be NULL.
 */
static inline void pcn_fully_connected_s8(const cmsis_nn_fc_params *fc_params,
                                          const int32_t *mult,
                                          const int32_t *shift,
                                          const int32_t quant_step,
                                          const int8_t *input,
                                          const int8_t *filter,
                                          const int32_t *bias,
                                          int8_t *output,
                                          const int32_t batches,
                                          const int32_t depth,
                                          const int32_t out_ch)
{
    const int32_t in_off = fc_params->input_offset;
    const int32_t w_off = fc_params->filter_offset;
    const int32_t out_off = fc_params->output_offset;
    const int32_t act_min = fc_params->activation.min;
    const int32_t act_max = fc_params->activation.max;
    int32_t b;
    int32_t o;

    for (b = 0; b < batches; b++)
    {
        const int8_t *row_in = input + (size_t)b * (size_t)depth;
        int8_t *row_out = output + (size_t)b * (size_t)out_ch;
        for (o = 0; o < out_ch; o++)
        {
            int32_t acc = pcn_dot_offset_s8(row_in, in_off, filter + (size_t)o * (size_t)depth, w_off, depth);
            if (bias != NULL)
            {
                acc = pcn_add_wrap_s32(acc, bias[o]);
            }
            row_out[o] = arm_nn_requantize_clamp_s8(
                acc, mult[o * quant_step], shift[o * quant_step], out_off, act_min, act_max);
        }
    }
}

#endif /* ARM_NN_FC_COMMON_S8_H */
