/*
 * pycmsisnn: arm_elementwise_add_s16, quantised add of two int16 vectors
 * (TFLite Micro's int16 ADD, general rescaling path).
 *
 * Per element: each input, shifted left by left_shift (15 for TFLite's
 * 16x8), is requantised to the common scale by its own multiplier and
 * (non-positive) shift; the sum is requantised to the output scale, then
 * clamped. The offsets are ignored: int16 tensors are symmetric.
 *
 * MVE builds take four int32 lanes at a time (see add_s16_mve below); every
 * other build, and MVE for the parameters that path leaves out, runs the
 * portable loop.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif

/* The portable loop: the reference for every other path. */
static void add_s16_portable(const int16_t *input_1_vect,
                             const int16_t *input_2_vect,
                             const int32_t input_1_mult,
                             const int32_t input_1_shift,
                             const int32_t input_2_mult,
                             const int32_t input_2_shift,
                             const int32_t left_shift,
                             int16_t *output,
                             const int32_t out_mult,
                             const int32_t out_shift,
                             const int32_t out_activation_min,
                             const int32_t out_activation_max,
                             const int32_t block_size)
{
    for (int32_t i = 0; i < block_size; i++)
    {
        const int32_t a = arm_nn_requantize(arm_nn_shift_left_wrap(input_1_vect[i], left_shift), input_1_mult, input_1_shift);
        const int32_t b = arm_nn_requantize(arm_nn_shift_left_wrap(input_2_vect[i], left_shift), input_2_mult, input_2_shift);
        int32_t sum = arm_nn_requantize((int32_t)((uint32_t)a + (uint32_t)b), out_mult, out_shift);

        sum = PCN_CLAMP(sum, out_activation_min, out_activation_max);
        output[i] = (int16_t)sum;
    }
}

#if defined(ARM_MATH_MVEI)

/* The MVE loop computes exactly the portable arithmetic, four int32 lanes at
 * a time: the input's left shifts (left_shift plus a positive requantisation
 * shift, below 32 so that one wrapping VSHL equals the portable two),
 * VQRDMULH as the rounding doubling high multiply (it differs only for
 * INT32_MIN * INT32_MIN: multipliers of INT32_MIN take the portable loop),
 * and the rounding right shift with ties away from zero as VQADD of -1 on
 * negative lanes (saturating: INT32_MIN stays, and still rounds right) then
 * VRSHL (add half, shift; computed without overflow). */
typedef struct
{
    int32_t left[2];
    int32_t mult[2];
    int32_t right[2]; /* max(-shift, 0), 0..31 */
    int32_t out_left;
    int32_t out_mult;
    int32_t out_right;
    int32_t act_min;
    int32_t act_max;
} add_s16_mve_params;

static inline __attribute__((always_inline)) int32x4_t pcn_add_s16_rshift(const int32x4_t v, const int32_t right)
{
    return vrshlq_n_s32(vqaddq_s32(v, vshrq_n_s32(v, 31)), -right);
}

/* Four sums; the flags (constants at each call site) say which right shifts
 * (input 1, input 2, output) and which output left shift are there. */
static inline __attribute__((always_inline)) int32x4_t add_s16_mve_4(int32x4_t a,
                                                                     int32x4_t b,
                                                                     const add_s16_mve_params *p,
                                                                     const int right1,
                                                                     const int right2,
                                                                     const int right_out,
                                                                     const int left_out)
{
    int32x4_t o;

    a = vqrdmulhq_n_s32(vshlq_r_s32(a, p->left[0]), p->mult[0]);
    b = vqrdmulhq_n_s32(vshlq_r_s32(b, p->left[1]), p->mult[1]);
    if (right1)
    {
        a = pcn_add_s16_rshift(a, p->right[0]);
    }
    if (right2)
    {
        b = pcn_add_s16_rshift(b, p->right[1]);
    }
    o = vaddq_s32(a, b);
    if (left_out)
    {
        o = vshlq_r_s32(o, p->out_left);
    }
    o = vqrdmulhq_n_s32(o, p->out_mult);
    if (right_out)
    {
        o = pcn_add_s16_rshift(o, p->out_right);
    }
    return vminq_s32(vmaxq_s32(o, vdupq_n_s32(p->act_min)), vdupq_n_s32(p->act_max));
}

/* Groups of eight (two vectors), then four, then the last one to three lanes
 * tail-predicated. */
