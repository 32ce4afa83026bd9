/*
 * pycmsisnn: elementwise math and activation kernels that CMSIS-NN lacks
 * (int8, and int16 with zero point 0 where TensorFlow Lite Micro runs them).
 *
 *   pycmsisnn_abs_s8 / _s16                   ABS: |x - zp_in| requantised to the output
 *   pycmsisnn_rsqrt_s8 / _s16                 RSQRT: fixed-point 1 / sqrt of the offset input
 *   pycmsisnn_l2_normalization_s8             L2_NORMALIZATION over the innermost dimension
 *   pycmsisnn_lut_s8                          any int8 -> int8 map by a 256-entry table (ELU)
 *   pycmsisnn_prelu_s8 / _s16                 PRELU, int8 alpha broadcast against the input
 *   pycmsisnn_squared_difference_s8 / _s16    SQUARED_DIFFERENCE with broadcasting
 *   pycmsisnn_minimum_s16 / pycmsisnn_maximum_s16   raw int16 MINIMUM / MAXIMUM with broadcasting
 *   pycmsisnn_log_softmax_s8                  LOG_SOFTMAX over the innermost dimension
 *   pycmsisnn_div_s8                          DIV with broadcasting
 *   pycmsisnn_add_n_s8                        ADD_N of two or more same-shaped inputs
 *
 * All parameters are derived by the caller (pycmsisnn.quant) with the
 * arithmetic of TensorFlow Lite Micro's reference kernels; the kernels only
 * evaluate them. Tensors of the broadcasting kernels are described by
 * cmsis_nn_dims in NHWC order (lower ranks with leading dimensions of 1); each
 * input dimension equals the output's or is 1. A kernel returns
 * ARM_CMSIS_NN_ARG_ERROR for a NULL pointer, a negative size, a parameter
 * outside its documented range or shapes that do not broadcast,
 * ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_MATH_OPS_H
#define PYCMSISNN_MATH_OPS_H

#include "arm_nn_types.h"
#include "pycmsisnn_activations.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ABS: out = clamp(requantize(|x + input_offset|, multiplier, shift) + output_offset). */
arm_cmsis_nn_status pycmsisnn_abs_s8(const pycmsisnn_requantize_params *params,
                                     const int8_t *input,
                                     int8_t *output,
                                     int32_t size);

arm_cmsis_nn_status pycmsisnn_abs_s16(const pycmsisnn_requantize_params *params,
                                      const int16_t *input,
                                      int16_t *output,
                                      int32_t size);

/* RSQRT: v = x + input_offset; v == 0 gives the largest output value; v > 0
 * gives clamp(requantize(r, multiplier, shift - 20) + output_offset) where r is
 * 2^20 / sqrt(v) in the fixed point of a 5-step Newton iteration and the
 * multiplier and shift quantise 1 / (sqrt(s_in) * s_out). A negative v (no
 * real result; TensorFlow Lite Micro fails there too) stops the kernel with
 * ARM_CMSIS_NN_ARG_ERROR. -11 <= shift <= 50. */
arm_cmsis_nn_status pycmsisnn_rsqrt_s8(const pycmsisnn_requantize_params *params,
                                       const int8_t *input,
                                       int8_t *output,
                                       int32_t size);

arm_cmsis_nn_status pycmsisnn_rsqrt_s16(const pycmsisnn_requantize_params *params,
                                        const int16_t *input,
                                        int16_t *output,
                                        int32_t size);

/* L2_NORMALIZATION of `outer` rows of `depth` elements: each offset element
 * times 128 / sqrt(sum of the row's squared offset elements), rounded once,
 * clamped to int8 (output scale 1/128, zero point 0). */
arm_cmsis_nn_status pycmsisnn_l2_normalization_s8(int32_t input_offset,
                                                  const int8_t *input,
                                                  int8_t *output,
                                                  int32_t outer,
                                                  int32_t depth);

/* out[i] = table[input[i] + 128]. */
arm_cmsis_nn_status pycmsisnn_lut_s8(const int8_t *table, const int8_t *input, int8_t *output, int32_t size);

