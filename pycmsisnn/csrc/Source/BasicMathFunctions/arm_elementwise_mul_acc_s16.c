/*
 * pycmsisnn: arm_elementwise_mul_acc_s16, int16 products added to the output
 * (the LSTM's cell state update: cell += input gate * cell gate).
 *
 *   output[i] = clamp(output[i] + sat16(requantize(in1[i] * in2[i], out_mult, out_shift)),
 *                     out_activation_min, out_activation_max)
 * for i < block_size, TFLite's rounding (arm_nn_requantize): the product is
 * an int16 MUL's output before the ADD. The offsets are not used (int16
 * tensors are symmetric).
 */
#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_elementwise_mul_acc_s16(const int16_t *input_1_vect,
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
    (void)input_1_offset;
    (void)input_2_offset;
    (void)out_offset;
    if (block_size < 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t i = 0; i < block_size; i++)
    {
        int32_t p = arm_nn_requantize((int32_t)input_1_vect[i] * input_2_vect[i], out_mult, out_shift);
        p = PCN_CLAMP(p, NN_Q15_MIN, NN_Q15_MAX);
        p += output[i];
        output[i] = (int16_t)PCN_CLAMP(p, out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
