/*
 * pycmsisnn: private helpers of the s16 (16x8) convolution family (not part
 * of the API).
 *
 * Requantisation of the int64 accumulators as TFLite Micro's reference 16x8
 * kernels do it, the scratch formulas of the family (one place, so that the
 * kernels, the wrappers and every buffer-size function agree), the depthwise
 * dispatch predicate, and the shared compute cores.
 */
#ifndef PYCMSISNN_INTERNAL_ARM_NN_CONV_S16_H
#define PYCMSISNN_INTERNAL_ARM_NN_CONV_S16_H

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"

#if defined(ARM_MATH_MVEI)
    #include <arm_mve.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The Q31 multiplier rounded to 16 bits, saturated at 0x7FFF. */
static inline int32_t arm_nn_conv_s16_reduce_multiplier(const int32_t multiplier)
{
    return multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
}

/* TFLite's MultiplyByQuantizedMultiplier for int64 accumulators: the Q31
 * multiplier rounded to 16 bits (saturated at 0x7FFF), one 64-bit product and
 * a single round-half-up right shift by 15 - shift. The result is clamped to
 * [act_min, act_max] in 64 bits (TFLite assumes it fits in 32).
 * Quicker forms, same integers: on MVE the rounding shift is one SQRSHRL; on
 * other cores, when the accumulator fits in 32 bits and the shift in 1..31,
 * one 32x32 product (SMLAL on DSP cores) and a shift of its two words.
 * This form takes the reduced multiplier and the total right shift
 * (15 - shift); arm_nn_conv_s16_requantize_s64 below takes them raw. */
static inline int16_t arm_nn_conv_s16_requantize_reduced(const int64_t acc,
                                                         const int32_t reduced,
                                                         const int32_t total_shift,
                                                         const int32_t act_min,
                                                         const int32_t act_max)
{
    int64_t v;
#if defined(ARM_MATH_MVEI)
    if (total_shift > 0)
    {
        /* rounding right shift: (x + 2^(n - 1)) >> n, no saturation */
        v = sqrshrl(acc * reduced, total_shift);
    }
#else
    const int32_t acc32 = (int32_t)acc;
    if (acc32 == acc && total_shift > 0 && total_shift < 32)
    {
        const uint32_t round = 1u << (total_shift - 1);
    #if defined(ARM_MATH_DSP) && defined(__GNUC__)
        /* one SMLAL (the compiler would widen the product to 64x64 bits) */
        uint32_t lo = round;
        uint32_t hi32 = 0;
        __asm__("smlal %0, %1, %2, %3" : "+r"(lo), "+r"(hi32) : "r"(acc32), "r"(reduced));
        const int64_t prod = (int64_t)(((uint64_t)hi32 << 32) | lo);
    #else
        const int64_t prod = (int64_t)acc32 * reduced + (int64_t)round;
    #endif
        const int32_t hi = (int32_t)((uint64_t)prod >> 32);
        const int32_t top = hi >> total_shift;
        int32_t v32 = (int32_t)(((uint32_t)prod >> total_shift) | ((uint32_t)hi << (32 - total_shift)));
        if (top != (v32 >> 31))
        {
            /* outside int32: beyond either end of the activation range */
            return (int16_t)(hi < 0 ? act_min : act_max);
        }
        v32 = v32 < act_min ? act_min : v32;
        return (int16_t)(v32 > act_max ? act_max : v32);
    }
    if (total_shift > 0)
    {
        v = (acc * reduced + ((int64_t)1 << (total_shift - 1))) >> total_shift;
    }
#endif
    else
    {
        /* Outside TFLite's range (shift >= 15): an exact left shift. */
        v = (int64_t)((uint64_t)(acc * reduced) << (-total_shift));
    }
    if (v < act_min)
    {
        v = act_min;
    }
    if (v > act_max)
    {
        v = act_max;
    }
    return (int16_t)v;
}

static inline int16_t arm_nn_conv_s16_requantize_s64(const int64_t acc,
                                                     const int32_t multiplier,
                                                     const int32_t shift,
                                                     const int32_t act_min,
                                                     const int32_t act_max)
{
    return arm_nn_conv_s16_requantize_reduced(
        acc, arm_nn_conv_s16_reduce_multiplier(multiplier), 15 - shift, act_min, act_max);
}

