/*
 * pycmsisnn: the vectorised (MVE and DSP) loops of arm_elementwise_add_s8
 * and arm_elementwise_mul_s8 (private, not part of the API), also run by
 * pycmsisnn_broadcast_{add,sub,mul}_s8 over the runs of their broadcast
 * walk: flags `rep1`/`rep2` make an input one value repeated over the run
 * (a broadcast scalar or per-channel value) and `sub` subtracts the second
 * requantised input instead of adding it. Nothing here is compiled on a
 * build without MVE or DSP. Includes nothing private of Arm's, so the
 * pycmsisnn_* kernels build against Arm's headers too.
 *
 * Both kernels compute exactly the portable arithmetic of pycmsisnn_arith.h:
 * arm_nn_requantize (wrapping left shift, rounding doubling high multiply,
 * rounding right shift with ties away from zero), the output offset and the
 * clamp.
 *
 * MVE: four int32 lanes at a time; VQRDMULH is the rounding doubling high
 * multiply (it saturates only for INT32_MIN * INT32_MIN, which the kernels
 * rule out by taking the portable loop for a multiplier of INT32_MIN); the
 * rounding right shift subtracts one from negative lanes (saturating) and
 * then lets VRSHL add half and shift.
 *
 * DSP: one int32 value at a time, with the doubling folded into the left
 * shift and the rounding folded into one SMMLAR:
 *   requantize(a, m, s) with n = -s >= 1 and 2a representable
 *     = (SMMLAR(2a, m, 2^(n-1) + (a < 0 ? -1 : 0)) >> n)
 * because SMMLAR(x, m, c) = c + ((x * m + 2^31) >> 32) exactly, and for a
 * positive m the sign of a gives the sign of the high product (a negative a
 * with a zero product subtracts one from 2^(n-1), which shifts to the same
 * result). The kernels check before the loop, from the parameters alone, that
 * no intermediate can overflow; otherwise they run the portable loop.
 */
#ifndef ARM_NN_ELEMENTWISE_S8_SIMD_H
#define ARM_NN_ELEMENTWISE_S8_SIMD_H

#include <string.h>

#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#elif defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

#if defined(ARM_MATH_MVEI)

/* v rounding-shifted right by `right` (>= 0) bits, ties away from zero.
 * `off_if_no_shift` is 0 when right > 0 and 32 when right == 0: VSHL by 32
 * clears the negative-lane correction, so no shift leaves v unchanged. */
static inline int32x4_t pcn_ew_rshift_mve(const int32x4_t v, const int32_t right, const int32_t off_if_no_shift)
{
    const int32x4_t fix = vshlq_r_s32(vshrq_n_s32(v, 31), off_if_no_shift);
    return vrshlq_n_s32(vqaddq_s32(v, fix), -right);
}

/* The constants of the MVE ADD/SUB loop: input i becomes
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
} pcn_ew_add_mve_params;

/* Exact for every parameter except a multiplier of INT32_MIN: returns 0
 * for one (the caller runs its portable loop). */
static inline int pcn_ew_add_mve_init(pcn_ew_add_mve_params *p,
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

    if (mult1 == INT32_MIN || mult2 == INT32_MIN || out_mult == INT32_MIN)
    {
        return 0;
    }
    for (int32_t i = 0; i < 2; i++)
    {
        const int32_t left = left_shift + PCN_LEFT_SHIFT(shifts[i]);

        p->scale[i] = left < 32 ? (int32_t)((uint32_t)1 << left) : 0;
        p->add[i] = left < 32 ? arm_nn_shift_left_wrap(offs[i], left) : 0;
        p->mult[i] = mults[i];
        p->right[i] = PCN_RIGHT_SHIFT(shifts[i]);
    }
    p->out_left = PCN_LEFT_SHIFT(out_shift);
    p->out_mult = out_mult;
    p->out_right = PCN_RIGHT_SHIFT(out_shift);
    p->out_offset = out_offset;
    p->act_min = act_min;
    p->act_max = act_max;
    return 1;
}

/* Four sums (differences with `sub`): a and b are the loaded inputs; the
 * flags say which right shifts (input 1, input 2, output) and which output
 * left shift the parameters have: constants at each call site, so the loop
 * carries only the steps it needs. */
