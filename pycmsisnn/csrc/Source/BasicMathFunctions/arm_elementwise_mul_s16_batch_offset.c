/*
 * pycmsisnn: arm_elementwise_mul_s16_batch_offset, int16 x int16 -> int16
 * products with the output's batches spread by batch_offset (the 16x8 LSTM's
 * hidden state; the cell state times the forget gate with batch_offset 1).
 *
 * For batch b < batch_size and i < block_size:
 *   output[b * batch_offset * block_size + i] =
 *       clamp_s16(requantize(in1[b * block_size + i] * in2[b * block_size + i],
 *                            out_mult, out_shift) + out_offset)
 * with TFLite's rounding (arm_nn_requantize). The output may be one of the
 * inputs when batch_offset is 1.
 *
 * MVE builds compute four lanes at a time (Internal/pycmsisnn_rnn_simd.h);
 * a multiplier of INT32_MIN or a shift beyond +-31 takes the portable loop.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_rnn_simd.h"

#if defined(ARM_MATH_MVEI)
static inline __attribute__((always_inline)) void mul_s16_bo_mve(const int16_t *a,
                                                                 const int16_t *c,
                                                                 int16_t *out,
                                                                 const int32_t n,
                                                                 const int32_t out_offset,
                                                                 const int32_t mult,
                                                                 const int32_t shift,
                                                                 const int has_left,
                                                                 const int has_right)
{
    const int32x4_t lo = vdupq_n_s32(NN_Q15_MIN);
    const int32x4_t hi = vdupq_n_s32(NN_Q15_MAX);
    for (int32_t i = n; i > 0; i -= 4)
    {
        const mve_pred16_t p = vctp32q((uint32_t)i);
        int32x4_t v = pcn_rnn_mve_mul4(a, c, p, mult, shift, has_left, has_right);
        v = vminq_s32(vmaxq_s32(vaddq_n_s32(v, out_offset), lo), hi);
        vstrhq_p_s32(out, v, p);
        a += 4;
        c += 4;
        out += 4;
    }
}
#endif

arm_cmsis_nn_status arm_elementwise_mul_s16_batch_offset(const int16_t *input_1_vect,
                                                         const int16_t *input_2_vect,
                                                         int16_t *output,
                                                         const int32_t out_offset,
                                                         const int32_t out_mult,
                                                         const int32_t out_shift,
                                                         const int32_t block_size,
                                                         const int32_t batch_size,
                                                         const int32_t batch_offset)
{
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
            int16_t *out = output + (size_t)b * batch_offset * block_size;
            if (out_shift < 0)
            {
                mul_s16_bo_mve(a, c, out, block_size, out_offset, out_mult, out_shift, 0, 1);
            }
            else
            {
                mul_s16_bo_mve(a, c, out, block_size, out_offset, out_mult, out_shift, 1, 0);
            }
        }
        return ARM_CMSIS_NN_SUCCESS;
    }
#endif
    for (int32_t b = 0; b < batch_size; b++)
    {
        const int16_t *a = input_1_vect + (size_t)b * block_size;
        const int16_t *c = input_2_vect + (size_t)b * block_size;
        int16_t *out = output + (size_t)b * batch_offset * block_size;

        for (int32_t i = 0; i < block_size; i++)
        {
            int32_t v = arm_nn_requantize((int32_t)a[i] * c[i], out_mult, out_shift) + out_offset;
            out[i] = (int16_t)PCN_CLAMP(v, NN_Q15_MIN, NN_Q15_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