static inline __attribute__((always_inline)) void add_s16_mve_loop(const int16_t *in1,
                                                                   const int16_t *in2,
                                                                   int16_t *out,
                                                                   int32_t n,
                                                                   const add_s16_mve_params *p,
                                                                   const int right1,
                                                                   const int right2,
                                                                   const int right_out,
                                                                   const int left_out)
{
    for (; n >= 8; n -= 8)
    {
        const int32x4_t a0 = vldrhq_s32(in1);
        const int32x4_t b0 = vldrhq_s32(in2);
        const int32x4_t a1 = vldrhq_s32(in1 + 4);
        const int32x4_t b1 = vldrhq_s32(in2 + 4);
        vstrhq_s32(out, add_s16_mve_4(a0, b0, p, right1, right2, right_out, left_out));
        vstrhq_s32(out + 4, add_s16_mve_4(a1, b1, p, right1, right2, right_out, left_out));
        in1 += 8;
        in2 += 8;
        out += 8;
    }
    while (n > 0)
    {
        const mve_pred16_t pred = vctp32q((uint32_t)n);
        vstrhq_p_s32(out,
                     add_s16_mve_4(vldrhq_z_s32(in1, pred),
                                   vldrhq_z_s32(in2, pred),
                                   p,
                                   right1,
                                   right2,
                                   right_out,
                                   left_out),
                     pred);
        in1 += 4;
        in2 += 4;
        out += 4;
        n -= 4;
    }
}

/* Fills p; 0 when the MVE loop is not exact for these parameters. */
static int add_s16_mve_init(add_s16_mve_params *p,
                            const int32_t mult1,
                            const int32_t shift1,
                            const int32_t mult2,
                            const int32_t shift2,
                            const int32_t left_shift,
                            const int32_t out_mult,
                            const int32_t out_shift,
                            const int32_t act_min,
                            const int32_t act_max)
{
    const int32_t mults[2] = {mult1, mult2};
    const int32_t shifts[2] = {shift1, shift2};

    for (int32_t i = 0; i < 2; i++)
    {
        p->left[i] = left_shift + PCN_LEFT_SHIFT(shifts[i]);
        p->mult[i] = mults[i];
        p->right[i] = PCN_RIGHT_SHIFT(shifts[i]);
        if (mults[i] == INT32_MIN || p->left[i] > 31 || p->right[i] > 31)
        {
            return 0;
        }
    }
    p->out_left = PCN_LEFT_SHIFT(out_shift);
    p->out_mult = out_mult;
    p->out_right = PCN_RIGHT_SHIFT(out_shift);
    p->act_min = act_min;
    p->act_max = act_max;
    return out_mult != INT32_MIN && p->out_left <= 31 && p->out_right <= 31;
}

#endif /* ARM_MATH_MVEI */

arm_cmsis_nn_status arm_elementwise_add_s16(const int16_t *input_1_vect,
                                            const int16_t *input_2_vect,
                                            const int32_t input_1_offset,
                                            const int32_t input_1_mult,
                                            const int32_t input_1_shift,
                                            const int32_t input_2_offset,
                                            const int32_t input_2_mult,
                                            const int32_t input_2_shift,
                                            const int32_t left_shift,
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

    if (block_size < 0 || left_shift < 0 || left_shift > 16)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    {
        add_s16_mve_params p;

        if (add_s16_mve_init(&p,
                             input_1_mult,
                             input_1_shift,
                             input_2_mult,
                             input_2_shift,
                             left_shift,
                             out_mult,
                             out_shift,
                             out_activation_min,
                             out_activation_max))
        {
            if (p.right[0] > 0 && p.right[1] > 0 && p.out_right > 0 && p.out_left == 0)
            {
                /* the usual case: inputs and output scaled down */
                add_s16_mve_loop(input_1_vect, input_2_vect, output, block_size, &p, 1, 1, 1, 0);
            }
            else
            {
                add_s16_mve_loop(input_1_vect,
                                 input_2_vect,
                                 output,
                                 block_size,
                                 &p,
                                 p.right[0] > 0,
                                 p.right[1] > 0,
                                 p.out_right > 0,
                                 p.out_left > 0);
            }
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    add_s16_portable(input_1_vect,
                     input_2_vect,
                     input_1_mult,
                     input_1_shift,
                     input_2_mult,
                     input_2_shift,
                     left_shift,
                     output,
                     out_mult,
                     out_shift,
                     out_activation_min,
                     out_activation_max,
                     block_size);
    return ARM_CMSIS_NN_SUCCESS;
}
