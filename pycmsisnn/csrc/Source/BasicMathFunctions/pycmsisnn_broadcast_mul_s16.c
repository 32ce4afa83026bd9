/*
 * pycmsisnn: pycmsisnn_broadcast_mul_s16.
 *
 * Quantised MUL of two int16 NHWC tensors with broadcasting, as TensorFlow
 * Lite Micro's int16 reference kernel: the exact product of the two offset
 * inputs is rescaled once to the output scale (double rounding), offset and
 * clamped.
 *
 * Each input dimension equals the output's or is 1; a dimension of 1 is
 * repeated along the output (NumPy / TFLite broadcasting, right-aligned
 * shapes padded to four dimensions by the caller).
 */
#include "pycmsisnn_tensor_ops_s16.h"
#include "arm_nn_types.h"
#include "arm_nn_math_types.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_broadcast_s16.h"

/* One output element of the quantised product. */
static int16_t mul_element(const void *params, const int16_t x1, const int16_t x2)
{
    const pycmsisnn_mul_params *p = (const pycmsisnn_mul_params *)params;
    /* With the zero offsets of int16 tensors |product| <= 2^30; the unsigned
     * arithmetic (same low 32 bits) only keeps other offsets well defined. */
    const uint32_t a = (uint32_t)(int32_t)x1 + (uint32_t)p->input_1_offset;
    const uint32_t b = (uint32_t)(int32_t)x2 + (uint32_t)p->input_2_offset;
    const int32_t prod = (int32_t)(a * b);
    return pcn_requantize_clamp_s16(
        prod, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

arm_cmsis_nn_status pycmsisnn_broadcast_mul_s16(const pycmsisnn_mul_params *params,
                                                const cmsis_nn_dims *input_1_dims,
                                                const int16_t *input_1,
                                                const cmsis_nn_dims *input_2_dims,
                                                const int16_t *input_2,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output)
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

    pcn_broadcast_walk_s16(input_1, steps_1, input_2, steps_2, output, output_dims, mul_element, params);

    return ARM_CMSIS_NN_SUCCESS;
}
