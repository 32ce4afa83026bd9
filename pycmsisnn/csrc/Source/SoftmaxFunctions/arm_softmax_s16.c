/*
 * pycmsisnn: arm_softmax_s16, int16 softmax through two lookup tables
 * (TFLite Micro's int16 reference; output scale 1/32768, zero point 0).
 *
 * Per row: the difference of each input to the row's maximum is scaled by
 * (mult, shift) so that [-65535, 0] covers [-10, 0], moved to
 * [-32768, 32767] and looked up in the exp table (Q0.15). The exponentials
 * are summed in int32; the sum, normalised to its leading one, gives x in
 * [0, 1) for the 1/(1 + x) table; each exponential times that reciprocal,
 * shifted back by the normalisation with rounding, is the output in
 * [0, 32767].
 *
 * Both tables hold 513 int16 values: entry i covers inputs
 * (i - 256) * 128 .. + 127, the low 7 bits interpolating towards entry i + 1.
 * The interpolation base + ((next - base) * frac + 64) >> 7 equals
 * (base * (128 - frac) + next * frac + 64) >> 7 (base * 128 is a multiple of
 * 128), which DSP cores compute with one 32-bit load of the entry pair and
 * one SMLAD. The exponentials are kept in the output row until the
 * reciprocal is known. The last pass needs no 64-bit arithmetic: an int16
 * times an int16 plus a rounding of at most 2^29 stays below 2^31.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "Internal/pycmsisnn_arith_s16.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif
#if defined(ARM_MATH_DSP)
    #include <arm_acle.h>
#endif

/* Table look-up with interpolation of an int16 value. */
static inline int32_t s16_lut_lookup(const int32_t value, const int16_t *lut)
{
    const int32_t index = 256 + (value >> 7);
    const int32_t frac = value & 0x7F;
#if defined(ARM_MATH_DSP)
    int32_t pair; /* lut[index] low, lut[index + 1] high */
    memcpy(&pair, lut + index, sizeof(pair));
    return __smlad(pair, (int32_t)(((uint32_t)frac << 16) | (uint32_t)(128 - frac)), 64) >> 7;
#else
    const int32_t base = lut[index];
    const int32_t slope = (int32_t)lut[index + 1] - base;

    return base + ((slope * frac + 64) >> 7);
#endif
}

static int32_t s16_count_leading_zeros(uint32_t v)
{
    int32_t n = 0;

    if (v == 0)
    {
        return 32;
    }
#if defined(__GNUC__)
    n = __builtin_clz(v);
#else
    while ((v & 0x80000000u) == 0)
    {
        v <<= 1;
        n++;
    }
#endif
    return n;
}

static int32_t s16_row_max(const int16_t *in, const int32_t row_size)
{
    int32_t j = 0;
    int32_t max_in_row = NN_Q15_MIN;
#if defined(ARM_MATH_MVEI)
    int16_t m = NN_Q15_MIN;
    for (; j < row_size; j += 8)
    {
        const mve_pred16_t p = vctp16q((uint32_t)(row_size - j));
        m = vmaxvq_p_s16(m, vldrhq_z_s16(in + j, p), p);
    }
    max_in_row = m;
#elif defined(ARM_MATH_DSP)
    if (row_size >= 4)
    {
        int32_t pair_max;
        memcpy(&pair_max, in, sizeof(pair_max));
        for (j = 2; j + 1 < row_size; j += 2)
        {
            int32_t w;
            memcpy(&w, in + j, sizeof(w));
            (void)__ssub16(w, pair_max); /* GE flags: w >= max per half */
            pair_max = __sel(w, pair_max);
        }
        max_in_row = PCN_MAX((int32_t)(int16_t)pair_max, pair_max >> 16);
    }
#endif
    for (; j < row_size; j++)
    {
        max_in_row = PCN_MAX(max_in_row, (int32_t)in[j]);
    }
    return max_in_row;
}

/* TFLite's MultiplyByQuantizedMultiplier with the shift split beforehand. */
static inline int32_t s16_scale(const int32_t diff, const int32_t mult, const int32_t left, const int32_t right)
{
    const int32_t x = arm_nn_doubling_high_mult_no_sat(arm_nn_shift_left_wrap(diff, left), mult);
    return right ? arm_nn_divide_by_power_of_two(x, right) : x;
}

static inline int32_t s16_sat(const int32_t v)
{
#if defined(ARM_MATH_DSP)
    return __ssat(v, 16);
#else
    return pcn_sat_s16(v);
#endif
}

