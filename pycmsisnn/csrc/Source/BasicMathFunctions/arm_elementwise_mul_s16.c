/*
 * pycmsisnn: arm_elementwise_mul_s16, quantised product of two int16
 * vectors (TFLite Micro's int16 MUL).
 *
 * Per element: the exact 32-bit product of the two inputs is requantised
 * once to the output scale (double rounding, as TFLite's
 * MultiplyByQuantizedMultiplier), then clamped. The offsets are ignored:
 * int16 tensors are symmetric.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_elementwise_mul_s16(const int16_t *input_1_vect,
                                            const int16_t *input_2_vect,
                                            const int32_t input_1_offset,
                                            const int32_t input_2_offset,
                                            int16_t *output,
                                            const int32_t out_offset,
                                            const int32_t out_mult,
                                            const int32_t out_shift,
                                            const int32_t out_activation_min,
                                            const int32_t out_activation_max,
                                            const int32_t block_size)
{
    int32_t i;

    (void)input_1_offset;
    (void)input_2_offset;
    (void)out_offset;

    if (block_size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (i = 0; i < block_size; i++)
    {
        /* |product| <= 2^30: exact in int32 */
        const int32_t prod = (int32_t)input_1_vect[i] * (int32_t)input_2_vect[i];
        int32_t v = arm_nn_requantize(prod, out_mult, out_shift);

        v = PCN_CLAMP(v, out_activation_min, out_activation_max);
        output[i] = (int16_t)v;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
