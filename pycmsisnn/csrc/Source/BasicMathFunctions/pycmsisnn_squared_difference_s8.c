/*
 * pycmsisnn: pycmsisnn_squared_difference_s8.
 *
 * int8 SQUARED_DIFFERENCE with broadcasting, as TensorFlow Lite Micro
 * evaluates it: each offset input is shifted left by left_shift (7) and
 * rescaled onto half of twice the larger input scale, as ADD does; the square
 * of the difference is rescaled to the output, offset and clamped.
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"

static int8_t squared_difference_element(const void *params, const int8_t x1, const int8_t x2)
{
    const pycmsisnn_squared_difference_params *p = (const pycmsisnn_squared_difference_params *)params;
    const int32_t a = arm_nn_requantize(((int32_t)x1 + p->input_1_offset) * (1 << p->left_shift), p->input_1_mult, p->input_1_shift);
    const int32_t b = arm_nn_requantize(((int32_t)x2 + p->input_2_offset) * (1 << p->left_shift), p->input_2_mult, p->input_2_shift);
    const int32_t d = a - b; /* each of a, b is below 2^15 in magnitude */
    return arm_nn_requantize_clamp_s8(d * d, p->output_mult, p->output_shift, p->output_offset, NN_Q7_MIN, NN_Q7_MAX);
}

arm_cmsis_nn_status pycmsisnn_squared_difference_s8(const pycmsisnn_squared_difference_params *params,
                                                    const cmsis_nn_dims *input_1_dims,
                                                    const int8_t *input_1,
                                                    const cmsis_nn_dims *input_2_dims,
                                                    const int8_t *input_2,
                                                    const cmsis_nn_dims *output_dims,
                                                    int8_t *output)
{
    int32_t s1[4];
    int32_t s2[4];
    if (params == NULL || input_1 == NULL || input_2 == NULL || output == NULL ||
        !arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, s1, s2) || params->left_shift < 0 ||
        params->left_shift > 7 || params->input_1_shift < -31 || params->input_1_shift > 0 || params->input_2_shift < -31 ||
        params->input_2_shift > 0 || params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    arm_nn_broadcast_walk_s8(input_1, s1, input_2, s2, output, output_dims, squared_difference_element, params);
    return ARM_CMSIS_NN_SUCCESS;
}
