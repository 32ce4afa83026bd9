/*
 * pycmsisnn: arm_nn_activation_s16, int16 sigmoid and tanh by table look-up
 * (TFLite Micro's int16 LOGISTIC and TANH for a power-of-two input scale:
 * 2^-12 with left_shift 0, 2^-11 with left_shift 1; output scale 2^-15).
 *
 * The input, times 3 << left_shift, is on the scale of the table look-up of
 * Internal/pycmsisnn_sigmoid_s16.h (pycmsisnn_logistic_s16 and
 * pycmsisnn_tanh_s16 share it for other input scales).
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_sigmoid_s16.h"

arm_cmsis_nn_status arm_nn_activation_s16(const int16_t *input,
                                          int16_t *output,
                                          const int32_t size,
                                          const int32_t left_shift,
                                          const arm_nn_activation_type type)
{
    const int32_t mult = 3 << (left_shift < 0 ? 0 : left_shift);
    int32_t i;

    if (size < 0 || left_shift < 0 || left_shift > 2 || (type != ARM_SIGMOID && type != ARM_TANH))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (size > 0 && (input == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (i = 0; i < size; i++)
    {
        const int32_t x = (int32_t)input[i] * mult;

        output[i] = (type == ARM_SIGMOID) ? pcn_sigmoid_s16(x) : pcn_tanh_s16(x);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