/* PRELU: v = x + input_offset; out = clamp(output_offset + (v >= 0 ?
 * requantize(v, identity_multiplier, identity_shift) : requantize(v * (alpha +
 * alpha_offset), alpha_multiplier, alpha_shift))) to the output type. */
typedef struct
{
    int32_t input_offset;        /* minus the input zero point */
    int32_t alpha_offset;        /* minus the alpha zero point */
    int32_t output_offset;       /* the output zero point */
    int32_t identity_multiplier; /* Q31 of s_in / s_out */
    int32_t identity_shift;      /* its exponent, -31..31 */
    int32_t alpha_multiplier;    /* Q31 of s_in * s_alpha / s_out */
    int32_t alpha_shift;         /* its exponent, -31..31 */
} pycmsisnn_prelu_params;

arm_cmsis_nn_status pycmsisnn_prelu_s8(const pycmsisnn_prelu_params *params,
                                       const cmsis_nn_dims *input_dims,
                                       const int8_t *input,
                                       const cmsis_nn_dims *alpha_dims,
                                       const int8_t *alpha,
                                       const cmsis_nn_dims *output_dims,
                                       int8_t *output);

arm_cmsis_nn_status pycmsisnn_prelu_s16(const pycmsisnn_prelu_params *params,
                                        const cmsis_nn_dims *input_dims,
                                        const int16_t *input,
                                        const cmsis_nn_dims *alpha_dims,
                                        const int8_t *alpha,
                                        const cmsis_nn_dims *output_dims,
                                        int16_t *output);

/* SQUARED_DIFFERENCE: each offset input shifted left by left_shift (7 for
 * int8, 0 for int16) and rescaled as ADD's; the difference squared is
 * rescaled to the output, offset and clamped to the output type. */
typedef struct
{
    int32_t input_1_offset; /* minus the zero point of input 1 */
    int32_t input_1_mult;   /* Q31 multiplier of s1 / (2 * max(s1, s2)) */
    int32_t input_1_shift;  /* its exponent, -31..0 */
    int32_t input_2_offset; /* minus the zero point of input 2 */
    int32_t input_2_mult;   /* Q31 multiplier of s2 / (2 * max(s1, s2)) */
    int32_t input_2_shift;  /* its exponent, -31..0 */
    int32_t left_shift;     /* 7 (int8) or 0 (int16) */
    int32_t output_offset;  /* the output zero point */
    int32_t output_mult;    /* Q31 multiplier of (2 * max(s1, s2))^2 / (2^(2 * left_shift) * s_out) */
    int32_t output_shift;   /* its exponent, -31..31 */
} pycmsisnn_squared_difference_params;

arm_cmsis_nn_status pycmsisnn_squared_difference_s8(const pycmsisnn_squared_difference_params *params,
                                                    const cmsis_nn_dims *input_1_dims,
                                                    const int8_t *input_1,
                                                    const cmsis_nn_dims *input_2_dims,
                                                    const int8_t *input_2,
                                                    const cmsis_nn_dims *output_dims,
                                                    int8_t *output);

arm_cmsis_nn_status pycmsisnn_squared_difference_s16(const pycmsisnn_squared_difference_params *params,
                                                     const cmsis_nn_dims *input_1_dims,
                                                     const int16_t *input_1,
                                                     const cmsis_nn_dims *input_2_dims,
                                                     const int16_t *input_2,
                                                     const cmsis_nn_dims *output_dims,
                                                     int16_t *output);

/* Raw elementwise minimum / maximum of int16 values (one shared quantisation). */
arm_cmsis_nn_status pycmsisnn_minimum_s16(const cmsis_nn_dims *input_1_dims,
                                          const int16_t *input_1,
                                          const cmsis_nn_dims *input_2_dims,
                                          const int16_t *input_2,
                                          const cmsis_nn_dims *output_dims,
                                          int16_t *output);

arm_cmsis_nn_status pycmsisnn_maximum_s16(const cmsis_nn_dims *input_1_dims,
                                          const int16_t *input_1,
                                          const cmsis_nn_dims *input_2_dims,
                                          const int16_t *input_2,
                                          const cmsis_nn_dims *output_dims,
                                          int16_t *output);

