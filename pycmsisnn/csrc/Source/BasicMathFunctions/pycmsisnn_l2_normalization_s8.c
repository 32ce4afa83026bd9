/*
 * pycmsisnn: pycmsisnn_l2_normalization_s8.
 *
 * int8 L2_NORMALIZATION as TensorFlow Lite Micro evaluates it, row by row
 * over the innermost dimension: the sum of the squared offset inputs gives a
 * fixed-point 1 / sqrt (pcn_inv_sqrt_q31); each offset input times 128 is
 * multiplied by it with a single rounding (ties up) and clamped to int8. The
 * output scale is 1/128 with zero point 0.
 */
#include "pycmsisnn_math_ops.h"

#include "arm_nn_math_types.h"
#include "arm_nn_types.h"
#include "Internal/pycmsisnn_arith.h"
#include "Internal/pycmsisnn_inv_sqrt.h"

arm_cmsis_nn_status pycmsisnn_l2_normalization_s8(int32_t input_offset,
                                                  const int8_t *input,
                                                  int8_t *output,
                                                  int32_t outer,
                                                  int32_t depth)
{
    /* depth bound: a row's sum of squares (each below 2^16) stays in int32 */
    if (input == NULL || output == NULL || outer < 0 || depth < 0 || depth > 32767 || input_offset < -127 ||
        input_offset > 128)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (int32_t row = 0; row < outer; row++)
    {
        const int8_t *x = input + (int64_t)row * depth;
        int8_t *y = output + (int64_t)row * depth;
        int32_t sum = 0;
        for (int32_t i = 0; i < depth; i++)
        {
            const int32_t d = (int32_t)x[i] + input_offset;
            sum += d * d;
        }
        int32_t mult;
        int32_t exponent;
        pcn_inv_sqrt_q31(sum, &mult, &exponent);
        const int32_t total = 31 - exponent;
        for (int32_t i = 0; i < depth; i++)
        {
            const int64_t prod = (int64_t)(((int32_t)x[i] + input_offset) * 128) * mult;
            const int64_t v = (prod + ((int64_t)1 << (total - 1))) >> total;
            y[i] = (int8_t)PCN_CLAMP(v, NN_Q7_MIN, NN_Q7_MAX);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
