/*
 * pycmsisnn: pycmsisnn_broadcast_add_s16.
 *
 * Quantised ADD of two int16 NHWC tensors with
 * broadcasting, as TensorFlow Lite Micro's int16 reference kernel: each
 * offset input is scaled up by 2^left_shift (15), rescaled onto a common
 * scale with its own multiplier, the two are summed and the sum is
 * rescaled to the output, offset and clamped.
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

/* One output element of the quantised sum. */
static int16_t add_element(const void *params, const int16_t x1, const int16_t x2)
{
    const pycmsisnn_add_params *p = (const pycmsisnn_add_params *)params;
    const int32_t a = arm_nn_shift_left_wrap((int32_t)x1 + p->input_1_offset, p->left_shift);
    const int32_t b = arm_nn_shift_left_wrap((int32_t)x2 + p->input_2_offset, p->left_shift);
    const int32_t a_scaled = arm_nn_requantize(a, p->input_1_mult, p->input_1_shift);
    const int32_t b_scaled = arm_nn_requantize(b, p->input_2_mult, p->input_2_shift);
    /* Wraps in 32 bits instead of overflowing (never reached with parameters
     * derived from real scales: each scaled input stays below 2^30). */
    const int32_t sum = (int32_t)((uint32_t)a_scaled + (uint32_t)b_scaled);
    return pcn_requantize_clamp_s16(
        sum, p->output_mult, p->output_shift, p->output_offset, p->activation.min, p->activation.max);
}

arm_cmsis_nn_status pycmsisnn_broadcast_add_s16(const pycmsisnn_add_params *params,
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
    if (params->left_shift < 0 || params->left_shift > 16 || params->input_1_shift < -31 || params->input_1_shift > 31 ||
        params->input_2_shift < -31 || params->input_2_shift > 31 || params->output_shift < -31 || params->output_shift > 31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    pcn_broadcast_walk_s16(input_1, steps_1, input_2, steps_2, output, output_dims, add_element, params);

    return ARM_CMSIS_NN_SUCCESS;
}
