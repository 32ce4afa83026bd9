/*
 * pycmsisnn: arm_elementwise_add_s16, quantised add of two int16 vectors
 * (TFLite Micro's int16 ADD, general rescaling path).
 *
 * Per element: each input, shifted left by left_shift (15 for TFLite's
 * 16x8), is requantised to the common scale by its own multiplier and
 * (non-positive) shift; the sum is requantised to the output scale, then
 * clamped. The offsets are ignored: int16 tensors are symmetric.
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_elementwise_add_s16(const int16_t *input_1_vect,
                                            const int16_t *input_2_vect,
                                            const int32_t input_1_offset,
                                            const int32_t input_1_mult,
                                            const int32_t input_1_shift,
                                            const int32_t input_2_offset,
                                            const int32_t input_2_mult,
                                            const int32_t input_2_shift,
                                            const int32_t left_shift,
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

    if (block_size < 0 || left_shift < 0 || left_shift > 16)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (block_size > 0 && (input_1_vect == NULL || input_2_vect == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }

    for (i = 0; i < block_size; i++)
    {
        const int32_t a = arm_nn_requantize(arm_nn_shift_left_wrap(input_1_vect[i], left_shift), input_1_mult, input_1_shift);
        const int32_t b = arm_nn_requantize(arm_nn_shift_left_wrap(input_2_vect[i], left_shift), input_2_mult, input_2_shift);
        int32_t sum = arm_nn_requantize((int32_t)((uint32_t)a + (uint32_t)b), out_mult, out_shift);

        sum = PCN_CLAMP(sum, out_activation_min, out_activation_max);
        output[i] = (int16_t)sum;
    }
    return ARM_CMSIS_NN_SUCCESS;
}
