/*
 * pycmsisnn: arm_elementwise_mul_acc_s16, int16 products added to the output
 * (the LSTM's cell state update: cell += input gate * cell gate).
 *
 *   output[i] = clamp(output[i] + sat16(requantize(in1[i] * in2[i], out_mult, out_shift)),
 *                     out_activation_min, out_activation_max)
 * for i < block_size, TFLite's rounding (arm_nn_requantize): the product is
 * an int16 MUL's output before the ADD. The offsets are not used (int16
 * tensors are symmetric).
 *
 * MVE builds compute four lanes at a time (Internal/pycmsisnn_rnn_simd.h);
 * a multiplier of INT32_MIN or a shift beyond +-31 takes the portable loop.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_rnn_simd.h"

#if defined(ARM_MATH_MVEI)
static inline __attribute__((always_inline)) void mul_acc_s16_mve(const int16_t *a,
                                                                  const int16_t *c,
                                                                  int16_t *out,
                                                                  const int32_t n,
                                                                  const int32_t mult,
                                                                  const int32_t shift,
                                                                  const int32_t act_min,
                                                                  const int32_t act_max,
                                                                  const int has_left,
                                                                  const int has_right)
{
    const int32x4_t lo = vdupq_n_s32(NN_Q15_MIN);
    const int32x4_t hi = vdupq_n_s32(NN_Q15_MAX);
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);
    for (int32_t i = n; i > 0; i -= 4)
    {
        const mve_pred16_t p = vctp32q((uint32_t)i);
        int32x4_t v = pcn_rnn_mve_mul4(a, c, p, mult, shift, has_left, has_right);
        v = vaddq_s32(vminq_s32(vmaxq_s32(v, lo), hi), vldrhq_z_s32(out, p));
        v = vminq_s32(vmaxq_s32(v, vmin), vmax);
        vstrhq_p_s32(out, v, p);
        a += 4;
        c += 4;
        out += 4;
    }
}
#endif

arm_cmsis_nn_status arm_elementwise_mul_acc_s16(const int16_t *input_1_vect,
                                                const int16_t *input_2_vect,
                                                const int32_t input_1_offset,
                                                const int32_t input_2_offset,
                                                int16_t *output,
                                                const int32_t out_offset,
                                                const int32_t out_mult,
                                                const int32_t out_shift,
                                                const int32_t out_activation_min,
                                                const int32_t out_activation_max,
                                                const int32_t block_size)
{
    (void)input_1_offset;
    (void)input_2_offset;
    (void)out_offset;
    if (block_size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
#if defined(ARM_MATH_MVEI)
    if (pcn_rnn_mve_rq_ok(out_mult, out_shift))
    {
        if (out_shift < 0)
        {
            mul_acc_s16_mve(input_1_vect,
                            input_2_vect,
                            output,
                            block_size,
                            out_mult,
                            out_shift,
                            out_activation_min,
                            out_activation_max,
                            0,
                            1);
        }
        else
        {
            mul_acc_s16_mve(input_1_vect,
                            input_2_vect,
                            output,
                            block_size,
                            out_mult,
                            out_shift,
                            out_activation_min,
                            out_activation_max,
                            1,
                            0);
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    for (int32_t i = 0; i < block_size; i++)
    {
        int32_t p = arm_nn_requantize((int32_t)input_1_vect[i] * input_2_vect[i], out_mult, out_shift);
        p = PCN_CLAMP(p, NN_Q15_MIN, NN_Q15_MAX);
        p += output[i];
        output[i] = (int16_t)PCN_CLAMP(p, out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
