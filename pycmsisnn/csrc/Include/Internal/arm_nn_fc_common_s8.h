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
    /* Offsets are in [-127, 128], so each offset operand fits in 16 bits and
     * each product in 17 + 1 bits: int16 operands let compilers use their
     * multiply-accumulate instructions. The sum wraps like the hardware. */
    const int16_t lo = (int16_t)lhs_offset;
    const int16_t ro = (int16_t)rhs_offset;
    uint32_t acc = 0;
    for (int32_t k = 0; k < depth; k++)
    {
        const int16_t a = (int16_t)(lhs[k] + lo);
        const int16_t b = (int16_t)(rhs[k] + ro);
        acc += (uint32_t)((int32_t)a * (int32_t)b);
    }
    return (int32_t)acc;
}

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