/* The quick requantisation of the DSP and MVE paths: the same integers as
 * arm_nn_conv_s16_requantize_reduced when the accumulator a = sum + bias
 * fits in int32 and the shift is in [PCN_S16_QUICK_SHIFT_MIN,
 * PCN_S16_QUICK_SHIFT_MAX] (total shift t = 15 - shift in [17, 47]).
 * With r the reduced multiplier (|r| < 2^15) and a * r = Y * 2^16 + L
 * (0 <= L < 2^16), Y = floor(a * (r << 16) / 2^32) is a "multiply returning
 * the high word" (SMMUL, VMULH) and, for t >= 17,
 *     floor((a * r + 2^(t - 1)) / 2^t) = floor((Y + 2^(t - 17)) / 2^(t - 16)),
 * a rounding right shift of Y by t - 16 (VRSHL); |Y| < 2^30, nothing
 * overflows. For t <= 32 the whole is one rounding high-word multiply by
 * r << (32 - t) (SMMULR, VRMULH). */
#define PCN_S16_QUICK_SHIFT_MIN (-32)
#define PCN_S16_QUICK_SHIFT_MAX (-2)

/* r << 16 for the high-word multiply (r may be negative). */
static inline int32_t arm_nn_conv_s16_quick_mult(const int32_t multiplier)
{
    return (int32_t)((uint32_t)arm_nn_conv_s16_reduce_multiplier(multiplier) << 16);
}

/* Whether the quick requantisation holds for a whole layer: every one of
 * the `shifts` shifts in range, and every one of the `count` int64 biases
 * (none when bias is NULL) so small that adding it to a sum of n int16 x int8
 * products (|product| <= 2^22, n <= PCN_S16_CHUNK) stays in int32. */
static inline int arm_nn_conv_s16_quick_ok(
    const int32_t *shift, const int32_t shifts, const int64_t *bias, const int32_t count, const int32_t n)
{
    for (int32_t k = 0; k < shifts; k++)
    {
        if (shift[k] < PCN_S16_QUICK_SHIFT_MIN || shift[k] > PCN_S16_QUICK_SHIFT_MAX)
        {
            return 0;
        }
    }
    if (bias != NULL)
    {
        const int64_t limit = (int64_t)INT32_MAX - ((int64_t)n << 22);
        for (int32_t k = 0; k < count; k++)
        {
            if (bias[k] > limit || bias[k] < -limit)
            {
                return 0;
            }
        }
    }
    return 1;
}

#if defined(ARM_MATH_DSP) && defined(__GNUC__)
/* One channel of the quick requantisation on a DSP core: a multiplier and a
 * post shift (0: one SMMULR does it all). */
typedef struct
{
    int32_t mult;
    int32_t post;
} arm_nn_conv_s16_quick_t;

static inline arm_nn_conv_s16_quick_t arm_nn_conv_s16_quick_channel(const int32_t multiplier, const int32_t shift)
{
    arm_nn_conv_s16_quick_t q;
    const int32_t total = 15 - shift;
    if (total <= 32)
    {
        q.mult = (int32_t)((uint32_t)arm_nn_conv_s16_reduce_multiplier(multiplier) << (32 - total));
        q.post = 0;
    }
    else
    {
        q.mult = arm_nn_conv_s16_quick_mult(multiplier);
        q.post = total - 16;
    }
    return q;
}

/* The requantised (unclamped) value of the int32 accumulator a. */
static inline int32_t arm_nn_conv_s16_quick(const int32_t a, const arm_nn_conv_s16_quick_t q)
{
    int32_t y;
    if (q.post == 0)
    {
        __asm__("smmulr %0, %1, %2" : "=r"(y) : "r"(a), "r"(q.mult));
        return y;
    }
    __asm__("smmul %0, %1, %2" : "=r"(y) : "r"(a), "r"(q.mult));
    return (y + (1 << (q.post - 1))) >> q.post;
}

