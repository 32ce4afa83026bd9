/*
 * pycmsisnn: arm_nn_activation_s16, int16 sigmoid and tanh by table look-up
 * (TFLite Micro's int16 LOGISTIC and TANH for a power-of-two input scale:
 * 2^-12 with left_shift 0, 2^-11 with left_shift 1, up to 14; output scale
 * 2^-15).
 *
 * The input, times 3 << left_shift, is on the scale of the table look-up of
 * Internal/pycmsisnn_sigmoid_s16.h (pycmsisnn_logistic_s16 and
 * pycmsisnn_tanh_s16 share it for other input scales). A negative left_shift
 * (scales 2^-13 and below: an LSTM's cell state) divides 3 * input by
 * 2^-left_shift, rounding half up, as TFLite Micro's LSTM does.
 */
#include "arm_nnfunctions.h"
#include "Internal/pycmsisnn_sigmoid_s16.h"

/* the right shifts of 3 * input that still leave a non-zero input */
#define PCN_ACTIVATION_S16_RIGHT_MAX 17
/* the left shifts that keep 3 * input in 32 bits */
#define PCN_ACTIVATION_S16_LEFT_MAX 14

arm_cmsis_nn_status arm_nn_activation_s16(const int16_t *input,
                                          int16_t *output,
                                          const int32_t size,
                                          const int32_t left_shift,
                                          const arm_nn_activation_type type)
{
    const int32_t mult = 3 << (left_shift < 0 ? 0 : left_shift);
    const int32_t right = left_shift < 0 ? -left_shift : 0;
    const int32_t half = right > 0 ? 1 << (right - 1) : 0;
    int32_t i;

    if (size < 0 || left_shift < -PCN_ACTIVATION_S16_RIGHT_MAX || left_shift > PCN_ACTIVATION_S16_LEFT_MAX ||
        (type != ARM_SIGMOID && type != ARM_TANH))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (size > 0 && (input == NULL || output == NULL))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (i = 0; i < size; i++)
    {
        const int32_t v = (int32_t)input[i] * mult + half;
        /* floor(v / 2^right), written out: >> of a negative value is implementation-defined in C */
        const int32_t x = (v >= 0) ? (v >> right) : -(int32_t)((~(uint32_t)v >> right) + 1u);

        output[i] = (type == ARM_SIGMOID) ? pcn_sigmoid_s16(x) : pcn_tanh_s16(x);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