static inline __attribute__((always_inline)) int32x4_t pcn_ew_add_mve_4(int32x4_t a,
                                                                        int32x4_t b,
                                                                        const pcn_ew_add_mve_params *p,
                                                                        const int32x4_t scale1,
                                                                        const int32x4_t scale2,
                                                                        const int32x4_t vmin,
                                                                        const int32x4_t vmax,
                                                                        const int right1,
                                                                        const int right2,
                                                                        const int right_out,
                                                                        const int left_out,
                                                                        const int sub)
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
    o = sub ? vsubq_s32(a, b) : vaddq_s32(a, b);
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

/* Groups of four, then the last one to three lanes tail-predicated. An input
 * flagged rep is one value (its first element) in every lane. */
static inline __attribute__((always_inline)) void pcn_ew_add_mve_loop(const int8_t *in1,
                                                                      const int8_t *in2,
                                                                      int8_t *out,
                                                                      int32_t n,
                                                                      const pcn_ew_add_mve_params *p,
                                                                      const int right1,
                                                                      const int right2,
                                                                      const int right_out,
                                                                      const int left_out,
                                                                      const int rep1,
                                                                      const int rep2,
                                                                      const int sub)
{
    const int32x4_t scale1 = vdupq_n_s32(p->scale[0]);
    const int32x4_t scale2 = vdupq_n_s32(p->scale[1]);
    const int32x4_t vmin = vdupq_n_s32(p->act_min);
    const int32x4_t vmax = vdupq_n_s32(p->act_max);
    const int32x4_t a_rep = vdupq_n_s32(rep1 ? *in1 : 0);
    const int32x4_t b_rep = vdupq_n_s32(rep2 ? *in2 : 0);

    for (; n >= 4; n -= 4)
    {
        vstrbq_s32(out,
                   pcn_ew_add_mve_4(rep1 ? a_rep : vldrbq_s32(in1),
                                    rep2 ? b_rep : vldrbq_s32(in2),
                                    p,
                                    scale1,
                                    scale2,
                                    vmin,
                                    vmax,
                                    right1,
                                    right2,
                                    right_out,
                                    left_out,
                                    sub));
        in1 += rep1 ? 0 : 4;
        in2 += rep2 ? 0 : 4;
        out += 4;
    }
    if (n > 0)
    {
        const mve_pred16_t pred = vctp32q((uint32_t)n);

        vstrbq_p_s32(out,
                     pcn_ew_add_mve_4(rep1 ? a_rep : vldrbq_z_s32(in1, pred),
                                      rep2 ? b_rep : vldrbq_z_s32(in2, pred),
                                      p,
                                      scale1,
                                      scale2,
                                      vmin,
                                      vmax,
                                      right1,
                                      right2,
                                      right_out,
                                      left_out,
                                      sub),
                     pred);
    }
}

/* rows runs of n outputs, one after another in out, the inputs advancing
 * step1 / step2 elements from one run to the next (one run: rows 1): the usual
 * case (inputs and output scaled down) with constant flags, any other with
 * the flags read from the parameters. */
static inline __attribute__((always_inline)) void pcn_ew_add_mve_run(const int8_t *in1,
                                                                     const int8_t *in2,
                                                                     int8_t *out,
                                                                     const int32_t n,
                                                                     const int32_t rows,
                                                                     const int32_t step1,
                                                                     const int32_t step2,
                                                                     const pcn_ew_add_mve_params *p,
                                                                     const int rep1,
                                                                     const int rep2,
                                                                     const int sub)
{
    if (p->right[0] > 0 && p->right[1] > 0 && p->out_right > 0 && p->out_left == 0)
    {
        for (int32_t r = 0; r < rows; r++)
        {
            pcn_ew_add_mve_loop(in1 + r * step1, in2 + r * step2, out + r * n, n, p, 1, 1, 1, 0, rep1, rep2, sub);
        }
    }
    else
    {
        const int right1 = p->right[0] > 0;
        const int right2 = p->right[1] > 0;
        const int right_out = p->out_right > 0;
        const int left_out = p->out_left > 0;

        for (int32_t r = 0; r < rows; r++)
        {
            pcn_ew_add_mve_loop(in1 + r * step1,
                                in2 + r * step2,
                                out + r * n,
                                n,
                                p,
                                right1,
                                right2,
                                right_out,
                                left_out,
                                rep1,
                                rep2,
                                sub);
        }
    }
}

/* Four products (the low 32 bits, as the portable cast keeps) requantised;
 * `right` and `left` flag the output's shifts (constants at each call site). */
