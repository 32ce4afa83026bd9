/*
 * pycmsisnn: int16 (16x8) tensor-operator kernels that CMSIS-NN lacks.
 *
 *   pycmsisnn_broadcast_add_s16   ADD with broadcasting
 *   pycmsisnn_broadcast_sub_s16   SUB with broadcasting (and without)
 *   pycmsisnn_broadcast_mul_s16   MUL with broadcasting
 *
 * The int16 counterparts of the int8 broadcasting kernels of
 * pycmsisnn_tensor_ops.h, with the same parameter structs: ADD and SUB take
 * left_shift 15 (TensorFlow Lite's for int16), and every offset is 0 (int16
 * tensors are symmetric). Tensors are described by cmsis_nn_dims in NHWC
 * order, lower ranks with leading dimensions of 1; each input dimension
 * equals the output's or is 1 (then repeated along it). Every kernel returns
 * ARM_CMSIS_NN_ARG_ERROR for arguments that would make it read or write out
 * of bounds or shift by more than C allows, ARM_CMSIS_NN_SUCCESS otherwise.
 */
#ifndef PYCMSISNN_TENSOR_OPS_S16_H
#define PYCMSISNN_TENSOR_OPS_S16_H

#include "arm_nn_types.h"
#include "pycmsisnn_tensor_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

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
