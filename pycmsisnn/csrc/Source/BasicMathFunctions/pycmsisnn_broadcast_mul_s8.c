/*
 * pycmsisnn: pycmsisnn_broadcast_mul_s8.
 *
 * Quantised MUL of two int8 NHWC tensors with broadcasting: the exact
 * product of the two offset inputs is rescaled once to the output scale,
 * offset and clamped (TensorFlow Lite's integer MUL recipe).
 *
 * Each input dimension equals the output's or is 1; a dimension of 1 is
 * repeated along the output (NumPy / TFLite broadcasting, right-aligned
 * shapes padded to four dimensions by the caller).
 */
#include "pycmsisnn_tensor_ops.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "Internal/arm_nn_broadcast_s8.h"
#include "Internal/pycmsisnn_arith.h"

/* One output element of the quantised product. */
static int8_t mul_element(const void *params, const int8_t x1, const int8_t x2)
{
    const pycmsisnn_mul_params *p = (const pycmsisnn_mul_params *)params;
    /* Offset int8 values fit in 9 bits, so the product fits in int32; the
     * unsigned arithmetic (same low 32 bits) only keeps out-of-contract
     * offsets well defined. */
    const uint32_t a = (uint32_t)(int32_t)x1 + (uint32_t)p->input_1_offset;
    const uint32_t b = (uint32_t)(int32_t)x2 + (uint32_t)p->input_2_offset;
    const int32_t prod = (int32_t)(a * b);
    return arm_nn_requantize_clamp_s8(
        prod, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

arm_cmsis_nn_status pycmsisnn_broadcast_mul_s8(const pycmsisnn_mul_params *params,
                                               const cmsis_nn_dims *input_1_dims,
                                               const int8_t *input_1,
                                               const cmsis_nn_dims *input_2_dims,
                                               const int8_t *input_2,
                                               const cmsis_nn_dims *output_dims,
                                               int8_t *output)
{
    if (params == NULL || input_1_dims == NULL || input_2_dims == NULL || output_dims == NULL || input_1 == NULL ||
        input_2 == NULL || output == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    int32_t steps_1[4];
    int32_t steps_2[4];
    if (!arm_nn_broadcast_pair(input_1_dims, input_2_dims, output_dims, steps_1, steps_2))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    arm_nn_broadcast_walk_s8(input_1, steps_1, input_2, steps_2, output, output_dims, mul_element, params);

    return ARM_CMSIS_NN_SUCCESS;
}