arm_cmsis_nn_status arm_softmax_s16(const int16_t *input,
                                    const int32_t num_rows,
                                    const int32_t row_size,
                                    const int32_t mult,
                                    const int32_t shift,
                                    const cmsis_nn_softmax_lut_s16 *softmax_params,
                                    int16_t *output)
{
    int32_t r, j;

    if (softmax_params == NULL || softmax_params->exp_lut == NULL || softmax_params->one_by_one_lut == NULL ||
        num_rows < 0 || row_size < 1 || row_size > 65535 || shift < -31 || shift > 31 || mult < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    const int16_t *exp_lut = softmax_params->exp_lut;
    const int32_t left = PCN_LEFT_SHIFT(shift);
    const int32_t right = PCN_RIGHT_SHIFT(shift);

    for (r = 0; r < num_rows; r++)
    {
        const int16_t *in = input + (size_t)r * (size_t)row_size;
        int16_t *out = output + (size_t)r * (size_t)row_size;
        const int32_t max_in_row = s16_row_max(in, row_size);
        int32_t sum = 0;
        int32_t headroom, right_shift, shifted_sum, reciprocal, rounding;

#if defined(ARM_MATH_MVEI)
        /* four lanes of int32: the differences span [-65535, 0]. Lanes past
         * the row load 0 and are clamped like any other, so their gathers
         * stay inside the tables; they are neither stored nor summed. */
        for (j = 0; j < row_size; j += 4)
        {
            const mve_pred16_t p = vctp32q((uint32_t)(row_size - j));
            int32x4_t v = vshlq_r_s32(vsubq_n_s32(vldrhq_z_s32(in + j, p), max_in_row), left);
            v = vqrdmulhq_n_s32(v, mult); /* the doubling high multiply, rounding half up */
            if (right)
            {
                /* ties away from zero: negative values are lowered by one first */
                v = vrshlq_n_s32(vaddq_s32(v, vshrq_n_s32(v, 31)), -right);
            }
            v = vminq_s32(vmaxq_s32(vaddq_n_s32(v, 32767), vdupq_n_s32(NN_Q15_MIN)), vdupq_n_s32(NN_Q15_MAX));
            {
                const uint32x4_t index = vreinterpretq_u32_s32(vaddq_n_s32(vshrq_n_s32(v, 7), 256));
                const int32x4_t frac = vandq_s32(v, vdupq_n_s32(0x7F));
                const int32x4_t base = vldrhq_gather_shifted_offset_s32(exp_lut, index);
                const int32x4_t next = vldrhq_gather_shifted_offset_s32(exp_lut + 1, index);
                const int32x4_t e =
                    vshrq_n_s32(vaddq_n_s32(vaddq_s32(vshlq_n_s32(base, 7), vmulq_s32(vsubq_s32(next, base), frac)), 64), 7);
                vstrhq_p_s32(out + j, e, p);
                sum = vaddvaq_p_s32(sum, e, p);
            }
        }
#else
        for (j = 0; j < row_size; j++)
        {
            const int32_t scaled = s16_scale((int32_t)in[j] - max_in_row, mult, left, right);
            /* recentre [-65535, 0] on [-32768, 32767] */
            const int32_t e = s16_lut_lookup(s16_sat((int32_t)((uint32_t)scaled + 32767u)), exp_lut);
            out[j] = (int16_t)e;
            sum += e;
        }
#endif

        /* A sane exp table makes sum >= 2^14; a degenerate one is kept
         * within the shifts' defined range. */
        headroom = PCN_CLAMP(s16_count_leading_zeros((uint32_t)sum), 1, 30);
        /* the sum with its leading one at bit 30, rounded to Q1.16: [2^16, 2^17) */
        shifted_sum = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
        /* x = sum - 1 on [0, 65535], recentred on [-32768, 32767] */
        reciprocal = s16_lut_lookup(s16_sat(shifted_sum - ((1 << 15) + (1 << 16))), softmax_params->one_by_one_lut);

        right_shift = 31 - headroom;
        rounding = (int32_t)1 << (right_shift - 1);
#if defined(ARM_MATH_MVEI)
        for (j = 0; j < row_size; j += 4)
        {
            const mve_pred16_t p = vctp32q((uint32_t)(row_size - j));
            int32x4_t v = vaddq_n_s32(vmulq_n_s32(vldrhq_z_s32(out + j, p), reciprocal), rounding);
            v = vshlq_r_s32(v, -right_shift); /* arithmetic, truncating */
            vstrhq_p_s32(out + j, vminq_s32(vmaxq_s32(v, vdupq_n_s32(0)), vdupq_n_s32(NN_Q15_MAX)), p);
        }
#else
        for (j = 0; j < row_size; j++)
        {
            const int32_t v = ((int32_t)out[j] * reciprocal + rounding) >> right_shift;
#if defined(ARM_MATH_DSP)
            out[j] = (int16_t)__usat(v, 15);
#else
            out[j] = (int16_t)PCN_CLAMP(v, 0, (int32_t)NN_Q15_MAX);
#endif
        }
#endif
    }
    return ARM_CMSIS_NN_SUCCESS;
}
