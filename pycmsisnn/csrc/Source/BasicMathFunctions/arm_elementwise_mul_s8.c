/*
 * pycmsisnn: arm_elementwise_mul_s8.
 *
 * Quantised product of two int8 vectors of block_size elements (no
 * broadcasting): both inputs get their offsets, the exact 32-bit product is
 * rescaled once to the output scale, then the output offset is added and the
 * result clamped to the activation range.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#include "Internal/arm_nn_elementwise_s8_simd.h"

/* The portable loop: the reference for every other path. */
static void mul_s8_portable(const int8_t *input_1_vect,
                            const int8_t *input_2_vect,
                            const int32_t input_1_offset,
                            const int32_t input_2_offset,
                            int8_t *output,
                            const int32_t out_offset,
                            const int32_t out_mult,
                            const int32_t out_shift,
                            const int32_t out_activation_min,
                            const int32_t out_activation_max,
                            const int32_t block_size)
{
    for (int32_t i = 0; i < block_size; i++)
    {
        /* Offsets are bounded by the int8 zero-point range, so each factor
         * fits in 9 bits and the product comfortably in int32; the 64-bit
         * product only guards against out-of-contract offsets. */
        const int64_t a = (int64_t)input_1_vect[i] + input_1_offset;
        const int64_t b = (int64_t)input_2_vect[i] + input_2_offset;
        const int32_t prod = (int32_t)(uint32_t)(uint64_t)(a * b);

        output[i] = arm_nn_requantize_clamp_s8(
            prod, out_mult, out_shift, out_offset, out_activation_min, out_activation_max);
    }
}

#if defined(ARM_MATH_MVEI)

/* Four products (the low 32 bits, as the portable cast keeps) requantised;
 * `right` and `left` flag the output's shifts (constants at each call site). */
static inline __attribute__((always_inline)) int32x4_t mul_s8_mve_4(const int32x4_t x1,
                                                                    const int32x4_t x2,
                                                                    const int32_t off1,
                                                                    const int32_t off2,
                                                                    const int32_t out_left,
                                                                    const int32_t out_mult,
                                                                    const int32_t out_right,
                                                                    const int32_t out_offset,
                                                                    const int32x4_t vmin,
                                                                    const int32x4_t vmax,
                                                                    const int right,
                                                                    const int left)
{
    int32x4_t o = vmulq_s32(vaddq_n_s32(x1, off1), vaddq_n_s32(x2, off2));

    if (left)
    {
        o = vshlq_r_s32(o, out_left);
    }
    o = vqrdmulhq_n_s32(o, out_mult);
    if (right)
    {
        o = vrshlq_n_s32(vqaddq_s32(o, vshrq_n_s32(o, 31)), -out_right);
    }
    o = vaddq_n_s32(o, out_offset);
    return vminq_s32(vmaxq_s32(o, vmin), vmax);
}

/* Groups of four, then the last one to three lanes tail-predicated. Exact
 * for every parameter except a multiplier of INT32_MIN (see the header). */
static inline __attribute__((always_inline)) void mul_s8_mve_loop(const int8_t *in1,
                                                                  const int8_t *in2,
                                                                  const int32_t off1,
                                                                  const int32_t off2,
                                                                  int8_t *out,
                                                                  const int32_t out_offset,
                                                                  const int32_t out_mult,
                                                                  const int32_t out_shift,
                                                                  const int32_t act_min,
                                                                  const int32_t act_max,
                                                                  int32_t n,
                                                                  const int right,
                                                                  const int left)
{
    const int32_t out_left = PCN_LEFT_SHIFT(out_shift);
    const int32_t out_right = PCN_RIGHT_SHIFT(out_shift);
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);

    for (; n >= 4; n -= 4)
    {
        vstrbq_s32(out,
                   mul_s8_mve_4(vldrbq_s32(in1),
                                vldrbq_s32(in2),
                                off1,
                                off2,
                                out_left,
                                out_mult,
                                out_right,
                                out_offset,
                                vmin,
                                vmax,
                                right,
                                left));
        in1 += 4;
        in2 += 4;
        out += 4;
    }
    if (n > 0)
    {
        const mve_pred16_t pred = vctp32q((uint32_t)n);

        vstrbq_p_s32(out,
                     mul_s8_mve_4(vldrbq_z_s32(in1, pred),
                                  vldrbq_z_s32(in2, pred),
                                  off1,
                                  off2,
                                  out_left,
                                  out_mult,
                                  out_right,
                                  out_offset,
                                  vmin,
                                  vmax,
                                  right,
                                  left),
                     pred);
    }
}

#elif defined(ARM_MATH_DSP)

/* Four bytes of each input at a time: SXTAB16 adds the offsets while
 * splitting even and odd bytes into int16 pairs, SMULBB/SMULTT multiply
 * them exactly, and the four products are requantised in the SMMLAR form
 * and stored as one word; a last one to three elements one at a time. */
