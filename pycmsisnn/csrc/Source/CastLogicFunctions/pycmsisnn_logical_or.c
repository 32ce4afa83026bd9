/*
 * pycmsisnn: pycmsisnn_logical_or.
 *
 * LOGICAL_OR of two bool tensors, broadcast to the output (NHWC, each
 * input dimension the output's or 1).
 *
 * The body is shared with its twin (pcn_logical, Internal/pycmsisnn_cast_logic_common.h).
 */
#include "pycmsisnn_cast_logic.h"
#include "Internal/pycmsisnn_cast_logic_common.h"

arm_cmsis_nn_status pycmsisnn_logical_or(const cmsis_nn_dims *input_1_dims,
                                         const bool *input_1,
                                         const cmsis_nn_dims *input_2_dims,
                                         const bool *input_2,
                                         const cmsis_nn_dims *output_dims,
                                         bool *output)
{
    return pcn_logical(input_1_dims, input_1, input_2_dims, input_2, output_dims, output, 1);
}