/* ... clamped to [act_min, act_max]. */
static inline int16_t arm_nn_conv_s16_quick_clamp(const int32_t a,
                                                  const arm_nn_conv_s16_quick_t q,
                                                  const int32_t act_min,
                                                  const int32_t act_max)
{
    const int32_t v = arm_nn_conv_s16_quick(a, q);
    return (int16_t)(v < act_min ? act_min : (v > act_max ? act_max : v));
}
#endif

#if defined(ARM_MATH_MVEI)
/* Four lanes of the quick requantisation: mult16 = r << 16, neg_post =
 * 1 + shift (minus the post shift t - 16), clamped. */
static inline int32x4_t arm_nn_conv_s16_quick_vec(const int32x4_t a,
                                                  const int32x4_t mult16,
                                                  const int32x4_t neg_post,
                                                  const int32x4_t act_min,
                                                  const int32x4_t act_max)
{
    const int32x4_t v = vrshlq_s32(vmulhq_s32(a, mult16), neg_post);
    return vminq_s32(vmaxq_s32(v, act_min), act_max);
}
#endif

/* Columns of one im2col patch: KH * KW * C_IN (the s16 convolution is not
 * grouped, and callers leave filter_dims->c unset). */
static inline int32_t arm_nn_conv_s16_patch(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    return filter_dims->h * filter_dims->w * input_dims->c;
}

/* Convolution scratch of a DSP build: two int16 im2col columns. */
static inline int32_t arm_nn_conv_s16_buffer_size_dsp(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    return 2 * arm_nn_conv_s16_patch(input_dims, filter_dims) * (int32_t)sizeof(int16_t);
}

/* Convolution scratch of an MVE build: four int16 columns, each padded to a
 * multiple of 8 entries. */
static inline int32_t arm_nn_conv_s16_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    const int32_t padded = (arm_nn_conv_s16_patch(input_dims, filter_dims) + 7) & ~7;
    return 4 * padded * (int32_t)sizeof(int16_t);
}

/* Whether a DSP or MVE build of the depthwise wrapper takes the fast kernel:
 * channel multiplier 1 and no dilation. */
static inline int arm_nn_dw_s16_takes_fast(const cmsis_nn_dw_conv_params *dw_conv_params)
{
    return dw_conv_params->ch_mult == 1 && dw_conv_params->dilation.w == 1 && dw_conv_params->dilation.h == 1;
}

/* Scratch of arm_depthwise_conv_fast_s16 in a DSP build: one int16 patch of
 * KH * KW * C_IN entries. */
static inline int32_t arm_nn_dw_s16_fast_buffer_size_dsp(const cmsis_nn_dims *input_dims,
                                                         const cmsis_nn_dims *filter_dims)
{
    return input_dims->c * filter_dims->h * filter_dims->w * (int32_t)sizeof(int16_t);
}

/* ... and in an MVE build: four int16 patches and four more entries. */
static inline int32_t arm_nn_dw_s16_fast_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                         const cmsis_nn_dims *filter_dims)
{
    return (4 * input_dims->c * filter_dims->h * filter_dims->w + 4) * (int32_t)sizeof(int16_t);
}

/* The checks every s16 depthwise kernel makes on its arguments
 * (ARM_CMSIS_NN_SUCCESS or ARM_CMSIS_NN_ARG_ERROR). */
arm_cmsis_nn_status arm_nn_depthwise_conv_s16_check(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const int16_t *input_data,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const int8_t *filter_data,
                                                    const cmsis_nn_dims *output_dims,
                                                    const int16_t *output_data);

/* Direct depthwise convolution, any channel multiplier, dilation and batch
 * (arguments already checked): output channel ic * ch_mult + m reads input
 * channel ic; int64 accumulator starting at the bias (0 without one). */
void arm_nn_depthwise_conv_s16_core(const cmsis_nn_dw_conv_params *dw_conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int16_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter_data,
                                    const int64_t *bias_data,
                                    const cmsis_nn_dims *output_dims,
                                    int16_t *output_data);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_INTERNAL_ARM_NN_CONV_S16_H */