static inline __attribute__((always_inline)) void mul_s8_dsp_loop(const int8_t *in1,
                                                                  const int8_t *in2,
                                                                  const int32_t off1,
                                                                  const int32_t off2,
                                                                  int8_t *out,
                                                                  const pcn_ew_rq_dsp *rq,
                                                                  const int32_t act_min,
                                                                  const int32_t act_max,
                                                                  int32_t n,
                                                                  const int32_t fix)
{
    const int32_t off1_2 = pcn_ew_dup16(off1);
    const int32_t off2_2 = pcn_ew_dup16(off2);
    const uint32_t min4 = pcn_ew_dup8(act_min);
    const uint32_t max4 = pcn_ew_dup8(act_max);

    for (; n >= 4; n -= 4)
    {
        const int32_t w1 = pcn_ew_read4(in1);
        const int32_t w2 = pcn_ew_read4(in2);
        const int32_t even1 = __sxtab16(off1_2, w1);
        const int32_t odd1 = pcn_ew_sxtab16_odd(off1_2, w1);
        const int32_t even2 = __sxtab16(off2_2, w2);
        const int32_t odd2 = pcn_ew_sxtab16_odd(off2_2, w2);

        pcn_ew_write4(out,
                      pcn_ew_pack4_clamp(pcn_ew_rq_dsp_apply(pcn_ew_smulbb(even1, even2), rq, fix),
                                         pcn_ew_rq_dsp_apply(pcn_ew_smulbb(odd1, odd2), rq, fix),
                                         pcn_ew_rq_dsp_apply(pcn_ew_smultt(even1, even2), rq, fix),
                                         pcn_ew_rq_dsp_apply(pcn_ew_smultt(odd1, odd2), rq, fix),
                                         min4,
                                         max4));
        in1 += 4;
        in2 += 4;
        out += 4;
    }
    for (; n > 0; n--)
    {
        const int32_t v = pcn_ew_rq_dsp_apply(((int32_t)*in1++ + off1) * ((int32_t)*in2++ + off2), rq, fix);

        *out++ = (int8_t)PCN_CLAMP(v, act_min, act_max);
    }
}

#endif

arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_2_offset,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    if (block_size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    if (out_mult != INT32_MIN)
    {
        if (out_shift < 0)
        {
            /* the usual case: the product scaled down */
            mul_s8_mve_loop(input_1_vect,
                            input_2_vect,
                            input_1_offset,
                            input_2_offset,
                            output,
                            out_offset,
                            out_mult,
                            out_shift,
                            out_activation_min,
                            out_activation_max,
                            block_size,
                            1,
                            0);
        }
        else
        {
            mul_s8_mve_loop(input_1_vect,
                            input_2_vect,
                            input_1_offset,
                            input_2_offset,
                            output,
                            out_offset,
                            out_mult,
                            out_shift,
                            out_activation_min,
                            out_activation_max,
                            block_size,
                            0,
                            out_shift > 0);
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#elif defined(ARM_MATH_DSP)
    {
        /* each factor fits in int16 for the SIMD multiplies */
        const int64_t lo1 = (int64_t)input_1_offset - 128, hi1 = (int64_t)input_1_offset + 127;
        const int64_t lo2 = (int64_t)input_2_offset - 128, hi2 = (int64_t)input_2_offset + 127;
        pcn_ew_rq_dsp rq;

        if (lo1 >= INT16_MIN && hi1 <= INT16_MAX && lo2 >= INT16_MIN && hi2 <= INT16_MAX &&
            out_activation_min >= -128 && out_activation_max <= 127 && out_activation_min <= out_activation_max &&
            pcn_ew_rq_dsp_init(&rq,
                               PCN_MAX(-lo1, hi1) * PCN_MAX(-lo2, hi2),
                               out_mult,
                               out_shift,
                               out_offset))
        {
            if (rq.right > 0)
            {
                mul_s8_dsp_loop(input_1_vect,
                                input_2_vect,
                                input_1_offset,
                                input_2_offset,
                                output,
                                &rq,
                                out_activation_min,
                                out_activation_max,
                                block_size,
                                -1);
            }
            else
            {
                mul_s8_dsp_loop(input_1_vect,
                                input_2_vect,
                                input_1_offset,
                                input_2_offset,
                                output,
                                &rq,
                                out_activation_min,
                                out_activation_max,
                                block_size,
                                0);
            }
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    mul_s8_portable(input_1_vect,
                    input_2_vect,
                    input_1_offset,
                    input_2_offset,
                    output,
                    out_offset,
                    out_mult,
                    out_shift,
                    out_activation_min,
                    out_activation_max,
                    block_size);

    return ARM_CMSIS_NN_SUCCESS;
}
