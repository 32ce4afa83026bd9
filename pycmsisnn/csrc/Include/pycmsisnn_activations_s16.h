/*
 * pycmsisnn: int16 (16x8) activation kernels that CMSIS-NN lacks.
 *
 *   pycmsisnn_logistic_s16     LOGISTIC for any input scale, output scale 2^-15
 *   pycmsisnn_tanh_s16         TANH for any input scale, output scale 2^-15
 *   pycmsisnn_relu_s16         RELU, RELU6: requantise and clamp
 *   pycmsisnn_leaky_relu_s16   LEAKY_RELU: one multiplier per sign of the input
 *
 * int16 tensors are symmetric (zero point 0), as TensorFlow Lite Micro
 * requires of them; the offsets of the shared parameter structs are then 0.
 * Every kernel maps each of `size` elements on its own, so the input and the
 * output may be the same buffer. All parameters are derived by the caller
 * (pycmsisnn's lowering) with the arithmetic of TensorFlow Lite Micro's
 * reference kernels. A kernel returns ARM_CMSIS_NN_ARG_ERROR for a NULL
 * pointer, a negative size or a parameter outside its documented range,
 * ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_ACTIVATIONS_S16_H
#define PYCMSISNN_ACTIVATIONS_S16_H

#include "arm_nn_types.h"
#include "pycmsisnn_activations.h"

#ifdef __cplusplus
extern "C" {
#endif

/* LOGISTIC and TANH (int16): the input is rescaled to the look-up table's
 * scale of 1 / (3 * 4096) as (x * input_multiplier + round) >> input_left_shift
 * (round: half of the shift's unit, 0 without shift), then looked up. */
typedef struct
{
    int32_t input_multiplier; /* 1 <= multiplier <= 65535 */
    int32_t input_left_shift; /* 0 <= shift <= 31: despite the name, a right shift (TFLite's) */
} pycmsisnn_sigmoid_tanh_s16_params;

arm_cmsis_nn_status pycmsisnn_logistic_s16(const pycmsisnn_sigmoid_tanh_s16_params *params,
                                           const int16_t *input,
                                           int16_t *output,
                                           int32_t size);

arm_cmsis_nn_status pycmsisnn_tanh_s16(const pycmsisnn_sigmoid_tanh_s16_params *params,
                                       const int16_t *input,
                                       int16_t *output,
                                       int32_t size);

/* out = clamp(requantize(x + input_offset, output_multiplier, output_shift) +
 * output_offset, activation.min, activation.max), the clamp within int16; a
 * multiplier of 2^30 with shift 1 is the identity (RELU6: clamp only). */
arm_cmsis_nn_status pycmsisnn_relu_s16(const pycmsisnn_relu_params *params,
                                       const int16_t *input,
                                       int16_t *output,
                                       int32_t size);

/* Offset inputs >= 0 use the identity multiplier, negative ones the alpha
 * multiplier; the result is offset and clamped to int16. */
arm_cmsis_nn_status pycmsisnn_leaky_relu_s16(const pycmsisnn_leaky_relu_params *params,
                                             const int16_t *input,
                                             int16_t *output,
                                             int32_t size);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_ACTIVATIONS_S16_H */
