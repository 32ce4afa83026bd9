/*
 * pycmsisnn: pycmsisnn_relu_s16.
 *
 * int16 RELU and RELU6 as TensorFlow Lite Micro's reference kernels evaluate
 * them: RELU requantises the offset input to the output scale (s_in / s_out,
 * double rounding), adds the output zero point and clamps to [q(0), 32767];
 * RELU6 clamps the raw input to [zero point, q(6)] on the input scale, which
 * the identity multiplier (2^30 with shift 1) expresses: the kernel then
 * only clamps, with no multiply.
 */
#include "pycmsisnn_activations_s16.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"

arm_cmsis_nn_status pycmsisnn_relu_s16(const pycmsisnn_relu_params *params,
                                       const int16_t *input,
                                       int16_t *output,
                                       int32_t size)
{
    if (params == NULL || input == NULL || output == NULL || size < 0 || params->output_shift > 31 ||
        params->output_shift < -31)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    const int32_t lo = PCN_MAX(params->activation.min, (int32_t)NN_Q15_MIN);
    const int32_t hi = PCN_MIN(params->activation.max, (int32_t)NN_Q15_MAX);
    const int identity = params->output_multiplier == (1 << 30) && params->output_shift == 1;
    for (int32_t i = 0; i < size; i++)
    {
        const int32_t x = (int32_t)input[i] + params->input_offset;
        int32_t y;
        if (identity)
        {
            y = x + params->output_offset;
        }
        else
        {
            y = arm_nn_requantize(x, params->output_multiplier, params->output_shift) + params->output_offset;
        }
        y = PCN_MAX(y, lo);
        y = PCN_MIN(y, hi);
        output[i] = (int16_t)y;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
