/*
 * pycmsisnn: arm_elementwise_add_s8.
 *
 * Quantised addition of two int8 vectors of block_size elements (no
 * broadcasting). Each input gets its offset added and is scaled up by
 * 2^left_shift so that the following rescale keeps precision; each is then
 * rescaled onto a common scale with its own multiplier, the two are summed,
 * and the sum is rescaled to the output, offset and clamped. This is the
 * integer recipe of TensorFlow Lite's quantised ADD.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

#include "Internal/arm_nn_elementwise_s8_simd.h"
#include "Internal/pycmsisnn_host_s8.h"

/* Sum of two int32 values that wraps instead of overflowing (never reached
 * with parameters derived from real scales, but keeps the C well defined). */
static inline int32_t add_wrap_s32(const int32_t a, const int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* The portable loop: the reference for every other path (on an x86-64
 * host also compiled for AVX2, Internal/pycmsisnn_host_s8.h). */
static PCN_HOST_CLONES void add_s8_portable(const int8_t *input_1_vect,
                            const int8_t *input_2_vect,
                            const int32_t input_1_offset,
                            const int32_t input_1_mult,
                            const int32_t input_1_shift,
                            const int32_t input_2_offset,
                            const int32_t input_2_mult,
                            const int32_t input_2_shift,
                            const int32_t left_shift,
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
        /* Offset inputs fit in 9 bits, so the scaled-up value fits in int32
         * for any left_shift the API uses (20); wrap otherwise. */
        const int32_t a = arm_nn_shift_left_wrap((int32_t)input_1_vect[i] + input_1_offset, left_shift);
        const int32_t b = arm_nn_shift_left_wrap((int32_t)input_2_vect[i] + input_2_offset, left_shift);

        const int32_t a_scaled = arm_nn_requantize(a, input_1_mult, input_1_shift);
        const int32_t b_scaled = arm_nn_requantize(b, input_2_mult, input_2_shift);

        output[i] = arm_nn_requantize_clamp_s8(add_wrap_s32(a_scaled, b_scaled),
                                               out_mult,
                                               out_shift,
                                               out_offset,
                                               out_activation_min,
                                               out_activation_max);
    }
}

#if defined(ARM_MATH_MVEI)

/* The constants of the MVE loop: input i becomes
 * x * scale[i] + add[i] = (x + offset) << (left_shift + max(shift, 0)),
 * wrapping as the portable shift does (0 for a total shift of 32 or more). */
typedef struct
{
    int32_t scale[2];
    int32_t add[2];
    int32_t mult[2];
    int32_t right[2]; /* max(-shift, 0) */
    int32_t out_left;
    int32_t out_mult;
    int32_t out_right;
    int32_t out_offset;
    int32_t act_min;
    int32_t act_max;
} add_s8_mve_params;

/* Four sums: a and b are the loaded inputs; the flags say which right
 * shifts (input 1, input 2, output) and which output left shift the
 * parameters have: constants at each call site, so the loop carries only the
 * steps it needs. Exact for every parameter except a multiplier of INT32_MIN
 * (see the header). */
static inline __attribute__((always_inline)) int32x4_t add_s8_mve_4(int32x4_t a,
                                                                    int32x4_t b,
                                                                    const add_s8_mve_params *p,
                                                                    const int32x4_t scale1,
                                                                    const int32x4_t scale2,
                                                                    const int32x4_t vmin,
                                                                    const int32x4_t vmax,
                                                                    const int right1,
                                                                    const int right2,
                                                                    const int right_out,
                                                                    const int left_out)
{
    int32x4_t o;

    a = vqrdmulhq_n_s32(vmlasq_n_s32(a, scale1, p->add[0]), p->mult[0]);
    b = vqrdmulhq_n_s32(vmlasq_n_s32(b, scale2, p->add[1]), p->mult[1]);
    if (right1)
    {
        a = vrshlq_n_s32(vqaddq_s32(a, vshrq_n_s32(a, 31)), -p->right[0]);
    }
    if (right2)
    {
        b = vrshlq_n_s32(vqaddq_s32(b, vshrq_n_s32(b, 31)), -p->right[1]);
    }
    o = vaddq_s32(a, b);
    if (left_out)
    {
        o = vshlq_r_s32(o, p->out_left);
    }
    o = vqrdmulhq_n_s32(o, p->out_mult);
    if (right_out)
    {
        o = vrshlq_n_s32(vqaddq_s32(o, vshrq_n_s32(o, 31)), -p->out_right);
    }
    o = vaddq_n_s32(o, p->out_offset);
    return vminq_s32(vmaxq_s32(o, vmin), vmax);
}

