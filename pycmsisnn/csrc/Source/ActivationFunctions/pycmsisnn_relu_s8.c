/*
 * pycmsisnn: pycmsisnn_relu_s8.
 *
 * Quantised RELU, RELU6 and RELU_N1_TO_1: the offset input is requantised to
 * the output scale, offset by the output zero point and clamped to the
 * activation range, which holds the quantised bounds of the function (e.g.
 * [zero point, 127] for RELU). A multiplier of 2^30 with shift 1 is the
 * identity: the kernel then only clamps, with no multiply.
 */
#include "pycmsisnn_activations.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_relu_s8(const pycmsisnn_relu_params *params,
                                      const int8_t *input,
                                      int8_t *output,
                                      int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->output_shift > 31 ||
        params->output_shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t lo = params->activation.min;
    const int32_t hi = params->activation.max;
    const int32_t offset_diff = params->input_offset + params->output_offset;
    const int identity = params->output_multiplier == (1 << 30) && params->output_shift == 1;
    for (int32_t i = 0; i < size; i++)
    {
        int32_t y;
        if (identity)
        {
            y = (int32_t)input[i] + offset_diff;
        }
        else
        {
            y = arm_nn_requantize((int32_t)input[i] + params->input_offset,
                                  params->output_multiplier,
                                  params->output_shift) +
                params->output_offset;
        }
        y = PCN_MAX(y, lo);
        y = PCN_MIN(y, hi);
        output[i] = (int8_t)y;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
