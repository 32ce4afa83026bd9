/*
 * pycmsisnn: pycmsisnn_minimum_s16.
 *
 * int16 MINIMUM with broadcasting: the minimum of the raw values (the
 * inputs and the output share one quantisation), as TensorFlow Lite Micro.
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_broadcast_s16.h"

static int16_t minimum_element(const void *params, const int16_t a, const int16_t b)
{
    (void)params;
    return a < b ? a : b;
}

arm_cmsis_nn_status pycmsisnn_minimum_s16(const cmsis_nn_dims *input_1_dims,
                                          const int16_t *input_1,
                                          const cmsis_nn_dims *input_2_dims,
                                          const int16_t *input_2,
                                          const cmsis_nn_dims *output_dims,
                                          int16_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    if (input_1 == NULL || input_2 == NULL || output == NULL ||
        !arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, s1, s2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    pcn_broadcast_walk_s16(input_1, s1, input_2, s2, output, output_dims, minimum_element, NULL);
    return ARM_CMSIS_NN_SUCCESS;
}