/* Groups of four, then the last one to three lanes tail-predicated. */
static inline __attribute__((always_inline)) void add_s8_mve_loop(const int8_t *in1,
                                                                  const int8_t *in2,
                                                                  int8_t *out,
                                                                  int32_t n,
                                                                  const add_s8_mve_params *p,
                                                                  const int right1,
                                                                  const int right2,
                                                                  const int right_out,
                                                                  const int left_out)
{
    const int32x4_t scale1 = vdupq_n_s32(p->scale[0]);
    const int32x4_t scale2 = vdupq_n_s32(p->scale[1]);
    const int32x4_t vmin = vdupq_n_s32(p->act_min);
    const int32x4_t vmax = vdupq_n_s32(p->act_max);

    for (; n >= 4; n -= 4)
    {
        vstrbq_s32(out,
                   add_s8_mve_4(vldrbq_s32(in1),
                                vldrbq_s32(in2),
                                p,
                                scale1,
                                scale2,
                                vmin,
                                vmax,
                                right1,
                                right2,
                                right_out,
                                left_out));
        in1 += 4;
        in2 += 4;
        out += 4;
    }
    if (n > 0)
    {
        const mve_pred16_t pred = vctp32q((uint32_t)n);

        vstrbq_p_s32(out,
                     add_s8_mve_4(vldrbq_z_s32(in1, pred),
                                  vldrbq_z_s32(in2, pred),
                                  p,
                                  scale1,
                                  scale2,
                                  vmin,
                                  vmax,
                                  right1,
                                  right2,
                                  right_out,
                                  left_out),
                     pred);
    }
}

static void add_s8_mve(const int8_t *in1,
                       const int8_t *in2,
                       const int32_t off1,
                       const int32_t mult1,
                       const int32_t shift1,
                       const int32_t off2,
                       const int32_t mult2,
                       const int32_t shift2,
                       const int32_t left_shift,
                       int8_t *out,
                       const int32_t out_offset,
                       const int32_t out_mult,
                       const int32_t out_shift,
                       const int32_t act_min,
                       const int32_t act_max,
                       const int32_t n)
{
    const int32_t offs[2] = {off1, off2};
    const int32_t mults[2] = {mult1, mult2};
    const int32_t shifts[2] = {shift1, shift2};
    add_s8_mve_params p;

    for (int32_t i = 0; i < 2; i++)
    {
        const int32_t left = left_shift + PCN_LEFT_SHIFT(shifts[i]);

        p.scale[i] = left < 32 ? (int32_t)((uint32_t)1 << left) : 0;
        p.add[i] = left < 32 ? arm_nn_shift_left_wrap(offs[i], left) : 0;
        p.mult[i] = mults[i];
        p.right[i] = PCN_RIGHT_SHIFT(shifts[i]);
    }
    p.out_left = PCN_LEFT_SHIFT(out_shift);
    p.out_mult = out_mult;
    p.out_right = PCN_RIGHT_SHIFT(out_shift);
    p.out_offset = out_offset;
    p.act_min = act_min;
    p.act_max = act_max;

    if (p.right[0] > 0 && p.right[1] > 0 && p.out_right > 0 && p.out_left == 0)
    {
        /* the usual case: inputs and output scaled down */
        add_s8_mve_loop(in1, in2, out, n, &p, 1, 1, 1, 0);
    }
    else
    {
        add_s8_mve_loop(in1, in2, out, n, &p, p.right[0] > 0, p.right[1] > 0, p.out_right > 0, p.out_left > 0);
    }
}

#elif defined(ARM_MATH_DSP)

/* The constants of the DSP loop (see the header): input i becomes
 * x * in_scale[i] + in_add[i] = ((x + offset) << (left_shift + rq.left)). */
typedef struct
{
    int32_t in_scale[2];
    int32_t in_add[2];
    pcn_ew_rq_dsp in[2];
    pcn_ew_rq_dsp out;
    uint32_t min4;
    uint32_t max4;
    int32_t act_min;
    int32_t act_max;
} add_s8_dsp_params;

static inline int add_s8_dsp_init(add_s8_dsp_params *p,
                                  const int32_t off1,
                                  const int32_t mult1,
                                  const int32_t shift1,
                                  const int32_t off2,
                                  const int32_t mult2,
                                  const int32_t shift2,
                                  const int32_t left_shift,
                                  const int32_t out_offset,
                                  const int32_t out_mult,
                                  const int32_t out_shift,
                                  const int32_t act_min,
                                  const int32_t act_max)
{
    const int32_t offs[2] = {off1, off2};
    const int32_t mults[2] = {mult1, mult2};
    const int32_t shifts[2] = {shift1, shift2};
    int64_t sum_bound = 0;

    if (act_min < -128 || act_max > 127 || act_min > act_max)
    {
        return 0;
    }
    for (int32_t i = 0; i < 2; i++)
    {
        const int64_t lo = (int64_t)offs[i] - 128;
        const int64_t hi = (int64_t)offs[i] + 127;
        const int64_t mag = PCN_MAX(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi);

        if (mag > (1 << 16) || !pcn_ew_rq_dsp_init(&p->in[i], mag << left_shift, mults[i], shifts[i], 0))
        {
            return 0;
        }
        p->in_scale[i] = (int32_t)((uint32_t)1 << (left_shift + p->in[i].left));
        p->in_add[i] = (int32_t)((uint32_t)offs[i] << (left_shift + p->in[i].left));
        sum_bound += p->in[i].out_bound;
    }
    if (!pcn_ew_rq_dsp_init(&p->out, sum_bound, out_mult, out_shift, out_offset))
    {
        return 0;
    }
    p->min4 = pcn_ew_dup8(act_min);
    p->max4 = pcn_ew_dup8(act_max);
    p->act_min = act_min;
    p->act_max = act_max;
    return 1;
}