/* LOG_SOFTMAX of `num_rows` rows of `row_size` int8 elements (output scale
 * 1/16, zero point 127). Each difference d to the row maximum is scaled into
 * Q5.26 by input_multiplier and input_left_shift (d << shift times the Q31
 * multiplier); the exponentials of the differences at or above diff_min sum
 * into Q12.19 and L is the Q5.26 logarithm of that sum. An element whose
 * difference exceeds max(diff_min - 1, (L + INT32_MIN) requantised by
 * reverse_multiplier and reverse_shift) becomes (scaled d - L) / 2^22 rounded,
 * plus 127, clamped; the others -128. row_size <= 4095 (so the sum cannot
 * overflow), 1 <= input_left_shift <= 31, -31 <= reverse_shift <= 0,
 * diff_min <= 0. */
typedef struct
{
    int32_t input_multiplier;   /* Q31 of s_in * 2^26 (above 1) */
    int32_t input_left_shift;   /* its exponent, 1..31 */
    int32_t reverse_multiplier; /* Q31 of 2^(31 - input_left_shift) / input_multiplier */
    int32_t reverse_shift;      /* its exponent, -31..0 */
    int32_t diff_min;           /* the most negative difference counted in the sum */
} pycmsisnn_log_softmax_params;

arm_cmsis_nn_status pycmsisnn_log_softmax_s8(const pycmsisnn_log_softmax_params *params,
                                             const int8_t *input,
                                             int32_t num_rows,
                                             int32_t row_size,
                                             int8_t *output);

/* DIV: n = x1 + input_1_offset, d = x2 + input_2_offset, both negated when d
 * is negative; the Q31 reciprocal of d (1 / (1 + m) of d's mantissa m by
 * three Newton-Raphson steps, wrapping as the reference does) times n shifted
 * left by its headroom, then requantised by output_multiplier with the
 * exponent output_shift - (d's bits above one) - headroom, offset and clamped
 * to [activation_min, activation_max]. That exponent can fall below -31
 * (a quotient far below the output step); the rounding division by 2^e then
 * behaves as TensorFlow Lite Micro's x86-64 build: an all-ones mask and a
 * shift by e modulo 32. A divisor at its zero point (d = 0) gives the value
 * TensorFlow Lite Micro computes there (its reciprocal of 0 wraps). -25 <=
 * output_shift <= 22 keeps every exponent in [0, 63]. */
typedef struct
{
    int32_t input_1_offset;    /* minus the zero point of input 1 */
    int32_t input_2_offset;    /* minus the zero point of input 2 */
    int32_t output_offset;     /* the output zero point */
    int32_t output_multiplier; /* Q31 of s1 / (s2 * s_out) */
    int32_t output_shift;      /* its exponent, -25..22 */
    int32_t activation_min;    /* the fused activation's clamp, in int8 */
    int32_t activation_max;
} pycmsisnn_div_params;

arm_cmsis_nn_status pycmsisnn_div_s8(const pycmsisnn_div_params *params,
                                     const cmsis_nn_dims *input_1_dims,
                                     const int8_t *input_1,
                                     const cmsis_nn_dims *input_2_dims,
                                     const int8_t *input_2,
                                     const cmsis_nn_dims *output_dims,
                                     int8_t *output);

/* ADD_N of num_inputs (>= 2) int8 arrays of `size` elements sharing one
 * scale and zero point: acc = (input_offset + sum over the inputs of
 * (x + input_offset)) * 2^19 (TensorFlow Lite Micro's sum starts from the
 * offset zero), requantised by output_multiplier and output_shift, offset and
 * clamped to int8. The caller keeps acc within int32. */
typedef struct
{
    int32_t input_offset;      /* minus the inputs' zero point */
    int32_t output_offset;     /* the output zero point */
    int32_t output_multiplier; /* Q31 of 2 s_in / (2^20 s_out) */
    int32_t output_shift;      /* its exponent, -31..0 */
} pycmsisnn_add_n_params;

arm_cmsis_nn_status pycmsisnn_add_n_s8(const pycmsisnn_add_n_params *params,
                                       const int8_t *const *inputs,
                                       int32_t num_inputs,
                                       int8_t *output,
                                       int32_t size);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_MATH_OPS_H */
