/*
 * pycmsisnn: pycmsisnn_greater_equal_s8.
 *
 * GREATER_EQUAL of two int8 NHWC tensors with broadcasting, into bool (one byte
 * each): both inputs are brought to a common footing (offset, scaled up by
 * 2^left_shift, requantised by their own scale's multiplier) and the output
 * is (a >= b) of the two results, TensorFlow Lite Micro's integer comparison.
 */
#include "pycmsisnn_reduce_ops.h"
#include "Internal/pycmsisnn_reduce_ops_common.h"

arm_cmsis_nn_status pycmsisnn_greater_equal_s8(const pycmsisnn_compare_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               bool *output)
{
    return pcn_compare_s8(params, input_1_dims, input_1, input_2_dims, input_2, output_dims, output, PCN_CMP_GREATER_EQUAL);
}