/* One input value requantised: x is (x + offset) << left already. */
static inline int32_t add_s8_dsp_in(const int32_t x, const pcn_ew_rq_dsp *rq, const int32_t fix)
{
    return pcn_ew_smmlar(x, rq->mult, rq->bias + ((x >> 31) & fix)) >> rq->right;
}

static inline __attribute__((always_inline)) int32_t
add_s8_dsp_one(const int8_t x1, const int8_t x2, const add_s8_dsp_params *p, const int32_t fix1, const int32_t fix2)
{
    const int32_t a = add_s8_dsp_in((int32_t)x1 * p->in_scale[0] + p->in_add[0], &p->in[0], fix1);
    const int32_t b = add_s8_dsp_in((int32_t)x2 * p->in_scale[1] + p->in_add[1], &p->in[1], fix2);

    /* the output always has a right shift on this path */
    return pcn_ew_rq_dsp_apply(a + b, &p->out, -1);
}

static inline __attribute__((always_inline)) void add_s8_dsp_loop(const int8_t *in1,
                                                                  const int8_t *in2,
                                                                  int8_t *out,
                                                                  int32_t n,
                                                                  const add_s8_dsp_params *p,
                                                                  const int32_t fix1,
                                                                  const int32_t fix2)
{
    for (; n >= 4; n -= 4)
    {
        const int32_t v0 = add_s8_dsp_one(in1[0], in2[0], p, fix1, fix2);
        const int32_t v1 = add_s8_dsp_one(in1[1], in2[1], p, fix1, fix2);
        const int32_t v2 = add_s8_dsp_one(in1[2], in2[2], p, fix1, fix2);
        const int32_t v3 = add_s8_dsp_one(in1[3], in2[3], p, fix1, fix2);

        pcn_ew_write4(out, pcn_ew_pack4_clamp(v0, v1, v2, v3, p->min4, p->max4));
        in1 += 4;
        in2 += 4;
        out += 4;
    }
    for (; n > 0; n--)
    {
        const int32_t v = add_s8_dsp_one(*in1++, *in2++, p, fix1, fix2);
        *out++ = (int8_t)PCN_CLAMP(v, p->act_min, p->act_max);
    }
}

#endif

arm_cmsis_nn_status arm_elementwise_add_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_1_mult,
                                           const int32_t input_1_shift,
                                           const int32_t input_2_offset,
                                           const int32_t input_2_mult,
                                           const int32_t input_2_shift,
                                           const int32_t left_shift,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    if (block_size < 0 || left_shift < 0 || left_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

#if defined(ARM_MATH_MVEI)
    if (input_1_mult != INT32_MIN && input_2_mult != INT32_MIN && out_mult != INT32_MIN)
    {
        add_s8_mve(input_1_vect,
                   input_2_vect,
                   input_1_offset,
                   input_1_mult,
                   input_1_shift,
                   input_2_offset,
                   input_2_mult,
                   input_2_shift,
                   left_shift,
                   output,
                   out_offset,
                   out_mult,
                   out_shift,
                   out_activation_min,
                   out_activation_max,
                   block_size);
        return ARM_CMSIS_NN_SUCCESS;
    }
#elif defined(ARM_MATH_DSP)
    {
        add_s8_dsp_params p;

        if (add_s8_dsp_init(&p,
                            input_1_offset,
                            input_1_mult,
                            input_1_shift,
                            input_2_offset,
                            input_2_mult,
                            input_2_shift,
                            left_shift,
                            out_offset,
                            out_mult,
                            out_shift,
                            out_activation_min,
                            out_activation_max) &&
            p.out.right > 0)
        {
            if (p.in[0].right > 0 && p.in[1].right > 0)
            {
                add_s8_dsp_loop(input_1_vect, input_2_vect, output, block_size, &p, -1, -1);
            }
            else
            {
                add_s8_dsp_loop(input_1_vect,
                                input_2_vect,
                                output,
                                block_size,
                                &p,
                                p.in[0].right > 0 ? -1 : 0,
                                p.in[1].right > 0 ? -1 : 0);
            }
            return ARM_CMSIS_NN_SUCCESS;
        }
    }
#endif

    add_s8_portable(input_1_vect,
                    input_2_vect,
                    input_1_offset,
                    input_1_mult,
                    input_1_shift,
                    input_2_offset,
                    input_2_mult,
                    input_2_shift,
                    left_shift,
                    output,
                    out_offset,
                    out_mult,
                    out_shift,
                    out_activation_min,
                    out_activation_max,
                    block_size);

    return ARM_CMSIS_NN_SUCCESS;
}
