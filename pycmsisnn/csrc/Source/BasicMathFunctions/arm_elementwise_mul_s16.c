/*
 * pycmsisnn: arm_elementwise_mul_s16, quantised product of two int16
 * vectors (TFLite Micro's int16 MUL).
 *
 * Per element: the exact 32-bit product of the two inputs is requantised
 * once to the output scale (double rounding, as TFLite's
 * MultiplyByQuantizedMultiplier), then clamped. The offsets are ignored:
 * int16 tensors are symmetric.
 *
 * MVE builds take eight int16 lanes at a time (see mul_s16_mve below);
 * every other build, and MVE for a multiplier of INT32_MIN or a shift out of
 * range, runs the portable loop.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif

/* The portable loop: the reference for every other path. */
static void mul_s16_portable(const int16_t *input_1_vect,
                             const int16_t *input_2_vect,
                             int16_t *output,
                             const int32_t out_mult,
                             const int32_t out_shift,
                             const int32_t out_activation_min,
                             const int32_t out_activation_max,
                             const int32_t block_size)
{
    for (int32_t i = 0; i < block_size; i++)
    {
        /* |product| <= 2^30: exact in int32 */
        const int32_t prod = (int32_t)input_1_vect[i] * (int32_t)input_2_vect[i];
        int32_t v = arm_nn_requantize(prod, out_mult, out_shift);

        v = PCN_CLAMP(v, out_activation_min, out_activation_max);
        output[i] = (int16_t)v;
    }
}

#if defined(ARM_MATH_MVEI)

/* The products of the even and of the odd lanes (VMULLB, VMULLT: exact
 * int32) are requantised as four int32 lanes each: a wrapping VSHL for a
 * positive shift, VQRDMULH as the rounding doubling high multiply (equal to
 * the portable one but for INT32_MIN * INT32_MIN: a multiplier of INT32_MIN
 * takes the portable loop), and the rounding right shift with ties away from
 * zero as VQADD of -1 on negative lanes then VRSHL. The clamped lanes are
 * narrowed back in place (VMOVNB, VMOVNT). */
static inline __attribute__((always_inline)) int32x4_t mul_s16_mve_rq(int32x4_t v,
                                                                      const int32_t left,
                                                                      const int32_t mult,
                                                                      const int32_t right,
                                                                      const int32x4_t vmin,
                                                                      const int32x4_t vmax,
                                                                      const int has_left,
                                                                      const int has_right)
{
    if (has_left)
    {
        v = vshlq_r_s32(v, left);
    }
    v = vqrdmulhq_n_s32(v, mult);
    if (has_right)
    {
        v = vrshlq_n_s32(vqaddq_s32(v, vshrq_n_s32(v, 31)), -right);
    }
    return vminq_s32(vmaxq_s32(v, vmin), vmax);
}

static inline __attribute__((always_inline)) int16x8_t mul_s16_mve_8(const int16x8_t a,
                                                                     const int16x8_t b,
                                                                     const int32_t left,
                                                                     const int32_t mult,
                                                                     const int32_t right,
                                                                     const int32x4_t vmin,
                                                                     const int32x4_t vmax,
                                                                     const int has_left,
                                                                     const int has_right)
{
    const int32x4_t even = mul_s16_mve_rq(vmullbq_int_s16(a, b), left, mult, right, vmin, vmax, has_left, has_right);
    const int32x4_t odd = mul_s16_mve_rq(vmulltq_int_s16(a, b), left, mult, right, vmin, vmax, has_left, has_right);
    return vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), even), odd);
}

static inline __attribute__((always_inline)) void mul_s16_mve_loop(const int16_t *in1,
                                                                   const int16_t *in2,
                                                                   int16_t *out,
                                                                   int32_t n,
                                                                   const int32_t left,
                                                                   const int32_t mult,
                                                                   const int32_t right,
                                                                   const int32_t act_min,
                                                                   const int32_t act_max,
                                                                   const int has_left,
                                                                   const int has_right)
{
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);

    for (; n >= 8; n -= 8)
    {
        vst1q_s16(out, mul_s16_mve_8(vld1q_s16(in1), vld1q_s16(in2), left, mult, right, vmin, vmax, has_left, has_right));
        in1 += 8;
        in2 += 8;
        out += 8;
    }
    if (n > 0)
    {
        const mve_pred16_t pred = vctp16q((uint32_t)n);
        vstrhq_p_s16(out,
                     mul_s16_mve_8(vldrhq_z_s16(in1, pred),
                                   vldrhq_z_s16(in2, pred),
                                   left,
                                   mult,
                                   right,
                                   vmin,
                                   vmax,
                                   has_left,
                                   has_right),
                     pred);
    }
}

#endif /* ARM_MATH_MVEI */

arm_cmsis_nn_status arm_elementwise_mul_s16(const int16_t *input_1_vect,
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
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    {
        const int32_t left = PCN_LEFT_SHIFT(out_shift);
        const int32_t right = PCN_RIGHT_SHIFT(out_shift);

        if (out_mult != INT32_MIN && left <= 31 && right <= 31)
        {
            if (right > 0)
            {
                /* the usual case: the output scaled down */
                mul_s16_mve_loop(input_1_vect,
                                 input_2_vect,
                                 output,
                                 block_size,
                                 left,
                                 out_mult,
                                 right,
                                 out_activation_min,
                                 out_activation_max,
                                 0,
                                 1);
            }
            else
            {
                mul_s16_mve_loop(input_1_vect,
                                 input_2_vect,
                                 output,
                                 block_size,
                                 left,
                                 out_mult,
                                 right,
                                 out_activation_min,
                                 out_activation_max,
                                 1,
                                 0);
            }
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    mul_s16_portable(input_1_vect,
                     input_2_vect,
                     output,
                     out_mult,
                     out_shift,
                     out_activation_min,
                     out_activation_max,
                     block_size);
    return ARM_CMSIS_NN_SUCCESS;
}
