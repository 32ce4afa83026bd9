/*
 * pycmsisnn: int16 (16x8) convolution and fully-connected kernels that
 * CMSIS-NN lacks.
 *
 *   pycmsisnn_transpose_conv_s16               TRANSPOSE_CONV, int64 bias
 *   pycmsisnn_fully_connected_per_channel_s16  FULLY_CONNECTED with per-channel
 *                                              weights (or an int32 bias)
 *
 * Activations are int16 and symmetric (zero point 0: the offsets of the
 * parameter structs are not read), weights int8, as in Arm's s16 kernels.
 * Each output is the exact sum of input times weight plus the bias,
 * requantised as TensorFlow Lite Micro's reference kernels do: with a 64-bit
 * accumulator the multiplier is reduced to Q15 and the sum shifted right by
 * 15 - shift with one rounding (shift at most 14); with an int32 bias the
 * sum wraps in 32 bits and is requantised as an int8 kernel's (double
 * rounding). The result is clamped to the activation range. Every kernel
 * returns ARM_CMSIS_NN_ARG_ERROR for arguments that would make it read or
 * write out of bounds, ARM_CMSIS_NN_SUCCESS otherwise; neither needs scratch.
 */
#ifndef PYCMSISNN_CONV_FC_S16_H
#define PYCMSISNN_CONV_FC_S16_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Input [N, H, W, C_IN], filter [C_OUT, KH, KW, C_IN], bias int64 [C_OUT] or
 * NULL, output [N, OH, OW, C_OUT] (the shape the model gives). Input pixel
 * (y, x) through tap (ky, kx) lands on output (y * stride.h - padding.h + ky,
 * x * stride.w - padding.w + kx); taps landing outside the output are
 * dropped. padding_offsets and dilation are not read (TRANSPOSE_CONV has no
 * dilation). */
arm_cmsis_nn_status pycmsisnn_transpose_conv_s16(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                 const cmsis_nn_per_channel_quant_params *quant_params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const int16_t *input_data,
                                                 const cmsis_nn_dims *filter_dims,
                                                 const int8_t *filter_data,
                                                 const cmsis_nn_dims *bias_dims,
                                                 const int64_t *bias_data,
                                                 const cmsis_nn_dims *output_dims,
                                                 int16_t *output_data);

/* As arm_fully_connected_s16 (input [input_dims->n, filter_dims->n], weights
 * [output_dims->c, filter_dims->n]) with one multiplier and shift per output
 * channel, and the bias as arm_convolve_s16 takes it: int64 (64-bit
 * accumulator) or, with is_int32_bias, int32 (32-bit accumulator); its data
 * may be NULL (no bias). */
arm_cmsis_nn_status pycmsisnn_fully_connected_per_channel_s16(const cmsis_nn_fc_params *fc_params,
                                                              const cmsis_nn_per_channel_quant_params *quant_params,
                                                              const cmsis_nn_dims *input_dims,
                                                              const int16_t *input_data,
                                                              const cmsis_nn_dims *filter_dims,
                                                              const int8_t *filter_data,
                                                              const cmsis_nn_dims *bias_dims,
                                                              const cmsis_nn_bias_data *bias_data,
                                                              const cmsis_nn_dims *output_dims,
                                                              int16_t *output_data);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_CONV_FC_S16_H */
