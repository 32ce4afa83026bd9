/*
 * pycmsisnn: pycmsisnn_select_s8.
 *
 * SELECT_V2 of int8_t NHWC tensors: output = condition ? input_1 : input_2,
 * the condition (bool, one byte each) and both inputs broadcast to the output.
 * Values are copied: all three value tensors share their quantisation.
 */
#include "pycmsisnn_reduce_ops.h"
#include "Internal/pycmsisnn_reduce_ops_common.h"

arm_cmsis_nn_status pycmsisnn_select_s8(const cmsis_nn_dims *condition_dims,
                                        const bool *condition,
                                        const cmsis_nn_dims *input_1_dims,
                                        const int8_t *input_1,
                                        const cmsis_nn_dims *input_2_dims,
                                        const int8_t *input_2,
                                        const cmsis_nn_dims *output_dims,
                                        int8_t *output)
{
    PCN_SELECT_BODY(int8_t);
}
