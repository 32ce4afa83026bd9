/*
 * pycmsisnn: int8 activation and type-conversion kernels that CMSIS-NN lacks.
 *
 *   pycmsisnn_logistic_s8        LOGISTIC, output scale 1/256, zero point -128
 *   pycmsisnn_tanh_s8            TANH, output scale 1/128, zero point 0
 *   pycmsisnn_relu_s8            RELU, RELU6, RELU_N1_TO_1: requantise and clamp
 *   pycmsisnn_leaky_relu_s8      LEAKY_RELU: one multiplier per sign of the input
 *   pycmsisnn_hard_swish_s8      HARD_SWISH in 16-bit fixed point
 *   pycmsisnn_requantize_s8      QUANTIZE int8 -> int8 (new scale and zero point)
 *   pycmsisnn_quantize_f32_s8    QUANTIZE float32 -> int8
 *   pycmsisnn_dequantize_s8      DEQUANTIZE int8 -> float32
 *
 * Every kernel maps each of `size` elements on its own, so the input and the
 * output may be the same buffer. All parameters are derived by the caller
 * (pycmsisnn's lowering) with the arithmetic of TensorFlow Lite Micro's
 * reference kernels; the kernels only evaluate them. A kernel returns
 * ARM_CMSIS_NN_ARG_ERROR for a NULL pointer, a negative size or a shift that
 * C cannot perform, ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_ACTIVATIONS_H
#define PYCMSISNN_ACTIVATIONS_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* LOGISTIC and TANH: the offset input is brought to fixed point with 4 integer
 * bits (Q4.27) by one requantisation, then evaluated in fixed point. Offset
 * inputs at or beyond +-input_range_radius saturate the output. */
typedef struct
{
    int32_t input_offset;       /* minus the input zero point */
    int32_t input_multiplier;   /* Q31 mantissa of input scale * 2^27 */
    int32_t input_left_shift;   /* its exponent, 0 <= shift <= 31 (a left shift) */
    int32_t input_range_radius; /* largest offset input magnitude that does not saturate, plus one */
} pycmsisnn_sigmoid_tanh_params;

/* RELU family and plain requantisation with a clamp:
 * out = clamp(requantize(x + input_offset, multiplier, shift) + output_offset,
 *             activation.min, activation.max). */
typedef struct
{
    int32_t input_offset;           /* minus the input zero point */
    int32_t output_offset;          /* the output zero point */
    int32_t output_multiplier;      /* Q31 multiplier of s_in / s_out */
    int32_t output_shift;           /* its exponent: > 0 left, < 0 right */
    cmsis_nn_activation activation; /* output clamp, in the output's quantised domain */
} pycmsisnn_relu_params;

/* LEAKY_RELU: offset inputs >= 0 use the identity multiplier (s_in / s_out),
 * negative ones the alpha multiplier (alpha * s_in / s_out, which may be
 * negative); the result is offset and clamped to int8. */
typedef struct
{
    int32_t input_offset;        /* minus the input zero point */
    int32_t output_offset;       /* the output zero point */
    int32_t identity_multiplier; /* Q31 multiplier of s_in / s_out */
    int32_t identity_shift;      /* its exponent */
    int32_t alpha_multiplier;    /* Q31 multiplier of alpha * s_in / s_out (signed) */
    int32_t alpha_shift;         /* its exponent */
} pycmsisnn_leaky_relu_params;

/* HARD_SWISH: x * relu6(x + 3) / 6 in 16-bit fixed point. The offset input is
 * scaled by 2^7 ("high-resolution input"); output_multiplier takes that to the
 * output scale, reluish_multiplier to a scale on which 3.0 is 2^15. */
typedef struct
{
    int32_t input_offset;       /* minus the input zero point */
    int32_t output_offset;      /* the output zero point */
    int16_t output_multiplier;  /* Q15 multiplier of s_in / (128 * s_out) */
    int16_t reluish_multiplier; /* Q15 multiplier of s_in / (128 * 3 / 32768) */
    int32_t output_shift;       /* exponent of output_multiplier, -15 <= shift <= 0 */
    int32_t reluish_shift;      /* exponent of reluish_multiplier, -15 <= shift <= 30 */
} pycmsisnn_hard_swish_params;

/* QUANTIZE int8 -> int8: out = clamp(requantize(x + input_offset, multiplier,
 * shift) + output_offset, -128, 127). */
typedef struct
{
    int32_t input_offset;  /* minus the input zero point */
    int32_t output_offset; /* the output zero point */
    int32_t multiplier;    /* Q31 multiplier of s_in / s_out */
    int32_t shift;         /* its exponent: > 0 left, < 0 right */
} pycmsisnn_requantize_params;

/* The affine map between float32 and int8: real = scale * (q - zero_point). */
typedef struct
{
    float scale;        /* > 0, as stored in the model (float32) */
    int32_t zero_point; /* -128 <= zero_point <= 127 */
} pycmsisnn_affine_params;

arm_cmsis_nn_status pycmsisnn_logistic_s8(const pycmsisnn_sigmoid_tanh_params *params,
                                          const int8_t *input,
                                          int8_t *output,
                                          int32_t size);

arm_cmsis_nn_status pycmsisnn_tanh_s8(const pycmsisnn_sigmoid_tanh_params *params,
                                      const int8_t *input,
                                      int8_t *output,
                                      int32_t size);

arm_cmsis_nn_status pycmsisnn_relu_s8(const pycmsisnn_relu_params *params,
                                      const int8_t *input,
                                      int8_t *output,
                                      int32_t size);

arm_cmsis_nn_status pycmsisnn_leaky_relu_s8(const pycmsisnn_leaky_relu_params *params,
                                            const int8_t *input,
                                            int8_t *output,
                                            int32_t size);

arm_cmsis_nn_status pycmsisnn_hard_swish_s8(const pycmsisnn_hard_swish_params *params,
                                            const int8_t *input,
                                            int8_t *output,
                                            int32_t size);

arm_cmsis_nn_status pycmsisnn_requantize_s8(const pycmsisnn_requantize_params *params,
                                            const int8_t *input,
                                            int8_t *output,
                                            int32_t size);

/* q = round(x / scale) (float32 division, halves away from zero) + zero_point,
 * clamped to int8. A NaN gives the zero point; values whose quotient is beyond
 * the int32 range saturate (TensorFlow Lite Micro leaves these undefined). */
arm_cmsis_nn_status pycmsisnn_quantize_f32_s8(const pycmsisnn_affine_params *params,
                                              const float *input,
                                              int8_t *output,
                                              int32_t size);

/* x = scale * (q - zero_point), one float32 rounding of the exact product. */
arm_cmsis_nn_status pycmsisnn_dequantize_s8(const pycmsisnn_affine_params *params,
                                            const int8_t *input,
                                            float *output,
                                            int32_t size);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_ACTIVATIONS_H */