static inline __attribute__((always_inline)) int32x4_t pcn_ew_mul_mve_4(const int32x4_t x1,
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
 * for every parameter except a multiplier of INT32_MIN (see above). */
static inline __attribute__((always_inline)) void pcn_ew_mul_mve_loop(const int8_t *in1,
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
                                                                      const int left,
                                                                      const int rep1,
                                                                      const int rep2)
{
    const int32_t out_left = PCN_LEFT_SHIFT(out_shift);
    const int32_t out_right = PCN_RIGHT_SHIFT(out_shift);
    const int32x4_t vmin = vdupq_n_s32(act_min);
    const int32x4_t vmax = vdupq_n_s32(act_max);
    const int32x4_t a_rep = vdupq_n_s32(rep1 ? *in1 : 0);
    const int32x4_t b_rep = vdupq_n_s32(rep2 ? *in2 : 0);

    for (; n >= 4; n -= 4)
    {
        vstrbq_s32(out,
                   pcn_ew_mul_mve_4(rep1 ? a_rep : vldrbq_s32(in1),
                                    rep2 ? b_rep : vldrbq_s32(in2),
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
        in1 += rep1 ? 0 : 4;
        in2 += rep2 ? 0 : 4;
        out += 4;
    }
    if (n > 0)
    {
        const mve_pred16_t pred = vctp32q((uint32_t)n);

        vstrbq_p_s32(out,
                     pcn_ew_mul_mve_4(rep1 ? a_rep : vldrbq_z_s32(in1, pred),
                                      rep2 ? b_rep : vldrbq_z_s32(in2, pred),
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

/* rows runs of n products requantised (as pcn_ew_add_mve_run); the caller
 * has ruled out out_mult == INT32_MIN. */
static inline __attribute__((always_inline)) void pcn_ew_mul_mve_run(const int8_t *in1,
                                                                     const int8_t *in2,
                                                                     const int32_t off1,
                                                                     const int32_t off2,
                                                                     int8_t *out,
                                                                     const int32_t out_offset,
                                                                     const int32_t out_mult,
                                                                     const int32_t out_shift,
                                                                     const int32_t act_min,
                                                                     const int32_t act_max,
                                                                     const int32_t n,
                                                                     const int32_t rows,
                                                                     const int32_t step1,
                                                                     const int32_t step2,
                                                                     const int rep1,
                                                                     const int rep2)
{
    for (int32_t r = 0; r < rows; r++)
    {
        if (out_shift < 0)
        {
            /* the usual case: the product scaled down */
            pcn_ew_mul_mve_loop(
                in1, in2, off1, off2, out, out_offset, out_mult, out_shift, act_min, act_max, n, 1, 0, rep1, rep2);
        }
        else
        {
            pcn_ew_mul_mve_loop(in1,
                                in2,
                                off1,
                                off2,
                                out,
                                out_offset,
                                out_mult,
                                out_shift,
                                act_min,
                                act_max,
                                n,
                                0,
                                out_shift > 0,
                                rep1,
                                rep2);
        }
        in1 += step1;
        in2 += step2;
        out += n;
    }
}

#elif defined(ARM_MATH_DSP)

/* c + round(x * m / 2^32), i.e. c + ((x * m + 2^31) >> 32), exactly. */
static inline int32_t pcn_ew_smmlar(const int32_t x, const int32_t m, const int32_t c)
{
    int32_t r;
    __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(m), "r"(c));
    return r;
}

/* Bytes 1 and 3 of x plus the halfwords of a. */
static inline int32_t pcn_ew_sxtab16_odd(const int32_t a, const int32_t x)
{
    int32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}

/* Products of the bottom halfwords and of the top halfwords (not in gcc 12's
 * arm_acle.h). */
static inline int32_t pcn_ew_smulbb(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("smulbb %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int32_t pcn_ew_smultt(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("smultt %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

/* Bottom halfword of a, bottom halfword of b in the top. */
static inline int32_t pcn_ew_pack_lo(const int32_t a, const int32_t b)
{
    int32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static inline int32_t pcn_ew_read4(const int8_t *p)
{
    int32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* The value in both halfwords (v fits in int16). */
static inline int32_t pcn_ew_dup16(const int32_t v)
{
    return (int32_t)(((uint32_t)v & 0xFFFFu) | ((uint32_t)v << 16));
}

/* The value in all four bytes (v fits in int8). */
static inline uint32_t pcn_ew_dup8(const int32_t v)
{
    return ((uint32_t)v & 0xFFu) * 0x01010101u;
}

/* Four int32 results saturated to int8, packed in order (v0 in the lowest
 * byte) and clamped bytewise to [min, max] (min4/max4: the bounds in every
 * byte; the activation range lies inside int8, so saturating first changes
 * nothing). */
static inline uint32_t pcn_ew_pack4_clamp(
    int32_t v0, int32_t v1, int32_t v2, int32_t v3, const uint32_t min4, const uint32_t max4)
{
    uint32_t w;

    v0 = __ssat(v0, 8);
    v1 = __ssat(v1, 8);
    v2 = __ssat(v2, 8);
    v3 = __ssat(v3, 8);
    w = __uxtb16((uint32_t)pcn_ew_pack_lo(v0, v2)) | (__uxtb16((uint32_t)pcn_ew_pack_lo(v1, v3)) << 8);
    (void)__ssub8((int32_t)w, (int32_t)min4);
    w = __sel(w, min4);
    (void)__ssub8((int32_t)max4, (int32_t)w);
    return __sel(w, max4);
}

static inline void pcn_ew_write4(int8_t *p, const uint32_t w)
{
    memcpy(p, &w, sizeof(w));
}

/* Requantisation of int32 values v with |v| <= bound (after the caller's
 * own left shift), by multiplier `mult` (> 0) and `shift`, plus
 * `out_offset`: the constants of the SMMLAR form. Returns 0 when that form
 * could overflow for some value (the caller then runs the portable loop). */
typedef struct
{
    int32_t mult;
    int32_t left;      /* left shift including the doubling: max(shift, 0) + 1 */
    int32_t right;     /* max(-shift, 0), in 0..30 */
    int32_t bias;      /* 2^(right - 1) (0 without a right shift) + (out_offset << right) */
    int64_t out_bound; /* bound on |result - out_offset| */
} pcn_ew_rq_dsp;

static inline int pcn_ew_rq_dsp_init(
    pcn_ew_rq_dsp *rq, const int64_t bound, const int32_t mult, const int32_t shift, const int32_t out_offset)
{
    const int32_t left = (shift > 0 ? shift : 0) + 1;
    const int32_t right = shift > 0 ? 0 : -shift;
    const int64_t half = right > 0 ? ((int64_t)1 << (right - 1)) : 0;
    const int64_t abs_off = out_offset < 0 ? -(int64_t)out_offset : (int64_t)out_offset;
    int64_t high;

    if (mult <= 0 || left > 31 || right > 30 || abs_off > 65536 || bound < 0)
    {
        return 0;
    }
    /* the doubled, shifted value must fit in int32 */
    if (bound > ((int64_t)INT32_MAX >> left))
    {
        return 0;
    }
    /* |SMMLAR product| <= ((bound << left) * mult + 2^31) >> 32, plus 1 for
     * the negative correction; the biased sum must stay in int32 */
    high = (((bound << left) * (int64_t)mult) >> 32) + 2;
    if (high + half + (abs_off << right) > (int64_t)INT32_MAX)
    {
        return 0;
    }
    rq->mult = mult;
    rq->left = left;
    rq->right = right;
    rq->bias = (int32_t)(half + ((int64_t)out_offset << right));
    rq->out_bound = ((high + half) >> right) + 1;
    return 1;
}

/* The requantised value (output offset included) of v, |v| <= bound.
 * `fix` is -1 when rq->right > 0 and 0 otherwise (a constant at each call
 * site, so the AND folds away). */
static inline int32_t pcn_ew_rq_dsp_apply(const int32_t v, const pcn_ew_rq_dsp *rq, const int32_t fix)
{
    const int32_t x = (int32_t)((uint32_t)v << rq->left);
    return pcn_ew_smmlar(x, rq->mult, rq->bias + ((v >> 31) & fix)) >> rq->right;
}


/* The constants of the DSP ADD/SUB loop (see above): input i becomes
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
} pcn_ew_add_dsp_params;

/* Returns 0 when some intermediate could overflow or the output has no right
 * shift (the caller then runs its portable loop). The bounds cover a
 * difference as well as a sum. */
static inline int pcn_ew_add_dsp_init(pcn_ew_add_dsp_params *p,
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

    if (act_min < -128 || act_max > 127 || act_min > act_max || left_shift < 0 || left_shift > 31)
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
    if (!pcn_ew_rq_dsp_init(&p->out, sum_bound, out_mult, out_shift, out_offset) || p->out.right == 0)
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
static inline int32_t pcn_ew_add_dsp_in(const int32_t x, const pcn_ew_rq_dsp *rq, const int32_t fix)
{
    return pcn_ew_smmlar(x, rq->mult, rq->bias + ((x >> 31) & fix)) >> rq->right;
}

static inline __attribute__((always_inline)) int32_t pcn_ew_add_dsp_one(const int8_t x1,
                                                                        const int8_t x2,
                                                                        const pcn_ew_add_dsp_params *p,
                                                                        const int32_t fix1,
                                                                        const int32_t fix2,
                                                                        const int sub)
{
    const int32_t a = pcn_ew_add_dsp_in((int32_t)x1 * p->in_scale[0] + p->in_add[0], &p->in[0], fix1);
    const int32_t b = pcn_ew_add_dsp_in((int32_t)x2 * p->in_scale[1] + p->in_add[1], &p->in[1], fix2);

    /* the output always has a right shift on this path */
    return pcn_ew_rq_dsp_apply(sub ? a - b : a + b, &p->out, -1);
}

/* Four at a time, stored as one word, then one to three one at a time; an
 * input flagged rep is its first element over the whole run. */
static inline __attribute__((always_inline)) void pcn_ew_add_dsp_loop(const int8_t *in1,
                                                                      const int8_t *in2,
                                                                      int8_t *out,
                                                                      int32_t n,
                                                                      const pcn_ew_add_dsp_params *p,
                                                                      const int32_t fix1,
                                                                      const int32_t fix2,
                                                                      const int rep1,
                                                                      const int rep2,
                                                                      const int sub)
{
    const int32_t d1 = rep1 ? 0 : 1;
    const int32_t d2 = rep2 ? 0 : 1;

    for (; n >= 4; n -= 4)
    {
        const int32_t v0 = pcn_ew_add_dsp_one(in1[0], in2[0], p, fix1, fix2, sub);
        const int32_t v1 = pcn_ew_add_dsp_one(in1[d1], in2[d2], p, fix1, fix2, sub);
        const int32_t v2 = pcn_ew_add_dsp_one(in1[2 * d1], in2[2 * d2], p, fix1, fix2, sub);
        const int32_t v3 = pcn_ew_add_dsp_one(in1[3 * d1], in2[3 * d2], p, fix1, fix2, sub);

        pcn_ew_write4(out, pcn_ew_pack4_clamp(v0, v1, v2, v3, p->min4, p->max4));
        in1 += 4 * d1;
        in2 += 4 * d2;
        out += 4;
    }
    for (; n > 0; n--)
    {
        const int32_t v = pcn_ew_add_dsp_one(*in1, *in2, p, fix1, fix2, sub);
        *out++ = (int8_t)PCN_CLAMP(v, p->act_min, p->act_max);
        in1 += d1;
        in2 += d2;
    }
}

/* rows runs of n outputs (as pcn_ew_add_mve_run): both inputs scaled down
 * (the usual case) with constant corrections, any other with the
 * corrections read from the parameters. */
static inline __attribute__((always_inline)) void pcn_ew_add_dsp_run(const int8_t *in1,
                                                                     const int8_t *in2,
                                                                     int8_t *out,
                                                                     const int32_t n,
                                                                     const int32_t rows,
                                                                     const int32_t step1,
                                                                     const int32_t step2,
                                                                     const pcn_ew_add_dsp_params *p,
                                                                     const int rep1,
                                                                     const int rep2,
                                                                     const int sub)
{
    const int usual = p->in[0].right > 0 && p->in[1].right > 0;
    const int32_t fix1 = p->in[0].right > 0 ? -1 : 0;
    const int32_t fix2 = p->in[1].right > 0 ? -1 : 0;

    for (int32_t r = 0; r < rows; r++)
    {
        if (usual)
        {
            pcn_ew_add_dsp_loop(in1, in2, out, n, p, -1, -1, rep1, rep2, sub);
        }
        else
        {
            pcn_ew_add_dsp_loop(in1, in2, out, n, p, fix1, fix2, rep1, rep2, sub);
        }
        in1 += step1;
        in2 += step2;
        out += n;
    }
}

/* The requantisation of the DSP MUL loop; 0 when a factor leaves int16, the
 * activation range leaves int8 or an intermediate could overflow. */
static inline int pcn_ew_mul_dsp_init(pcn_ew_rq_dsp *rq,
                                      const int32_t off1,
                                      const int32_t off2,
                                      const int32_t out_offset,
                                      const int32_t out_mult,
                                      const int32_t out_shift,
                                      const int32_t act_min,
                                      const int32_t act_max)
{
    const int64_t lo1 = (int64_t)off1 - 128, hi1 = (int64_t)off1 + 127;
    const int64_t lo2 = (int64_t)off2 - 128, hi2 = (int64_t)off2 + 127;

    return lo1 >= INT16_MIN && hi1 <= INT16_MAX && lo2 >= INT16_MIN && hi2 <= INT16_MAX && act_min >= -128 &&
        act_max <= 127 && act_min <= act_max &&
        pcn_ew_rq_dsp_init(rq, PCN_MAX(-lo1, hi1) * PCN_MAX(-lo2, hi2), out_mult, out_shift, out_offset);
}

/* Four bytes of each input at a time: SXTAB16 adds the offsets while
 * splitting even and odd bytes into int16 pairs, SMULBB/SMULTT multiply
 * them exactly, and the four products are requantised in the SMMLAR form
 * and stored as one word; a last one to three elements one at a time. An
 * input flagged rep is its first element in every byte. */
static inline __attribute__((always_inline)) void pcn_ew_mul_dsp_loop(const int8_t *in1,
                                                                      const int8_t *in2,
                                                                      const int32_t off1,
                                                                      const int32_t off2,
                                                                      int8_t *out,
                                                                      const pcn_ew_rq_dsp *rq,
                                                                      const int32_t act_min,
                                                                      const int32_t act_max,
                                                                      int32_t n,
                                                                      const int32_t fix,
                                                                      const int rep1,
                                                                      const int rep2)
{
    const int32_t off1_2 = pcn_ew_dup16(off1);
    const int32_t off2_2 = pcn_ew_dup16(off2);
    const uint32_t min4 = pcn_ew_dup8(act_min);
    const uint32_t max4 = pcn_ew_dup8(act_max);
    const int32_t w1_rep = rep1 ? (int32_t)pcn_ew_dup8(*in1) : 0;
    const int32_t w2_rep = rep2 ? (int32_t)pcn_ew_dup8(*in2) : 0;

    for (; n >= 4; n -= 4)
    {
        const int32_t w1 = rep1 ? w1_rep : pcn_ew_read4(in1);
        const int32_t w2 = rep2 ? w2_rep : pcn_ew_read4(in2);
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
        in1 += rep1 ? 0 : 4;
        in2 += rep2 ? 0 : 4;
        out += 4;
    }
    for (; n > 0; n--)
    {
        const int32_t v = pcn_ew_rq_dsp_apply(((int32_t)*in1 + off1) * ((int32_t)*in2 + off2), rq, fix);

        *out++ = (int8_t)PCN_CLAMP(v, act_min, act_max);
        in1 += rep1 ? 0 : 1;
        in2 += rep2 ? 0 : 1;
    }
}

/* rows runs of n products (as pcn_ew_add_mve_run) requantised with rq from
 * pcn_ew_mul_dsp_init. */
static inline __attribute__((always_inline)) void pcn_ew_mul_dsp_run(const int8_t *in1,
                                                                     const int8_t *in2,
                                                                     const int32_t off1,
                                                                     const int32_t off2,
                                                                     int8_t *out,
                                                                     const pcn_ew_rq_dsp *rq,
                                                                     const int32_t act_min,
                                                                     const int32_t act_max,
                                                                     const int32_t n,
                                                                     const int32_t rows,
                                                                     const int32_t step1,
                                                                     const int32_t step2,
                                                                     const int rep1,
                                                                     const int rep2)
{
    for (int32_t r = 0; r < rows; r++)
    {
        if (rq->right > 0)
        {
            pcn_ew_mul_dsp_loop(in1, in2, off1, off2, out, rq, act_min, act_max, n, -1, rep1, rep2);
        }
        else
        {
            pcn_ew_mul_dsp_loop(in1, in2, off1, off2, out, rq, act_min, act_max, n, 0, rep1, rep2);
        }
        in1 += step1;
        in2 += step2;
        out += n;
    }
}

#endif /* ARM_MATH_MVEI / ARM_MATH_DSP */

#endif /* ARM_NN_ELEMENTWISE_S8_SIMD_H */
