/*
 * pycmsisnn: int16 kernels of type conversions and tensor operators that
 * CMSIS-NN lacks (the int16 side of TFLite's 16x8 scheme, and the QUANTIZE
 * operators between int8, int16 and float32).
 *
 *   pycmsisnn_quantize_f32_s16    QUANTIZE float32 -> int16
 *   pycmsisnn_dequantize_s16      DEQUANTIZE int16 -> float32
 *   pycmsisnn_requantize_s16      QUANTIZE int16 -> int16 (new scale and zero point)
 *   pycmsisnn_requantize_s8_s16   QUANTIZE int8 -> int16
 *   pycmsisnn_requantize_s16_s8   QUANTIZE int16 -> int8
 *   pycmsisnn_mean_s16            MEAN over any set of axes of a rank <= 4 tensor
 *   pycmsisnn_strided_slice_s16   STRIDED_SLICE with resolved begins and strides
 *   pycmsisnn_pad_s16             PAD / PADV2 (arm_pad_s8's arguments, int16 data)
 *   pycmsisnn_transpose_s16       TRANSPOSE (arm_transpose_s8's arguments, int16 data)
 *   pycmsisnn_broadcast_add_s16   ADD with broadcasting
 *   pycmsisnn_broadcast_sub_s16   SUB with broadcasting (and without)
 *   pycmsisnn_broadcast_mul_s16   MUL with broadcasting
 *
 * The parameter structs are those of the int8 kernels
 * (pycmsisnn_activations.h, pycmsisnn_tensor_ops.h) and of CMSIS-NN
 * (arm_nn_types.h); only the element type differs. Concatenation and reshape
 * of int16 tensors need no kernel of their own: they are byte copies, done by
 * arm_concatenation_s8_* and arm_reshape_s8 on the bytes (two per element).
 * The element maps (quantize, dequantize, requantize) take each element on
 * its own. The broadcasting kernels are the int16 counterparts of the int8
 * ones: ADD and SUB take left_shift 15 (TensorFlow Lite's for int16), and
 * every offset is 0 (int16 tensors are symmetric); tensors are described by
 * cmsis_nn_dims in NHWC order, lower ranks with leading dimensions of 1, each
 * input dimension equal to the output's or 1 (then repeated along it). A
 * kernel returns ARM_CMSIS_NN_ARG_ERROR for a NULL pointer, a negative size,
 * a shift C cannot perform or dimensions that would make it read or write out
 * of bounds, ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_TENSOR_OPS_S16_H
#define PYCMSISNN_TENSOR_OPS_S16_H

#include "arm_nn_types.h"
#include "pycmsisnn_activations.h"
#include "pycmsisnn_tensor_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* q = round(x / scale) (float32 division, halves away from zero) + zero_point,
 * clamped to int16. A NaN gives the zero point; quotients beyond the int32
 * range saturate (TensorFlow Lite Micro leaves these undefined). */
arm_cmsis_nn_status pycmsisnn_quantize_f32_s16(const pycmsisnn_affine_params *params,
                                               const float *input,
                                               int16_t *output,
                                               int32_t size);

/* x = scale * (q - zero_point), one float32 rounding of the exact product. */
arm_cmsis_nn_status pycmsisnn_dequantize_s16(const pycmsisnn_affine_params *params,
                                             const int16_t *input,
                                             float *output,
                                             int32_t size);

/* The three requantisations: out = clamp(requantize(x + input_offset,
 * multiplier, shift) + output_offset) to the output type, the offset input
 * shifted left in 32 bits (wrapping) when shift > 0. */
arm_cmsis_nn_status pycmsisnn_requantize_s16(const pycmsisnn_requantize_params *params,
                                             const int16_t *input,
                                             int16_t *output,
                                             int32_t size);

arm_cmsis_nn_status pycmsisnn_requantize_s8_s16(const pycmsisnn_requantize_params *params,
                                                const int8_t *input,
                                                int16_t *output,
                                                int32_t size);

arm_cmsis_nn_status pycmsisnn_requantize_s16_s8(const pycmsisnn_requantize_params *params,
                                                const int16_t *input,
                                                int8_t *output,
                                                int32_t size);

/* MEAN: out = clamp(requantize(sum of (x + input_offset) over the reduced
 * elements, multiplier, shift) + output_offset, -32768, 32767), the sum in
 * 32 bits (wrapping). Each output dimension is the input's (kept) or 1
 * (reduced). */
arm_cmsis_nn_status pycmsisnn_mean_s16(const pycmsisnn_mean_params *params,
                                       const cmsis_nn_dims *input_dims,
                                       const int16_t *input,
                                       const cmsis_nn_dims *output_dims,
                                       int16_t *output);

/* output[i] = input[begin + i * stride] along every axis; every index taken
 * must lie inside the input. */
arm_cmsis_nn_status pycmsisnn_strided_slice_s16(const pycmsisnn_strided_slice_params *params,
                                                const cmsis_nn_dims *input_dims,
                                                const int16_t *input,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output);

/* Constant padding of an NHWC tensor: pre_pad and post_pad entries of
 * pad_value before and after each dimension. */
arm_cmsis_nn_status pycmsisnn_pad_s16(const int16_t *input,
                                      int16_t *output,
                                      const int16_t pad_value,
                                      const cmsis_nn_dims *input_size,
                                      const cmsis_nn_dims *pre_pad,
                                      const cmsis_nn_dims *post_pad);

/* Output axis i is input axis permutations[i]; a tensor of num_dims < 4
 * dimensions keeps its extents in the leading fields of cmsis_nn_dims. */
arm_cmsis_nn_status pycmsisnn_transpose_s16(const int16_t *input_data,
                                            int16_t *output_data,
                                            const cmsis_nn_dims *input_dims,
                                            const cmsis_nn_dims *output_dims,
                                            const cmsis_nn_transpose_params *transpose_params);

/* left_shift at most 16: an offset int16 input (17 bits) shifted by it stays
 * within int32. */
arm_cmsis_nn_status pycmsisnn_broadcast_add_s16(const pycmsisnn_add_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int16_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int16_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output);

arm_cmsis_nn_status pycmsisnn_broadcast_sub_s16(const pycmsisnn_add_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int16_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int16_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output);

/* The product of the two offset inputs is rescaled once to the output. */
arm_cmsis_nn_status pycmsisnn_broadcast_mul_s16(const pycmsisnn_mul_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int16_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int16_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output);

#ifdef __cplusplus
}
#endif

#endif /* PYCMSISNN_TENSOR_OPS_S16_H */
